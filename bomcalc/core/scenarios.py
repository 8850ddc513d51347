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
and give the same result. The changed part itself is re-rolled by
:func:`~bomcalc.core.rollup.rollup_node`, the one roll-up step, and the propagation stops where
it does (:func:`~bomcalc.core.rollup.source_kind`, :func:`~bomcalc.core.rollup.may_be_cn_part1`,
:func:`~bomcalc.core.rollup.line_weights`).
"""

from __future__ import annotations

import dataclasses
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
    items: pd.DataFrame  # COMPARISON_COLUMNS
    as_of: dt.date
    threshold: Decimal
    method: str  # "shared roll-up" or "full evaluation"

    def flips(self) -> dict[str, int]:
        """How many items became licence-required, became free, or changed otherwise."""
        flipped = self.items[self.items["flipped"]]
        return {direction: int((flipped["direction"] == direction).sum()) for direction in ("to_required", "to_free", "other")}


@dataclass(frozen=True)
class Comparison:
    """The baseline evaluation and every scenario's result."""

    baseline: Evaluation
    results: tuple[ScenarioResult, ...] = field(default=())

    def table(self) -> pd.DataFrame:
        """All scenarios' item rows in one table."""
        frames = [result.items for result in self.results]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COMPARISON_COLUMNS))

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


def _rows(scenario: Scenario, base: dict[str, dict], rows: dict[str, dict]) -> pd.DataFrame:
    columns: dict[str, list] = {name: [] for name in COMPARISON_COLUMNS}
    put = {name: columns[name].append for name in COMPARISON_COLUMNS}
    for part_id in list(base) + [p for p in rows if p not in base]:
        before, after = base.get(part_id), rows.get(part_id)
        before_status = before["status"] if before is not None else "not_assessed"
        after_status = after["status"] if after is not None else "not_assessed"
        get = lambda row, key: row[key] if row is not None else None  # noqa: E731
        b_ratio, a_ratio = get(before, "ratio"), get(after, "ratio")
        b_cn, a_cn = get(before, "cn_part1_value"), get(after, "cn_part1_value")
        put["scenario"](scenario.name)
        put["part_id"](part_id)
        put["annex1"](get(after, "annex1") or get(before, "annex1"))
        put["baseline_status"](before_status)
        put["status"](after_status)
        put["flipped"](before_status != after_status)
        put["direction"](_direction(before_status, after_status))
        put["baseline_ratio"](b_ratio)
        put["ratio"](a_ratio)
        put["delta_ratio"](None if a_ratio is None or b_ratio is None else a_ratio - b_ratio)
        put["baseline_ratio_upper"](get(before, "ratio_upper"))
        put["ratio_upper"](get(after, "ratio_upper"))
        put["baseline_cn_part1_value"](b_cn)
        put["cn_part1_value"](a_cn)
        put["delta_cn_part1_value"](None if a_cn is None or b_cn is None else EXACT.subtract(a_cn, b_cn))
        put["baseline_value"](get(before, "value"))
        put["value"](get(after, "value"))
        put["reasons"](get(after, "reasons") or ())
        put["in_force"](get(after, "in_force"))
    # one object block filled column by column: a table per scenario, often a thousand scenarios
    count = len(columns["part_id"])
    block = np.empty((count, len(COMPARISON_COLUMNS)), dtype=object)
    for j, values in enumerate(columns.values()):
        block[:, j] = np.fromiter(values, dtype=object, count=count)  # each cell as it is (reasons are tuples)
    return pd.DataFrame(block, columns=list(COMPARISON_COLUMNS), dtype=object)


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
                 links: tuple[dict, dict]):
        succ, pred = links
        self.ancestors = ancestors(pred, part)
        order = bom.in_topological_order(self.ancestors | {part})
        content: dict[str, Decimal] = {part: Decimal(1)}
        value: dict[str, Decimal] = {part: Decimal(1)}
        self.linear = True
        for node in reversed(order):
            if node == part:
                continue
            node_facts = facts[node]
            children = succ[node]
            if any(attributes.get("alt_group") is not None for attributes in children.values()) and alternates == "conservative":
                self.linear = False  # which alternative counts depends on the values
            if may_be_cn_part1(node_facts.annex1, node_facts.origin, node_facts.annex1_known, node_facts.home) and children:
                self.linear = False  # min and max of (own value, inputs) in the bounds
            weights = line_weights(children, {c: Decimal(0) for c in children}, alternates)
            total_content = total_value = ZERO
            for child, weight in weights.items():
                if not weight:
                    continue
                if child in content and (child == part or not _is_source(facts[child])):
                    total_content = EXACT.add(total_content, EXACT.multiply(weight, content[child]))
                if child in value and (child == part or rolled_values[child][1] == "components"):
                    total_value = EXACT.add(total_value, EXACT.multiply(weight, value[child]))
            content[node], value[node] = total_content, total_value
        self.content, self.value = content, value


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
    facts = part_facts(bom)
    rolled = baseline.rolled
    rolled_values = {p: (v, b, lo, hi) for p, v, b, lo, hi in zip(rolled.index, rolled["value"], rolled["value_basis"],
                                                               rolled["cn_part1_value"], rolled["cn_part1_upper"])}
    figures = ({p: v[0] for p, v in rolled_values.items()}, {p: v[2] for p, v in rolled_values.items()},
               {p: v[3] for p, v in rolled_values.items()})  # value, lower, upper of every part (read only)
    propagators: dict[str, _Propagator] = {}
    links = None
    base_rows = {row["part_id"]: row for row in baseline.items.to_dict("records")}
    technology = bom.parts["cn_technology"].to_dict()
    results = []
    for scenario in scenarios:
        pack = _pack_for(rule_pack, scenario)
        date = scenario.as_of or as_of
        rows = None
        if shared and _is_local(scenario):
            for change in scenario.changes:
                if change.part is not None and change.part not in bom.parts.index:
                    raise ScenarioError(f"scenario '{scenario.name}': part '{change.part}' is not in the BOM")
            if links is None:
                links = adjacency(bom)  # succ and pred, without filling the graph
            rows = _shared_rows(bom, scenario, facts, rolled_values, figures, links, propagators, pack, date, base_rows,
                                technology, alternates)
        if rows is None:
            evaluation = evaluate(apply_scenario(bom, scenario), pack, date, part2_scope, alternates)
            rows = {row["part_id"]: row for row in evaluation.items.to_dict("records")}
            method = "full evaluation"
        else:
            method = "shared roll-up"
        results.append(ScenarioResult(scenario, _rows(scenario, base_rows, rows), date, pack.threshold, method))
    return Comparison(baseline, tuple(results))


