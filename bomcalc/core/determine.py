"""The determination for every assessed item of a BOM (core layer).

Applies the rule recorded in a :class:`~bomcalc.core.rules.RulePack` to the roll-up of
:mod:`bomcalc.core.rollup`. The pack's :class:`~bomcalc.core.regime.Regime` says which parts
count as content and which items are assessed (:func:`~bomcalc.core.regime.project`), and which
of its limbs plays each role:

* the origin limb: the item's own origin is the pack's content origin;
* the technology limb (when the pack has one): an item made elsewhere with ``cn_technology`` true;
* the de minimis limb: an assessed item made elsewhere whose content reaches the line, decided
  exactly as ``content >= threshold x value`` (``>`` when the pack's line is not inclusive).

The status has one of three meanings (:data:`~bomcalc.core.regime.MEANINGS`): required when a
reason holds; indeterminate when none holds but one could (the item's origin is unknown; some
reading of the unknown origins and statuses reaches the line and another does not; a value is
missing); else not required. The ``status`` column holds the pack's label for the meaning
(:class:`~bomcalc.core.regime.Outcomes`). ``in_force`` says whether at least one limb that
decides the status is in force on the as-of date.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .errors import WARNING, BomError, DataIssue
from .model import Bom
from .coverage import coverage as _coverage
from .suggestions import suggestion_policies
from .array_rollup import ExactRollup, float_rollup, screen
from .deciding import DecidingInputs, contains_any
from .rollup import ALTERNATE_POLICIES
from .regime import STATUS_ORDER, Regime, for_destination, project  # noqa: F401  (STATUS_ORDER: every label's order)
from .rules import LimbState, RulePack, any_in_force, line_value, reaches_line
from .values import EXACT, ratio

#: The meanings of a status (:data:`~bomcalc.core.regime.MEANINGS`); a table's ``status`` holds the pack's label for one.
REQUIRED, INDETERMINATE, NOT_REQUIRED = "required", "indeterminate", "not_required"

#: Part 2 scope: only items listed as Part 2 ("materials", the text as reported), or also every
#: part or assembly containing one ("assemblies", the broader reading some advisers take).
PART2_SCOPES = ("materials", "assemblies")

#: Columns of :attr:`Evaluation.items`, in order.
ITEM_COLUMNS = (
    "part_id",  # part number as given
    "description",
    "annex1",  # "part1" or "part2" (as assessed)
    "annex1_basis",  # "listed"; "contains_part2" under the assemblies scope; "assessed": assessed, of unknown origin, and possibly content of what contains it
    "origin",  # ISO alpha-2 or None (unknown)
    "value",  # Decimal [currency per unit] or None
    "value_basis",  # "unit_value" | "components" | None
    "cn_part1_value",  # Decimal [currency per unit]: China-origin Part 1 content, lower bound (the least any reading of the unknowns gives)
    "unknown_origin_part1_value",  # Decimal [currency per unit]: upper bound minus lower bound (what the unknown origins and Annex 1 statuses may add)
    "ratio",  # Decimal [share, 0-1]: cn_part1_value / value, for display
    "ratio_upper",  # Decimal [share, 0-1]: (cn + unknown) / value, for display
    "status",  # the pack's label ([outcomes]) for required | indeterminate | not_required
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
    bounds, not a final answer. ``rolled`` is the roll-up table of every part
    (:func:`bomcalc.core.rollup.rollup`), computed exactly on first use from ``exact``.
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
    exact: ExactRollup = field(repr=False, compare=False)
    bom: Bom = field(repr=False)
    coverage: dict = field(default_factory=dict)

    @property
    def rolled(self) -> pd.DataFrame:
        """Per-unit value and China-origin Part 1 content of every part (see :func:`bomcalc.core.rollup.rollup`)."""
        return self.exact.table()

    @functools.cached_property
    def _items_by_id(self) -> pd.DataFrame:
        return self.items.set_index("part_id", drop=False)

    def item(self, part_id: str) -> pd.Series:
        """The determination row of one item."""
        return self._items_by_id.loc[part_id]

    @property
    def outcomes(self):
        """The pack's status labels and words (:class:`~bomcalc.core.regime.Outcomes`)."""
        return self.rule_pack.regime.outcomes

    def meaning(self, status: str) -> str:
        """The meaning (:data:`REQUIRED`, :data:`INDETERMINATE`, :data:`NOT_REQUIRED`) of a status label."""
        return self.outcomes.meaning(status)

    def counts(self) -> dict[str, int]:
        """How many items of each status, keyed by the pack's labels, required first."""
        counts = self.items["status"].value_counts().to_dict()
        return {status: int(counts.get(status, 0)) for status in self.outcomes.order()}


