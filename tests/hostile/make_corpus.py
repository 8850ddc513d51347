"""Write the hostile corpus: one file (or folder) per case, each meant to break a reader.

Usage: ``python -m tests.hostile.make_corpus FOLDER`` writes every case into FOLDER; the test
calls :func:`make_corpus`. ``manifest.toml`` beside this file names each case, the command run
on it and the outcome expected. Big cases are written as text directly (or as one repeated
zip member) so that the whole corpus is written in a few seconds.
"""

from __future__ import annotations

import codecs
import random
import struct
import sys
import unicodedata
import zipfile
from pathlib import Path

try:
    from .xlsx_raw import RawSheet, write_xlsb, write_xlsx
except ImportError:  # run as a script
    from xlsx_raw import RawSheet, write_xlsb, write_xlsx

PARTS_HEADER = ["part_id", "description", "origin", "unit_value", "currency", "annex1"]
BOM_HEADER = ["parent", "child", "qty"]

#: A small product: magnet M (Part 2) with Chinese Dy alloy A; M is licence_required (10/2000 = 0.5%).
PARTS = [
    ["P", "Servo", "JP", 500, "USD", ""],
    ["M", "Magnet", "JP", 2000, "USD", "part2"],
    ["A", "Dy alloy", "CN", 10, "USD", "part1"],
    ["S", "Screw", "DE", 1, "USD", ""],
]
LINES = [["P", "M", 1], ["M", "A", 1], ["P", "S", 4]]

CASES: dict = {}


def case(name: str):
    """Register ``function(folder) -> path`` as the writer of case ``name``."""
    def register(function):
        CASES[name] = function
        return function
    return register


