"""The us_controlled column: read from a canonical parts sheet, an export's header alias and a parts master."""

from __future__ import annotations

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError

from ..conftest import write_workbook

PARTS = ["part_id", "description", "origin", "unit_value", "currency", "uom", "us_controlled"]


def test_yes_no_blank_and_unknown_read_as_true_false_and_none(tmp_path):
    path = write_workbook(tmp_path / "bom.xlsx", {
        "parts": [PARTS, ["A", "a", "DE", 10, "USD", "ea", None], ["B", "b", "US", 1, "USD", "ea", "yes"],
                  ["C", "c", "US", 1, "USD", "ea", "FALSE"], ["D", "d", "US", 1, "USD", "ea", "unknown"],
                  ["E", "e", "US", 1, "USD", "ea", True]],
        "bom": [["parent", "child", "qty"], ["A", "B", 1], ["A", "C", 1], ["A", "D", 1], ["A", "E", 1]],
    })
    parts = bomcalc.read_workbook(path).parts
    assert parts["us_controlled"].to_dict() == {"A": None, "B": True, "C": False, "D": None, "E": True}


def test_a_bad_cell_is_an_error_naming_sheet_row_and_part(tmp_path):
    path = write_workbook(tmp_path / "bom.xlsx", {
        "parts": [PARTS, ["A", "a", "DE", 10, "USD", "ea", None], ["B", "b", "US", 1, "USD", "ea", "maybe"]],
        "bom": [["parent", "child", "qty"], ["A", "B", 1]],
    })
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    issue = next(i for i in caught.value.issues if i.code == "bad_us_controlled")
    assert (issue.sheet, issue.row, issue.part_id) == ("parts", 3, "B")


def test_an_export_takes_us_controlled_from_a_parts_master_by_its_alias(tmp_path):
    bom = write_workbook(tmp_path / "flat.xlsx", {"BOM": [
        ["Level", "Material", "Description", "Qty", "COO", "Unit Price", "Currency"],
        [0, "DRIVE", "Servo drive", 1, "DE", 400, "USD"], [1, "MCU", "Microcontroller", 1, "US", 60, "USD"],
        [1, "FPGA", "FPGA", 1, "US", 41, "USD"]]})
    master = write_workbook(tmp_path / "master.xlsx", {"parts": [["part_id", "US controlled"], ["MCU", "yes"],
                                                                 ["FPGA", "TRUE"]]})
    result = bomcalc.evaluate(bomcalc.read_workbook(bom, parts=[master]), as_of="2026-12-01", rules="us-ear-de-minimis",
                              destination="FR")
    row = result.item("DRIVE")
    assert (row["status"], row["cn_part1_value"]) == ("subject_to_ear", 101)  # 101 / 400 = 25.25% > 25%
