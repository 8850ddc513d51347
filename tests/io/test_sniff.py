"""Format detection from first bytes, and delimited text read with its encoding and delimiter."""

from __future__ import annotations

import codecs
import io
import zipfile

import openpyxl
import pytest

from bomcalc.core.errors import InputFileError
from bomcalc.io.sniff import TextTable, detect_format, read_text_table

SAP_ROWS = [
    ["Explode BOM: Multi-Level BOM"],
    ["Material MTR-2000 Brushless DC motor"],
    [],
    ["Explosion level", "Component number", "Object description", "Comp. Qty (BUn)", "Un"],
    [".1", "ROT-2000", "Rotor assembly, 8 poles", "2", "PC"],
    ["..2", "DY-MET", "Dysprosium metal", "0,0024", "KG"],
    ["..2", "CREDIT", "Scrap credit", "155,22-", "KG"],
]


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def tab_text(rows) -> str:
    return "".join("\t".join(row) + "\r\n" for row in rows)


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = "parts"
    workbook.active.append(["part_id", "unit_value"])
    workbook.active.append(["DY", 340])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, add: dict | None = None, replace: dict | None = None) -> bytes:
    """A copy of a zip archive with members added and byte strings replaced in every member."""
    add, replace = add or {}, replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            for old, new in replace.items():
                content = content.replace(old, new)
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


ODS_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""

ODS_CONTENT = b"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="parts"><table:table-row>
<table:table-cell office:value-type="string"><text:p>part_id</text:p></table:table-cell>
</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"""


def ods_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.spreadsheet") -> bytes:
    members = {"mimetype": mimetype, "META-INF/manifest.xml": ODS_MANIFEST, "content.xml": ODS_CONTENT}
    return zip_bytes(members)


def compound_file(*streams: str) -> bytes:
    """An OLE2 compound file: the header sector, then a directory sector naming ``streams``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\x00")
    entries = [("Root Entry", 5)] + [(stream, 2) for stream in streams]
    directory = b""
    for name, kind in entries:
        encoded = (name + "\x00").encode("utf-16-le")
        name_field = encoded.ljust(64, b"\x00") + len(encoded).to_bytes(2, "little")
        directory += name_field + bytes([kind]) + bytes(61)
    return header + directory.ljust(512, b"\x00")


# --- detect_format --------------------------------------------------------------------------

FORMAT_CASES = [
    ("an xlsx written by openpyxl is xlsx", "bom.xlsx", lambda: xlsx_bytes(), "xlsx"),
    ("an xlsx named .xls is still xlsx", "bom.xls", lambda: xlsx_bytes(), "xlsx"),
    (
        "a workbook with a VBA project is xlsm",
        "bom.xlsx",
        lambda: rezip(xlsx_bytes(), add={"xl/vbaProject.bin": b"\x00"}),
        "xlsm",
    ),
    (
        "a macro-enabled content type is xlsm",
        "bom.xlsm",
        lambda: rezip(
            xlsx_bytes(),
            replace={b"spreadsheetml.sheet.main+xml": b"ms-excel.sheet.macroEnabled.main+xml"},
        ),
        "xlsm",
    ),
    ("a binary workbook is xlsb", "bom.xlsb", lambda: zip_bytes({"xl/workbook.bin": b"\x00"}), "xlsb"),
    ("an OpenDocument spreadsheet is ods", "bom.ods", lambda: ods_bytes(), "ods"),
    ("a compound file with a Workbook stream is xls", "bom.xls", lambda: compound_file("Workbook"), "xls"),
    ("a Excel 5 compound file with a Book stream is xls", "bom.xls", lambda: compound_file("Book"), "xls"),
    (
        "SAP's UTF-16 tab text named .xls is text",
        "export.xls",
        lambda: codecs.BOM_UTF16_LE + tab_text(SAP_ROWS).encode("utf-16-le"),
        "text",
    ),
    ("a CSV is text", "bom.csv", lambda: b"part_id,qty\nA,1\n", "text"),
    ("text named .xlsx is text", "bom.xlsx", lambda: b"part_id;qty\nA;1\n", "text"),
]


@pytest.mark.parametrize(
    "name, make, expected", [case[1:] for case in FORMAT_CASES], ids=[case[0] for case in FORMAT_CASES]
)
def test_detect_format(tmp_path, name, make, expected):
    assert detect_format(write(tmp_path, name, make())) == expected


