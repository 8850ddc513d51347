"""Least-cost re-sourcing that brings Part 2 items below the 0.1% line (core layer).

A :class:`SourcingOption` is another way to buy one part: a new origin, a new unit value or an
extra cost per unit, a declared China-origin Annex 1 Part 1 content, a capacity. Given an
:class:`~bomcalc.core.determine.Evaluation` and a list of options, :func:`mitigate` finds the set of
options with the least total annual cost that brings every selected Part 2 item strictly below
the de minimis line of Announcement No. 61 Clause 1(1) (``cn_part1_value < threshold x value``;
the bundled rule pack's line is inclusive), or says that no set does, which items cannot be
brought below it and how far each can get.

The model is a mixed-integer programme (:func:`scipy.optimize.milp`, see :class:`Programme`):

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
(:func:`bomcalc.core.determine.evaluate`). A combination failing that exact check is excluded and
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

import pandas as pd

from ..determine import INDETERMINATE, NOT_REQUIRED, REQUIRED, Evaluation, evaluate
from ..errors import ScenarioError
from ..model import Bom
from .options import AnnualVolume, SourcingOption
from .programme import units_per_year, option_facts, Programme, reachable, row_clear, Target
from ..rollup import ZERO
from ..values import EXACT, format_decimal, to_country, to_decimal

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
#: Widest margin of the first phase of the search.
LAST_MARGIN = 1e-2
#: Most solves in each phase of the search (with a margin; then without, for anything cheaper).
MAX_ATTEMPTS = 8

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
    return bom.with_changes(parts=parts, declarations=table, notes=bom.notes + (f"sourcing options applied: {text}",))


def apply_options(bom: Bom, options: Iterable[SourcingOption]) -> Bom:
    """A new :class:`~bomcalc.core.model.Bom` with each option applied to its part.

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
        return [p for p, s in zip(part2["part_id"], part2["status"]) if evaluation.meaning(s) in (REQUIRED, INDETERMINATE)]
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
            "fixed": row_clear(new, pack),
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
        if item["selected"] and item["fixed"] and after.meaning(item["status"]) != NOT_REQUIRED:
            row = rows[item["part_id"]]
            why = ", ".join(row["reasons"] or row["open_limbs"])
            notes.append(f"{item['part_id']} is below the line but remains {item['status']} ({why})")
    return notes


def _lowest_ratio(evaluation: Evaluation, programme: Programme, options, target: Target) -> pd.Series:
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


def _search(evaluation: Evaluation, programme: Programme, options, facts, targets: list[Target], notes: list[str]):
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
        return chosen, after, not any(not row_clear(now[t.part_id], pack) for t in targets)

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

    ``evaluation``: the baseline (:func:`bomcalc.core.determine.evaluate`); it is not modified.
    ``options``: :class:`SourcingOption` records. ``volumes``: annual volumes of finished
    items, ``{part_id: units a year}`` or :class:`AnnualVolume` records; ``None`` counts every
    part without a parent once. ``items``: the Part 2 items to bring below the line (a list or
    comma-separated text); default every Part 2 item whose status now means required or
    indeterminate.

    An item is below the line when ``cn_part1_value + unknown_origin_part1_value`` is less than
    ``threshold x value`` (Announcement No. 61 Clause 1(1); not more than, for a rule pack whose
    line is not inclusive), decided exactly on a re-sourced copy of the BOM. The method is in
    this module's docstring. Raises :class:`~bomcalc.core.errors.ScenarioError` for an option or
    item naming a part that is not there.
    """
    bom, rolled, pack = evaluation.bom, evaluation.rolled, evaluation.rule_pack
    options = _checked_options(bom, options)
    selected = _selected(evaluation, items)
    finished, volume_note = _finished_volumes(bom, volumes)
    notes = [volume_note]
    units = units_per_year(bom, finished, {o.part for o in options})
    if not selected:
        labels = evaluation.outcomes.labels
        notes.append(f"no Part 2 item is {labels[REQUIRED]} or {labels[INDETERMINATE]}: nothing to bring below the line")

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
        elif part in selected or row_clear(row, pack):
            upper_value = EXACT.add(row["cn_part1_value"], row["unknown_origin_part1_value"])
            targets.append(Target(part, part in selected, upper_value, row["value"]))
    if any(not t.selected for t in targets):
        notes.append("Part 2 items now below the line are kept below it")
    assessed = reachable(bom.graph.succ, [t.part_id for t in targets] + unmodelled)
    facts = [option_facts(bom, rolled, o, units[o.part], evaluation.alternates, assessed) for o in options]
    notes += [f"option {o.label} cannot be chosen: {f.unusable}" for o, f in zip(options, facts) if f.unusable]
    usable = [i for i, fact in enumerate(facts) if fact.unusable is None]
    programme = Programme(evaluation, options, facts, usable, targets)

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
        if not row_clear(row, pack):
            cannot.append(target.part_id)
    if not cannot:
        notes.append("each selected item can be brought below the line on its own, but no one set of options does it "
                     "for all of them together (capacities, one option per part, items to keep below the line)")
    return MitigationResult(False, (), ZERO, _items_table(evaluation, evaluation, selected), tuple(cannot),
                            best_ratios, tuple(notes), evaluation=evaluation, **common)
