"""Hostile corpus cases: sheets and containers that would exhaust a reader, disguised and truncated files."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

from .corpus_base import BOM_HEADER, LINES, PARTS, PARTS_HEADER, canonical, case, csv_folder, csv_text, write, with_description, xlsx
from .xlsx_raw import RawSheet, write_xlsb, write_xlsx


# --- bounded reading ------------------------------------------------------------------------


@case("far_cell_xfd1048576")
def _(folder):
    sheets = canonical()
    sheets[0].extra_cells = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    sheets[0].dimension = "A1:XFD1048576"
    return xlsx(folder, "far_cell.xlsx", sheets)


@case("far_cell_alone")
def _(folder):
    sheet = RawSheet("BOM", extra_cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                     dimension="XFD1048576")
    return xlsx(folder, "far_cell_alone.xlsx", [sheet])


@case("declared_dimension_only")
def _(folder):
    sheets = canonical()
    sheets[0].dimension = "A1:XFD1048576"
    return xlsx(folder, "declared_dimension.xlsx", sheets)


@case("formatted_far_empty_cell")
def _(folder):
    sheets = canonical()
    sheets[1].extra_cells = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    return xlsx(folder, "formatted_far_empty.xlsx", sheets)


@case("columns_1001_xlsx")
def _(folder):
    sheets = canonical()
    sheets[0].extra_cells = '<row r="9"><c r="ALM9"><v>1</v></c></row>'
    return xlsx(folder, "columns_1001.xlsx", sheets)


@case("rows_2000001_xlsx")
def _(folder):
    sheets = canonical()
    sheets[1].extra_cells = '<row r="2000001"><c r="A2000001"><v>1</v></c></row>'
    return xlsx(folder, "rows_2000001.xlsx", sheets)


@case("cells_without_references")
def _(folder):
    sheets = canonical()
    sheets[1].extra_cells = "<row>" + "<c><v>1</v></c>" * 1200 + "</row>"
    return xlsx(folder, "cells_without_refs.xlsx", sheets)


@case("sheets_1000")
def _(folder):
    sheets = canonical() + [RawSheet(f"notes {n}", [["note"], [f"page {n}"]]) for n in range(998)]
    return xlsx(folder, "sheets_1000.xlsx", sheets)


@case("sheets_1001")
def _(folder):
    sheets = canonical() + [RawSheet(f"notes {n}", [["note"]]) for n in range(999)]
    return xlsx(folder, "sheets_1001.xlsx", sheets)


@case("columns_10000_csv")
def _(folder):
    header = ["part_id", "parent", "qty"] + [f"extra{n}" for n in range(9997)]
    row = ["A", "", "1"] + [""] * 9997
    return write(folder, "columns_10000.csv", csv_text([header, row]))


@case("columns_10000_canonical_csv")
def _(folder):
    path = csv_folder(folder, "columns_10000_canonical")
    (path / "bom.csv").write_text(csv_text([BOM_HEADER + [f"x{n}" for n in range(10000)]] + LINES))
    return path


@case("rows_2000001_csv")
def _(folder):
    return write(folder, "rows_2000001.csv", "part_id,qty\n" + "A,1\n" * 2_000_001)


@case("single_line_100mb")
def _(folder):
    path = folder / "line_100mb.csv"
    with open(path, "wb") as handle:
        handle.write(b"part_id,description\nA,")
        block = b"x" * (1 << 20)
        for _ in range(100):
            handle.write(block)
        handle.write(b"\n")
    return path


@case("cell_1mb_csv")
def _(folder):
    return csv_folder(folder, "cell_1mb", with_description("Magnet " + "n" * (1 << 20)))


@case("cell_1mb_xlsx")
def _(folder):
    return xlsx(folder, "cell_1mb.xlsx", canonical(with_description("Magnet " + "n" * (1 << 20))))


def _ods(folder: Path, name: str, rows_xml: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="BOM"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>part_id</text:p></table:table-cell></table:table-row>'
        f'{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>')
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>'))
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


_ODS_VALUE = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


@case("ods_far_cell")
def _(folder):
    return _ods(folder, "far_cell.ods", '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/>'
                f'</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
                f'{_ODS_VALUE}</table:table-row>')


@case("ods_column_1001")
def _(folder):
    return _ods(folder, "column_1001.ods", '<table:table-row><table:table-cell table:number-columns-repeated="1000"/>'
                f'{_ODS_VALUE}</table:table-row>')


def _xlsb(folder: Path, name: str, far_cell=None) -> Path:
    path = folder / name
    write_xlsb(path, {"parts": [PARTS_HEADER] + [list(p) for p in PARTS], "bom": [BOM_HEADER] + [list(l) for l in LINES]},
               far_cell)
    return path


@case("xlsb_canonical")
def _(folder):
    return _xlsb(folder, "canonical.xlsb")


@case("xlsb_far_cell")
def _(folder):
    return _xlsb(folder, "far_cell.xlsb", (1048575, 16383))


@case("zip_bomb_sheet")
def _(folder):
    sheets = canonical()
    bomb = sheets[1]
    from .xlsx_raw import sheet_xml
    body = sheet_xml(bomb).replace("</sheetData>", "</sheetData>" + " " * (64 << 20), 1)
    return xlsx(folder, "zip_bomb_sheet.xlsx", sheets, replace={"xl/worksheets/sheet2.xml": body.encode()},
                compress_level=1)


@case("zip_bomb_shared_strings")
def _(folder):
    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>' + "A" * (64 << 20) + "</t></si></sst>")
    return xlsx(folder, "zip_bomb_strings.xlsx", canonical(), shared_strings=strings, compress_level=1)


@case("zip_bomb_extra_member")
def _(folder):
    return xlsx(folder, "zip_bomb_member.xlsx", canonical(), replace={"xl/media/padding.bin": b"\0" * (64 << 20)},
                compress_level=1)


@case("zip_directory_understates_size")
def _(folder):
    """A sheet whose zip entries claim 200 bytes though it unpacks to far more."""
    path = folder / "zip_lies.xlsx"
    sheets = canonical(parts=PARTS * 1 + [[f"X{n}", "filler", "DE", 1, "USD", ""] for n in range(3000)])
    write_xlsx(path, sheets)
    data = bytearray(path.read_bytes())
    target = b"xl/worksheets/sheet1.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[start + name_offset:start + name_offset + name_length]) == target:
                struct.pack_into("<I", data, start + size_offset, 200)
            start += 4
    path.write_bytes(bytes(data))
    return path


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">'
          + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
          + "]>")


@case("xml_bomb_sheet")
def _(folder):
    sheets = canonical()
    sheets[0].prologue = LAUGHS
    sheets[0].rows[1][1] = "&lol9;"
    from .xlsx_raw import sheet_xml
    body = sheet_xml(sheets[0]).replace("&amp;lol9;", "&lol9;")
    return xlsx(folder, "xml_bomb_sheet.xlsx", sheets, replace={"xl/worksheets/sheet1.xml": body.encode()})


@case("xml_bomb_shared_strings")
def _(folder):
    strings = ('<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS.replace("lolz", "sst")
               + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
               '<si><t>&lol9;</t></si></sst>')
    return xlsx(folder, "xml_bomb_strings.xlsx", canonical(), shared_strings=strings)


@case("xml_bomb_workbook")
def _(folder):
    from .xlsx_raw import _MAIN, _REL
    book = ('<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS.replace("lolz", "workbook")
            + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="parts&lol9;" sheetId="1" r:id="rId1"/>'
            '<sheet name="bom" sheetId="2" r:id="rId2"/></sheets></workbook>')
    return xlsx(folder, "xml_bomb_workbook.xlsx", canonical(), replace={"xl/workbook.xml": book.encode()})


@case("xml_external_entity")
def _(folder):
    sheets = canonical()
    sheets[0].prologue = '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    from .xlsx_raw import sheet_xml
    body = sheet_xml(sheets[0]).replace("Magnet", "&xxe;")
    return xlsx(folder, "xml_xxe.xlsx", sheets, replace={"xl/worksheets/sheet1.xml": body.encode()})


# --- truncated and disguised ----------------------------------------------------------------


@case("truncated_xlsx")
def _(folder):
    path = xlsx(folder, "truncated_full.xlsx", canonical())
    data = path.read_bytes()
    path.unlink()
    return write(folder, "truncated.xlsx", data[: len(data) // 2])


@case("empty_file")
def _(folder):
    return write(folder, "empty.xlsx", b"")


@case("pdf_named_xlsx")
def _(folder):
    return write(folder, "report.xlsx", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")


@case("zip_without_workbook")
def _(folder):
    path = folder / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "no workbook here")
        archive.writestr("data/bom.csv", csv_text([BOM_HEADER] + LINES))
    return path


@case("word_document_named_xlsx")
def _(folder):
    path = folder / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


@case("png_named_csv")
def _(folder):
    return write(folder, "image.csv", b"\x89PNG\r\n\x1a\n" + bytes(64))


@case("html_named_xls")
def _(folder):
    return write(folder, "page.xls", "<html><body><table><tr><td>part_id</td></tr></table></body></html>")


@case("random_binary")
def _(folder):
    return write(folder, "noise.xlsx", b"\x01\x02" + random.Random(9).randbytes(4096))


@case("ole2_without_workbook")
def _(folder):
    return write(folder, "compound.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))


@case("unclosed_quote_csv")
def _(folder):
    return write(folder, "unclosed_quote.csv", 'part_id,description,qty\nA,"Magnet,1\nB,Screw,2\n')
