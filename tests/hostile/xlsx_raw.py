"""A minimal xlsx writer that writes exactly the XML it is told (for hostile test files).

openpyxl refuses or normalises much of what a hostile file holds (cells far away, document
type declarations, hidden states, literal ``_x001B_`` escapes); this writes the parts by hand.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_EPOCH = dt.date(1899, 12, 30)


@dataclass
class RawSheet:
    """One sheet: ``rows`` of values (str, int, float, Decimal-like text, dates, None)."""

    name: str
    rows: list[list] = field(default_factory=list)
    state: str | None = None            # "hidden" or "veryHidden"
    hidden_rows: frozenset[int] = frozenset()   # 1-based row numbers
    dimension: str | None = None        # the <dimension ref> to declare, e.g. "A1:XFD1048576"
    extra_cells: str = ""               # raw XML rows appended inside <sheetData>
    prologue: str = ""                  # raw text before the root element (a DOCTYPE)
    autofilter: str | None = None       # an <autoFilter ref>


def column_letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{reference}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(sheet: RawSheet) -> str:
    rows = []
    for index, row in enumerate(sheet.rows, start=1):
        hidden = ' hidden="1"' if index in sheet.hidden_rows else ""
        cells = "".join(_cell(f"{column_letter(col)}{index}", value) for col, value in enumerate(row))
        rows.append(f'<row r="{index}"{hidden}>{cells}</row>')
    dimension = f'<dimension ref="{sheet.dimension}"/>' if sheet.dimension else ""
    autofilter = f'<autoFilter ref="{sheet.autofilter}"/>' if sheet.autofilter else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{sheet.prologue}'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">{dimension}<sheetData>{"".join(rows)}'
            f'{sheet.extra_cells}</sheetData>{autofilter}</worksheet>')


def write_xlsx(path, sheets: list[RawSheet], shared_strings: str | None = None,
               replace: dict[str, bytes] | None = None, compress_level: int = 6) -> None:
    """Write ``sheets`` as an xlsx workbook; ``replace`` swaps in raw bytes for named members."""
    replace = dict(replace or {})
    book_sheets = "".join(
        f'<sheet name="{escape(sheet.name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"'
        f'{f" state={chr(34)}{sheet.state}{chr(34)}" if sheet.state else ""}/>'
        for n, sheet in enumerate(sheets, start=1))
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1))
    count = len(sheets)
    strings_rel = (f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   if shared_strings is not None or "xl/sharedStrings.xml" in replace else "")
    strings_override = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>') if strings_rel else ""
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f'{overrides}{strings_override}</Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{book_sheets}</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{rels}<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>{strings_rel}'
            '</Relationships>'),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet xmlns="{_MAIN}"><numFmts count="0"/><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
            '</styleSheet>'),
    }
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = shared_strings
    for n, sheet in enumerate(sheets, start=1):
        members[f"xl/worksheets/sheet{n}.xml"] = sheet_xml(sheet)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compress_level) as archive:
        for name, text in members.items():
            data = replace.pop(name, None)
            archive.writestr(name, data if data is not None else text.encode("utf-8"))
        for name, data in replace.items():
            archive.writestr(name, data)


# --- xlsb: binary records ---------------------------------------------------------------------


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _record(kind: int, data: bytes = b"") -> bytes:
    return _varint(kind) + _varint(len(data)) + data


def _wide(text: str) -> bytes:
    return len(text).to_bytes(4, "little") + text.encode("utf-16-le")


def _xlsb_sheet(rows: list[list], far_cell: tuple[int, int] | None) -> bytes:
    body = bytearray(_record(0x81) + _record(0x94, bytes(16)) + _record(0x91))
    cells = [(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None]
    if far_cell is not None:
        cells.append((far_cell[0], far_cell[1], 1.0))
    current = None
    for row, column, value in cells:
        if row != current:
            body += _record(0x00, row.to_bytes(4, "little") + bytes(21))
            current = row
        head = column.to_bytes(4, "little") + bytes(4)
        if isinstance(value, str):
            body += _record(0x06, head + _wide(value))
        else:
            body += _record(0x05, head + struct.pack("<d", float(value)))
    return bytes(body + _record(0x92) + _record(0x82))


def write_xlsb(path, sheets: dict[str, list[list]], far_cell: tuple[int, int] | None = None) -> None:
    """Write ``{sheet name: rows}`` as an xlsb workbook; ``far_cell`` (0-based row, column) adds a
    value there to the first sheet."""
    book = _record(0x83) + _record(0x8F)
    book += b"".join(_record(0x9C, (0).to_bytes(4, "little") + n.to_bytes(4, "little") + _wide(f"rId{n}") + _wide(name))
                     for n, name in enumerate(sheets, start=1))
    book += _record(0x90) + _record(0x84)
    kind = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             f'relationships+xml"/><Default Extension="bin" ContentType="{kind}"/>'
             f'<Override PartName="/xl/workbook.bin" ContentType="{kind}"/></Types>')
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    top = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}"><Relationship Id="rId1" '
           f'Type="{_REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    book_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
                 + "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.bin"/>'
                           for n in range(1, len(sheets) + 1)) + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", top)
        archive.writestr("xl/workbook.bin", book)
        archive.writestr("xl/_rels/workbook.bin.rels", book_rels)
        for n, rows in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.bin", _xlsb_sheet(rows, far_cell if n == 1 else None))