def _shared_rows(bom, scenario, facts, rolled_values, figures, links, propagators, pack, date, base_rows, base_technology,
                 alternates):
    """Item rows of a local scenario from the baseline roll-up and per-part deltas; ``None`` to fall back."""
    changed = sorted({c.part for c in scenario.changes if c.part is not None})
    for part in changed:
        if part not in propagators:
            propagators[part] = _Propagator(bom, facts, rolled_values, part, alternates, links)
        if not propagators[part].linear:
            return None
    if any(other in propagators[part].ancestors for part in changed for other in changed if other != part):
        return None  # nested changes do not add up
    value_of, lower_of, upper_of = figures
    deltas = {}
    new_facts = {}
    for part in changed:
        updated = _new_facts(facts[part], scenario, part)
        new_facts[part] = updated
        value, basis, lower, upper = rollup_node(updated, links[0][part], value_of, lower_of, upper_of, alternates)
        old = rolled_values[part]
        if None in (value, lower, upper, old[0], old[2], old[3]) or basis != old[1]:
            return None
        deltas[part] = (EXACT.subtract(value, old[0]), EXACT.subtract(lower, old[2]), EXACT.subtract(upper, old[3]))
    technology = {c.part: dict(c.values)["cn_technology"] for c in scenario.changes
                  if c.kind == "set" and "cn_technology" in dict(c.values)}
    states = pack.limb_states(date)
    rows = {}
    for part_id, item in base_rows.items():
        value, lower, upper = rolled_values[part_id][0], rolled_values[part_id][2], rolled_values[part_id][3]
        item_facts = new_facts.get(part_id, facts[part_id])
        for part in changed:
            d_value, d_lower, d_upper = deltas[part]
            if None in (value, lower, upper) and (part == part_id or part_id in propagators[part].ancestors):
                return None  # an item with an unknown figure that this change reaches: evaluate the scenario in full
            if part == part_id:
                value, lower, upper = (EXACT.add(value, d_value), EXACT.add(lower, d_lower), EXACT.add(upper, d_upper))
                continue
            propagator = propagators[part]
            if part_id not in propagator.ancestors:
                continue
            if not _is_source(item_facts):
                q = propagator.content.get(part_id, ZERO)
                lower, upper = EXACT.add(lower, EXACT.multiply(q, d_lower)), EXACT.add(upper, EXACT.multiply(q, d_upper))
            if rolled_values[part_id][1] == "components":
                value = EXACT.add(value, EXACT.multiply(propagator.value.get(part_id, ZERO), d_value))
        annex1 = item["annex1"]
        unknown = None if upper is None or lower is None else EXACT.subtract(upper, lower)
        own_value = value if annex1 == "part2" else item_facts.unit_value
        decision = decide(annex1, item_facts.origin, technology.get(part_id, bool(base_technology[part_id])),
                          own_value, lower, unknown, pack.threshold, pack.inclusive, regime=pack.regime)
        in_force = any_in_force(pack.considered_limbs(annex1, decision.reasons, decision.open_limbs), states)
        rows[part_id] = {"part_id": part_id, "annex1": annex1, "status": pack.regime.outcomes.label(decision.status), "reasons": decision.reasons,
                         "ratio": ratio(lower, own_value) if annex1 == "part2" else None,
                         "ratio_upper": ratio(upper, own_value) if annex1 == "part2" and upper is not None else None,
                         "cn_part1_value": lower,
                         "value": own_value, "in_force": in_force}
    return rows
