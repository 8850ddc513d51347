"""Least-cost re-sourcing: hand-computed cases, checked against brute force over every combination.

Every case is a small BOM built inline. The brute force applies each combination of options (at
most one per part) to a copy of the BOM, evaluates it exactly and keeps the cheapest combination
that leaves every selected item strictly below the line and every other Part 2 item that was
below it still below it. Costs come from where-used quantities, independently of the programme.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest

import bomcalc
from bomcalc.core.determine import evaluate as determine
from bomcalc.core.errors import BomDataError, ScenarioError
from bomcalc.io.sourcing import read_sourcing_options, read_volumes
from bomcalc.core.mitigation.optimiser import AnnualVolume, SourcingOption, apply_options, mitigate
from bomcalc.report.mitigation_text import format_mitigation, mitigation_document
from bomcalc.core.contributions import extended_quantities, where_used

from ..conftest import parts_from_tuples, write_workbook

D = Decimal
SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_boms"
PACK = bomcalc.load_rule_pack()
IN_FORCE_DAY = dt.date(2026, 11, 11)


def option(part, name, **fields):
    numbers = {k: D(str(v)) for k, v in fields.items() if k in ("unit_value", "cost_delta", "cn_part1_value", "capacity")}
    return SourcingOption(part, name, fields.get("origin"), **numbers)


def baseline(parts, lines, declarations=None):
    bom = bomcalc.bom_from_records(parts_from_tuples(parts), list(lines), declarations)
    return determine(bom, PACK, IN_FORCE_DAY)


def labels(options):
    return {(o.part, o.name) for o in options}


# --- Brute force -----------------------------------------------------------------------------


def _clear(row):
    if row["value"] is None or row["value"] <= 0 or row["cn_part1_value"] is None or row["unknown_origin_part1_value"] is None:
        return False
    return row["cn_part1_value"] + row["unknown_origin_part1_value"] < PACK.threshold * row["value"]


def _annual_units(bom, part, volumes):
    if volumes is None:
        volumes = {p: D(1) for p in bom.graph.nodes if bom.graph.in_degree(p) == 0}
    used = dict(zip(*[where_used(bom, part)[c] for c in ("part_id", "extended_qty")]))
    return sum((amount * (D(1) if item == part else used.get(item, D(0))) for item, amount in volumes.items()), D(0))


def _unit_cost(bom, choice):
    if choice.cost_delta is not None:
        return choice.cost_delta
    if choice.unit_value is not None:
        return choice.unit_value - bom.parts.at[choice.part, "unit_value"]
    return D(0)


def brute_force(evaluation, options, volumes=None, items=None):
    """``(least annual cost, labels of the options)`` or ``None`` when no combination works."""
    bom = evaluation.bom
    rows = {row["part_id"]: row for _, row in evaluation.items.iterrows()}
    part2 = [p for p, row in rows.items() if row["annex1"] == "part2"]
    selected = items or [p for p in part2 if rows[p]["status"] in ("licence_required", "indeterminate")]
    kept = [p for p in part2 if p not in selected and _clear(rows[p])]
    by_part: dict[str, list] = {}
    for choice in options:
        by_part.setdefault(choice.part, []).append(choice)
    units = {part: _annual_units(bom, part, volumes) for part in by_part}
    best = None
    for combination in itertools.product(*[[None] + group for group in by_part.values()]):
        chosen = [c for c in combination if c is not None]
        if any(c.capacity is not None and units[c.part] > c.capacity for c in chosen):
            continue
        after = determine(apply_options(bom, chosen), PACK, IN_FORCE_DAY)
        now = {row["part_id"]: row for _, row in after.items.iterrows()}
        if all(_clear(now[p]) for p in selected + kept):
            cost = sum((units[c.part] * _unit_cost(bom, c) for c in chosen), D(0))
            if best is None or cost < best[0]:
                best = (cost, labels(chosen))
    return best


# --- Cases -----------------------------------------------------------------------------------
# Each: parts, lines, declarations, options, volumes, expected cost (None: infeasible), expected choice.

# Two magnets A and B (100 each, line 0.1) share the sub-assembly S holding 1 of Chinese Dy:
# A China-free costs 10, B China-free 12, S China-free 7 per unit x 2 units = 14. Taking the
# cheapest option first (A, then B) costs 22; S alone fixes both for 14.
GREEDY = dict(
    parts=[("TOP", None, "DE", None), ("A", "part2", "JP", 100), ("B", "part2", "JP", 100),
           ("S", None, "DE", 5), ("DY", "part1", "CN", 1)],
    lines=[("TOP", "A", 1), ("TOP", "B", 1), ("A", "S", 1), ("B", "S", 1), ("S", "DY", 1)],
    options=[option("A", "China-free A", cn_part1_value=0, cost_delta=10),
             option("B", "China-free B", cn_part1_value=0, cost_delta=12),
             option("S", "China-free S", cn_part1_value=0, cost_delta=7)],
    cost=D(14), choice={("S", "China-free S")},
)

# M (100, line 0.1) holds 2 kg Chinese Dy; TOP holds 3 M and sells 10 a year: 60 kg Dy a year.
# The JP refiner (+1/kg) can supply only 50 kg, so the KR one (+2/kg) is chosen: 120.
CAPACITY = dict(
    parts=[("TOP", None, "DE", None), ("M", "part2", "JP", 100), ("DY", "part1", "CN", 1)],
    lines=[("TOP", "M", 3), ("M", "DY", 2)],
    options=[option("DY", "JP refiner", origin="JP", cost_delta=1, capacity=50),
             option("DY", "KR refiner", origin="KR", cost_delta=2, capacity=100),
             option("M", "China-free M", cn_part1_value=0, cost_delta=5)],
    volumes={"TOP": D(10)},
    cost=D(120), choice={("DY", "KR refiner")},
)

# MAG-A (1000, line 1) holds Dy 0.8 and Tb 0.5 = 1.3; MAG-B (1000) holds 1.5 Dy = 1.2.
# Dy from a KR trader declaring 0.5 per unit: MAG-A 1.0 (on the line: caught), MAG-B 0.75.
# A MAG-A declared at 1.2 hides the Dy below it: with the KR Dy it stays at 1.2 (adding the two
# effects would wrongly give 0.9). Cheapest: KR Dy (2.5 units x 0.25) + China-free MAG-A (4)
# = 4.625, an option on a part and one below it together; Dy from JP alone costs 5.
NESTED = dict(
    parts=[("TOP", None, "DE", None), ("MAG-A", "part2", "JP", 1000), ("MAG-B", "part2", "JP", 1000),
           ("DY", "part1", "CN", "0.8"), ("TB", "part1", "CN", "0.5")],
    lines=[("TOP", "MAG-A", 1), ("TOP", "MAG-B", 1), ("MAG-A", "DY", 1), ("MAG-A", "TB", 1), ("MAG-B", "DY", "1.5")],
    options=[option("MAG-A", "declared 1.2", cn_part1_value="1.2", cost_delta="0.5"),
             option("MAG-A", "China-free", cn_part1_value=0, cost_delta=4),
             option("DY", "KR trader", origin="KR", cn_part1_value="0.5", cost_delta="0.25"),
             option("DY", "JP refiner", origin="JP", cost_delta=2)],
    cost=D("4.625"), choice={("MAG-A", "China-free"), ("DY", "KR trader")},
)

# MAG has no unit_value: powder 99.9 + Dy 0.1 = 100.0, content 0.1: exactly 0.1%, caught.
# A dearer powder (100.0, +0.1) raises the value to 100.1: 0.0999% < 0.1%. Dy from JP costs 1.
DENOMINATOR = dict(
    parts=[("MAG", "part2", "JP", None), ("POW", None, "VN", "99.9"), ("DY", "part1", "CN", "0.1")],
    lines=[("MAG", "POW", 1), ("MAG", "DY", 1)],
    options=[option("POW", "premium grade", unit_value="100.0"), option("DY", "JP refiner", origin="JP", cost_delta=1)],
    cost=D("0.1"), choice={("POW", "premium grade")},
)

# MAG (1000, line 1) holds a KR Dy alloy declared to carry 2 of Chinese Dy. A new declaration of
# 1.0 lands exactly on the line (caught); 0.9999 is just below it.
ON_THE_LINE = dict(
    parts=[("MAG", "part2", "JP", 1000), ("DY", "part1", "KR", 2)],
    lines=[("MAG", "DY", 1)],
    declarations=[{"part_id": "DY", "cn_part1_value": 2, "unknown_origin_part1_value": 0}],
    options=[option("DY", "declared 1.0", cn_part1_value="1.0", cost_delta=1),
             option("DY", "declared 0.9999", cn_part1_value="0.9999", cost_delta=2),
             option("DY", "China-free", cn_part1_value=0, cost_delta=3)],
    cost=D(2), choice={("DY", "declared 0.9999")},
)

# A (100) holds 1 Chinese Dy; C (100) holds 0.1 kg of Japanese Tb, below the line. Tb from a CN
# trader is 0.1 a kg cheaper (0.01 a year) but would put C at 0.19 >= 0.1: it is not taken.
KEEP_BELOW = dict(
    parts=[("TOP", None, "DE", None), ("A", "part2", "JP", 100), ("C", "part2", "JP", 100),
           ("DY", "part1", "CN", 1), ("TB", "part1", "JP", 2)],
    lines=[("TOP", "A", 1), ("TOP", "C", 1), ("A", "DY", 1), ("C", "TB", "0.1")],
    options=[option("DY", "JP refiner", origin="JP", cost_delta=5),
             option("TB", "CN trader", origin="CN", unit_value="1.9")],
    cost=D(5), choice={("DY", "JP refiner")},
)

# MAG1 (100, line 0.1) holds Chinese Dy 1 and Tb 1: only Dy has an option, so 1 remains (1%).
# MAG2 (100) holds Dy only: fixable.
INFEASIBLE = dict(
    parts=[("TOP", None, "DE", None), ("MAG1", "part2", "JP", 100), ("MAG2", "part2", "JP", 100),
           ("DY", "part1", "CN", 1), ("TB", "part1", "CN", 1)],
    lines=[("TOP", "MAG1", 1), ("TOP", "MAG2", 1), ("MAG1", "DY", 1), ("MAG1", "TB", 1), ("MAG2", "DY", 1)],
    options=[option("DY", "JP refiner", origin="JP", cost_delta=1)],
    cost=None, choice=None,
)

# MAG (100, line 0.1) may use Chinese Dy (0.2) or Chinese Tb (0.15) for one position: only the
# alternative with the most content counts. Dy from JP alone leaves Tb at 0.15 (adding up the
# effects would wrongly give 0); both, 0.2 x 10 + 0.15 x 10 = 3.5, beat a China-free MAG (4).
ALTERNATES = dict(
    parts=[("MAG", "part2", "JP", 100), ("DY", "part1", "CN", 1), ("TB", "part1", "CN", 1)],
    lines=[{"parent": "MAG", "child": "DY", "qty": D("0.2"), "alt_group": "G"},
           {"parent": "MAG", "child": "TB", "qty": D("0.15"), "alt_group": "G"}],
    options=[option("DY", "JP refiner", origin="JP", cost_delta=10), option("TB", "JP refiner", origin="JP", cost_delta=10),
             option("MAG", "China-free", cn_part1_value=0, cost_delta=4)],
    cost=D("3.5"), choice={("DY", "JP refiner"), ("TB", "JP refiner")},
)

# MAG is valued from its components at 0.01 x 0.5 = 0.005 (line 0.000005) and holds 0.01 x 0.01 x
# 10 = 0.001 of Chinese Dy through a Japanese alloy. Dy from KR (0.0001 kg x 1) removes it all;
# the margin of the first solve, sized for an alloy that could hold 4 (a Chinese one at 400),
# keeps that fix out, and the search without the margin still finds it before the dearer MAG.
TINY_LINE = dict(
    parts=[("MAG", "part2", "JP", None), ("ALLOY", "part1", "JP", "0.5"), ("DY", "part1", "CN", 10)],
    lines=[("MAG", "ALLOY", "0.01"), ("ALLOY", "DY", "0.01")],
    options=[option("DY", "KR refiner", origin="KR", cost_delta=1),
             option("ALLOY", "CN alloy", origin="CN", unit_value=400, cost_delta=10),
             option("MAG", "dearer grade", unit_value=120, cost_delta="0.5")],
    cost=D("0.0001"), choice={("DY", "KR refiner")},
)

CASES = {
    "taking the cheapest option first is not optimal": GREEDY,
    "an option without the capacity for the whole volume is not used": CAPACITY,
    "options on a magnet and on the dysprosium in it combine exactly": NESTED,
    "a dearer component can raise a rolled-up value above the line": DENOMINATOR,
    "exactly on the line is not enough": ON_THE_LINE,
    "only the alternative item with the most content counts": ALTERNATES,
    "a fix close to a tiny line is still found": TINY_LINE,
    "an item below the line is kept below it": KEEP_BELOW,
    "no combination suffices": INFEASIBLE,
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_least_cost_matches_hand_computation_and_brute_force(case):
    evaluation = baseline(case["parts"], case["lines"], case.get("declarations"))
    result = mitigate(evaluation, case["options"], case.get("volumes"))
    assert brute_force(evaluation, case["options"], case.get("volumes")) == (
        None if case["cost"] is None else (case["cost"], case["choice"]))
    assert result.feasible == (case["cost"] is not None)
    if result.feasible:
        assert result.annual_cost == case["cost"]
        assert labels(result.chosen) == case["choice"]
        assert all(result.items.loc[result.items["selected"], "fixed"])


def test_nested_options_report_the_exact_result():
    evaluation = baseline(NESTED["parts"], NESTED["lines"])
    result = mitigate(evaluation, NESTED["options"])
    items = result.items.set_index("part_id")
    # MAG-A declared China-free: 0; MAG-B: 1.5 x 0.5 declared = 0.75 of 1000
    assert items.at["MAG-A", "cn_part1_value"] == 0 and items.at["MAG-B", "cn_part1_value"] == D("0.75")
    assert items.at["MAG-B", "ratio"] == D("0.00075") and items.at["MAG-B", "status"] == "not_required"
    costs = result.costs.set_index("option")
    assert costs.at["KR trader", "annual_units"] == D("2.5") and costs.at["KR trader", "annual_cost"] == D("0.625")


def test_capacity_exactly_equal_to_the_volume_is_enough():
    options = [option("DY", "JP refiner", origin="JP", cost_delta=1, capacity=60)] + CAPACITY["options"][1:]
    evaluation = baseline(CAPACITY["parts"], CAPACITY["lines"])
    result = mitigate(evaluation, options, [AnnualVolume("TOP", D(10))])
    assert labels(result.chosen) == {("DY", "JP refiner")} and result.annual_cost == D(60)


def test_capacity_binding_is_explained():
    evaluation = baseline(CAPACITY["parts"], CAPACITY["lines"])
    result = mitigate(evaluation, CAPACITY["options"], CAPACITY["volumes"])
    assert "option DY 'JP refiner' cannot be chosen: its capacity of 50 units a year is less than the 60 units a year " \
        "the part is used" in result.notes


def test_infeasible_names_the_items_and_their_best_ratios():
    evaluation = baseline(INFEASIBLE["parts"], INFEASIBLE["lines"])
    result = mitigate(evaluation, INFEASIBLE["options"])
    assert not result.feasible and result.chosen == () and result.annual_cost == 0
    assert result.infeasible_items == ("MAG1",)
    assert result.best_ratios == {"MAG1": D("0.01"), "MAG2": D(0)}  # Tb 1 of 100 remains; MAG2 is free of it
    assert "MAG1 (best 1.0000%)" in format_mitigation(result, "USD")


def test_best_ratio_accounts_for_a_changing_value():
    # MAG: powder 99 + Chinese Dy 1 = value 100, content 1. Powder at 199 (value 200) and Dy
    # declared 0.5 by a KR trader together give 0.5 / 200 = 0.25%, the lowest ratio; still above 0.1%.
    evaluation = baseline([("MAG", "part2", "JP", None), ("POW", None, "VN", 99), ("DY", "part1", "CN", 1)],
                          [("MAG", "POW", 1), ("MAG", "DY", 1)])
    options = [option("POW", "dearer powder", unit_value=199), option("DY", "KR trader", origin="KR", cn_part1_value="0.5")]
    result = mitigate(evaluation, options)
    assert result.infeasible_items == ("MAG",)
    assert result.best_ratios["MAG"] == D("0.0025")


def test_items_each_fixable_but_not_together():
    # P (own value 10) carries 0.2 of Chinese Dy into A (value 100, line 0.1) and into B (valued
    # from P + POW 40 = 50, line 0.05). Declared 0.09 fixes A only; declared 0.12 at value 200
    # fixes B only (value 240, line 0.24); one option per part.
    evaluation = baseline(
        [("A", "part2", "JP", 100), ("B", "part2", "JP", None), ("P", None, "DE", 10), ("POW", None, "VN", 40),
         ("DY", "part1", "CN", 1)],
        [("A", "P", 1), ("B", "P", 1), ("B", "POW", 1), ("P", "DY", "0.2")],
    )
    options = [option("P", "declared 0.09", cn_part1_value="0.09", cost_delta=1),
               option("P", "declared 0.12", cn_part1_value="0.12", unit_value=200, cost_delta=2)]
    result = mitigate(evaluation, options)
    assert brute_force(evaluation, options) is None
    assert not result.feasible and result.infeasible_items == ()
    assert result.best_ratios == {"A": D("0.0009"), "B": D("0.0005")}
    assert any("on its own" in note for note in result.notes)


def test_the_baseline_is_not_modified():
    evaluation = baseline(NESTED["parts"], NESTED["lines"])
    parts_before = evaluation.bom.parts.copy()
    items_before = evaluation.items.copy()
    mitigate(evaluation, NESTED["options"])
    again = determine(evaluation.bom, PACK, IN_FORCE_DAY)
    assert evaluation.bom.parts.equals(parts_before) and len(evaluation.bom.declarations) == 0
    assert again.items.equals(items_before) and evaluation.items.equals(items_before)


def test_apply_options_sets_origin_value_and_declaration_on_a_copy(make_bom):
    bom = make_bom([("MAG", "part2", "JP", 100), ("ALLOY", "part1", "CN", 300), ("DY", "part1", "CN", 350)],
                   [("MAG", "ALLOY", "0.001"), ("ALLOY", "DY", "0.8")])
    copy = apply_options(bom, [option("ALLOY", "JP alloy", origin="JP", unit_value=320)])
    assert bom.parts.at["ALLOY", "origin"] == "CN" and copy.parts.at["ALLOY", "origin"] == "JP"
    rolled = determine(copy, PACK, IN_FORCE_DAY).item("MAG")
    # a Part 1 alloy no longer Chinese passes up its Chinese Dy: 0.001 x 0.8 x 350 = 0.28
    assert rolled["cn_part1_value"] == D("0.28")
    declared = apply_options(bom, [option("MAG", "China-free", cn_part1_value=0)])
    assert determine(declared, PACK, IN_FORCE_DAY).item("MAG")["cn_part1_value"] == 0
    assert len(bom.declarations) == 0


def test_nothing_to_do_is_feasible_at_no_cost():
    evaluation = baseline([("MAG", "part2", "JP", 100), ("DY", "part1", "JP", 1)], [("MAG", "DY", 1)])
    result = mitigate(evaluation, [option("DY", "other", origin="KR", cost_delta=1)])
    assert result.feasible and result.chosen == () and result.annual_cost == 0 and result.items.empty


def test_only_the_named_items_are_brought_below_the_line():
    evaluation = baseline(GREEDY["parts"], GREEDY["lines"])
    result = mitigate(evaluation, GREEDY["options"], items="A")
    assert labels(result.chosen) == {("A", "China-free A")} and result.annual_cost == 10
    assert brute_force(evaluation, GREEDY["options"], items=["A"]) == (D(10), {("A", "China-free A")})


@pytest.mark.parametrize("items, options, message", [
    (["NOPE"], [], "'NOPE' is not in the BOM"),
    (["TOP"], [], "'TOP' is not a Part 2 item"),
    (None, [option("NOPE", "x")], "names a part that is not in the BOM"),
    (None, [option("S", "x", origin="Atlantis")], "not an ISO 3166-1 country code"),
], ids=["an unknown item", "an item that is not Part 2", "an option on an unknown part", "an option with a bad origin"])
def test_bad_requests_are_scenario_errors(items, options, message):
    evaluation = baseline(GREEDY["parts"], GREEDY["lines"])
    with pytest.raises(ScenarioError, match=message):
        mitigate(evaluation, options, items=items)


# --- The servo sample ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def servo():
    bom = bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx")
    evaluation = determine(bom, PACK, IN_FORCE_DAY)
    options = read_sourcing_options(SAMPLES / "servo_sourcing_options.csv", bom)
    volumes = read_volumes(SAMPLES / "servo_volumes.csv", bom)
    return evaluation, options, volumes


def test_servo_sample_least_cost(servo):
    evaluation, options, volumes = servo
    result = mitigate(evaluation, options, volumes)
    # MAG-ARC (licence_required, 0.126 of 2.60) and MAG-BRK (indeterminate: Tb oxide of unknown
    # origin) are selected. 13,500 motors a year (12,000 actuators + 1,500 spare motors):
    #   Dy metal from the JP refiner: 13,500 x 0.003608 kg = 48.708 kg x (420 - 350) = 3409.56;
    #     MAG-ARC and MAG-BRK then hold no Chinese Dy (within the refiner's 60 kg).
    #   Tb oxide with a JP certificate: 13,500 x 0.00005 kg = 0.675 kg x (1100 - 1000) = 67.50;
    #     MAG-BRK then has no content of unknown origin.
    #   Total 3477.06. The China-free arc magnet (135,000 a year) exceeds its 100,000 capacity;
    #   the Dy-Fe alloy alone leaves 0.042 of Dy in MAG-ARC; the Tb oxide of declared Chinese
    #   origin (cheaper) would catch MAG-BRK; the China-free brake magnet costs 4050.
    assert result.feasible and result.annual_cost == D("3477.06")
    assert labels(result.chosen) == {("DY-MET", "JP refiner"), ("TB-OX", "trader with certificate of origin (JP)")}
    items = result.items.set_index("part_id")
    assert list(items.index) == ["MAG-ARC", "MAG-BRK"]
    assert items.at["MAG-ARC", "status"] == "not_required" and items.at["MAG-ARC", "cn_part1_value"] == 0
    # MAG-BRK: value 3.41 + 0.00005 x 1100 + 0.00001 x 290 + 0.45 = 3.9179, no content left
    assert items.at["MAG-BRK", "value"] == D("3.9179") and items.at["MAG-BRK", "status"] == "not_required"
    costs = result.costs.set_index("part_id")
    assert costs.at["DY-MET", "annual_units"] == D("48.708") and costs.at["DY-MET", "annual_cost"] == D("3409.56")
    per_unit = {item: extended_quantities(evaluation.bom, evaluation.rolled, item, through_sources=True)
                for item in ("SRV-100", "MOT-100")}
    assert costs.at["TB-OX", "annual_units"] == 12000 * per_unit["SRV-100"]["TB-OX"] + 1500 * per_unit["MOT-100"]["TB-OX"]
    assert any("MAG-ARC 'China-free arc magnet (KR)' cannot be chosen" in note for note in result.notes)
    assert brute_force(evaluation, options, volumes.as_dict())[0] == D("3477.06")


def test_servo_document_and_text(servo):
    evaluation, options, volumes = servo
    result = mitigate(evaluation, options, volumes)
    document = json.loads(json.dumps(mitigation_document(result)))
    assert document["feasible"] is True and document["annual_cost"] == "3477.06" and document["currency"] == "USD"
    assert [c["part_id"] for c in document["chosen"]] == ["DY-MET", "TB-OX"]
    assert document["chosen"][0]["annual_cost"] == "3409.56"
    assert {i["part_id"]: i["fixed"] for i in document["items"]} == {"MAG-ARC": True, "MAG-BRK": True}
    text = format_mitigation(result, "USD")
    assert "3477.06 USD a year" in text and "JP refiner" in text and "48.708" in text


def test_servo_without_volumes_costs_one_actuator():
    bom = bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx")
    evaluation = determine(bom, PACK, IN_FORCE_DAY)
    result = mitigate(evaluation, read_sourcing_options(SAMPLES / "servo_sourcing_options.csv", bom))
    # one SRV-100 (FERRITE-ENC, in no line, also has no parent: it holds nothing):
    # 0.003608 kg x 70 + 0.00005 kg x 100 = 0.25256 + 0.005 = 0.25756
    assert result.annual_cost == D("0.25756")
    assert any("no annual volumes given" in note for note in result.notes)


# --- Reading the files -----------------------------------------------------------------------


def test_options_file_headers_are_matched_loosely(tmp_path, make_bom):
    bom = make_bom([("MAG", "part2", "JP", 100), ("DY-MET", "part1", "CN", 350)], [("MAG", "DY-MET", "0.001")])
    path = write_workbook(tmp_path / "options.xlsx", {"Sourcing Options": [
        ["Part Number", "Option Name", "Country of Origin", "Unit Price", "Extra cost", "CN Part1 Value", "Annual capacity",
         "Source", "Buyer"],
        ["DY-MET", "JP refiner", "Japan", 420.5, None, None, 60, "Q-1", "Kim"],
        [None] * 9,
        ["MAG", "China-free", "KR", None, 0.35, 0, None, "Q-2", "Kim"],
    ]})
    read = read_sourcing_options(path, bom)
    first, second = read.options
    assert first == SourcingOption("DY-MET", "JP refiner", "JP", D("420.5"), None, None, D(60), "Q-1", 2)
    assert (second.cost_delta, second.cn_part1_value, second.row) == (D("0.35"), D(0), 4)
    assert [issue.code for issue in read.warnings] == ["origin_read_as_code"]


def test_options_file_problems_are_reported_together(tmp_path, make_bom):
    bom = make_bom([("MAG", "part2", "JP", 100), ("DY", "part1", "CN", 350)], [("MAG", "DY", "0.001")])
    path = tmp_path / "options.csv"
    path.write_text(
        "part,option,origin,unit_value,cost_delta,cn_part1_value,capacity,source\n"
        "NOPE,a,JP,,,,,\n"
        "DY,b,Atlantis,,,,,\n"
        "DY,c,JP,abc,,,,\n"
        "DY,d,JP,,,,-5,\n"
        "DY,d,KR,,,,,\n"
        "MAG,,KR,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(BomDataError) as caught:
        read_sourcing_options(path, bom)
    found = [(issue.code, issue.row) for issue in caught.value.issues]
    assert found == [("unknown_part", 2), ("bad_origin", 3), ("bad_number", 4), ("negative_capacity", 5),
                     ("duplicate_option", 6), ("missing_option", 7)]


def test_volumes_file_checks_items(tmp_path, make_bom):
    bom = make_bom([("TOP", None, "DE", None), ("MAG", "part2", "JP", 100)], [("TOP", "MAG", 2)])
    path = tmp_path / "volumes.csv"
    path.write_text("Item,Annual Volume\nTOP,1000\nMAG,50\n", encoding="utf-8")
    read = read_volumes(path, bom)
    assert read.as_dict() == {"TOP": D(1000), "MAG": D(50)}
    assert [issue.code for issue in read.warnings] == ["component_volume"]
    path.write_text("item,annual_volume\nNOPE,1\nTOP,-3\nTOP,4\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        read_volumes(path, bom)
    assert [(issue.code, issue.row) for issue in caught.value.issues] == [
        ("unknown_part", 2), ("negative_annual_volume", 3), ("duplicate_item", 4)]
