"""Which tool wrote a file, what its part ids are, and what its quantities are per.

Each test writes one small file with one quirk and reads it through the CLI:

* SAP CS11 and CS12 share their headers; without a title that tells them apart the run stops
  and asks for the quantity mode (per parent or extended), never settled by a priority;
* a KiCad BOM without a part-number column is an error, never a list of descriptions merged;
* a purchase list's names are part ids only where rows sharing a name agree;
* Odoo's and ERPNext's BoM quantity (a BoM that makes 2) divides its line quantities;
* a tool's profile needs one of its distinctive headers, and its part column is never read as
  a purchase list's names.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import openpyxl
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.io.columns import fill_down

AS_OF = "2026-11-11"


def _csv(path, rows, prefix=b""):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    if prefix:
        path.write_bytes(prefix + path.read_bytes())
    return str(path)


def _master(tmp_path, rows):
    header = ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1"]
    return _csv(tmp_path / "master.csv", [header, *rows])


def _run(command, *args):
    dated = ["--as-of", AS_OF] if command == "check" else []
    return CliRunner().invoke(main, [command, *args, *dated])


def _json(*args):
    result = _run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# SAP CS11 or CS12 -----------------------------------------------------------------------------
# MTR-2000 > ROTOR-ASM x1 > MAG-A x2 (70 USD, Part 2) > DY-MET 0.2 G (0.35 USD/G, CN, Part 1).
# Per parent (CS11): 0.2 G x 0.35 = 0.07 of 70 = 1/1000 = 0.1% -> licence required (inclusive).
# Extended (CS12, required qty 1): DY-MET 0.2 for 2 magnets = 0.1 G per magnet -> 0.035 of 70 =
# 1/2000 = 0.05% -> not required. The file's headers fit both; its title names neither.

def _sap_list(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["BOM for MTR-2000"], ["Material", "MTR-2000"], ["Base quantity", 1, "PC"], [],
                ["Explosion level", "Item Number", "Component number", "Object description", "Comp. Qty (BUn)",
                 "Base Unit of Measure", "Item category"],
                [".1", "0010", "ROTOR-ASM", "Rotor", 1, "PC", "L"], ["..2", "0010", "MAG-A", "Magnet A", 2, "PC", "L"],
                ["...3", "0010", "DY-MET", "Dy metal", 0.2, "G", "L"]):
        sheet.append(row)
    workbook.save(tmp_path / "cs1x.xlsx")
    master = _master(tmp_path, [["MTR-2000", "Motor", "US", "", "USD", "PC", ""], ["ROTOR-ASM", "Rotor", "US", "", "USD", "PC", ""],
                                ["MAG-A", "Magnet A", "JP", "70", "USD", "PC", "part2"],
                                ["DY-MET", "Dy metal", "CN", "0.35", "USD", "G", "part1"]])
    return str(tmp_path / "cs1x.xlsx"), master


def test_a_list_that_could_be_cs11_or_cs12_stops_and_asks_for_the_quantity_mode(tmp_path):
    bom, master = _sap_list(tmp_path)
    result = _run("check", bom, "--parts", master)
    assert result.exit_code == 1
    assert "fit profiles sap-cs12, sap-cs11 equally" in result.output
    assert "pass --qty-mode per-parent or --qty-mode extended" in result.output
    assert "--profile sap-cs11" in result.output
    assert "not_required" not in result.output
    validated = _run("validate", bom, "--parts", master, "--format", "json")
    assert "ambiguous_qty_mode" in {issue["code"] for issue in json.loads(validated.stdout)["issues"]}


def test_per_parent_quantities_catch_the_magnet_at_exactly_the_line(tmp_path):
    bom, master = _sap_list(tmp_path)
    document = _json("check", bom, "--parts", master, "--qty-mode", "per-parent")
    magnet = {item["part_id"]: item for item in document["items"]}["MAG-A"]
    assert magnet["status"] == "licence_required"
    assert Decimal(magnet["ratio"]) == Decimal("0.001")
    notes = " ".join(document["reading_notes"])
    assert "(required quantity 1)" in notes and "required quantity 1.0" not in notes


def test_extended_quantities_read_half_the_content_when_the_user_says_so(tmp_path):
    bom, master = _sap_list(tmp_path)
    magnet = {i["part_id"]: i for i in _json("check", bom, "--parts", master, "--qty-mode", "extended")["items"]}["MAG-A"]
    assert magnet["status"] == "not_required"
    assert Decimal(magnet["ratio"]) == Decimal("0.0005")


def test_naming_the_profile_settles_it_too(tmp_path):
    bom, master = _sap_list(tmp_path)
    magnet = {i["part_id"]: i for i in _json("check", bom, "--parts", master, "--profile", "sap-cs11")["items"]}["MAG-A"]
    assert magnet["status"] == "licence_required"


# KiCad without a part-number column; purchase lists with repeated names ------------------------

KICAD_SAME_DESCRIPTION = [["Reference", "Quantity", "Value", "Footprint", "Description"],
                          ["R1, R2", 2, "10k", "R_0603", "Resistor"], ["R7", 1, "1M", "R_1206", "Resistor"]]


def test_a_kicad_bom_without_part_numbers_is_recognised_and_refused(tmp_path):
    path = _csv(tmp_path / "kicad.csv", KICAD_SAME_DESCRIPTION)
    result = _run("validate", path, "--root", "PCB-3", "--format", "json")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)["issues"]
    assert [issue["code"] for issue in issues] == ["no_part_column"]
    assert "profile kicad" in issues[0]["message"] and "MPN" in issues[0]["message"]
    assert "summed" not in result.output


def test_a_kicad_bom_with_a_byte_order_mark_and_quoted_headers_is_recognised_too(tmp_path):
    path = tmp_path / "kicad_bom.csv"
    lines = ['"Reference","Quantity","Value","Footprint","Description"', '"R1, R2","2","10k","R_0603","Resistor"',
             '"R7","1","10k","R_1206","Resistor 1W"']
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines + [""]).encode())
    result = _run("check", str(path), "--root", "PCB-2")
    assert result.exit_code == 1
    assert "read with profile kicad (KiCad BOM), but no header row" in result.output


def test_a_kicad_bom_with_an_mpn_column_is_read_by_its_part_numbers(tmp_path):
    rows = [["Reference", "Quantity", "Value", "Footprint", "Description", "MPN"],
            ["R1, R2", 2, "10k", "R_0603", "Resistor", "RC0603-10K"], ["R7", 1, "1M", "R_1206", "Resistor", "RC1206-1M"]]
    document = _json("check", _csv(tmp_path / "kicad.csv", rows), "--root", "PCB-3")
    assert any("profile kicad:" in note for note in document["reading_notes"])
    assert not any("no part numbers" in note for note in document["reading_notes"])


def test_purchase_list_rows_sharing_a_name_but_not_a_supplier_or_price_are_not_merged(tmp_path):
    rows = [["Name", "Supplier", "Qty", "Unit Price"], ["Magnet", "Acme", 2, 70], ["Magnet", "Bolt", 1, 30],
            ["Screw", "Acme", 4, "0.10"]]
    result = _run("validate", _csv(tmp_path / "list.csv", rows), "--root", "DRONE-1", "--format", "json")
    assert result.exit_code == 1
    duplicate = [i for i in json.loads(result.stdout)["issues"] if i["code"] == "duplicate_name"]
    assert len(duplicate) == 1 and duplicate[0]["row"] == 3 and duplicate[0]["part_id"] == "Magnet"
    assert "rows 2 and 3" in duplicate[0]["message"] and "'Supplier'" in duplicate[0]["message"]


def test_purchase_list_rows_repeating_a_part_exactly_still_merge(tmp_path):
    rows = [["Name", "Supplier", "Qty", "Unit Price"], ["Screw", "Acme", 4, "0.10"], ["Screw", "Acme", 2, "0.10"]]
    result = _run("validate", _csv(tmp_path / "list.csv", rows), "--root", "DRONE-1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "duplicate_name" not in {issue["code"] for issue in json.loads(result.stdout)["issues"]}


# Odoo and ERPNext: the BoM quantity ------------------------------------------------------------
# MAG-A's BoM makes 2 magnets from 0.4 G of DY-MET: 0.2 G per magnet x 0.35 = 0.07 of 70 = 0.1%
# exactly -> licence required. Read per one BoM (0.4 G per magnet) it would be 0.2%.

MAGNET_MASTER = [["MOTOR-1", "Motor", "US", "", "USD", "Units", ""], ["MAG-A", "Magnet A", "JP", "70", "USD", "Units", "part2"],
                 ["DY-MET", "Dy metal", "CN", "0.35", "USD", "g", "part1"], ["SCREW", "Screw", "US", "0.10", "USD", "Units", ""]]


def test_odoo_line_quantities_are_per_the_quantity_the_bom_makes(tmp_path):
    rows = [["Product", "Quantity", "BoM Lines/Component", "BoM Lines/Quantity", "BoM Lines/Product Unit of Measure"],
            ["MOTOR-1", 1, "MAG-A", 1, "Units"], ["", "", "SCREW", 4, "Units"],
            ["MAG-A", 2, "DY-MET", "0.4", "g"]]
    document = _json("check", _csv(tmp_path / "odoo.csv", rows), "--parts", _master(tmp_path, MAGNET_MASTER))
    magnet = {item["part_id"]: item for item in document["items"]}["MAG-A"]
    assert magnet["status"] == "licence_required"
    assert Decimal(magnet["ratio"]) == Decimal("0.001")
    assert any("1 line quantity divided by the quantity in column 'Quantity' (MAG-A: 2)" in note
               for note in document["reading_notes"])


def test_erpnext_line_quantities_are_per_the_quantity_the_bom_makes(tmp_path):
    rows = [["ID", "Item", "Quantity", "Item Code (Items)", "Qty (Items)", "UOM (Items)"],
            ["BOM-MOTOR-1", "MOTOR-1", 1, "MAG-A", 1, "Units"],
            ["BOM-MAG-A", "MAG-A", 4, "DY-MET", "0.8", "g"]]
    document = _json("check", _csv(tmp_path / "erpnext.csv", rows), "--parts", _master(tmp_path, MAGNET_MASTER))
    magnet = {item["part_id"]: item for item in document["items"]}["MAG-A"]
    assert any("profile erpnext:" in note for note in document["reading_notes"])
    assert magnet["status"] == "licence_required"
    assert Decimal(magnet["ratio"]) == Decimal("0.001")


def test_a_bom_quantity_is_filled_down_only_within_its_own_bom():
    data = [(2, {"parent": "A", "qty_basis": Decimal(2), "qty": Decimal(4)}),
            (3, {"parent": None, "qty_basis": None, "qty": Decimal(6)}),
            (4, {"parent": "B", "qty_basis": None, "qty": Decimal(1)}),
            (5, {"parent": None, "qty_basis": None, "qty": Decimal(1)})]
    fill_down(data, ["parent", "qty_basis"])
    assert [(cells["parent"], cells["qty_basis"]) for _, cells in data] == [
        ("A", Decimal(2)), ("A", Decimal(2)), ("B", None), ("B", None)]


# Profiles: distinctive headers; a tool's part column is no purchase list's name ----------------

def test_generic_headers_do_not_select_a_tool_profile(tmp_path):
    rows = [["Level", "Part Number", "Quantity", "Description"], [0, "TOP", 1, "Top"], [1, "A", 2, "Part A"]]
    document = _json("check", _csv(tmp_path / "plain.csv", rows))
    notes = " ".join(document["reading_notes"])
    assert "profile generic" in notes
    assert "fusion" not in notes


def test_syteline_item_is_its_part_number_not_a_purchase_list_name(tmp_path):
    rows = [["Level", "Item", "Description", "Qty Per", "UM", "Alt Group", "Alt Group Rank"],
            [0, "TOP-1", "Top", 1, "EA", None, None], [1, "MAG-A", "Magnet", 2, "EA", 1, 0]]
    document = _json("check", _csv(tmp_path / "syteline.csv", rows))
    notes = document["reading_notes"]
    assert any("profile syteline:" in note for note in notes)
    assert any("column 'Item': the part number" in note for note in notes)
    assert not any("no part numbers" in note for note in notes)


def test_a_bom_quantity_without_a_finite_quotient_is_rounded_with_a_warning(tmp_path):
    rows = [["Product", "Quantity", "BoM Lines/Component", "BoM Lines/Quantity", "BoM Lines/Product Unit of Measure"],
            ["MOTOR-1", 1, "MAG-A", 1, "Units"], ["MAG-A", 3, "DY-MET", 1, "g"]]
    document = _json("check", _csv(tmp_path / "odoo.csv", rows), "--parts", _master(tmp_path, MAGNET_MASTER))
    inexact = [issue for issue in document["issues"] if issue["code"] == "inexact_quantity"]
    assert len(inexact) == 1 and inexact[0]["row"] == 3 and "1 / 3 (column 'Quantity')" in inexact[0]["message"]
