"""The assembly a list builds: CAD title rows, --root, and top-level quantities never dropped."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import REJECTED, USED


def _xlsx(path, rows, sheet="Sheet1"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


CAD_HEADER = ["ITEM NO.", "QTY.", "DESCRIPTION", "PART NUMBER", "Unit Cost", "Origin", "Annex 1"]
CAD_ROWS = [
    [1, 2, "bracket", "BRK-1", 1.5, "DE", None],
    [2, 4, "magnet", "MAG-1", 2.0, "JP", "part2"],
    [3, 1, "housing", "HSG-1", 10, "DE", None],
]


def test_a_cad_title_row_names_the_assembly_whose_quantities_the_rows_give(tmp_path):
    path = _xlsx(tmp_path / "asm.xlsx", [["ASM-100"], CAD_HEADER, *CAD_ROWS])
    bom = bomcalc.read_workbook(path)
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {
        ("ASM-100", "BRK-1"): Decimal(2), ("ASM-100", "MAG-1"): Decimal(4), ("ASM-100", "HSG-1"): Decimal(1)}
    assert bom.parts.loc["ASM-100", "unit_value"] is None  # the root has no value of its own
    assert any("ASM-100 taken from the title row" in note for note in bom.notes)
    fates = {f.row: (f.fate, f.reason) for f in bom.row_fates}
    assert fates[1] == (USED, "assembly named in the title row")
    assert [fates[row][0] for row in (3, 4, 5)] == [USED] * 3


def test_without_a_title_several_top_level_quantities_are_an_error_not_dropped(tmp_path):
    path = _xlsx(tmp_path / "asm.xlsx", [CAD_HEADER, *CAD_ROWS])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.code == "no_root"]
    assert "--root" in issue.message and "rows 2, 3, 4" in issue.message
    assert {f.row for f in caught.value.row_fates if f.fate == REJECTED} == {2, 3, 4}


def test_root_option_names_the_assembly_of_a_file_without_a_title(tmp_path):
    path = _xlsx(tmp_path / "asm.xlsx", [CAD_HEADER, *CAD_ROWS])
    bom = bomcalc.read_workbook(path, root="ASM-100")
    assert bom.graph.edges["ASM-100", "MAG-1"]["qty"] == Decimal(4)
    assert set(bom.graph.successors("ASM-100")) == {"BRK-1", "MAG-1", "HSG-1"}


def test_root_option_wins_over_a_title_naming_another_part_with_a_warning(tmp_path):
    path = _xlsx(tmp_path / "asm.xlsx", [["ASM-100"], CAD_HEADER, *CAD_ROWS])
    bom = bomcalc.read_workbook(path, root="ASM-200")
    assert set(bom.graph.successors("ASM-200")) == {"BRK-1", "MAG-1", "HSG-1"}
    assert "ASM-100" not in bom.parts.index
    assert [i.code for i in bom.issues if i.code == "root_not_title"] == ["root_not_title"]


@pytest.mark.parametrize("title", ["PLM export 2026-10-01", "BOM", "2026-10-01"])
def test_a_title_that_is_no_part_number_names_no_assembly(tmp_path, title):
    path = _xlsx(tmp_path / "asm.xlsx", [[title], CAD_HEADER, *CAD_ROWS])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    assert [i.code for i in caught.value.issues] == ["no_root"]


def test_a_single_top_row_needs_no_root(tmp_path):
    path = _xlsx(tmp_path / "levels.xlsx", [
        ["Level", "Part Number", "Description", "Qty"],
        [0, "ASM-100", "assembly", None],
        [1, "BRK-1", "bracket", 2],
    ])
    bom = bomcalc.read_workbook(path)
    assert bom.graph.edges["ASM-100", "BRK-1"]["qty"] == Decimal(2)


FLAT = "Part Number,Description,Qty,Unit Price\nBRK-1,bracket,2,1.50\nMAG-1,magnet,4,2.00\n"


def test_a_single_level_list_needs_root_and_says_so(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text(FLAT, encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = caught.value.issues
    assert issue.code == "no_hierarchy" and "pass --root PART" in issue.message


def test_root_makes_every_row_of_a_single_level_list_a_line_of_it(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text(FLAT, encoding="utf-8")
    bom = bomcalc.read_workbook(path, root="KIT")
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {("KIT", "BRK-1"): Decimal(2), ("KIT", "MAG-1"): Decimal(4)}
    assert bom.parts.loc["KIT", "unit_value"] is None
    assert bom.parts.loc["MAG-1", "unit_value"] == Decimal("2.00")
    assert any("single-level list" in note for note in bom.notes)


def test_validate_says_which_assembly_the_title_row_named(tmp_path):
    from click.testing import CliRunner

    from bomcalc.cli import main

    path = _xlsx(tmp_path / "asm.xlsx", [["ASM-100"], CAD_HEADER, *CAD_ROWS])
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "assembly ASM-100 taken from the title row" in result.output


def test_a_parent_column_row_without_parent_giving_a_quantity_needs_root(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text("Parent,Component,Quantity\n,MOTOR,1\n,BRG-1,2\nMOTOR,MAG-1,4\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = caught.value.issues
    assert (issue.code, issue.row) == ("no_root", 3)  # quantity 1 of a product is no lost quantity; 2 is
    bom = bomcalc.read_workbook(path, root="KIT")
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {
        ("KIT", "MOTOR"): 1, ("KIT", "BRG-1"): 2, ("MOTOR", "MAG-1"): 4}
