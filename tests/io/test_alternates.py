"""Ranked alternative groups: an alternative is never summed into the value of what it replaces."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import REJECTED, SKIPPED

SY_HEADER = ["Level", "Item", "Description", "Qty Per", "UM", "Per", "Alt Group", "Alt Group Rank", "Ref Designator",
             "Bubble", "Assembly Seq", "Stocked", "Source"]
MASTER_HEADER = ["Material", "Material Description", "Country of Origin", "Standard price", "Price unit", "Currency",
                 "Base Unit of Measure", "Annex 1"]
MASTER = [["ROTOR-X", "Rotor X", "DE", None, 1, "USD", "EA", "part2"],
          ["MAG-A2", "Magnet A2", "JP", 70, 1, "USD", "EA", "part2"],
          ["MAG-D", "Magnet D", "JP", 30, 1, "USD", "EA", "part2"],
          ["ALT-X", "Alternate magnet X", "JP", 1000, 1, "USD", "EA", None],
          ["DY-MET", "Dy metal", "CN", 0.35, 1, "USD", "G", "part1"]]


def _book(path, title, header, rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _syteline(tmp_path, rows):
    lines = [[level, item, item.lower(), qty, um, "Unit", group, rank, "", "", 1, "Y", "Purchased"]
             for level, item, qty, um, group, rank in rows]
    _book(tmp_path / "master.xlsx", "Material master", MASTER_HEADER, MASTER)
    return _book(tmp_path / "syteline.xlsx", "Indented BOM", SY_HEADER, lines)


# ROTOR-X: MAG-A2 (70, holds 0.4 g Dy at 0.35/g = 0.14) and MAG-D (30) both fitted (rank 0), ALT-X (1000) rank 1.
TWINS = [(0, "ROTOR-X", 1, "EA", 0, 0), (1, "MAG-A2", 1, "EA", 10, 0), (2, "DY-MET", Decimal("0.4"), "G", 10, 0),
         (1, "MAG-D", 1, "EA", 10, 0), (1, "ALT-X", 1, "EA", 10, 1)]


def test_an_alternative_next_to_two_fitted_lines_of_one_group_is_an_error_naming_the_rows(tmp_path):
    path = _syteline(tmp_path, TWINS)
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path, parts=[tmp_path / "master.xlsx"])
    (issue,) = [i for i in caught.value.issues if i.code == "ambiguous_alternates"]
    assert issue.part_id == "ROTOR-X" and "rows 3, 5, 6" in issue.message
    assert 'alternates = "fitted"' in issue.message and "group of the one line it replaces" in issue.message
    fates = {f.row: f.fate for f in caught.value.row_fates if f.file.endswith("syteline.xlsx")}
    assert fates[6] == REJECTED


def test_alternates_fitted_counts_only_the_fitted_lines(tmp_path):
    path = _syteline(tmp_path, TWINS)
    (tmp_path / "map.toml").write_text('[layout]\nalternates = "fitted"\n', encoding="utf-8")
    bom = bomcalc.read_workbook(path, parts=[tmp_path / "master.xlsx"], map=tmp_path / "map.toml")
    assert "ALT-X" not in bom.parts.index
    fates = {f.row: (f.fate, f.reason) for f in bom.row_fates if f.file.endswith("syteline.xlsx")}
    assert fates[6] == (SKIPPED, "alternative, not fitted")
    assert any("alternative line(s) of higher rank not counted" in note for note in bom.notes)
    result = bomcalc.evaluate(bom, as_of="2026-12-01", part2_scope="assemblies")
    rotor = result.items.set_index("part_id").loc["ROTOR-X"]
    assert rotor["status"] == "licence_required"  # 0.14 / 100 = 0.14%; with ALT-X summed 0.14 / 1100 = 0.0127%
    assert rotor["value"] == Decimal(100)


def test_one_fitted_line_and_its_alternative_is_still_read_as_an_alternative_group(tmp_path):
    path = _syteline(tmp_path, [(0, "ROTOR-X", 1, "EA", 0, 0), (1, "MAG-A2", 1, "EA", 10, 0),
                                (2, "DY-MET", Decimal("0.4"), "G", 10, 0), (1, "ALT-X", 1, "EA", 10, 1)])
    bom = bomcalc.read_workbook(path, parts=[tmp_path / "master.xlsx"])
    assert bom.graph.edges["ROTOR-X", "ALT-X"]["alt_group"] == bom.graph.edges["ROTOR-X", "MAG-A2"]["alt_group"]


def test_the_components_of_an_alternative_not_fitted_are_skipped_with_it(tmp_path):
    rows = TWINS + [(2, "DY-MET", Decimal("5"), "G", 10, 0)]  # ALT-X holds 5 g of Dy: not fitted, so not counted
    path = _syteline(tmp_path, rows)
    (tmp_path / "map.toml").write_text('[layout]\nalternates = "fitted"\n', encoding="utf-8")
    bom = bomcalc.read_workbook(path, parts=[tmp_path / "master.xlsx"], map=tmp_path / "map.toml")
    assert "ALT-X" not in bom.parts.index and ("ALT-X", "DY-MET") not in bom.graph.edges
    fates = {f.row: (f.fate, f.reason) for f in bom.row_fates if f.file.endswith("syteline.xlsx")}
    assert fates[7] == (SKIPPED, "component of an alternative, not fitted")
    assert bom.graph.edges["MAG-A2", "DY-MET"]["qty"] == Decimal("0.4")
