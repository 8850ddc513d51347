"""The array roll-up gives exactly what the Decimal roll-up gives, on the line and one step either side.

Random DAGs (shared sub-assemblies, several levels) with China-origin and other Part 1 inputs,
unknown origins, unknown Annex 1 statuses, phantoms, supplier declarations, missing values and
alternates, evaluated under every alternates policy and both Part 2 scopes; some Part 2 items get
a value that puts their least or most content exactly on the 0.1% line or a tiny step (down to
1e-25) either side, where a float cannot tell. Every item row (status, every exact figure, the
deciding inputs) and the whole roll-up table must equal the reference
(``tests/core/reference_determine.py``), Decimal for Decimal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bomcalc
from bomcalc.core.array_rollup import float_rollup, screen
from bomcalc.core.regime import for_destination, project
from bomcalc.core.rollup import ALTERNATE_POLICIES, rollup

from ..conftest import parts_from_tuples
from .reference_determine import reference_evaluation

DAY = dt.date(2026, 11, 11)
PACK = bomcalc.load_rule_pack()
VALUES = ["0", "0.7", "1", "2.5", "3", "10", "0.001", "0.3333", "1E-320", "123456789.123456789"]
QUANTITIES = ["1", "3", "0.5", "0.1", "2", "0.000001", "7"]
PROBABILITIES = [None, "0", "0.3", "0.5", "0.7", "1"]
KINDS = {  # kind -> (annex1 cell, origin)
    "cn_part1": ("part1", "CN"),
    "part1_unknown_origin": ("part1", None),
    "part1_jp": ("part1", "JP"),
    "plain": (None, "DE"),
    "plain_unknown_origin": (None, None),
    "unknown_status_cn": ("unknown", "CN"),
    "unknown_status_unknown_origin": ("unknown", None),
    "unknown_status_jp": ("unknown", "JP"),
    "part2": ("part2", "JP"),
    "part2_unknown_origin": ("part2", None),
    "part2_cn": ("part2", "CN"),
}


@st.composite
def boms(draw):
    """``(parts, lines, declarations, targets)``: records for ``bom_from_records`` and the items to put on the line."""
    n = draw(st.integers(3, 11))
    kinds = ["part2"] + [draw(st.sampled_from(sorted(KINDS))) for _ in range(n - 1)]
    parts = []
    for i, kind in enumerate(kinds):
        annex1, origin = KINDS[kind]
        value = draw(st.none() | st.sampled_from(VALUES)) if draw(st.integers(0, 4)) == 0 else draw(st.sampled_from(VALUES))
        extra = {"description": kind}
        if kind.startswith("plain") and draw(st.integers(0, 5)) == 0:
            extra["phantom"] = True
        if draw(st.integers(0, 6)) == 0:
            extra["cn_technology"] = True
        parts.append((f"P{i}", annex1, origin, None if value is None else Decimal(value), extra))
    lines = []
    for parent in range(n - 1):
        children = [c for c in range(parent + 1, n) if draw(st.integers(0, 2)) > 0]
        group_of = {}
        if len(children) >= 2 and draw(st.integers(0, 2)) == 0:
            for child in draw(st.lists(st.sampled_from(children), min_size=2, max_size=len(children), unique=True)):
                group_of[child] = draw(st.sampled_from(["G", "H"]))
        for child in children:
            line = {"parent": f"P{parent}", "child": f"P{child}", "qty": Decimal(draw(st.sampled_from(QUANTITIES)))}
            if child in group_of:
                line["alt_group"] = group_of[child]
                probability = draw(st.sampled_from(PROBABILITIES))
                line["usage_probability"] = None if probability is None else Decimal(probability)
            lines.append(line)
    declarations = []
    for i in range(1, n):
        if draw(st.integers(0, 7)) == 0:
            cn = draw(st.sampled_from(["0", "0.002", "1", None]))
            unknown = draw(st.sampled_from(["0", "0", "0.5", None]))
            declarations.append({"part_id": f"P{i}", "cn_part1_value": "unknown" if cn is None else Decimal(cn),
                                 "unknown_origin_part1_value": "unknown" if unknown is None else Decimal(unknown),
                                 "source": "SD"})
    targets = [(i, draw(st.sampled_from(["cn_part1_value", "cn_part1_upper"])), draw(st.sampled_from([-1, 0, 1])),
                draw(st.sampled_from([3, 12, 15, 16, 17, 25])))
               for i, kind in enumerate(kinds) if kind.startswith("part2") and draw(st.integers(0, 3)) > 0]
    return parts, lines, declarations, targets


def build(parts, lines, declarations):
    return bomcalc.bom_from_records(parts_from_tuples(parts), lines, declarations or None)


def on_the_line(parts, lines, declarations, targets):
    """The BOM with each target Part 2 item valued at 1000 x its content, plus ``step x 10**-digits``."""
    rolled = rollup(build(parts, lines, declarations))
    parts = list(parts)
    for i, bound, step, digits in targets:
        content = rolled.at[f"P{i}", bound]
        if content is None or content == 0:
            continue
        value = content * 1000 + step * Decimal(10) ** -digits
        part_id, annex1, origin, _, extra = parts[i]
        parts[i] = (part_id, annex1, origin, value, {**extra, "phantom": False})
    return build(parts, lines, declarations)


def rows(items) -> list[str]:
    """Every item row as text: equal text means equal statuses and equal Decimals, digit for digit."""
    return [repr(row) for row in items.to_dict("records")]


@settings(max_examples=70, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(boms())
def test_the_array_engine_equals_the_decimal_rollup_on_random_boms(case):
    bom = on_the_line(*case)
    for alternates in ALTERNATE_POLICIES:
        for scope in ("materials", "assemblies"):
            result = bomcalc.evaluate(bom, as_of=DAY, alternates=alternates, part2_scope=scope)
            items, rolled = reference_evaluation(bom, PACK, DAY, scope, alternates)
            assert rows(result.items) == rows(items), (alternates, scope)
        assert result.rolled.map(repr).equals(rolled.map(repr)), alternates


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(boms())
def test_a_settled_float_verdict_is_the_exact_verdict(case):
    # Bypass evaluate: every item the screen settles must agree with the exact test on the exact figures.
    bom = on_the_line(*case)
    for alternates in ALTERNATE_POLICIES:
        rolled = rollup(bom, alternates)
        ids = [p for p in bom.parts.index if bom.parts.at[p, "annex1"] == "part2"]
        nodes = np.array([bom.arrays.position[p] for p in ids], dtype=np.int64)
        verdict = screen(float_rollup(bom.arrays, alternates), nodes, float(PACK.threshold))
        for i, part_id in enumerate(ids):
            if not verdict.settled[i]:
                continue
            value, low, high = (rolled.at[part_id, c] for c in ("value", "cn_part1_value", "cn_part1_upper"))
            usable = value is not None and value != 0
            assert bool(verdict.value_usable[i]) == usable, part_id
            if not usable:
                continue
            reaches = low is not None and PACK.reaches(low, value)
            assert bool(verdict.reaches[i]) == reaches, part_id
            if not reaches:
                assert bool(verdict.open[i]) == (low is None or high is None or PACK.reaches(high, value)), part_id


def magnet(dy_value: str, qty: str, magnet_value: str):
    return build([("MAG", "part2", "JP", Decimal(magnet_value), {}), ("DY", "part1", "CN", Decimal(dy_value), {})],
                 [("MAG", "DY", Decimal(qty))], None)


def settled(bom, part_id: str = "MAG") -> bool:
    nodes = np.array([bom.arrays.position[part_id]])
    return bool(screen(float_rollup(bom.arrays), nodes, float(PACK.threshold)).settled[0])


def test_three_times_0_7_against_2100_is_exactly_the_line_and_caught():
    # 3 x 0.7 = 2.1 = 0.1% x 2100 exactly (in binary 3 x 0.7 is not 2.1): too close for floats, decided exactly.
    bom = magnet("0.7", "3", "2100")
    assert not settled(bom)
    row = bomcalc.evaluate(bom, as_of=DAY).item("MAG")
    assert row["status"] == "licence_required" and row["reasons"] == ("de_minimis",)
    assert row["cn_part1_value"] == Decimal("2.1") and row["ratio"] == Decimal("0.001")


def test_1e_12_less_than_three_times_0_7_against_2100_is_not_caught():
    bom = magnet("2.099999999999", "1", "2100")  # 3 x 0.7 - 1e-12: 5e-13 below the line, far beyond float error
    row = bomcalc.evaluate(bom, as_of=DAY).item("MAG")
    assert row["status"] == "not_required"
    assert row["cn_part1_value"] == Decimal("2.099999999999")


def test_1e_17_less_than_three_times_0_7_against_2100_is_decided_exactly_and_not_caught():
    bom = magnet("0.69999999999999999", "3", "2100")  # 2.1 - 3e-17: within float error, so decided exactly
    assert not settled(bom)
    row = bomcalc.evaluate(bom, as_of=DAY).item("MAG")
    assert row["status"] == "not_required"
    assert row["cn_part1_value"] == Decimal("2.09999999999999997")


def test_three_times_0_7_against_a_value_1e_9_above_2100_is_not_caught():
    row = bomcalc.evaluate(magnet("0.7", "3", "2100.000000001"), as_of=DAY).item("MAG")
    assert row["status"] == "not_required"


def test_clear_cases_are_settled_by_floats():
    assert settled(magnet("0.7", "3", "1000"))  # 0.21%: over the line
    assert settled(magnet("0.7", "3", "5000"))  # 0.042%: under it


def test_a_quantity_too_small_for_a_float_is_decided_exactly():
    # 1E-400 x 1 is no float (it underflows to 0): the item is left to the exact roll-up, which catches it.
    bom = magnet("1", "1E-400", "1E-397")
    assert not settled(bom)
    assert bomcalc.evaluate(bom, as_of=DAY).item("MAG")["status"] == "licence_required"


def test_lines_read_from_the_graph_when_the_lines_table_does_not_match_it():
    import dataclasses

    parts = [("TOP", "part2", "JP", Decimal("2100"), {}), ("A", None, "DE", None, {}), ("B", None, "DE", None, {}),
             ("DY", "part1", "CN", Decimal("0.7"), {})]
    lines = [{"parent": "TOP", "child": "A", "qty": Decimal(1), "alt_group": "G", "usage_probability": Decimal("0.5")},
             {"parent": "TOP", "child": "B", "qty": Decimal(1), "alt_group": "G", "usage_probability": Decimal("0.5")},
             ("A", "DY", Decimal(3)), ("B", "DY", Decimal(1))]
    bom = dataclasses.replace(build(parts, lines, None), lines=build(parts, [], None).lines)  # a table without lines
    for alternates in ALTERNATE_POLICIES:
        items, rolled = reference_evaluation(bom, PACK, DAY, "materials", alternates)
        result = bomcalc.evaluate(bom, as_of=DAY, alternates=alternates)
        assert rows(result.items) == rows(items)
        assert result.rolled.map(repr).equals(rolled.map(repr))
    # primary: the first listed of equally likely alternatives (A: 3 x 0.7 = 2.1, exactly on the line)
    assert bomcalc.evaluate(bom, as_of=DAY, alternates="primary").item("TOP")["status"] == "licence_required"
    assert bomcalc.evaluate(bom, as_of=DAY, alternates="probability").item("TOP")["status"] == "not_required"


# Strict ("exceeds") packs: the same engine against the same reference where exactly the line is
# NOT caught. A MOFCOM-shaped pack made strict, and the US EAR de minimis pack (content: US-origin
# parts marked us_controlled; assessed: every non-US part with lines) at 25% and, for an E:1
# destination, 10%. Items are valued exactly on the line, a tiny decimal step either side, and one
# float64 unit in the last place either side of the line (where a float screen cannot tell).

STRICT = dataclasses.replace(PACK, inclusive=False)
EAR = bomcalc.load_rule_pack("us-ear-de-minimis")
EAR_PACKS = {"FR": for_destination(EAR, "FR"), "IR": for_destination(EAR, "IR")}
EAR_KINDS = {  # kind -> (origin, us_controlled)
    "us_controlled": ("US", True),
    "us_flag_unknown": ("US", None),
    "us_not_controlled": ("US", False),
    "unknown_origin_controlled": (None, True),
    "unknown_origin_flag_unknown": (None, None),
    "foreign": ("DE", None),
    "foreign_jp": ("JP", False),
}


def _step(value: Decimal, step: int, digits) -> Decimal:
    """``value`` moved ``step`` decimal units of ``10**-digits``, or, for ``digits == "ulp"``, ``step`` float64 ULPs."""
    if digits != "ulp" or step == 0:
        return value + step * Decimal(10) ** -(0 if digits == "ulp" else digits)
    return Decimal(float(np.nextafter(float(value), np.inf if step > 0 else -np.inf)))


@st.composite
def ear_boms(draw):
    """``(parts, lines, targets)`` for the EAR pack: every foreign part with lines is assessed."""
    n = draw(st.integers(3, 9))
    kinds = ["foreign"] + [draw(st.sampled_from(sorted(EAR_KINDS))) for _ in range(n - 1)]
    parts = []
    for i, kind in enumerate(kinds):
        origin, controlled = EAR_KINDS[kind]
        value = None if draw(st.integers(0, 6)) == 0 else Decimal(draw(st.sampled_from(VALUES)))
        parts.append((f"P{i}", None, origin, value, {"us_controlled": controlled, "description": kind}))
    lines = []
    for parent in range(n - 1):
        for child in range(parent + 1, n):
            if draw(st.integers(0, 2)) > 0:
                lines.append({"parent": f"P{parent}", "child": f"P{child}", "qty": Decimal(draw(st.sampled_from(QUANTITIES)))})
    targets = [(i, draw(st.sampled_from(["cn_part1_value", "cn_part1_upper"])), draw(st.sampled_from([-1, 0, 1])),
                draw(st.sampled_from([2, 12, 16, 17, 25, "ulp"]))) for i in range(n) if draw(st.integers(0, 2)) > 0]
    return parts, lines, targets


def put_on_line(parts, lines, declarations, targets, pack):
    """The BOM with each target valued on ``pack``'s line for its content (content / threshold), then stepped."""
    rolled = rollup(project(build(parts, lines, declarations), pack.regime))
    parts = list(parts)
    for i, bound, step, digits in targets:
        content = rolled.at[f"P{i}", bound]
        if content is None or content == 0:
            continue
        part_id, annex1, origin, _, extra = parts[i]
        line = content / pack.threshold
        value = _step(line, step, digits)
        parts[i] = (part_id, annex1, origin, value if value >= 0 else line, {**extra, "phantom": False})
    return build(parts, lines, declarations)


