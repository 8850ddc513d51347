"""What-if scenarios: every kind of change computed by hand, flips both ways, errors, and the
shared roll-up agreeing exactly with full re-evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bomcalc
from bomcalc.core.errors import ScenarioError
from bomcalc.core.scenarios import apply_scenario, compare, parse_scenarios

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_boms"
DAY = dt.date(2026, 11, 11)
PACK = bomcalc.load_rule_pack()


@pytest.fixture
def magnet_bom(make_bom):
    # MAG (JP, 1000) holds 0.004 kg Dy (CN, 300/kg) = 1.2 -> 0.12%, licence_required;
    # MOTOR (DE) uses 2 magnets and a housing.
    return make_bom(
        [("MOTOR", None, "DE", None), ("MAG", "part2", "JP", 1000), ("DY", "part1", "CN", 300),
         ("DY-JP", "part1", "JP", 320), ("HSG", None, "DE", 50), ("FERRITE", None, "IN", 2)],
        [("MOTOR", "MAG", 2), ("MOTOR", "HSG", 1), ("MAG", "DY", "0.004")],
    )


def _run(bom, *entries, shared=True):
    comparison = compare(bom, parse_scenarios(list(entries)), PACK, DAY, shared=shared)
    return {row["part_id"]: row for _, row in comparison.results[0].items.iterrows()}, comparison


CHANGE_CASES = [
    ("origin moved out of China frees the magnet", {"part": "DY", "set": {"origin": "JP"}}, "not_required", Decimal(0)),
    ("a cheaper Chinese Dy price, 0.004 x 240 = 0.96, frees it", {"part": "DY", "set": {"unit_value": 240}}, "not_required", Decimal("0.96")),
    ("exactly on the line again: 0.004 x 250 = 1.0 of 1000", {"part": "DY", "set": {"unit_value": 250}}, "licence_required", Decimal("1.0")),
    ("a dearer magnet dilutes the ratio: 1.2 of 1300", {"part": "MAG", "set": {"unit_value": 1300}}, "not_required", Decimal("1.2")),
    ("a supplier declaration replaces the roll-up", {"part": "MAG", "declare": {"cn_part1_value": "0.5"}}, "not_required", Decimal("0.5")),
    ("Chinese technology flags the magnet", {"part": "MAG", "set": {"cn_technology": True}}, "licence_required", Decimal("1.2")),
    ("a line quantity halved: 0.002 x 300 = 0.6", {"parent": "MAG", "child": "DY", "qty": "0.002"}, "not_required", Decimal("0.6")),
    # with no line left and no declaration nothing says what the magnet holds: at least 0, at most unknown
    ("a line removed", {"parent": "MAG", "child": "DY", "remove": True}, "indeterminate", Decimal(0)),
    ("Dy substituted by Japanese Dy", {"substitute": "DY", "with": "DY-JP"}, "not_required", Decimal(0)),
    ("substitution only under another parent changes nothing", {"substitute": "HSG", "with": "FERRITE", "under": ["MOTOR"]}, "licence_required", Decimal("1.2")),
    ("a threshold of 0.2% frees it", {"threshold": "0.002"}, "not_required", Decimal("1.2")),
]


@pytest.mark.parametrize("change, status, cn", [c[1:] for c in CHANGE_CASES], ids=[c[0] for c in CHANGE_CASES])
@pytest.mark.parametrize("shared", [True, False], ids=["shared roll-up", "full evaluation"])
def test_each_kind_of_change(magnet_bom, change, status, cn, shared):
    rows, _ = _run(magnet_bom, {"name": "s", "changes": [change]}, shared=shared)
    assert rows["MAG"]["baseline_status"] == "licence_required"
    assert rows["MAG"]["status"] == status
    assert rows["MAG"]["cn_part1_value"] == cn
    assert rows["MAG"]["flipped"] is (status != "licence_required")


def test_flip_to_required(make_bom):
    bom = make_bom([("MAG", "part2", "JP", 1000), ("TB", "part1", "JP", 500)], [("MAG", "TB", "0.002")])
    rows, comparison = _run(bom, {"name": "Tb turns out Chinese", "changes": [{"part": "TB", "set": {"origin": "CN"}}]})
    assert (rows["MAG"]["baseline_status"], rows["MAG"]["status"], rows["MAG"]["direction"]) == ("not_required", "licence_required", "to_required")
    assert comparison.results[0].flips() == {"to_required": 2, "to_free": 0, "other": 0}  # the magnet and Tb itself


def test_as_of_change_moves_in_force(magnet_bom):
    rows, comparison = _run(magnet_bom, {"name": "during the suspension", "changes": [{"as_of": "2026-03-01"}]})
    assert rows["MAG"]["status"] == "licence_required" and rows["MAG"]["in_force"] is False
    assert comparison.results[0].as_of == dt.date(2026, 3, 1)


def test_baseline_is_never_modified_and_runs_repeat(magnet_bom):
    before = bomcalc.evaluate(magnet_bom, as_of=DAY).items.to_dict("records")
    scenarios = parse_scenarios([{"name": "a", "changes": [{"part": "DY", "set": {"origin": "JP"}}, {"parent": "MOTOR", "child": "MAG", "remove": True}]}])
    first = compare(magnet_bom, scenarios, PACK, DAY).table().to_dict("records")
    second = compare(magnet_bom, scenarios, PACK, DAY).table().to_dict("records")
    assert first == second
    assert bomcalc.evaluate(magnet_bom, as_of=DAY).items.to_dict("records") == before
    assert magnet_bom.parts.at["DY", "origin"] == "CN" and magnet_bom.graph.has_edge("MOTOR", "MAG")


ERROR_CASES = [
    ("unknown part", {"part": "NOPE", "set": {"origin": "JP"}}, "part 'NOPE' is not in the BOM"),
    ("unknown line", {"parent": "MAG", "child": "HSG", "qty": 2}, "there is no line MAG -> HSG"),
    ("unknown field", {"part": "DY", "set": {"colour": "red"}}, "cannot set colour"),
    ("bad origin", {"part": "DY", "set": {"origin": "Atlantis"}}, "not a country code"),
    ("substitute with unknown part", {"substitute": "DY", "with": "DY-XX"}, "part 'DY-XX' is not in the BOM"),
    ("change of no known kind", {"paint": "blue"}, "not a change bomcalc knows"),
]


@pytest.mark.parametrize("change, message", [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_bad_changes_name_the_scenario_and_apply_nothing(magnet_bom, change, message):
    with pytest.raises(ScenarioError) as caught:
        scenarios = parse_scenarios([{"name": "Bad one", "changes": [{"part": "DY", "set": {"origin": "JP"}}, change]}])
        compare(magnet_bom, scenarios, PACK, DAY, shared=False)
    assert "Bad one" in str(caught.value) and message in str(caught.value)
    assert magnet_bom.parts.at["DY", "origin"] == "CN"


def test_substitution_creating_a_cycle_is_refused(magnet_bom):
    scenarios = parse_scenarios([{"name": "loop", "changes": [{"substitute": "HSG", "with": "MOTOR"}]}])
    with pytest.raises(ScenarioError, match="cyclic"):
        apply_scenario(magnet_bom, scenarios[0])


def test_sample_scenario_file_works_as_written():
    bom = bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx")
    comparison = bomcalc.whatif(bom, SAMPLES / "servo_scenarios.toml", as_of=DAY)
    results = {r.scenario.name: r for r in comparison.results}
    dy = {row["part_id"]: row for _, row in results["Dy from Japan"].items.iterrows()}
    assert dy["MAG-ARC"]["status"] == "not_required" and dy["MAG-ARC"]["cn_part1_value"] == 0
    tb = {row["part_id"]: row for _, row in results["Terbium oxide origin confirmed Chinese"].items.iterrows()}
    # 0.00005 kg TB-OX x 1000 = 0.05 becomes China-origin: (0.0028 + 0.05) / 3.9129
    assert tb["MAG-BRK"]["status"] == "licence_required" and tb["MAG-BRK"]["cn_part1_value"] == Decimal("0.0528")
    assert results["Ferrite instead of NdFeB in the encoder"].method == "full evaluation"


def _numbers(table):
    return [(r["scenario"], r["part_id"], r["status"], r["cn_part1_value"], r["value"], r["ratio"]) for _, r in table.iterrows()]


ORIGINS = st.sampled_from(["CN", "JP", None])
SERVO = bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx")
CHANGEABLE = sorted(SERVO.parts.index)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CHANGEABLE), ORIGINS, st.integers(0, 2000), st.booleans()), min_size=1, max_size=3))
def test_shared_rollup_agrees_exactly_with_full_evaluation(changes):
    entry = {"name": "random", "changes": []}
    for part, origin, value, declare in changes:
        if declare:
            entry["changes"].append({"part": part, "declare": {"cn_part1_value": Decimal(value) / 1000}})
        else:
            entry["changes"].append({"part": part, "set": {"origin": origin or "unknown", "unit_value": Decimal(value) / 10}})
    scenarios = parse_scenarios([entry])
    shared = compare(SERVO, scenarios, PACK, DAY, shared=True).table()
    full = compare(SERVO, scenarios, PACK, DAY, shared=False).table()
    assert _numbers(shared) == _numbers(full)


@pytest.mark.parametrize("shared", [True, False], ids=["shared roll-up", "full evaluation"])
@pytest.mark.parametrize("change", [{"threshold": "0.005"}, {"part": "DY", "set": {"unit_value": 400}}],
                         ids=["threshold only", "a price under the unknown"])
def test_an_item_whose_content_is_unknown_stays_indeterminate_in_every_scenario(make_bom, change, shared):
    # MAG (JP, 10) is bought with no BOM and no declaration: its content is at least 0, at most unknown.
    # PROD holds it and 0.001 kg of Dy of unknown origin; nothing a scenario changes here can settle MAG.
    bom = make_bom([("PROD", None, "DE", 100), ("MAG", "part2", "JP", 10), ("DY", "part1", None, 340)],
                   [("PROD", "MAG", 1), ("PROD", "DY", "0.001")])
    rows, _ = _run(bom, {"name": "s", "changes": [change]}, shared=shared)
    assert rows["MAG"]["baseline_status"] == rows["MAG"]["status"] == "indeterminate"
    assert rows["MAG"]["ratio"] == 0 and rows["MAG"]["ratio_upper"] is None  # shown as "0.0000% to ?", never 0%


def test_the_whatif_table_shows_an_undecided_ratio_as_a_range(make_bom):
    from bomcalc.report.documents import format_comparison

    bom = make_bom([("MAG", "part2", "JP", 1000), ("TB", "part1", None, 500)], [("MAG", "TB", "0.002")])
    _, comparison = _run(bom, {"name": "dearer magnet", "changes": [{"part": "MAG", "set": {"unit_value": 2000}}]})
    text = format_comparison(comparison)
    # before: 0 to 0.002 x 500 / 1000 = 0.1% (undecided: the line is inclusive); after: at most 1 / 2000 = 0.05%
    line = next(line.split() for line in text.splitlines() if " MAG " in line)
    assert line[2:7] == ["indeterminate", "not_required", "0.0000%", "to", "0.1000%"]


def test_items_no_change_reaches_are_decided_afresh_for_each_date_and_threshold(magnet_bom):
    # HSG is not under MAG, so no change to it reaches MAG; MAG holds 1.2 of 1000 = 0.12% whatever HSG does.
    # One comparison shares MAG's unchanged row between scenarios of the same date and pack, and must
    # decide it afresh for another date (suspended on 2026-03-01) or another threshold (0.2%: 1.2 < 2).
    scenarios = parse_scenarios([
        {"name": "housing dearer", "changes": [{"part": "HSG", "set": {"unit_value": 80}}]},
        {"name": "housing from Japan", "changes": [{"part": "HSG", "set": {"origin": "JP"}}]},
        {"name": "housing in March", "changes": [{"part": "HSG", "set": {"unit_value": 80}}, {"as_of": "2026-03-01"}]},
        {"name": "housing at 0.2%", "changes": [{"part": "HSG", "set": {"unit_value": 80}}, {"threshold": "0.002"}]},
        {"name": "Dy from Japan", "changes": [{"part": "DY", "set": {"origin": "JP"}}]},
        {"name": "housing again", "changes": [{"part": "HSG", "set": {"unit_value": 60}}]},
    ])
    shared = compare(magnet_bom, scenarios, PACK, DAY)
    full = compare(magnet_bom, scenarios, PACK, DAY, shared=False)
    assert [r.method for r in shared.results] == ["shared roll-up"] * 6
    assert shared.table().to_dict("records") == full.table().to_dict("records")
    mag = {r.scenario.name: {row["part_id"]: row for _, row in r.items.iterrows()}["MAG"] for r in shared.results}
    assert [(mag[n]["status"], mag[n]["in_force"]) for n in ("housing dearer", "housing in March", "housing at 0.2%",
                                                               "Dy from Japan", "housing again")] == [
        ("licence_required", True), ("licence_required", False), ("not_required", True),
        ("not_required", True), ("licence_required", True)]
    assert [r.flips() for r in shared.results][3] == {"to_required": 0, "to_free": 1, "other": 0}
