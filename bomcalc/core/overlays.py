"""Rule-pack overlays: a pack that records new events (and amendments) on top of another (core layer).

An overlay is a rule-pack document with ``extends = "<pack id>"``. It keeps its own ``id``,
``version`` and ``title`` and is merged onto the document of the pack it extends by
:func:`merge_overlay`, which never changes either document:

* ``[[events]]`` are **added** to the base's events (history is never deleted: to end or change
  a rule, record a later event);
* any other list of tables whose entries carry an ``id`` (``[[sources]]``, ``[[limbs]]``, Annex 1
  ``items``, classification terms) is merged **by id**: an entry with a known id amends that
  entry key by key, an entry with a new id is added;
* tables (``[de_minimis]``, ``[annex1.part1]``, ``[humanitarian_exemption]``...) are merged key
  by key, so ``[de_minimis] threshold = "0.002"`` overrides the threshold alone;
* any other value (text, number, a list of words) replaces the base's.

A key the base pack does not have is an error (a misspelt ``[[event]]`` must not be ignored).
Finding and reading the base is the I/O layer's job (:mod:`bomcalc.io.rule_overlays`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import RulePackError

#: Keys an overlay holds for itself: never taken from, nor merged into, the base.
OWN_KEYS = ("id", "version", "title", "extends")


@dataclass(frozen=True)
class PackRef:
    """A pack an overlay rests on: its id, version and the file (or packaged resource) it came from."""

    id: str
    version: str
    origin: str


def _has_ids(entries) -> bool:
    return isinstance(entries, list) and bool(entries) and all(isinstance(e, dict) and "id" in e for e in entries)


class _Conflict(Exception):
    """A merge problem at a key path; :func:`merge_overlay` names the file."""


def _merge_by_id(base: list, extra: list, path: str) -> list:
    merged = [dict(entry) for entry in base]
    positions = {entry["id"]: number for number, entry in enumerate(merged)}
    for number, entry in enumerate(extra, start=1):
        if not isinstance(entry, dict) or "id" not in entry:
            raise _Conflict(f"'{path}' entry {number} has no 'id' (give the id of the entry it amends, or a new one)")
        if entry["id"] in positions:
            target = merged[positions[entry["id"]]]
            merged[positions[entry["id"]]] = _merge_table(target, entry, f"{path}[id={entry['id']}]", strict=False)
        else:
            positions[entry["id"]] = len(merged)
            merged.append(dict(entry))
    return merged


def _merge_value(base, extra, path: str):
    if isinstance(base, dict) and isinstance(extra, dict):
        return _merge_table(base, extra, path)
    if _has_ids(base) and isinstance(extra, list):
        return _merge_by_id(base, extra, path)
    if isinstance(base, dict) or isinstance(extra, dict) or _has_ids(base):
        raise _Conflict(f"'{path}' is {_kind(base)} in the base pack but {_kind(extra)} in the overlay")
    return extra


def _kind(value) -> str:
    return "a table" if isinstance(value, dict) else "a list" if isinstance(value, list) else "a value"


def _merge_table(base: dict, extra: dict, path: str, strict: bool = True) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        name = f"{path}.{key}" if path else key
        if key in base:
            merged[key] = _merge_value(base[key], value, name)
        elif strict:
            known = ", ".join(sorted(k for k in base if k not in OWN_KEYS)) or "no keys"
            raise _Conflict(f"unknown key '{name}': the base pack has no such entry (it has {known})")
        else:
            merged[key] = value
    return merged


def merge_overlay(base: dict, overlay: dict, where: str) -> dict:
    """The document of ``overlay`` applied to ``base`` (both parsed rule-pack documents).

    ``where`` names the overlay file for messages. The result keeps the overlay's ``id``,
    ``version`` and ``title``; its events are marked ``recorded_in`` the pack that recorded them.
    Raises :class:`RulePackError` naming the file and the key for a key the base lacks, a table
    where the base has a value, an entry without an id, or a missing ``id`` or ``version``.
    """
    for key in ("id", "version"):
        if key not in overlay:
            raise RulePackError(f"{where}: missing entry '{key}' (an overlay keeps its own id and version)")
    if str(overlay["id"]) == str(base.get("id")):
        raise RulePackError(f"{where}: 'id' is '{overlay['id']}', the id of the pack it extends; give the overlay its own id")
    merged = {key: value for key, value in base.items() if key not in OWN_KEYS}
    events = [_recorded(event, base.get("id")) for event in base.get("events", [])]
    own = overlay.get("events", [])
    if not isinstance(own, list) or not all(isinstance(e, dict) for e in own):
        raise RulePackError(f"{where}: 'events' must be [[events]] tables")
    merged["events"] = events + [_recorded(event, overlay["id"]) for event in own]
    rest = {key: value for key, value in overlay.items() if key not in OWN_KEYS and key != "events"}
    try:
        merged = _merge_table(merged, rest, "")
    except _Conflict as exc:
        raise RulePackError(f"{where}: {exc}") from None
    merged.update({key: overlay[key] for key in OWN_KEYS if key in overlay})
    merged["title"] = str(overlay.get("title", f"{overlay['id']} (overlay on {base.get('id')})"))
    return merged


def _recorded(event: dict, pack_id) -> dict:
    return event if "recorded_in" in event else {**event, "recorded_in": str(pack_id)}
