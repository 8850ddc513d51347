"""Look-alikes: numbers written with digits other than 0-9 or with Python's underscore, and part
ids that differ only by Unicode normalisation or an invisible character."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.io.numbers import parse_number
from bomcalc.core.values import plain_digits, to_decimal

from ..conftest import PARTS_HEADER, write_workbook

# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, plain", [("١٢٣", "123"), ("１２", "12"), ("－１２．５", "-12.5"), ("۴۵", "45"),
                                         ("12", None), ("MAG-1", None), ("²", None)])
def test_plain_digits_rewrites_only_other_digits(text, plain):
    assert plain_digits(text) == plain


@pytest.mark.parametrize("read", [to_decimal, parse_number], ids=["to_decimal", "parse_number"])
def test_an_underscore_in_a_number_is_refused_on_every_path(read):
    with pytest.raises(ValueError, match="underscore"):
        read("1_000")


@pytest.mark.parametrize("read", [to_decimal, parse_number], ids=["to_decimal", "parse_number"])
@pytest.mark.parametrize("text", ["١٢٣", "１２"])
def test_other_digits_are_not_read_where_no_cell_can_be_named(read, text):
    with pytest.raises(ValueError, match="digits other than 0-9"):
        read(text)


def _canonical(tmp_path, unit_value=250, qty=2, mag="MAG", line_mag="MAG", declarations=None):
    sheets = {
        "parts": [PARTS_HEADER, ["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
                  [mag, "NdFeB magnet", "JP", unit_value, "USD", "ea", "part2", False],
                  ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None]],
        "bom": [["parent", "child", "qty"], ["TOP", line_mag, qty], [line_mag, "DY", 0.0015]],
    }
    if declarations is not None:
        sheets["declarations"] = [["part_id", "cn_part1_value", "source"]] + declarations
    return write_workbook(tmp_path / "c.xlsx", sheets)


def test_arabic_indic_and_full_width_digits_are_read_with_a_warning_naming_the_cell(tmp_path):
    bom = bomcalc.read_workbook(_canonical(tmp_path, unit_value="٢٥٠", qty="２"))
    assert bom.parts.loc["MAG", "unit_value"] == Decimal(250)
    assert bom.lines.set_index("child").loc["MAG", "qty"] == Decimal(2)
    warned = {(i.sheet, i.row): i.message for i in bom.issues if i.code == "non_ascii_digits"}
    assert set(warned) == {("parts", 3), ("bom", 2)}
    assert "sheet 'parts' cell D3 (unit_value): '٢٥٠' is written with digits other than 0-9 and was read as 250" in warned[("parts", 3)]
    assert "cell C2 (qty)" in warned[("bom", 2)]


def test_an_underscore_number_in_a_canonical_sheet_is_an_error_naming_the_row(tmp_path):
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(_canonical(tmp_path, unit_value="1_000"))
    (issue,) = [i for i in caught.value.issues if i.code == "bad_unit_value"]
    assert (issue.sheet, issue.row, issue.part_id) == ("parts", 3, "MAG") and "underscore" in issue.message


def test_other_digits_in_an_export_are_read_with_a_warning_naming_the_row(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Parent,Component,Description,Quantity,Cost,Origin\n,TOP,motor,,,DE\n"
                    "TOP,MAG-1,magnet,٤,2.00,JP\nTOP,HSG-1,housing,1,１０,DE\n", encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    assert bom.lines.set_index("child").loc["MAG-1", "qty"] == Decimal(4)
    assert bom.parts.loc["HSG-1", "unit_value"] == Decimal(10)
    assert {(i.row, "was read as" in i.message) for i in bom.issues if i.code == "non_ascii_digits"} == {(3, True), (4, True)}


def test_an_underscore_number_in_an_export_is_an_error(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Parent,Component,Description,Quantity,Cost,Origin\n,TOP,motor,,,DE\n"
                    "TOP,MAG-1,magnet,4,1_000,JP\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    assert any("underscore" in issue.message and issue.row == 3 for issue in caught.value.issues)


def test_other_digits_in_a_declarations_file_are_an_error(tmp_path):
    declarations = tmp_path / "decl.csv"
    declarations.write_text("part_id,cn_part1_value,source\nMAG,٠,supplier\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(_canonical(tmp_path), declarations=[declarations])
    assert any(issue.file == str(declarations) and issue.severity == "error" for issue in caught.value.issues)


# --- part ids -------------------------------------------------------------------------------

NFC, NFD = "MAG-\u00c9", "MAG-E\u0301"  # the same "MAG-É", composed and decomposed


@pytest.mark.parametrize("written, used", [
    (NFD, NFC), ("MAG\u200b-1", "MAG-1"), ("MAG\u200c-1", "MAG-1"), ("MAG\u200d-1", "MAG-1"), ("MAG\u2060-1", "MAG-1"),
    ("\ufeffMAG-1", "MAG-1"), ("MAG\u00ad-1", "MAG-1"), ("MAG\u00a01", "MAG 1"), ("MAG-1", "MAG-1"), (NFC, NFC),
])
def test_part_id_text_normalises_look_alikes(written, used):
    from bomcalc.core.values import part_id_text

    assert part_id_text(written) == used


def test_the_warning_shows_the_id_as_written_with_visible_escapes():
    from bomcalc.core.values import part_id_change

    used, note = part_id_change(NFD)
    assert used == NFC and "part id 'MAG-E\\u0301' is read as 'MAG-\u00c9'" in note
    assert part_id_change("MAG-1") == ("MAG-1", None)


def test_composed_and_decomposed_ids_in_a_canonical_workbook_are_one_part(tmp_path):
    bom = bomcalc.read_workbook(_canonical(tmp_path, mag=NFD, line_mag=NFC))
    assert NFC in bom.parts.index and NFD not in bom.parts.index
    (issue,) = [i for i in bom.issues if i.code == "part_id_normalised"]
    assert (issue.severity, issue.sheet, issue.row, issue.part_id) == ("warning", "parts", 3, NFC)
    assert issue.message.startswith("sheet 'parts' cell A3 (part_id): part id 'MAG-E\\u0301' is read as")


def test_a_zero_width_space_in_a_bom_line_and_a_declaration_names_the_same_part(tmp_path):
    path = _canonical(tmp_path, line_mag="MAG\u200b", declarations=[["\ufeffMAG", 0, "supplier"]])
    bom = bomcalc.read_workbook(path)
    assert set(bom.parts.index) == {"TOP", "MAG", "DY"}
    assert "MAG" in bom.declarations.index
    rows = sorted((i.sheet, i.row) for i in bom.issues if i.code == "part_id_normalised")
    assert rows == [("bom", 2), ("bom", 3), ("declarations", 2)]


def test_two_look_alike_rows_in_a_parts_sheet_are_a_duplicate(tmp_path):
    sheets = {"parts": [PARTS_HEADER, ["MAG", "magnet", "JP", 250, "USD", "ea", "part2", None],
                        ["MAG\u200b", "magnet again", "JP", 25, "USD", "ea", "part2", None]],
              "bom": [["parent", "child", "qty"]]}
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(write_workbook(tmp_path / "d.xlsx", sheets))
    (issue,) = [i for i in caught.value.issues if i.code == "duplicate_part"]
    assert (issue.row, issue.part_id) == (3, "MAG")


def test_look_alike_ids_in_an_export_are_one_part(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Parent,Component,Description,Quantity,Cost,Origin\n,TOP,motor,,,DE\n"
                    f"TOP,{NFD},magnet,4,2.00,JP\nTOP,HSG-1,housing,1,10,DE\n{NFC},DY\u200b,Dy,0.01,340,CN\n",
                    encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    assert set(bom.parts.index) == {"TOP", NFC, "HSG-1", "DY"}
    assert sorted(i.row for i in bom.issues if i.code == "part_id_normalised") == [3, 5]


def test_a_declarations_file_and_root_typed_decomposed_match_the_part(tmp_path):
    declarations = tmp_path / "decl.csv"
    declarations.write_text(f"part_id,cn_part1_value,source\n{NFD},0,supplier\n", encoding="utf-8")
    bom = bomcalc.read_workbook(_canonical(tmp_path, mag=NFC, line_mag=NFC), declarations=[declarations])
    assert NFC in bom.declarations.index
    assert not [i for i in bom.issues if i.code == "declaration_not_in_bom"]
    assert any(i.code == "part_id_normalised" and i.file == str(declarations) for i in bom.issues)
    listed = tmp_path / "list.csv"
    listed.write_text("Part Number,Description,Quantity,Cost\nMAG-1,magnet,4,2\n", encoding="utf-8")
    flat = bomcalc.read_workbook(listed, root=NFD)
    assert NFC in flat.parts.index and (NFC, "MAG-1") in {(l.parent, l.child) for l in flat.lines.itertuples()}


def test_an_id_typed_decomposed_finds_the_part_in_explain_and_where_used(tmp_path):
    from bomcalc.core.explain import explain
    from bomcalc.core.contributions import where_used

    bom = bomcalc.read_workbook(_canonical(tmp_path, mag=NFC, line_mag=NFC))
    evaluation = bomcalc.evaluate(bom, as_of="2026-11-11")
    assert explain(evaluation, NFD).item == NFC
    assert "TOP" in set(where_used(bom, NFD)["part_id"])


@pytest.mark.parametrize("level", ["١", "1_0", "..١"])
def test_a_level_written_with_other_digits_or_an_underscore_is_not_a_level(tmp_path, level):
    path = tmp_path / "bom.csv"
    path.write_text(f"Level,Part Number,Description,Quantity\n0,TOP,motor,1\n1,MAG-1,magnet,4\n{level},SCR-1,screw,2\n",
                    encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    assert any(issue.code == "bad_level" and f"{level!r}" in issue.message for issue in caught.value.issues)
