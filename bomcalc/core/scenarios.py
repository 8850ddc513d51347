"""What-if scenarios compared with the baseline (core layer).

The scenarios themselves (:class:`Scenario`, :class:`Change`, :func:`parse_scenarios`,
:func:`apply_scenario`) are defined in :mod:`bomcalc.core.scenario_changes` and re-exported here.

:func:`compare` evaluates many scenarios against one baseline. Scenarios that only change
values, origins, technology flags or declarations of parts share the baseline roll-up: the
roll-up is linear in the content and value of each part, so a change at part ``p`` moves
every item above it by ``extended quantity x change``, with the extended quantities computed
once per changed part for all scenarios (:class:`_Propagator`). Every other scenario (and any
case where that linearity does not hold: nested changes, alternative items resolved by value,
an unknown-origin Part 1 item above the change) is re-evaluated in full. Both ways are exact
and give the same result. Items no change of a scenario reaches keep the row decided once for
that date under the comparison's own rule pack, and the per-part line weights the propagation
walks are computed once for all changed parts. The changed part itself is re-rolled by
:func:`~bomcalc.core.rollup.rollup_node`, the one roll-up step, and the propagation stops where
it does (:func:`~bomcalc.core.rollup.source_kind`, :func:`~bomcalc.core.rollup.may_be_cn_part1`,
:func:`~bomcalc.core.rollup.line_weights`).
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .determine import Evaluation, decide, evaluate
from .errors import ScenarioError
from .graph import adjacency, ancestors
from .model import Bom
from .rollup import ZERO, PartFacts, line_weights, may_be_cn_part1, part_facts, rollup_node, source_kind
from .regime import STATUS_ORDER
from .rules import RulePack, any_in_force
from .scenario_changes import SETTABLE, Change, Scenario, apply_scenario, parse_change, parse_scenarios
from .values import EXACT, ratio

__all__ = ["SETTABLE", "Change", "Scenario", "apply_scenario", "parse_change", "parse_scenarios",
           "COMPARISON_COLUMNS", "ScenarioResult", "Comparison", "compare"]

# --- comparing ------------------------------------------------------------------------------

COMPARISON_COLUMNS = (
    "scenario", "part_id", "annex1", "baseline_status", "status", "flipped", "direction",
    "baseline_ratio", "ratio", "delta_ratio", "baseline_ratio_upper", "ratio_upper", "baseline_cn_part1_value", "cn_part1_value", "delta_cn_part1_value",
    "baseline_value", "value", "reasons", "in_force",
)


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's items next to the baseline's."""

    scenario: Scenario
    records: tuple[tuple, ...]  # one per item: its cells in COMPARISON_COLUMNS after "scenario"
    as_of: dt.date
    threshold: Decimal
    method: str  # "shared roll-up" or "full evaluation"

    @functools.cached_property
    def items(self) -> pd.DataFrame:
        """The scenario's items as a table (COMPARISON_COLUMNS)."""
        return _frame([self])

    def flips(self) -> dict[str, int]:
        """How many items became licence-required, became free, or changed otherwise."""
        directions = collections.Counter(record[_DIRECTION] for record in self.records if record[_FLIPPED])
        return {direction: directions[direction] for direction in ("to_required", "to_free", "other")}


_FLIPPED, _DIRECTION = COMPARISON_COLUMNS.index("flipped") - 1, COMPARISON_COLUMNS.index("direction") - 1


def _frame(results) -> pd.DataFrame:
    """The item rows of ``results`` in one object table, filled column by column (each cell as it
    is: reasons are tuples)."""
    records = [record for result in results for record in result.records]
    count = len(records)
    block = np.empty((count, len(COMPARISON_COLUMNS)), dtype=object)
    block[:, 0] = np.fromiter((result.scenario.name for result in results for _ in result.records), dtype=object,
                              count=count)
    for j, values in enumerate(zip(*records), start=1):
        block[:, j] = np.fromiter(values, dtype=object, count=count)
    return pd.DataFrame(block, columns=list(COMPARISON_COLUMNS), dtype=object)


@dataclass(frozen=True)
class Comparison:
    """The baseline evaluation and every scenario's result."""

    baseline: Evaluation
    results: tuple[ScenarioResult, ...] = field(default=())

    def table(self) -> pd.DataFrame:
        """All scenarios' item rows in one table."""
        return _frame(self.results) if self.results else pd.DataFrame(columns=list(COMPARISON_COLUMNS))

    def summary(self) -> pd.DataFrame:
        """One row per scenario: flips in each direction and how it was computed."""
        return pd.DataFrame(
            [{"scenario": r.scenario.name, **r.flips(), "as_of": r.as_of, "threshold": r.threshold, "method": r.method}
             for r in self.results],
            columns=["scenario", "to_required", "to_free", "other", "as_of", "threshold", "method"],
        )


