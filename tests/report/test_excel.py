"""The Excel audit report and CSV output, written to files and read back."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pandas as pd
import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.report.audit import SHEETS, TABLE_COLUMNS
from bomcalc.cli import main
from bomcalc.core.errors import InputFileError
from bomcalc.report.excel import STATUS_COLOURS, file_facts, write_excel_report
from bomcalc.io.writers import csv_text

SERVO = Path(__file__).resolve().parent.parent.parent / "sample_boms" / "servo_actuator.xlsx"
CREATED = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)

#: Text a spreadsheet program would run as a formula if it were written as one (OWASP).
HOSTILE = ('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)")


@pytest.fixture(scope="module")
def servo_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "servo_report.xlsx"
    evaluation = bomcalc.evaluate(bomcalc.read_workbook(SERVO), as_of="2026-03-01")
    write_excel_report(path, evaluation, created=CREATED)
    return openpyxl.load_workbook(path)


def _table(sheet, header_row: int = 1) -> list[dict]:
    rows = sheet.iter_rows(min_row=header_row, values_only=True)
    header = next(rows)
    return [dict(zip(header, row)) for row in rows]


def _header_row(sheet) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[0].value == "part_id")


def _fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


def test_the_workbook_has_every_sheet_with_its_documented_header(servo_book):
    assert servo_book.sheetnames == list(SHEETS)
    assert [c.value for c in servo_book["Summary"][_header_row(servo_book["Summary"])]] == [c.name for c in TABLE_COLUMNS["Summary"]]
    for name in SHEETS[1:]:
        assert [c.value for c in servo_book[name][1]][: len(TABLE_COLUMNS[name])] == [c.name for c in TABLE_COLUMNS[name]], name


def test_summary_shows_facts_statuses_in_colour_and_numbers_as_numbers(servo_book):
    sheet = servo_book["Summary"]
    facts = dict(zip((c.value for c in sheet[2]), (c.value for c in sheet[3])))
    assert facts["as of"] == "2026-03-01" and facts["rule pack"] == "mofcom-61-2025 2026.11.1" and facts["currency"] == "USD"
    assert facts["licence_required"] == 2
    top = _header_row(sheet)
    header = [c.value for c in sheet[top]]
    rows = {row[0].value: dict(zip(header, row)) for row in sheet.iter_rows(min_row=top + 1)}
    arc = rows["MAG-ARC"]
    assert arc["status"].value == "licence_required" and _fill(arc["status"]) == "FFC7CE"  # red
    assert _fill(rows["MAG-BRK"]["status"]) == STATUS_COLOURS["indeterminate"] == "FFD966"  # amber
    assert _fill(rows["MAG-ENC"]["status"]) == "C6EFCE"  # green
    assert arc["ratio"].data_type == "n" and arc["ratio"].value == pytest.approx(0.126 / 2.6)
    assert arc["ratio"].number_format == "0.0000%" and arc["threshold"].value == 0.001
    assert arc["cn_part1_value"].value == 0.126 and arc["cn_part1_value_exact"].value == "0.126"
    assert arc["headroom"].value == pytest.approx(-0.1234) and arc["value_basis"].value == "unit_value"
    assert arc["in_force"].value == "no" and "suspended until 2026-11-10" in arc["force_note"].value
    first_exact = next(i for i, c in enumerate(TABLE_COLUMNS["Summary"], start=1) if c.kind == "exact")
    assert sheet.column_dimensions[get_column_letter(first_exact)].hidden  # exact columns: grouped, collapsed
    assert sheet.column_dimensions[get_column_letter(first_exact)].outline_level == 1


def test_headers_are_frozen_and_filtered(servo_book):
    summary = servo_book["Summary"]
    top = _header_row(summary)
    assert summary.freeze_panes == f"B{top + 1}"
    assert summary.auto_filter.ref.startswith(f"A{top}:")
    for name in SHEETS[1:]:
        assert servo_book[name].freeze_panes in ("A2", "B2"), name
        assert servo_book[name].auto_filter.ref.startswith("A1:"), name


def test_contributions_read_back_sum_exactly_to_the_china_origin_content(servo_book):
    rows = _table(servo_book["Contributions"])
    arc = [row for row in rows if row["item"] == "MAG-ARC"]
    assert sum(Decimal(row["extended_value_exact"]) for row in arc) == Decimal("0.126")
    assert sum(row["extended_value"] for row in arc) == 0.126
    summary = {row["part_id"]: row for row in _table(servo_book["Summary"], _header_row(servo_book["Summary"]))}
    for item in {row["item"] for row in rows}:
        total = sum(Decimal(row["extended_value_exact"]) for row in rows if row["item"] == item)
        assert total == Decimal(summary[item]["cn_part1_value_exact"]), item
    assert _fill(servo_book["Contributions"]["B2"]) == "FFC7CE"


def test_the_charts_are_native_excel_charts(servo_book):
    charts = servo_book["Charts"]._charts
    # the ratio chart, then a Pareto chart for each flagged item: MAG-ARC (required), MAG-BRK (indeterminate)
    assert len(charts) == 3
    assert {type(chart).__name__ for chart in charts} == {"BarChart"}
    assert [row["part_id"] for row in _table(servo_book["Charts"])][:3] == ["MAG-ARC", "MAG-BRK", "MAG-ENC"]


def test_provenance_has_the_sha256_of_the_input_file_and_the_creation_time(servo_book):
    rows = _table(servo_book["Provenance"])
    files = {row["name"]: row for row in rows if row["section"] == "input file"}
    assert files[str(SERVO)]["value"] == hashlib.sha256(SERVO.read_bytes()).hexdigest()
    assert f"{SERVO.stat().st_size} bytes" in files[str(SERVO)]["note"]
    assert any(name.endswith("mofcom_61_2025.toml") and row["value"] for name, row in files.items())
    created = [row["value"] for row in rows if row["name"] == "created"]
    assert created == ["2031-01-02T03:04:05+00:00"]
    elsewhere = [
        (sheet.title, cell.coordinate) for sheet in servo_book if sheet.title != "Provenance"
        for row in sheet.iter_rows() for cell in row if "2031" in str(cell.value)
    ]
    assert elsewhere == []
    assert servo_book.properties.created == dt.datetime(2031, 1, 2, 3, 4, 5)


def test_hostile_text_is_written_as_text_never_as_a_formula(make_bom, tmp_path):
    bom = make_bom([
        ("MAG", "part2", "JP", "100", {"description": HOSTILE[0]}),
        (HOSTILE[3], "part1", "CN", "10", {"description": HOSTILE[1]}),
        (HOSTILE[2], "part1", "CN", "1", {"description": HOSTILE[2]}),
    ], [("MAG", HOSTILE[3], "0.1"), ("MAG", HOSTILE[2], "0.5")])
    path = tmp_path / "hostile.xlsx"
    write_excel_report(path, bomcalc.evaluate(bom, as_of="2026-11-11"), created=CREATED)
    book = openpyxl.load_workbook(path)
    seen = {}
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in HOSTILE:
                    seen[cell.value] = seen.get(cell.value, 0) + 1
                    assert cell.data_type == "s" and cell.quotePrefix, (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type != "f"
    assert set(seen) == set(HOSTILE)


def test_the_report_is_written_whole_or_not_at_all(make_bom, tmp_path):
    evaluation = bomcalc.evaluate(make_bom([("MAG", "part2", "JP", "100")]), as_of="2026-11-11")
    with pytest.raises(InputFileError):
        write_excel_report(tmp_path / "missing" / "report.xlsx", evaluation)
    write_excel_report(tmp_path / "report.xlsx", evaluation)
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]  # no temporary file left behind
    assert len(openpyxl.load_workbook(tmp_path / "report.xlsx")["Charts"]._charts) == 1  # ratio chart; MAG is not flagged


def test_file_facts_hash_folders_and_note_missing_files(tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "parts.csv").write_bytes(b"part_id\n")
    (folder / ".hidden").write_bytes(b"x")
    facts = file_facts([folder, tmp_path / "gone.csv"])
    assert [(Path(f.name).name, f.size) for f in facts] == [("parts.csv", 8), ("gone.csv", None)]
    assert facts[0].sha256 == hashlib.sha256(b"part_id\n").hexdigest() and facts[1].sha256 is None


def test_csv_text_defuses_formulas_but_keeps_numbers():
    table = pd.DataFrame({"text": [*HOSTILE, "-0.5", "+3", "\tx", "plain"], "number": [-0.5] * 8})
    rows = list(csv.DictReader(csv_text(table).splitlines()))
    assert [row["text"] for row in rows] == ["'" + text for text in HOSTILE] + ["-0.5", "+3", "'\tx", "plain"]
    assert {row["number"] for row in rows} == {"-0.5"}


def test_check_csv_output_defuses_hostile_descriptions(tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    with open(folder / "parts.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology"])
        writer.writerow(["TOP", "Actuator", "DE", "", "USD", "ea", "", ""])
        writer.writerow(["MAG", HOSTILE[0], "JP", "100", "USD", "ea", "part2", ""])
        writer.writerow(["DY", HOSTILE[1], "CN", "10", "USD", "kg", "part1", ""])
        writer.writerow(["TB", HOSTILE[2], "JP", "12", "USD", "kg", "part1", ""])
        writer.writerow(["SM", HOSTILE[3], "JP", "12", "USD", "kg", "part1", ""])
        writer.writerow(["GD", "-0.5", "JP", "12", "USD", "kg", "part1", ""])
    lines = "".join(f"MAG,{child},0.1\n" for child in ("DY", "TB", "SM", "GD"))
    (folder / "bom.csv").write_text("parent,child,qty\nTOP,MAG,1\n" + lines, encoding="utf-8")
    out = tmp_path / "result.csv"
    result = CliRunner().invoke(main, ["check", str(folder), "--as-of", "2026-11-10", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = {row["part_id"]: row for row in csv.DictReader(out.read_text(encoding="utf-8").splitlines())}
    assert [rows[p]["description"] for p in ("MAG", "DY", "TB", "SM")] == ["'" + text for text in HOSTILE]
    assert rows["GD"]["description"] == "-0.5"  # a number, not a formula
    assert rows["MAG"]["value"] == "100" and rows["MAG"]["status"] == "licence_required"
