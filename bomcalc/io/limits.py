"""How much bomcalc reads, and the checks that keep a hostile file from exhausting memory (I/O layer).

A spreadsheet reader builds each sheet as a dense grid from cell A1 to the last cell, so one
stray cell at ``XFD1048576`` asks for 17 billion cells, and a 5 KB zip member can unpack to
gigabytes. Every input is therefore checked against the limits below *before* it is read, from
what is cheap to learn: the file's size, the zip directory, the sheet's XML streamed once. A
file over a limit is refused with :class:`~bomcalc.core.errors.InputFileError`, naming the file, the
sheet and the cell, and saying how to fix it. Real BOMs are far inside every limit.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from ..core.errors import InputFileError

#: Largest input file on disk [bytes]: any workbook (xlsx, xlsm, xlsb, xls, ods).
MAX_WORKBOOK_BYTES = 256 * 1024 * 1024
#: Largest delimited-text input file on disk [bytes] (CSV, tab-separated, SAP's text download).
MAX_TEXT_BYTES = 64 * 1024 * 1024
#: Most rows of one sheet or text file (counting from row 1, blank rows included).
MAX_ROWS = 2_000_000
#: Most columns of one sheet or text file (counting from column A).
MAX_COLUMNS = 1_000
#: Most cells of one sheet's grid, rows x columns from A1 to the last cell.
MAX_CELLS = 20_000_000
#: Most sheets in one workbook.
MAX_SHEETS = 1_000
#: Longest single cell of a text file [characters]; Excel's own limit is 32,767.
MAX_CELL_CHARS = 16 * 1024 * 1024
#: Largest member of a zip-based workbook once unpacked [bytes], as its zip directory says.
MAX_MEMBER_BYTES = 1024 * 1024 * 1024
#: Largest zip-based workbook once unpacked, all members together [bytes].
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
#: Highest compression ratio (unpacked / packed) of a member bigger than :data:`RATIO_FLOOR_BYTES`.
#: Sheet XML packs 5 to 30 times; a zip bomb 1,000 times.
MAX_COMPRESSION_RATIO = 200
#: Members smaller than this once unpacked are never too compressed [bytes].
RATIO_FLOOR_BYTES = 4 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_PROLOGUE_BYTES = 64 * 1024

_FIX_SIZE = "save a copy that holds only the BOM data and give that file"


def check_file_size(path: str | os.PathLike, kind: str) -> None:
    """Refuse an input file bigger than :data:`MAX_TEXT_BYTES` (text) or :data:`MAX_WORKBOOK_BYTES`."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    limit = MAX_TEXT_BYTES if kind == "text" else MAX_WORKBOOK_BYTES
    if size > limit:
        raise InputFileError(
            f"{path}: is {_size(size)}, more than bomcalc reads in one {'text file' if kind == 'text' else 'workbook'} "
            f"({_size(limit)}); {_FIX_SIZE}"
        )


def check_zip_directory(path: str | os.PathLike) -> None:
    """Refuse a zip-based workbook whose directory promises a zip bomb, before anything is unpacked.

    Each member's unpacked size must be at most :data:`MAX_MEMBER_BYTES`, all together at most
    :data:`MAX_UNPACKED_BYTES`, and a member over :data:`RATIO_FLOOR_BYTES` may be at most
    :data:`MAX_COMPRESSION_RATIO` times its packed size. A directory that understates a size is
    caught when the member is streamed (its checksum then fails).
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise InputFileError(f"{path}: is a damaged zip archive ({exc}); save the workbook again") from None
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (
                member.file_size > RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO):
            raise InputFileError(
                f"{path}: member '{member.filename}' unpacks from {_size(member.compress_size)} to "
                f"{_size(member.file_size)} (ratio {ratio:,.0f} to 1), which no spreadsheet program writes "
                f"(a 'zip bomb'; limits: {_size(MAX_MEMBER_BYTES)} a member, ratio {MAX_COMPRESSION_RATIO} to 1); "
                "open the file in Excel and save a copy as .xlsx"
            )
    if total > MAX_UNPACKED_BYTES:
        raise InputFileError(
            f"{path}: unpacks to {_size(total)}, more than bomcalc reads ({_size(MAX_UNPACKED_BYTES)}); {_FIX_SIZE}"
        )
    _refuse_document_types(path, members)


def _refuse_document_types(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse an XML part whose prologue declares a document type (entities: an "XML bomb").

    A declaration must come before the first element, so the first bytes of each part tell.
    Sheets are searched whole as they are streamed (:func:`bomcalc.io.xlsx_scan.sheet_extent`).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                if not member.filename.lower().endswith((".xml", ".rels")):
                    continue
                with archive.open(member) as handle:
                    head = handle.read(_PROLOGUE_BYTES)
                if _DOCTYPE.search(head):
                    raise InputFileError(
                        f"{path}: part '{member.filename}' holds an XML document type declaration (<!DOCTYPE or "
                        "<!ENTITY>), which spreadsheet programs never write and which can expand to gigabytes "
                        "(an 'XML bomb'); open the file in Excel and save a copy as .xlsx")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise InputFileError(f"{path}: is a damaged zip archive ({exc}); save the workbook again") from None


def column_letter(column: int) -> str:
    """``0`` -> ``"A"``, ``27`` -> ``"AB"``: a 0-based column as Excel names it."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def check_sheet_count(path: str | os.PathLike, count: int) -> None:
    """Refuse a workbook with more than :data:`MAX_SHEETS` sheets."""
    if count > MAX_SHEETS:
        raise InputFileError(
            f"{path}: has {count:,} sheets, more than bomcalc reads ({MAX_SHEETS:,}); {_FIX_SIZE}"
        )


def within_limits(rows: int, columns: int) -> bool:
    """Whether a grid of ``rows`` x ``columns`` from A1 is inside :data:`MAX_ROWS`, :data:`MAX_COLUMNS`, :data:`MAX_CELLS`."""
    return rows <= MAX_ROWS and columns <= MAX_COLUMNS and rows * columns <= MAX_CELLS


def check_extent(path, sheet: str, rows: int, columns: int, cell: str | None = None, declared: bool = False) -> None:
    """Refuse a sheet whose grid from A1 to its last cell is over :data:`MAX_ROWS`, :data:`MAX_COLUMNS`
    or :data:`MAX_CELLS`.

    ``rows`` and ``columns`` count from row 1 and column A; ``cell`` names the farthest cell
    (``"XFD1048576"``) when known; ``declared`` says the extent is the sheet's own
    ``<dimension>`` claim rather than a cell found in it.
    """
    if within_limits(rows, columns):
        return
    what = f"declares cells up to {cell}" if declared else (f"has a cell at {cell}" if cell else "reaches")
    raise InputFileError(
        f"{path}: sheet '{sheet}' {what} ({columns:,} columns x {rows:,} rows), more than bomcalc reads "
        f"(at most {MAX_COLUMNS:,} columns, {MAX_ROWS:,} rows and {MAX_CELLS:,} cells from A1 to the last cell); "
        f"a stray value or format far from the data does this: delete the rows and columns after the data "
        f"(select them, Delete, save), or save a copy that holds only the BOM data"
    )


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count:,} bytes"
