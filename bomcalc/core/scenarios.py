"""What-if sourcing scenarios applied to copies of a BOM, and their comparison (core layer).

A :class:`Scenario` is a name and a list of :class:`Change` records: set a part's ``origin``,
``unit_value``, ``cn_technology`` or ``annex1``; set or remove a supplier declaration;
substitute a part by another everywhere or under given parents; change or remove a BOM line;
change the as-of date or the threshold. :func:`apply_scenario` returns a new :class:`Bom`; the
baseline is never modified. A change naming an unknown part or line is a
:class:`~bomcalc.core.errors.ScenarioError` naming the scenario and the change, and nothing is
applied halfway.

:func:`compare` evaluates many scenarios against one baseline. Scenarios that only change
values, origins, technology flags or declarations of parts share the baseline roll-up: the
roll-up is linear in the content and value of each part, so a change at part ``p`` moves
every item above it by ``extended quantity x change``, with the extended quantities computed
once per changed part for all scenarios (:class:`_Propagator`). Every other scenario (and any
case where that linearity does not hold: nested changes, alternative items resolved by value,
an unknown-origin Part 1 item above the change) is re-evaluated in full. Both ways are exact
and give the same result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx
import pandas as pd

from .determine import Evaluation, decide, evaluate
from .errors import ScenarioError
from .model import Bom
from .rollup import ZERO, PartFacts, line_weights, may_be_cn_part1, part_facts, rollup_node, source_kind
from .rules import RulePack
from .values import EXACT, part_id_text, ratio, to_bool, to_country, to_date, to_decimal, to_text

SETTABLE = ("origin", "unit_value", "cn_technology", "annex1")


@dataclass(frozen=True)
class Change:
    """One change of a scenario. ``text`` is the change as written, for messages."""

    kind: str
    part: str | None = None
    values: tuple[tuple[str, object], ...] = ()
    with_part: str | None = None
    under: tuple[str, ...] = ()
    parent: str | None = None
    child: str | None = None
    qty: Decimal | None = None
    cn_part1_value: Decimal | None = None
    unknown_origin_part1_value: Decimal | None = None
    source: str = ""
    date: dt.date | None = None
    threshold: Decimal | None = None
    text: str = ""


@dataclass(frozen=True)
class Scenario:
    """A named list of changes to a baseline."""

    name: str
    changes: tuple[Change, ...]
    description: str = ""

    @property
    def as_of(self) -> dt.date | None:
        """The as-of date this scenario sets, if any."""
        dates = [c.date for c in self.changes if c.kind == "as_of"]
        return dates[-1] if dates else None

    @property
    def threshold(self) -> Decimal | None:
        """The threshold this scenario sets, if any."""
        values = [c.threshold for c in self.changes if c.kind == "threshold"]
        return values[-1] if values else None


def _fail(scenario: str, number: int, change_text: str, message: str) -> ScenarioError:
    return ScenarioError(f"scenario '{scenario}', change {number} ({change_text}): {message}")


def _number(value, what: str) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError:
        number = None
    if number is None:
        raise ValueError(f"{what} must be a number, found {value!r}")
    return number


def parse_change(raw: dict, scenario: str, number: int) -> Change:
    """One change from its TOML/sheet form (see the README for every form)."""
    text = ", ".join(f"{k} = {v!r}" for k, v in raw.items())
    try:
        keys = set(raw)
        if "set" in keys:
            values = raw["set"]
            if not isinstance(values, dict) or not values:
                raise ValueError("set needs a table of fields, e.g. set = { origin = \"JP\" }")
            unknown = set(values) - set(SETTABLE)
            if unknown:
                raise ValueError(f"cannot set {', '.join(sorted(unknown))}; settable: {', '.join(SETTABLE)}")
            clean = []
            for name, value in values.items():
                if name == "origin":
                    code, note = to_country(value)
                    if code is None and to_text(value) not in (None, "unknown"):
                        raise ValueError(f"origin {value!r} is not a country code")
                    clean.append((name, code))
                elif name == "unit_value":
                    number = None if to_text(value) is None else _number(value, "unit_value")
                    if number is not None and number < 0:
                        raise ValueError("unit_value must be 0 or more")
                    clean.append((name, number))
                elif name == "cn_technology":
                    clean.append((name, bool(to_bool(value))))
                else:
                    label = to_text(value)
                    if label not in (None, "part1", "part2"):
                        raise ValueError(f"annex1 must be part1, part2 or blank, found {value!r}")
                    clean.append((name, label))
            return Change("set", part=_required(raw, "part"), values=tuple(clean), text=text)
        if "declare" in keys:
            declared = raw["declare"]
            return Change(
                "declare",
                part=_required(raw, "part"),
                cn_part1_value=_number(declared.get("cn_part1_value"), "cn_part1_value"),
                unknown_origin_part1_value=_number(declared.get("unknown_origin_part1_value", 0), "unknown_origin_part1_value"),
                source=str(declared.get("source", f"scenario {scenario}")),
                text=text,
            )
        if "undeclare" in keys:
            return Change("undeclare", part=_required(raw, "part"), text=text)
        if "substitute" in keys:
            under = raw.get("under", ())
            under = tuple(_id(u) for u in ((under,) if isinstance(under, str) else under))
            return Change("substitute", part=_id(raw["substitute"]), with_part=_required(raw, "with"), under=under, text=text)
        if "parent" in keys and "child" in keys:
            if raw.get("remove"):
                return Change("remove_line", parent=_id(raw["parent"]), child=_id(raw["child"]), text=text)
            qty = _number(raw.get("qty"), "qty")
            if qty <= 0:
                raise ValueError("qty must be greater than 0 (use remove = true to remove the line)")
            return Change("qty", parent=_id(raw["parent"]), child=_id(raw["child"]), qty=qty, text=text)
        if "as_of" in keys:
            value = raw["as_of"]
            date = to_date(value)
            if date is None:
                raise ValueError("as_of needs a date, written YYYY-MM-DD")
            return Change("as_of", date=date, text=text)
        if "threshold" in keys:
            share = _number(raw["threshold"], "threshold")
            if not 0 < share < 1:
                raise ValueError("threshold is a share between 0 and 1, e.g. 0.001 for 0.1%")
            return Change("threshold", threshold=share, text=text)
    except (ValueError, TypeError, KeyError) as exc:
        raise _fail(scenario, number, text, str(exc)) from None
    raise _fail(scenario, number, text, "not a change bomcalc knows; use set, declare, undeclare, substitute, "
                "parent/child with qty or remove, as_of or threshold")


def _required(raw: dict, key: str) -> str:
    if to_text(raw.get(key)) is None:
        raise ValueError(f"'{key}' is missing")
    return _id(raw[key])


def _id(cell) -> str:
    """A part id as every reader reads it (:func:`~bomcalc.core.values.part_id_text`)."""
    return part_id_text(cell) or str(cell)


def parse_scenarios(entries: list[dict]) -> tuple[Scenario, ...]:
    """Scenarios from their parsed form: ``[{"name": ..., "changes": [...]}, ...]``."""
    scenarios, names = [], set()
    for position, entry in enumerate(entries, start=1):
        name = to_text(entry.get("name")) or f"scenario {position}"
        if name in names:
            raise ScenarioError(f"scenario '{name}' is defined twice; give each scenario its own name")
        names.add(name)
        changes = entry.get("changes", [])
        if not changes:
            raise ScenarioError(f"scenario '{name}' has no changes")
        scenarios.append(Scenario(name, tuple(parse_change(c, name, i) for i, c in enumerate(changes, start=1)),
                                  str(entry.get("description", ""))))
    return tuple(scenarios)


# --- applying -------------------------------------------------------------------------------


def _check_part(bom: Bom, part: str, scenario: Scenario, number: int, change: Change) -> None:
    if part not in bom.parts.index:
        raise _fail(scenario.name, number, change.text, f"part '{part}' is not in the BOM")


def apply_scenario(bom: Bom, scenario: Scenario) -> Bom:
    """A new :class:`Bom` with the scenario's part, declaration and line changes applied.

    The as-of date and threshold changes are not BOM changes: :func:`compare` applies them.
    """
    parts = bom.parts.copy()
    declarations = bom.declarations.copy()
    lines = {(line.parent, line.child): dict(line._asdict()) for line in bom.lines.drop(columns=[], errors="ignore").itertuples(index=False)}
    for number, change in enumerate(scenario.changes, start=1):
        if change.kind == "set":
            _check_part(bom, change.part, scenario, number, change)
            for name, value in change.values:
                parts.at[change.part, name] = value
                if name == "annex1" and "annex1_known" in parts.columns:
                    parts.at[change.part, "annex1_known"] = True
        elif change.kind == "declare":
            _check_part(bom, change.part, scenario, number, change)
            record = {"part_id": change.part, "cn_part1_value": change.cn_part1_value,
                      "unknown_origin_part1_value": change.unknown_origin_part1_value, "currency": bom.currency,
                      "cn_technology": None, "source": change.source, "row": None, "file": None, "sheet": None}
            declarations = pd.concat(
                [declarations.drop(index=[change.part], errors="ignore"),
                 pd.DataFrame([record], dtype=object).set_index(pd.Index([change.part]))]
            )
        elif change.kind == "undeclare":
            _check_part(bom, change.part, scenario, number, change)
            if change.part not in declarations.index:
                raise _fail(scenario.name, number, change.text, f"part '{change.part}' has no declaration to remove")
            declarations = declarations.drop(index=[change.part])
        elif change.kind == "substitute":
            _check_part(bom, change.part, scenario, number, change)
            _check_part(bom, change.with_part, scenario, number, change)
            for parent in change.under:
                _check_part(bom, parent, scenario, number, change)
            hits = [key for key in lines if key[1] == change.part and (not change.under or key[0] in change.under)]
            if not hits:
                where = f" under {', '.join(change.under)}" if change.under else ""
                raise _fail(scenario.name, number, change.text, f"part '{change.part}' is not used{where}")
            for key in hits:
                line = lines.pop(key)
                new_key = (key[0], change.with_part)
                if new_key in lines:
                    lines[new_key]["qty"] = EXACT.add(lines[new_key]["qty"], line["qty"])
                else:
                    lines[new_key] = {**line, "child": change.with_part}
        elif change.kind in ("qty", "remove_line"):
            key = (change.parent, change.child)
            if key not in lines:
                raise _fail(scenario.name, number, change.text, f"there is no line {change.parent} -> {change.child}")
            if change.kind == "qty":
                lines[key] = {**lines[key], "qty": change.qty}
            else:
                del lines[key]
    graph = nx.DiGraph()
    graph.add_nodes_from(parts.index)
    graph.add_edges_from((p, c, {"qty": line["qty"], "alt_group": line.get("alt_group"),
                                  "usage_probability": line.get("usage_probability")}) for (p, c), line in lines.items())
    if not nx.is_directed_acyclic_graph(graph):
        cycle = " -> ".join(edge[0] for edge in nx.find_cycle(graph))
        raise ScenarioError(f"scenario '{scenario.name}' makes the BOM cyclic ({cycle}); check the substitutions")
    lines_frame = pd.DataFrame(list(lines.values()), columns=list(bom.lines.columns), dtype=object)
    return dataclasses.replace(bom, parts=parts, lines=lines_frame, declarations=declarations, graph=graph)


# --- comparing ------------------------------------------------------------------------------

COMPARISON_COLUMNS = (
    "scenario", "part_id", "annex1", "baseline_status", "status", "flipped", "direction",
    "baseline_ratio", "ratio", "delta_ratio", "baseline_cn_part1_value", "cn_part1_value", "delta_cn_part1_value",
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
    if after == "licence_required":
        return "to_required"
    if after == "not_required":
        return "to_free"
    return "other"


def _rows(scenario: Scenario, base: dict[str, dict], rows: dict[str, dict]) -> pd.DataFrame:
    out = []
    for part_id in list(base) + [p for p in rows if p not in base]:
        before, after = base.get(part_id), rows.get(part_id)
        before_status = before["status"] if before is not None else "not_assessed"
        after_status = after["status"] if after is not None else "not_assessed"
        get = lambda row, key: row[key] if row is not None else None  # noqa: E731
        b_ratio, a_ratio = get(before, "ratio"), get(after, "ratio")
        b_cn, a_cn = get(before, "cn_part1_value"), get(after, "cn_part1_value")
        out.append({
            "scenario": scenario.name, "part_id": part_id, "annex1": get(after, "annex1") or get(before, "annex1"),
            "baseline_status": before_status, "status": after_status, "flipped": before_status != after_status,
            "direction": _direction(before_status, after_status),
            "baseline_ratio": b_ratio, "ratio": a_ratio,
            "delta_ratio": None if a_ratio is None or b_ratio is None else a_ratio - b_ratio,
            "baseline_cn_part1_value": b_cn, "cn_part1_value": a_cn,
            "delta_cn_part1_value": None if a_cn is None or b_cn is None else EXACT.subtract(a_cn, b_cn),
            "baseline_value": get(before, "value"), "value": get(after, "value"),
            "reasons": get(after, "reasons") or (), "in_force": get(after, "in_force"),
        })
    return pd.DataFrame(out, columns=list(COMPARISON_COLUMNS), dtype=object)


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

    def __init__(self, bom: Bom, facts: dict[str, PartFacts], rolled_values: dict, part: str, alternates: str):
        graph = bom.graph
        self.ancestors = nx.ancestors(graph, part)
        order = list(nx.topological_sort(graph.subgraph(self.ancestors | {part})))
        content: dict[str, Decimal] = {part: Decimal(1)}
        value: dict[str, Decimal] = {part: Decimal(1)}
        self.linear = True
        for node in reversed(order):
            if node == part:
                continue
            node_facts = facts[node]
            children = graph.succ[node]
            if any(attributes.get("alt_group") is not None for attributes in children.values()) and alternates == "conservative":
                self.linear = False  # which alternative counts depends on the values
            if may_be_cn_part1(node_facts.annex1, node_facts.origin, node_facts.annex1_known) and children:
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
    return source_kind(facts.annex1, facts.origin, facts.declared is not None) is not None


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
    facts = part_facts(bom)
    rolled = baseline.rolled
    rolled_values = {p: (v, b, lo, hi) for p, v, b, lo, hi in zip(rolled.index, rolled["value"], rolled["value_basis"],
                                                               rolled["cn_part1_value"], rolled["cn_part1_upper"])}
    propagators: dict[str, _Propagator] = {}
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
            rows = _shared_rows(bom, scenario, facts, rolled_values, propagators, pack, date, base_rows, technology, alternates)
        if rows is None:
            evaluation = evaluate(apply_scenario(bom, scenario), pack, date, part2_scope, alternates)
            rows = {row["part_id"]: row for row in evaluation.items.to_dict("records")}
            method = "full evaluation"
        else:
            method = "shared roll-up"
        results.append(ScenarioResult(scenario, _rows(scenario, base_rows, rows), date, pack.threshold, method))
    return Comparison(baseline, tuple(results))


def _shared_rows(bom, scenario, facts, rolled_values, propagators, pack, date, base_rows, base_technology, alternates):
    """Item rows of a local scenario from the baseline roll-up and per-part deltas; ``None`` to fall back."""
    changed = sorted({c.part for c in scenario.changes if c.part is not None})
    for part in changed:
        if part not in propagators:
            propagators[part] = _Propagator(bom, facts, rolled_values, part, alternates)
        if not propagators[part].linear:
            return None
    if any(other in propagators[part].ancestors for part in changed for other in changed if other != part):
        return None  # nested changes do not add up
    value_of = {p: v[0] for p, v in rolled_values.items()}
    lower_of = {p: v[2] for p, v in rolled_values.items()}
    upper_of = {p: v[3] for p, v in rolled_values.items()}
    deltas = {}
    new_facts = {}
    for part in changed:
        updated = _new_facts(facts[part], scenario, part)
        new_facts[part] = updated
        value, basis, lower, upper = rollup_node(updated, bom.graph.succ[part], value_of, lower_of, upper_of, alternates)
        old = rolled_values[part]
        if None in (value, lower, upper, old[0], old[2], old[3]) or basis != old[1]:
            return None
        deltas[part] = (EXACT.subtract(value, old[0]), EXACT.subtract(lower, old[2]), EXACT.subtract(upper, old[3]))
    technology = {c.part: dict(c.values)["cn_technology"] for c in scenario.changes
                  if c.kind == "set" and "cn_technology" in dict(c.values)}
    states = pack.limb_states(date)
    applicable = {level: [limb.id for limb in pack.limbs if level in limb.applies_to] for level in ("part1", "part2")}
    rows = {}
    for part_id, item in base_rows.items():
        value, lower, upper = rolled_values[part_id][0], rolled_values[part_id][2], rolled_values[part_id][3]
        item_facts = new_facts.get(part_id, facts[part_id])
        for part in changed:
            d_value, d_lower, d_upper = deltas[part]
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
        unknown = EXACT.subtract(upper, lower)
        own_value = value if annex1 == "part2" else item_facts.unit_value
        decision = decide(annex1, item_facts.origin, technology.get(part_id, bool(base_technology[part_id])),
                          own_value, lower, unknown, pack.threshold, pack.inclusive)
        considered = list(decision.reasons or decision.open_limbs or applicable[annex1])
        in_force = any(states[limb].in_force for limb in considered)
        rows[part_id] = {"part_id": part_id, "annex1": annex1, "status": decision.status, "reasons": decision.reasons,
                         "ratio": ratio(lower, own_value) if annex1 == "part2" else None, "cn_part1_value": lower,
                         "value": own_value, "in_force": in_force}
    return rows
