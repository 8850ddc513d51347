"""The explanation trail of one determination, for an auditor to check by hand (core layer).

For one Annex 1 item: each path from the item down to each contributing input, with the
quantities multiplied along it; the values; the sums; the comparison with the threshold; the
limbs that hold and whether each is in force on the as-of date. Built from the same line
weights as the roll-up, so the sums are the roll-up's, exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from .determine import Evaluation
from .errors import BomError
from .rollup import ZERO, line_weights
from .contributions import contributions, paths
from .values import EXACT, format_decimal, part_id_text

PATH_LIMIT = 50


@dataclass(frozen=True)
class LineQuantity:
    """One BOM line's quantity as given and as used: ``qty = given_qty x factor`` [child uom per parent]."""

    parent: str
    child: str
    qty: Decimal  # in the child's uom, as the roll-up uses it
    uom: str | None  # the child's uom: the unit its unit_value is per
    given_qty: Decimal | None  # as the BOM line gave it (None when lines in several units were summed)
    given_uom: str | None
    factor: Decimal | None  # given_uom -> uom

    @property
    def converted(self) -> bool:
        """Whether the line was given in another unit than the child's."""
        return self.given_qty is not None and self.factor is not None and self.factor != 1

    def text(self, shown=str) -> str:
        """``"0.17 FT = 2.04 IN (x 12)"``, or ``"2 EA"`` when no conversion was needed."""
        used = f"{shown(self.qty)}{' ' + self.uom if self.uom else ''}"
        if not self.converted:
            return used
        return f"{shown(self.given_qty)}{' ' + self.given_uom if self.given_uom else ''} = {used} (x {shown(self.factor)})"


def line_quantities(bom, edges) -> dict[tuple[str, str], LineQuantity]:
    """The :class:`LineQuantity` of each ``(parent, child)`` edge in ``edges``."""
    wanted = set(edges)
    found: dict[tuple[str, str], LineQuantity] = {}
    lines = bom.lines
    columns = {name: (lines[name].tolist() if name in lines.columns else [None] * len(lines))
               for name in ("parent", "child", "given_qty", "given_uom", "factor")}
    for parent, child, given_qty, given_uom, factor in zip(*columns.values()):
        if (parent, child) in wanted:
            found[(parent, child)] = LineQuantity(parent, child, bom.graph.edges[parent, child]["qty"],
                                                  bom.parts.at[child, "uom"], given_qty, given_uom, factor)
    for parent, child in wanted - set(found):
        found[(parent, child)] = LineQuantity(parent, child, bom.graph.edges[parent, child]["qty"],
                                              bom.parts.at[child, "uom"], None, None, None)
    return found


@dataclass(frozen=True)
class PathStep:
    """One path from the item to a source: the parts and line quantities, and their product."""

    parts: tuple[tuple[str, Decimal], ...]  # (part, qty on the line into it); the first is the item with 1
    quantity: Decimal  # product of the quantities [source uom per unit of the item]


@dataclass(frozen=True)
class SourceTrail:
    """One contributing input: its paths, extended quantity, unit value and extended value."""

    source: str
    kind: str
    description: str
    paths: tuple[PathStep, ...]
    paths_truncated: bool
    extended_qty: Decimal
    unit_content: Decimal | None
    extended_value: Decimal | None
    uom: str | None = None  # the source's unit: extended_qty is in it, unit_content is per it


@dataclass(frozen=True)
class Explanation:
    """Everything needed to redo one determination by hand."""

    item: str
    description: str
    annex1: str
    origin: str | None
    cn_technology: bool
    value: Decimal | None
    value_basis: str | None
    value_parts: tuple[tuple[str, Decimal, Decimal | None], ...]  # (child, qty counted, value) when rolled up
    sources: tuple[SourceTrail, ...]
    cn_part1_value: Decimal | None
    unknown_origin_part1_value: Decimal | None
    threshold: Decimal
    inclusive: bool
    line_value: Decimal | None
    status: str
    reasons: tuple[str, ...]
    open_limbs: tuple[str, ...]
    deciding_inputs: tuple[str, ...]
    limb_notes: tuple[tuple[str, str, bool, str], ...]  # (limb, clause, in force, note)
    in_force: bool
    as_of: str
    rule_pack: str
    line_quantities: tuple[LineQuantity, ...] = ()  # every line on a path shown or in value_parts
    uom: str | None = None  # the item's unit: its value is per one of it
    value_notes: tuple[tuple[str, str], ...] = ()  # (child, how an alternative line counts in the value)
    #: the pack's words: ``content``, ``short``, ``test``, ``status`` (of this status), ``item``, ``technology`` (has that limb)
    wording: dict = dataclasses.field(default_factory=dict)

    def line(self, parent: str, child: str) -> LineQuantity | None:
        """The quantity of one line as given and as used."""
        return next((q for q in self.line_quantities if (q.parent, q.child) == (parent, child)), None)


