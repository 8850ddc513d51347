"""A sheet's rows below its header as canonical cells (I/O layer).

:func:`rows_below_header` gives each row below the header as ``(source row, {canonical name: cell})``
(every row naming the same columns: those the header mapped) and marks the rows above it;
:func:`sheet_number_style` settles how the sheet writes its numbers and :func:`parse_numbers` reads
them; :func:`skip_reason` tells a row that is not a part (blank, a separator, a text or document
item, do not populate, a total or a note). Single-sheet exports (:mod:`bomcalc.io.layouts`) and
material masters (:mod:`bomcalc.io.master_data`) read their rows with these.
"""

from __future__ import annotations

import operator
import re

from ..core.errors import ERROR, WARNING, DataIssue
from ..core.ledger import SKIPPED, RowLedger
from ..core.values import is_blank, to_text
from .aliases import NUMERIC_COLUMNS, Header, header_key
from .lookalikes import ID_COLUMNS, normalise_id_cells, plain_digit_cells, plain_digits_message, unusual_columns
from .numbers import AmbiguousNumbers, NumberStyle, columns_number_style, parse_or_keep_column
from .sheets import Sheet
from .summary_rows import summary_reason


#: SAP item categories (and common words) for rows that are not parts.
SKIPPED_CATEGORIES = {"t": "text item", "text": "text item", "d": "document item", "document": "document item",
                      "doc": "document item", "k": "class item", "i": "PM structure element"}
NOT_POPULATED = {"dnp", "donotpopulate", "no", "n", "false", "0", "notfitted", "nf"}
MARKED = {"x", "yes", "y", "true", "1", "dnp", "donotpopulate", "notfitted", "nf"}


class RowOutcomes:
    """Issues and row fates for one sheet: :meth:`add` records a problem, :meth:`mark` a row's fate."""

    def __init__(self, sheet: Sheet, issues: list[DataIssue], ledger: RowLedger):
        self.sheet, self.issues, self.ledger = sheet, issues, ledger

    def add(self, severity, code, message, row=None, part_id=None):
        self.issues.append(DataIssue(severity, code, message, self.sheet.name, row, part_id, self.sheet.file))

    def mark(self, row, fate, reason=""):
        self.ledger.mark(self.sheet.file, self.sheet.name, row, fate, reason)

    def mark_many(self, rows, fate, reason=""):
        """:meth:`mark` of each of ``rows``."""
        self.ledger.mark_many(self.sheet.file, self.sheet.name, rows, fate, reason)


def rows_below_header(sheet: Sheet, header: Header, out: RowOutcomes) -> list[tuple[int, dict]]:
    """Rows below the header as ``(source row, {canonical: cell})``; rows above are marked."""
    for index in range(header.index):
        blank = all(is_blank(c) for c in sheet.rows[index])
        separator = not blank and all(is_blank(c) or (isinstance(c, str) and _SEPARATOR.match(c)) for c in sheet.rows[index])
        out.mark(index + 1, SKIPPED, "blank row" if blank else "separator row" if separator else "title block above the header")
    out.mark(header.index + 1, SKIPPED, "header row")
    names, positions = list(header.columns), list(header.columns.values())
    pick, width = operator.itemgetter(*positions) if len(positions) > 1 else None, max(positions, default=-1) + 1
    data = []
    for index in range(header.index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        cells = (dict(zip(names, pick(row))) if pick is not None and len(row) >= width else  # a short row's end is blank
                 {name: (row[col] if col < len(row) else None) for name, col in header.columns.items()})
        data.append((index + 1, cells))
    # look-alike ids (NFD, zero-width space) are one part; a column of printable ASCII holds none
    ids = {name: [cells[name] for _, cells in data] for name in ID_COLUMNS if name in header.columns}
    for row, name, clean, note in normalise_id_cells(data, unusual_columns(ids)):
        out.add(WARNING, "part_id_normalised", f"row {row} ({name}): {note}", row, clean)
    return data


def _number_columns(data) -> list[str]:
    """The number columns the rows of ``data`` name (every row names the same columns)."""
    return [name for name in NUMERIC_COLUMNS if data and name in data[0][1]]


def sheet_number_style(data, decimal: str | None, out: RowOutcomes) -> NumberStyle | None:
    """The number style of a sheet's numeric cells (``decimal`` is ``--decimal``); ambiguity and digits other than 0-9 are reported through ``out``."""
    columns = {name: [cells[name] for _, cells in data] for name in _number_columns(data)}
    unusual = unusual_columns(columns)
    for row, name, written, read in plain_digit_cells(data, unusual):  # ١٢٣, １２: read, with a warning
        out.add(WARNING, "non_ascii_digits", plain_digits_message(f"row {row} ({name})", written, read), row)
    columns.update({name: [cells[name] for _, cells in data] for name in unusual})  # their cells as rewritten
    try:
        return columns_number_style(list(columns.values()), decimal)
    except AmbiguousNumbers as exc:
        out.add(ERROR, "ambiguous_numbers", f"{exc}")
        return None


def parse_numbers(data, style: NumberStyle | None) -> None:
    """Replace numeric cells by exact decimals in place, each column's equal cells read once; unparseable text is left for the model to report."""
    for name in _number_columns(data):
        for (_, cells), value in zip(data, parse_or_keep_column([cells[name] for _, cells in data], style)):
            cells[name] = value


_SEPARATOR = re.compile(r"^[-=_|+*~.:\s]+$")


def skip_reason(cells: dict) -> str | None:
    """Why a row (``{canonical name: cell}``) is not a part, or ``None`` for a part's row."""
    part = cells.get("part_id")
    # a part number that is text and not a run of dashes makes the row neither blank nor a separator
    named = type(part) is str and part.strip() and not _SEPARATOR.match(part)
    if not named:
        if all(is_blank(cell) for cell in cells.values()):
            return "blank row"
        if all(is_blank(cell) or (isinstance(cell, str) and _SEPARATOR.match(cell)) for cell in cells.values()):
            return "separator row"
    category = cells.get("item_category")
    category = to_text(category) if category is not None else None
    if category and header_key(category) in SKIPPED_CATEGORIES:
        return SKIPPED_CATEGORIES[header_key(category)]
    dnp, populate = cells.get("dnp"), cells.get("populate")
    if dnp is not None and not is_blank(dnp) and header_key(dnp) in MARKED:
        return "do not populate"
    if populate is not None and not is_blank(populate) and header_key(populate) in NOT_POPULATED:
        return "do not populate"
    summary = summary_reason(cells)
    if summary:
        return summary
    if not named and to_text(part) is None:
        return "text row without a part number"
    return None


