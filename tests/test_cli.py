"""The command line, through click's runner: outputs, options, errors and help."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "sample_boms"
SERVO = str(SAMPLES / "servo_actuator.xlsx")


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


def test_check_prints_a_table_licence_required_first(run):
    result = run("check", SERVO, "--as-of", "2026-11-11")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["status", "part_id"]
    statuses = [line.split()[0] for line in lines[2:] if line and line.split()[0] in bomcalc.determine.STATUS_ORDER]
    assert statuses == sorted(statuses, key=bomcalc.determine.STATUS_ORDER.get)
    assert statuses[0] == "licence_required"
    assert "Rule pack mofcom-61-2025" in result.output and "as of 2026-11-11" in result.output
    assert "does not replace legal advice" in result.output


def test_check_during_the_suspension_says_not_in_force(run):
    result = run("check", SERVO, "--as-of", "2026-03-01")
    assert result.exit_code == 0
    assert "suspended until 2026-11-10 by Announcement No. 70" in result.output
    assert " yes " not in result.output  # no item is in force


def test_json_document_has_the_documented_keys(run, tmp_path):
    out = tmp_path / "result.json"
    result = run("check", SERVO, "--as-of", "2026-11-26", "--format", "json", "--output", out)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert {"as_of", "rule_pack", "currency", "items", "issues"} <= set(document)
    assert document["as_of"] == "2026-11-26"
    assert {"id", "version"} <= set(document["rule_pack"])
    assert document["currency"] == "USD"
    item_keys = {
        "part_id", "description", "annex1", "origin", "value", "value_basis", "cn_part1_value",
        "unknown_origin_part1_value", "ratio", "status", "reasons", "in_force",
    }
    assert all(item_keys <= set(item) for item in document["items"])
    magnet = next(item for item in document["items"] if item["part_id"] == "MAG-ARC")
    assert isinstance(magnet["value"], str) and isinstance(magnet["cn_part1_value"], str)
    assert magnet["status"] == "licence_required" and magnet["reasons"] == ["de_minimis"]
    assert document["rule_pack"]["as_of_beyond_last_event"] is True
    assert "later than the rule pack's last recorded event" in result.output  # warned on stderr


def test_json_is_identical_for_identical_inputs(run, tmp_path):
    first = run("check", SERVO, "--as-of", "2026-11-11", "--format", "json").output
    second = run("check", SERVO, "--as-of", "2026-11-11", "--format", "json").output
    assert first == second


def test_csv_format_gives_the_items_table(run):
    result = run("check", SERVO, "--as-of", "2026-11-11", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["part_id"] for row in rows} == {"MAG-ARC", "MAG-BRK", "MAG-ENC", "DY-MET", "DYFE-JP", "TB-OX"}
    assert rows[0]["status"] == "licence_required"


def test_output_to_a_missing_folder_fails_cleanly_and_writes_nothing(run, tmp_path):
    target = tmp_path / "nope" / "result.json"
    result = run("check", SERVO, "--format", "json", "--output", target)
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert not target.exists()
    assert "Traceback" not in result.output


def test_bad_data_exits_1_with_every_problem_and_no_result(run, small_workbook):
    path = small_workbook(bom=[["TOP", "MAG", 0], ["MAG", "NOPE", 1]])
    result = run("check", path)
    assert result.exit_code == 1
    assert "sheet 'bom', row 2" in result.output and "qty must be greater than 0" in result.output
    assert "sheet 'bom', row 3, part 'NOPE'" in result.output
    assert "licence_required" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["check", "missing.xlsx"], "no such file"),
        (["check", SERVO, "--as-of", "26/11/2026"], "not a date"),
        (["check", SERVO, "--rules", "missing.toml"], "cannot be read"),
        (["check", __file__], "unsupported file type"),
    ],
    ids=["missing file", "bad date", "missing rule pack", "not a spreadsheet"],
)
def test_errors_are_one_clear_line(run, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_fail_on_required_exits_3(run):
    assert run("check", SERVO, "--fail-on", "required").exit_code == 3
    assert run("check", SERVO, "--fail-on", "never").exit_code == 0


def test_part2_scope_is_reported(run):
    result = run("check", SERVO, "--as-of", "2026-11-11", "--part2-scope", "assemblies")
    assert result.exit_code == 0
    assert "Part 2 scope: assemblies" in result.output
    assert "SRV-100" in result.output


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and bomcalc.__version__ in result.output


def test_every_command_has_help_with_an_example(run):
    assert "Example" in run("--help").output
    for name in main.commands:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, name


def test_python_dash_m_runs_the_cli():
    completed = subprocess.run([sys.executable, "-m", "bomcalc", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0 and bomcalc.__version__ in completed.stdout
