"""The lower bound of a part that may or may not be a China-origin Part 1 item, computed by hand.

Magnet M (Part 2, made in JP, worth 2000: the line is 0.001 x 2000 = 2) holds one alloy A,
which holds one Dy metal D (Part 1, CN). If A is a China-origin Part 1 item it counts at its own
value and D is not added again; if not, D's value passes up. The least M can contain is
therefore min(A, D) and the most max(A, D): the item is licence_required only when both reach 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.explain import explain, total_of
from bomcalc.report.explain_text import format_explanation
from bomcalc.core.scenarios import compare, parse_scenarios
from bomcalc.core.contributions import Tracer, contributions, headroom

DAY = dt.date(2026, 11, 11)
D = Decimal

# (A's annex1, A's origin): the ways A may or may not be a China-origin Part 1 item.
MAYBE = [("part1", None), ("unknown", None), ("unknown", "CN")]
MAYBE_IDS = ["A a Part 1 item of unknown origin", "A of unknown Annex 1 status and origin",
             "A of unknown Annex 1 status made in China"]

CASES = [
    # (A value, D value, status, cn_part1_value, cn_part1_upper)
    ("1", "10", "indeterminate", "1", "10"),
    ("2", "10", "licence_required", "2", "10"),
    ("1.999", "10", "indeterminate", "1.999", "10"),
    ("10", "2", "licence_required", "2", "10"),
    ("10", "1.999", "indeterminate", "1.999", "10"),
    ("2", "2", "licence_required", "2", "2"),
    ("1.999", "1.999", "not_required", "1.999", "1.999"),
    ("1.999", "0.5", "not_required", "0.5", "1.999"),
]
CASE_IDS = [
    "a Chinese A worth 1 is under the line although D is over it",
    "A exactly on the line and D over it is caught",
    "A one unit under the line leaves it open",
    "D exactly on the line and A over it is caught",
    "D one unit under the line leaves it open",
    "both exactly on the line is caught",
    "both one unit under the line is clear",
    "neither reaches the line",
]


def _magnet(make_bom, a_annex1, a_origin, a_value, d_value, extra_parts=(), extra_lines=()):
    return make_bom(
        [("M", "part2", "JP", D(2000)), ("A", a_annex1, a_origin, None if a_value is None else D(a_value)),
         ("D", "part1", "CN", None if d_value is None else D(d_value)), *extra_parts],
        [("M", "A", 1), ("A", "D", 1), *extra_lines],
    )


@pytest.mark.parametrize("a_annex1, a_origin", MAYBE, ids=MAYBE_IDS)
@pytest.mark.parametrize("a_value, d_value, status, low, high", CASES, ids=CASE_IDS)
def test_the_least_content_is_the_smaller_of_own_value_and_inputs(make_bom, a_annex1, a_origin, a_value, d_value,
                                                                   status, low, high):
    result = bomcalc.evaluate(_magnet(make_bom, a_annex1, a_origin, a_value, d_value), as_of=DAY)
    item = result.item("M")
    assert item["status"] == status
    assert item["cn_part1_value"] == D(low)
    assert result.rolled.at["M", "cn_part1_upper"] == D(high)
    assert item["deciding_inputs"] == (("A",) if status == "indeterminate" else ())


@pytest.mark.parametrize("a_annex1, a_origin", [("part1", "JP"), (None, None), ("unknown", "JP")],
                         ids=["A made in Japan", "A not listed", "A of unknown status made in Japan"])
def test_a_part_that_cannot_be_a_china_origin_part1_item_passes_its_inputs_up(make_bom, a_annex1, a_origin):
    result = bomcalc.evaluate(_magnet(make_bom, a_annex1, a_origin, "1", "10"), as_of=DAY)
    assert result.item("M")["status"] == "licence_required"
    assert result.rolled.at["M", "cn_part1_value"] == result.rolled.at["M", "cn_part1_upper"] == D(10)


def test_a_missing_own_value_leaves_the_least_content_unknown(make_bom):
    # A Chinese A could be worth anything, less than D's 10: nothing can be said; A decides it.
    result = bomcalc.evaluate(_magnet(make_bom, "part1", None, None, "10"), as_of=DAY)
    item = result.item("M")
    assert item["status"] == "indeterminate" and item["deciding_inputs"] == ("A",)
    assert item["cn_part1_value"] is None


def test_a_missing_own_value_cannot_be_less_than_no_inputs(make_bom):
    # A holds nothing Chinese, so either way A adds at least 0; M's Chinese Tb alone (5 >= 2) decides.
    bom = make_bom([("M", "part2", "JP", D(2000)), ("A", "part1", None, None), ("TB", "part1", "CN", D(5))],
                   [("M", "A", 1), ("M", "TB", 1)])
    result = bomcalc.evaluate(bom, as_of=DAY)
    assert result.item("M")["status"] == "licence_required"
    assert result.rolled.at["M", "cn_part1_value"] == D(5) and result.rolled.at["M", "cn_part1_upper"] is None


def test_an_own_value_of_zero_bounds_the_least_content_even_when_inputs_are_unpriced(make_bom):
    # A worth 0: a Chinese A adds 0, a non-Chinese A adds D's unknown price (at least 0). Tb's 5 decides.
    bom = _magnet(make_bom, "part1", None, "0", None, extra_parts=[("TB", "part1", "CN", D(5))], extra_lines=[("M", "TB", 1)])
    result = bomcalc.evaluate(bom, as_of=DAY)
    assert result.item("M")["status"] == "licence_required"
    assert result.rolled.at["A", "cn_part1_value"] == 0 and result.rolled.at["M", "cn_part1_value"] == D(5)


def test_a_declared_part_that_may_be_a_china_origin_part1_item(make_bom):
    # A declares 10 of China-origin content below it, but may itself be a Chinese Part 1 item worth 1.
    bom = make_bom([("M", "part2", "JP", D(2000)), ("A", "part1", None, D(1))], [("M", "A", 1)],
                   [{"part_id": "A", "cn_part1_value": 10, "unknown_origin_part1_value": 0, "source": "SD-1"}])
    result = bomcalc.evaluate(bom, as_of=DAY)
    item = result.item("M")
    assert item["status"] == "indeterminate" and item["cn_part1_value"] == 1 and item["deciding_inputs"] == ("A",)
    table = contributions(bom, result.rolled, "M", with_paths=False)
    assert list(table["source"]) == ["A"] and list(table["extended_value"]) == [D(1)]


def _deeper(make_bom):
    # TOP (Part 2, JP, 5000: line 5) holds 2 magnets M and 3 g of Chinese Tb worth 0.5 each.
    # Least: 2 x min(A 1, D 10) + 3 x 0.5 = 3.5 (A counted as Chinese); most: 2 x 10 + 1.5 = 21.5.
    return _magnet(make_bom, "part1", None, "1", "10",
                   extra_parts=[("TOP", "part2", "JP", D(5000)), ("TB", "part1", "CN", D("0.5"))],
                   extra_lines=[("TOP", "M", 2), ("TOP", "TB", 3)])


def test_contributions_explanation_and_headroom_add_up_to_the_least_content(make_bom):
    bom = _deeper(make_bom)
    result = bomcalc.evaluate(bom, as_of=DAY)
    assert result.rolled.at["TOP", "cn_part1_value"] == D("3.5") and result.rolled.at["TOP", "cn_part1_upper"] == D("21.5")
    for item in ("TOP", "M", "A"):
        table = contributions(bom, result.rolled, item, with_paths=False)
        assert sum(table["extended_value"], D(0)) == result.rolled.at[item, "cn_part1_value"], item
    table = contributions(bom, result.rolled, "TOP").set_index("source")
    assert table.at["A", "kind"] == "possible_china_origin_part1"
    assert (table.at["A", "extended_qty"], table.at["A", "extended_value"]) == (D(2), D(2))
    assert table.at["A", "paths"] == ("TOP > M (x2) > A (x1)",)
    assert "D" not in table.index  # a Chinese A stops the descent, as in the roll-up
    trail = explain(result, "TOP")
    assert total_of(trail.sources) == trail.cn_part1_value == D("3.5")
    assert trail.status == "indeterminate" and trail.deciding_inputs == ("A",)
    text = format_explanation(trail, result.currency)
    assert "A (" in text and "counted as a China-origin Part 1 item (it may be one" in text
    assert "total China-origin Part 1 value = 3.5" in text
    room = headroom(result).set_index("part_id")
    assert room.at["TOP", "cn_part1_value"] == D("3.5") and room.at["TOP", "headroom"] == D("1.5")
    assert room.at["M", "headroom"] == D(1)


def test_scenarios_agree_with_a_full_evaluation_around_the_smaller_bound(make_bom):
    bom = _deeper(make_bom)
    scenarios = parse_scenarios([
        {"name": "A from Japan", "changes": [{"part": "A", "set": {"origin": "JP"}}]},
        {"name": "A from China", "changes": [{"part": "A", "set": {"origin": "CN"}}]},
        {"name": "cheaper Dy", "changes": [{"part": "D", "set": {"unit_value": "0.5"}}]},
        {"name": "dearer Tb", "changes": [{"part": "TB", "set": {"unit_value": "2"}}]},
    ])
    result = bomcalc.evaluate(bom, as_of=DAY)
    shared = compare(bom, scenarios, result.rule_pack, DAY, shared=True)
    full = compare(bom, scenarios, result.rule_pack, DAY, shared=False)
    columns = ["part_id", "status", "cn_part1_value", "ratio"]
    for one, other in zip(shared.results, full.results):
        assert one.items[columns].to_dict("records") == other.items[columns].to_dict("records"), one.scenario.name
    by_name = {r.scenario.name: r.items.set_index("part_id") for r in shared.results}
    assert by_name["A from Japan"].at["M", "status"] == "licence_required"  # 10 >= 2
    assert by_name["A from China"].at["M", "status"] == "not_required"  # 1 < 2
    assert by_name["cheaper Dy"].at["M", "cn_part1_value"] == D("0.5")  # min(1, 0.5)
    assert by_name["dearer Tb"].at["TOP", "cn_part1_value"] == D(8)  # 2 x 1 + 3 x 2 = 8 >= 5
    assert by_name["dearer Tb"].at["TOP", "status"] == "licence_required"


def test_mitigation_sees_that_a_chinese_alloy_keeps_the_magnet_under_the_line(make_bom):
    from bomcalc.core.mitigation.optimiser import SourcingOption

    # Bought from Japan, A passes D's 10 up (>= 2); bought from China it counts its own 1 (< 2) and stops D.
    bom = _magnet(make_bom, "part1", None, "1", "10")
    result = bomcalc.evaluate(bom, as_of=DAY)
    assert result.item("M")["status"] == "indeterminate"
    plan = bomcalc.mitigate(result, [SourcingOption("A", "JP-A", origin="JP", cost_delta=D(1)),
                                     SourcingOption("A", "CN-A", origin="CN", cost_delta=D(2))])
    assert plan.feasible and [(o.part, o.name) for o in plan.chosen] == [("A", "CN-A")] and plan.annual_cost == 2


@pytest.mark.parametrize("order", [("A", "M", "TOP", "D", "TB"), ("TOP", "M", "A", "TB", "D"), ("D", "M", "TOP", "A", "TB")])
def test_a_tracer_gives_each_item_the_table_it_has_alone(make_bom, order):
    # The report and headroom trace every item with one Tracer; what it found under one item (A
    # counted as Chinese, a source; M's sources) must not change another's table, whatever the order.
    bom = _deeper(make_bom)
    rolled = bomcalc.evaluate(bom, as_of=DAY).rolled
    tracer = Tracer(bom, rolled)
    for item in order:
        shared = tracer.contributions(item)
        alone = contributions(bom, rolled, item)
        assert shared.equals(alone), item
    assert tracer.kinds["A"] == "possible_china_origin_part1" and tracer.kinds["M"] is None
    assert tracer.sources("TOP") == {"A": D(2), "TB": D(3)} and tracer.sources("M") == {"A": D(1)}
