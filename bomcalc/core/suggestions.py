"""Suggested Annex 1 statuses for the parts of a BOM, and the policy of accepting them (core layer).

:func:`suggest` asks the classifier (:mod:`bomcalc.core.classify`) for a suggestion for every
part of a :class:`~bomcalc.core.model.Bom`. A suggestion never changes a determination by
itself: the user reviews it (``bomcalc classify --output master.xlsx``) or, with the policy
``accept high`` (:func:`accept_suggestions`), a high-confidence suggestion becomes the Annex 1
status of a part whose status the user did not give. A status the user gave is never replaced,
and every result of a BOM read under the policy names it and the parts it changed.
"""

from __future__ import annotations


from .classify import PartText, Suggestion, classify_parts
from .errors import BomError
from .graph import has_lines
from .model import Bom

#: The ``--accept`` levels: which suggestions become Annex 1 statuses.
ACCEPT_LEVELS = ("none", "high")

#: How many part numbers the policy text names before "and N more".
NAMED = 5

#: The Annex 1 status a suggestion stands for (``review`` stands for none: it stays unknown).
_STATUS = {"part1": "part1", "part2": "part2", "none": None}


def part_texts(bom: Bom) -> list[PartText]:
    """What the classifier reads of every part of ``bom``, in BOM order; ``annex1`` only when given."""
    parts = bom.parts
    hs = parts["hs_code"] if "hs_code" in parts.columns else None
    texts = []
    for part_id, row in parts.iterrows():
        known = bool(row.get("annex1_known", True))
        texts.append(PartText(
            part_id=str(part_id),
            description=str(row["description"] or ""),
            hs_code=str(hs[part_id] or "") if hs is not None else "",
            annex1=(row["annex1"] or "none") if known else None,
            is_assembly=has_lines(bom, part_id),
        ))
    return texts


def suggest(bom: Bom, vocabulary, part2_scope: str = "materials") -> list[Suggestion]:
    """A suggestion for every part of ``bom``, in BOM order."""
    return classify_parts(part_texts(bom), vocabulary, part2_scope)


def given_status(bom: Bom, part_id: str) -> str | None:
    """The Annex 1 status the user gave for ``part_id`` (``part1``, ``part2``, ``none``), or ``None``
    when not given (or given only by an accepted suggestion)."""
    row = bom.parts.loc[part_id]
    if not bool(row.get("annex1_known", True)) or part_id in bom.accepted_suggestions:
        return None
    return row["annex1"] or "none"


def accept_suggestions(bom: Bom, suggestions: list[Suggestion], level: str) -> Bom:
    """``bom`` with the suggestions of confidence ``level`` taken as the Annex 1 status of the parts
    whose status the user did not give (a new :class:`Bom`; ``bom`` is not changed).

    ``level`` is one of :data:`ACCEPT_LEVELS`: ``none`` returns ``bom`` itself; ``high`` accepts
    ``part1``, ``part2`` and ``none`` suggestions of high confidence (``review`` never). A part
    whose status is given keeps it. The parts taken are in ``accepted_suggestions``.
    """
    if level not in ACCEPT_LEVELS:
        raise BomError(f"'{level}' is not an accept level; use one of {', '.join(ACCEPT_LEVELS)}")
    if level == "none":
        return bom
    parts = bom.parts.copy()
    known = parts["annex1_known"].map(bool) if "annex1_known" in parts.columns else None
    taken = []
    for suggestion in suggestions:
        part_id = suggestion.part_id
        if part_id not in parts.index or suggestion.confidence != level or suggestion.suggestion not in _STATUS:
            continue
        if known is None or known[part_id]:
            continue  # the user gave its status: never replaced
        parts.at[part_id, "annex1"] = _STATUS[suggestion.suggestion]
        parts.at[part_id, "annex1_known"] = True
        taken.append(part_id)
    if not taken:
        return bom
    return bom.with_changes(parts=parts, accepted_suggestions=bom.accepted_suggestions + tuple(taken))


def named(part_ids) -> str:
    """Up to :data:`NAMED` part numbers, then "and N more"."""
    part_ids = list(part_ids)
    shown = ", ".join(part_ids[:NAMED])
    return shown + (f" and {len(part_ids) - NAMED} more" if len(part_ids) > NAMED else "")


def acceptance_text(bom: Bom) -> str | None:
    """``accept high: 3 parts (MAG-1, ...)`` when statuses of ``bom`` come from accepted
    suggestions, else ``None``."""
    taken = bom.accepted_suggestions
    if not taken:
        return None
    return (f"accept high: {len(taken)} part{'s' if len(taken) != 1 else ''} ({named(taken)}) have the Annex 1 "
            "status the classifier suggested with high confidence, not one the user gave; review them")


def suggestion_policies(bom: Bom) -> dict[str, str]:
    """The ``annex1_suggestions`` policy entry of a result, when suggestions were accepted."""
    text = acceptance_text(bom)
    return {"annex1_suggestions": text} if text else {}


def summary(suggestions: list[Suggestion], given: dict[str, str | None]) -> dict[str, int]:
    """Counts: parts, given statuses, and suggestions of each kind and confidence for parts
    whose status is not given (``open``: part1, part2 or review suggestions among those)."""
    counts = {"parts": len(suggestions), "annex1_given": sum(1 for s in suggestions if given.get(s.part_id))}
    for kind in ("part1", "part2", "none", "review"):
        counts[kind] = sum(1 for s in suggestions if s.suggestion == kind)
    for level in ("high", "medium", "low"):
        counts[f"confidence_{level}"] = sum(1 for s in suggestions if s.confidence == level)
    counts["open"] = sum(1 for s in suggestions if not given.get(s.part_id) and s.suggestion in ("part1", "part2", "review"))
    return counts
