"""Look-alikes: numbers written with digits other than 0-9 or with Python's underscore, and part
ids that differ only by Unicode normalisation or an invisible character."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.errors import BomDataError
from bomcalc.io.numbers import parse_number
from bomcalc.values import plain_digits, to_decimal

from .conftest import PARTS_HEADER, write_workbook

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