def policies(rule_pack: RulePack, part2_scope: str, alternates: str = "conservative") -> dict[str, str]:
    """The named policies a result used, in words (for every output and report)."""
    comparison = ">=" if rule_pack.inclusive else ">"
    regime = rule_pack.regime
    destination = {"destination": regime.threshold_note} if regime.threshold_note else {}
    return {
        "threshold": f"{regime.content_words or 'content'} {comparison} {rule_pack.threshold} x item value (exact decimal arithmetic)",
        **destination,
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
    arrays = bom.arrays
    part2 = np.array([a == "part2" for a in bom.parts["annex1"]], dtype=bool)
    contains = contains_any(arrays, part2) & ~part2
    return {arrays.ids[i] for i in np.flatnonzero(contains)}


def _reported(annex1: np.ndarray, position: dict, assessed: dict, extra: set) -> np.ndarray:
    """The parts reported, as indices in BOM order: those whose role (``annex1``, one per part) is
    ``assessed``, and those in ``extra``."""
    chosen = np.zeros(len(annex1), dtype=bool)
    for role, counts in assessed.items():
        if counts:
            chosen |= np.asarray(annex1 == role, dtype=bool)
    chosen[[position[p] for p in extra if p in position]] = True
    return np.flatnonzero(chosen)


def _force(status: str, limbs: list[str], states: dict[str, LimbState]) -> tuple[bool, str]:
    """Whether a limb deciding the item is in force, and the note; ``status`` is a meaning."""
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
           unknown: Decimal | None, threshold: Decimal, inclusive: bool = True, *, regime: Regime) -> Decision:
    """Apply the limbs of ``regime`` to one assessed item (``annex1`` its role).

    ``value``, ``cn`` (content counted) and ``unknown`` (content that may count) are per unit
    [currency]; ``threshold`` a share (0.001). The de minimis test is exact: ``cn >= threshold x
    value`` (``>`` when not ``inclusive``: "exceeds"). The technology and de minimis limbs apply
    to items made outside the content origin; an item of unknown origin may still be caught by
    the origin limb.
    """
    value_usable = value is not None and value != 0
    reaches = open_content = False
    if annex1 == "part2" and origin != regime.content_origin and value_usable:
        line = line_value(threshold, value)
        reaches = cn is not None and reaches_line(cn, line, inclusive)
        open_content = not reaches and (
            cn is None or unknown is None or reaches_line(EXACT.add(cn, unknown), line, inclusive))
    return decide_limbs(annex1, origin, cn_technology, value_usable, reaches, open_content, regime=regime)


def decide_limbs(annex1: str, origin: str | None, cn_technology: bool, value_usable: bool, reaches: bool,
                 open_content: bool, *, regime: Regime) -> Decision:
    """:func:`decide` given the outcome of the de minimis test (Clause 1(1)) of a Part 2 item.

    ``value_usable``: the item's value is known and not 0; ``reaches``: its least China-origin
    Part 1 content reaches the line; ``open_content``: it does not, but a missing figure or the
    most content may. The one definition of how the limbs combine, whether the test was made
    exactly (:func:`decide`) or settled by the float screen
    (:func:`bomcalc.core.array_rollup.screen`).
    """
    reasons: list[str] = []
    open_limbs: list[str] = []
    needs_value = needs_content = False
    roles = regime.limb_roles
    made_at_home = origin == regime.content_origin
    if roles["origin"] and made_at_home:
        reasons.append(roles["origin"])
    elif roles["origin"] and origin is None:
        open_limbs.append(roles["origin"])
    if roles["technology"] and cn_technology and not made_at_home:
        reasons.append(roles["technology"])
    minimis = roles["de_minimis"]
    if annex1 == "part2" and not made_at_home:
        if not value_usable:
            open_limbs.append(minimis)
            needs_value = True
        elif reaches:
            reasons.append(minimis)
        elif open_content:
            open_limbs.append(minimis)
            needs_content = True
    if reasons:
        return Decision(REQUIRED, tuple(reasons), ())
    if open_limbs:
        return Decision(INDETERMINATE, (), tuple(open_limbs), needs_value, needs_content)
    return Decision(NOT_REQUIRED, (), ())


def _items_table(rows: list[dict], outcomes) -> pd.DataFrame:
    """The item rows as the documented table: required first, then by ratio (largest first), then id."""
    items = pd.DataFrame(rows, columns=list(ITEM_COLUMNS), dtype=object)
    if len(items):
        order = items["status"].map(outcomes.order())
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


def _check_options(part2_scope: str, alternates: str) -> None:
    if part2_scope not in PART2_SCOPES:
        raise BomError(f"part2 scope must be one of {', '.join(PART2_SCOPES)}, not '{part2_scope}'")
    if alternates not in ALTERNATE_POLICIES:
        raise BomError(f"alternates policy must be one of {', '.join(ALTERNATE_POLICIES)}, not '{alternates}'")


