"""Error and warning texts name the file, row and part, say how to fix, and show numbers as written."""

from __future__ import annotations

import openpyxl
import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import SKIPPED


def _xlsx(path, rows, title="BOM"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _errors(path, **options):
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path, **options)
    return caught.value


def test_a_quantity_formula_without_a_saved_value_names_the_part_and_is_the_only_error_of_its_row(tmp_path):
    path = _xlsx(tmp_path / "bom.xlsx", [["Level", "Part Number", "Qty", "Unit Price"], [0, "TOP", 1, None],
                                          [1, "F-0005", "=1+1", 2], [1, "F-0006", 1, 3]])
    error = _errors(path)
    row_four = [i for i in error.issues if i.row == 3 and i.severity == "error"]
    assert [i.code for i in row_four] == ["uncached_formula"]
    assert row_four[0].part_id == "F-0005" and "cell C3 (qty of F-0005)" in row_four[0].message


def test_a_shifted_row_of_a_text_file_gives_one_error_and_names_a_trailing_delimiter(tmp_path):
    path = tmp_path / "purchase.csv"
    path.write_text("Item,Category,Qty,Unit Price (USD),Extended Price (USD),Notes\nMagnet A,Magnets,4,70.00,280.00,\n"
                    "Frame, carbon,Structure,1,120.00,120.00,\n", encoding="utf-8")
    error = _errors(path, root="KIT")
    assert [(i.code, i.row) for i in error.issues if i.severity == "error"] == [("malformed_row", 3)]
    assert "an unquoted ',' inside a value or a trailing delimiter" in error.issues[0].message


def test_incompatible_units_say_how_to_give_a_conversion(tmp_path):
    (tmp_path / "bom.csv").write_text("Level,Part Number,Qty,Unit\n0,TOP,1,EA\n1,WIRE,2,M\n", encoding="utf-8")
    _xlsx(tmp_path / "master.xlsx", [["Material", "Standard price", "Currency", "Base Unit of Measure"],
                                     ["WIRE", 5, "USD", "KG"]])
    error = _errors(tmp_path / "bom.csv", parts=[tmp_path / "master.xlsx"])
    (issue,) = [i for i in error.issues if i.code == "incompatible_units"]
    assert issue.part_id == "WIRE" and "--units FILE (unit, base, factor)" in issue.message


def test_an_error_in_the_parts_master_is_counted_in_the_master_not_the_bom(tmp_path):
    (tmp_path / "bom.csv").write_text("Level,Part Number,Qty\n0,TOP,1\n1,DY-MET,2\n", encoding="utf-8")
    _xlsx(tmp_path / "master.xlsx", [["Material", "Standard price", "Currency"], ["DY-MET", 350.0, "USD"],
                                     ["DY-MET", 340.0, "USD"]], title="Parts")
    error = _errors(tmp_path / "bom.csv", parts=[tmp_path / "master.xlsx"])
    assert f"1 data error(s) in {tmp_path / 'master.xlsx'} (read with {tmp_path / 'bom.csv'})" in str(error)
    (issue,) = [i for i in error.issues if i.code == "conflicting_attributes"]
    assert "'340' here but '350'" in issue.message


def test_the_line_total_warning_of_a_purchase_list_names_the_part(tmp_path):
    path = tmp_path / "purchase.csv"
    path.write_text("Item,Category,Qty,Unit Price (USD),Extended Price (USD)\nMagnet A,Magnets,4,70.00,280.00\n"
                    "Flight Controller,Avionics,1,89.00,98.00\n", encoding="utf-8")
    bom = bomcalc.read_workbook(path, root="KIT")
    (issue,) = [i for i in bom.issues if i.code == "extended_price_mismatch"]
    assert issue.part_id == "Flight Controller" and issue.row == 3


def test_a_dash_row_above_the_header_is_a_separator_row(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Generator GEN-1\n----------\nLevel,Part Number,Qty\n0,GEN-1,1\n1,A,2\n", encoding="utf-8")
    bom = bomcalc.read_workbook(path)
    fates = {f.row: (f.fate, f.reason) for f in bom.row_fates}
    assert fates[2] == (SKIPPED, "separator row")
    assert fates[1] == (SKIPPED, "title block above the header")


def test_a_price_conflict_shows_each_price_over_its_price_unit(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Level,Part Number,Qty,Unit Price,Price unit\n0,TOP,1,,\n1,A,1,,\n2,DY,2,350,1000\n1,B,1,,\n"
                    "2,DY,2,350,1\n", encoding="utf-8")
    error = _errors(path)
    (issue,) = [i for i in error.issues if i.code == "conflicting_attributes"]
    assert issue.row == 6 and "a price of '350' here but '350' per 1000 units" in issue.message


def test_a_reading_note_that_ends_with_a_period_gets_no_second_one(tmp_path):
    import dataclasses

    from bomcalc.report.documents import format_table

    (tmp_path / "bom.csv").write_text("Level,Part Number,Qty,Unit Price\n0,TOP,1,\n1,A,2,3\n", encoding="utf-8")
    bom = bomcalc.read_workbook(tmp_path / "bom.csv")
    bom = dataclasses.replace(bom, notes=("members told apart by Usage prob.", "plain note"))
    text = format_table(bomcalc.evaluate(bom, as_of="2026-12-01"))
    assert "Read: members told apart by Usage prob.\n" in text and "Usage prob.." not in text
    assert "Read: plain note.\n" in text


def test_the_required_quantity_of_a_title_block_is_shown_as_written(tmp_path):
    path = _xlsx(tmp_path / "cs12.xlsx", [
        ["Display Multi-Level BOM"], [None], ["Material", "MTR-2000", "Servo motor 2000"], ["Plant", "1000"],
        ["Alternative", "1"], ["Required qty", 2, "PC"], [None],
        ["Explosion level", "Item Number", "Component number", "Object description", "Comp. Qty (BUn)",
         "Base Unit of Measure", "Item category"],
        [".1", "0010", "ROTOR-ASM", "Rotor assembly", 2, "PC", "L"],
        ["..2", "0010", "MAG-A", "Magnet A", 4, "PC", "L"]])
    bom = bomcalc.read_workbook(path)
    (note,) = [n for n in bom.notes if "taken from the title block" in n]
    assert "(required quantity 2)" in note
