"""The US EAR de minimis pack on the command line: --rules us-ear-de-minimis --destination CC.

The drive (DE, 400 USD) holds a US-origin controlled MCU (60) and FPGA (40): 100 / 400 = exactly
25%, so it is not subject for a destination outside E:1/E:2 and subject for one inside (10%).
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from bomcalc.cli import main

from .conftest import write_workbook

HEADER = ["part_id", "description", "origin", "unit_value", "currency", "uom", "us_controlled"]


@pytest.fixture
def drive(tmp_path):
    return write_workbook(tmp_path / "drive.xlsx", {
        "parts": [HEADER,
                  ["DRIVE", "Servo drive", "DE", 400, "USD", "ea", None],
                  ["MCU", "Microcontroller", "US", 60, "USD", "ea", "TRUE"],
                  ["FPGA", "FPGA", "US", 40, "USD", "ea", "yes"],
                  ["PSU", "Power supply", "US", 30, "USD", "ea", "FALSE"],
                  ["CASE", "Housing", "CN", 15, "USD", "ea", None]],
        "bom": [["parent", "child", "qty"], ["DRIVE", "MCU", 1], ["DRIVE", "FPGA", 1], ["DRIVE", "PSU", 1],
                ["DRIVE", "CASE", 1]],
    })


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def check(path, *options):
    return run("check", path, "--rules", "us-ear-de-minimis", "--as-of", "2026-12-01", *options)


def test_exactly_25_percent_to_germany_is_not_subject(drive):
    result = check(drive, "--destination", "DE", "--format", "json", "--fail-on", "required")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [(i["part_id"], i["status"], i["ratio"]) for i in document["items"]] == [("DRIVE", "not_subject", "0.25")]
    assert document["summary"] == {"subject_to_ear": 0, "indeterminate": 0, "not_subject": 1}
    assert document["rule_pack"]["statuses"] == {"required": "subject_to_ear", "indeterminate": "indeterminate",
                                                 "not_required": "not_subject"}
    assert document["rule_pack"]["threshold"] == "0.25" and document["rule_pack"]["inclusive"] is False


def test_exactly_25_percent_to_an_e1_country_is_subject_and_fails_on_required(drive):
    result = check(drive, "--destination", "SY", "--fail-on", "required")
    assert result.exit_code == 3, result.output
    first = result.stdout.splitlines()[2].split()
    assert first[:2] == ["subject_to_ear", "DRIVE"]
    assert "1 foreign-made item(s): 1 subject to the EAR, 0 indeterminate, 0 not subject to the EAR." in result.stdout
    assert "Country Group E:1: threshold 0.10" in result.stdout


def test_without_a_destination_the_result_says_the_strictest_threshold_applied(drive):
    result = check(drive)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2].split()[0] == "subject_to_ear"
    assert "no --destination given: the strictest threshold 0.10 applies (fail closed)" in result.output


def test_a_bad_destination_is_one_clear_line(drive):
    result = check(drive, "--destination", "Germany")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "not an ISO 3166 alpha-2 country code" in result.output


def test_explain_uses_the_pack_wording(drive):
    result = run("explain", drive, "DRIVE", "--rules", "us-ear-de-minimis", "--destination", "FR", "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "2. Controlled US-origin content of one unit:" in result.stdout
    assert "total controlled US-origin value = 100 USD" in result.stdout
    assert "100 > 100: no (ratio 25.0000%)" in result.stdout
    assert "Determination: not_subject (not subject to the EAR)" in result.stdout
    assert "China" not in result.stdout


def test_the_excel_report_colours_the_pack_labels(drive, tmp_path):
    output = tmp_path / "report.xlsx"
    result = run("report", drive, "--output", output, "--rules", "us-ear-de-minimis", "--destination", "CU",
                 "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(output)
    cells = [c for row in workbook.worksheets[0].iter_rows() for c in row if c.value == "subject_to_ear"]
    assert cells and cells[0].fill.fgColor.rgb.endswith("FFC7CE")  # the "required" colour


def test_an_unknown_pack_id_names_the_packaged_ones(drive):
    result = run("check", drive, "--rules", "us-ear")
    assert result.exit_code != 0 and "us-ear-de-minimis" in result.output


def test_an_audit_pack_records_the_destination_and_verifies(drive, tmp_path):
    folder = tmp_path / "pack"
    made = run("report", drive, "--pack", folder, "--rules", "us-ear-de-minimis", "--destination", "CU",
               "--as-of", "2026-12-01")
    assert made.exit_code == 0, made.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["options"]["destination"] == "CU"
    assert json.loads((folder / "result.json").read_text())["items"][0]["status"] == "subject_to_ear"  # 25% > 10%
    verified = run("verify", folder)
    assert verified.exit_code == 0 and "verified" in verified.output


def test_the_html_report_runs_under_the_pack_with_its_labels_and_the_destination_threshold(drive, tmp_path):
    result = run("report", drive, "--html", tmp_path / "r.html", "--rules", "us-ear-de-minimis", "--destination", "IR",
                 "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "us-ear-de-minimis" in page and "subject_to_ear" in page  # 100 / 400 = 25% > 10% (E:1)
    assert "<strong>Subject to the EAR</strong>" in page and "subject to the EAR by de_minimis" in page
    assert "licence required by" not in page  # the pack's words, not the default pack's

def test_an_unknown_flag_is_named_with_its_own_column_not_the_annex1_advice(tmp_path):
    path = write_workbook(tmp_path / "open.xlsx", {
        "parts": [HEADER, ["DRIVE", "Servo drive", "DE", 400, "USD", "ea", None],
                  ["MCU", "Microcontroller", "US", 60, "USD", "ea", None]],
        "bom": [["parent", "child", "qty"], ["DRIVE", "MCU", 1]],
    })
    result = run("check", path, "--rules", "us-ear-de-minimis", "--destination", "FR", "--as-of", "2026-12-01")
    assert "us_controlled known (or not needed) for 1" in result.output  # MCU (US) has no flag; DRIVE needs none
    assert "1 part(s) may or may not count (us_controlled blank or unknown, or the origin unknown): MCU" in result.output
    assert "annex1 column" not in result.output


def test_whatif_speaks_the_pack_words_for_the_flips(drive, tmp_path):
    # A dearer MCU (80) gives 80 + 40 = 120 of 420 = 28.57%, over 25% for DE: the drive becomes subject.
    scenarios = tmp_path / "s.toml"
    scenarios.write_text('[[scenario]]\nname = "MCU dearer"\nchanges = [{ part = "MCU", set = { unit_value = 80 } }]\n',
                         encoding="utf-8")
    result = run("whatif", drive, "--scenarios", scenarios, "--rules", "us-ear-de-minimis", "--destination", "DE",
                 "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert ("Scenario 'MCU dearer': 1 item(s) become subject to the EAR, 0 become not subject to the EAR, "
            "0 change otherwise") in result.output
    assert "licence" not in result.output.lower()