def _item_row(part_id: str, facts: dict, figures: tuple, decision, deciding: tuple, force: tuple, outcomes) -> dict:
    """One row of the items table: the item's facts, its exact figures and its decision."""
    value, basis, cn, unknown = figures
    listed = facts["annex1"]
    annex1 = listed or "part2"
    own = facts["unit_value"]
    upper = None if cn is None or unknown is None else EXACT.add(cn, unknown)
    return {
        "part_id": part_id,
        "description": facts["description"],
        "annex1": annex1,
        "annex1_basis": "listed" if listed else ("assessed" if facts.get("assessed_open") else "contains_part2"),
        "origin": facts["origin"],
        "value": value if annex1 == "part2" else own,
        "value_basis": basis if annex1 == "part2" else ("unit_value" if own is not None else None),
        "cn_part1_value": cn,
        "unknown_origin_part1_value": unknown,
        "ratio": ratio(cn, value) if annex1 == "part2" else None,
        "ratio_upper": ratio(upper, value) if annex1 == "part2" else None,
        "status": outcomes.label(decision.status),
        "reasons": tuple(decision.reasons),
        "open_limbs": tuple(decision.open_limbs),
        "deciding_inputs": deciding,
        "in_force": force[0],
        "force_note": force[1],
    }


def _warnings(rule_pack: RulePack, as_of: dt.date) -> tuple[str, ...]:
    """The pack's staleness warning, and the fail-closed threshold note when no destination was given."""
    regime = rule_pack.regime
    fail_closed = regime.destinations is not None and regime.destination is None
    return tuple(w for w in [rule_pack.staleness_warning(as_of), regime.threshold_note if fail_closed else None] if w)


def evaluate(
    bom: Bom, rule_pack: RulePack, as_of: dt.date, part2_scope: str = "materials", alternates: str = "conservative"
) -> Evaluation:
    """Determine, for every item ``rule_pack`` assesses in ``bom``, its status under the pack.

    ``as_of`` is the date the rule is applied on; ``part2_scope`` one of :data:`PART2_SCOPES`
    (only for a pack whose assessed items are listed); ``alternates`` one of
    :data:`~bomcalc.core.rollup.ALTERNATE_POLICIES`. The threshold is ``rule_pack.threshold``
    (see :func:`~bomcalc.core.regime.for_destination`). As described in this module's docstring.
    """
    _check_options(part2_scope, alternates)
    regime = rule_pack.regime
    bom = project(bom, regime)
    states = rule_pack.limb_states(as_of)
    parts = bom.parts
    arrays = bom.arrays
    extra = _contains_part2(bom) if part2_scope == "assemblies" and regime.assessed == "listed" else set()
    extra |= set(bom.assessed_open)  # assessed, and possibly content of the items containing them
    assessed = {role: bool(rule_pack.applicable_limbs(role)) for role in ("part1", "part2")}
    nodes = _reported(parts["annex1"].to_numpy(dtype=object), arrays.position, assessed, extra)
    reported = [arrays.ids[i] for i in nodes.tolist()]
    exact = ExactRollup(bom, alternates)
    exact.ensure(reported)  # every figure reported is exact; the float screen only settles statuses
    verdict = screen(float_rollup(arrays, alternates), nodes, float(rule_pack.threshold))
    deciding_inputs = None

    rows = []
    column = {name: parts[name].to_numpy()[nodes] for name in ("annex1", "origin", "cn_technology", "description", "unit_value")}
    for i, part_id in enumerate(reported):
        annex1 = column["annex1"][i] or "part2"
        origin = column["origin"][i]
        technology = bool(column["cn_technology"][i])
        value, basis, cn, most = exact.figures(part_id)
        unknown = None if cn is None or most is None else EXACT.subtract(most, cn)
        if verdict.settled[i]:
            decision = decide_limbs(annex1, origin, technology, bool(verdict.value_usable[i]), bool(verdict.reaches[i]),
                                    bool(verdict.open[i]), regime=regime)
        else:
            decision = decide(annex1, origin, technology, value, cn, unknown, rule_pack.threshold, rule_pack.inclusive,
                              regime=regime)
        deciding = ()
        if decision.status == INDETERMINATE:
            deciding_inputs = deciding_inputs or DecidingInputs(bom)
            deciding = deciding_inputs.of(part_id, decision.needs_value, decision.needs_content)
            if regime.limb_roles["origin"] in decision.open_limbs:
                deciding = (part_id,) + deciding
        considered = rule_pack.considered_limbs(annex1, decision.reasons, decision.open_limbs)
        facts = {name: column[name][i] for name in column} | {"assessed_open": part_id in bom.assessed_open}
        rows.append(_item_row(part_id, facts, (value, basis, cn, unknown), decision, deciding,
                              _force(decision.status, considered, states), regime.outcomes))
    items = _items_table(rows, regime.outcomes)
    return Evaluation(
        items=items,
        as_of=as_of,
        rule_pack=rule_pack,
        currency=bom.currency,
        part2_scope=part2_scope,
        limb_states=states,
        alternates=alternates,
        issues=tuple(list(bom.issues) + _zero_value_issues(rows)),
        warnings=_warnings(rule_pack, as_of),
        policies={**policies(rule_pack, part2_scope, alternates), **suggestion_policies(bom)},
        exact=exact,
        bom=bom,
        coverage=_coverage(bom, items),
    )
