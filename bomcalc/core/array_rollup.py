"""The roll-up over arrays: a float pass that screens, exact figures where they are reported (core layer).

:func:`float_rollup` rolls value, lower and upper bound of every part up a level at a time over
:class:`~bomcalc.core.arrays.BomArrays` in float64, with the step of
:func:`bomcalc.core.rollup.rollup_node` written over whole levels: a missing figure is NaN and
spreads exactly as ``None`` does (a sum with a missing term is missing, :func:`smaller_content`'s
zero rules, a bought Part 2 item's unknown upper bound), alternates as
:func:`~bomcalc.core.rollup.line_weights` counts them (``conservative``: per group the largest
``qty x content``, the smallest value; ``probability``; ``primary``).

Floats never decide at the line on their own account. **Error bound.** Every figure is a sum of
products of non-negative numbers. With ``u = 2**-53`` every conversion of a ``Decimal`` and every
product, sum or quotient in the normal range is exact times ``(1 + d)``, ``|d| <= u``; ``min`` and
``max`` round nothing. Each part carries ``k``, a count of roundings: 1 for a figure of its own (a
converted ``unit_value``, a declared figure); for a sum over ``m`` slots ``max(k of a term) + m -
1`` (a term ``weight x child`` has ``k(child) + 2``: the weight's conversion and the product;
the sum adds each term at most ``m - 1`` times, whatever order numpy uses); ``min``/``max`` take
the largest ``k``. Since every term is non-negative, the float figure is the exact one times
``(1 + theta)`` with ``|theta| <= gamma_k = k u / (1 - k u)`` (Higham, Accuracy and Stability,
Lemma 3.1). The test ``content >= threshold x value`` is made on ``r = content / (threshold x
value)``, which adds 3 roundings (threshold, product, quotient): the float ``r`` is the exact ratio
times ``(1 + theta)``, ``|theta| <= g = gamma_(k_content + k_value + 3)``. An item is settled as
over the line only when ``r >= 1 + 4g + 2**-50`` and as under it only when ``r <= 1 - 4g -
2**-50`` (so the exact ratio is > 1, resp. < 1, with room for the rounding of the margin
itself); whether the line is inclusive then does not matter. Anything in the band, a ``g`` of
0.01 or more, a figure out of [2**-900, 2**900] anywhere below (underflow, overflow, subnormals),
or a negative or non-finite input makes the item unsettled, and it is decided exactly. Missing
figures and zero tests are exact in floats (a sum of non-negative terms none of which underflows
is 0 exactly when every term is).

:class:`ExactRollup` computes the exact ``Decimal`` figures, only for the parts asked for and
the parts below them, each once (shared sub-assemblies are done once, a level at a time), with
:class:`~bomcalc.core.exact_arrays.ExactArrays`: the reference step written over levels in exact
``Decimal`` arithmetic, which gives the very digits :func:`~bomcalc.core.rollup.rollup` gives;
:meth:`ExactRollup.table` is the full roll-up table, built on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import HUGE, TINY, BomArrays, gamma
from .exact_arrays import ExactArrays
from .rollup import rollup_table

#: Relative room kept on top of the rounding bound (covers the rounding of the margin itself).
SLACK = 2.0**-50

ABOVE, BELOW, UNSURE = 1, -1, 0


@dataclass(frozen=True, eq=False)
class FloatRollup:
    """Float64 value, lower and upper bound of every part (NaN: missing), with their rounding counts.

    ``roundings[i]`` bounds the number of roundings in any of part ``i``'s three figures (see the
    module docstring); ``untrusted[i]`` is True when a float below part ``i`` left the normal
    range or an input is negative: its figures then settle nothing.
    """

    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    roundings: np.ndarray
    untrusted: np.ndarray


def _any(flags: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.logical_or.reduceat(flags, starts) if len(flags) else np.zeros(len(starts), dtype=bool)


def float_rollup(arrays: BomArrays, alternates: str = "conservative") -> FloatRollup:
    """Roll every part up a level at a time in float64 (see the module docstring)."""
    n = arrays.size
    weights = arrays.weights(alternates)
    value, lower, upper = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    roundings = np.ones(n, dtype=np.int64)
    untrusted = arrays.untrusted.copy()
    for height, nodes in enumerate(arrays.levels):
        count = len(nodes)
        sums = [np.zeros(count), np.zeros(count), np.zeros(count)]
        if height:
            first, last = int(arrays.level_lines[height]), int(arrays.level_lines[height + 1])
            child = arrays.child[first:last]
            weight = weights.weight[first:last]
            node_lines = arrays.first_line[nodes] - first
            if weights.grouped:
                low, high = np.searchsorted(weights.slot_start, [first, last])
                slot_start = weights.slot_start[low:high] - first
                node_slots = weights.node_slot[nodes] - low
                slots = high - low
            else:
                slot_start, node_slots, slots = None, node_lines, last - first
            bad = untrusted[child]
            for which, (figures, smallest) in enumerate(((value, True), (lower, False), (upper, False))):
                below = figures[child]
                amounts = weight * below
                bad = bad | ((amounts < TINY) & (weight > 0) & (below > 0)) | (amounts > HUGE)
                if slot_start is not None:
                    amounts = (np.minimum if smallest else np.maximum).reduceat(amounts, slot_start)
                sums[which] = np.add.reduceat(amounts, node_slots)
            terms = roundings[child] + 2
            if slot_start is not None:
                terms = np.maximum.reduceat(terms, slot_start)
            slot_counts = np.diff(np.append(node_slots, slots))
            roundings[nodes] = np.maximum(np.maximum.reduceat(terms, node_slots) + slot_counts - 1, 1)
            untrusted[nodes] |= _any(bad, node_lines) | (sums[0] > HUGE) | (sums[1] > HUGE) | (sums[2] > HUGE)
        value[nodes], lower[nodes], upper[nodes] = _step(arrays, nodes, *sums)
    return FloatRollup(value, lower, upper, roundings, untrusted)


def _step(arrays: BomArrays, nodes: np.ndarray, value_sum, lower_sum, upper_sum):
    """:func:`~bomcalc.core.rollup.rollup_node` over the parts ``nodes`` given the sums over their lines."""
    own = arrays.unit_value[nodes]
    has_lines = arrays.has_lines[nodes]
    own_counts = ~np.isnan(own) & ~(arrays.phantom[nodes] & has_lines)  # value_is_own
    value = np.where(own_counts, own, np.where(has_lines, value_sum, np.nan))
    declared = arrays.declaration_source[nodes]
    inputs = np.where(declared, arrays.declared_lower[nodes], lower_sum)
    smaller = np.minimum(own, inputs)  # smaller_content: NaN unless both are known ...
    smaller = np.where(np.isnan(smaller) & (inputs == 0), 0.0, smaller)  # ... or one is 0
    smaller = np.where(np.isnan(smaller) & (own == 0), 0.0, smaller)
    may_be = arrays.may_be_cn_part1[nodes]
    china_part1 = arrays.china_origin_part1[nodes]
    lower = np.where(china_part1, own, np.where(may_be, smaller, inputs))
    below_high = np.where(declared, arrays.declared_upper[nodes],
                          np.where(arrays.bought_part2[nodes], np.nan, upper_sum))
    upper = np.where(china_part1, own, np.where(may_be, np.maximum(own, below_high), below_high))
    return value, lower, upper


def side(content: np.ndarray, value: np.ndarray, roundings: np.ndarray, threshold: float) -> np.ndarray:
    """Where ``content`` lies against ``threshold x value`` for sure: :data:`ABOVE`, :data:`BELOW` or :data:`UNSURE`.

    ``content`` and ``value`` are float figures [currency] (``value > 0``) whose roundings
    together number ``roundings``; see the module docstring for the margin.
    """
    with np.errstate(all="ignore"):
        line = threshold * value
        ratio = content / line
        g = gamma(roundings + 3)
        margin = 4 * g + SLACK
        usable = (g < 0.01) & (line >= TINY) & (line <= HUGE) & ~np.isnan(ratio)
        above = usable & (ratio >= 1 + margin)
        below = usable & (ratio <= 1 - margin)
    return np.where(above, ABOVE, np.where(below, BELOW, UNSURE))


@dataclass(frozen=True, eq=False)
class Screen:
    """The float verdict on the de minimis test for some items (arrays in the order asked).

    ``settled`` says the floats decide it for sure; then ``value_usable`` (the value is known and
    not 0), ``reaches`` (the lower bound reaches the line) and ``open`` (the lower bound does not,
    but a missing figure or the upper bound may) are what the exact test would give.
    """

    settled: np.ndarray
    value_usable: np.ndarray
    reaches: np.ndarray
    open: np.ndarray


def screen(figures: FloatRollup, nodes: np.ndarray, threshold: float) -> Screen:
    """Settle, where floats can, the de minimis test of the parts ``nodes`` (see :class:`Screen`)."""
    value, lower, upper = figures.value[nodes], figures.lower[nodes], figures.upper[nodes]
    trusted = ~figures.untrusted[nodes]
    value_usable = ~np.isnan(value) & (value != 0)
    k = figures.roundings[nodes]
    safe_value = np.where(value_usable, value, 1.0)
    lower_side = np.where(np.isnan(lower), BELOW, side(np.nan_to_num(lower), safe_value, 2 * k, threshold))
    upper_missing = np.isnan(lower) | np.isnan(upper)
    upper_side = np.where(upper_missing, ABOVE, side(np.nan_to_num(upper), safe_value, 2 * k, threshold))
    reaches = lower_side == ABOVE
    open_ = ~reaches & (upper_side == ABOVE)
    sure = (lower_side != UNSURE) & (reaches | (upper_side != UNSURE))
    settled = trusted & (~value_usable | sure)
    return Screen(settled, value_usable, reaches, open_)


class ExactRollup:
    """Exact ``Decimal`` figures of the parts asked for, each part once (:class:`~bomcalc.core.exact_arrays.ExactArrays`).

    ``figures(part_id)`` is ``(value, value_basis, cn_part1_value, cn_part1_upper)`` of a part
    :meth:`ensure` has covered; :meth:`table` is :func:`bomcalc.core.rollup.rollup`'s table.
    """

    def __init__(self, bom, alternates: str = "conservative"):
        self.bom = bom
        self.alternates = alternates
        self.arrays = bom.arrays
        self.exact = ExactArrays(self.arrays, alternates)
        self._table = None

    def ensure(self, part_ids) -> None:
        """Compute the figures of ``part_ids`` and of every part below them not yet computed."""
        arrays, done = self.arrays, self.exact.done
        nodes = [arrays.position[p] for p in part_ids]
        if not nodes:
            return
        needed = arrays.below(nodes, stop=done) & ~done
        if needed.any():
            self.exact.roll(needed)

    def figures(self, part_id: str) -> tuple:
        """``(value, value_basis, cn_part1_value, cn_part1_upper)`` of a part already covered."""
        node = self.arrays.position[part_id]
        exact = self.exact
        if not exact.done[node]:
            raise KeyError(part_id)
        return exact.one("value", node), exact.one_basis(node), exact.one("lower", node), exact.one("upper", node)

    def table(self):
        """The roll-up table of every part (as :func:`bomcalc.core.rollup.rollup`), computed once."""
        if self._table is None:
            self.ensure(self.arrays.ids)
            exact, ids = self.exact, self.arrays.ids
            everything = np.arange(len(ids))
            columns = [dict(zip(ids, column)) for column in (
                exact.get("value", everything), exact.basis_of(everything), exact.get("lower", everything),
                exact.get("upper", everything))]
            self._table = rollup_table(list(self.bom.parts.index), *columns)
        return self._table
