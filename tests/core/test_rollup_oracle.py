"""The de minimis determination against brute force on random small BOMs (exact, Fraction arithmetic).

For every random DAG, every assignment of what is unknown is enumerated: each Part 1 item of
unknown origin, and each part of unknown Annex 1 status made in China or of unknown origin, is
or is not a China-origin Part 1 item. For each assignment the content of every part is computed
straight from the definition: a China-origin Part 1 item counts at its own value and stops the
descent; a supplier declaration stops the descent; any other part adds ``qty x content`` over
its lines, and of alternative items for one position (an ``alt_group``) only the one with the
most content counts (the conservative policy). A missing price or declared figure may be any
amount of 0 or more, so it is taken at 0 for the least and without bound for the most content;
so is the content of a Part 2 item with no BOM lines and no declaration (a magnet bought as it
is).

A Part 2 item (made in Japan, no Chinese technology, so only Clause 1(1) is open) is then
``licence_required`` exactly when every assignment reaches the line, ``not_required`` when none
does, and ``indeterminate`` otherwise; its value is its own, or its components' with the
cheapest alternative, and a missing or zero value leaves it ``indeterminate``. The top item's
value is set so that one content it can have lies exactly on the line or one unit in the last
place (0.001 of value) either side.

bomcalc must agree exactly where no missing figure is involved; where one is, it may answer
``indeterminate`` (a missing price never counts as zero) but never a definite answer the brute
force contradicts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bomcalc

DAY = dt.date(2026, 11, 11)
EXAMPLES = 250
BOMS_PER_EXAMPLE = 4  # random BOMs evaluated together, under prefixes

VALUES = ["0", "0.5", "1", "1.5", "2", "3", "10", "0.001", "0.25"]
QUANTITIES = ["1", "2", "0.5", "3", "0.2"]
KINDS = ["cn_part1", "part1_unknown_origin", "part1_jp", "plain", "unknown_status_cn", "unknown_status_unknown_origin",
         "unknown_status_jp", "part2"]
KIND_FACTS = {  # kind -> (annex1 as given, origin)
    "cn_part1": ("part1", "CN"),
    "part1_unknown_origin": ("part1", None),
    "part1_jp": ("part1", "JP"),
    "plain": (None, "DE"),
    "unknown_status_cn": ("unknown", "CN"),
    "unknown_status_unknown_origin": ("unknown", None),
    "unknown_status_jp": ("unknown", "JP"),
    "part2": ("part2", "JP"),
}


@dataclass
class Case:
    kinds: list[str]
    values: list[str | None]
    declared: dict[int, tuple[str | None, str | None]]
    lines: list[tuple[int, int, str, str | None]]  # parent, child, qty, alt_group
    top_value: str | None = None
    prefix: str = ""

    def name(self, i: int) -> str:
        return self.prefix + ("TOP" if i == 0 else f"P{i}")


@st.composite
def cases(draw):
    n = draw(st.integers(2, 7))
    kinds = ["part2"] + [draw(st.sampled_from(KINDS)) for _ in range(n - 1)]
    values = [None] + [draw(st.one_of(st.sampled_from(VALUES), st.none()) if draw(st.integers(0, 9)) == 0
                            else st.sampled_from(VALUES)) for _ in range(n - 1)]
    declared = {}
    for i in range(1, n):
        if draw(st.integers(0, 7)) == 0:
            declared[i] = (draw(st.sampled_from(VALUES + [None])), draw(st.sampled_from(["0", "0", "1", "0.5", None])))
    lines = []
    for parent in range(n):
        children = [child for child in range(parent + 1, n) if draw(st.integers(0, 2)) > 0]
        grouped = set()
        if len(children) >= 2 and draw(st.integers(0, 3)) == 0:
            grouped = set(draw(st.lists(st.sampled_from(children), min_size=2, max_size=len(children), unique=True)))
        for child in children:
            lines.append((parent, child, draw(st.sampled_from(QUANTITIES)), "G" if child in grouped else None))
    case = Case(kinds, values, declared, lines)
    low, high, _ = _bounds(case, 0)
    targets = sorted({x for x in low + high if x != math.inf})
    content = draw(st.sampled_from(targets))
    step = draw(st.sampled_from([-1, 0, 1]))
    top = content * 1000 + Fraction(step, 1000)
    if top <= 0:
        top = content * 1000 if content > 0 else Fraction(1)
    case.top_value = str(Decimal(top.numerator) / Decimal(top.denominator))
    return case


def _unknowns(case: Case) -> list[int]:
    """Parts that are or are not a China-origin Part 1 item depending on the assignment."""
    return [i for i, kind in enumerate(case.kinds) if kind in ("part1_unknown_origin", "unknown_status_cn",
                                                               "unknown_status_unknown_origin")]


def _fraction(text):
    return None if text is None else Fraction(Decimal(text))


def _children(case: Case, part: int):
    plain, groups = [], {}
    for parent, child, qty, group in case.lines:
        if parent == part:
            (groups.setdefault(group, []) if group else plain).append((child, Fraction(Decimal(qty))))
    return plain, list(groups.values())


def _content(case: Case, part: int, chinese: set[int], most: bool, memo: dict):
    """Content of one unit of ``part`` in one assignment; missing figures at 0 (least) or unbounded (most).

    Returns ``(content, free)``: ``free`` says whether a missing figure took part.
    """
    if part in memo:
        return memo[part]
    kind = case.kinds[part]
    own = _fraction(case.values[part]) if part else None
    if kind == "cn_part1" or part in chinese:
        result = (own, False) if own is not None else ((math.inf if most else Fraction(0)), True)
    elif part in case.declared:
        cn, unknown = (_fraction(x) for x in case.declared[part])
        if most:
            result = (math.inf, True) if cn is None or unknown is None else (cn + unknown, False)
        else:
            result = (Fraction(0), True) if cn is None else (cn, False)
    elif kind == "part2" and not any(parent == part for parent, *_ in case.lines):
        # a Part 2 item with no BOM lines and no declaration: nothing says what it holds
        result = ((math.inf if most else Fraction(0)), True)
    else:
        plain, groups = _children(case, part)
        total, free = Fraction(0), False
        for child, qty in plain:
            amount, child_free = _content(case, child, chinese, most, memo)
            total, free = total + qty * amount, free or child_free
        for members in groups:
            amounts = [(qty * _content(case, child, chinese, most, memo)[0], _content(case, child, chinese, most, memo)[1])
                       for child, qty in members]
            total += max(a for a, _ in amounts)
            free = free or any(f for _, f in amounts)
        result = (total, free)
    memo[part] = result
    return result


def _bounds(case: Case, part: int):
    """Least and most content of ``part`` under every assignment, and whether a missing figure took part."""
    unknown = _unknowns(case)
    low, high, free = [], [], False
    for bits in itertools.product((False, True), repeat=len(unknown)):
        chinese = {i for i, bit in zip(unknown, bits) if bit}
        least, least_free = _content(case, part, chinese, False, {})
        most, most_free = _content(case, part, chinese, True, {})
        low.append(least)
        high.append(most)
        free = free or least_free or most_free
    return low, high, free


def _value(case: Case, part: int):
    own = _fraction(case.top_value if part == 0 else case.values[part])
    if own is not None:
        return own
    plain, groups = _children(case, part)
    if not plain and not groups:
        return None
    total = Fraction(0)
    for child, qty in plain:
        child_value = _value(case, child)
        if child_value is None:
            return None
        total += qty * child_value
    for members in groups:
        amounts = [_value(case, child) for child, _ in members]
        if any(a is None for a in amounts):
            return None
        total += min(qty * a for (_, qty), a in zip(members, amounts))
    return total


def expected_status(case: Case, part: int, threshold: Fraction, inclusive: bool) -> tuple[str, bool]:
    """The brute-force status of a Part 2 item, and whether a missing figure took part."""
    low, high, free = _bounds(case, part)
    value = _value(case, part)
    if value is None or value == 0:
        return "indeterminate", free
    line = threshold * value
    reaches = (lambda x: x >= line) if inclusive else (lambda x: x > line)
    if all(reaches(x) for x in low):
        return "licence_required", free
    if not any(reaches(x) for x in high):
        return "not_required", free
    return "indeterminate", free


def bom_of(cases: list[Case]):
    """One BOM holding every case, each under its own prefix (evaluating once is faster)."""
    parts, lines, declarations = [], [], []
    for number, case in enumerate(cases):
        case.prefix = f"B{number}-"
        for i, kind in enumerate(case.kinds):
            annex1, origin = KIND_FACTS[kind]
            value = case.top_value if i == 0 else case.values[i]
            parts.append((case.name(i), annex1, origin, None if value is None else Decimal(value)))
        lines += [{"parent": case.name(p), "child": case.name(c), "qty": Decimal(q), "alt_group": g}
                  for p, c, q, g in case.lines]
        declarations += [{"part_id": case.name(i), "cn_part1_value": "unknown" if cn is None else Decimal(cn),
                          "unknown_origin_part1_value": "unknown" if unknown is None else Decimal(unknown), "source": "SD"}
                         for i, (cn, unknown) in case.declared.items()]
    from ..conftest import parts_from_tuples

    return bomcalc.bom_from_records(parts_from_tuples(parts), lines, declarations or None)


def mismatches(cases: list[Case]) -> tuple[int, list[str]]:
    """How many Part 2 items were checked, and every disagreement with the brute force."""
    result = bomcalc.evaluate(bom_of(cases), as_of=DAY)
    threshold, inclusive = Fraction(result.rule_pack.threshold), result.rule_pack.inclusive
    status = dict(zip(result.items["part_id"], result.items["status"]))
    found, checked = [], 0
    for case, i in ((case, i) for case in cases for i in range(len(case.kinds))):
        kind = case.kinds[i]
        if kind != "part2":
            continue
        checked += 1
        expected, free = expected_status(case, i, threshold, inclusive)
        got = status[case.name(i)]
        if got != expected and not (free and got == "indeterminate"):
            found.append(f"{case.name(i)}: bomcalc {got}, brute force {expected}")
        low, high, _ = _bounds(case, i)
        rolled_low, rolled_high = result.rolled.at[case.name(i), "cn_part1_value"], result.rolled.at[case.name(i), "cn_part1_upper"]
        if not free:  # the bounds are exact
            wrong_low = rolled_low is None or Fraction(rolled_low) != min(low)
            wrong_high = rolled_high is None or Fraction(rolled_high) != max(high)
        else:  # the bounds may only be wider, or unknown
            wrong_low = rolled_low is not None and Fraction(rolled_low) > min(low)
            wrong_high = rolled_high is not None and Fraction(rolled_high) < max(high)
        if wrong_low:
            found.append(f"{case.name(i)}: least content {rolled_low}, brute force {min(low)}")
        if wrong_high:
            found.append(f"{case.name(i)}: most content {rolled_high}, brute force {max(high)}")
    return checked, found


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(cases(), min_size=BOMS_PER_EXAMPLE, max_size=BOMS_PER_EXAMPLE))
def test_every_part2_item_agrees_with_brute_force_enumeration(cases):
    _, found = mismatches(cases)
    assert not found, (found, cases)
