"""Which inputs leave an item undecided, for every item at once (core layer).

An indeterminate item names its deciding inputs: the parts below it whose unknown origin, unknown
Annex 1 status or missing figure leaves it open (see :func:`bomcalc.core.determine.evaluate`).
One pass up the levels of :class:`~bomcalc.core.arrays.BomArrays` marks the parts that have any
such input at or below them; the inputs of an item are then gathered through marked parts only,
each part's set once and shared by every item above it.

Content (the China-origin Part 1 content is open): a part that may be a China-origin Part 1 item
(:func:`~bomcalc.core.rollup.may_be_cn_part1`; not the item itself, whose own origin is named
apart), a declared part whose declaration leaves content open (a figure missing, or content of
unknown origin declared), a China-origin Part 1 item without a ``unit_value``, and a Part 2 item
with no lines and no declaration (:func:`~bomcalc.core.rollup.content_unknown`). The search does
not go below a China-origin Part 1 item or a declared part (the roll-up stops there too).
Value (the value is missing): a part with neither a ``unit_value`` nor lines; the search stops at
a part with a ``unit_value``.
"""

from __future__ import annotations

import numpy as np

from .arrays import BomArrays, is_none


def propagate_up(arrays: BomArrays, own: np.ndarray, through: np.ndarray) -> np.ndarray:
    """``flag(p) = own(p) or (through(p) and any(flag(child)))`` for every part, a level at a time."""
    flag = own.copy()
    for height in range(1, len(arrays.levels)):
        nodes = arrays.levels[height]
        first, last = int(arrays.level_lines[height]), int(arrays.level_lines[height + 1])
        below = np.logical_or.reduceat(flag[arrays.child[first:last]], arrays.first_line[nodes] - first)
        flag[nodes] |= through[nodes] & below
    return flag


def contains_any(arrays: BomArrays, flag: np.ndarray) -> np.ndarray:
    """Whether some part below each part (not the part itself) has ``flag``."""
    anywhere = propagate_up(arrays, flag, np.ones(arrays.size, dtype=bool))
    result = np.zeros(arrays.size, dtype=bool)
    parents = np.flatnonzero(arrays.has_lines)
    if parents.size:
        order = np.argsort(arrays.first_line[parents])
        parents = parents[order]
        result[parents] = np.logical_or.reduceat(anywhere[arrays.child], arrays.first_line[parents])
    return result


class DecidingInputs:
    """The deciding inputs of the items of one BOM (see the module docstring)."""

    def __init__(self, bom):
        arrays = bom.arrays
        self.arrays = arrays
        n = arrays.size
        declarations = bom.declarations
        declaration_open = np.zeros(n, dtype=bool)
        for part_id, cn, unknown in zip(declarations.index, declarations["cn_part1_value"],
                                        declarations["unknown_origin_part1_value"]):
            declaration_open[arrays.position[part_id]] = cn is None or unknown is None or unknown > 0
        no_value = is_none(bom.parts["unit_value"].to_numpy(dtype=object))
        summed = ~arrays.china_origin_part1 & ~arrays.declaration_source
        #: marks of a part counted for an item above it; ``_own`` for the item itself
        self._own = ((arrays.declaration_source & declaration_open) | (arrays.china_origin_part1 & no_value)
                     | (summed & arrays.bought_part2))
        self._mark = self._own | arrays.may_be_cn_part1
        self._through = summed
        self._content = propagate_up(arrays, self._mark, summed)
        self._value_mark = no_value & ~arrays.has_lines
        self._no_value = no_value
        self._value = propagate_up(arrays, self._value_mark, no_value)
        self._content_sets: dict[int, frozenset] = {}
        self._value_sets: dict[int, frozenset] = {}

    def _children(self, node: int, marked: np.ndarray) -> list[int]:
        first = int(self.arrays.first_line[node])
        children = self.arrays.child[first:first + int(self.arrays.line_count[node])]
        return np.unique(children[marked[children]]).tolist()

    def _sets(self, start: int, marked: np.ndarray, mark: np.ndarray, through: np.ndarray, memo: dict) -> frozenset:
        """The marked parts at or below ``start`` (descending only through ``through``), memoised."""
        stack = [start]
        while stack:
            node = stack[-1]
            if node in memo:
                stack.pop()
                continue
            children = self._children(node, marked) if through[node] else []
            pending = [c for c in children if c not in memo]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            parts = [memo[c] for c in children]
            if mark[node]:
                parts.append(frozenset((node,)))
            if not parts:
                memo[node] = frozenset()
            elif len(parts) == 1:
                memo[node] = parts[0]
            else:
                memo[node] = frozenset().union(*parts)
        return memo[start]

    def of(self, part_id: str, needs_value: bool, needs_content: bool) -> tuple[str, ...]:
        """The deciding inputs of item ``part_id``, sorted (the item itself is named by the caller)."""
        arrays = self.arrays
        item = arrays.position[part_id]
        found: set[int] = set()
        if needs_content:
            if self._own[item]:
                found.add(item)
            if self._through[item]:
                for child in self._children(item, self._content):
                    found |= self._sets(child, self._content, self._mark, self._through, self._content_sets)
        if needs_value and self._no_value[item]:
            found |= self._sets(item, self._value, self._value_mark, self._no_value, self._value_sets)
        return tuple(sorted(arrays.ids[i] for i in found))
