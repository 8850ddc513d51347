"""A bought Part 2 item with no BOM lines and no supplier declaration: its content is unknown, never 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from click.testing import CliRunner

import bomcalc
from bomcalc.cli import main

AS_OF = dt.date(2026, 11, 11)


def test_a_bought_magnet_without_bom_or_declaration_is_indeterminate_and_names_itself(judge):
    items = judge([("MAG", "part2", "JP", 50), ("HSG", None, "DE", 10), ("GEN", None, "DE", 100)],
                  [("GEN", "MAG", 2), ("GEN", "HSG", 1)])
    magnet = items["MAG"]
    assert magnet["status"] == "indeterminate"
    assert magnet["cn_part1_value"] == Decimal(0) and magnet["unknown_origin_part1_value"] is None
    assert magnet["deciding_inputs"] == ("MAG",)


def test_a_declaration_of_no_content_settles_it(judge):
    items = judge([("MAG", "part2", "JP", 50)], [],
                  [{"part_id": "MAG", "cn_part1_value": 0, "unknown_origin_part1_value": 0, "source": "supplier"}])
    assert items["MAG"]["status"] == "not_required"


def test_a_declared_content_on_the_line_is_caught(judge):
    # 0.05 of 50 is exactly 0.1%
    items = judge([("MAG", "part2", "JP", 50)], [],
                  [{"part_id": "MAG", "cn_part1_value": "0.05", "unknown_origin_part1_value": 0, "source": "supplier"}])
    assert items["MAG"]["status"] == "licence_required"


def test_an_assembly_holding_it_is_indeterminate_under_the_assemblies_scope(judge):
    items = judge([("MAG", "part2", "JP", 50), ("MOTOR", None, "DE", 500)], [("MOTOR", "MAG", 1)],
                  part2_scope="assemblies")
    assert items["MOTOR"]["status"] == "indeterminate" and "MAG" in items["MOTOR"]["deciding_inputs"]


def test_the_cli_says_incomplete_and_fails_on_indeterminate(tmp_path):
    bom = tmp_path / "gen.csv"
    bom.write_text("Level,Part Number,Description,Quantity,UoM,Origin,Unit Price,Currency,Annex 1\n"
                   "0,GEN-6,Generator,1,EA,DE,900,USD,\n"
                   "1,MAG-6,NdFeB magnet ring (bought),2,EA,JP,50,USD,part2\n"
                   "1,HOUSING-6,Housing,1,EA,DE,40,USD,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(bom), "--as-of", "2026-11-11", "--fail-on", "indeterminate"])
    assert result.exit_code == 3, result.output
    assert "indeterminate" in result.output and "complete: no" in result.output
    assert "not_required" not in result.output
    assert bomcalc.evaluate(bomcalc.read_workbook(bom), as_of=AS_OF).coverage["complete"] is False


def test_the_warning_names_exactly_the_part2_leaves_made_outside_china_and_undeclared():
    """Among Part 2 items, only those with no lines, not of China origin and without a declaration are
    warned of, in the parts' order; Part 1 and unlisted leaves never are."""
    parts = [{"part_id": p, "annex1": a, "origin": o, "unit_value": 10, "currency": "USD"} for p, a, o in [
        ("TOP", None, "DE"), ("LEAF-B", "part2", "JP"), ("ASSY", "part2", "DE"), ("CN-LEAF", "part2", "CN"),
        ("DECLARED", "part2", "VN"), ("DY", "part1", "CN"), ("SCREW", None, "DE"), ("LEAF-A", "part2", None)]]
    lines = [("TOP", p, 1) for p in ("LEAF-B", "ASSY", "CN-LEAF", "DECLARED", "LEAF-A")] + [("ASSY", "DY", 1),
                                                                                           ("ASSY", "SCREW", 1)]
    declared = [{"part_id": "DECLARED", "cn_part1_value": 0, "unknown_origin_part1_value": 0, "source": "supplier"}]
    bom = bomcalc.bom_from_records(parts, lines, declared)
    warned = [issue.part_id for issue in bom.issues if issue.code == "undeclared_part2_leaf"]
    assert warned == ["LEAF-B", "LEAF-A"]