@settings(max_examples=40, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(boms())
def test_a_strict_pack_equals_the_reference_on_and_beside_the_line(case):
    parts, lines, declarations, targets = case
    targets = [(i, bound, step, "ulp" if digits == 25 else digits) for i, bound, step, digits in targets]
    bom = put_on_line(parts, lines, declarations, targets, STRICT)
    for scope in ("materials", "assemblies"):
        result = bomcalc.evaluate(bom, as_of=DAY, rules=STRICT, part2_scope=scope)
        items, _ = reference_evaluation(bom, STRICT, DAY, scope)
        assert rows(result.items) == rows(items), scope


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ear_boms())
def test_the_ear_pack_equals_the_reference_on_and_beside_its_lines(case):
    parts, lines, targets = case
    for destination, pack in EAR_PACKS.items():
        bom = put_on_line(parts, lines, None, targets, pack)
        for alternates in ("conservative", "primary"):
            result = bomcalc.evaluate(bom, as_of=DAY, rules=pack, alternates=alternates)
            items, _ = reference_evaluation(bom, pack, DAY, "materials", alternates)
            assert rows(result.items) == rows(items), (destination, alternates)


def test_exactly_on_a_strict_line_is_decided_exactly_and_not_caught():
    # 3 x 0.7 = 2.1 is exactly 0.1% of 2100: the float screen cannot settle it, the exact test
    # says "not more than the line".
    bom = magnet("0.7", "3", "2100")
    assert not settled(bom)
    items = bomcalc.evaluate(bom, as_of=DAY, rules=STRICT).items
    assert list(items.loc[items["part_id"] == "MAG", "status"]) == ["not_required"]
