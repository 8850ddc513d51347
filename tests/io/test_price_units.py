"""A part's price has one unit: repeats in other units, and quantities without a unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError

HEADER = "Level,Part Number,Description,Qty,Unit,Country of Origin,Unit Price,Currency,Annex 1\n"
TOP = "0,GEN-9,Generator,1,EA,US,,USD,\n"


def _csv(tmp_path, *rows: str):
    path = tmp_path / "bom.csv"
    path.write_text(HEADER + TOP + "".join(rows), encoding="utf-8")
    return path


def test_one_price_given_per_kg_and_per_g_on_two_rows_is_an_error_naming_both_rows(tmp_path):
    path = _csv(tmp_path, "1,MAG-9A,Magnet A,1,PCS,JP,70,USD,part2\n", "2,DY-9,Dy,0.0002,KG,CN,0.35,USD,part1\n",
                "1,MAG-9B,Magnet B,1,EA,JP,70,USD,part2\n", "2,DY-9,Dy,0.2,G,CN,0.35,USD,part1\n")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    (issue,) = [i for i in caught.value.issues if i.part_id == "DY-9"]
    assert issue.code == "conflicting_attributes" and issue.row == 6
    assert "per 'G' here but per 'KG'" in issue.message and "row 4" in issue.message


def test_the_same_price_converted_between_units_is_no_conflict(tmp_path):
    path = _csv(tmp_path, "1,MAG-9A,Magnet A,1,PCS,JP,70,USD,part2\n", "2,DY-9,Dy,0.0002,KG,CN,350,USD,part1\n",
                "1,MAG-9B,Magnet B,1,EA,JP,70,USD,part2\n", "2,DY-9,Dy,0.2,G,CN,0.35,USD,part1\n")
    bom = bomcalc.read_workbook(path)
    assert bom.parts.loc["DY-9", "unit_value"] == Decimal(350)
    assert bom.graph.edges["MAG-9B", "DY-9"]["qty"] == Decimal("0.0002")


def test_units_that_are_one_unit_under_two_names_are_no_conflict(tmp_path):
    path = _csv(tmp_path, "1,MAG-9A,Magnet A,1,PCS,JP,70,USD,part2\n", "1,MAG-9B,Magnet B,1,EA,JP,70,USD,part2\n",
                "2,SCR,Screw,2,PCS,US,1,USD,\n", "1,SCR,Screw,3,EA,US,1,USD,\n")
    bom = bomcalc.read_workbook(path)
    assert bom.parts.loc["SCR", "unit_value"] == Decimal(1)


def test_a_price_given_on_a_later_row_is_per_that_rows_unit(tmp_path):
    # first row: no price, in KG; second row: 0.35 per G. 0.2 g * 0.35 = 0.07 = exactly 0.1% of 70.
    path = _csv(tmp_path, "1,MAG-9A,Magnet A,1,PCS,JP,70,USD,part2\n", "2,DY-9,Dy,0.0002,KG,CN,,USD,part1\n",
                "1,MAG-9B,Magnet B,1,EA,JP,70,USD,part2\n", "2,DY-9,Dy,0.2,G,CN,0.35,USD,part1\n")
    result = bomcalc.evaluate(bomcalc.read_workbook(path), as_of="2026-12-01")
    status = dict(zip(result.items["part_id"], result.items["status"]))
    assert status["MAG-9A"] == status["MAG-9B"] == "licence_required"


def _cad_with_master(tmp_path, master_unit: str, qty: str = "0.2"):
    import openpyxl

    (tmp_path / "bom.csv").write_text("ITEM NO.,PART NUMBER,DESCRIPTION,QTY.\n1,MAG-A,Magnet,1\n1.1,DY-MET,Dy,"
                                      f"{qty}\n", encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Material", "Country of Origin", "Standard price", "Currency", "Base Unit of Measure", "Annex 1"])
    sheet.append(["MAG-A", "JP", 70, "USD", "EA", "part2"])
    sheet.append(["DY-MET", "CN", 350, "USD", master_unit, "part1"])
    workbook.save(tmp_path / "master.xlsx")
    return bomcalc.read_workbook(tmp_path / "bom.csv", parts=[tmp_path / "master.xlsx"], root="MOTOR")


def test_a_quantity_without_a_unit_read_in_the_masters_mass_unit_is_a_warning_naming_the_unit_and_row(tmp_path):
    bom = _cad_with_master(tmp_path, "KG")
    (issue,) = [i for i in bom.issues if i.code == "unit_assumed"]
    assert issue.part_id == "DY-MET" and issue.severity == "warning" and issue.row == 3
    assert "quantity 0.2 of DY-MET (row 3) read in KG, the unit of its price in master.xlsx" in issue.message


def test_a_quantity_without_a_unit_of_a_part_priced_per_piece_needs_no_warning(tmp_path):
    bom = _cad_with_master(tmp_path, "PCS", qty="2")
    assert not [i for i in bom.issues if i.code == "unit_assumed"]


def _bom_priced_per_gram_with_master(tmp_path, master_row: list):
    import openpyxl

    (tmp_path / "bom.csv").write_text(HEADER + TOP + "1,MAG-9A,Magnet A,1,PCS,JP,70,USD,part2\n"
                                      "2,DY-9,Dy,0.2,G,CN,0.35,USD,part1\n", encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Material", "Standard price", "Currency", "Base Unit of Measure"])
    sheet.append(master_row)
    workbook.save(tmp_path / "master.xlsx")
    return tmp_path / "bom.csv", tmp_path / "master.xlsx"


def test_a_master_unit_that_would_change_the_unit_of_the_boms_price_is_an_error(tmp_path):
    bom, master = _bom_priced_per_gram_with_master(tmp_path, ["DY-9", None, None, "KG"])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(bom, parts=[master])
    (issue,) = [i for i in caught.value.issues if i.code == "conflicting_attributes"]
    assert issue.part_id == "DY-9" and issue.file.endswith("master.xlsx")
    assert "its unit as 'KG' here, but its price '0.35'" in issue.message and "is per 'G'" in issue.message


def test_the_same_price_per_kg_in_the_master_agrees_with_the_boms_price_per_g(tmp_path):
    bom, master = _bom_priced_per_gram_with_master(tmp_path, ["DY-9", 350, "USD", "KG"])
    result = bomcalc.evaluate(bomcalc.read_workbook(bom, parts=[master]), as_of="2026-12-01")
    status = dict(zip(result.items["part_id"], result.items["status"]))
    assert status["MAG-9A"] == "licence_required"  # 0.2 g x 0.35 = 0.07 = 0.1% of 70


def test_a_master_price_per_kg_that_differs_from_the_boms_price_per_g_is_an_error(tmp_path):
    bom, master = _bom_priced_per_gram_with_master(tmp_path, ["DY-9", 0.35, "USD", "KG"])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(bom, parts=[master])
    (issue,) = [i for i in caught.value.issues if i.code == "conflicting_attributes"]
    assert "a price per 'KG' here but per 'G'" in issue.message