def make_corpus(folder: str | Path) -> dict[str, Path]:
    """Write every case into ``folder``; returns case name -> the file or folder to read."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {name: function(folder) for name, function in CASES.items()}


# --- helpers --------------------------------------------------------------------------------


def canonical(parts=PARTS, lines=LINES, **sheet_options) -> list[RawSheet]:
    return [RawSheet("parts", [PARTS_HEADER] + [list(p) for p in parts], **sheet_options.get("parts", {})),
            RawSheet("bom", [BOM_HEADER] + [list(l) for l in lines], **sheet_options.get("bom", {}))]


def xlsx(folder: Path, name: str, sheets: list[RawSheet], **options) -> Path:
    path = folder / name
    write_xlsx(path, sheets, **options)
    return path


def csv_text(rows) -> str:
    out = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if any(ch in text for ch in ',"\n\r'):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def csv_folder(folder: Path, name: str, parts=PARTS, lines=LINES, encoding="utf-8",
               parts_header=PARTS_HEADER, bom_header=BOM_HEADER) -> Path:
    path = folder / name
    path.mkdir()
    (path / "parts.csv").write_bytes(csv_text([parts_header] + list(parts)).encode(encoding))
    (path / "bom.csv").write_bytes(csv_text([bom_header] + list(lines)).encode(encoding))
    return path


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def with_description(description: str, part: str = "M"):
    return [[p[0], description if p[0] == part else p[1], *p[2:]] for p in PARTS]


# --- injection: HTML and terminal -----------------------------------------------------------

XSS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "[x](javascript:alert(3))",
       "![t](https://example.invalid/t.png)", "[d](data:text/html;base64,PHNjcmlwdD4=)"]


@case("xss_descriptions_check")
def _(folder):
    parts = [[p[0], XSS[i % len(XSS)], *p[2:]] for i, p in enumerate(PARTS)]
    return xlsx(folder, "xss_check.xlsx", canonical(parts))


@case("xss_descriptions_html")
def _(folder):
    parts = [[p[0], XSS[i % len(XSS)], *p[2:]] for i, p in enumerate(PARTS)]
    return xlsx(folder, "xss_html.xlsx", canonical(parts))


@case("xss_part_id_csv")
def _(folder):
    evil = "<svg onload=alert(1)>"
    parts = [[evil if p[0] == "S" else p[0], *p[1:]] for p in PARTS]
    lines = [[a, evil if b == "S" else b, q] for a, b, q in LINES]
    return csv_folder(folder, "xss_part_id", parts, lines)


@case("terminal_escape_description")
def _(folder):
    return xlsx(folder, "escape_description.xlsx",
                canonical(with_description("_x001B_[2J_x001B_]0;owned_x0007_ Magnet")))


@case("terminal_escape_error_line")
def _(folder):
    lines = [["P", "M", 1], ["M", "A", 1], ["P", "S", "4_x001B_[2J_x001B_]0;owned_x0007_"]]
    return xlsx(folder, "escape_error.xlsx", canonical(PARTS, lines))


@case("terminal_escape_csv_raw")
def _(folder):
    return csv_folder(folder, "escape_raw_csv", with_description("\x1b[2J\x1b]0;owned\x07 Magnet"))


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


# --- hidden content and look-alikes ---------------------------------------------------------


@case("hidden_row_in_parts")
def _(folder):
    sheets = canonical()
    sheets[0].hidden_rows = frozenset({3})
    return xlsx(folder, "hidden_row.xlsx", sheets)


@case("autofilter_hidden_row")
def _(folder):
    sheets = canonical()
    sheets[1].hidden_rows = frozenset({4})
    sheets[1].autofilter = "A1:C4"
    return xlsx(folder, "autofilter_hidden.xlsx", sheets)


@case("hidden_declarations_sheet")
def _(folder):
    sheets = canonical() + [RawSheet("declarations", [["part_id", "cn_part1_value", "source"],
                                                      ["M", 0, "supplier letter"]], state="hidden")]
    return xlsx(folder, "hidden_declarations.xlsx", sheets)


@case("very_hidden_sheet")
def _(folder):
    sheets = canonical() + [RawSheet("declarations", [["part_id", "cn_part1_value", "source"],
                                                      ["M", 0, "supplier letter"]], state="veryHidden")]
    return xlsx(folder, "very_hidden.xlsx", sheets)


@case("nfc_nfd_part_ids")
def _(folder):
    nfc, nfd = unicodedata.normalize("NFC", "Bürste"), unicodedata.normalize("NFD", "Bürste")
    parts = PARTS + [[nfc, "Brush", "DE", 3, "USD", ""]]
    lines = LINES + [["P", nfd, 2]]
    return xlsx(folder, "nfc_nfd.xlsx", canonical(parts, lines))


@case("zero_width_part_id")
def _(folder):
    lines = [["P", "M\u200b", 1], ["M", "A", 1], ["P", "S", 4]]
    return xlsx(folder, "zero_width.xlsx", canonical(PARTS, lines))


def _look_alike(folder, name, text):
    lines = [["P", "M", 1], ["M", "A", 1], ["P", "S", text]]
    return csv_folder(folder, name, PARTS, lines)


@case("arabic_indic_digits")
def _(folder):
    return _look_alike(folder, "arabic_digits", "١٢٣")


@case("fullwidth_digits")
def _(folder):
    return _look_alike(folder, "fullwidth_digits", "１２")


@case("underscore_number")
def _(folder):
    return _look_alike(folder, "underscore_number", "1_000")


# --- canonical inputs -----------------------------------------------------------------------


@case("canonical_csv_three_decimals")
def _(folder):
    parts = [[p[0], p[1], p[2], f"{v:.3f}", p[4], p[5]] for p, v in
             zip(PARTS, (500.125, 2000.5, 4.168, 1.25))]
    lines = [["P", "M", "1.000"], ["M", "A", "1.000"], ["P", "S", "4.000"]]
    return csv_folder(folder, "canonical_three_decimals", parts, lines)


@case("title_row_above_canonical_parts")
def _(folder):
    sheets = canonical()
    sheets[0].rows.insert(0, ["Servo parts list, revision C"])
    return xlsx(folder, "title_row_parts.xlsx", sheets)


@case("lower_bound_unknown_origin_alloy")
def _(folder):
    parts = [["M", "Magnet", "JP", 2000, "USD", "part2"], ["A", "Alloy", "", 1, "USD", "part1"],
             ["D", "Dy metal", "CN", 10, "USD", "part1"]]
    return csv_folder(folder, "lower_bound", parts, [["M", "A", 1], ["A", "D", 1]])


# --- graph shapes ---------------------------------------------------------------------------


@case("cycle_two_parts")
def _(folder):
    return csv_folder(folder, "cycle", PARTS, LINES + [["A", "M", 1]])


@case("self_loop")
def _(folder):
    return csv_folder(folder, "self_loop", PARTS, LINES + [["S", "S", 1]])


@case("depth_2000")
def _(folder):
    parts = [["L0", "Product", "JP", 100000, "USD", "part2"]]
    parts += [[f"L{n}", f"level {n}", "JP", 1, "USD", ""] for n in range(1, 2000)]
    parts += [["DY", "Dy oxide", "CN", 50, "USD", "part1"]]
    lines = [[f"L{n}", f"L{n + 1}", 1] for n in range(1999)] + [["L1999", "DY", 1]]
    return csv_folder(folder, "depth_2000", parts, lines)


@case("fan_out_100k")
def _(folder):
    path = folder / "fan_out_100k"
    path.mkdir()
    parts = ["part_id,description,origin,unit_value,currency,annex1", "TOP,Assembly,JP,1000000,USD,part2",
             "DY,Dy oxide,CN,50,USD,part1"]
    parts += [f"C{n:06d},component,DE,1,USD," for n in range(99_999)]
    lines = ["parent,child,qty", "TOP,DY,1"] + [f"TOP,C{n:06d},1" for n in range(99_999)]
    (path / "parts.csv").write_text("\n".join(parts) + "\n")
    (path / "bom.csv").write_text("\n".join(lines) + "\n")
    return path


@case("duplicate_part_ids")
def _(folder):
    return csv_folder(folder, "duplicates", PARTS + [["S", "Screw again", "DE", 2, "USD", ""]], LINES)


@case("unknown_child")
def _(folder):
    return csv_folder(folder, "unknown_child", PARTS, LINES + [["P", "GHOST", 1]])


# --- numbers --------------------------------------------------------------------------------


def _bad_value(folder, name, value, column=3):
    parts = [[*p[:column], value, *p[column + 1:]] if p[0] == "S" else p for p in PARTS]
    return csv_folder(folder, name, parts)


@case("nan_unit_value")
def _(folder):
    return _bad_value(folder, "nan_value", "NaN")


@case("inf_unit_value")
def _(folder):
    return _bad_value(folder, "inf_value", "inf")


@case("huge_exponent_unit_value")
def _(folder):
    return _bad_value(folder, "huge_exponent", "1e999999999")


@case("text_quantity")
def _(folder):
    return csv_folder(folder, "text_qty", PARTS, [["P", "M", 1], ["M", "A", 1], ["P", "S", "four"]])


@case("negative_quantity")
def _(folder):
    return csv_folder(folder, "negative_qty", PARTS, [["P", "M", 1], ["M", "A", 1], ["P", "S", -4]])


@case("nan_inf_xlsx_cells")
def _(folder):
    parts = [[*p[:3], "NaN" if p[0] == "S" else p[3], *p[4:]] for p in PARTS]
    return xlsx(folder, "nan_cells.xlsx", canonical(parts, [["P", "M", 1], ["M", "A", 1], ["P", "S", "inf"]]))


@case("date_in_unit_value_xlsx")
def _(folder):
    import datetime as dt
    parts = [[*p[:3], dt.date(2026, 3, 4) if p[0] == "S" else p[3], *p[4:]] for p in PARTS]
    return xlsx(folder, "date_value.xlsx", canonical(parts))


@case("uncached_formula_xlsx")
def _(folder):
    sheets = canonical()
    sheets[1].extra_cells = '<row r="5"><c r="A5" t="inlineStr"><is><t>P</t></is></c>' \
                            '<c r="B5" t="inlineStr"><is><t>A</t></is></c><c r="C5"><f>1+1</f></c></row>'
    return xlsx(folder, "uncached_formula.xlsx", sheets)


# --- encodings ------------------------------------------------------------------------------


@case("cp1252_csv")
def _(folder):
    return csv_folder(folder, "cp1252", with_description("Ölpumpe für Getriebe, 5 € Rabatt"), encoding="cp1252")


@case("utf16_bom_csv")
def _(folder):
    return csv_folder(folder, "utf16", with_description("Магнит 磁铁"), encoding="utf-16")


@case("utf8_bom_csv")
def _(folder):
    path = csv_folder(folder, "utf8_bom", with_description("磁铁 Magnet"))
    for name in ("parts.csv", "bom.csv"):
        (path / name).write_bytes(codecs.BOM_UTF8 + (path / name).read_bytes())
    return path


@case("utf16_sap_tab_named_xls")
def _(folder):
    text = "Level\tComponent\tDescription\tQty\n0\tP\tServo\t1\n.1\tM\tMagnet\t1\n..2\tA\tDy alloy\t1\n"
    return write(folder, "sap_download.xls", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


# --- outputs and packs ----------------------------------------------------------------------


@case("output_over_input_xlsx")
def _(folder):
    return xlsx(folder, "output_over_input.xlsx", canonical())


@case("output_into_csv_folder_input")
def _(folder):
    return csv_folder(folder, "output_into_folder")


@case("pack_manifest_files_null")
def _(folder):
    path = folder / "pack_null_files"
    path.mkdir()
    (path / "manifest.json").write_text('{"format": 1, "files": null}')
    return path


@case("pack_manifest_path_outside")
def _(folder):
    path = folder / "pack_outside"
    path.mkdir()
    (path / "manifest.json").write_text(
        '{"format": 1, "bomcalc_version": "0", "as_of": "2026-11-11", "input": "../../../../etc/passwd", '
        '"files": {"../../../../etc/passwd": "0000", "/etc/hostname": "0000"}, "unknown_key": 1}')
    return path


@case("clean_canonical_xlsx")
def _(folder):
    return xlsx(folder, "clean.xlsx", canonical())


if __name__ == "__main__":  # pragma: no cover
    written = make_corpus(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    print(f"{len(written)} cases written")
