"""Cells that look like something they are not: normalised where they are read, with a warning (I/O layer).

Part ids that look alike are one part. Readers hand rows as ``(source row, {column name: cell})``; :func:`normalise_id_cells` rewrites
the part-id cells (:func:`bomcalc.core.values.part_id_text`: NFC, invisible characters removed,
special spaces read as spaces) in place and returns what it changed, for a warning naming the
cell. Leading spaces, which some exports use for the hierarchy, are kept. :func:`plain_digit_cells`
rewrites numbers written with digits other than 0-9 (``١٢٣``, ``１２``) the same way.
:func:`look_alike_cells` does both for a canonical table; :func:`unusual_columns` tells which
columns of a sheet's rows need either (only those whose text is not all printable ASCII).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.column_cells import printable_ascii
from ..core.errors import WARNING, DataIssue
from ..core.values import part_id_change, plain_digits
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


def unusual_columns(columns: dict[str, list]) -> list[str]:
    """The names of ``columns`` (name -> the cells of every row) whose text cells are not all
    printable ASCII: only their cells can hold a look-alike id or digits other than 0-9 (one
    C-speed look at each column's text joined)."""
    return [name for name, cells in columns.items() if not printable_ascii(_text_of(cells))]


def plain_digit_cells(rows: Iterable[tuple[int, dict]], names: Iterable[str]) -> list[tuple[int, str, str, str]]:
    """Rewrite, in place, the text cells of columns ``names`` written with digits other than 0-9.

    ``rows`` holds ``(source row, {column name: cell})``. Python reads ``١٢٣`` and ``１２`` as
    numbers; bomcalc reads them too (as ``123`` and ``12``), but only where the cell can be
    named. Returns ``(row, column name, text as written, text read)`` for each cell rewritten,
    for the caller's warning.
    """
    names = tuple(names)
    changed = []
    for row, cells in rows:
        for name in names:
            cell = cells.get(name)
            if isinstance(cell, str):
                plain = plain_digits(cell)
                if plain is not None:
                    cells[name] = plain
                    changed.append((row, name, cell, plain.strip()))
    return changed


def plain_digits_message(where: str, written: str, read: str) -> str:
    """The warning for a number written with digits other than 0-9."""
    return (f"{where}: '{written}' is written with digits other than 0-9 and was read as {read}; check the value and "
            "write it with 0-9")


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
    columns = unusual_columns({c: values[c] for c in columns})
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
