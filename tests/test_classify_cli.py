"""Classifying a raw BOM: classify, the parts master it writes, template --from and --accept high.

The raw export is a level BOM without an annex1 column: a servo motor whose rotor holds two
NdFeB magnets (each worth 700, made in Germany), each holding one unit of China-origin
dysprosium metal: 0.7 in MAG-1 (exactly 0.1% of 700: caught) and 0.699 in MAG-2 (0.0999%:
not caught). Suggestions are asserted only for clear-cut descriptions.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bomcalc import api
from bomcalc.cli import main

AS_OF = "2026-12-01"  # every limb in force again after the suspension
HEADER = ["Level", "Part Number", "Description", "Qty", "Unit", "Price", "Country of Origin"]
ROWS = [
    (0, "MOTOR-1", "Servo motor assembly", 1, "ea", None, "DE"),
    (1, "ROT-1", "Rotor assembly", 1, "ea", None, "DE"),
    (2, "MAG-1", "NdFeB magnet N42SH", 1, "ea", 700, "DE"),
    (3, "DY-1", "Dysprosium metal 99.5%", 1, "ea", 0.7, "CN"),
    (2, "MAG-2", "NdFeB magnet N42SH", 1, "ea", 700, "DE"),
    (3, "DY-2", "Dysprosium metal 99.5%", 1, "ea", 0.699, "CN"),
    (1, "SCR-1", "Steel screw M4", 4, "ea", 0.05, "DE"),
]
PART_IDS = [row[1] for row in ROWS]


def _raw_export(path: Path, rows=ROWS, header=HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BOM"
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args])

    return invoke


@pytest.fixture
def raw(tmp_path) -> Path:
    return _raw_export(tmp_path / "motor_export.xlsx")


def _master_rows(path: Path) -> tuple[list[str], list[list]]:
    sheet = openpyxl.load_workbook(path)["parts"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return rows[0], rows[1:]


def _review(master: Path, reviewed: Path) -> None:
    """Copy suggested_annex1 into annex1 on every row, as a reviewer who agrees would; a part
    left for review (``unknown``) the reviewer decides is not listed (blank)."""
    workbook = openpyxl.load_workbook(master)
    sheet = workbook["parts"]
    header = [cell.value for cell in sheet[1]]
    annex1, suggested = header.index("annex1") + 1, header.index("suggested_annex1") + 1
    for row in range(2, sheet.max_row + 1):
        suggestion = sheet.cell(row, suggested).value
        sheet.cell(row, annex1).value = None if suggestion == "unknown" else suggestion
    workbook.save(reviewed)


def _statuses(result) -> dict:
    document = json.loads(result.stdout)
    return {item["part_id"]: item["status"] for item in document["items"]}, document


def test_classify_master_review_check_end_to_end(run, raw, tmp_path):
    master = tmp_path / "master.xlsx"
    result = run("classify", raw, "--output", master)
    assert result.exit_code == 0, result.output
    header, rows = _master_rows(master)
    assert [row[0] for row in rows] == PART_IDS  # every BOM part, one row each
    by_part = {row[0]: dict(zip(header, row)) for row in rows}
    assert by_part["DY-1"]["suggested_annex1"] == "part1" and by_part["DY-1"]["confidence"] == "high"
    assert by_part["MAG-1"]["suggested_annex1"] == "part2" and by_part["MAG-1"]["confidence"] == "high"
    assert by_part["SCR-1"]["suggested_annex1"] is None  # not listed
    assert by_part["MAG-1"]["origin"] == "DE" and by_part["MAG-1"]["unit_value"] == 700
    assert all(row["annex1"] == "unknown" for row in by_part.values())  # not given: never blank (= not listed)

    reviewed = tmp_path / "reviewed.xlsx"
    _review(master, reviewed)
    checked = run("check", raw, "--parts", reviewed, "--as-of", AS_OF, "--format", "json")
    assert checked.exit_code == 0, checked.output
    statuses, document = _statuses(checked)
    assert statuses["MAG-1"] == "licence_required"  # 0.7 / 700 = exactly 0.1%: caught
    assert statuses["MAG-2"] == "not_required"  # 0.699 / 700 = 0.0999%: below the line
    items = {item["part_id"]: item for item in document["items"]}
    assert items["MAG-1"]["cn_part1_value"] == "0.7" and items["MAG-2"]["cn_part1_value"] == "0.699"
    assert document["coverage"]["annex1_known"] == len(PART_IDS) and document["coverage"]["complete"]
    assert "annex1_suggestions" not in document["policies"]  # the statuses are the reviewer's


def test_an_unreviewed_master_leaves_every_status_unknown(run, raw, tmp_path):
    master = tmp_path / "master.xlsx"
    assert run("classify", raw, "--output", master).exit_code == 0
    checked = run("check", raw, "--parts", master, "--as-of", AS_OF, "--format", "json", "--fail-on", "indeterminate")
    assert checked.exit_code == 3  # incomplete, never an all-clear
    statuses, document = _statuses(checked)
    assert document["coverage"]["annex1_known"] == 0 and not document["coverage"]["complete"]
    assert document["coverage"]["in_parts_data"] == len(PART_IDS)
    assert "not_required" not in statuses.values()


def test_a_blank_annex1_in_the_master_means_not_listed_and_suggestion_columns_are_ignored(run, raw, tmp_path):
    master = tmp_path / "master.xlsx"
    assert run("classify", raw, "--output", master).exit_code == 0
    workbook = openpyxl.load_workbook(master)
    sheet = workbook["parts"]
    header = [cell.value for cell in sheet[1]]
    annex1 = header.index("annex1") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, annex1).value = None  # the reviewer says: not listed, whatever the suggestion
    workbook.save(master)
    bom = api.read(raw, api.reading_record(parts=[str(master)]))
    assert bom.parts["annex1"].isna().all() and bom.parts["annex1_known"].all()  # part1/part2 suggestions not read
    master_accounts = [account for account in bom.accounts if str(account.file).endswith("master.xlsx")]
    assert master_accounts and all(a.read == a.used + a.merged + a.skipped + a.rejected for a in master_accounts)


def test_accept_high_takes_the_suggestions_and_says_so(run, raw, tmp_path):
    checked = run("check", raw, "--as-of", AS_OF, "--format", "json", "--accept", "high")
    assert checked.exit_code == 0, checked.output
    statuses, document = _statuses(checked)
    assert statuses["MAG-1"] == "licence_required" and statuses["MAG-2"] == "not_required"
    policy = document["policies"]["annex1_suggestions"]
    assert policy.startswith("accept high: ") and "MAG-1" in policy and "DY-1" in policy
    assert {"MAG-1", "MAG-2", "DY-1", "DY-2"} <= set(document["coverage"]["annex1_by_suggestion_parts"])
    table = run("check", raw, "--as-of", AS_OF, "--accept", "high")
    assert "Annex 1 suggestions: accept high:" in table.output and "by accepted suggestion" in table.output
    plain = run("check", raw, "--as-of", AS_OF, "--format", "json")
    statuses, document = _statuses(plain)
    assert "annex1_suggestions" not in document["policies"] and "MAG-1" not in statuses  # suggestions alone decide nothing


def test_accept_high_never_replaces_a_given_annex1(run, tmp_path):
    header = HEADER + ["Annex 1"]
    rows = [row + (None,) for row in ROWS]
    rows[2] = rows[2][:-1] + ("unknown",)  # MAG-1: unknown, open to a suggestion
    rows[4] = rows[4][:-1] + ("part1",)  # MAG-2: the user says part1 (a deliberate choice)
    raw = _raw_export(tmp_path / "given.xlsx", rows, header)
    checked = run("check", raw, "--as-of", AS_OF, "--format", "json", "--accept", "high")
    assert checked.exit_code == 0, checked.output
    _, document = _statuses(checked)
    items = {item["part_id"]: item for item in document["items"]}
    assert items["MAG-2"]["annex1"] == "part1"  # given: kept
    assert items["MAG-1"]["annex1"] == "part2"  # not given: the high-confidence suggestion
    assert "DY-1" not in items  # given blank (not listed) in a present column: kept
    assert document["policies"]["annex1_suggestions"].startswith("accept high: 1 part (MAG-1)")
    classified = json.loads(run("classify", raw, "--format", "json").stdout)
    given = {item["part_id"]: item["annex1"] for item in classified["items"]}
    assert (given["MAG-2"], given["DY-1"], given["MAG-1"]) == ("part1", "none", None)
    master = tmp_path / "master.xlsx"
    assert run("classify", raw, "--output", master).exit_code == 0
    header, rows = _master_rows(master)
    annex1 = {row[0]: row[header.index("annex1")] for row in rows}
    assert (annex1["MAG-2"], annex1["DY-1"], annex1["MAG-1"]) == ("part1", None, "unknown")


def test_accept_high_reaches_whatif_and_the_excel_report(run, raw, tmp_path):
    scenarios = tmp_path / "s.toml"
    scenarios.write_text('[[scenario]]\nname = "Japanese dysprosium"\nchanges = [{ part = "DY-1", set = { origin = "JP" } }]\n')
    compared = run("whatif", raw, "--scenarios", scenarios, "--as-of", AS_OF, "--accept", "high", "--format", "json")
    assert compared.exit_code == 0, compared.output
    assert "accept high" in compared.stdout
    report = tmp_path / "report.xlsx"
    assert run("report", raw, "--output", report, "--as-of", AS_OF, "--accept", "high").exit_code == 0
    cells = [str(c.value) for row in openpyxl.load_workbook(report)["Provenance"].iter_rows() for c in row]
    assert any(c.startswith("accept high: ") for c in cells)


def test_formula_text_is_written_as_text_in_the_master(run, tmp_path):
    raw = tmp_path / "export.csv"
    raw.write_text("Level,Part Number,Description,Qty,Price,Country of Origin\n"
                   "0,TOP,Top assembly,1,,DE\n"
                   '1,EVIL-1,"=HYPERLINK(""http://x"",""y"")",1,2,DE\n'
                   "1,AT-1,@SUM(1),1,2,DE\n", encoding="utf-8")
    master = tmp_path / "master.xlsx"
    result = run("classify", raw, "--output", master)
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(master)["parts"]
    cells = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for part in ("EVIL-1", "AT-1"):
        assert cells[part].data_type == "s" and cells[part].quotePrefix  # text, shown quoted, never run
    assert cells["EVIL-1"].value.startswith("=HYPERLINK")


def test_template_from_lists_every_part_with_the_cells_to_fill(run, tmp_path):
    rows = list(ROWS)
    rows[6] = (1, "SCR-1", "Steel screw M4", 4, "ea", None, None)  # no price, no origin
    raw = _raw_export(tmp_path / "export.xlsx", rows)
    target = tmp_path / "parts_master.xlsx"
    result = run("template", "--from", raw, "--output", target)
    assert result.exit_code == 0, result.output
    header, values = _master_rows(target)
    assert [row[0] for row in values] == PART_IDS
    assert {"suggested_annex1", "confidence", "reason", "hs_code"} <= set(header)
    sheet = openpyxl.load_workbook(target)["parts"]
    screw = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "SCR-1")
    filled = {header[i]: cell.fill.fgColor.rgb for i, cell in enumerate(screw)}
    assert filled["origin"] == filled["unit_value"] == filled["annex1"] != filled["description"]
    blank = tmp_path / "blank.xlsx"
    assert run("template", "--output", blank).exit_code == 0  # without --from: as before
    assert (tmp_path / "blank_supplier_declaration.xlsx").exists()


def test_classify_json_shape(run, raw):
    result = run("classify", raw, "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) >= {"items", "summary", "rule_pack"}
    assert [item["part_id"] for item in document["items"]] == PART_IDS
    item = document["items"][3]
    assert set(item) == {"part_id", "description", "annex1", "suggestion", "confidence", "reasons"}
    assert (item["part_id"], item["annex1"], item["suggestion"], item["confidence"]) == ("DY-1", None, "part1", "high")
    assert isinstance(item["reasons"], list) and item["reasons"]
    assert document["summary"]["parts"] == 7 and document["summary"]["annex1_given"] == 0
    assert document["rule_pack"]["id"] == "mofcom-61-2025" and document["rule_pack"]["version"]


def test_classify_table_ends_with_counts_and_the_next_step(run, raw):
    result = run("classify", raw)
    assert result.exit_code == 0, result.output
    assert "7 part(s): Annex 1 status given for 0" in result.stdout
    assert f"bomcalc check {raw} --parts master.xlsx" in result.stdout


def test_hs_code_flows_from_the_export_and_the_master_without_changing_the_result(tmp_path):
    header = HEADER + ["Tariff No."]
    rows = [row + (("8505111000",) if row[1] == "MAG-1" else (None,)) for row in ROWS]
    raw = _raw_export(tmp_path / "hs.xlsx", rows, header)
    bom = api.read(raw)
    assert bom.parts.at["MAG-1", "hs_code"] == "8505111000" and bom.parts.at["SCR-1", "hs_code"] == ""
    master = tmp_path / "m.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Part Number", "Zolltarifnummer"])
    workbook.active.append(["SCR-1", "7318158100"])
    workbook.save(master)
    joined = api.read(raw, api.reading_record(parts=[str(master)]))
    assert joined.parts.at["SCR-1", "hs_code"] == "7318158100"
    plain = _raw_export(tmp_path / "plain.xlsx")
    rules = api.RuleOptions(as_of=AS_OF, accept="high")
    with_hs, without = api.check(raw, rules=rules), api.check(plain, rules=rules)
    assert with_hs.items[["part_id", "status"]].equals(without.items[["part_id", "status"]])


def test_bad_input_is_a_clear_error(run, tmp_path):
    missing = run("classify", tmp_path / "nope.xlsx")
    assert missing.exit_code == 1 and "Traceback" not in missing.output and "nope.xlsx" in missing.output
    raw = _raw_export(tmp_path / "export.xlsx")
    needs_output = run("classify", raw, "--format", "xlsx")
    assert needs_output.exit_code != 0 and "--output" in needs_output.output
    overwrite = run("classify", raw, "--output", raw)
    assert overwrite.exit_code == 1 and "overwrite" in overwrite.output and "Traceback" not in overwrite.output
    assert openpyxl.load_workbook(raw)["BOM"]["B2"].value == "MOTOR-1"  # the input is intact
    broken = tmp_path / "broken.csv"
    broken.write_text("Level,Part Number,Description,Qty\n0,TOP,Top,1\n2,X,Jump,1\n", encoding="utf-8")
    bad = run("classify", broken)
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "row" in bad.output
    bad_accept = run("check", raw, "--accept", "medium")
    assert bad_accept.exit_code == 2 and "Traceback" not in bad_accept.output


def test_the_audit_notebook_shows_classification_coverage_and_the_open_suggestions(run, raw, tmp_path):
    page = tmp_path / "audit.html"
    result = run("report", raw, "--html", page, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "Classification coverage" in html
    assert "7 part(s): Annex 1 status given for 0, by accepted suggestion for 0, open for 7." in html
    section = html.split("Classification coverage", 1)[1].split("7. Provenance", 1)[0]
    assert "DY-1" in section and "MAG-1" in section  # open part1 / part2 suggestions listed
    accepted = tmp_path / "accepted.html"
    assert run("report", raw, "--html", accepted, "--as-of", AS_OF, "--accept", "high").exit_code == 0
    text = accepted.read_text(encoding="utf-8")
    listed = text.split("By accepted suggestion: ", 1)[1].split("\n", 1)[0].split("<", 1)[0]
    assert {"DY-1", "DY-2", "MAG-1", "MAG-2"} <= {part.strip() for part in listed.split(",")}


def test_a_master_of_a_bom_in_several_currencies_reads_back_without_conflicts(run, tmp_path):
    fx = tmp_path / "fx.csv"
    fx.write_text("currency,rate,date,source\nEUR,1.1,2026-11-01,test\n", encoding="utf-8")
    raw = tmp_path / "multi.csv"
    raw.write_text("Level,Part Number,Description,Qty,Price,Currency,Country of Origin\n0,TOP,Top,1,,,DE\n"
                   "1,MAG-1,NdFeB magnet N42SH,1,700,USD,DE\n2,DY-1,Dysprosium metal 99.5%,1,0.5,EUR,CN\n", encoding="utf-8")
    master = tmp_path / "master.xlsx"
    assert run("classify", raw, "--fx", fx, "--currency", "USD", "--output", master).exit_code == 0
    _review(master, master)
    checked = run("check", raw, "--fx", fx, "--currency", "USD", "--parts", master, "--as-of", AS_OF, "--format", "json")
    assert checked.exit_code == 0, checked.output
    statuses, document = _statuses(checked)
    assert statuses["MAG-1"] == "not_required"  # 0.5 EUR x 1.1 = 0.55 USD of 700 USD: 0.0786%, below the line
    assert {item["part_id"]: item["cn_part1_value"] for item in document["items"]}["MAG-1"] == "0.55"


def test_an_audit_pack_refuses_accepted_suggestions(run, raw, tmp_path):
    result = run("report", raw, "--pack", tmp_path / "pack", "--accept", "high", "--as-of", AS_OF)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "audit pack records only Annex 1 statuses the user gave" in result.output
    assert not (tmp_path / "pack").exists()


def test_suggestion_headers_are_ignored_and_noted(tmp_path):
    raw = tmp_path / "export.csv"
    raw.write_text("Level,Part Number,Description,Qty,Price,Country of Origin,Suggested Annex1,Confidence\n"
                   "0,TOP,Top,1,,DE,part2,high\n1,A,Steel screw M4,1,2,DE,part1,high\n", encoding="utf-8")
    bom = api.read(raw)
    assert not bom.parts["annex1_known"].any()  # a suggestion column is never an annex1 column
    assert any("column(s) ignored: 'Suggested Annex1', 'Confidence'" in note for note in bom.notes)
