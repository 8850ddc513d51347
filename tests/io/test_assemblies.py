"""One file (or sheet) per assembly plus a parts list (pyBOM style) builds one tree."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import REJECTED, SKIPPED

from ..conftest import write_workbook

PARTS_HEADER = ["PN", "Name", "Description", "Cost", "Item", "Supplier", "Supplier PN", "Pkg QTY", "Pkg Price"]
PARTS = [
    ["WHL-1", "Wheel", "rubber wheel", 2.5, 1, "Acme", "A-1", None, None],
    ["MAG-1", "Magnet", "NdFeB arc magnet", None, 2, "Acme", "A-2", 10, 150],  # 150 per 10 = 15 each
    ["SCR-1", "Screw", "M3 screw", None, 3, "Acme", "A-3", 100, 4],
    ["SPARE", "Spare", "not in any assembly", 1, 4, None, None, None, None],
]


def _folder(tmp_path, extra: dict[str, list[list]] | None = None):
    write_workbook(tmp_path / "Parts List.xlsx", {"Parts": [PARTS_HEADER, *PARTS]})
    write_workbook(tmp_path / "TR-01.xlsx", {"Truck assembly": [["PN", "QTY"], ["CH-01", 1], ["WHL-1", 4], ["SCR-1", 8]]})
    write_workbook(tmp_path / "CH-01.xlsx", {"Chassis": [["PN", "QTY"], ["MAG-1", 2], ["SCR-1", 12]]})
    for name, rows in (extra or {}).items():
        write_workbook(tmp_path / f"{name}.xlsx", {"Sheet1": rows})
    return tmp_path


def test_a_folder_of_assembly_files_builds_one_tree_from_the_top_assembly(tmp_path):
    bom = bomcalc.read_workbook(_folder(tmp_path))
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {
        ("TR-01", "CH-01"): 1, ("TR-01", "WHL-1"): 4, ("TR-01", "SCR-1"): 8, ("CH-01", "MAG-1"): 2, ("CH-01", "SCR-1"): 12}
    assert bom.parts.loc["MAG-1", "unit_value"] == Decimal(15)  # blank Cost: package price / package quantity
    assert bom.parts.loc["SCR-1", "unit_value"] == Decimal("0.04")
    assert bom.parts.loc["TR-01", "description"] == "Truck assembly"
    assert "SPARE" not in bom.parts.index
    assert any("top assembly TR-01" in note for note in bom.notes)
    fates = {(f.file.rsplit("/", 1)[-1], f.row): (f.fate, f.reason) for f in bom.row_fates}
    assert fates[("Parts List.xlsx", 5)] == (SKIPPED, "part not in this BOM")
    for account in bom.accounts:
        assert account.read == account.used + account.merged + account.skipped + account.rejected
    assert sum(a.read for a in bom.accounts) == 5 + 4 + 3


def test_several_top_assemblies_need_root(tmp_path):
    folder = _folder(tmp_path, {"TR-02": [["PN", "QTY"], ["WHL-1", 6]]})
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(folder)
    (issue,) = caught.value.issues
    assert issue.code == "several_tops" and "TR-01, TR-02" in issue.message and "--root" in issue.message


def test_root_picks_the_top_and_the_other_assemblies_are_skipped_and_counted(tmp_path):
    bom = bomcalc.read_workbook(_folder(tmp_path, {"TR-02": [["PN", "QTY"], ["WHL-1", 6]]}), root="TR-02")
    assert set(bom.graph.edges) == {("TR-02", "WHL-1")}
    skipped = {f.file.rsplit("/", 1)[-1] for f in bom.row_fates if f.fate == SKIPPED and "not part of TR-02" in f.reason}
    assert skipped == {"TR-01.xlsx", "CH-01.xlsx"}


def test_a_pn_in_no_file_and_not_in_the_parts_list_is_an_error_naming_the_file_and_row(tmp_path):
    folder = _folder(tmp_path)
    write_workbook(folder / "CH-01.xlsx", {"Chassis": [["PN", "QTY"], ["MAG-1", 2], ["MAG-9", 1]]})
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(folder)
    (issue,) = caught.value.issues
    assert (issue.code, issue.part_id, issue.row) == ("unknown_part", "MAG-9", 3)
    assert issue.file.endswith("CH-01.xlsx")
    assert [f.row for f in caught.value.row_fates if f.fate == REJECTED and f.file.endswith("CH-01.xlsx")] == [3]


def test_assemblies_that_use_each_other_are_a_cycle(tmp_path):
    folder = _folder(tmp_path)
    write_workbook(folder / "CH-01.xlsx", {"Chassis": [["PN", "QTY"], ["TR-01", 1]]})
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(folder)
    assert [i.code for i in caught.value.issues] == ["cycle"]


def test_one_workbook_with_a_parts_list_sheet_and_one_sheet_per_assembly(tmp_path):
    path = write_workbook(tmp_path / "truck.xlsx", {
        "Parts List": [PARTS_HEADER, *PARTS],
        "TR-01": [["PN", "QTY"], ["CH-01", 1], ["WHL-1", 4]],
        "CH-01": [["PN", "QTY"], ["MAG-1", 2]],
    })
    bom = bomcalc.read_workbook(path)
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {
        ("TR-01", "CH-01"): 1, ("TR-01", "WHL-1"): 4, ("CH-01", "MAG-1"): 2}
    assert {a.sheet for a in bom.accounts} == {"Parts List", "TR-01", "CH-01"}


def test_a_canonical_csv_folder_is_still_read_as_one(tmp_path):
    (tmp_path / "parts.csv").write_text("part_id,unit_value\nTOP,\nA,1\n", encoding="utf-8")
    (tmp_path / "bom.csv").write_text("parent,child,qty\nTOP,A,3\n", encoding="utf-8")
    (tmp_path / "Parts List.xlsx").write_bytes(b"")  # a stray file does not change the layout
    bom = bomcalc.read_workbook(tmp_path)
    assert bom.graph.edges["TOP", "A"]["qty"] == 3


def test_validate_of_a_folder_with_several_tops_accounts_for_every_row(tmp_path):
    report = bomcalc.validate(_folder(tmp_path, {"TR-02": [["PN", "QTY"], ["WHL-1", 6]]}))
    assert not report.ok
    assert sum(a.read for a in report.accounts) == 5 + 4 + 3 + 2


def _cli(*args):
    from click.testing import CliRunner

    from bomcalc.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_folder_with_no_annex1_column_is_incomplete_not_an_all_clear(tmp_path):
    result = _cli("check", _folder(tmp_path), "--fail-on", "indeterminate")
    assert result.exit_code == 3, result.output
    assert "complete: no" in result.output
    assert "Annex 1 status known for 0" in result.output
    bom = bomcalc.read_workbook(tmp_path)
    assert not bom.parts["annex1_known"].any()


def test_a_parts_list_with_an_annex1_column_makes_the_status_known(tmp_path):
    header = PARTS_HEADER + ["Annex1"]
    write_workbook(tmp_path / "Parts List.xlsx", {"Parts": [header, *[row + [None] for row in PARTS]]})
    write_workbook(tmp_path / "TR-01.xlsx", {"Truck assembly": [["PN", "QTY"], ["CH-01", 1], ["WHL-1", 4], ["SCR-1", 8]]})
    write_workbook(tmp_path / "CH-01.xlsx", {"Chassis": [["PN", "QTY"], ["MAG-1", 2], ["SCR-1", 12]]})
    bom = bomcalc.read_workbook(tmp_path)
    assert bom.parts["annex1_known"].all()
    assert bom.parts.loc["MAG-1", "annex1"] is None
