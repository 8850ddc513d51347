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
    statuses = [line.split()[0] for line in lines[2:] if line and line.split()[0] in bomcalc.core.determine.STATUS_ORDER]
    assert statuses == sorted(statuses, key=bomcalc.core.determine.STATUS_ORDER.get)
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
        (["check", "PDF"], "not a spreadsheet"),
    ],
    ids=["missing file", "bad date", "missing rule pack", "not a spreadsheet"],
)
def test_errors_are_one_clear_line(run, tmp_path, args, message):
    pdf = tmp_path / "drawing.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = run(*[str(pdf) if a == "PDF" else a for a in args])
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


LAYOUTS = Path(__file__).resolve().parent / "fixtures" / "layouts"


def test_check_reads_an_sap_export_with_its_material_master(run):
    result = run("check", LAYOUTS / "sap_tab_utf16.xls", "--parts", LAYOUTS / "sap_material_master.xlsx",
                 "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    statuses = {item["part_id"]: item["status"] for item in document["items"]}
    assert statuses == {"MAG-R12": "licence_required", "DY-MET": "licence_required", "TB-MET": "licence_required",
                        "MAG-HS": "not_required"}
    assert document["currency"] == "EUR"
    assert any("extended" in note for note in document["reading_notes"])


def test_validate_accounts_for_every_row(run):
    result = run("validate", LAYOUTS / "sap_cs12.xlsx", "--parts", LAYOUTS / "sap_material_master.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["ok"] is True
    for account in document["accounts"]:
        assert account["used"] + account["merged"] + account["skipped"] + account["rejected"] == account["read"]
    reasons = {row["reason"] for row in document["rows"]}
    assert {"text item", "document item", "header row"} <= reasons


def test_validate_exits_1_on_errors_and_lists_them(run):
    result = run("validate", LAYOUTS / "errors" / "level_jump.csv")
    assert result.exit_code == 1
    assert "rejected" in result.output and "row 4" in result.output
    assert "Traceback" not in result.output


def test_template_writes_both_workbooks_that_read_back(run, tmp_path):
    target = tmp_path / "blank_bom.xlsx"
    result = run("template", "--output", target)
    assert result.exit_code == 0, result.output
    declaration = tmp_path / "blank_bom_supplier_declaration.xlsx"
    assert target.exists() and declaration.exists()
    import openpyxl

    assert {"parts", "bom", "declarations", "fx"} <= set(openpyxl.load_workbook(target).sheetnames)
    assert "Rare Earth Inputs" in openpyxl.load_workbook(declaration).sheetnames


def test_readme_glossary_lists_every_header_alias():
    from bomcalc.io.aliases import ALIASES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, headers in ALIASES.items():
        assert f"| `{name}` |" in readme, name
        for header in headers:
            assert f"`{header}`" in readme or header == name, header


def test_check_joins_supplier_declarations_valued_with_a_price_table(run, tmp_path):
    import importlib.util

    script = Path(__file__).resolve().parent / "fixtures" / "declarations" / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("declaration_fixtures", script)
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    fixtures.write_acme_declaration(tmp_path / "acme_declaration.xlsx")
    fixtures.write_price_table(tmp_path / "prices.csv")
    (tmp_path / "bom.csv").write_text(
        "Parent,Component,Quantity,Unit Price,Currency,COO,Annex 1\n"
        ",TOP,1,,USD,DE,\n"
        "TOP,MAG-100,2,500,USD,DE,Part 2\n"
        "TOP,MAG-200,1,60,USD,DE,Part 2\n",
        encoding="utf-8",
    )
    result = run("check", tmp_path / "bom.csv", "--declarations", tmp_path / "acme_declaration.xlsx",
                 "--prices", tmp_path / "prices.csv", "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    items = {item["part_id"]: item for item in json.loads(result.stdout)["items"]}
    # MAG-100: declared China-origin Dy 0.7 + Tb 0.35 = 1.05 of 500 = 0.21%
    assert (items["MAG-100"]["cn_part1_value"], items["MAG-100"]["status"]) == ("1.05", "licence_required")
    assert items["MAG-100"]["unknown_origin_part1_value"] == "0.45"
    # MAG-200: 1.5 g Dy valued at 340 USD/kg = 0.51 of 60; declared made with Chinese technology
    assert items["MAG-200"]["cn_part1_value"] == "0.51"
    assert set(items["MAG-200"]["reasons"]) == {"de_minimis", "chinese_technology"}


SCENARIOS = str(SAMPLES / "servo_scenarios.toml")


def test_whatif_json_has_baseline_and_scenarios(run):
    result = run("whatif", SERVO, "--scenarios", SCENARIOS, "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["baseline"]["as_of"] == "2026-11-11" and document["baseline"]["items"]
    first = document["scenarios"][0]
    assert first["name"] == "Dy from Japan"
    magnet = next(item for item in first["items"] if item["part_id"] == "MAG-ARC")
    assert {"part_id", "baseline_status", "status", "baseline_ratio", "ratio", "flipped"} <= set(magnet)
    assert (magnet["baseline_status"], magnet["status"], magnet["flipped"]) == ("licence_required", "not_required", True)


def test_whatif_table_marks_flips(run):
    result = run("whatif", SERVO, "--scenarios", SCENARIOS, "--as-of", "2026-11-11")
    assert result.exit_code == 0
    assert "Scenario 'Dy from Japan': 0 item(s) become licence required, 2 become not required" in result.output


def test_whatif_reads_a_scenarios_sheet(run, tmp_path):
    from .conftest import write_workbook

    path = write_workbook(tmp_path / "scenarios.xlsx", {"scenarios": [
        ["scenario", "change", "part", "field", "value"],
        ["Dy from Japan", "set", "DY-MET", "origin", "JP"],
    ]})
    result = run("whatif", SERVO, "--scenarios", path, "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    magnet = next(i for i in json.loads(result.stdout)["scenarios"][0]["items"] if i["part_id"] == "MAG-ARC")
    assert magnet["status"] == "not_required"


@pytest.mark.parametrize("text, message", [
    ("[[scenario]]\nname = 'x'\nchanges = [{ part = 'NOPE', set = { origin = 'JP' } }]\n", "part 'NOPE' is not in the BOM"),
    ("[[scenario]]\nname = 'x'\n", "has no changes"),
    ("not toml [", "not valid TOML"),
], ids=["unknown part", "scenario without changes", "not TOML"])
def test_bad_scenario_files_are_one_clear_error(run, tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = run("whatif", SERVO, "--scenarios", path)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_headroom_lists_top_contributors(run):
    result = run("headroom", SERVO, "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    items = {item["part_id"]: item for item in json.loads(result.stdout)["items"]}
    # MAG-ARC: 0.126 against a line of 0.0026: must shed 0.1234, all from DY-MET
    assert items["MAG-ARC"]["must_shed"] == "0.1234" and items["MAG-ARC"]["fix_by"] == ["DY-MET"]
    assert items["MAG-ENC"]["headroom"] == "0.0012"


def test_where_used_lists_items_paths_and_quantities(run):
    result = run("where-used", SERVO, "DY-MET", "--format", "json")
    assert result.exit_code == 0, result.output
    used = {row["part_id"]: row for row in json.loads(result.stdout)["used_in"]}
    assert set(used) == {"MAG-ARC", "MAG-BRK", "DYFE-JP"}
    assert used["MAG-ARC"]["extended_qty"] == "0.00036" and len(used["MAG-ARC"]["paths"]) == 2
    every = run("where-used", SERVO, "DY-MET", "--all", "--format", "json")
    assert "SRV-100" in {row["part_id"] for row in json.loads(every.stdout)["used_in"]}
    assert run("where-used", SERVO, "NOPE").exit_code == 1


def test_explain_prints_the_trail(run):
    result = run("explain", SERVO, "MAG-ARC", "--as-of", "2026-11-11")
    assert result.exit_code == 0, result.output
    assert "MAG-ARC > DYFE-JP > DY-MET: 0.0003 x 0.8 = 0.00024" in result.output
    assert "MAG-ARC > DYFE-JP > DY-MET: 0.0003 x 0.8 = 0.00024 kg" in result.output
    assert "extended quantity 0.00036 kg x 350 USD per kg = 0.126 USD" in result.output
    assert "0.126 >= 0.0026: yes" in result.output


def test_check_json_carries_the_trail_on_request(run):
    plain = json.loads(run("check", SERVO, "--format", "json").stdout)
    assert "explanations" not in plain
    document = json.loads(run("check", SERVO, "--format", "json", "--explain").stdout)
    trails = {trail["item"]: trail for trail in document["explanations"]}
    assert trails["MAG-ARC"]["cn_part1_value"] == "0.126"


def test_written_files_are_readable_like_any_new_file(run, tmp_path):
    import os
    import stat

    target = tmp_path / "result.json"
    assert run("check", SERVO, "--format", "json", "--output", target).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_mitigate_finds_the_least_cost_choices(run):
    result = run("mitigate", SERVO, "--options", SAMPLES / "servo_sourcing_options.csv",
                 "--volumes", SAMPLES / "servo_volumes.csv", "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["feasible"] is True
    # DY-MET from the JP refiner: 48.708 kg x 70 = 3409.56; TB-OX with a JP certificate: 0.675 kg x 100 = 67.50
    assert document["annual_cost"] in ("3477.06", "3477.060")
    assert sorted(choice["part_id"] for choice in document["chosen"]) == ["DY-MET", "TB-OX"]


def test_whatif_reads_the_scenarios_sheet_of_the_bom_workbook(run, tmp_path):
    import openpyxl

    path = tmp_path / "servo_with_scenarios.xlsx"
    workbook = openpyxl.load_workbook(SERVO)
    sheet = workbook.create_sheet("scenarios")
    for row in (["scenario", "change", "part", "field", "value"], ["Tb oxide from Japan", "set", "TB-OX", "origin", "JP"]):
        sheet.append(row)
    workbook.save(path)
    result = run("whatif", path, "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    (scenario,) = json.loads(result.stdout)["scenarios"]
    brake = next(item for item in scenario["items"] if item["part_id"] == "MAG-BRK")
    assert (brake["baseline_status"], brake["status"]) == ("indeterminate", "not_required")
    assert run("whatif", SERVO).exit_code == 1  # no scenarios sheet there: a clear error


def test_a_fault_inside_bomcalc_is_one_line_not_a_traceback(run, monkeypatch):
    import bomcalc.api

    def broken(*args, **kwargs):
        raise ZeroDivisionError("simulated")

    monkeypatch.setattr(bomcalc.api, "evaluate", broken)  # the CLI evaluates through the api
    monkeypatch.delenv("BOMCALC_DEBUG", raising=False)
    result = run("check", SERVO)
    assert result.exit_code == 70
    assert "Internal error: ZeroDivisionError: simulated" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ["check", SERVO, "--format", "json"], ["whatif", SERVO, "--scenarios", SCENARIOS], ["headroom", SERVO],
    ["explain", SERVO, "MAG-ARC"], ["mitigate", SERVO, "--options", str(SAMPLES / "servo_sourcing_options.csv")],
], ids=["check json", "whatif", "headroom", "explain", "mitigate"])
def test_every_output_warns_when_the_as_of_date_is_beyond_the_rule_pack(run, args):
    assert "later than the rule pack's last recorded event" in run(*args, "--as-of", "2027-02-01").output
    assert "later than the rule pack's last recorded event" not in run(*args, "--as-of", "2026-11-10").output
