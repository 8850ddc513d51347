"""The licence determination for every Annex 1 item of a BOM (core layer).

Applies MOFCOM Announcement No. 61 of 2025, Clause 1, as recorded in a
:class:`~bomcalc.core.rules.RulePack`, to the roll-up of :mod:`bomcalc.core.rollup`:

* ``china_origin`` (Clause 1(3)): the item's origin is CN;
* ``chinese_technology`` (Clause 1(2)): an item made outside China with Chinese rare-earth
  technology (``cn_technology`` true);
* ``de_minimis`` (Clause 1(1)): a Part 2 item made outside China whose China-origin Part 1
  content is 0.1% or more of its value, decided exactly as
  ``cn_part1_value >= threshold x value`` (``>`` if the pack says the line is not inclusive).

``status`` is ``licence_required`` when a reason holds; ``indeterminate`` when none holds but
one could (the item's origin is unknown; some reading of the unknown origins and Annex 1 statuses
reaches the threshold and another does not; a value is missing); else ``not_required``. ``in_force`` says whether at least one
limb that decides the status is in force on the as-of date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from .errors import WARNING, BomError, DataIssue
from .model import Bom
from .coverage import coverage as _coverage
from .suggestions import suggestion_policies
from .rollup import ALTERNATE_POLICIES, content_unknown, may_be_cn_part1, rollup, source_kind
from .rules import LimbState, RulePack, any_in_force, line_value, reaches_line
from .values import EXACT, ratio

REQUIRED = "licence_required"
INDETERMINATE = "indeterminate"
NOT_REQUIRED = "not_required"
STATUS_ORDER = {REQUIRED: 0, INDETERMINATE: 1, NOT_REQUIRED: 2}

#: Part 2 scope: only items listed as Part 2 ("materials", the text as reported), or also every
#: part or assembly containing one ("assemblies", the broader reading some advisers take).
PART2_SCOPES = ("materials", "assemblies")

#: Columns of :attr:`Evaluation.items`, in order.
ITEM_COLUMNS = (
    "part_id",  # part number as given
    "description",
    "annex1",  # "part1" or "part2" (as assessed)
    "annex1_basis",  # "listed", or "contains_part2" under the assemblies scope
    "origin",  # ISO alpha-2 or None (unknown)
    "value",  # Decimal [currency per unit] or None
    "value_basis",  # "unit_value" | "components" | None
    "cn_part1_value",  # Decimal [currency per unit]: China-origin Part 1 content, lower bound (the least any reading of the unknowns gives)
    "unknown_origin_part1_value",  # Decimal [currency per unit]: upper bound minus lower bound (what the unknown origins and Annex 1 statuses may add)
    "ratio",  # Decimal [share, 0-1]: cn_part1_value / value, for display
    "ratio_upper",  # Decimal [share, 0-1]: (cn + unknown) / value, for display
    "status",  # licence_required | indeterminate | not_required
    "reasons",  # tuple of limb ids that hold
    "open_limbs",  # tuple of limb ids that could still hold (indeterminate)
    "deciding_inputs",  # tuple of part ids whose unknown origin, Annex 1 status or missing value decides it
    "in_force",  # bool: a limb deciding the status is in force on the as-of date
    "force_note",  # words: which limbs, in force or why not
)


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate`: one row per Annex 1 item plus everything needed to trust it.

    ``coverage`` says how much of what decides the result is known (see
    :func:`bomcalc.core.coverage.coverage`); when its ``complete`` is False the result is a pair of
    bounds, not a final answer.
    """

    items: pd.DataFrame
    as_of: dt.date
    rule_pack: RulePack
    currency: str | None
    part2_scope: str
    limb_states: dict[str, LimbState]
    alternates: str
    issues: tuple[DataIssue, ...]
    warnings: tuple[str, ...]
    policies: dict[str, str]
    rolled: pd.DataFrame = field(repr=False)
    bom: Bom = field(repr=False)
    coverage: dict = field(default_factory=dict)

    def item(self, part_id: str) -> pd.Series:
        """The determination row of one item."""
        return self.items.set_index("part_id", drop=False).loc[part_id]

    def counts(self) -> dict[str, int]:
        """How many items of each status."""
        counts = self.items["status"].value_counts().to_dict()
        return {status: int(counts.get(status, 0)) for status in STATUS_ORDER}


