"""Cells that look like something they are not: normalised where they are read, with a warning (I/O layer).

Part ids that look alike are one part. Readers hand rows as ``(source row, {column name: cell})``; :func:`normalise_id_cells` rewrites
the part-id cells (:func:`bomcalc.core.values.part_id_text`: NFC, invisible characters removed,
special spaces read as spaces) in place and returns what it changed, for a warning naming the
cell. Leading spaces, which some exports use for the hierarchy, are kept.
:func:`look_alike_cells` does the same for a canonical table, and also reads numbers written
with digits other than 0-9 (:func:`bomcalc.io.numbers.plain_digit_cells`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.column_cells import printable_ascii
from ..core.errors import WARNING, DataIssue
from ..core.values import part_id_change
from .numbers import plain_digit_cells, plain_digits_message
from .xlsx_scan import column_letter

#: Columns that hold a part id, in every table a reader builds.
ID_COLUMNS = ("part_id", "parent", "child", "customer_part_number", "part", "under")


def normalise_id_cells(rows: Iterable[tuple[int, dict]], names: Iterable[str] = ID_COLUMNS) -> list[tuple[int, str, str | None, str]]:
    """Normalise the part-id cells of ``rows`` in place; ``(row, column name, id used, note)`` for each changed."""
    names = tuple(names)
    changed = []
    for row, cells in rows:
        for name in names:
            cell = cells.get(name)
            if not isinstance(cell, str) or (cell.isascii() and cell.isprintable()):
                continue
            clean, note = part_id_change(cell)
            if note is not None:
                indent = cell[: len(cell) - len(cell.lstrip(" "))]
                cells[name] = indent + clean if clean is not None else None
                changed.append((row, name, clean, note))
    return changed


def look_alike_cells(cells: dict[str, list], positions: list[int], first_row: int, sheet: str, file: str,
                     numeric: list[str]) -> list[DataIssue]:
    """Normalise look-alike part ids and the ``numeric`` cells written in other digits of a canonical
    table's columns (``cells``: name -> the cells of every row) in place; a warning naming each cell changed.

    ``positions`` are the 0-based sheet columns of the columns of ``cells``, in order; ``first_row`` is the
    source row of the first cell of each.
    """
    names = list(cells)

    def where(row, column):
        return f"sheet '{sheet}' cell {column_letter(positions[names.index(column)])}{row} ({column})"

    issues = []
    ids = [c for c in names if c in ID_COLUMNS]
    for row, column, clean, note in normalise_id_cells(_unusual_rows(cells, ids, first_row), ids):
        cells[column][row - first_row] = clean  # NFD, zero-width spaces: one part
        issues.append(DataIssue(WARNING, "part_id_normalised", f"{where(row, column)}: {note}", sheet, row, clean, file))
    for row, column, written, read in plain_digit_cells(_unusual_rows(cells, numeric, first_row), numeric):
        cells[column][row - first_row] = read  # ١٢٣, １２: read as the number
        issues.append(DataIssue(WARNING, "non_ascii_digits", plain_digits_message(where(row, column), written, read),
                                sheet, row, None, file))
    return issues


def _unusual_rows(values: dict[str, list], columns: list[str], first_row: int) -> list[tuple[int, dict]]:
    """``(source row, {column: cell})`` for the rows with text other than printable ASCII in ``columns``."""
    columns = [c for c in columns if not printable_ascii(_text_of(values[c]))]  # one C-speed look
    if not columns:
        return []
    size = len(values[columns[0]])
    return [(first_row + i, {column: values[column][i] for column in columns}) for i in range(size)
            if any(isinstance(values[c][i], str) and not (values[c][i].isascii() and values[c][i].isprintable())
                   for c in columns)]


def _text_of(cells: list) -> str:
    """The text cells of a column joined."""
    try:
        return "".join(cells)  # a column of text only, the usual case
    except TypeError:
        return "".join(cell for cell in cells if isinstance(cell, str))