def _direction(before: str, after: str) -> str:
    if before == after:
        return ""
    if STATUS_ORDER.get(after) == 0:  # required, in the pack's labels
        return "to_required"
    if STATUS_ORDER.get(after) == 2:  # not required
        return "to_free"
    return "other"


def _record(part_id: str, before: dict | None, after: dict | None) -> tuple:
    """One item's comparison cells (every column after ``scenario``)."""
    before_status = before["status"] if before is not None else "not_assessed"
    after_status = after["status"] if after is not None else "not_assessed"
    get = lambda row, key: row[key] if row is not None else None  # noqa: E731
    b_ratio, a_ratio = get(before, "ratio"), get(after, "ratio")
    b_cn, a_cn = get(before, "cn_part1_value"), get(after, "cn_part1_value")
    return (part_id, get(after, "annex1") or get(before, "annex1"), before_status, after_status,
            before_status != after_status, _direction(before_status, after_status),
            b_ratio, a_ratio, None if a_ratio is None or b_ratio is None else a_ratio - b_ratio,
            get(before, "ratio_upper"), get(after, "ratio_upper"),
            b_cn, a_cn, None if a_cn is None or b_cn is None else EXACT.subtract(a_cn, b_cn),
            get(before, "value"), get(after, "value"), get(after, "reasons") or (), get(after, "in_force"))


def _records(base: dict[str, dict], rows: dict[str, dict], known: dict[str, tuple]) -> tuple[tuple, ...]:
    """Every item's comparison cells, baseline items first; ``known``: the cells of items already
    decided (shared between scenarios), by part."""
    records = []
    for part_id in list(base) + [p for p in rows if p not in base]:
        record = known.get(part_id)
        records.append(record if record is not None else _record(part_id, base.get(part_id), rows.get(part_id)))
    return tuple(records)


def _pack_for(rule_pack: RulePack, scenario: Scenario) -> RulePack:
    if scenario.threshold is None:
        return rule_pack
    return dataclasses.replace(rule_pack, threshold=scenario.threshold,
                               version=f"{rule_pack.version} (threshold {scenario.threshold} in scenario '{scenario.name}')")


def _is_local(scenario: Scenario) -> bool:
    return all(c.kind in ("set", "declare", "undeclare", "as_of", "threshold") for c in scenario.changes) and not any(
        c.kind == "set" and any(name == "annex1" for name, _ in c.values) for c in scenario.changes
    )


class _Propagator:
    """Extended quantities from every part above a changed part down to it, computed once.

    ``content[a]``: quantity of the changed part in one unit of ``a`` along paths whose
    intermediate parts are not sources (China-origin Part 1 items, declared parts), as the
    content roll-up walks; ``value[a]``: the same along paths through parts whose value is
    rolled up from components.
    """

    def __init__(self, bom: Bom, facts: dict[str, PartFacts], rolled_values: dict, part: str, alternates: str,
                 links: tuple[dict, dict], steps: dict[str, tuple]):
        succ, pred = links
        self.ancestors = ancestors(pred, part)
        order = bom.in_topological_order(self.ancestors | {part})
        content: dict[str, Decimal] = {part: Decimal(1)}
        value: dict[str, Decimal] = {part: Decimal(1)}
        self.linear = True
        self.content, self.value = content, value
        for node in reversed(order):
            if node == part:
                continue
            step = steps.get(node)
            if step is None:
                step = steps[node] = _step(facts, rolled_values, succ[node], facts[node], alternates)
            weights, linear = step
            if not linear:
                self.linear = False  # the extended quantities are not used
                return
            total_content = total_value = ZERO
            for child, weight, through_content, through_value in weights:
                if child in content and (through_content or child == part):
                    total_content = EXACT.add(total_content, EXACT.multiply(weight, content[child]))
                if child in value and (through_value or child == part):
                    total_value = EXACT.add(total_value, EXACT.multiply(weight, value[child]))
            content[node], value[node] = total_content, total_value


def _step(facts: dict[str, PartFacts], rolled_values: dict, children: dict, node_facts: PartFacts,
          alternates: str) -> tuple[list[tuple], bool]:
    """One part's lines as the propagation walks them, the same for every changed part below it:
    ``(child, weight, content passes through it, value passes through it)`` for each counted line,
    and whether the part's figures stay linear in its children's."""
    linear = not (
        (alternates == "conservative" and any(attributes.get("alt_group") is not None for attributes in children.values()))
        # which alternative counts depends on the values
        or (may_be_cn_part1(node_facts.annex1, node_facts.origin, node_facts.annex1_known, node_facts.home) and children)
    )  # min and max of (own value, inputs) in the bounds
    weights = line_weights(children, dict.fromkeys(children, ZERO), alternates)
    return [(child, weight, not _is_source(facts[child]), rolled_values[child][1] == "components")
            for child, weight in weights.items() if weight], linear


