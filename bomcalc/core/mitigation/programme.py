"""The least-cost re-sourcing problem as a mixed-integer programme (core layer).

What each sourcing option does to its own part, the annual units of parts, the items to keep
below the line, and :class:`Programme`, which writes the roll-up between those items and the
parts with options as linear constraints for :func:`scipy.optimize.milp`. The search that
solves it and checks every answer exactly is :func:`bomcalc.core.mitigation.optimiser.mitigate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from ..determine import Evaluation
from ..extras import MissingExtraError
from ..model import Bom
from .options import SourcingOption
from ..rollup import ZERO, line_weights, may_be_cn_part1, source_kind, value_is_own
from ..rules import RulePack
from ..values import EXACT, format_decimal


#: Feasibility tolerance of the solver (HiGHS), as a share of each row's largest term.
SOLVER_TOLERANCE = 1e-6

#: Seconds the solver may take for one solve.
TIME_LIMIT = 60.0


# --- Options: what they do to their own part, cost, availability ----------------------------

_SUM = "sum of the BOM lines"  # a roll-up term: the weighted sum over the part's BOM lines


def _content_terms(bom: Bom, part: str, option: SourcingOption | None) -> list | None:
    """The roll-up's content of one unit of ``part`` (unknown origins as Chinese) with ``option``.

    A list of terms, the content being the largest: a ``Decimal`` [currency per unit] or
    :data:`_SUM`. ``None`` when a value it needs is missing. ``option`` ``None`` is the
    baseline. One step of :func:`bomcalc.core.rollup.rollup_node` (the upper bound) with the
    option's attributes: where it stops is :func:`~bomcalc.core.rollup.source_kind`, and a part
    that may be a China-origin Part 1 item is :func:`~bomcalc.core.rollup.may_be_cn_part1`.
    """
    parts = bom.parts
    origin = parts.at[part, "origin"] if option is None or option.origin is None else option.origin
    own = parts.at[part, "unit_value"] if option is None or option.unit_value is None else option.unit_value
    option_declares = option is not None and option.cn_part1_value is not None
    kind = source_kind(parts.at[part, "annex1"], origin, option_declares or part in bom.declarations.index)
    if kind == "china_origin_part1":
        return None if own is None else [own]
    if option_declares:
        below = option.cn_part1_value
    elif kind == "declaration":
        cn, unknown = bom.declarations.at[part, "cn_part1_value"], bom.declarations.at[part, "unknown_origin_part1_value"]
        below = None if cn is None or unknown is None else EXACT.add(cn, unknown)
    else:
        below = _SUM
    known = bool(parts.at[part, "annex1_known"]) if "annex1_known" in parts.columns else True
    if may_be_cn_part1(parts.at[part, "annex1"], origin, known):
        return None if own is None or below is None else [own, below]
    return None if below is None else [below]


def _value_term(bom: Bom, part: str, option: SourcingOption | None):
    """The roll-up's value of one unit of ``part`` with ``option``: a ``Decimal``, :data:`_SUM` or ``None``.

    As :func:`bomcalc.core.rollup.rollup_node` takes it (:func:`~bomcalc.core.rollup.value_is_own`).
    """
    own = bom.parts.at[part, "unit_value"] if option is None or option.unit_value is None else option.unit_value
    children = bom.graph.succ[part]
    phantom = bool(bom.parts.at[part, "phantom"]) if "phantom" in bom.parts.columns else False
    if value_is_own(own, phantom, bool(children)):
        return own
    return _SUM if children else None


@dataclass(frozen=True)
class _OptionFacts:
    unit_cost: Decimal | None  # [currency per unit of the part]
    annual_units: Decimal  # [part uom per year]
    annual_cost: Decimal | None  # [currency per year]
    unusable: str | None  # why the option cannot be chosen


def option_facts(bom: Bom, rolled: pd.DataFrame, option: SourcingOption, units: Decimal, alternates: str,
                  assessed: set[str]) -> _OptionFacts:
    """Cost per unit and per year of ``option``, and why it cannot be chosen, if it cannot.

    ``assessed``: the parts in the items assessed; an option on one of them whose content cannot
    be computed (a value is missing) cannot be chosen.
    """
    part = option.part
    own_value = bom.parts.at[part, "unit_value"]
    unusable = None
    if option.cost_delta is not None:
        unit_cost = option.cost_delta
    elif option.unit_value is not None:
        before = own_value if own_value is not None else rolled.at[part, "value"]
        unit_cost = None if before is None else EXACT.subtract(option.unit_value, before)
        if unit_cost is None:
            unusable = "its cost is unknown: the part has no value to compare the new unit_value with; give cost_delta"
    else:
        unit_cost = ZERO
    annual_cost = None if unit_cost is None else EXACT.multiply(units, unit_cost)
    if option.capacity is not None and units > option.capacity:
        uom = bom.parts.at[part, "uom"] or "units"
        unusable = (f"its capacity of {format_decimal(option.capacity)} {uom} a year is less than the "
                    f"{format_decimal(units)} {uom} a year the part is used")
    terms = _content_terms(bom, part, option)
    upper = rolled["cn_part1_upper"]
    children = bom.graph.succ[part]
    if part in assessed and (terms is None or (_SUM in terms and line_weights(children, upper, alternates) is None)):
        unusable = unusable or "the part's China-origin content with this option cannot be computed (a value is missing)"
    return _OptionFacts(unit_cost, units, annual_cost, unusable)


def units_per_year(bom: Bom, finished: dict[str, Decimal], parts: set[str]) -> dict[str, Decimal]:
    """Units of each of ``parts`` used a year [part uom per year].

    The sum over finished items of annual volume x extended quantity of the part in one of them
    (every path, every level, alternative items at full quantity, as
    :func:`bomcalc.core.contributions.extended_quantities` with ``through_sources``), in one pass over the
    parts above ``parts``.
    """
    above = reachable(bom.graph.pred, parts)
    amount = {item: volume for item, volume in finished.items() if item in above and volume}
    for node in bom.in_topological_order(above):
        here = amount.get(node)
        if not here:
            continue
        for child, attributes in bom.graph.succ[node].items():
            if child in above:
                amount[child] = EXACT.add(amount.get(child, ZERO), EXACT.multiply(here, attributes["qty"]))
    return {part: amount.get(part, ZERO) for part in parts}


# --- Items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """An item the programme constrains: whether it must be brought below the line, its upper content bound and value [currency per unit]."""
    part_id: str
    selected: bool  # must end below the line; else it is below it now and must stay there
    upper: Decimal  # cn_part1_value + unknown_origin_part1_value [currency per unit]
    value: Decimal  # [currency per unit]


def _is_clear(value, cn, unknown, pack: RulePack) -> bool:
    """Below the de minimis line even if every unknown origin were China (Clause 1(1)).

    Not reaching the line as :meth:`~bomcalc.core.rules.RulePack.reaches` says: strictly below
    for an inclusive line ("0.1% or more" is caught), else not above it.
    """
    if value is None or value <= 0 or cn is None or unknown is None:
        return False
    return not pack.reaches(EXACT.add(cn, unknown), value)


def row_clear(row, pack: RulePack) -> bool:
    """:func:`_is_clear` for an item row of an evaluation."""
    return _is_clear(row["value"], row["cn_part1_value"], row["unknown_origin_part1_value"], pack)


def reachable(neighbours, start) -> set[str]:
    """``start`` and every part reached from it through ``neighbours`` (``graph.succ`` or ``graph.pred``)."""
    seen = set(start)
    stack = list(seen)
    while stack:
        for other in neighbours[stack.pop()]:
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


# --- The programme ---------------------------------------------------------------------------


class Programme:
    """The roll-up between the tracked items and the parts with options, as a mixed-integer programme.

    Columns: one binary per usable option (first); for every part on a path from a tracked item
    down to a part with options, its content ``U`` (unknown origins as Chinese) and value ``V``
    per unit; one column per group of alternative items. Every row is ``<=``:

    * at most one option per part;
    * ``U_p >= term - M x (1 - chosen)`` for each term of each *mode* of ``p`` (its baseline and
      each of its options): the roll-up step for that mode, with ``M`` an upper bound of the
      term, so that only the chosen mode binds. Content only ever has to be small enough, so
      ``>=`` is exact: the solver cannot make ``U_p`` smaller than the roll-up gives, and the
      largest of several terms (a Part 1 item of unknown origin; the alternative item with the
      most content) is one row per term;
    * ``V_p <= term + M x (1 - chosen)`` likewise for values, which only ever have to be large
      enough (the alternative item with the least value: one row per member);
    * for each tracked item, ``U_i - threshold x V_i <= -margin`` (built per solve).

    This is the roll-up step of :func:`bomcalc.core.rollup.rollup_node` written as constraints, not
    a second definition of it: each mode's terms come from :func:`_content_terms` and
    :func:`_value_term`, which stop at the parts :func:`~bomcalc.core.rollup.source_kind` names
    and treat the parts :func:`~bomcalc.core.rollup.may_be_cn_part1` names as the roll-up does;
    the line weights are :func:`~bomcalc.core.rollup.line_weights`', except that under the
    conservative policy the most (content) or least (value) of a group of alternative items
    depends on the options chosen and so is a column bounded by one row per member.

    Without interacting options this is the extended-quantity formula: eliminating the
    intermediate columns leaves ``U_i = U_i(baseline) + sum of extended quantity x change``.
    Arithmetic is binary floating point; columns are scaled by their upper bounds, item rows by
    the largest line the item can have, other rows by their largest coefficient. Parts whose roll-up needs a missing value are left free: no
    tracked item can depend on them (its own value or content would be missing).
    """

    def __init__(self, evaluation: Evaluation, options, facts, usable: list[int], targets: list[Target]):
        bom = evaluation.bom
        self.bom, self.alternates, self.pack = bom, evaluation.alternates, evaluation.rule_pack
        self.upper0 = evaluation.rolled["cn_part1_upper"].to_dict()
        self.value0 = evaluation.rolled["value"].to_dict()
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.rows: list[tuple] = []  # (coefficients, bound[, scale]): sum(coefficient x column) <= bound
        self.column_of = {i: self._column(0.0, 1.0) for i in usable}  # option index -> binary column
        self.binaries = len(usable)
        self.cost = np.zeros(self.binaries)
        for i, column in self.column_of.items():
            self.cost[column] = float(facts[i].annual_cost)
        by_part: dict[str, list[int]] = {}
        for i in usable:
            by_part.setdefault(options[i].part, []).append(i)
        for members in by_part.values():
            if len(members) > 1:
                self._row({self.column_of[i]: 1.0 for i in members}, 1.0)
        self.targets = targets
        relevant = reachable(bom.graph.pred, by_part) & reachable(bom.graph.succ, [t.part_id for t in targets])
        self.content: dict[str, int] = {}
        self.value: dict[str, int] = {}
        for part in reversed(bom.in_topological_order(relevant)):
            self._part(part, [(self.column_of[i], options[i]) for i in by_part.get(part, [])])

    # columns and rows

    def _column(self, lower: float, upper: float) -> int:
        self.lb.append(lower)
        self.ub.append(max(lower, upper) * (1 + 1e-12))
        return len(self.lb) - 1

    def _row(self, coefficients: dict[int, float], bound: float) -> None:
        self.rows.append((coefficients, bound))

    def _bound(self, column: int) -> float:
        return self.ub[column]

    # the roll-up of one part

    def _sum(self, part: str, columns: dict[str, int], constants: dict, largest: bool):
        """``(coefficients, constant, upper bound)`` of the weighted sum over the part's lines; ``None`` if unknown."""
        children = self.bom.graph.succ[part]
        coefficients: dict[int, float] = {}
        constant = bound = 0.0
        if self.alternates == "conservative":
            weights = {c: a["qty"] for c, a in children.items() if a.get("alt_group") is None}
            groups: dict[str, list[tuple[str, Decimal]]] = {}
            for child, attributes in children.items():
                if attributes.get("alt_group") is not None:
                    groups.setdefault(attributes["alt_group"], []).append((child, attributes["qty"]))
        else:  # weights that do not depend on values
            weights, groups = line_weights(children, {c: Decimal(1) for c in children}, self.alternates), {}
        for child, weight in weights.items():
            if not weight:
                continue
            if child in columns:
                coefficients[columns[child]] = coefficients.get(columns[child], 0.0) + float(weight)
                bound += float(weight) * self._bound(columns[child])
            elif constants[child] is None:
                return None
            else:
                constant += float(weight) * float(constants[child])
                bound += float(weight) * float(constants[child])
        for members in groups.values():
            fixed = [float(qty) * float(constants[c]) for c, qty in members if c not in columns and constants[c] is not None]
            if any(c not in columns and constants[c] is None for c, _ in members):
                return None
            varying = [(columns[c], float(qty)) for c, qty in members if c in columns]
            reach = [qty * self._bound(column) for column, qty in varying]
            if not varying:
                pick = max(fixed) if largest else min(fixed)
                constant, bound = constant + pick, bound + pick
                continue
            if largest:  # the alternative with the most content: A >= each member
                column = self._column(max(fixed, default=0.0), max(fixed + reach))
                for member, qty in varying:
                    self._row({member: qty, column: -1.0}, 0.0)
            else:  # the alternative with the least value: B <= each member
                column = self._column(0.0, min(fixed + reach))
                for member, qty in varying:
                    self._row({column: 1.0, member: -qty}, 0.0)
            coefficients[column] = coefficients.get(column, 0.0) + 1.0
            bound += self._bound(column)
        return coefficients, constant, bound

    def _content_expressions(self, part: str, option, sums: dict) -> list | None:
        terms = _content_terms(self.bom, part, option)
        if terms is None:
            return None
        expressions = []
        for term in terms:
            if term is _SUM:
                if "content" not in sums:
                    sums["content"] = self._sum(part, self.content, self.upper0, largest=True)
                expressions.append(sums["content"])
            else:
                expressions.append(({}, float(term), float(term)))
        return None if any(e is None for e in expressions) else expressions

    def _value_expression(self, part: str, option, sums: dict):
        term = _value_term(self.bom, part, option)
        if term is _SUM:
            if "value" not in sums:
                sums["value"] = self._sum(part, self.value, self.value0, largest=False)
            term = sums["value"]
        elif term is not None:
            term = ({}, float(term), float(term))
        return term or ({}, 0.0, 0.0)  # an unknown value counts as 0: the item cannot be shown below the line

    def _part(self, part: str, modes: list[tuple[int, SourcingOption]]) -> None:
        sums: dict = {}
        content_modes, value_modes = [], []
        for column, option in [(None, None)] + modes:
            expressions = self._content_expressions(part, option, sums)
            if expressions is not None:
                content_modes.append((column, expressions))
            elif column is not None:  # content unknown with this option: it cannot be chosen
                self.ub[column] = 0.0
            value_modes.append((column, self._value_expression(part, option, sums)))
        option_columns = [column for column, _ in modes]

        content = self._column(0.0, max([e[2] for _, es in content_modes for e in es], default=0.0))
        self.content[part] = content
        for column, expressions in content_modes:
            for coefficients, constant, bound in expressions:  # U >= L + c - M (1 - chosen)
                row = dict(coefficients)
                row[content] = row.get(content, 0.0) - 1.0
                self._mode_row(row, -constant, bound, column, option_columns)
        value = self._column(0.0, max(e[2] for _, e in value_modes))
        self.value[part] = value
        for column, (coefficients, constant, _) in value_modes:  # V <= L + c + M (1 - chosen)
            row = {k: -v for k, v in coefficients.items()}
            row[value] = row.get(value, 0.0) + 1.0
            self._mode_row(row, constant, self._bound(value), column, option_columns)

    def _mode_row(self, row: dict[int, float], bound: float, big: float, column, option_columns) -> None:
        """``row <= bound`` when the mode is chosen, relaxed by ``big`` when it is not."""
        if column is not None:  # chosen when its binary is 1: row + M z <= bound + M
            row[column] = row.get(column, 0.0) + big
            self._row(row, bound + big)
        elif option_columns:  # the baseline, chosen when no option is: row - M sum(z) <= bound
            for other in option_columns:
                row[other] = row.get(other, 0.0) - big
            self._row(row, bound)
        else:
            self._row(row, bound)

    # solving

    def _target_rows(self, margin: float) -> list[tuple] | None:
        threshold, rows = float(self.pack.threshold), []
        for target in self.targets:
            room = EXACT.subtract(self.pack.line(target.value), target.upper)
            if target.part_id not in self.content:  # no option reaches it: it stays as it is
                if target.selected and not _is_clear(target.value, target.upper, ZERO, self.pack):
                    return None
                continue
            content, value = self.content[target.part_id], self.value[target.part_id]
            line = threshold * self._bound(value)  # the largest the line can be [currency per unit]
            # the margin, plus what the solver's tolerance may leave in the content above the line
            slack = margin * line + (2 * SOLVER_TOLERANCE * self._bound(content) if margin else 0.0)
            if not self.pack.reaches(target.upper, target.value):  # below the line: keep it there
                slack = min(slack, float(room) / 2)
            rows.append(({content: 1.0, value: -threshold}, -slack, line or None))
        return rows

    def _run(self, objective: np.ndarray, rows: list[tuple]):
        try:  # the solver comes with the optimise extra
            from scipy.optimize import Bounds, LinearConstraint, milp
            from scipy.sparse import csr_array
        except ImportError:
            raise MissingExtraError("the least-cost search", "optimise") from None
        n = len(self.lb)
        scale = np.array([u if u > 0 else 1.0 for u in self.ub])
        scale[: self.binaries] = 1.0
        data, row_index, column_index, bounds = [], [], [], []
        for r, (coefficients, bound, *size) in enumerate(rows):
            scaled = {k: v * scale[k] for k, v in coefficients.items() if v}
            # item rows are measured against the line, so that the margin is a share of the line
            largest = (size[0] if size and size[0] else max((abs(v) for v in scaled.values()), default=1.0)) or 1.0
            for k, v in scaled.items():
                data.append(v / largest)
                row_index.append(r)
                column_index.append(k)
            bounds.append(bound / largest)
        constraints = []
        if rows:
            matrix = csr_array((data, (row_index, column_index)), shape=(len(rows), n))
            constraints.append(LinearConstraint(matrix, -np.inf, np.array(bounds)))
        integrality = np.zeros(n)
        integrality[: self.binaries] = 1
        return milp(objective * scale, integrality=integrality,
                    bounds=Bounds(np.array(self.lb) / scale, np.array(self.ub) / scale),
                    constraints=constraints, options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT, "disp": False})

    def _picked(self, x) -> tuple[int, ...]:
        return tuple(sorted(i for i, column in self.column_of.items() if x[column] > 0.5))

    def solve(self, margin: float, excluded: list[tuple[int, ...]], cheaper_than: float | None = None):
        """The least-cost options (indexes), with the fewest options among equals; ``None`` when
        there are none; a message when the solver gave up.

        ``excluded``: combinations not to propose again; ``cheaper_than``: a cost [currency] the
        combination must be below.
        """
        targets = self._target_rows(margin)
        if targets is None:
            return None
        rows = self.rows + targets
        for picked in excluded:  # not this combination again
            rows.append(({column: (1.0 if i in picked else -1.0) for i, column in self.column_of.items()},
                         len(picked) - 1.0))
        if cheaper_than is not None:
            step = 1e-9 * max([1.0] + [abs(c) for c in self.cost])
            rows.append(({k: float(self.cost[k]) for k in range(self.binaries)}, cheaper_than - step))
        if not self.lb:
            return () if all(bound >= 0 for _, bound in rows) else None
        cost = np.zeros(len(self.lb))
        cost[: self.binaries] = self.cost
        first = self._run(cost, rows)
        if first.status == 2:
            return None
        if first.x is None:
            return f"the solver stopped without a solution ({first.message})"
        count = np.zeros(len(self.lb))
        count[: self.binaries] = 1.0
        tolerance = 1e-9 * max(1.0, float(np.abs(self.cost).sum()))
        second = self._run(count, rows + [({k: float(self.cost[k]) for k in range(self.binaries)},
                                           first.fun + tolerance)])
        return self._picked(second.x if second.x is not None else first.x)

    def lowest(self, target: Target, ratio_now: Fraction) -> tuple[int, ...]:
        """The options minimising ``content - ratio_now x value`` of ``target``, other items ignored."""
        if target.part_id not in self.content:
            return ()
        objective = np.zeros(len(self.lb))
        objective[self.content[target.part_id]] = 1.0
        objective[self.value[target.part_id]] = -float(ratio_now)
        result = self._run(objective, self.rows)
        return () if result.x is None else self._picked(result.x)
