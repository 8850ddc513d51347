"""The suggested Annex 1 statuses of a BOM's parts as a JSON document and as text (report layer).

Pure table building: :func:`classification_items` gives one record per part, the document and
the text are built from it. Suggestions are for review: the text ends with the counts and the
next step (review them in a parts master, then check with it).
"""

from __future__ import annotations

from ..core.suggestions import given_status, summary
from .safe_text import terminal_text

#: How many characters of a description the table shows.
_DESCRIPTION = 40


def classification_items(bom, suggestions) -> list[dict]:
    """One record per part of ``bom``, in BOM order: ``part_id``, ``description``, ``annex1`` (as
    given: part1, part2, none, or ``None`` when not given), ``suggestion``, ``confidence``, ``reasons``."""
    by_part = {s.part_id: s for s in suggestions}
    items = []
    for part_id, part in bom.parts.iterrows():
        suggestion = by_part[part_id]
        items.append({
            "part_id": part_id,
            "description": part["description"] or "",
            "annex1": given_status(bom, part_id),
            "suggestion": suggestion.suggestion,
            "confidence": suggestion.confidence,
            "reasons": list(suggestion.reasons),
        })
    return items


def classification_summary(bom, suggestions) -> dict:
    """Counts of the suggestions (see :func:`bomcalc.core.suggestions.summary`)."""
    return summary(list(suggestions), {part_id: given_status(bom, part_id) for part_id in bom.parts.index})


def classification_document(bom, suggestions, rule_pack) -> dict:
    """``{"items": [...], "summary": {...}, "rule_pack": {"id", "version"}, "source"}``."""
    return {
        "source": bom.source,
        "items": classification_items(bom, suggestions),
        "summary": classification_summary(bom, suggestions),
        "rule_pack": {"id": rule_pack.id, "version": rule_pack.version},
    }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def format_classification(bom, suggestions, rule_pack, bom_path: str = "BOM", written: str | None = None) -> str:
    """The suggestions as a terminal-safe table, then the counts and the next step (``written``:
    the parts master just written, if any)."""
    master = written or "master.xlsx"
    first = f"review the suggestions in {master}" if written else \
        f"bomcalc classify {bom_path} --output {master}, review the suggestions in {master}"
    items = classification_items(bom, suggestions)
    rows = [("part", "description", "annex1 given", "suggestion", "confidence", "reason")]
    for item in items:
        rows.append((item["part_id"], _cut(item["description"], _DESCRIPTION), item["annex1"] or "-",
                     item["suggestion"], item["confidence"], "; ".join(item["reasons"])))
    rows = [tuple(terminal_text(cell, layout=False) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row[:5], widths)) + "  " + row[5] for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * 6)
    counts = classification_summary(bom, suggestions)
    lines += [
        "",
        f"{counts['parts']} part(s): Annex 1 status given for {counts['annex1_given']}; suggested part1 {counts['part1']}, "
        f"part2 {counts['part2']}, not listed {counts['none']}, review {counts['review']}; confidence high "
        f"{counts['confidence_high']}, medium {counts['confidence_medium']}, low {counts['confidence_low']}.",
        f"Rule pack {rule_pack.label}. Suggestions are not determinations: no result uses them "
        "unless you copy them into annex1 (or pass --accept high).",
        f"Next: {first} (copy each "
        f"suggested_annex1 you agree with into annex1; fill the highlighted cells), then "
        f"`bomcalc check {bom_path} --parts {master}`.",
    ]
    return terminal_text("\n".join(lines) + "\n")
