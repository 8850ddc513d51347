"""Cells that do not say what they seem to: malformed CSV rows, formulas without saved values,
hierarchy in the part-number column's indentation."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from openpyxl.styles import Alignment

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.io.sheets import read_sheets, uncached_formula_issues
from bomcalc.core.ledger import REJECTED

PARENT_CSV = (
    "Parent,Component,Description,Quantity,Cost,Origin\n"
    ",TOP,motor,,,DE\n"
    "TOP,MAG-1,magnet,4,2.00,JP\n"
    "TOP,BRK-1,bracket, steel,2,1.50,DE\n"
    "TOP,HSG-1,housing,1,10\n"
)


def test_a_csv_row_with_more_fields_than_the_header_is_rejected_and_named(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text(PARENT_CSV, encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.code == "malformed_row"]
    assert (issue.file, issue.row) == (str(path), 4)
    assert "7 fields but the header has 6" in issue.message and "' 2'" not in issue.message
    fates = {f.row: f.fate for f in caught.value.row_fates}
    assert fates[4] == REJECTED
    assert fates[5] != REJECTED  # fewer fields: the missing trailing cells are blank


def test_a_row_with_fewer_fields_reads_its_missing_trailing_cells_as_blank(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Parent,Component,Description,Quantity,Cost,Origin\n,TOP,motor\nTOP,MAG-1,magnet,4,2.00,JP\n",
                    encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    assert bom.graph.edges["TOP", "MAG-1"]["qty"] == Decimal(4)
    assert bom.parts.loc["TOP", "origin"] is None


def test_a_malformed_row_in_a_canonical_csv_folder_is_an_error(tmp_path):
    (tmp_path / "parts.csv").write_text("part_id,description,origin,unit_value\nTOP,motor,DE,\n"
                                        "MAG-1,magnet, NdFeB,JP,2.00\n", encoding="utf-8")
    (tmp_path / "bom.csv").write_text("parent,child,qty\nTOP,MAG-1,4\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(tmp_path)
    (issue,) = caught.value.issues
    assert (issue.code, issue.sheet, issue.row) == ("malformed_row", "parts", 3)


def _formula_workbook(path, formula_column: int):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BOM"
    sheet.append(["Parent", "Component", "Quantity", "Cost", "Origin", "Total"])
    sheet.append([None, "TOP", None, None, "DE", None])
    sheet.append(["TOP", "MAG-1", 4, 2, "JP", "=C3*D3"])
    sheet.append(["TOP", "BRK-1", 2, 1.5, "DE", "=C4*D4"])
    sheet.cell(row=4, column=formula_column, value="=1.5")  # a formula nobody computed: no saved value
    workbook.save(path)
    return path


def test_a_formula_without_a_saved_value_in_a_used_column_is_an_error_naming_the_cell(tmp_path):
    path = _formula_workbook(tmp_path / "bom.xlsx", formula_column=4)  # Cost
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.code == "uncached_formula"]
    assert "sheet 'BOM' cell D4" in issue.message and "open and save" in issue.message and issue.row == 4
    assert {f.row for f in caught.value.row_fates if f.fate == REJECTED} == {4}


def test_a_formula_without_a_saved_value_in_an_unused_column_is_ignored(tmp_path):
    path = _formula_workbook(tmp_path / "bom.xlsx", formula_column=6)  # Total: not read
    bom = bomcalc.read_workbook(path)
    assert bom.parts.loc["BRK-1", "unit_value"] == Decimal("1.5")


def test_uncached_cells_are_found_on_the_sheet_record(tmp_path):
    (sheet,) = read_sheets(_formula_workbook(tmp_path / "bom.xlsx", formula_column=4))
    assert sheet.uncached == {(3, 5), (4, 3), (4, 5)}  # E7-style (row, 0-based column)
    assert [i.row for i in uncached_formula_issues(sheet, {"qty": 2}, 0)] == []
    assert [i.row for i in uncached_formula_issues(sheet, {"unit_value": 3}, 0)] == [4]


def test_indented_part_numbers_give_the_hierarchy(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Item", "Description", "Qty", "Cost"])
    for part, description, qty, cost, indent in [
        ("TOP", "motor", 1, None, 0), ("ROT", "rotor", 1, None, 1), ("MAG-1", "magnet", 8, 2, 2),
        ("HSG-1", "housing", 1, 10, 1),
    ]:
        sheet.append([part, description, qty, cost])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(indent=indent)
    path = tmp_path / "indented.xlsx"
    workbook.save(path)
    bom = bomcalc.read_workbook(path, map=str(_map(tmp_path)))
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {
        ("TOP", "ROT"): Decimal(1), ("ROT", "MAG-1"): Decimal(8), ("TOP", "HSG-1"): Decimal(1)}
    assert any("cell indent of the part number" in note for note in bom.notes)


def _map(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text('[columns]\npart_id = "Item"\n', encoding="utf-8")
    return path


def test_leading_spaces_in_part_numbers_give_the_hierarchy_and_are_stripped(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Part Number,Description,Qty\nTOP,motor,1\n  ROT,rotor,1\n    MAG-1,magnet,8\n  HSG-1,housing,1\n",
                    encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    assert set(bom.graph.edges) == {("TOP", "ROT"), ("ROT", "MAG-1"), ("TOP", "HSG-1")}


def test_part_numbers_and_descriptions_indented_differently_are_an_error(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Part Number,Description,Qty\nTOP,motor,1\n  ROT,  rotor,1\n    MAG-1,  magnet,8\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    assert "give different hierarchies" in caught.value.issues[0].message


def test_a_shifted_row_is_rejected_even_when_its_last_cell_is_empty(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Parent,Component,Quantity,Cost,Notes\n,TOP,,,\nTOP,MAG-1,4,2.00,\nTOP,BRK-1, steel,2,1.50,\n",
                    encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    assert [(i.code, i.row) for i in caught.value.issues if i.code == "malformed_row"] == [("malformed_row", 4)]


def test_a_delimiter_after_every_row_is_no_malformed_row(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Parent,Component,Quantity\n,TOP,,\nTOP,MAG-1,4,\nTOP,BRK-1,2,\n", encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    assert bom.graph.edges["TOP", "BRK-1"]["qty"] == Decimal(2)


def test_an_uncached_subtotal_in_a_row_without_a_part_is_ignored_but_an_uncached_part_number_is_not(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["Level", "Part Number", "Qty", "Cost"], [0, "TOP", None, None], [1, "A", 2, 1.5], [None, None, None, "=D3*C3"]):
        sheet.append(row)
    workbook.save(tmp_path / "subtotal.xlsx")
    assert bomcalc.read_workbook(tmp_path / "subtotal.xlsx").graph.edges["TOP", "A"]["qty"] == 2
    sheet.append([1, '="B-"&"1"', 1, 1])
    workbook.save(tmp_path / "formula_part.xlsx")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(tmp_path / "formula_part.xlsx")
    assert [(i.code, i.row) for i in caught.value.issues] == [("uncached_formula", 5)]


def test_descriptions_padded_alike_do_not_contradict_indented_part_numbers(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Part Number,Description,Qty\nTOP, motor,1\n  ROT, rotor,1\n    MAG-1, magnet,8\n", encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    assert set(bom.graph.edges) == {("TOP", "ROT"), ("ROT", "MAG-1")}


@pytest.mark.parametrize("column, letters", [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_name_cells_as_excel_does(column, letters):
    from bomcalc.io.xlsx_scan import _where, column_letter

    assert column_letter(column) == letters
    assert _where(f"{letters}7") == (7, column)
