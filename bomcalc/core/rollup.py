"""Per-unit roll-up of value and China-origin Annex 1 Part 1 content (core layer).

One pass over the parts in reverse topological order, so the work is linear in the number of
BOM lines: no path is ever enumerated, yet a part reached by several paths counts once per
path, with the quantities multiplied along each (the sum over lines distributes over paths).

For every part ``p``, per one unit of ``p`` [currency]:

``cn_part1_value(p)`` (the lower bound: the least content any reading of the unknown origins
and Annex 1 statuses gives)
    * a Part 1 item of China origin: its own ``unit_value`` (its inputs are not added again);
    * a Part 1 item of unknown origin, or a part whose Annex 1 status is unknown and whose
      origin is CN or unknown: the smaller of its ``unit_value`` (if it is a China-origin
      Part 1 item) and the lower bound of its inputs or declaration (if not), see
      :func:`smaller_content`;
    * else a part with a supplier declaration: the declared ``cn_part1_value``;
    * else the sum over its BOM lines of ``qty x cn_part1_value(child)``; a leaf gives 0.
    A Part 1 item made outside China passes its inputs' China-origin value up.

``cn_part1_upper(p)`` (the upper bound, every unknown origin counted as China and every
unknown Annex 1 status counted as Part 1)
    * a Part 1 item of China origin: its ``unit_value``;
    * a Part 1 item of unknown origin, or a part whose Annex 1 status is unknown and whose
      origin is CN or unknown: the larger of its ``unit_value`` (if it is a China-origin Part 1
      item) and the upper bound of its inputs or declaration (if not); ``None`` when it has no
      ``unit_value``;
    * else a declaration: ``cn_part1_value + unknown_origin_part1_value``;
    * else the sum over its lines of ``qty x cn_part1_upper(child)``.

A part whose Annex 1 status is unknown (no input described it with an ``annex1`` column, its
cell said "unknown", or it is missing from the parts master) and whose origin is known and not
China passes its inputs' content up in both bounds. Each bound is reached by one reading of the
unknowns (at every part, the branch that gives the least, or the most, content), so both are
exact: an item is certainly over the line when its lower bound is, and certainly under it when
its upper bound is.

``unknown_origin_part1_value = cn_part1_upper - cn_part1_value``: how much the unknown origins
and Annex 1 statuses may add to the least content.

``value(p)``: its ``unit_value``; when blank, ``sum qty x value(child)`` (basis
``"components"``); ``None`` when neither is known.

Any of these is ``None`` when a value it needs is missing (a China-origin Part 1 item without a
``unit_value``, say): a missing price makes a result indeterminate, never zero.
All arithmetic is exact (:data:`bomcalc.core.values.EXACT`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .model import DEFAULT_CONTENT_ORIGIN, Bom
from .values import EXACT

ZERO = Decimal(0)



ALTERNATE_POLICIES = ("conservative", "probability", "primary")


def line_weights(children: dict, values: dict, policy: str = "conservative", smallest: bool = False) -> dict | None:
    """How many units of each child one unit of the parent counts, alternates resolved.

    Plain lines count their ``qty``. Lines sharing an ``alt_group`` are alternatives for one
    position: ``conservative`` counts only the member giving the largest ``qty x values[child]``
    (the smallest when ``smallest``, used for values in a denominator; the first listed wins a
    tie), ``probability`` weights each member's qty by its usage probability, ``primary``
    counts only the member with the highest probability. Returns ``None`` when a value needed
    is ``None``. The roll-up, the contributions and the explanation trail all use these
    weights, so their sums agree exactly.
    """
    weights: dict[str, Decimal] = {}
    groups: dict[str, list[tuple]] = {}
    for child, attributes in children.items():
        if values[child] is None:
            return None
        group = attributes.get("alt_group")
        if group is None:
            weights[child] = attributes["qty"]
        else:
            groups.setdefault(group, []).append((child, attributes))
    for members in groups.values():
        if policy == "probability":
            for child, attributes in members:
                probability = attributes.get("usage_probability")
                weights[child] = attributes["qty"] if probability is None else EXACT.multiply(attributes["qty"], probability)
            continue
        if policy == "primary":
            ranked = [(a.get("usage_probability") if a.get("usage_probability") is not None else Decimal(-1), -i, c, a)
                      for i, (c, a) in enumerate(members)]
        else:
            amounts = [EXACT.multiply(a["qty"], values[c]) for c, a in members]
            ranked = [((-amount if smallest else amount), -i, c, a) for i, ((c, a), amount) in enumerate(zip(members, amounts))]
        _, _, chosen, attributes = max(ranked, key=lambda r: (r[0], r[1]))
        weights[chosen] = attributes["qty"]
        for child, _ in members:
            weights.setdefault(child, ZERO)
    return weights


def _sum_children(children: dict, values: dict, policy: str = "conservative", smallest: bool = False) -> Decimal | None:
    """``sum weight x values[child]`` over a part's lines (see :func:`line_weights`)."""
    weights = line_weights(children, values, policy, smallest)
    if weights is None:
        return None
    total = ZERO
    for child, weight in weights.items():
        if weight:
            total = EXACT.add(total, EXACT.multiply(weight, values[child]))
    return total


