"""``bomcalc requests``: the summary, the JSON document, nothing to ask, and refused or bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from bomcalc.cli import main

SERVO = Path(__file__).resolve().parent.parent / "sample_boms" / "servo_actuator.xlsx"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_requests_names_the_terbium_oxide_first_and_the_file_written(tmp_path):
    folder = tmp_path / "requests"
    result = run("requests", SERVO, "--as-of", "2026-11-11", "--output", folder)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1 part(s) to ask about, for 2 indeterminate item(s)")
    assert any(line.startswith("Wrote ") and line.endswith("declaration_request.xlsx: 1 part(s), all parts") for line in lines)
    top = next(line for line in lines if line.startswith("Top request:"))
    assert top.startswith("Top request: TB-OX (") and "decides MAG-BRK: can move its ratio by up to 1.2778 percentage points" in top
    assert [path.name for path in folder.iterdir()] == ["declaration_request.xlsx"]


def test_requests_json_gives_the_same_as_a_document(tmp_path):
    folder = tmp_path / "requests"
    result = run("requests", SERVO, "--as-of", "2026-11-11", "--output", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["forms"] == [{"file": "declaration_request.xlsx", "supplier": None, "parts": ["TB-OX"]}]
    first = document["requests"][0]
    assert first["part_id"] == "TB-OX" and first["rank"] == 1
    assert first["reasons"][0] == {"item": "MAG-BRK", "kind": "content", "reach": "0.05", "item_value": "3.9129",
                                   "points": "1.2778",
                                   "text": "decides MAG-BRK: can move its ratio by up to 1.2778 percentage points "
                                           "(0.0716% to 1.3494%)"}
    assert document["near_line_factor"] == "2" and "within a factor of 2" in document["policy"]


def clear_bom(tmp_path: Path) -> Path:
    """A canonical workbook whose only magnet is 1% Chinese Dy: required, far from the line, every fact known."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    parts = workbook.create_sheet("parts")
    parts.append(["part_id", "origin", "unit_value", "currency", "annex1"])
    parts.append(["MAG", "DE", 100, "USD", "part2"])
    parts.append(["DY", "CN", 1, "USD", "part1"])
    bom = workbook.create_sheet("bom")
    bom.append(["parent", "child", "qty"])
    bom.append(["MAG", "DY", 1])
    path = tmp_path / "clear.xlsx"
    workbook.save(path)
    return path