REFUSED_CASES = [
    ("an empty file is refused", "bom.xlsx", lambda: b"", "empty"),
    ("a file of white space is refused", "bom.csv", lambda: b" \r\n\t\r\n", "white space"),
    ("a PDF is refused", "bom.xls", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    ("a PNG image is refused", "bom.xlsx", lambda: b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    ("binary data is refused", "bom.csv", lambda: bytes(range(256)) * 4, "binary"),
    ("a Word document is refused", "bom.xlsx", lambda: zip_bytes({"word/document.xml": b"<w/>"}), "Word"),
    ("a zip without a workbook is refused", "b.zip", lambda: zip_bytes({"a.csv": b"a,b"}), "no workbook"),
    ("a damaged zip is refused", "bom.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    (
        "an OpenDocument text file is refused",
        "bom.ods",
        lambda: ods_bytes(b"application/vnd.oasis.opendocument.text"),
        "OpenDocument text",
    ),
    (
        "a password-protected workbook is refused",
        "bom.xlsx",
        lambda: compound_file("EncryptionInfo", "EncryptedPackage"),
        "password-protected",
    ),
    ("a Word 97 document named .xls is refused", "bom.xls", lambda: compound_file("WordDocument"), "Word"),
    ("a compound file without a workbook is refused", "b.xls", lambda: compound_file("Other"), "no workbook"),
    (
        "an HTML page named .xls is refused",
        "bom.xls",
        lambda: b"<html xmlns:o='urn:schemas-microsoft-com:office:office'><table><tr><td>1</td></tr></table>",
        "HTML",
    ),
    (
        "an Excel 2003 XML spreadsheet is refused",
        "bom.xls",
        lambda: b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
        "Excel 2003 XML",
    ),
]


@pytest.mark.parametrize(
    "name, make, fragment", [case[1:] for case in REFUSED_CASES], ids=[case[0] for case in REFUSED_CASES]
)
def test_detect_format_refuses(tmp_path, name, make, fragment):
    path = write(tmp_path, name, make())
    with pytest.raises(InputFileError, match=fragment) as raised:
        detect_format(path)
    assert str(path) in str(raised.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputFileError, match=r"nothing\.xlsx: no such file"):
        detect_format(tmp_path / "nothing.xlsx")


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(InputFileError, match="is a folder"):
        detect_format(tmp_path)


def test_a_character_cut_at_the_end_of_the_sample_is_still_text(tmp_path):
    # "é" is two bytes in UTF-8; the first 64 KiB end between them
    path = write(tmp_path, "long.csv", b"x" * (64 * 1024 - 1) + "é\n".encode("utf-8"))
    assert detect_format(path) == "text"


# --- read_text_table ------------------------------------------------------------------------


def test_sap_utf16_tab_text_keeps_every_row(tmp_path):
    path = write(tmp_path, "export.xls", codecs.BOM_UTF16_LE + tab_text(SAP_ROWS).encode("utf-16-le"))
    table = read_text_table(path)
    assert table == TextTable(rows=SAP_ROWS, encoding="utf-16", delimiter="\t")
    assert table.rows[3][0] == "Explosion level"  # source row 4


def test_big_endian_utf16_with_a_byte_order_mark(tmp_path):
    path = write(tmp_path, "export.txt", codecs.BOM_UTF16_BE + tab_text(SAP_ROWS).encode("utf-16-be"))
    assert read_text_table(path).rows == SAP_ROWS


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_evident_from_nul_bytes(tmp_path, codec):
    path = write(tmp_path, "export.txt", tab_text(SAP_ROWS).encode(codec))
    table = read_text_table(path)
    assert (table.rows, table.encoding) == (SAP_ROWS, codec)


def test_windows_1252_csv(tmp_path):
    path = write(tmp_path, "parts.csv", "part_id,description\nR1,Résistance 10 µF\n".encode("cp1252"))
    table = read_text_table(path)
    assert (table.encoding, table.delimiter) == ("cp1252", ",")
    assert table.rows[1] == ["R1", "Résistance 10 µF"]


def test_utf8_with_bom_semicolon_csv(tmp_path):
    text = "part_id;unit_value;description\nDY;340,50;Dysprosium, metal\nMAG;1.250,00;Magnet\n"
    path = write(tmp_path, "parts.csv", codecs.BOM_UTF8 + text.encode("utf-8"))
    table = read_text_table(path)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert table.rows == [
        ["part_id", "unit_value", "description"],
        ["DY", "340,50", "Dysprosium, metal"],
        ["MAG", "1.250,00", "Magnet"],
    ]


def test_plain_utf8(tmp_path):
    path = write(tmp_path, "parts.csv", "part_id,description\nR1,Ø4 mm magnet\n".encode("utf-8"))
    table = read_text_table(path)
    assert (table.encoding, table.rows[1]) == ("utf-8", ["R1", "Ø4 mm magnet"])


def test_quoted_cells_hold_delimiters_and_line_breaks(tmp_path):
    text = 'part_id,description,qty\r\nA,"Magnet, arc\r\nDy diffused",2\r\nB,"12"" flange",1\r\n'
    table = read_text_table(write(tmp_path, "bom.csv", text.encode("utf-8")))
    assert table.rows == [
        ["part_id", "description", "qty"],
        ["A", "Magnet, arc\r\nDy diffused", "2"],
        ["B", '12" flange', "1"],
    ]


def test_blank_rows_are_kept_so_row_numbers_stay_true(tmp_path):
    text = "part_id,qty\n\nA,1\n , \nB,2"
    table = read_text_table(write(tmp_path, "bom.csv", text.encode("utf-8")))
    assert table.rows == [["part_id", "qty"], [], ["A", "1"], [" ", " "], ["B", "2"]]
    assert table.rows[4 - 1] == [" ", " "]  # source row 4


def test_cells_keep_their_spaces_and_lose_a_stray_carriage_return(tmp_path):
    table = read_text_table(write(tmp_path, "bom.txt", b"| A  | 1 |\r"))
    assert table.rows == [["", " A  ", " 1 ", ""]]


def test_sap_list_with_title_lines_is_pipe_separated(tmp_path):
    text = (
        "Multi-level BOM, plant 1000, 12.01.2026\n"
        "Material MTR-2000, Brushless motor\n"
        "-------------------------------------\n"
        "|Level|Component|Qty     |Un|\n"
        "-------------------------------------\n"
        "|.1   |ROT-2000 |      2 |PC|\n"
        "|..2  |DY-MET   | 0,0024 |KG|\n"
        "|..2  |NDPR-MET | 0,1152 |KG|\n"
    )
    table = read_text_table(write(tmp_path, "list.txt", text.encode("utf-8")))
    assert table.delimiter == "|"
    assert table.rows[6] == ["", "..2  ", "DY-MET   ", " 0,0024 ", "KG", ""]


def test_title_lines_above_the_header_do_not_decide(tmp_path):
    rows = "".join(f"P{n},{n}\n" for n in range(5))
    text = "Report; plant 1000\nPrinted 12.01.2026\npart_id,qty\n" + rows
    assert read_text_table(write(tmp_path, "bom.csv", text.encode("utf-8"))).delimiter == ","


def test_a_decimal_comma_does_not_make_commas_the_delimiter(tmp_path):
    text = "part;qty\nA;1,5\nB;2,5\n"
    assert read_text_table(write(tmp_path, "bom.csv", text.encode("utf-8"))).delimiter == ";"


def test_tab_wins_a_tie(tmp_path):
    text = "a\tb,c\nd\te,f\n"
    assert read_text_table(write(tmp_path, "bom.txt", text.encode("utf-8"))).delimiter == "\t"


def test_a_given_delimiter_is_used(tmp_path):
    text = "a\tb,c\nd\te,f\n"
    table = read_text_table(write(tmp_path, "bom.txt", text.encode("utf-8")), delimiter=",")
    assert (table.delimiter, table.rows) == (",", [["a\tb", "c"], ["d\te", "f"]])


def test_an_unknown_delimiter_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="delimiter must be one of"):
        read_text_table(write(tmp_path, "bom.csv", b"a:b\n"), delimiter=":")


def test_an_unclosed_quote_is_refused_with_its_row(tmp_path):
    text = 'part_id,description\nA,"Magnet\nB,Housing\n'
    with pytest.raises(InputFileError, match=r"bom\.csv: row 2: cannot split into cells"):
        read_text_table(write(tmp_path, "bom.csv", text.encode("utf-8")))


def test_text_after_a_closing_quote_is_refused(tmp_path):
    text = 'part_id,description\nA,ok\nB,"A" grade\n'
    with pytest.raises(InputFileError, match="row 3"):
        read_text_table(write(tmp_path, "bom.csv", text.encode("utf-8")))


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n", "white space"),
        (b"part_id,qty\nA\x00,1\n", "binary"),
        (b"part_id,qty\n\x81\x8d,1\n", "neither UTF-8 nor Windows-1252"),
        (b"<!DOCTYPE html><html><body><table>", "HTML"),
    ],
    ids=["empty", "only a byte-order mark", "NUL byte", "undefined in Windows-1252", "HTML"],
)
def test_unreadable_text_is_refused(tmp_path, data, fragment):
    path = write(tmp_path, "bom.csv", data)
    with pytest.raises(InputFileError, match=fragment) as raised:
        read_text_table(path)
    assert str(path) in str(raised.value)


def test_a_missing_text_file_is_named(tmp_path):
    with pytest.raises(InputFileError, match=r"gone\.csv: no such file"):
        read_text_table(tmp_path / "gone.csv")


@pytest.mark.parametrize("content", [b" \r\n\t\n", "\ufeff \n\u3000\n".encode("utf-8"), b"\x0c\x0b \n"])
@pytest.mark.parametrize("columns", [False, True])
def test_a_file_of_nothing_but_white_space_is_refused(tmp_path, content, columns):
    path = tmp_path / "blank.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match="only white space; there is nothing to read"):
        read_text_table(path, columns=columns)


@pytest.mark.parametrize("content, rows", [(b" \n x\n", 2), (b"\n\n,\n", 3)])
def test_a_file_with_one_visible_character_is_read(tmp_path, content, rows):
    path = tmp_path / "nearly_blank.csv"
    path.write_bytes(content)
    assert len(read_text_table(path, columns=True).rows) == rows
