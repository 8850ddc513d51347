"""The exact roll-up over arrays: the Decimal step of ``rollup_node`` a whole level at a time (core layer).

The figures are ``Decimal`` objects in numpy object arrays and every sum and product runs in
:data:`~bomcalc.core.values.EXACT` (any rounding raises), so nothing is approximated; numpy only
saves the Python loop. A missing figure is a flag beside a placeholder 0 and spreads as ``None``
does in :func:`~bomcalc.core.rollup.rollup_node`. The result is the very ``Decimal`` the
reference step gives, digit for digit and exponent for exponent: a sum starts from 0 and takes
the terms of every line with a non-zero weight (exact addition does not depend on the order, its
exponent is the least of the operands'); of alternatives in a group the first listed among those
with the largest (smallest, for a value) ``qty x figure`` counts; :func:`smaller_content` gives a
tie to the inputs and the upper bound's ``max(own, below)`` to the part's own value.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np

from .arrays import BomArrays, is_none, ranges
from .values import EXACT

ZERO = Decimal(0)
BASIS = (None, "unit_value", "components")


class ExactArrays:
    """Exact value, lower and upper bound of the parts rolled so far (see the module docstring)."""

    def __init__(self, arrays: BomArrays, alternates: str):
        n = arrays.size
        self.arrays = arrays
        self.weights = arrays.weights(alternates)
        self.figures = {name: np.full(n, ZERO, dtype=object) for name in ("value", "lower", "upper")}
        self.missing = {name: np.ones(n, dtype=bool) for name in ("value", "lower", "upper")}
        self.basis = np.zeros(n, dtype=np.int8)
        self.done = np.zeros(n, dtype=bool)
        own = arrays.unit_value_exact
        self._own_missing = is_none(own)
        self._own = np.where(self._own_missing, ZERO, own)
        declared_lower, declared_upper = arrays.declared_exact
        self._declared_missing = (is_none(declared_lower), is_none(declared_upper))
        self._declared = (np.where(self._declared_missing[0], ZERO, declared_lower),
                          np.where(self._declared_missing[1], ZERO, declared_upper))

    def roll(self, needed: np.ndarray) -> None:
        """Roll up the parts where ``needed`` is True; every child of theirs must be rolled or needed."""
        arrays = self.arrays
        with localcontext(EXACT):
            for height, level_nodes in enumerate(arrays.levels):
                nodes = level_nodes[needed[level_nodes]]
                if nodes.size:
                    sums = self._sums(nodes) if height else None
                    self._step(nodes, sums)
        self.done |= needed

    def _sums(self, nodes: np.ndarray) -> dict:
        """``{figure: (sum over the lines of each node, missing)}`` as :func:`~bomcalc.core.rollup._sum_children` gives it."""
        arrays = self.arrays
        counts = arrays.line_count[nodes]
        lines = ranges(arrays.first_line[nodes], counts)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        node_of = np.repeat(np.arange(len(nodes)), counts)
        child = arrays.child[lines]
        weight = self.weights.weight_exact[lines]
        counted = np.fromiter((w != 0 for w in weight), bool, len(weight))  # a line of weight 0 adds no term
        group = arrays.group[lines] if self.weights.grouped else None
        if group is not None:
            new_slot = np.ones(len(lines), dtype=bool)
            new_slot[1:] = (group[1:] < 0) | (group[1:] != group[:-1])
            new_slot[starts] = True
            slot_start = np.flatnonzero(new_slot)
            slot_of = np.cumsum(new_slot) - 1
        result = {}
        for name, smallest in (("value", True), ("lower", False), ("upper", False)):
            missing = np.logical_or.reduceat(self.missing[name][child], starts)
            amounts = weight * self.figures[name][child]
            take = counted
            if group is not None:
                best = (np.minimum if smallest else np.maximum).reduceat(amounts, slot_start)
                is_best = np.flatnonzero(amounts == best[slot_of])
                _, first = np.unique(slot_of[is_best], return_index=True)
                chosen = np.zeros(len(lines), dtype=bool)
                chosen[is_best[first]] = True
                take = counted & chosen
            terms = np.flatnonzero(take)
            total = np.full(len(nodes), ZERO, dtype=object)
            if terms.size:
                summed, first = np.unique(node_of[terms], return_index=True)
                total[summed] = ZERO + np.add.reduceat(amounts[terms], first)
            result[name] = (total, missing)
        return result

    def _step(self, nodes: np.ndarray, sums: dict | None) -> None:
        """:func:`~bomcalc.core.rollup.rollup_node` for ``nodes`` given the sums over their lines."""
        arrays = self.arrays
        m = len(nodes)
        if sums is None:  # parts without lines
            sums = {name: (np.full(m, ZERO, dtype=object), np.zeros(m, dtype=bool)) for name in ("value", "lower", "upper")}
        own, own_missing = self._own[nodes], self._own_missing[nodes]
        has_lines = arrays.has_lines[nodes]
        own_counts = ~own_missing & ~(arrays.phantom[nodes] & has_lines)  # value_is_own
        value_sum, value_sum_missing = sums["value"]
        value = np.where(own_counts, own, value_sum)
        value_missing = np.where(own_counts, False, ~has_lines | value_sum_missing)
        basis = np.where(own_counts, 1, np.where(has_lines & ~value_sum_missing, 2, 0))

        declared = arrays.declaration_source[nodes]
        lower_sum, lower_sum_missing = sums["lower"]
        inputs = np.where(declared, self._declared[0][nodes], lower_sum)
        inputs_missing = np.where(declared, self._declared_missing[0][nodes], lower_sum_missing)
        both = ~own_missing & ~inputs_missing
        own_less = np.zeros(m, dtype=bool)
        own_less[both] = own[both] < inputs[both]
        inputs_zero = ~inputs_missing & (inputs == 0)
        own_zero = ~own_missing & (own == 0)
        smaller = np.where(both, np.where(own_less, own, inputs), np.where(inputs_zero, inputs, own))
        smaller_missing = ~both & ~inputs_zero & ~own_zero

        upper_sum, upper_sum_missing = sums["upper"]
        below = np.where(declared, self._declared[1][nodes], upper_sum)
        below_missing = np.where(declared, self._declared_missing[1][nodes], upper_sum_missing | arrays.bought_part2[nodes])
        known = ~own_missing & ~below_missing
        below_more = np.zeros(m, dtype=bool)
        below_more[known] = below[known] > own[known]
        larger = np.where(below_more, below, own)

        may_be = arrays.may_be_cn_part1[nodes]
        china_part1 = arrays.china_origin_part1[nodes]
        lower = np.where(china_part1, own, np.where(may_be, smaller, inputs))
        lower_missing = np.where(china_part1, own_missing, np.where(may_be, smaller_missing, inputs_missing))
        upper = np.where(china_part1, own, np.where(may_be, larger, below))
        upper_missing = np.where(china_part1, own_missing, np.where(may_be, ~known, below_missing))
        for name, figure, missing in (("value", value, value_missing), ("lower", lower, lower_missing),
                                      ("upper", upper, upper_missing)):
            self.figures[name][nodes] = np.where(missing, ZERO, figure)
            self.missing[name][nodes] = missing
        self.basis[nodes] = basis

    def get(self, name: str, nodes) -> list:
        """The figure ``name`` of ``nodes`` as ``Decimal`` or ``None``."""
        figures, missing = self.figures[name][nodes], self.missing[name][nodes]
        return [None if gone else figure for figure, gone in zip(figures.tolist(), missing.tolist())]

    def basis_of(self, nodes) -> list:
        return [BASIS[b] for b in self.basis[nodes].tolist()]

    def one(self, name: str, node: int):
        """The figure ``name`` of one part as ``Decimal`` or ``None`` (:meth:`get` of one node)."""
        return None if self.missing[name][node] else self.figures[name][node]

    def one_basis(self, node: int):
        return BASIS[int(self.basis[node])]
