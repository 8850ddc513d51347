"""Any supported file as a list of sheets of raw rows (I/O layer).

The format is decided from the file's first bytes (:func:`bomcalc.io.sniff.detect_format`),
never from its name: SAP's "Spreadsheet" download is tab-separated UTF-16 text named ``.xls``.
Spreadsheets (xlsx, xlsm, xlsb, xls, ods) are read with python-calamine; delimited text with
:func:`bomcalc.io.sniff.read_text_table`. Every sheet keeps every physical row, so
``rows[i]`` is the source row ``i + 1``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from ..errors import InputFileError
from .sniff import detect_format, read_text_table

@dataclass(frozen=True)
class Sheet:
    """One sheet (or a text file) as read: ``rows[i]`` is source row ``i + 1``."""

    file: str
    name: str
    rows: list[list]
    format: str
    encoding: str | None = None
    delimiter: str | None = None


def read_sheets(path: str | os.PathLike, only: str | None = None) -> list[Sheet]:
    """Every sheet of a workbook, or the one table of a text file.

    ``only`` names one sheet (matched ignoring case); an unknown name is an error listing the
    sheets there are.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder; give a file")
    kind = detect_format(path)
    if kind == "text":
        table = read_text_table(path)
        return [Sheet(str(path), path.stem, table.rows, "text", table.encoding, table.delimiter)]
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if only is not None:
            chosen = [name for name in names if name.strip().lower() == only.strip().lower()]
            if not chosen:
                raise InputFileError(f"{path}: no sheet named '{only}' (sheets: {', '.join(names)})")
            names = chosen
        return [
            Sheet(str(path), name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False), kind)
            for name in names
        ]
    except InputFileError:
        raise
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        raise InputFileError(f"{path}: cannot be read as a {kind} workbook ({exc}); save it as .xlsx and try again") from None


def cell_indents(sheet: Sheet, column: int) -> list[int] | None:
    """The Excel indent level of one column's cells, row by row; ``None`` where not available.

    Only xlsx and xlsm keep cell formatting that can be read here (with openpyxl).
    """
    if sheet.format not in ("xlsx", "xlsm"):
        return None
    import openpyxl

    workbook = openpyxl.load_workbook(sheet.file, read_only=False, data_only=True)
    try:
        worksheet = workbook[sheet.name]
        indents = []
        for row in worksheet.iter_rows(min_row=1, max_row=len(sheet.rows), min_col=column + 1, max_col=column + 1):
            cell = row[0]
            indents.append(int(cell.alignment.indent or 0) if cell.alignment is not None else 0)
        return indents + [0] * (len(sheet.rows) - len(indents))
    finally:
        workbook.close()
