"""The Contributions sheet lists the top contributors of each item; every one is in the contributions CSV."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.cli import main
from bomcalc.core.contributions import contributions, paths
from bomcalc.pack import verify_pack
from bomcalc.report.audit import MORE, report_tables, top_contributions, contributions_table
from bomcalc.report.contributions_file import contributions_csv_path

PARTS_HEADER = "part_id,description,origin,unit_value,currency,uom,annex1,cn_technology\n"


def _magnet_with_three_sources(make_bom):
    # MAG (100) holds China-origin DY 0.1 x 10 = 1, TB 0.2 x 1 = 0.2 and SM 0.1 x 1 = 0.1: 1.3 in all
    return make_bom([("MAG", "part2", "JP", "100"), ("DY", "part1", "CN", "10"), ("TB", "part1", "CN", "1"),
                     ("SM", "part1", "CN", "1")], [("MAG", "DY", "0.1"), ("MAG", "TB", "0.2"), ("MAG", "SM", "0.1")])


def test_the_top_contributors_then_one_line_counting_the_rest_and_adding_up_exactly(make_bom):
    evaluation = bomcalc.evaluate(_magnet_with_three_sources(make_bom), as_of="2026-11-11")
    full = contributions_table(evaluation)
    assert list(full["source"]) == ["DY", "TB", "SM"]
    table = report_tables(evaluation, top=1, elsewhere="r_contributions.csv")["Contributions"]
    assert list(table["source"]) == ["DY", "(2 more)"]
    more = table.iloc[1]
    assert more["kind"] == MORE and "r_contributions.csv" in more["description"] and "2 more" in more["description"]
    assert more["extended_value_exact"] == "0.3" and more["cumulative_share"] == Decimal(1)
    assert sum(Decimal(v) for v in table["extended_value_exact"]) == Decimal("1.3")  # still the item's content
    assert list(top_contributions(full, 3)["source"]) == ["DY", "TB", "SM"]  # no line when none is left out
    assert list(top_contributions(full, 0)["source"]) == ["(3 more)"]


def _folder(tmp_path, name="bom"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "parts.csv").write_text(PARTS_HEADER + "MAG,=magnet,JP,100,USD,ea,part2,\nDY,Dy,CN,10,USD,kg,part1,\n"
                                      "TB,Tb,CN,1,USD,kg,part1,\nSM,Sm,CN,1,USD,kg,part1,\n", encoding="utf-8")
    (folder / "bom.csv").write_text("parent,child,qty\nMAG,DY,0.1\nMAG,TB,0.2\nMAG,SM,0.1\n", encoding="utf-8")
    return folder


def test_report_top_writes_the_full_contributions_beside_the_workbook(tmp_path):
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(main, ["report", str(_folder(tmp_path)), "--output", str(out), "--top", "2",
                                       "--as-of", "2026-11-11"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["Contributions"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    header = [c.value for c in sheet[1]]
    assert [row[header.index("source")] for row in rows] == ["DY", "TB", "(1 more)"]
    assert "r_contributions.csv" in rows[-1][header.index("description")]
    written = contributions_csv_path(out)
    assert written == tmp_path / "r_contributions.csv"
    full = list(csv.DictReader(written.read_text(encoding="utf-8").splitlines()))
    assert [(row["source"], row["extended_value"], row["extended_value_exact"]) for row in full] == \
        [("DY", "1", "1"), ("TB", "0.2", "0.2"), ("SM", "0.1", "0.1")]
    assert full[0]["item_value"] == "100" and full[0]["paths"] == "MAG > DY (x0.1)"


def test_the_contributions_csv_never_overwrites_an_input(tmp_path):
    folder = _folder(tmp_path)
    bom = tmp_path / "r_contributions.csv"  # the BOM lines as one file, named as the CSV would be
    bom.write_text("parent,child,qty\nMAG,DY,0.1\n", encoding="utf-8")
    before = bom.read_bytes()
    result = CliRunner().invoke(main, ["report", str(bom), "--parts", str(folder / "parts.csv"),
                                       "--output", str(tmp_path / "r.xlsx")])
    assert result.exit_code != 0 and "contributions CSV would overwrite" in result.output
    assert bom.read_bytes() == before and not (tmp_path / "r.xlsx").exists()


def test_the_audit_pack_holds_every_contribution_and_verify_checks_it(tmp_path):
    pack = tmp_path / "pack"
    made = CliRunner().invoke(main, ["report", str(_folder(tmp_path)), "--pack", str(pack), "--top", "1",
                                     "--as-of", "2026-11-11"])
    assert made.exit_code == 0, made.output
    manifest = json.loads((pack / "manifest.json").read_text())
    assert len(manifest["files"]["contributions.csv"]) == 64
    assert [row["source"] for row in csv.DictReader((pack / "contributions.csv").read_text().splitlines())] == ["DY", "TB", "SM"]
    sheet = openpyxl.load_workbook(pack / "report.xlsx")["Contributions"]
    assert "contributions.csv of this audit pack" in [c.value for c in sheet[3]][6]
    assert verify_pack(pack).ok
    text = (pack / "contributions.csv").read_text()
    (pack / "contributions.csv").write_text(text.replace(",SM,", ",XX,"))
    outcome = verify_pack(pack)
    assert not outcome.ok and any("contributions.csv changed" in d for d in outcome.differences)
    assert any("the recomputed contributions differ from contributions.csv" in d for d in outcome.differences)


def test_paths_inside_the_item_are_those_found_through_the_whole_bom(make_bom):
    # DY is also used by OTHER, above and beside MAG: the walk up from DY stays inside MAG's sub-BOM
    bom = make_bom([("TOP", None, "DE", None), ("OTHER", None, "DE", "5"), ("MAG", "part2", "JP", "100"),
                    ("SUB", None, "JP", "1"), ("DY", "part1", "CN", "10")],
                   [("TOP", "MAG", "1"), ("TOP", "OTHER", "1"), ("OTHER", "DY", "1"), ("MAG", "SUB", "2"),
                    ("SUB", "DY", "0.1"), ("MAG", "DY", "0.05")])
    below = {"MAG", "SUB", "DY"}
    assert sorted(map(str, paths(bom, "MAG", "DY", below=below))) == sorted(map(str, paths(bom, "MAG", "DY")))
    evaluation = bomcalc.evaluate(bom, as_of="2026-11-11")
    table = contributions(bom, evaluation.rolled, "MAG")
    assert set(table.iloc[0]["paths"]) == {"MAG > SUB (x2) > DY (x0.1)", "MAG > DY (x0.05)"}
    assert table.iloc[0]["extended_qty"] == Decimal("0.25")


def test_the_pareto_chart_draws_the_listed_contributors_not_the_more_line(make_bom, tmp_path):
    from bomcalc.report.excel import write_excel_report

    evaluation = bomcalc.evaluate(_magnet_with_three_sources(make_bom), as_of="2026-11-11")  # 1.3% : required
    write_excel_report(tmp_path / "r.xlsx", evaluation, top=2)
    charts = openpyxl.load_workbook(tmp_path / "r.xlsx")["Charts"]._charts
    assert len(charts) == 2  # the ratio chart and MAG's Pareto chart
    bars = charts[1].series[0].val.numRef.f
    assert bars.endswith("$2:$K$3")  # DY and TB on rows 2 and 3; the '(1 more)' line on row 4 is no bar
