"""Every output reports the statuses `check` reports, with the same rule options.

`check`, `report --output` (the Excel workbook), `report --html` (the audit notebook),
`report --pack` (the audit pack's result.json) and `whatif` (its baseline column) are run on the
servo sample with options that change the outcome (Part 2 scope, alternates, date); each output
is read back as its reader would read it and its item statuses compared with `check`'s.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bomcalc.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "sample_boms"
SERVO = SAMPLES / "servo_actuator.xlsx"
SCENARIOS = SAMPLES / "servo_scenarios.toml"
OPTIONS = ("--part2-scope", "assemblies", "--alternates", "primary", "--as-of", "2026-03-01")


def _run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _check_statuses(*options) -> dict[str, str]:
    document = json.loads(_run("check", SERVO, "--format", "json", *options))
    return {item["part_id"]: item["status"] for item in document["items"]}


def _workbook_statuses(path: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path, read_only=True)["Summary"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if "part_id" in row and "status" in row)
    part, status = header.index("part_id"), header.index("status")
    body = rows[rows.index(header) + 1:]
    return {row[part]: row[status] for row in body if row[part] is not None}


class _Tables(HTMLParser):
    """The tables of an HTML page: per table, its header cells and its body rows' cells."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._kind = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"header": [], "rows": []})
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell, self._kind = [], tag

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(("".join(self._cell).strip(), self._kind))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row and all(kind == "th" for _, kind in self._row):
                self.tables[-1]["header"] = [text for text, _ in self._row]
            else:
                self.tables[-1]["rows"].append([text for text, kind in self._row if kind == "td"])
            self._row = None


def _html_statuses(path: Path) -> dict[str, str]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    table = next(t for t in parser.tables if "part_id" in t["header"] and "status" in t["header"])
    part, status = table["header"].index("part_id"), table["header"].index("status")
    return {row[part]: row[status] for row in table["rows"]}


def test_the_options_change_the_outcome_so_the_comparison_can_fail():
    assert _check_statuses(*OPTIONS) != _check_statuses("--as-of", "2026-03-01")


def test_every_output_reports_the_statuses_check_reports(tmp_path):
    pytest.importorskip("nbclient", reason="report --html needs the notebooks extra")
    expected = _check_statuses(*OPTIONS)
    assert set(expected.values()) == {"licence_required", "indeterminate", "not_required"}

    workbook, page, pack = tmp_path / "report.xlsx", tmp_path / "report.html", tmp_path / "pack"
    _run("report", SERVO, "--output", workbook, *OPTIONS)
    _run("report", SERVO, "--html", page, *OPTIONS)
    _run("report", SERVO, "--pack", pack, *OPTIONS)
    comparison = json.loads(_run("whatif", SERVO, "--scenarios", SCENARIOS, "--format", "json", *OPTIONS))
    packed = json.loads((pack / "result.json").read_text(encoding="utf-8"))

    assert _workbook_statuses(workbook) == expected
    assert _html_statuses(page) == expected
    assert {item["part_id"]: item["status"] for item in packed["items"]} == expected
    assert comparison["scenarios"], "the scenario file holds scenarios"
    for scenario in comparison["scenarios"]:
        assert {item["part_id"]: item["baseline_status"] for item in scenario["items"]} == expected, scenario["name"]
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["options"]["part2_scope"], manifest["options"]["alternates"], manifest["options"]["as_of"]) == \
        ("assemblies", "primary", "2026-03-01")