def policies(rule_pack: RulePack, part2_scope: str, alternates: str = "conservative") -> dict[str, str]:
    """The named policies a result used, in words (for every output and report)."""
    comparison = ">=" if rule_pack.inclusive else ">"
    return {
        "threshold": f"China-origin Part 1 value {comparison} {rule_pack.threshold} x item value (exact decimal arithmetic)",
        "numerator": "value of each China-origin Part 1 input as bought (unit_value x quantity), rolled up through every level; supplier declarations replace the roll-up below the declared part",
        "denominator": "the Part 2 item's own unit_value; if blank, the rolled-up value of its components (value_basis = components)",
        "unknown_origin": "computed both ways: cn_part1_value is the least and cn_part1_value + unknown_origin_part1_value the most content any reading of the unknown origins gives (a Part 1 item of unknown origin counts the smaller, then the larger, of its own value as a China-origin item and its inputs' content); a result that depends on them is indeterminate",
        "undeclared_part2": "a Part 2 item with no BOM lines and no supplier declaration holds at least 0 and at most an unknown amount of China-origin Part 1 content: it is indeterminate until its BOM or a declaration is given",
        "unknown_annex1": "a part whose Annex 1 status is unknown (no annex1 column in any input that describes it, a cell saying unknown, or missing from the parts master) is never read as not listed: when its origin is CN or unknown it may be a China-origin Part 1 item, so it counts the smaller of its own value and its inputs' content in cn_part1_value and the larger in the upper bound; otherwise it passes its inputs up; the result's coverage says how many such parts there are",
        "part2_scope": {
            "materials": "materials: only items marked part2 are assessed under Clause 1(1)",
            "assemblies": "assemblies: items marked part2 and every part or assembly containing one are assessed under Clause 1(1)",
        }[part2_scope],
        "cn_technology": "blank cn_technology is read as 'not made with Chinese rare-earth technology'",
        "duplicate_lines": "repeated parent-child lines are summed",
        "alternates": {
            "conservative": "conservative: of alternative items for one position (alt_group), only the one with the most China-origin Part 1 content counts (the least value where a value is rolled up)",
            "probability": "probability: alternative items count in proportion to their usage probability",
            "primary": "primary: only the alternative item with the highest usage probability counts",
        }[alternates],
        "phantom": "phantom assemblies have no value of their own; their components count directly",
    }


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
            kind = source_kind(annex1, origin, node in declarations.index)
            node_known = True if known is None else bool(known.at[node])
            if node != item and may_be_cn_part1(annex1, origin, node_known):
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


def _force(status: str, limbs: list[str], states: dict[str, LimbState]) -> tuple[bool, str]:
    in_force = any_in_force(limbs, states)
    notes = "; ".join(f"{limb}: {states[limb].note}" for limb in limbs)
    if status == REQUIRED and not in_force:
        notes = f"would be required; {notes}"
    return in_force, notes


@dataclass(frozen=True)
class Decision:
    """The outcome of the three limbs for one item, before dates are applied."""

    status: str
    reasons: tuple[str, ...]
    open_limbs: tuple[str, ...]
    needs_value: bool = False
    needs_content: bool = False


def decide(annex1: str, origin: str | None, cn_technology: bool, value: Decimal | None, cn: Decimal | None,
           unknown: Decimal | None, threshold: Decimal, inclusive: bool = True) -> Decision:
    """Apply Announcement No. 61 Clause 1(1)-(3) to one Annex 1 item.

    ``value``, ``cn`` (China-origin Part 1 content) and ``unknown`` (content of unknown origin)
    are per unit [currency]; ``threshold`` a share (0.001). The de minimis test is exact:
    ``cn >= threshold x value`` (``>`` when not ``inclusive``). Limbs 1 and 2 apply to items made
    outside China; an item of unknown origin may still be caught by limb 3.
    """
    reasons: list[str] = []
    open_limbs: list[str] = []
    needs_value = needs_content = False
    made_in_china = origin == "CN"
    if made_in_china:
        reasons.append("china_origin")
    elif origin is None:
        open_limbs.append("china_origin")
    if cn_technology and not made_in_china:
        reasons.append("chinese_technology")
    if annex1 == "part2" and not made_in_china:
        if value is None or value == 0:
            open_limbs.append("de_minimis")
            needs_value = True
        else:
            line = line_value(threshold, value)
            if cn is not None and reaches_line(cn, line, inclusive):
                reasons.append("de_minimis")
            elif cn is None or unknown is None or reaches_line(EXACT.add(cn, unknown), line, inclusive):
                open_limbs.append("de_minimis")
                needs_content = True
    if reasons:
        return Decision(REQUIRED, tuple(reasons), ())
    if open_limbs:
        return Decision(INDETERMINATE, (), tuple(open_limbs), needs_value, needs_content)
    return Decision(NOT_REQUIRED, (), ())


def _items_table(rows: list[dict]) -> pd.DataFrame:
    """The item rows as the documented table: required first, then by ratio (largest first), then id."""
    items = pd.DataFrame(rows, columns=list(ITEM_COLUMNS), dtype=object)
    if len(items):
        order = items["status"].map(STATUS_ORDER)
        sort_ratio = items["ratio"].map(lambda r: -r if r is not None else Decimal(1))
        items = (
            items.assign(_order=order, _ratio=sort_ratio)
            .sort_values(["_order", "_ratio", "part_id"], kind="stable")
            .drop(columns=["_order", "_ratio"])
            .reset_index(drop=True)
        )
    return items


