"""Any supported file as a list of sheets of raw rows (I/O layer).

The format is decided from the file's first bytes (:func:`bomcalc.io.sniff.detect_format`),
never from its name: SAP's "Spreadsheet" download is tab-separated UTF-16 text named ``.xls``.
Spreadsheets (xlsx, xlsm, xlsb, xls, ods) are read with python-calamine; delimited text with
:func:`bomcalc.io.sniff.read_text_table`. Every sheet keeps every physical row, so
``rows[i]`` is the source row ``i + 1``.
"""

from __future__ import annotations

import operator
import os
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from ..core import column_cells, frames
from ..core.errors import ERROR, DataIssue, InputFileError
from ..core.ledger import REJECTED, RowLedger
from ..core.values import is_blank
from .limits import check_extent, check_file_size, check_sheet_count, check_zip_directory
from .xlsb_scan import check_xlsb_extents
from .sniff import detect_format, read_text_table
from .text_columns import ColumnRows
from .hidden import sheet_states
from .sheet_builds import SheetBuilds
from .summary_rows import summary_reason
from .xlsx_scan import column_letter, hidden_rows, scan_sheets, style_indents

@dataclass(frozen=True)
class Sheet:
    """One sheet (or a text file) as read: ``rows[i]`` is source row ``i + 1``.

    ``uncached`` holds the cells (source row, 0-based column) of an xlsx or xlsm sheet that
    hold a formula without a cached value: they read as blank, though the formula gives a
    value in Excel. A text file keeps each row's cells as split, so ``len(rows[i])`` is the
    number of fields of row ``i + 1``; ``rows`` may be a
    :class:`~bomcalc.io.text_columns.ColumnRows`, read the same way.
    """

    file: str
    name: str
    rows: list[list]
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    uncached: frozenset[tuple[int, int]] = field(default=frozenset())
    hidden_rows: frozenset[int] = field(default=frozenset())  # rows hidden in Excel (xlsx, xlsm): by hand or a filter
    state: str = "visible"  # "hidden" or "veryHidden" for a sheet hidden in the workbook
    filtered: bool = False  # the sheet has an autoFilter (the rows it hides are among ``hidden_rows``)


def read_sheets(path: str | os.PathLike, only: str | None = None, columns: bool = False) -> list[Sheet]:
    """Every sheet of a workbook, or the one table of a text file.

    ``only`` names one sheet (matched ignoring case); an unknown name is an error listing the
    sheets there are. ``columns`` lets a text file of equal-width lines be split straight into
    columns (:func:`bomcalc.io.sniff.read_text_table`); its rows then read as a list of rows.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder; give a file")
    kind = detect_format(path)
    check_file_size(path, kind)
    if kind in ("xlsx", "xlsm", "xlsb", "ods"):
        check_zip_directory(path)
    if kind == "text":
        table = read_text_table(path, columns=columns)
        return [Sheet(str(path), path.stem, table.rows, "text", table.encoding, table.delimiter)]
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if only is not None:
            chosen = [name for name in names if name.strip().lower() == only.strip().lower()]
            if not chosen:
                raise InputFileError(f"{path}: no sheet named '{only}' (sheets: {', '.join(names)})")
            names = chosen
        check_sheet_count(path, len(workbook.sheet_names))
        if kind not in ("xlsx", "xlsm"):  # xlsx and xlsm sheets are bounded by scan_sheets, before they are built
            check_read_extents(path, workbook, names)
        states = sheet_states(workbook)  # before any sheet is built: nothing else may use the workbook then
        with SheetBuilds(workbook) as builds:
            mentioned: set = set()  # the sheets whose XML marks a row hidden or has a filter, found by the one scan
            # each sheet is built in the background as soon as the scan has found it within the limits
            uncached = scan_sheets(path, names, mentioned, builds.start) if kind in ("xlsx", "xlsm") else {}
            hidden = hidden_rows(path, names, mentioned) if kind in ("xlsx", "xlsm") else {}
            return [
                Sheet(str(path), name, builds.rows(name), kind,
                      uncached=frozenset(uncached.get(name, ())), hidden_rows=hidden.get(name, (frozenset(), False))[0],
                      state=states.get(name, "visible"), filtered=hidden.get(name, (frozenset(), False))[1])
                for name in names
            ]
    except InputFileError:
        raise
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        raise InputFileError(f"{path}: cannot be read as a {kind} workbook ({exc}); save it as .xlsx and try again") from None


def cell_indents(sheet: Sheet, column: int) -> list[int] | None:
    """The Excel indent level of one column's cells, row by row; ``None`` where not available."""
    found = cell_indents_of(sheet, [column])
    return None if found is None else found[column]