def _is_source(facts: PartFacts) -> bool:
    return source_kind(facts.annex1, facts.origin, facts.declared is not None, facts.home) is not None


def _new_facts(facts: PartFacts, scenario: Scenario, part: str) -> PartFacts:
    updated = facts
    for change in scenario.changes:
        if change.part != part:
            continue
        if change.kind == "set":
            updated = dataclasses.replace(updated, **{k: v for k, v in change.values if k in ("origin", "unit_value", "annex1")})
            if any(k == "annex1" for k, _ in change.values):
                updated = dataclasses.replace(updated, annex1_known=True)
        elif change.kind == "declare":
            updated = dataclasses.replace(updated, declared=(change.cn_part1_value,
                                                             EXACT.add(change.cn_part1_value, change.unknown_origin_part1_value)))
        elif change.kind == "undeclare":
            updated = dataclasses.replace(updated, declared=None)
    return updated


def compare(bom: Bom, scenarios, rule_pack: RulePack, as_of: dt.date, part2_scope: str = "materials",
            alternates: str = "conservative", baseline: Evaluation | None = None, shared: bool = True) -> Comparison:
    """Evaluate every scenario against the baseline; the baseline is never modified.

    ``shared`` lets scenarios that only change parts' values, origins, technology flags or
    declarations share the baseline roll-up (see the module docstring); false re-evaluates
    every scenario in full (used by the tests to show both agree).
    """
    baseline = baseline or evaluate(bom, rule_pack, as_of, part2_scope, alternates)
    shared = shared and not rule_pack.regime.projects  # a change may move a part's role: evaluate in full
    base_rows = {row["part_id"]: row for row in baseline.items.to_dict("records")}
    roll_up = _SharedRollUp(bom, baseline, base_rows, rule_pack, alternates) if shared else None
    results = []
    for scenario in scenarios:
        pack = _pack_for(rule_pack, scenario)
        date = scenario.as_of or as_of
        shared_rows = None
        if roll_up is not None and _is_local(scenario):
            for change in scenario.changes:
                if change.part is not None and change.part not in bom.parts.index:
                    raise ScenarioError(f"scenario '{scenario.name}': part '{change.part}' is not in the BOM")
            shared_rows = roll_up.rows(scenario, pack, date)
        if shared_rows is None:
            evaluation = evaluate(apply_scenario(bom, scenario), pack, date, part2_scope, alternates)
            rows, known = {row["part_id"]: row for row in evaluation.items.to_dict("records")}, {}
            method = "full evaluation"
        else:
            (rows, known), method = shared_rows, "shared roll-up"
        results.append(ScenarioResult(scenario, _records(base_rows, rows, known), date, pack.threshold, method))
    return Comparison(baseline, tuple(results))