def test_nothing_to_ask_writes_nothing_and_exits_0(tmp_path):
    folder = tmp_path / "requests"
    result = run("requests", clear_bom(tmp_path), "--as-of", "2026-11-11", "--output", folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Nothing to ask: no Annex 1 item is indeterminate or near the line")
    assert not folder.exists()


def test_the_near_line_option_asks_about_an_item_close_to_the_line(tmp_path):
    folder = tmp_path / "requests"
    result = run("requests", clear_bom(tmp_path), "--as-of", "2026-11-11", "--output", folder, "--near-line", "10",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["near_line_items"] == ["MAG"]
    assert document["requests"][0]["reasons"][0]["text"] == (
        "MAG is 1.0000%, 0.9000 points above the 0.1% line; this input gives 1.0000 points of it")


def test_bad_input_is_one_clear_error_and_no_traceback(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    result = run("requests", broken, "--output", tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()
    result = run("requests", SERVO, "--output", tmp_path / "out", "--near-line", "half")
    assert result.exit_code == 1 and "near-the-line factor must be a number of 1 or more" in result.output
    assert "Traceback" not in result.output


def test_an_input_is_never_overwritten(tmp_path):
    declarations = tmp_path / "declarations"
    declarations.mkdir()
    (declarations / "keep.csv").write_text("part_id,cn_part1_value\n")
    result = run("requests", SERVO, "--declarations", declarations, "--output", declarations)
    assert result.exit_code == 1 and "would overwrite" in result.output
    assert [path.name for path in declarations.iterdir()] == ["keep.csv"]
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x.txt").write_text("mine")
    result = run("requests", SERVO, "--output", taken)
    assert result.exit_code == 1 and "not empty" in result.output
    assert (taken / "x.txt").read_text() == "mine"


def hostile_bom(tmp_path: Path, suppliers: list[str | None]) -> Path:
    """An indented CSV export with a Supplier column: a German magnet worth 10 holding one unknown-origin Tb oxide
    (500 USD/kg) per supplier, the n-th one 0.001 x n kg."""
    rows = [["Level", "Part Number", "Description", "Qty", "Unit Price", "Currency", "Country of Origin", "Annex 1",
             "Supplier"], ["0", "MAG-1", "magnet", "1", "10", "USD", "DE", "part2", ""]]
    for number, supplier in enumerate(suppliers, start=1):
        rows.append(["1", f"TB-{number}", "terbium oxide", f"0.00{number}", "500", "USD", "", "part1", supplier or ""])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_hostile_supplier_names_stay_inside_the_folder_and_never_collide(tmp_path):
    long = ("Very Long Supplier Name " * 20).strip()
    suppliers = ["../x", "x", "CON", "=cmd|' /C calc'!A0", long, "Red\u202e Metals", None]
    bom = hostile_bom(tmp_path, suppliers)
    folder = tmp_path / "out"
    result = run("requests", bom, "--as-of", "2026-11-11", "--output", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    files = {form["supplier"]: form["file"] for form in document["forms"]}
    # one safe name, two files: "x" (TB-2, 0.002 kg) ranks before "../x" (TB-1, 0.001 kg) and keeps the plain name
    assert files["x"] == "x.xlsx" and files["../x"] == "x-2.xlsx"
    assert files["CON"] == "CON_supplier.xlsx"
    assert files["=cmd|' /C calc'!A0"] == "cmd_C_calc_A0.xlsx"
    assert len(files[long]) <= 65 and files[long].startswith("Very_Long_Supplier_Name_")
    assert files[None] == "unknown_supplier.xlsx"
    assert sorted(path.name for path in folder.iterdir()) == sorted(files.values())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hostile.csv", "out"]  # nothing written beside it
    text = run("requests", bom, "--as-of", "2026-11-11", "--output", tmp_path / "again")
    assert text.exit_code == 0, text.output
    assert "\u202e" not in text.stdout and "Red\\u202e Metals" in text.stdout  # shown, never acted on
    assert "unknown_supplier.xlsx: 1 part(s), unknown supplier (the BOM names none for these parts)" in text.stdout
    # TB-7 (0.007 kg x 500 = 3.5 USD of a 10 USD magnet: 35 points) is the top request
    assert "Top request: TB-7 (terbium oxide): decides MAG-1: can move its ratio by up to 35.0000 percentage points" in text.stdout


def test_a_filled_in_request_read_back_by_check_decides_the_brake_magnet(tmp_path):
    folder = tmp_path / "requests"
    assert run("requests", SERVO, "--as-of", "2026-11-11", "--output", folder).exit_code == 0
    path = folder / "declaration_request.xlsx"
    workbook = openpyxl.load_workbook(path)
    products = workbook["Product List"]
    header = [cell.value for cell in products[1]]
    row = [None] * len(header)
    row[header.index("Customer part number")], row[header.index("Country of origin")] = "TB-OX", "JP"
    products.append(row)
    workbook.save(path)
    result = run("check", SERVO, "--as-of", "2026-11-11", "--declarations", folder, "--format", "json")
    assert result.exit_code == 0, result.output
    statuses = {item["part_id"]: item["status"] for item in json.loads(result.stdout)["items"]}
    # TB-OX of Japanese origin: MAG-BRK holds only 0.0028 USD of Chinese Dy in 3.9129 USD, 0.0716% < 0.1%
    assert statuses["MAG-BRK"] == "not_required" and statuses["TB-OX"] == "not_required"
    again = run("requests", SERVO, "--as-of", "2026-11-11", "--declarations", folder, "--output", tmp_path / "next")
    # MAG-BRK is now decided, but at 0.0716% it is near the line (0.05% to 0.2%): the Dy in it is asked about
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("1 part(s) to ask about, for 0 indeterminate item(s) and 1 item(s) near the line")
    assert ("Top request: DY-MET (Dysprosium metal, 99.5%): MAG-BRK is 0.0716%, 0.0284 points below the 0.1% line; "
            "this input gives 0.0716 points of it.") in again.stdout
