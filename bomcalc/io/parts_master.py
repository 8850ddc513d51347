"""The parts master written for review: every part of a BOM with the facts known and the
suggested Annex 1 status (I/O layer).

One sheet ``parts``, one row per part of the BOM, in BOM order. The columns a parts master
has (``part_id``, ``description``, ``hs_code``, ``origin``, ``unit_value``, ``currency``,
``uom``, ``annex1``, ``cn_technology``) hold what the BOM already says; ``suggested_annex1``,
``confidence`` and ``reason`` hold the suggestion. The cells the user must fill are
highlighted: ``annex1`` where the status is not given (written ``unknown``, so that an
unreviewed row never reads as "not listed"), ``origin`` and ``unit_value`` where blank.
When the BOM's values were converted into a report currency (``--fx``), ``unit_value`` and
``currency`` are left to the BOM (blank in the master), so the two never disagree.

Read back with ``--parts``, the file is an ordinary parts master: the suggestion columns match
no bomcalc column, so they are ignored (never read as ``annex1``), and ``unknown`` keeps a
part's status unknown until the user writes ``part1``, ``part2`` or blank (not listed).

Text from the input is always written as text, never as a formula (OWASP formula injection):
a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a text cell
shown with a leading quote.
"""

from __future__ import annotations

import io
import os
from decimal import Decimal

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from ..core.values import is_blank
from .writers import FORMULA_PREFIXES, write_atomic

#: The columns of the parts master, with the note on each header cell.
MASTER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("part_id", "Part number, as in the BOM (kept exactly)."),
    ("description", "What the part is, as in the BOM."),
    ("hs_code", "Customs tariff (HS) code, if known."),
    ("origin", "ISO 3166-1 alpha-2 country of origin (CN, DE, JP, ...). Fill in where highlighted."),
    ("unit_value", "Value of one unit of the part in its uom. Fill in where highlighted."),
    ("currency", "ISO 4217 currency of unit_value."),
    ("uom", "Unit of measure that unit_value is per."),
    ("annex1", "YOUR DECISION: part1, part2, or blank (not listed). 'unknown' keeps the status unknown: "
               "review every highlighted cell."),
    ("cn_technology", "TRUE when made outside China with Chinese rare-earth technology; blank otherwise."),
    ("us_controlled", "US EAR pack: TRUE for controlled US-origin content, FALSE if not; blank: unknown."),
    ("suggested_annex1", "The classifier's suggestion (part1, part2, blank: not listed, unknown: review it). "
                         "Never used by bomcalc: copy it into annex1 once you agree."),
    ("confidence", "How sure the suggestion is: high, medium or low."),
    ("reason", "Why this suggestion."),
)
SUGGESTION_COLUMNS = ("suggested_annex1", "confidence", "reason")

#: What each suggestion writes in ``suggested_annex1`` (a value the ``annex1`` column accepts).
SUGGESTED_CELL = {"part1": "part1", "part2": "part2", "none": None, "review": "unknown"}

_MAX_TEXT = 32767  # characters Excel holds in one cell
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_SUGGESTION_FILL = PatternFill("solid", fgColor="D9E1F2")
_TO_FILL = PatternFill("solid", fgColor="FFEB9C")


def put_text(cell, value) -> None:
    """Write ``value`` as a text cell, never a formula (a leading ``=``, ``+``, ``-``, ``@`` is shown quoted)."""
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 15] + " ...(truncated)"
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def master_rows(bom, suggestions) -> list[dict]:
    """One record per part of ``bom`` (BOM order): the facts known, the suggestion, and
    ``to_fill``, the names of the cells the user must fill."""
    by_part = {s.part_id: s for s in suggestions}
    parts = bom.parts
    # values converted into the report currency are not the ones given: written back, they would
    # conflict with the BOM's own; left blank, the BOM's are read (only a missing value is to fill)
    converted = bool(bom.fx_rates)
    rows = []
    for part_id, part in parts.iterrows():
        known = bool(part.get("annex1_known", True)) and part_id not in bom.accepted_suggestions
        suggestion = by_part.get(part_id)
        unit_value = part["unit_value"]
        currency = part["currency"] if not is_blank(part["currency"]) else (bom.currency if unit_value is not None else None)
        row = {
            "part_id": part_id,
            "description": part["description"] or None,
            "hs_code": (part["hs_code"] if "hs_code" in parts.columns else None) or None,
            "origin": part["origin"],
            "unit_value": None if converted else unit_value,
            "currency": None if converted else currency,
            "uom": part["uom"],
            "annex1": (part["annex1"] or None) if known else "unknown",
            "cn_technology": "TRUE" if bool(part["cn_technology"]) else None,
            "us_controlled": {True: "TRUE", False: "FALSE"}.get(part.get("us_controlled")),
            "suggested_annex1": SUGGESTED_CELL.get(suggestion.suggestion) if suggestion else "unknown",
            "confidence": suggestion.confidence if suggestion else None,
            "reason": "; ".join(suggestion.reasons) if suggestion else "no suggestion",
        }
        if suggestion is not None and suggestion.suggestion == "none":
            row["reason"] = f"not listed: {row['reason']}"
        row["to_fill"] = tuple(name for name, missing in (("annex1", not known), ("origin", part["origin"] is None),
                                                         ("unit_value", unit_value is None)) if missing)
        rows.append(row)
    return rows


def write_parts_master(path: str | os.PathLike, bom, suggestions) -> None:
    """Write the parts master of ``bom`` with ``suggestions`` to ``path`` (``.xlsx``), whole or
    not at all; see the module docstring for its layout."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "parts"
    names = [name for name, _ in MASTER_COLUMNS]
    for column, (name, note) in enumerate(MASTER_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cell.comment = Comment(note, "bomcalc")
    for index, record in enumerate(master_rows(bom, suggestions), start=2):
        for column, name in enumerate(names, start=1):
            cell = sheet.cell(row=index, column=column)
            value = record[name]
            if isinstance(value, Decimal):
                cell.value = value
            elif not is_blank(value):
                put_text(cell, value)
            if name in record["to_fill"]:
                cell.fill = _TO_FILL
            elif name in SUGGESTION_COLUMNS:
                cell.fill = _SUGGESTION_FILL
    widths = {"part_id": 18, "description": 40, "reason": 60, "suggested_annex1": 18, "cn_technology": 14}
    for column, name in enumerate(names, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = widths.get(name, 12)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())
