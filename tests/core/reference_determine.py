"""The determination as it was computed before the array roll-up: the exact reference (tests only).

Every figure from :func:`bomcalc.core.rollup.rollup` (the Decimal roll-up, one part at a time),
every status from :func:`bomcalc.core.determine.decide` on those figures, and the deciding inputs
from a walk down each indeterminate item's sub-BOM. ``tests/core/test_array_rollup.py`` checks
that :func:`bomcalc.core.determine.evaluate` gives the same table.
"""

from __future__ import annotations

from bomcalc.core.determine import INDETERMINATE, _force, _items_table, decide
from bomcalc.core.model import Bom
from bomcalc.core.regime import project
from bomcalc.core.rollup import content_unknown, may_be_cn_part1, rollup, source_kind
from bomcalc.core.values import EXACT, ratio


def _contains_part2(bom: Bom) -> set[str]:
    annex1 = bom.parts["annex1"].to_dict()
    succ = bom.graph.succ
    contains: dict[str, bool] = {}
    for part_id in reversed(bom.topological_order):
        contains[part_id] = any(annex1[c] == "part2" or contains[c] for c in succ[part_id])
    return {p for p, flag in contains.items() if flag and annex1[p] != "part2"}


def _deciding_inputs(bom: Bom, item: str, needs_value: bool, needs_content: bool) -> tuple[str, ...]:
    """Parts below ``item`` whose unknown origin, unknown Annex 1 status or missing value leaves it undecided."""
    parts = bom.parts
    known = parts["annex1_known"] if "annex1_known" in parts.columns else None
    declarations = bom.declarations
    found: set[str] = set()
    succ = bom.graph.succ
    if needs_content:
        stack, seen = [item], {item}
        while stack:
            node = stack.pop()
            annex1, origin = parts.at[node, "annex1"], parts.at[node, "origin"]
            kind = source_kind(annex1, origin, node in declarations.index, bom.content_origin)
            node_known = True if known is None else bool(known.at[node])
            if node != item and may_be_cn_part1(annex1, origin, node_known, bom.content_origin):
                found.add(node)  # it may be a China-origin Part 1 item itself, declared or not
            if kind == "declaration":
                declared_cn = declarations.at[node, "cn_part1_value"]
                declared_unknown = declarations.at[node, "unknown_origin_part1_value"]
                if declared_cn is None or declared_unknown is None or declared_unknown > 0:
                    found.add(node)
                continue
            if kind == "china_origin_part1":
                if parts.at[node, "unit_value"] is None:
                    found.add(node)
                continue
            if content_unknown(annex1, bool(succ[node]), False):
                found.add(node)  # no BOM and no declaration: its own content is unknown
            for child in succ[node]:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
    if needs_value:
        stack, seen = [item], {item}
        while stack:
            node = stack.pop()
            if parts.at[node, "unit_value"] is not None:
                continue
            if not succ[node]:
                found.add(node)
            for child in succ[node]:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
    return tuple(sorted(found))


def reference_evaluation(bom: Bom, rule_pack, as_of, part2_scope: str = "materials", alternates: str = "conservative"):
    """``(items, rolled)`` as :func:`bomcalc.core.determine.evaluate` computed them with the Decimal roll-up."""
    regime = rule_pack.regime
    bom = project(bom, regime)
    rolled = rollup(bom, alternates)
    states = rule_pack.limb_states(as_of)
    parts = bom.parts
    extra = _contains_part2(bom) if part2_scope == "assemblies" and regime.assessed == "listed" else set()
    extra |= set(bom.assessed_open)
    rows = []
    column = {name: parts[name].to_dict() for name in ("annex1", "origin", "cn_technology", "description", "unit_value")}
    rolled_column = {name: rolled[name].to_dict() for name in ("value", "value_basis", "cn_part1_value", "unknown_origin_part1_value")}
    for part_id in parts.index:
        listed = column["annex1"][part_id]
        if not (listed and rule_pack.applicable_limbs(listed)) and part_id not in extra:
            continue
        annex1 = listed or "part2"
        origin = column["origin"][part_id]
        value, cn = rolled_column["value"][part_id], rolled_column["cn_part1_value"][part_id]
        unknown = rolled_column["unknown_origin_part1_value"][part_id]
        decision = decide(annex1, origin, bool(column["cn_technology"][part_id]), value, cn, unknown,
                          rule_pack.threshold, rule_pack.inclusive, regime=regime)
        status, reasons, open_limbs = decision.status, list(decision.reasons), list(decision.open_limbs)
        deciding = (_deciding_inputs(bom, part_id, decision.needs_value, decision.needs_content)
                    if status == INDETERMINATE else ())
        if status == INDETERMINATE and regime.limb_roles["origin"] in open_limbs:
            deciding = (part_id,) + deciding
        considered = rule_pack.considered_limbs(annex1, reasons, open_limbs)
        in_force, note = _force(status, considered, states)
        upper = None if cn is None or unknown is None else EXACT.add(cn, unknown)
        rows.append({
            "part_id": part_id,
            "description": column["description"][part_id],
            "annex1": annex1,
            "annex1_basis": "listed" if listed else ("assessed" if part_id in bom.assessed_open else "contains_part2"),
            "origin": origin,
            "value": value if annex1 == "part2" else column["unit_value"][part_id],
            "value_basis": rolled_column["value_basis"][part_id] if annex1 == "part2" else (
                "unit_value" if column["unit_value"][part_id] is not None else None),
            "cn_part1_value": cn,
            "unknown_origin_part1_value": unknown,
            "ratio": ratio(cn, value) if annex1 == "part2" else None,
            "ratio_upper": ratio(upper, value) if annex1 == "part2" else None,
            "status": regime.outcomes.label(status),
            "reasons": tuple(reasons),
            "open_limbs": tuple(open_limbs),
            "deciding_inputs": deciding,
            "in_force": in_force,
            "force_note": note,
        })
    return _items_table(rows, regime.outcomes), rolled
