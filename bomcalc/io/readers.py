"""Readers: canonical BOM workbooks and CSV folders into a :class:`~bomcalc.model.Bom` (I/O layer).

The canonical input is an ``.xlsx`` workbook (also ``.xlsm``, ``.xls``, ``.ods``) with sheets
``parts``, ``bom`` and optionally ``declarations``, or a folder holding ``parts.csv``,
``bom.csv`` and optionally ``declarations.csv``. Headers are matched ignoring case, spaces,
dashes and underscores. Cells go to :func:`bomcalc.model.build_bom` as read, with their row
numbers, so every message can name the file, sheet and row.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pandas as pd
import python_calamine

from ..errors import ERROR, BomDataError, DataIssue, InputFileError
from ..model import SCHEMA, Bom, RawTable, build_bom

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TABLES = ("parts", "bom", "declarations")
OPTIONAL_TABLES = {"declarations"}


def header_key(text) -> str:
    """A header cell reduced for matching: lower case, no spaces, dashes, dots or underscores."""
    return re.sub(r"[\s_\-.]+", "", str(text if text is not None else "")).lower()


_CANONICAL = {header_key(name): name for required, optional in SCHEMA.values() for name in required + optional}


def _sheet_rows(path: Path) -> dict[str, list[list]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        raise InputFileError(
            f"{path}: cannot be read as a spreadsheet ({exc}); save it as .xlsx and try again"
        ) from None


def _csv_rows(path: Path) -> list[list]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return [row for row in csv.reader(handle)]
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: is not UTF-8 text; save it as CSV UTF-8 and try again") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None


def table_from_rows(name: str, rows: list[list], file: str, sheet: str, issues: list[DataIssue]) -> RawTable:
    """Turn a sheet's rows (header first) into a :class:`RawTable` with canonical column names.

    Unknown columns are kept under their own header (and ignored later); a header naming the
    same canonical column twice is an error.
    """
    header = rows[0] if rows else []
    columns: list[str] = []
    keep: list[int] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header):
        if cell is None or str(cell).strip() == "":
            continue
        canonical = _CANONICAL.get(header_key(cell), str(cell).strip())
        if canonical in seen:
            issues.append(
                DataIssue(
                    ERROR,
                    "duplicate_column",
                    f"column '{canonical}' appears twice in the header (columns {seen[canonical] + 1} and "
                    f"{position + 1}); keep one",
                    sheet,
                    1,
                    None,
                    file,
                )
            )
            continue
        seen[canonical] = position
        columns.append(canonical)
        keep.append(position)
    body = rows[1:]
    data = [[row[i] if i < len(row) else None for i in keep] for row in body]
    frame = pd.DataFrame(data, columns=columns, dtype=object)
    return RawTable(name, frame, tuple(range(2, len(body) + 2)), file=file, sheet=sheet)


def _find(names, wanted: str):
    for name in names:
        if header_key(name) == header_key(wanted):
            return name
    return None


def read_workbook(path: str | os.PathLike) -> Bom:
    """Read a canonical BOM workbook or CSV folder and validate it.

    Raises :class:`~bomcalc.errors.InputFileError` when the file cannot be read and
    :class:`~bomcalc.errors.BomDataError` carrying every data problem found.
    """
    path = Path(path)
    issues: list[DataIssue] = []
    tables: dict[str, RawTable] = {}
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    if path.is_dir():
        files = {p.name: p for p in path.iterdir() if p.suffix.lower() == ".csv"}
        for table in TABLES:
            found = _find(files, f"{table}.csv")
            if found is None:
                if table not in OPTIONAL_TABLES:
                    issues.append(
                        DataIssue(ERROR, "missing_sheet", f"no {table}.csv in the folder; add it", None, None, None, str(path))
                    )
                continue
            tables[table] = table_from_rows(table, _csv_rows(files[found]), str(files[found]), table, issues)
        read_files = tuple(str(files[name]) for name in files)
    elif path.suffix.lower() in SPREADSHEET_SUFFIXES:
        sheets = _sheet_rows(path)
        for table in TABLES:
            found = _find(sheets, table)
            if found is None:
                if table not in OPTIONAL_TABLES:
                    issues.append(
                        DataIssue(
                            ERROR,
                            "missing_sheet",
                            f"no sheet named '{table}' (sheets found: {', '.join(sheets) or 'none'}); "
                            f"add it or rename the sheet that holds it",
                            table,
                            None,
                            None,
                            str(path),
                        )
                    )
                continue
            tables[table] = table_from_rows(table, sheets[found], str(path), found, issues)
        read_files = (str(path),)
    else:
        raise InputFileError(
            f"{path}: unsupported file type '{path.suffix}'; give an .xlsx workbook or a folder with parts.csv and bom.csv"
        )
    if issues:
        raise BomDataError(issues, str(path))
    return build_bom(
        tables["parts"], tables["bom"], tables.get("declarations"), source=str(path), files=read_files
    )
