"""Least-cost re-sourcing that brings Part 2 items below the 0.1% line (core layer).

A :class:`SourcingOption` is another way to buy one part: a new origin, a new unit value or an
extra cost per unit, a declared China-origin Annex 1 Part 1 content, a capacity. Given an
:class:`~bomcalc.determine.Evaluation` and a list of options, :func:`mitigate` finds the set of
options with the least total annual cost that brings every selected Part 2 item strictly below
the de minimis line of Announcement No. 61 Clause 1(1) (``cn_part1_value < threshold x value``;
the bundled rule pack's line is inclusive), or says that no set does, which items cannot be
brought below it and how far each can get.

The model is a mixed-integer programme (:func:`scipy.optimize.milp`, see :class:`_Programme`):

* one binary per option; at most one option per part. An option replaces its part wherever
  the part is used.
* The roll-up is linear: without interactions, item ``i``'s content changes by ``extended
  quantity of the part in i x change of the part's own content per unit`` (paths through a
  China-origin Part 1 item or a declared part do not count: below those the part does not
  matter), and its value, when rolled up from its components, by ``extended quantity x change
  of the part's value``. Options on a part and on a part below it do not add up, though: a
  China-free declaration for a magnet hides what happens to the dysprosium in it, and a
  dysprosium alloy that stops being Chinese exposes its inputs. So the programme carries the
  content and value of every part between the items and the parts with options as columns,
  with one roll-up step per part and per *mode* (the part as it is, or with one of its
  options), switched on by the option's binary. Any combination is then exact, nested ones
  included, and so are alternative items resolved by value and Part 1 items of unknown origin
  (the largest of several terms).
* Each selected item must end strictly below the line, counting inputs of unknown origin as
  Chinese (an item whose answer depends on an unknown origin is not below the line). Every
  other Part 2 item below the line now must stay below it.
* An option can be chosen only when its ``capacity`` covers the part's whole annual volume.
* Cost: annual units of the part x cost per unit of the part. The annual units of a part are
  the sum over finished items of their annual volume x the part's quantity in one of them,
  through every level (alternative items at full quantity). Without volumes every part that has
  no parent counts once: costs are then per one of each finished product.
* Among sets of equal least cost, the one with the fewest options.

The solver works in binary floating point, so each item must first clear the line by a margin
(:data:`FIRST_MARGIN` of the line, plus what the solver's tolerance may hide). Whether an item
ends below the line is never decided by the solver: the chosen options are applied to a copy
of the BOM (:func:`apply_options`) and the copy is evaluated again
(:func:`bomcalc.determine.evaluate`). A combination failing that exact check is excluded and
the programme solved again with a wider margin. Then the programme is solved without the
margin for anything cheaper than the best combination so far, each answer again checked
exactly, so that a combination the margin kept out (one close to the line) is still found.
Each phase solves at most :data:`MAX_ATTEMPTS` times. An item whose value or content is
unknown (a missing price) is reported as not fixable: add the price first. Values of options
are in the BOM's report currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from .determine import INDETERMINATE, NOT_REQUIRED, REQUIRED, Evaluation, evaluate
from .errors import ScenarioError
from .model import Bom
from .rollup import ZERO, line_weights
from .values import EXACT, format_decimal, to_country, to_decimal

__all__ = [
    "SourcingOption",
    "AnnualVolume",
    "MitigationResult",
    "ITEM_COLUMNS",
    "COST_COLUMNS",
    "apply_options",
    "mitigate",
]

#: Safety margin of the first solve, as a share of each item's line.
FIRST_MARGIN = 1e-5
#: Feasibility tolerance of the solver (HiGHS), as a share of each row's largest term.
SOLVER_TOLERANCE = 1e-6
#: Widest margin of the first phase of the search.
LAST_MARGIN = 1e-2
#: Most solves in each phase of the search (with a margin; then without, for anything cheaper).
MAX_ATTEMPTS = 8
#: Seconds the solver may take for one solve.
TIME_LIMIT = 60.0

#: Columns of :attr:`MitigationResult.items`, in order.
ITEM_COLUMNS = (
    "part_id",
    "selected",  # bool: one of the items to bring below the line
    "baseline_status",  # status before the chosen options
    "status",  # status after them
    "baseline_ratio",  # Decimal [share, 0-1]: (cn_part1_value + unknown_origin_part1_value) / value before
    "ratio",  # Decimal [share, 0-1]: the same after the chosen options
    "cn_part1_value",  # Decimal [currency per unit], after
    "unknown_origin_part1_value",  # Decimal [currency per unit], after
    "value",  # Decimal [currency per unit], after
    "fixed",  # bool: strictly below the line after, unknown origins counted as Chinese
)

#: Columns of :attr:`MitigationResult.costs`, one row per chosen option.
COST_COLUMNS = (
    "part_id",
    "option",
    "annual_units",  # Decimal [part uom per year]
    "unit_cost_delta",  # Decimal [currency per unit of the part]
    "annual_cost",  # Decimal [currency per year]
)


@dataclass(frozen=True)
class SourcingOption:
    """Another way to buy ``part``, named ``name``.

    ``origin``: the new country of origin (ISO alpha-2), ``None`` to keep it. ``unit_value``:
    the new value of one unit [currency per uom], ``None`` to keep it. ``cost_delta``: the extra
    cost of one unit [currency per uom]; when ``None`` it is ``unit_value`` minus the current
    value, or 0 when neither is given. ``cn_part1_value``: the declared China-origin Part 1
    content of one unit with this option [currency per unit] (0: free of it); ``None`` derives
    it: a Part 1 item that stops being of China origin no longer counts its own value (its
    inputs still roll up), anything else keeps its content. ``capacity``: the most units a year
    the option can supply [uom per year], ``None`` for no limit. ``source``: where the figures
    come from; ``row``: the row of the options file.
    """

    part: str
    name: str
    origin: str | None = None
    unit_value: Decimal | None = None
    cost_delta: Decimal | None = None
    cn_part1_value: Decimal | None = None
    capacity: Decimal | None = None
    source: str = ""
    row: int | None = None

    @property
    def label(self) -> str:
        """``"DY-MET 'JP refiner'"``, for messages."""
        return f"{self.part} '{self.name}'"


@dataclass(frozen=True)
class AnnualVolume:
    """``annual_volume`` units a year of the finished item ``item``."""

    item: str
    annual_volume: Decimal
    row: int | None = None


@dataclass(frozen=True)
class MitigationResult:
    """The least-cost re-sourcing, or why there is none.

    ``feasible``: the chosen options bring every selected item strictly below the line (checked
    exactly). ``chosen``: the options, by part. ``annual_cost`` [currency per year]: their total
    cost (0 when infeasible). ``items``: one row per selected item and per other Part 2 item the
    options change (:data:`ITEM_COLUMNS`). ``infeasible_items``: the selected items that no
    combination of options brings below the line. ``best_ratios`` (only when infeasible): for
    each selected item, the lowest ratio [share, 0-1] any combination reaches, counting unknown
    origins as Chinese, computed exactly. ``costs``: one row per chosen option
    (:data:`COST_COLUMNS`). ``evaluation``: the evaluation of the re-sourced copy of the BOM
    (the baseline when nothing is chosen).
    """

    feasible: bool
    chosen: tuple[SourcingOption, ...]
    annual_cost: Decimal
    items: pd.DataFrame = field(repr=False)
    infeasible_items: tuple[str, ...]
    best_ratios: dict[str, Decimal]
    notes: tuple[str, ...]
    costs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(COST_COLUMNS)), repr=False)
    currency: str | None = None
    threshold: Decimal = Decimal("0.001")
    per_year: bool = True  # costs are annual (volumes given), else per one of each finished product
    evaluation: Evaluation | None = field(default=None, repr=False)


# --- Applying options to a copy --------------------------------------------------------------


def _applied(bom: Bom, options: Iterable[SourcingOption]) -> Bom:
    """``bom`` with ``options`` applied, sharing its (unchanged) graph."""
    options = list(options)
    parts = bom.parts.copy()
    declarations = {record["part_id"]: record for record in bom.declarations.to_dict("records")}
    for option in options:
        if option.origin is not None:
            parts.at[option.part, "origin"] = option.origin
        if option.unit_value is not None:
            parts.at[option.part, "unit_value"] = option.unit_value
        if option.cn_part1_value is not None:
            declarations[option.part] = {
                "part_id": option.part,
                "cn_part1_value": option.cn_part1_value,
                "unknown_origin_part1_value": ZERO,
                "currency": bom.currency,
                "cn_technology": None,
                "source": option.source or f"sourcing option '{option.name}'",
                "row": option.row,
                "file": None,
                "sheet": None,
            }
    columns = list(bom.declarations.columns)
    table = pd.DataFrame([{c: r.get(c) for c in columns} for r in declarations.values()], columns=columns, dtype=object)
    table = table.set_index("part_id", drop=False)
    table.index.name = None
    text = "; ".join(option.label for option in options) or "none"
    return replace(bom, parts=parts, declarations=table, notes=bom.notes + (f"sourcing options applied: {text}",))


def apply_options(bom: Bom, options: Iterable[SourcingOption]) -> Bom:
    """A new :class:`~bomcalc.model.Bom` with each option applied to its part.

    The part takes the option's ``origin`` and ``unit_value`` where given; a given
    ``cn_part1_value`` becomes the part's supplier declaration (no content of unknown origin).
    ``bom`` itself is never modified.
    """
    applied = _applied(bom, options)
    return replace(applied, graph=bom.graph.copy())


# --- Checking the inputs ---------------------------------------------------------------------


def _checked_options(bom: Bom, options: Iterable[SourcingOption]) -> tuple[SourcingOption, ...]:
    checked: list[SourcingOption] = []
    seen: set[tuple[str, str]] = set()
    for option in options:
        if option.part not in bom.parts.index:
            raise ScenarioError(f"sourcing option {option.label} names a part that is not in the BOM")
        if (option.part, option.name) in seen:
            raise ScenarioError(f"sourcing option {option.label} is given twice; give each option of a part its own name")
        seen.add((option.part, option.name))
        for name in ("unit_value", "cn_part1_value", "capacity"):
            number = getattr(option, name)
            if number is not None and number < 0:
                raise ScenarioError(f"sourcing option {option.label}: {name} must not be negative (found {number})")
        if option.origin is not None:
            code, _ = to_country(option.origin)
            if code is None:
                raise ScenarioError(f"sourcing option {option.label}: '{option.origin}' is not an ISO 3166-1 country code")
            option = replace(option, origin=code)
        checked.append(option)
    return tuple(checked)


def _selected(evaluation: Evaluation, items) -> list[str]:
    part2 = evaluation.items[evaluation.items["annex1"] == "part2"]
    if items is None:
        return [p for p, s in zip(part2["part_id"], part2["status"]) if s in (REQUIRED, INDETERMINATE)]
    if isinstance(items, str):
        items = [p.strip() for p in items.split(",") if p.strip()]
    known = set(part2["part_id"])
    chosen = []
    for part in items:
        if part not in known:
            where = "is not in the BOM" if part not in evaluation.bom.parts.index else "is not a Part 2 item"
            raise ScenarioError(f"'{part}' {where}; choose among the Part 2 items: {', '.join(sorted(known)) or 'none'}")
        if part not in chosen:
            chosen.append(part)
    return chosen


def _finished_volumes(bom: Bom, volumes) -> tuple[dict[str, Decimal], str]:
    if volumes is None:
        roots = sorted(p for p in bom.graph.nodes if bom.graph.in_degree(p) == 0)
        shown = ", ".join(roots[:5]) + (f" and {len(roots) - 5} more" if len(roots) > 5 else "")
        return ({p: Decimal(1) for p in roots},
                f"no annual volumes given: each part without a parent ({shown}) counts once, so costs are per one of each")
    pairs = volumes.items() if isinstance(volumes, Mapping) else ((v.item, v.annual_volume) for v in volumes)
    found: dict[str, Decimal] = {}
    for item, amount in pairs:
        if item not in bom.parts.index:
            raise ScenarioError(f"annual volume given for '{item}', which is not in the BOM")
        try:
            amount = to_decimal(amount)
        except ValueError as exc:
            raise ScenarioError(f"annual volume of '{item}': {exc}") from None
        if amount is None or amount < 0:
            raise ScenarioError(f"annual volume of '{item}' must be a number >= 0 (found {amount})")
        found[item] = EXACT.add(found.get(item, ZERO), amount)
    text = ", ".join(f"{item} {format_decimal(amount)}" for item, amount in found.items()) or "none"
    return found, f"annual volumes: {text}"


# --- Options: what they do to their own part, cost, availability ----------------------------

_SUM = "sum of the BOM lines"  # a roll-up term: the weighted sum over the part's BOM lines


def _content_terms(bom: Bom, part: str, option: SourcingOption | None) -> list | None:
    """The roll-up's content of one unit of ``part`` (unknown origins as Chinese) with ``option``.

    A list of terms, the content being the largest: a ``Decimal`` [currency per unit] or
    :data:`_SUM`. ``None`` when a value it needs is missing. ``option`` ``None`` is the
    baseline. One step of :func:`bomcalc.rollup.rollup` with the option's attributes.
    """
    parts = bom.parts
    origin = parts.at[part, "origin"] if option is None or option.origin is None else option.origin
    own = parts.at[part, "unit_value"] if option is None or option.unit_value is None else option.unit_value
    if option is not None and option.cn_part1_value is not None:
        below = option.cn_part1_value
    elif part in bom.declarations.index:
        cn, unknown = bom.declarations.at[part, "cn_part1_value"], bom.declarations.at[part, "unknown_origin_part1_value"]
        below = None if cn is None or unknown is None else EXACT.add(cn, unknown)
    else:
        below = _SUM
    if parts.at[part, "annex1"] == "part1" and origin == "CN":
        return None if own is None else [own]
    if parts.at[part, "annex1"] == "part1" and origin is None:
        return None if own is None or below is None else [own, below]
    return None if below is None else [below]


def _value_term(bom: Bom, part: str, option: SourcingOption | None):
    """The roll-up's value of one unit of ``part`` with ``option``: a ``Decimal``, :data:`_SUM` or ``None``."""
    own = bom.parts.at[part, "unit_value"] if option is None or option.unit_value is None else option.unit_value
    children = bom.graph.succ[part]
    phantom = bool(bom.parts.at[part, "phantom"]) if "phantom" in bom.parts.columns else False
    if own is not None and not (phantom and children):
        return own
    return _SUM if children else None