@dataclass(frozen=True)
class PartFacts:
    """What the roll-up needs to know about one part itself."""

    unit_value: Decimal | None
    origin: str | None
    annex1: str | None
    phantom: bool = False
    declared: tuple[Decimal | None, Decimal | None] | None = None  # (cn, cn + unknown) per unit
    annex1_known: bool = True  # False: the Annex 1 status is unknown (``annex1`` is then None)
    home: str = DEFAULT_CONTENT_ORIGIN  # the origin whose content counts (:attr:`Bom.content_origin`)


def source_kind(annex1: str | None, origin: str | None, declared: bool, home: str = DEFAULT_CONTENT_ORIGIN) -> str | None:
    """Where the content roll-up takes a value instead of adding up a part's components.

    ``"china_origin_part1"`` for a China-origin Part 1 item (its own ``unit_value`` counts; a
    declaration on it is ignored), ``"declaration"`` for another part with a supplier
    declaration, ``None`` where the roll-up adds up the part's lines. The roll-up
    (:func:`rollup_node`), the contributions, the explanation and the scenarios all stop at
    the same parts.
    """
    if annex1 == "part1" and origin == home:
        return "china_origin_part1"
    if declared:
        return "declaration"
    return None


def content_unknown(annex1: str | None, has_lines: bool, declared: bool) -> bool:
    """Whether nothing says what China-origin Part 1 content a part holds: a Part 2 item with
    no BOM lines and no supplier declaration (a magnet bought as it is).

    Its lower bound is 0 (it may hold none) and its upper bound unknown (``None``), so a Part 2
    item it is, or is inside, is indeterminate and names it, never "not required".
    """
    return annex1 == "part2" and not has_lines and not declared


def may_be_cn_part1(annex1: str | None, origin: str | None, annex1_known: bool = True,
                    home: str = DEFAULT_CONTENT_ORIGIN) -> bool:
    """Whether a part may be a China-origin Part 1 item it is not known to be.

    True for a Part 1 item of unknown origin, and for a part whose Annex 1 status is unknown
    and whose origin is CN or unknown. Such a part contributes ``max(unit_value, inputs)`` to
    the upper bound and ``min(unit_value, inputs)`` to the lower bound (:func:`smaller_content`),
    and names itself as a deciding input of an indeterminate item above it.
    """
    if annex1 == "part1":
        return origin is None
    return not annex1_known and annex1 is None and origin in (None, home)


#: The source kind of a part that may be a China-origin Part 1 item where the lower bound counts
#: it as one, at its own ``unit_value``, because that is less than what its inputs carry.
POSSIBLE_CN_PART1 = "possible_china_origin_part1"


def smaller_content(own: Decimal | None, inputs: Decimal | None) -> tuple[Decimal | None, bool]:
    """The lower bound of a part that may be a China-origin Part 1 item, and whether its own value gives it.

    ``own`` is its ``unit_value`` (what it counts if it is a China-origin Part 1 item), ``inputs``
    the lower bound of its inputs or declaration (what it passes up if not), both per unit
    [currency]. The lower bound is ``min(own, inputs)``. Content is never negative, so when one
    of them is unknown (``None``) the bound is still known if the other is 0; otherwise it is
    unknown. A tie counts the inputs. Returns ``(bound, own_counts)``.
    """
    if own is not None and inputs is not None:
        return (own, True) if own < inputs else (inputs, False)
    if inputs is not None and inputs == 0:
        return inputs, False
    if own is not None and own == 0:
        return own, True
    return None, own is None and inputs is not None


def _lower_step(facts: PartFacts, children: dict, lower: dict, alternates: str) -> tuple[Decimal | None, str | None]:
    """One part's lower bound and where it is taken from (a source kind, ``None``: its lines)."""
    kind = source_kind(facts.annex1, facts.origin, facts.declared is not None, facts.home)
    if kind == "china_origin_part1":
        return facts.unit_value, kind
    inputs = facts.declared[0] if kind == "declaration" else _sum_children(children, lower, alternates)
    if may_be_cn_part1(facts.annex1, facts.origin, facts.annex1_known, facts.home):
        bound, own_counts = smaller_content(facts.unit_value, inputs)
        return bound, (POSSIBLE_CN_PART1 if own_counts else kind)
    return inputs, kind


def lower_source_kind(facts: PartFacts, children: dict, lower: dict, alternates: str = "conservative") -> str | None:
    """Where the lower bound takes a part's content instead of adding up its lines.

    :func:`source_kind`, or :data:`POSSIBLE_CN_PART1` where a part that may be a China-origin
    Part 1 item counts at its own value (:func:`smaller_content`). ``lower`` holds the lower
    bounds of its children (the roll-up's ``cn_part1_value``). The contributions and the
    explanation stop at the same parts as the roll-up, so their sums agree exactly.
    """
    kind = source_kind(facts.annex1, facts.origin, facts.declared is not None, facts.home)
    if kind == "china_origin_part1" or not may_be_cn_part1(facts.annex1, facts.origin, facts.annex1_known, facts.home):
        return kind  # what _lower_step gives, without adding up the lines
    return _lower_step(facts, children, lower, alternates)[1]