def cell_indents_of(sheet: Sheet, columns: list[int]) -> dict[int, list[int]] | None:
    """The Excel indent level of the cells of some columns, row by row (``rows[i]`` is source row
    ``i + 1``); ``None`` for formats that keep no cell formatting readable here (only xlsx and
    xlsm do). The sheet's XML is streamed, never loaded whole.
    """
    if sheet.format not in ("xlsx", "xlsm"):
        return None
    found = style_indents(sheet.file, sheet.name, set(columns))
    size = len(sheet.rows)
    out = {column: [0] * size for column in columns}
    for (row, column), indent in found.items():
        if 1 <= row <= size:
            out[column][row - 1] = indent
    return out


def uncached_formula_issues(sheet: Sheet, used_columns: dict[str, int], header_index: int,
                            ledger: RowLedger | None = None) -> list[DataIssue]:
    """An error for every formula without a cached value in a column bomcalc uses, below the header.

    Such a cell reads as blank, so a price or a quantity would silently go missing. Columns
    bomcalc does not use are ignored, and so are rows without a part number (subtotal and note
    rows, skipped by rule) unless the part number itself is the uncached formula. ``used_columns`` maps canonical names to 0-based columns;
    ``header_index`` is the header's 0-based row. The rows are marked rejected in ``ledger``.
    """
    if not sheet.uncached:
        return []
    names = {column: name for name, column in used_columns.items()}
    part_column = used_columns.get("part_id")
    issues = []
    for row, column in sorted(sheet.uncached):
        if row <= header_index + 1 or column not in names:
            continue
        cells = sheet.rows[row - 1] if row <= len(sheet.rows) else []
        if part_column is not None and column != part_column and (row, part_column) not in sheet.uncached:
            if part_column >= len(cells) or is_blank(cells[part_column]):
                continue  # a subtotal or note row without a part: skipped by rule, its formulas do not matter
        if summary_reason({name: cells[c] if c < len(cells) else None for name, c in used_columns.items()}):
            continue  # a total or note row: skipped by rule
        part = cells[part_column] if part_column is not None and part_column < len(cells) else None
        part = None if is_blank(part) or (row, part_column) in sheet.uncached else str(part).strip()
        issues.append(DataIssue(
            ERROR, "uncached_formula",
            f"sheet '{sheet.name}' cell {column_letter(column)}{row} ({names[column]}"
            f"{f' of {part}' if part else ''}) holds a formula with no "
            "saved value, so it reads as blank; open and save the file in Excel (which stores the values), "
            "or export values instead of formulas", sheet.name, row, part, sheet.file))
        if ledger is not None:
            ledger.mark(sheet.file, sheet.name, row, REJECTED, f"formula without a saved value in {names[column]}")
    return issues