@dataclass(frozen=True)
class _OptionFacts:
    unit_cost: Decimal | None  # [currency per unit of the part]
    annual_units: Decimal  # [part uom per year]
    annual_cost: Decimal | None  # [currency per year]
    unusable: str | None  # why the option cannot be chosen


def _option_facts(bom: Bom, rolled: pd.DataFrame, option: SourcingOption, units: Decimal, alternates: str,
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


def _annual_units(bom: Bom, finished: dict[str, Decimal], parts: set[str]) -> dict[str, Decimal]:
    """Units of each of ``parts`` used a year [part uom per year].

    The sum over finished items of annual volume x extended quantity of the part in one of them
    (every path, every level, alternative items at full quantity, as
    :func:`bomcalc.trail.extended_quantities` with ``through_sources``), in one pass over the
    parts above ``parts``.
    """
    above = _reach(bom.graph.pred, parts)
    amount = {item: volume for item, volume in finished.items() if item in above and volume}
    for node in nx.topological_sort(bom.graph.subgraph(above)):
        here = amount.get(node)
        if not here:
            continue
        for child, attributes in bom.graph.succ[node].items():
            if child in above:
                amount[child] = EXACT.add(amount.get(child, ZERO), EXACT.multiply(here, attributes["qty"]))
    return {part: amount.get(part, ZERO) for part in parts}


# --- Items -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    part_id: str
    selected: bool  # must end below the line; else it is below it now and must stay there
    upper: Decimal  # cn_part1_value + unknown_origin_part1_value [currency per unit]
    value: Decimal  # [currency per unit]


def _is_clear(value, cn, unknown, threshold: Decimal, inclusive: bool) -> bool:
    """Below the de minimis line even if every unknown origin were China (Clause 1(1)).

    Strictly below for an inclusive line ("0.1% or more" is caught), else not above it.
    """
    if value is None or value <= 0 or cn is None or unknown is None:
        return False
    upper = EXACT.add(cn, unknown)
    line = EXACT.multiply(threshold, value)
    return upper < line if inclusive else upper <= line


def _row_clear(row, pack) -> bool:
    return _is_clear(row["value"], row["cn_part1_value"], row["unknown_origin_part1_value"], pack.threshold, pack.inclusive)


def _reach(neighbours, start) -> set[str]:
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


class _Programme:
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

    Without interacting options this is the extended-quantity formula: eliminating the
    intermediate columns leaves ``U_i = U_i(baseline) + sum of extended quantity x change``.
    Arithmetic is binary floating point; columns are scaled by their upper bounds, item rows by
    the largest line the item can have, other rows by their largest coefficient. Parts whose roll-up needs a missing value are left free: no
    tracked item can depend on them (its own value or content would be missing).
    """

    def __init__(self, evaluation: Evaluation, options, facts, usable: list[int], targets: list[_Target]):
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
        relevant = _reach(bom.graph.pred, by_part) & _reach(bom.graph.succ, [t.part_id for t in targets])
        self.content: dict[str, int] = {}
        self.value: dict[str, int] = {}
        for part in reversed(list(nx.topological_sort(bom.graph.subgraph(relevant)))):
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
            room = EXACT.subtract(EXACT.multiply(self.pack.threshold, target.value), target.upper)
            if target.part_id not in self.content:  # no option reaches it: it stays as it is
                if target.selected and not _is_clear(target.value, target.upper, ZERO, self.pack.threshold, self.pack.inclusive):
                    return None
                continue
            content, value = self.content[target.part_id], self.value[target.part_id]
            line = threshold * self._bound(value)  # the largest the line can be [currency per unit]
            # the margin, plus what the solver's tolerance may leave in the content above the line
            slack = margin * line + (2 * SOLVER_TOLERANCE * self._bound(content) if margin else 0.0)
            if room > 0 or (room == 0 and not self.pack.inclusive):
                slack = min(slack, float(room) / 2)
            rows.append(({content: 1.0, value: -threshold}, -slack, line or None))
        return rows

    def _run(self, objective: np.ndarray, rows: list[tuple]):
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

    def lowest(self, target: _Target, ratio_now: Fraction) -> tuple[int, ...]:
        """The options minimising ``content - ratio_now x value`` of ``target``, other items ignored."""
        if target.part_id not in self.content:
            return ()
        objective = np.zeros(len(self.lb))
        objective[self.content[target.part_id]] = 1.0
        objective[self.value[target.part_id]] = -float(ratio_now)
        result = self._run(objective, self.rows)
        return () if result.x is None else self._picked(result.x)


# --- mitigate --------------------------------------------------------------------------------


def _members(options, picked) -> tuple[SourcingOption, ...]:
    return tuple(sorted((options[i] for i in picked), key=lambda o: (o.part, o.name)))


def _reevaluate(evaluation: Evaluation, chosen) -> Evaluation:
    if not chosen:
        return evaluation
    return evaluate(apply_options(evaluation.bom, chosen), evaluation.rule_pack, evaluation.as_of,
                    evaluation.part2_scope, evaluation.alternates)


def _rows(evaluation: Evaluation) -> dict[str, pd.Series]:
    return {row["part_id"]: row for _, row in evaluation.items.iterrows()}


def _items_table(baseline: Evaluation, after: Evaluation, selected: list[str]) -> pd.DataFrame:
    pack = baseline.rule_pack
    before, now = _rows(baseline), _rows(after)
    changed = [p for p, row in before.items()
               if p not in selected and row["annex1"] == "part2"
               and any(row[c] != now[p][c] for c in ("cn_part1_value", "unknown_origin_part1_value", "value"))]
    records = []
    for part in selected + changed:
        old, new = before[part], now[part]
        records.append({
            "part_id": part,
            "selected": part in selected,
            "baseline_status": old["status"],
            "status": new["status"],
            "baseline_ratio": old["ratio_upper"],
            "ratio": new["ratio_upper"],
            "cn_part1_value": new["cn_part1_value"],
            "unknown_origin_part1_value": new["unknown_origin_part1_value"],
            "value": new["value"],
            "fixed": _row_clear(new, pack),
        })
    return pd.DataFrame(records, columns=list(ITEM_COLUMNS), dtype=object)


def _costs_table(options, facts, chosen) -> pd.DataFrame:
    index = {(o.part, o.name): i for i, o in enumerate(options)}
    records = []
    for option in chosen:
        fact = facts[index[(option.part, option.name)]]
        records.append({"part_id": option.part, "option": option.name, "annual_units": fact.annual_units,
                        "unit_cost_delta": fact.unit_cost, "annual_cost": fact.annual_cost})
    return pd.DataFrame(records, columns=list(COST_COLUMNS), dtype=object)


def _status_notes(items: pd.DataFrame, after: Evaluation) -> list[str]:
    rows = _rows(after)
    notes = []
    for _, item in items.iterrows():
        if item["selected"] and item["fixed"] and item["status"] != NOT_REQUIRED:
            row = rows[item["part_id"]]
            why = ", ".join(row["reasons"] or row["open_limbs"])
            notes.append(f"{item['part_id']} is below the line but remains {item['status']} ({why})")
    return notes


def _lowest_ratio(evaluation: Evaluation, programme: _Programme, options, target: _Target) -> pd.Series:
    """The target's row after the options giving it its lowest ratio, other items ignored.

    Dinkelbach's method: minimise ``content - r x value`` at the ratio ``r`` reached so far,
    evaluate the options found exactly, repeat while the exact ratio falls.
    """
    best = _rows(evaluation)[target.part_id]
    reached = Fraction(target.upper) / Fraction(target.value)
    for _ in range(10):
        row = _rows(_reevaluate(evaluation, _members(options, programme.lowest(target, reached))))[target.part_id]
        if row["value"] is None or row["value"] <= 0 or row["cn_part1_value"] is None or row["unknown_origin_part1_value"] is None:
            break
        now = Fraction(EXACT.add(row["cn_part1_value"], row["unknown_origin_part1_value"])) / Fraction(row["value"])
        if now >= reached:
            break
        reached, best = now, row
    return best


def _search(evaluation: Evaluation, programme: _Programme, options, facts, targets: list[_Target], notes: list[str]):
    """``(option indexes, options, evaluation after them)`` that pass the exact check, or ``None``.

    Solves the programme with a margin and checks its answer exactly on a re-sourced copy; on
    failure excludes that combination, widens the margin and solves again. Then, without the
    margin, asks for anything cheaper, which the exact check again decides: a combination
    that a margin kept out is still found. At most :data:`MAX_ATTEMPTS` solves in each phase.
    """
    pack = evaluation.rule_pack
    rejected = 0

    def check(picked):
        chosen = _members(options, picked)
        after = _reevaluate(evaluation, chosen)
        now = _rows(after)
        return chosen, after, not any(not _row_clear(now[t.part_id], pack) for t in targets)

    def cost(picked) -> Decimal:
        total = ZERO
        for i in picked:
            total = EXACT.add(total, facts[i].annual_cost)
        return total

    excluded: list[tuple[int, ...]] = []
    best = None
    margin = FIRST_MARGIN
    for _ in range(MAX_ATTEMPTS):
        picked = programme.solve(margin, excluded)
        if picked is None:
            break
        if isinstance(picked, str):
            notes.append(picked)
            return None
        chosen, after, passed = check(picked)
        if passed:
            best = (picked, chosen, after)
            break
        rejected += 1
        excluded.append(picked)
        margin = min(margin * 10, LAST_MARGIN)
    for _ in range(MAX_ATTEMPTS):
        bound = None if best is None else float(cost(best[0]))
        picked = programme.solve(0.0, excluded, cheaper_than=bound)
        if picked is None or isinstance(picked, str):
            break
        chosen, after, passed = check(picked)
        if passed and (best is None or cost(picked) < cost(best[0])):
            best = (picked, chosen, after)
        else:
            rejected += not passed
            excluded.append(picked)
    if rejected:
        notes.append(f"{rejected} combination(s) the solver proposed failed the exact check and were excluded")
    return best


def mitigate(evaluation: Evaluation, options: Iterable[SourcingOption], volumes=None, items=None) -> MitigationResult:
    """The least-cost set of sourcing options that brings the selected Part 2 items below the line.

    ``evaluation``: the baseline (:func:`bomcalc.determine.evaluate`); it is not modified.
    ``options``: :class:`SourcingOption` records. ``volumes``: annual volumes of finished
    items, ``{part_id: units a year}`` or :class:`AnnualVolume` records; ``None`` counts every
    part without a parent once. ``items``: the Part 2 items to bring below the line (a list or
    comma-separated text); default every Part 2 item now ``licence_required`` or
    ``indeterminate``.

    An item is below the line when ``cn_part1_value + unknown_origin_part1_value`` is less than
    ``threshold x value`` (Announcement No. 61 Clause 1(1); not more than, for a rule pack whose
    line is not inclusive), decided exactly on a re-sourced copy of the BOM. The method is in
    this module's docstring. Raises :class:`~bomcalc.errors.ScenarioError` for an option or
    item naming a part that is not there.
    """
    bom, rolled, pack = evaluation.bom, evaluation.rolled, evaluation.rule_pack
    options = _checked_options(bom, options)
    selected = _selected(evaluation, items)
    finished, volume_note = _finished_volumes(bom, volumes)
    notes = [volume_note]
    units = _annual_units(bom, finished, {o.part for o in options})
    if not selected:
        notes.append("no Part 2 item is licence_required or indeterminate: nothing to bring below the line")

    rows = _rows(evaluation)
    targets, unmodelled = [], []
    for part, row in rows.items():
        if row["annex1"] != "part2":
            continue
        known = row["value"] is not None and row["value"] > 0 and row["cn_part1_value"] is not None \
            and row["unknown_origin_part1_value"] is not None
        if part in selected and not known:
            unmodelled.append(part)
            notes.append(f"{part}: its value or China-origin content is unknown (a price is missing), so no "
                         "option can be shown to bring it below the line; add the missing price first")
        elif part in selected or _row_clear(row, pack):
            upper_value = EXACT.add(row["cn_part1_value"], row["unknown_origin_part1_value"])
            targets.append(_Target(part, part in selected, upper_value, row["value"]))
    if any(not t.selected for t in targets):
        notes.append("Part 2 items now below the line are kept below it")
    assessed = _reach(bom.graph.succ, [t.part_id for t in targets] + unmodelled)
    facts = [_option_facts(bom, rolled, o, units[o.part], evaluation.alternates, assessed) for o in options]
    notes += [f"option {o.label} cannot be chosen: {f.unusable}" for o, f in zip(options, facts) if f.unusable]
    usable = [i for i, fact in enumerate(facts) if fact.unusable is None]
    programme = _Programme(evaluation, options, facts, usable, targets)

    verified = None if unmodelled else _search(evaluation, programme, options, facts, targets, notes)
    common = dict(currency=evaluation.currency, threshold=pack.threshold, per_year=volumes is not None)
    if verified is not None:
        picked, chosen, after = verified
        cost = ZERO
        for i in picked:
            cost = EXACT.add(cost, facts[i].annual_cost)
        table = _items_table(evaluation, after, selected)
        return MitigationResult(True, chosen, cost, table, (), {}, tuple(notes + _status_notes(table, after)),
                                _costs_table(options, facts, chosen), evaluation=after, **common)

    best_ratios: dict[str, Decimal] = {}
    cannot = list(unmodelled)
    for target in targets:
        if not target.selected:
            continue
        row = _lowest_ratio(evaluation, programme, options, target)
        best_ratios[target.part_id] = row["ratio_upper"]
        if not _row_clear(row, pack):
            cannot.append(target.part_id)
    if not cannot:
        notes.append("each selected item can be brought below the line on its own, but no one set of options does it "
                     "for all of them together (capacities, one option per part, items to keep below the line)")
    return MitigationResult(False, (), ZERO, _items_table(evaluation, evaluation, selected), tuple(cannot),
                            best_ratios, tuple(notes), evaluation=evaluation, **common)