def explain(evaluation: Evaluation, item: str, path_limit: int = PATH_LIMIT) -> Explanation:
    """The trail of the determination of ``item`` in ``evaluation``."""
    item = part_id_text(item) or item  # a typed id matches as a read one does
    rows = evaluation.items[evaluation.items["part_id"] == item]
    if rows.empty:
        if item in evaluation.bom.parts.index:
            raise BomError(f"'{item}' is not an Annex 1 item, so there is no determination to explain; "
                           "mark it part1 or part2, or use --part2-scope assemblies for an assembly")
        raise BomError(f"part '{item}' is not in the BOM; check the part number (it is matched exactly)")
    row = rows.iloc[0]
    bom, rolled, pack = evaluation.bom, evaluation.rolled, evaluation.rule_pack
    table = contributions(bom, rolled, item, evaluation.alternates, with_paths=False)
    sources = []
    for _, contribution in table.iterrows():
        found = paths(bom, item, contribution["source"], path_limit + 1) if contribution["source"] != item else [[(item, Decimal(1))]]
        steps = []
        for path in found[:path_limit]:
            product = Decimal(1)
            for _, qty in path[1:]:
                product = EXACT.multiply(product, qty)
            steps.append(PathStep(tuple(path), product))
        sources.append(SourceTrail(contribution["source"], contribution["kind"], contribution["description"], tuple(steps),
                                   len(found) > path_limit, contribution["extended_qty"], contribution["unit_content"],
                                   contribution["extended_value"], bom.parts.at[contribution["source"], "uom"]))
    value_parts, value_notes = (), ()
    if row["value_basis"] == "components":
        value_parts, value_notes = _value_parts(bom.graph.succ[item], rolled, evaluation.alternates)
    edges = {(step.parts[i - 1][0], step.parts[i][0]) for source in sources for step in source.paths
             for i in range(1, len(step.parts))}
    edges |= {(item, child) for child, _, _ in value_parts}
    quantities = line_quantities(bom, edges)
    value = row["value"]
    line = None if value is None or row["annex1"] != "part2" else pack.line(value)
    considered = pack.considered_limbs(row["annex1"], row["reasons"], row["open_limbs"])
    notes = tuple((limb, pack.limb(limb).clause, evaluation.limb_states[limb].in_force, evaluation.limb_states[limb].note)
                  for limb in considered)
    return Explanation(
        item=item, description=row["description"], annex1=row["annex1"], origin=row["origin"],
        cn_technology=bool(bom.parts.at[item, "cn_technology"]), value=value, value_basis=row["value_basis"],
        value_parts=value_parts, sources=tuple(sources), cn_part1_value=row["cn_part1_value"],
        unknown_origin_part1_value=row["unknown_origin_part1_value"], threshold=pack.threshold, inclusive=pack.inclusive,
        line_value=line, status=row["status"], reasons=tuple(row["reasons"]), open_limbs=tuple(row["open_limbs"]),
        deciding_inputs=tuple(row["deciding_inputs"]), limb_notes=notes, in_force=bool(row["in_force"]),
        as_of=evaluation.as_of.isoformat(), rule_pack=pack.label,
        line_quantities=tuple(quantities[edge] for edge in sorted(edges)), uom=bom.parts.at[item, "uom"],
        value_notes=value_notes, wording=_wording(pack, row["status"]),
    )


def _wording(pack, status: str) -> dict:
    """The pack's words an explanation uses (see :attr:`Explanation.wording`)."""
    regime = pack.regime
    return {"content": regime.content_words, "short": regime.content_short, "test": regime.test_words,
            "status": regime.outcomes.words_of(status), "item": regime.item_words,
            "technology": bool(regime.limb_roles["technology"])}


def _value_parts(children, rolled, alternates: str):
    """``(child, qty counted, value)`` of each line of a rolled-up value, with the same weights
    as the roll-up (the cheapest alternative of a group under the conservative policy), and a
    note for every alternative line saying whether and how it counts."""
    values = {child: rolled.at[child, "value"] for child in children}
    weights = line_weights(children, values, alternates, smallest=True) or {}
    parts = tuple((child, weights.get(child, attributes["qty"]), values[child]) for child, attributes in children.items())
    notes = []
    for child, attributes in children.items():
        group = attributes.get("alt_group")
        if group is None:
            continue
        weight = weights.get(child)
        if weight is None:
            how = "counted as given (a value in the group is missing)"
        elif not weight:
            how = f"not counted ({alternates} policy: another alternative of the group counts)"
        elif weight != attributes["qty"]:
            how = f"counted at {format_decimal(weight)} of {format_decimal(attributes['qty'])} ({alternates} policy)"
        else:
            how = f"counted ({alternates} policy{': the least value of the group' if alternates == 'conservative' else ''})"
        notes.append((child, f"alternative in group {group}: {how}"))
    return parts, tuple(notes)


def total_of(sources: tuple[SourceTrail, ...]) -> Decimal | None:
    """The sum of the sources' extended values (``None`` if one is unknown)."""
    total = ZERO
    for source in sources:
        if source.extended_value is None:
            return None
        total = EXACT.add(total, source.extended_value)
    return total
