"""Reading rule-pack TOML files, packaged packs by id, and overlays on them (I/O layer).

A rule pack is named by a file path or by the id of a pack shipped with bomcalc
(``mofcom-61-2025``). A pack with ``extends = "<pack id>"`` is an overlay: the pack it extends
is loaded first (a packaged pack by id, or another pack file by a path ending ``.toml``,
relative to the overlay's folder) and the overlay merged onto it
(:func:`bomcalc.core.overlays.merge_overlay`).
"""

from __future__ import annotations

import copy
import functools
import os
import tomllib
from importlib import resources
from pathlib import Path

from ..core.errors import RulePackError
from ..core.overlays import PackRef, merge_overlay
from ..core.rules import RulePack, rule_pack_from_dict

DEFAULT_PACK = "mofcom_61_2025.toml"
PACKAGED_ORIGIN = "bomcalc/rulepacks/"  # the origin of a packaged pack: this, then its file name


@functools.lru_cache(maxsize=1)
def packaged_packs() -> dict[str, str]:
    """The packs shipped with bomcalc: ``{pack id: file name}``."""
    found = {}
    for resource in sorted(resources.files("bomcalc").joinpath("rulepacks").iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".toml"):
            data = tomllib.loads(resource.read_text(encoding="utf-8"))
            if "id" in data:
                found[str(data["id"])] = resource.name
    return found


def _packaged_name(name: str) -> str | None:
    """The file name of the packaged pack ``name`` (an id or a packaged origin), or ``None``."""
    if name.startswith(PACKAGED_ORIGIN):
        name = name[len(PACKAGED_ORIGIN):]
        return name if name in packaged_packs().values() else None
    return packaged_packs().get(name)


def rule_pack_text(path: str | os.PathLike | None = None) -> tuple[str, str]:
    """``(text, origin)`` of a rule pack: a file, a packaged pack's id, or ``None`` for the default pack."""
    packaged = DEFAULT_PACK if path is None else (None if Path(path).is_file() else _packaged_name(str(path)))
    if packaged is not None:
        resource = resources.files("bomcalc") / "rulepacks" / packaged
        return resource.read_text(encoding="utf-8"), PACKAGED_ORIGIN + packaged
    try:
        return Path(path).read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        ids = ", ".join(sorted(packaged_packs()))
        raise RulePackError(f"{path}: cannot be read (no such file), nor is it the id of a packaged pack ({ids})") from None
    except OSError as exc:
        raise RulePackError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _document(path) -> tuple[dict, str]:
    text, origin = rule_pack_text(path)
    if origin.startswith(PACKAGED_ORIGIN):  # shipped text never changes: parsed once, each caller given its own copy
        return copy.deepcopy(_parsed_packaged(text, origin)), origin
    return _parsed(text, origin), origin


def _parsed(text: str, origin: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{origin}: not valid TOML ({exc})") from None


@functools.lru_cache(maxsize=8)
def _parsed_packaged(text: str, origin: str) -> dict:
    return _parsed(text, origin)


def self_contained_text(path: str | os.PathLike | None = None) -> str:
    """The text of a rule pack that needs no other file to be read again: a plain pack, or an
    overlay on a packaged pack (an audit pack records this one file)."""
    text, origin = rule_pack_text(path)
    extends = _document(path)[0].get("extends")
    if isinstance(extends, str) and extends.endswith(".toml"):
        raise RulePackError(f"{origin}: key 'extends': an audit pack records one rule-pack file, and this overlay "
                            f"extends another file ({extends}); make it extend a packaged pack id, e.g. \"mofcom-61-2025\"")
    return text


def _base_of(value, origin: str) -> str:
    """Where the pack named by an ``extends`` value is: a packaged id, or a file beside the overlay."""
    if not isinstance(value, str) or not value.strip():
        raise RulePackError(f"{origin}: key 'extends' must be the id of a pack, e.g. extends = \"mofcom-61-2025\"")
    if value.endswith(".toml"):
        return str(Path(origin).parent / value) if not origin.startswith(PACKAGED_ORIGIN) else value
    if value not in packaged_packs():
        raise RulePackError(f"{origin}: key 'extends': unknown pack id '{value}'; the packs shipped with bomcalc are "
                            f"{', '.join(sorted(packaged_packs()))} (to extend a pack file of your own, give its "
                            "file name ending .toml)")
    return value


#: sections a pack file may leave out and take from the default pack (what counts, who is
#: assessed, which limb plays which role, the outcome labels), so packs written before they
#: existed read as before
REGIME_SECTIONS = ("content", "assessed", "limb_roles", "outcomes")


def _with_regime(data: dict, origin: str) -> dict:
    if origin.startswith(PACKAGED_ORIGIN) or not isinstance(data, dict) or all(s in data for s in REGIME_SECTIONS):
        return data
    default = _document(None)[0]
    return {**{section: default[section] for section in REGIME_SECTIONS}, **data}


def _resolved(path, chain: tuple[str, ...]) -> tuple[dict, str, tuple[PackRef, ...]]:
    """``(document, origin, bases)`` of the pack at ``path``, an overlay merged onto its (checked) base."""
    data, origin = _document(path)
    if "extends" not in data:
        return _with_regime(data, origin), origin, ()
    key = origin if origin.startswith(PACKAGED_ORIGIN) else os.path.realpath(origin)
    if key in chain:
        raise RulePackError(f"{origin}: key 'extends': the overlays extend each other in a cycle "
                            f"({' -> '.join(chain + (key,))}); one of them must extend a packaged pack")
    base_data, base_origin, base_extends = _resolved(_base_of(data["extends"], origin), chain + (key,))
    base = rule_pack_from_dict(base_data, base_origin, base_extends)
    merged = merge_overlay(base_data, data, origin)
    return merged, origin, (PackRef(base.id, base.version, base.origin),) + base_extends


def rule_pack_document(path: str | os.PathLike | None = None) -> tuple[dict, str]:
    """``(document, origin)`` of a rule pack as parsed TOML, an overlay already merged onto the
    pack it extends (for readers of sections the :class:`RulePack` does not hold)."""
    data, origin, _bases = _resolved(path, ())
    return data, origin


def load_rule_pack(path: str | os.PathLike | None = None) -> RulePack:
    """Load a rule pack from a TOML file or a packaged pack's id; ``None`` loads the default pack shipped with bomcalc.

    An overlay (``extends = ...``) is merged onto the pack it extends; the result names both
    (:attr:`RulePack.extends`). Raises :class:`RulePackError` naming the file and the key.
    """
    return rule_pack_from_dict(*_resolved(path, ()))
