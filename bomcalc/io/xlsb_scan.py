"""The extent of each sheet of an xlsb workbook, read from its binary records before any reader builds it (I/O layer).

An xlsb sheet is a stream of records (a variable-length type and size, then the data). A row
header (``BrtRowHdr``, type 0) starts each row with its 0-based row number; a cell record
(types 1 to 11 and 62) starts with its 0-based column. A cell far from A1 makes a reader build
a grid of billions of cells, so :func:`check_xlsb_extents` refuses such a sheet, naming it and
the cell, by :func:`bomcalc.io.limits.check_extent`.
"""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree.ElementTree import ParseError, iterparse

from ..core.errors import InputFileError
from .limits import check_extent, column_letter, within_limits

_ROW_HEADER = 0x0000
_CELL_TYPES = frozenset(range(0x0001, 0x000C)) | {0x003E}
_SHEET = 0x009C  # BrtBundleSh: a sheet of the workbook


def check_xlsb_extents(path, names: list[str]) -> None:
    """Refuse any named sheet of the xlsb workbook at ``path`` that reaches beyond the reading limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _sheet_members(archive)
            for name in names:
                member = members.get(name)
                if member is not None:
                    _check_sheet(path, name, archive.read(member))
    except (KeyError, zipfile.BadZipFile, ParseError, OSError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot be read as an xlsb workbook ({exc}); save it as .xlsx and try again") from None


def _records(data: bytes):
    """``(type, start, end)`` of every record of a binary part."""
    position, size = 0, len(data)
    while position < size:
        kind = shift = 0
        for _ in range(2):
            byte = data[position]
            position += 1
            kind |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        length = shift = 0
        for _ in range(4):
            if position >= size:
                return
            byte = data[position]
            position += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield kind, position, min(position + length, size)
        position += length


def _check_sheet(path, name: str, data: bytes) -> None:
    row = 0
    last_row = last_column = 0
    for kind, start, end in _records(data):
        if kind == _ROW_HEADER and end - start >= 4:
            row = int.from_bytes(data[start:start + 4], "little") + 1
        elif kind in _CELL_TYPES and end - start >= 4:
            column = int.from_bytes(data[start:start + 4], "little") + 1
            if row > last_row or column > last_column:
                last_row, last_column = max(row, last_row), max(column, last_column)
                if not within_limits(last_row, last_column):
                    check_extent(path, name, last_row, last_column, f"{column_letter(column - 1)}{row}")


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its records."""
    targets = {}
    with archive.open("xl/_rels/workbook.bin.rels") as handle:
        for _, element in iterparse(handle):
            if element.tag.rsplit("}", 1)[-1] == "Relationship":
                target = element.get("Target", "")
                targets[element.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
    members = {}
    data = archive.read("xl/workbook.bin")
    for kind, start, end in _records(data):
        if kind != _SHEET or end - start < 12:
            continue
        position = start + 8
        relation, position = _wide_string(data, position, end)
        sheet, position = _wide_string(data, position, end)
        if relation in targets and sheet is not None:
            members[sheet] = targets[relation]
    return members


def _wide_string(data: bytes, position: int, end: int) -> tuple[str | None, int]:
    if position + 4 > end:
        return None, end
    count = int.from_bytes(data[position:position + 4], "little")
    position += 4
    if count == 0xFFFFFFFF:
        return None, position
    text = data[position:min(position + 2 * count, end)].decode("utf-16-le", "replace")
    return text, position + 2 * count