class _SharedRollUp:
    """What local scenarios share: the baseline figures, the propagators of changed parts, and
    the rows of items no change reaches (per date, under the comparison's own rule pack)."""

    def __init__(self, bom: Bom, baseline: Evaluation, base_rows: dict[str, dict], rule_pack: RulePack, alternates: str):
        self.bom, self.base_rows, self.rule_pack, self.alternates = bom, base_rows, rule_pack, alternates
        self.facts = part_facts(bom)
        rolled = baseline.rolled
        self.rolled_values = {p: (v, b, lo, hi) for p, v, b, lo, hi in zip(
            rolled.index, rolled["value"], rolled["value_basis"], rolled["cn_part1_value"], rolled["cn_part1_upper"])}
        self.figures = tuple({p: v[k] for p, v in self.rolled_values.items()} for k in (0, 2, 3))  # value, lower, upper
        self.technology = bom.parts["cn_technology"].to_dict()
        self.propagators: dict[str, _Propagator] = {}
        self.links = None
        self.steps: dict[str, tuple] = {}  # part -> its lines as every propagator walks them
        self.states: dict[dt.date, dict] = {}  # date -> the limbs' states under the comparison's own pack
        self.unreached: dict[dt.date, dict[str, tuple]] = {}  # date -> part_id -> cells of an item no change reaches

    def rows(self, scenario: Scenario, pack: RulePack, date: dt.date) -> tuple[dict, dict] | None:
        """Item rows of a local scenario from the baseline roll-up and per-part deltas, and the
        comparison cells of the items no change reaches (by part); ``None`` to fall back."""
        if self.links is None:
            self.links = adjacency(self.bom)  # succ and pred, without filling the graph
        changed = sorted({c.part for c in scenario.changes if c.part is not None})
        for part in changed:
            if part not in self.propagators:
                self.propagators[part] = _Propagator(self.bom, self.facts, self.rolled_values, part, self.alternates,
                                                     self.links, self.steps)
            if not self.propagators[part].linear:
                return None
        if any(other in self.propagators[part].ancestors for part in changed for other in changed if other != part):
            return None  # nested changes do not add up
        deltas, new_facts = {}, {}
        for part in changed:
            new_facts[part] = _new_facts(self.facts[part], scenario, part)
            value, basis, lower, upper = rollup_node(new_facts[part], self.links[0][part], *self.figures, self.alternates)
            old = self.rolled_values[part]
            if None in (value, lower, upper, old[0], old[2], old[3]) or basis != old[1]:
                return None
            deltas[part] = (EXACT.subtract(value, old[0]), EXACT.subtract(lower, old[2]), EXACT.subtract(upper, old[3]))
        technology = {c.part: dict(c.values)["cn_technology"] for c in scenario.changes
                      if c.kind == "set" and "cn_technology" in dict(c.values)}
        states = self.states.get(date) if pack is self.rule_pack else None
        if states is None:
            states = pack.limb_states(date)
            if pack is self.rule_pack:
                self.states[date] = states
        unreached = self.unreached.setdefault(date, {}) if pack is self.rule_pack else None
        rows, known = {}, {}
        for part_id, item in self.base_rows.items():
            reached = [part for part in changed if part == part_id or part_id in self.propagators[part].ancestors]
            if not reached and unreached is not None:
                if part_id not in unreached:
                    unreached[part_id] = self._unreached_record(part_id, item["annex1"], pack, states)
                known[part_id] = unreached[part_id]
                continue
            item_facts = new_facts.get(part_id, self.facts[part_id])
            figures = self._moved(part_id, reached, deltas, item_facts)
            if figures is None:
                return None  # an item with an unknown figure that this change reaches: evaluate the scenario in full
            rows[part_id] = _item_row(part_id, item["annex1"], figures, item_facts,
                                      technology.get(part_id, bool(self.technology[part_id])), pack, states)
        return rows, known

    def _moved(self, part_id: str, reached: list[str], deltas: dict, item_facts: PartFacts) -> tuple | None:
        """The item's value, lower and upper content after the changes that reach it (``item_facts``
        its facts in the scenario); ``None`` when a figure it starts from is unknown."""
        value, _, lower, upper = self.rolled_values[part_id]
        if reached and None in (value, lower, upper):
            return None
        for part in reached:
            d_value, d_lower, d_upper = deltas[part]
            if part == part_id:
                value, lower, upper = (EXACT.add(value, d_value), EXACT.add(lower, d_lower), EXACT.add(upper, d_upper))
                continue
            propagator = self.propagators[part]
            if not _is_source(item_facts):
                q = propagator.content.get(part_id, ZERO)
                lower, upper = EXACT.add(lower, EXACT.multiply(q, d_lower)), EXACT.add(upper, EXACT.multiply(q, d_upper))
            if self.rolled_values[part_id][1] == "components":
                value = EXACT.add(value, EXACT.multiply(propagator.value.get(part_id, ZERO), d_value))
        return value, lower, upper

    def _unreached_record(self, part_id: str, annex1: str, pack: RulePack, states) -> tuple:
        """The comparison cells of an item as the baseline roll-up gives it, decided under ``pack``."""
        value, _, lower, upper = self.rolled_values[part_id]
        row = _item_row(part_id, annex1, (value, lower, upper), self.facts[part_id], bool(self.technology[part_id]),
                        pack, states)
        return _record(part_id, self.base_rows.get(part_id), row)


def _item_row(part_id: str, annex1: str, figures: tuple, item_facts: PartFacts, technology: bool, pack: RulePack,
              states) -> dict:
    """One assessed item's row: its figures decided under ``pack`` with the limbs' ``states``."""
    value, lower, upper = figures
    unknown = None if upper is None or lower is None else EXACT.subtract(upper, lower)
    own_value = value if annex1 == "part2" else item_facts.unit_value
    decision = decide(annex1, item_facts.origin, technology, own_value, lower, unknown, pack.threshold, pack.inclusive,
                      regime=pack.regime)
    in_force = any_in_force(pack.considered_limbs(annex1, decision.reasons, decision.open_limbs), states)
    return {"part_id": part_id, "annex1": annex1, "status": pack.regime.outcomes.label(decision.status),
            "reasons": decision.reasons,
            "ratio": ratio(lower, own_value) if annex1 == "part2" else None,
            "ratio_upper": ratio(upper, own_value) if annex1 == "part2" and upper is not None else None,
            "cn_part1_value": lower, "value": own_value, "in_force": in_force}
