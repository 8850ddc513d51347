"""Unknown Annex 1 status counted both ways, and the coverage of every result (computed by hand)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.cli import EXIT_FAIL_ON, main
from bomcalc.core.model import RawTable, build_bom
from bomcalc.core.rules import rule_pack_from_dict  # noqa: F401  (the bundled pack is used below)
from bomcalc.core.scenarios import Scenario, compare, parse_scenarios
from bomcalc.core.contributions import contributions

from ..conftest import write_workbook

IN_FORCE_DAY = dt.date(2026, 11, 11)
D = Decimal

# The magnet (Part 2, made in JP, worth 2000: the line is 0.001 x 2000 = 2) contains one unit of
# X, a part whose Annex 1 status is unknown. Upper bound: X's own value when X may be a
# China-origin Part 1 item (origin CN or unknown), else what X's inputs carry (nothing here).
# (id, X origin, X unit_value, expected status, expected deciding inputs)
UNKNOWN_ANNEX1_CASES = [
    ("unknown status, unknown origin, exactly on the line: indeterminate", None, "2", "indeterminate", ("X",)),
    ("unknown status, unknown origin, one cent below: not required", None, "1.99", "not_required", ()),
    ("unknown status, unknown origin, one cent above: indeterminate", None, "2.01", "indeterminate", ("X",)),
    ("unknown status, China origin, on the line: indeterminate", "CN", "2", "indeterminate", ("X",)),
    ("unknown status, China origin, one cent below: not required", "CN", "1.99", "not_required", ()),
    ("unknown status, Japanese origin: its inputs count, not it", "JP", "2", "not_required", ()),
    ("unknown status and no value: indeterminate, never zero", None, None, "indeterminate", ("X",)),
]


@pytest.mark.parametrize(
    "origin, value, expected, deciding",
    [case[1:] for case in UNKNOWN_ANNEX1_CASES],
    ids=[case[0] for case in UNKNOWN_ANNEX1_CASES],
)
def test_unknown_annex1_status_is_counted_both_ways(judge, origin, value, expected, deciding):
    items = judge(
        [("MAG", "part2", "JP", D(2000)), ("X", "unknown", origin, None if value is None else D(value))],
        [("MAG", "X", 1)],
    )
    assert items["MAG"]["status"] == expected
    assert items["MAG"]["deciding_inputs"] == deciding
    assert items["MAG"]["cn_part1_value"] == 0
    assert "X" not in items  # an unclassified part is never assessed as an item


def test_blank_annex1_in_a_present_column_still_means_not_listed(judge):
    items = judge([("MAG", "part2", "JP", D(2000)), ("X", None, None, D(2))], [("MAG", "X", 1)])
    assert items["MAG"]["status"] == "not_required"


@pytest.mark.parametrize(
    "x_value, dy_value, expected",
    [
        ("2", "2", "licence_required"),  # lower min(2, 2) = 2 >= 2: caught whether X is Chinese Part 1 or not
        ("1", "2", "indeterminate"),  # lower min(1, 2) = 1 < 2: a Chinese Part 1 X counts 1 and stops the Dy
        ("3", "1.99", "indeterminate"),  # lower min(3, 1.99) = 1.99 < 2; upper max(3, 1.99) = 3 >= 2
        ("1.99", "1.98", "not_required"),  # upper max(1.99, 1.98) = 1.99 < 2
    ],
    ids=["its own value and its inputs both reach the line", "inputs reach the line but its own value may be all that counts",
         "its own value could reach it", "neither reaches it"],
)
def test_unknown_annex1_part_with_inputs(judge, x_value, dy_value, expected):
    items = judge(
        [("MAG", "part2", "JP", D(2000)), ("X", "unknown", None, D(x_value)), ("DY", "part1", "CN", D(dy_value))],
        [("MAG", "X", 1), ("X", "DY", 1)],
    )
    assert items["MAG"]["status"] == expected
    assert items["MAG"]["cn_part1_value"] == min(D(x_value), D(dy_value))
    assert items["MAG"]["unknown_origin_part1_value"] == max(D(x_value), D(dy_value)) - min(D(x_value), D(dy_value))


@pytest.mark.parametrize("cell", ["unknown", "?", "tbd", "n/k", "Unknown"])
def test_unknown_words_in_the_annex1_cell(make_bom, cell):
    bom = make_bom([("A", cell, "JP", D(1)), ("B", None, "JP", D(1)), ("C", "part1", "JP", D(1))])
    assert bom.parts["annex1_known"].to_dict() == {"A": False, "B": True, "C": True}
    assert bom.parts.at["A", "annex1"] is None


def _raw(records, name="parts", **columns):
    frame = pd.DataFrame(records, dtype=object)
    for column, values in columns.items():
        frame[column] = values
    return RawTable(name, frame, tuple(range(2, len(frame) + 2)), sheet=name)


def test_a_parts_table_without_an_annex1_column_leaves_every_part_unclassified():
    parts = _raw([{"part_id": "TOP", "origin": "JP", "unit_value": 10, "currency": "USD"},
                  {"part_id": "MAG", "origin": "JP", "unit_value": 5, "currency": "USD"}])
    lines = _raw([{"parent": "TOP", "child": "MAG", "qty": 1}], "bom")
    bom = build_bom(parts, lines)
    assert not bom.parts["annex1_known"].any()
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    assert result.items.empty
    assert result.coverage == {"parts": 2, "annex1_known": 0, "origin_known": 2, "value_known": 2, "in_parts_data": 2,
                               "complete": False}
    text = bomcalc.report.documents.format_table(result)
    assert "no Annex 1 items" not in text
    assert "No part is known to be an Annex 1 item, but 2 part(s) are unclassified; the result is incomplete" in text
    assert "2 part(s) have no Annex 1 status (no input has an annex1 column, or every annex1 cell says unknown): TOP, MAG" in text


def test_readers_flags_set_known_status_and_parts_data():
    parts = _raw([{"part_id": "A", "annex1": None, "unit_value": 1}, {"part_id": "B", "annex1": None, "unit_value": 1}],
                 annex1_known=[True, False], in_parts_data=[True, False])
    bom = build_bom(parts, _raw([{"parent": "A", "child": "B", "qty": 1}], "bom"))
    assert bom.parts["annex1_known"].to_dict() == {"A": True, "B": False}
    assert bom.parts["in_parts_data"].to_dict() == {"A": True, "B": False}


def test_coverage_counts_and_complete(make_bom):
    bom = make_bom(
        [("TOP", None, "JP", None), ("MAG", "part2", "JP", D(2000)), ("DY", "part1", "CN", D(1)), ("SCREW", None, None, D(1))],
        [("TOP", "MAG", 1), ("MAG", "DY", 1), ("TOP", "SCREW", 4)],
    )
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    assert result.coverage == {"parts": 4, "annex1_known": 4, "origin_known": 3, "value_known": 3, "in_parts_data": 4,
                               "complete": True}
    document = bomcalc.result_document(result)
    assert document["coverage"] == result.coverage
    assert document["coverage_notes"] == []
    assert "complete: yes" in bomcalc.report.documents.format_table(result)


def test_an_indeterminate_item_makes_the_result_incomplete(make_bom):
    bom = make_bom([("MAG", "part2", "JP", D(2000)), ("DY", "part1", None, D(2))], [("MAG", "DY", 1)])
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    assert result.coverage["annex1_known"] == 2 and result.coverage["complete"] is False


def test_contributions_and_scenarios_agree_with_the_rollup_around_unclassified_parts(make_bom):
    bom = make_bom(
        [("MAG", "part2", "JP", D(2000)), ("X", "unknown", None, D(3)), ("DY", "part1", "CN", D("0.5")),
         ("TB", "part1", "CN", D("0.25")), ("Y", "unknown", "CN", D(1))],
        [("MAG", "X", 2), ("X", "DY", 3), ("MAG", "TB", 4), ("MAG", "Y", 1)],
    )
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    table = contributions(bom, result.rolled, "MAG")
    assert sum(table["extended_value"]) == result.rolled.at["MAG", "cn_part1_value"] == D("2") * 3 * D("0.5") + 4 * D("0.25")
    # upper: 2 x max(3, 1.5) + 1 + max(1, 0) = 6 + 1 + 1 = 8
    assert result.rolled.at["MAG", "cn_part1_upper"] == D(8)
    scenarios = parse_scenarios([
        {"name": "Dy cheaper", "changes": [{"part": "DY", "set": {"unit_value": 0.1}}]},
        {"name": "Y from Japan", "changes": [{"part": "Y", "set": {"origin": "JP"}}]},
        {"name": "X classified", "changes": [{"part": "X", "set": {"annex1": None}}]},
    ])
    pack = result.rule_pack
    shared = compare(bom, scenarios, pack, IN_FORCE_DAY, shared=True)
    full = compare(bom, scenarios, pack, IN_FORCE_DAY, shared=False)
    for one, other in zip(shared.results, full.results):
        columns = ["part_id", "status", "cn_part1_value", "ratio"]
        assert one.items[columns].to_dict("records") == other.items[columns].to_dict("records")
    assert isinstance(scenarios[0], Scenario)


def _single_sheet_without_annex1(tmp_path):
    return write_workbook(tmp_path / "export.xlsx", {"BOM": [
        ["Level", "Part Number", "Description", "Qty", "Unit Price", "Currency", "COO"],
        [0, "TOP", "Top", 1, 100, "USD", "JP"],
        [1, "MAG", "Magnet", 1, 20, "USD", "JP"],
        [2, "DY", "Dysprosium", "0.01", 300, "USD", "CN"],
    ]})


def test_cli_never_gives_an_all_clear_without_annex1_data(tmp_path):
    path = _single_sheet_without_annex1(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(path), "--as-of", "2026-11-11"])
    assert result.exit_code == 0, result.output
    assert "no Annex 1 items" not in result.output
    assert "3 part(s) are unclassified; the result is incomplete" in result.output
    assert "Coverage: 3 parts; Annex 1 status known for 0, origin for 3, value for 3, in the parts data 3; complete: no" in result.output
    failing = runner.invoke(main, ["check", str(path), "--as-of", "2026-11-11", "--fail-on", "indeterminate"])
    assert failing.exit_code == EXIT_FAIL_ON
    required = runner.invoke(main, ["check", str(path), "--as-of", "2026-11-11", "--fail-on", "required"])
    assert required.exit_code == 0
    as_json = runner.invoke(main, ["check", str(path), "--as-of", "2026-11-11", "--format", "json"])
    document = json.loads(as_json.stdout)
    assert document["coverage"]["complete"] is False and document["coverage"]["annex1_known"] == 0


def test_cli_complete_result_passes_fail_on_indeterminate(tmp_path):
    path = write_workbook(tmp_path / "export.xlsx", {"BOM": [
        ["Level", "Part Number", "Description", "Qty", "Unit Price", "Currency", "COO", "Annex 1"],
        [0, "TOP", "Top", 1, 100, "USD", "JP", None],
        [1, "MAG", "Magnet", 1, 20, "USD", "JP", "part2"],
        [2, "ND", "Neodymium (not listed)", "0.01", 300, "USD", "CN", None],
    ]})
    result = CliRunner().invoke(main, ["check", str(path), "--as-of", "2026-11-11", "--fail-on", "indeterminate"])
    assert result.exit_code == 0, result.output  # no listed input: not required, and nothing unknown
    assert "complete: yes" in result.output


def test_mitigation_counts_an_unclassified_part_as_the_rollup_does(make_bom):
    from bomcalc.core.mitigation.optimiser import SourcingOption

    # X (status unknown, origin unknown, 3) holds Dy worth 0.5: upper bound max(3, 0.5) = 3 >= 2, indeterminate.
    # Buying X from Japan leaves only its inputs (0.5 < 2); a cheaper Chinese X keeps max(3, 0.5) = 3.
    bom = make_bom([("MAG", "part2", "JP", D(2000)), ("X", "unknown", None, D(3)), ("DY", "part1", "CN", D("0.5"))],
                   [("MAG", "X", 1), ("X", "DY", 1)])
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    assert result.item("MAG")["status"] == "indeterminate"
    plan = bomcalc.api.mitigate(result, [SourcingOption("X", "JP-X", origin="JP", cost_delta=D(1)),
                                         SourcingOption("X", "CN-X", origin="CN", cost_delta=D("0.1"))])
    assert plan.feasible and [(o.part, o.name) for o in plan.chosen] == [("X", "JP-X")] and plan.annual_cost == 1


def test_a_declared_part_of_unknown_status_is_named_when_its_own_value_decides(judge):
    # X declares no China-origin content, but may itself be a China-origin Part 1 item worth 2: upper 2 >= 2.
    items = judge([("MAG", "part2", "JP", D(2000)), ("X", "unknown", None, D(2))], [("MAG", "X", 1)],
                  [{"part_id": "X", "cn_part1_value": 0, "unknown_origin_part1_value": 0, "source": "SD-1"}])
    assert items["MAG"]["status"] == "indeterminate" and items["MAG"]["deciding_inputs"] == ("X",)


def test_a_pack_that_renames_its_statuses_still_leaves_coverage_incomplete_for_an_indeterminate_item(make_bom):
    # MAG (JP, 1000) holds 0.004 kg of Dy (300/kg) whose origin is unknown: 0 to 1.2 against a line
    # of 1.0, so MAG is indeterminate, and so is Dy (its own origin). Every Annex 1 status is known,
    # so only the indeterminate items keep coverage incomplete, under any pack's word for them.
    import tomllib
    from importlib import resources

    from bomcalc.core.coverage import coverage_notes
    from bomcalc.core.overlays import merge_overlay

    bom = make_bom([("MAG", "part2", "JP", 1000), ("DY", "part1", None, 300)], [("MAG", "DY", "0.004")])
    base = tomllib.loads((resources.files("bomcalc") / "rulepacks" / "mofcom_61_2025.toml").read_text("utf-8"))
    overlay = {"id": "relabelled", "version": "1", "extends": "mofcom-61-2025",
               "outcomes": {"required": {"label": "licence_needed"}, "indeterminate": {"label": "undecided"},
                            "not_required": {"label": "free"}}}
    relabelled = rule_pack_from_dict(merge_overlay(base, overlay, "relabelled.toml"), "relabelled.toml")
    default = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    renamed = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY, rules=relabelled)
    assert dict(zip(renamed.items["part_id"], renamed.items["status"])) == {"MAG": "undecided", "DY": "undecided"}
    assert renamed.coverage["annex1_known"] == renamed.coverage["parts"] == 2
    assert default.coverage["complete"] is renamed.coverage["complete"] is False
    assert [n for n in coverage_notes(bom, renamed.items) if "indeterminate" in n] == [
        "2 item(s) are indeterminate: MAG, DY; resolve the origin, value or Annex 1 status of their deciding inputs "
        "(bomcalc explain BOM ITEM shows them)"]