def _zero_value_issues(rows: list[dict]) -> list[DataIssue]:
    """A warning for each Part 2 item whose value is 0: the de minimis test cannot be applied to it."""
    return [
        DataIssue(WARNING, "zero_value", "Part 2 item with value 0: the 0.1% test cannot be applied", part_id=row["part_id"])
        for row in rows
        if row["annex1"] == "part2" and row["value"] is not None and row["value"] == 0
    ]


def evaluate(
    bom: Bom, rule_pack: RulePack, as_of: dt.date, part2_scope: str = "materials", alternates: str = "conservative"
) -> Evaluation:
    """Determine, for every Annex 1 item of ``bom``, whether its export needs a licence.

    ``as_of`` is the date the rule is applied on; ``part2_scope`` one of :data:`PART2_SCOPES`;
    ``alternates`` one of :data:`~bomcalc.core.rollup.ALTERNATE_POLICIES`.
    Applies Announcement No. 61 Clause 1(1)-(3) as described in this module's docstring.
    """
    if part2_scope not in PART2_SCOPES:
        raise BomError(f"part2 scope must be one of {', '.join(PART2_SCOPES)}, not '{part2_scope}'")
    if alternates not in ALTERNATE_POLICIES:
        raise BomError(f"alternates policy must be one of {', '.join(ALTERNATE_POLICIES)}, not '{alternates}'")
    rolled = rollup(bom, alternates)
    states = rule_pack.limb_states(as_of)
    parts = bom.parts
    extra = _contains_part2(bom) if part2_scope == "assemblies" else set()

    rows = []
    column = {name: parts[name].to_dict() for name in ("annex1", "origin", "cn_technology", "description", "unit_value")}
    rolled_column = {name: rolled[name].to_dict() for name in ("value", "value_basis", "cn_part1_value", "unknown_origin_part1_value")}
    for part_id in parts.index:
        listed = column["annex1"][part_id]
        if listed is None and part_id not in extra:
            continue
        annex1 = listed or "part2"
        origin = column["origin"][part_id]
        value, cn = rolled_column["value"][part_id], rolled_column["cn_part1_value"][part_id]
        unknown = rolled_column["unknown_origin_part1_value"][part_id]
        decision = decide(annex1, origin, bool(column["cn_technology"][part_id]), value, cn, unknown,
                          rule_pack.threshold, rule_pack.inclusive)
        status, reasons, open_limbs = decision.status, list(decision.reasons), list(decision.open_limbs)
        needs_value, needs_content = decision.needs_value, decision.needs_content
        deciding = _deciding_inputs(bom, part_id, needs_value, needs_content) if status == INDETERMINATE else ()
        if status == INDETERMINATE and "china_origin" in open_limbs:
            deciding = (part_id,) + deciding
        considered = rule_pack.considered_limbs(annex1, reasons, open_limbs)
        in_force, note = _force(status, considered, states)
        upper = None if cn is None or unknown is None else EXACT.add(cn, unknown)
        rows.append(
            {
                "part_id": part_id,
                "description": column["description"][part_id],
                "annex1": annex1,
                "annex1_basis": "listed" if listed else "contains_part2",
                "origin": origin,
                "value": value if annex1 == "part2" else column["unit_value"][part_id],
                "value_basis": rolled_column["value_basis"][part_id] if annex1 == "part2" else ("unit_value" if column["unit_value"][part_id] is not None else None),
                "cn_part1_value": cn,
                "unknown_origin_part1_value": unknown,
                "ratio": ratio(cn, value) if annex1 == "part2" else None,
                "ratio_upper": ratio(upper, value) if annex1 == "part2" else None,
                "status": status,
                "reasons": tuple(reasons),
                "open_limbs": tuple(open_limbs),
                "deciding_inputs": deciding,
                "in_force": in_force,
                "force_note": note,
            }
        )
    items = _items_table(rows)
    issues = list(bom.issues) + _zero_value_issues(rows)
    warnings = tuple(w for w in [rule_pack.staleness_warning(as_of)] if w)
    return Evaluation(
        items=items,
        as_of=as_of,
        rule_pack=rule_pack,
        currency=bom.currency,
        part2_scope=part2_scope,
        limb_states=states,
        alternates=alternates,
        issues=tuple(issues),
        warnings=warnings,
        policies={**policies(rule_pack, part2_scope, alternates), **suggestion_policies(bom)},
        rolled=rolled,
        bom=bom,
        coverage=_coverage(bom, items),
    )
