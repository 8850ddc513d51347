"""The screen and notice commands: outputs read back, hostile text escaped, untrusted templates sandboxed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from bomcalc.cli import main

SERVO = str(Path(__file__).resolve().parents[2] / "sample_boms" / "servo_actuator.xlsx")
HOSTILE = "<script>alert(1)</script> *x* [a](javascript:b)\n# Heading \x1b[31m"


@pytest.fixture
def shipments(tmp_path):
    path = tmp_path / "shipments.csv"
    path.write_text("item,consignee,country,end use,end-user type,date\n"
                    "MAG-ARC,\"=HYPERLINK(\"\"http://x\"\")\",DE,civil,commercial,2026-12-01\n"
                    "MAG-ARC,\"Evil\u202e Co\",DE,emergency medical care,civil,2026-11-30\n", encoding="utf-8")
    return str(path)


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_screen_prints_a_table_with_control_characters_escaped(shipments):
    result = _run("screen", shipments, SERVO)
    assert result.exit_code == 0, result.output
    assert "\u202e" not in result.stdout and "Evil\\u202e Co" in result.stdout
    assert "humanitarian exemption: no licence, report due  2026-12-14" in result.stdout


def test_screen_json_and_csv_and_xlsx(shipments, tmp_path):
    document = json.loads(_run("screen", shipments, SERVO, "--format", "json").stdout)
    assert [s["outcome"] for s in document["shipments"]] == ["licence_application", "humanitarian_exemption"]
    assert document["shipments"][1]["report_due"] == "2026-12-14"
    assert document["basis"]["calendar_years"].endswith("-2026") or document["basis"]["calendar_years"]
    rows = list(csv.DictReader(io.StringIO(_run("screen", shipments, SERVO, "--format", "csv").stdout)))
    assert rows[0]["consignee"].startswith("'=HYPERLINK")  # defused: never a formula
    target = tmp_path / "screening.xlsx"
    assert _run("screen", shipments, SERVO, "--output", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target)["screening"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("consignee") + 1).value.startswith("'=")
    assert sheet.cell(3, header.index("report_due") + 1).value == "2026-12-14"


def test_screen_with_bad_rows_exits_1_with_one_line_per_problem(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("item,consignee,date\nNOPE,X,2026-12-01\n", encoding="utf-8")
    result = _run("screen", str(path), SERVO)
    assert result.exit_code == 1
    assert "row 2" in result.stderr and "'NOPE' is not a part of the BOM" in result.stderr
    assert "Traceback" not in result.stderr


def test_notice_markdown_lists_items_and_the_pass_on_statement_and_escapes_the_recipient():
    result = _run("notice", SERVO, "--recipient", HOSTILE, "--items", "MAG-ARC,DY-MET", "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "| MAG-ARC | NdFeB arc magnet segment" in text and "| 0.126 | 2.6 | 4.8462% |" in text
    assert "| DY-MET | Dysprosium metal, 99.5% | part2" not in text and "| DY-MET |" in text
    assert "Issue the Compliance Notification Letter to the next recipient" in text
    assert "[OPEN]" in text
    assert "<script>" not in text and "\\<script\\>" in text and "\\[a\\](javascript:b)" in text
    assert "\n# Heading" not in text and "\x1b" not in text


def test_notice_html_escapes_the_recipient(tmp_path):
    target = tmp_path / "n.html"
    assert _run("notice", SERVO, "--recipient", HOSTILE, "--output", str(target)).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_notice_docx_reads_back(tmp_path):
    import docx

    target = tmp_path / "n.docx"
    assert _run("notice", SERVO, "--recipient", "A & B <Co>", "--items", "MAG-ARC", "--output", str(target)).exit_code == 0
    document = docx.Document(str(target))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "To: A & B <Co>" in text and "next recipient" in text
    assert document.tables[0].cell(1, 0).text == "MAG-ARC"


@pytest.mark.parametrize("template, message", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "cannot be filled"),
    ("{{ no_such_name }}", "'no_such_name' is undefined"),
    ("{% for %}", "cannot be filled"),
], ids=["reaching Python internals is refused", "an unknown name is named", "a syntax error is named"])
def test_a_user_template_is_sandboxed(tmp_path, template, message):
    path = tmp_path / "t.md.j2"
    path.write_text(template, encoding="utf-8")
    result = _run("notice", SERVO, "--recipient", "X", "--template", str(path))
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_user_html_template_with_a_script_is_refused(tmp_path):
    path = tmp_path / "t.html.j2"
    path.write_text("<p>{{ recipient }}</p><script>steal()</script>", encoding="utf-8")
    result = _run("notice", SERVO, "--recipient", "X", "--template", str(path), "--format", "html")
    assert result.exit_code == 1 and "active content" in result.stderr


def test_a_user_template_fills_with_the_items(tmp_path):
    path = tmp_path / "t.md.j2"
    path.write_text("Dear {{ recipient }}:{% for i in items %} {{ i.part_id }}={{ i.status }}{% endfor %}", encoding="utf-8")
    result = _run("notice", SERVO, "--recipient", "Beta", "--template", str(path), "--items", "MAG-ENC", "--as-of", "2026-12-01")
    assert result.stdout == "Dear Beta: MAG-ENC=not required"


def test_notice_refuses_an_item_that_is_not_annex_1():
    result = _run("notice", SERVO, "--recipient", "X", "--items", "SHAFT-100")
    assert result.exit_code == 1 and "not Annex 1 items of the BOM: SHAFT-100" in result.stderr


def test_screen_and_notice_carry_the_warnings_of_their_determinations(shipments):
    screened = _run("screen", shipments, SERVO, "--format", "json")
    assert "later than the rule pack's last recorded event" in screened.stderr
    assert screened.stderr.count("the result is incomplete") == 1  # one determination for both dates, said once
    letter = _run("notice", SERVO, "--recipient", "X", "--as-of", "2026-12-01")
    assert "later than the rule pack's last recorded event" in letter.stderr
    assert "later than" not in _run("notice", SERVO, "--recipient", "X", "--as-of", "2026-11-01").stderr
