"""Reading rule-pack TOML files (I/O layer)."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from ..core.errors import RulePackError
from ..core.rules import RulePack, rule_pack_from_dict

DEFAULT_PACK = "mofcom_61_2025.toml"


def load_rule_pack(path: str | os.PathLike | None = None) -> RulePack:
    """Load a rule pack from a TOML file; ``None`` loads the pack shipped with bomcalc."""
    if path is None:
        resource = resources.files("bomcalc") / "rulepacks" / DEFAULT_PACK
        text, origin = resource.read_text(encoding="utf-8"), f"bomcalc/rulepacks/{DEFAULT_PACK}"
    else:
        origin = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise RulePackError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{origin}: not valid TOML ({exc})") from None
    return rule_pack_from_dict(data, origin)
