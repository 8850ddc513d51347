"""Reading rule-pack TOML files (I/O layer).

``--rules`` takes a file path or the id of a pack shipped in ``bomcalc/rulepacks``
(:data:`PACKAGED`). A pack file without the ``[content]``, ``[assessed]``, ``[limb_roles]`` or
``[outcomes]`` sections takes them from the default pack, so packs written before those
sections existed read as before.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from ..core.errors import RulePackError
from ..core.rules import RulePack, rule_pack_from_dict

DEFAULT_PACK = "mofcom_61_2025.toml"
#: packaged rule packs by id (``--rules ID``)
PACKAGED = {"mofcom-61-2025": DEFAULT_PACK, "us-ear-de-minimis": "us_ear_de_minimis.toml"}
#: sections a pack file may leave out and take from the default pack
REGIME_SECTIONS = ("content", "assessed", "limb_roles", "outcomes")


def _packaged(name: str) -> tuple[dict, str]:
    resource = resources.files("bomcalc") / "rulepacks" / name
    origin = f"bomcalc/rulepacks/{name}"
    return _parse(resource.read_text(encoding="utf-8"), origin), origin


def _parse(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{origin}: not valid TOML ({exc})") from None


def rule_pack_text(path: str | os.PathLike | None = None) -> str:
    """The TOML text of a rule-pack file, a packaged id, or (``None``) the default pack, as stored."""
    if path is None or str(path) in PACKAGED:
        return (resources.files("bomcalc") / "rulepacks" / PACKAGED.get(str(path), DEFAULT_PACK)).read_text(encoding="utf-8")
    return Path(path).read_text(encoding="utf-8")


def load_rule_pack(path: str | os.PathLike | None = None) -> RulePack:
    """Load a rule pack from a TOML file or a packaged id (:data:`PACKAGED`); ``None`` loads the default pack."""
    if path is None or str(path) in PACKAGED:
        data, origin = _packaged(PACKAGED.get(str(path), DEFAULT_PACK))
    else:
        origin = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            known = ", ".join(PACKAGED)
            raise RulePackError(f"{path}: cannot be read ({exc.strerror or exc}); give a rule-pack file or one of "
                                f"the packaged ids {known}") from None
        data = _parse(text, origin)
        if isinstance(data, dict) and any(section not in data for section in REGIME_SECTIONS):
            default, _ = _packaged(DEFAULT_PACK)
            data = {**{section: default[section] for section in REGIME_SECTIONS}, **data}
    return rule_pack_from_dict(data, origin)
