"""Reading limits: files too big to read are refused before a reader builds them, naming where."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core.errors import InputFileError
from bomcalc.io.limits import MAX_COLUMNS, check_extent
from bomcalc.io.sheets import read_sheets
from tests.hostile.xlsx_raw import RawSheet, write_xlsb, write_xlsx

HEADER = [["part_id", "qty"], ["A", 1]]


def test_a_stray_cell_at_the_last_cell_of_excel_is_refused_naming_sheet_and_cell(tmp_path):
    path = tmp_path / "far.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER, extra_cells='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')])
    with pytest.raises(InputFileError) as raised:
        read_sheets(path)
    message = str(raised.value)
    assert "sheet 'BOM' has a cell at XFD1048576 (16,384 columns x 1,048,576 rows)" in message
    assert str(path) in message and "delete the rows and columns after the data" in message


def test_the_last_column_read_is_read_and_one_more_is_refused(tmp_path):
    inside, outside = tmp_path / "inside.xlsx", tmp_path / "outside.xlsx"
    write_xlsx(inside, [RawSheet("BOM", HEADER, extra_cells='<row r="3"><c r="ALL3"><v>1</v></c></row>')])
    write_xlsx(outside, [RawSheet("BOM", HEADER, extra_cells='<row r="3"><c r="ALM3"><v>1</v></c></row>')])
    (sheet,) = read_sheets(inside)
    assert len(sheet.rows[0]) == MAX_COLUMNS and sheet.rows[2][-1] == 1
    with pytest.raises(InputFileError, match="has a cell at ALM3"):
        read_sheets(outside)


def test_an_empty_formatted_far_cell_and_a_sloppy_dimension_do_not_refuse_a_sheet(tmp_path):
    path = tmp_path / "formatted.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER, dimension="A1:XFD1048576",
                               extra_cells='<row r="1048576"><c r="XFD1048576" s="0"/></row>')])
    (sheet,) = read_sheets(path)
    assert sheet.rows == [["part_id", "qty"], ["A", 1]]


def test_cells_without_references_count_by_position(tmp_path):
    path = tmp_path / "norefs.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER, extra_cells="<row>" + "<c><v>1</v></c>" * (MAX_COLUMNS + 1) + "</row>")])
    with pytest.raises(InputFileError, match="1,001 columns x 3 rows"):
        read_sheets(path)


def test_a_document_type_declaration_in_a_sheet_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER, prologue='<!DOCTYPE w [<!ENTITY a "aaaa">]>')])
    with pytest.raises(InputFileError, match="XML bomb"):
        read_sheets(path)


def test_a_zip_member_packed_over_200_to_1_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "zipbomb.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER)], replace={"xl/media/pad.bin": b"\0" * (5 << 20)})
    with pytest.raises(InputFileError, match="member 'xl/media/pad.bin' unpacks from .* to 5.0 MiB"):
        read_sheets(path)


def test_a_zip_member_under_the_ratio_floor_is_read(tmp_path):
    path = tmp_path / "small_padding.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER)], replace={"xl/media/pad.bin": b"\0" * (1 << 20)})
    assert read_sheets(path)[0].rows[1] == ["A", 1]


def test_a_csv_cell_of_one_megabyte_is_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("part_id,description\nA," + "x" * (1 << 20) + "\n")
    (sheet,) = read_sheets(path)
    assert len(sheet.rows[1][1]) == 1 << 20


def test_a_csv_row_with_too_many_cells_is_refused_naming_the_row(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("part_id,qty\nA," + ",".join(["1"] * MAX_COLUMNS) + "\n")
    with pytest.raises(InputFileError, match="row 2 has 1,001 cells"):
        read_sheets(path)


def test_the_extent_check_counts_cells_from_a1():
    check_extent("f.xlsx", "BOM", 20_000, 1_000)  # 20,000,000 cells: the limit itself
    with pytest.raises(InputFileError, match="1,000 columns x 20,001 rows"):
        check_extent("f.xlsx", "BOM", 20_001, 1_000)


def test_a_member_whose_directory_understates_its_size_is_refused(tmp_path):
    path = tmp_path / "lies.xlsx"
    write_xlsx(path, [RawSheet("BOM", HEADER + [[f"P{n}", n] for n in range(2000)])])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # the local header's and the central directory's uncompressed sizes
    data[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            data[central + 24:central + 28] = (100).to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="damaged"):
        read_sheets(path)


def test_an_xlsb_sheet_is_bounded_from_its_records_before_it_is_built(tmp_path):
    near, far = tmp_path / "near.xlsb", tmp_path / "far.xlsb"
    write_xlsb(near, {"BOM": HEADER})
    write_xlsb(far, {"BOM": HEADER}, far_cell=(1048575, 16383))
    assert read_sheets(near)[0].rows == [["part_id", "qty"], ["A", 1.0]]
    with pytest.raises(InputFileError, match="sheet 'BOM' has a cell at XFD1048576"):
        read_sheets(far)


def _extent_by_pattern(part: bytes):
    """The fast extent as the pattern ``<c r="([A-Z]{1,7})([0-9]{1,12})"`` defines it (the reference)."""
    import re

    cells = re.findall(rb'<c r="([A-Z]{1,7})([0-9]{1,12})"', part)
    if len(cells) != part.count(b"<c ") + part.count(b"<c>") + part.count(b"<c/>"):
        return None
    if not cells:
        return 0, 0, 0, 0

    def column(letters: bytes) -> int:
        number = 0
        for letter in letters:
            number = number * 26 + letter - 64
        return number

    return (max(int(digits) for _, digits in cells), max(column(letters) for letters, _ in cells),
            int(cells[-1][1]), column(cells[-1][0]))


EXTENT_PIECES = [b'<c r="', b"A", b"B", b"Z", b"XFD", b"1", b"0", b"9", b"1048576", b'"', b">", b"/>", b"<c/>", b"<c>",
                 b" ", b"<c", b"<row>", b'<c s="1" r="A1">', b"ZZZZZZZ", b"9999999999999", b"a"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(EXTENT_PIECES), max_size=40))
def test_the_fast_extent_of_a_stretch_of_sheet_xml_is_that_of_its_cell_references(pieces):
    from bomcalc.io.xlsx_scan import _fast_extent  # the one scan every xlsx read goes through

    part = b"".join(pieces)
    assert _fast_extent(part) == _extent_by_pattern(part)


@pytest.mark.parametrize("part, extent", [
    (b'<row r="1"><c r="A1"/><c r="XFD1048576"><v>1</v></c></row>', (1048576, 16384, 1048576, 16384)),
    (b'<c r="B0002"><v>1</v></c><c r="A1">', (2, 2, 1, 1)),  # leading zeros; the final cell is the last written
    (b'<c r="ZZZZZZZ999999999999">', (999999999999, 8353082582, 999999999999, 8353082582)),  # the longest reference
    (b'<c r="AAAAAAAA1">', None),  # eight letters: not a reference this scan reads, so cell by cell
    (b'<c s="1" r="A1">', None),  # the reference not first: cell by cell
    (b"<col/><cols>", (0, 0, 0, 0)),
])
def test_the_fast_extent_by_hand(part, extent):
    from bomcalc.io.xlsx_scan import _fast_extent

    assert _fast_extent(part) == extent