def malformed_row_issues(sheet: Sheet, header_index: int, ledger: RowLedger | None = None) -> list[DataIssue]:
    """An error for every row of a text file with more fields than its header.

    An unquoted delimiter inside a value (``Frame, carbon``) splits it in two and shifts every
    later cell into the wrong column, so the row is rejected (marked in ``ledger``) and named,
    even when the last, shifted-out cell is empty. One exception: when most rows end with the
    same empty extra fields (a writer that puts a delimiter after every row), those are fine.
    A row with *fewer* fields than the header is read with the missing trailing cells blank:
    writers often drop trailing empty cells, and a missing value in a column bomcalc needs is
    reported where it is used.
    """
    if sheet.format != "text" or header_index >= len(sheet.rows):
        return []
    width = len(sheet.rows[header_index])
    if isinstance(sheet.rows, ColumnRows) and sheet.rows.width <= width:
        return []  # every row as wide as the header
    if max(map(len, sheet.rows[header_index + 1:]), default=0) <= width:
        return []  # no row is longer than the header
    body = [(index, row) for index, row in enumerate(sheet.rows) if index > header_index and not all(is_blank(c) for c in row)]
    counts = Counter(len(row) for _, row in body)
    usual = min(counts, key=lambda length: (-counts[length], length)) if counts else width
    issues = []
    for index, row in body:
        if len(row) <= width:
            continue
        extra = [cell for cell in row[width:] if not is_blank(cell)]
        if not extra and len(row) == usual:
            continue
        shown = f" (extra: {', '.join(repr(str(c)) for c in extra[:3])})" if extra else ""
        issues.append(DataIssue(
            ERROR, "malformed_row",
            f"row {index + 1} has {len(row)} fields but the header has {width}{shown}: an unquoted "
            f"'{_delimiter_name(sheet.delimiter)}' inside a value or a trailing delimiter puts its cells in the wrong "
            "columns; put that value in double quotes or remove the extra delimiter. The row is not read",
            sheet.name, index + 1, None, sheet.file))
        if ledger is not None:
            ledger.mark(sheet.file, sheet.name, index + 1, REJECTED, f"{len(row)} fields under a {width}-field header")
    return issues


def cell_issues(sheet: Sheet, used_columns: dict[str, int], header_index: int, ledger: RowLedger | None = None) -> list[DataIssue]:
    """Rows a reader must not trust as read: malformed text rows and formulas without saved values."""
    return malformed_row_issues(sheet, header_index, ledger) + uncached_formula_issues(sheet, used_columns, header_index, ledger)


def _delimiter_name(delimiter: str | None) -> str:
    return {"\t": "tab", ",": ",", ";": ";", "|": "|"}.get(delimiter or ",", delimiter or ",")


def check_read_extents(path: str | os.PathLike, workbook, names: list[str]) -> None:
    """Refuse a sheet of a workbook (xls, xlsb, ods) whose grid from A1 to its last cell is over the limits.

    ``workbook`` is an open ``python_calamine.CalamineWorkbook``. An xlsb sheet's records are
    scanned before it is built (:mod:`bomcalc.io.xlsb_scan`); xls (at most 65,536 x 256 cells)
    and ods (refused by the reader over 100 million cells) are bounded as the sheet is built,
    before it is turned into rows. Their file size is bounded by :func:`check_file_size` first.
    """
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            is_xlsb = "xl/workbook.bin" in {member.lower() for member in archive.namelist()}
        if is_xlsb:
            check_xlsb_extents(path, names)
    for name in names:
        end = workbook.get_sheet_by_name(name).end
        if end is not None:
            check_extent(path, name, end[0] + 1, end[1] + 1, f"{column_letter(end[1])}{end[0] + 1}")


def _column_cells(body, i: int) -> list:
    """Column ``i`` of every row of ``body`` as a new list, at C speed (blank past a short row's end)."""
    if isinstance(body, ColumnRows):  # already columns: each one copied once
        return body.column(i, copy=True) if i < body.width else [None] * len(body)
    try:
        return list(map(operator.itemgetter(i), body))
    except IndexError:  # a row short of this column
        return [row[i] if i < len(row) else None for row in body]


def rows_columns(body: list[list], keep: list[int]) -> list[list]:
    """The cells of the columns at ``keep`` of every row of ``body`` (blank past a short row's end),
    a new list for each column."""
    if column_cells.FAST or isinstance(body, ColumnRows):
        return [_column_cells(body, i) for i in keep]
    return [[row[i] if i < len(row) else None for row in body] for i in keep]


def rows_frame(body: list[list], columns: list[str], keep: list[int]) -> pd.DataFrame:
    """The cells of the columns at ``keep`` of every row of ``body`` (blank past a short row's end), as objects."""
    return frames.TableCells(dict(zip(columns, rows_columns(body, keep))), columns, len(body)).build()
