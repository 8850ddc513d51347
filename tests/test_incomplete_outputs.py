"""An incomplete result says so in every output a person reads: the table and the Excel report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from bomcalc.cli import main

SERVO = Path(__file__).resolve().parent.parent / "sample_boms" / "servo_actuator.xlsx"


def test_the_table_shows_an_undecided_ratio_as_a_range_up_to_its_upper_bound():
    result = CliRunner().invoke(main, ["check", str(SERVO), "--as-of", "2026-11-11"])
    assert result.exit_code == 0, result.output
    brake = next(line for line in result.output.splitlines() if line.startswith("indeterminate") and "MAG-BRK" in line)
    # (0.0028 + 0.05) / 3.9129 = 1.3494% (sample_boms/README.md)
    assert "0.0716% to 1.3494%" in brake
    decided = next(line for line in result.output.splitlines() if "MAG-ENC" in line)
    assert "0.0333%" in decided and " to " not in decided


def test_an_unknown_upper_bound_is_shown_as_a_question_mark(tmp_path):
    bom = tmp_path / "gen.csv"
    bom.write_text("Level,Part Number,Quantity,Origin,Unit Price,Currency,Annex 1\n"
                   "0,GEN,1,DE,900,USD,\n1,MAG,2,JP,50,USD,part2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bom), "--as-of", "2026-11-11"])
    assert "0.0000% to ?" in next(line for line in result.output.splitlines() if "MAG" in line)


def test_the_excel_report_says_what_is_missing(tmp_path):
    target = tmp_path / "report.xlsx"
    result = CliRunner().invoke(main, ["report", str(SERVO), "--as-of", "2026-11-11", "--output", str(target)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target)
    summary = [cell for row in workbook["Summary"].iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert any("MAG-BRK, TB-OX" in cell and "indeterminate" in cell for cell in summary)
    provenance = [row for row in workbook["Provenance"].iter_rows(values_only=True) if row[:2] == ("coverage", "missing")]
    assert len(provenance) == 1 and "MAG-BRK, TB-OX" in provenance[0][2]


def test_check_as_json_on_bad_input_gives_the_issues_as_json_on_standard_output(tmp_path):
    import json

    bom = tmp_path / "mixed.csv"
    bom.write_text("Level,Part Number,Quantity,UoM,Origin,Unit Price,Currency,Annex 1\n"
                   "0,GEN,1,EA,DE,900,USD,\n1,MAG-9A,1,EA,JP,70,USD,part2\n2,DY-9,0.0002,KG,CN,0.35,USD,part1\n"
                   "1,MAG-9B,1,EA,JP,70,USD,part2\n2,DY-9,0.2,G,CN,0.35,USD,part1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bom), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["error"].startswith("1 data error(s)")
    (issue,) = [i for i in document["issues"] if i["severity"] == "error"]
    assert issue["part_id"] == "DY-9" and issue["row"] == 6 and "per 'G'" in issue["message"]


def test_report_html_passes_the_scope_and_alternates_policy_on(tmp_path, monkeypatch):
    import bomcalc.report.notebook as notebook

    seen = {}

    def fake(output_path, bom_path, **options):
        seen.update(options)
        Path(output_path).write_text("<html></html>", encoding="utf-8")
        return Path(output_path)

    monkeypatch.setattr(notebook, "export_html_report", fake)
    result = CliRunner().invoke(main, ["report", str(SERVO), "--html", str(tmp_path / "r.html"), "--as-of", "2026-03-01",
                                       "--part2-scope", "assemblies", "--alternates", "primary"])
    assert result.exit_code == 0, result.output
    assert seen["part2_scope"] == "assemblies" and seen["alternates"] == "primary"
