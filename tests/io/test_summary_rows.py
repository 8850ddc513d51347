"""Total, subtotal and note rows at the bottom of a sheet are skipped and counted, not read as parts."""

from __future__ import annotations

import openpyxl
import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import SKIPPED

HEADER = ["Part Number", "Description", "Qty", "Unit", "Country of Origin", "Unit Price", "Currency", "Annex 1"]
# indented descriptions give the hierarchy; the magnet holds 0.05 of Tb oxide at 1 = 0.05 = 0.1% of 50
ROWS = [["GEN-5", "Generator", 1, "EA", None, None, "USD", None],
        ["MAG-5", "  Magnet ring", 1, "PCS", "JP", 50, "USD", "part2"],
        ["TB-5", "    Terbium oxide", 0.05, "EA", "CN", 1, "USD", "part1"]]


def _book(tmp_path, *extra):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BOM"
    for row in [HEADER, *ROWS, *extra]:
        sheet.append(row)
    path = tmp_path / "bom.xlsx"
    workbook.save(path)
    return path


def _fates(bom_or_error):
    return {f.row: (f.fate, f.reason) for f in bom_or_error.row_fates if f.file.endswith("bom.xlsx")}


def test_a_note_row_at_the_bottom_is_skipped_as_a_note_row(tmp_path):
    bom = bomcalc.read_workbook(_book(tmp_path, [None] * 8, ["Note: prices as of Q3"] + [None] * 7))
    assert "Note: prices as of Q3" not in bom.parts.index
    assert _fates(bom)[6] == (SKIPPED, "note row")
    result = bomcalc.evaluate(bom, as_of="2026-12-01")
    assert dict(zip(result.items["part_id"], result.items["status"]))["MAG-5"] == "licence_required"


def test_a_total_row_with_a_sum_formula_is_skipped_without_a_formula_error(tmp_path):
    bom = bomcalc.read_workbook(_book(tmp_path, ["TOTAL", None, None, None, None, "=SUM(F2:F4)", None, None]))
    assert "TOTAL" not in bom.parts.index
    assert not [i for i in bom.issues if i.code == "uncached_formula"]
    assert _fates(bom)[5] == (SKIPPED, "total row")


def test_a_total_line_of_a_purchase_list_is_skipped_not_a_part_without_quantity(tmp_path):
    path = tmp_path / "purchase.csv"
    path.write_text("Item,Category,Qty,Unit Price (USD),Extended Price (USD),Notes\n"
                    "Magnet A,Magnets,4,70.00,280.00,\nFrame carbon,Structure,1,120.00,120.00,\n,,,,,\n"
                    "Total,,,,400.00,\n", encoding="utf-8")
    bom = bomcalc.read_workbook(path, root="KIT")
    assert "Total" not in bom.parts.index
    assert {(f.row, f.fate, f.reason) for f in bom.row_fates if f.row == 5} == {(5, SKIPPED, "total row")}


def test_a_stray_top_level_row_is_the_one_the_error_names(tmp_path):
    path = _book(tmp_path, ["Prepared by J. Smith"] + [None] * 7)
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.code == "no_root"]
    assert issue.row == 5 and issue.part_id == "Prepared by J. Smith"
    assert "row 2 (GEN-5, qty 1), row 5 (Prepared by J. Smith, no qty)" in issue.message


def test_a_part_number_that_starts_like_a_total_is_still_a_part():
    from bomcalc.io.summary_rows import summary_reason

    assert summary_reason({"part_id": "TOTAL-ASSY", "qty": None}) is None
    assert summary_reason({"part_id": "SUM100"}) is None
    assert summary_reason({"part_id": "Total (USD)"}) == "total row"
    assert summary_reason({"part_id": "Total", "qty": 3}) is None  # a quantity makes it a line
    assert summary_reason({"part_id": None, "description": "Subtotal"}) == "total row"
