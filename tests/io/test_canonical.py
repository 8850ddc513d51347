"""Canonical inputs follow the canonical rules: a decimal point that is never ambiguous, and
title rows above a canonical sheet skipped and counted, as for exports."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import SKIPPED, USED

from ..conftest import PARTS_HEADER, write_workbook

PARTS_CSV = (
    "part_id,description,origin,unit_value,currency,uom,annex1\n"
    "TOP,Actuator,DE,,USD,ea,\n"
    "MAG,magnet,JP,4.168,USD,ea,part2\n"
    "DY,Dy metal,CN,340.125,USD,kg,part1\n"
)
BOM_CSV = "parent,child,qty\nTOP,MAG,2.000\nMAG,DY,0.015\n"


def _folder(tmp_path, parts=PARTS_CSV, bom=BOM_CSV):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "parts.csv").write_text(parts, encoding="utf-8")
    (folder / "bom.csv").write_text(bom, encoding="utf-8")
    return folder


def test_three_decimals_everywhere_in_a_canonical_csv_folder_read_with_the_decimal_point(tmp_path):
    bom = bomcalc.read_workbook(_folder(tmp_path))
    assert bom.parts.loc["MAG", "unit_value"] == Decimal("4.168")
    assert bom.parts.loc["DY", "unit_value"] == Decimal("340.125")
    assert bom.lines.set_index("child").loc["DY", "qty"] == Decimal("0.015")


def test_a_comma_in_a_canonical_csv_still_needs_decimal_to_say_what_it_is(tmp_path):
    parts = PARTS_CSV.replace("4.168", '"4,168"')
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(_folder(tmp_path, parts=parts))
    assert any(issue.code == "ambiguous_numbers" for issue in caught.value.issues)


def test_decimal_comma_given_by_the_user_wins_in_a_canonical_folder(tmp_path):
    bom = bomcalc.read_workbook(_folder(tmp_path, parts=PARTS_CSV.replace("4.168", '"4,168"').replace("340.125", '"340,125"'),
                                        bom=BOM_CSV.replace("2.000", '"2,000"').replace("0.015", '"0,015"')), decimal=",")
    assert bom.parts.loc["MAG", "unit_value"] == Decimal("4.168")


def test_a_title_row_above_a_canonical_parts_csv_is_skipped_and_counted(tmp_path):
    folder = _folder(tmp_path, parts="Parts master 2026,,,,,,\n,,,,,,\n" + PARTS_CSV)
    bom = bomcalc.read_workbook(folder)
    assert bom.parts.loc["MAG", "unit_value"] == Decimal("4.168")
    fates = {(f.sheet, f.row): (f.fate, f.reason) for f in bom.row_fates}
    assert fates[("parts", 1)] == (SKIPPED, "title row")
    assert fates[("parts", 2)][0] == SKIPPED
    assert fates[("parts", 3)] == (SKIPPED, "header row")
    assert fates[("parts", 5)][0] == USED  # MAG


def test_a_title_row_above_a_canonical_parts_sheet_is_skipped_and_rows_keep_their_numbers(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", {
        "parts": [["Actuator parts, revision B"], PARTS_HEADER,
                  ["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
                  ["MAG", "magnet", "JP", 250, "USD", "ea", "part2", None],
                  ["DY", "Dy metal", "CN", -340, "USD", "kg", "part1", None]],
        "bom": [["BOM of the actuator"], [], ["parent", "child", "qty"], ["TOP", "MAG", 2], ["MAG", "DY", 0.0015]],
    })
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.code == "bad_unit_value"]
    assert (issue.sheet, issue.row, issue.part_id) == ("parts", 5, "DY")
    fates = {(f.sheet, f.row): (f.fate, f.reason) for f in caught.value.row_fates}
    assert fates[("parts", 1)] == (SKIPPED, "title row")
    assert fates[("bom", 3)] == (SKIPPED, "header row")


def test_a_canonical_sheet_without_its_columns_is_still_an_error_at_its_first_row(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", {"parts": [["id", "what"], ["MAG", "magnet"]],
                                                "bom": [["parent", "child", "qty"]]})
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.code == "missing_column"]
    assert issue.sheet == "parts" and issue.row == 1