def value_is_own(unit_value: Decimal | None, phantom: bool, has_lines: bool) -> bool:
    """Whether a part's value is its own ``unit_value`` rather than the sum of its lines.

    A part with a ``unit_value`` counts at it, except a phantom assembly with lines, whose value
    is always its components'. The roll-up (:func:`rollup_node`) and the mitigation programme
    take a part's value the same way.
    """
    return unit_value is not None and not (phantom and has_lines)


def part_facts(bom: Bom, only=None) -> dict[str, PartFacts]:
    """The :class:`PartFacts` of every part of ``bom`` (or of the parts in ``only``)."""
    parts = bom.parts if only is None else bom.parts.loc[list(only)]
    declarations = bom.declarations if only is None else bom.declarations[bom.declarations.index.isin(parts.index)]
    declared = {
        part_id: (cn, None if cn is None or unknown is None else EXACT.add(cn, unknown))
        for part_id, cn, unknown in zip(
            declarations.index, declarations["cn_part1_value"], declarations["unknown_origin_part1_value"]
        )
    }
    phantom = parts["phantom"] if "phantom" in parts else [False] * len(parts)
    known = parts["annex1_known"] if "annex1_known" in parts else [True] * len(parts)
    return {
        part_id: PartFacts(unit_value, origin, annex1, bool(ph), declared.get(part_id), bool(kn), bom.content_origin)
        for part_id, unit_value, origin, annex1, ph, kn in zip(
            parts.index, parts["unit_value"], parts["origin"], parts["annex1"], phantom, known
        )
    }


def rollup_node(facts: PartFacts, children: dict, value: dict, lower: dict, upper: dict, alternates: str):
    """One part's ``(value, value_basis, lower, upper)`` from its own facts and its children's.

    The single definition of the roll-up step (see the module docstring), used by
    :func:`rollup` and by the scenario evaluation that re-rolls a changed part.
    """
    own = facts.unit_value
    if value_is_own(own, facts.phantom, bool(children)):
        part_value, basis = own, "unit_value"
    elif children:
        part_value = _sum_children(children, value, alternates, smallest=True)
        basis = "components" if part_value is not None else None
    else:
        part_value, basis = None, None
    low, kind = _lower_step(facts, children, lower, alternates)
    if kind == "china_origin_part1":
        return part_value, basis, own, own
    if facts.declared is not None:
        below_high = facts.declared[1]
    else:
        below_high = _sum_children(children, upper, alternates)
        if content_unknown(facts.annex1, bool(children), False):
            below_high = None  # a bought Part 2 item with no BOM and no declaration: its content is unknown
    if may_be_cn_part1(facts.annex1, facts.origin, facts.annex1_known, facts.home):
        high = None if own is None or below_high is None else max(own, below_high)
        return part_value, basis, low, high
    return part_value, basis, low, below_high


def rollup(bom: Bom, alternates: str = "conservative") -> pd.DataFrame:
    """Per-unit value and China-origin Part 1 content of every part.

    The reference roll-up, one part at a time; :func:`bomcalc.core.determine.evaluate` computes
    the same table over arrays (:mod:`bomcalc.core.array_rollup`, ``Evaluation.rolled``).
    ``alternates`` is the policy for alternative items (lines sharing an ``alt_group``), one of
    :data:`ALTERNATE_POLICIES`; see :func:`line_weights`. A phantom assembly has no value of
    its own: its value is always its components'.

    Returns a DataFrame indexed by ``part_id`` with the columns ``value``, ``value_basis``,
    ``cn_part1_value``, ``cn_part1_upper`` and ``unknown_origin_part1_value`` (``Decimal`` [currency per unit of the part] or ``None``; ``value_basis`` is
    ``"unit_value"``, ``"components"`` or ``None``).
    """
    facts = part_facts(bom)
    succ = bom.graph.succ
    value: dict[str, Decimal | None] = {}
    basis: dict[str, str | None] = {}
    lower: dict[str, Decimal | None] = {}
    upper: dict[str, Decimal | None] = {}
    for part_id in reversed(bom.topological_order):
        value[part_id], basis[part_id], lower[part_id], upper[part_id] = rollup_node(
            facts[part_id], succ[part_id], value, lower, upper, alternates
        )
    return rollup_table(list(bom.parts.index), value, basis, lower, upper)


def rollup_table(index: list[str], value: dict, basis: dict, lower: dict, upper: dict) -> pd.DataFrame:
    """The roll-up dictionaries as the documented table."""
    unknown = {
        part_id: (None if lower[part_id] is None or upper[part_id] is None else EXACT.subtract(upper[part_id], lower[part_id]))
        for part_id in index
    }
    return pd.DataFrame(
        {
            "value": [value[p] for p in index],
            "value_basis": [basis[p] for p in index],
            "cn_part1_value": [lower[p] for p in index],
            "cn_part1_upper": [upper[p] for p in index],
            "unknown_origin_part1_value": [unknown[p] for p in index],
        },
        index=index,
        dtype=object,
    )
