"""A bill of materials compiled to arrays, once per :class:`~bomcalc.core.model.Bom` (core layer).

:attr:`Bom.arrays <bomcalc.core.model.Bom.arrays>` builds a :class:`BomArrays` on first use and
keeps it: integer ids for the parts (their order in ``bom.parts``), the BOM lines as CSR arrays
(the lines of one parent side by side, ``qty`` as float64 with the exact ``Decimal`` kept
alongside), one level order (a part's level is the length of its longest path down to a leaf, so
every child has a lower level than its parents and one level can be rolled up at once), the
alternate groups, and the facts of every part the roll-up step reads as boolean masks. The
networkx graph stays the reference; nothing here changes the ``Bom``.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .errors import BomError
from .graph import freed_parts, line_codes, lines_codes, unread_lines, unread_order
from .rollup import ALTERNATE_POLICIES
from .values import EXACT

NAN = float("nan")
#: Floats whose magnitude lies outside [TINY, HUGE] are not trusted to carry a relative error
#: bound (subnormals, underflow to 0, overflow): the parts above them are decided exactly.
TINY = 2.0**-900
HUGE = 2.0**900


def _floats(numbers, repeats: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``(floats, trusted)`` of a sequence of ``Decimal`` or ``None`` (NaN). ``trusted`` is False
    for a negative, non-finite, subnormal or overflowing number: floats then decide nothing above it.

    With ``repeats`` (a column of the lines, where a million quantities are often a few hundred
    numbers), each distinct number is converted once."""
    exact = numbers if isinstance(numbers, np.ndarray) else _objects(numbers)
    if not repeats or len(exact) < 1024:
        return _distinct_floats(exact)
    # the same object is the same float: each distinct object is converted once. A column read once per
    # distinct text holds one object per number; told apart by identity, no cell is hashed or compared.
    codes, distinct = pd.factorize(object_addresses(exact))
    if len(distinct) * 2 > len(exact):
        return _distinct_floats(exact)
    one_of_each = np.empty(len(distinct), dtype=np.int64)
    one_of_each[codes] = np.arange(len(exact), dtype=np.int64)  # any cell of each code: they are one object
    converted, trusted = _distinct_floats(exact[one_of_each])
    return converted[codes], trusted[codes]


def _distinct_floats(exact: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    missing = is_none(exact)
    # float(Decimal) is correctly rounded: relative error at most 2**-53 in the normal range
    filled = exact.copy()
    filled[missing] = NAN
    converted = filled.astype(np.float64)  # float() of every cell, in C
    trusted = np.isfinite(converted) & ~np.signbit(converted) & ((converted >= TINY) & (converted <= HUGE) | (converted == 0))
    for i in np.flatnonzero((converted == 0) & ~missing).tolist():
        trusted[i] = exact[i].is_zero()  # 0 only if it is 0, not a number too small for a float
    converted[missing] = NAN
    trusted[missing] = True
    return converted, trusted


def ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The concatenation of ``arange(start, start + count)`` for every pair, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(starts - (ends - counts), counts)
    return offsets + np.arange(total, dtype=np.int64)


@dataclass(frozen=True)
class Weights:
    """How the lines of one alternates policy count, in CSR order.

    ``weight`` [float64] is the qty a line counts with (``qty``; ``qty x usage_probability``
    under ``probability``; 0 for an alternative ``primary`` does not choose), ``grouped`` says
    whether the members of a group are one slot of which only the largest (or smallest) amount
    counts (``conservative``). ``slot_start`` holds the first line of every slot; ``node_slot``
    the first slot of every parent, in the order of ``BomArrays.parents_in_order``.
    """

    weight: np.ndarray
    weight_exact: np.ndarray  # object: the same weights as Decimals (as line_weights gives them)
    grouped: bool
    slot_start: np.ndarray
    node_slot: np.ndarray


@dataclass(frozen=True, eq=False)
class BomArrays:
    """The arrays of one BOM (see the module docstring). Part ``i`` is ``ids[i]``."""

    ids: tuple[str, ...]
    position: dict[str, int]
    level: np.ndarray  # int64 per part: longest path to a leaf (0 for a leaf)
    levels: tuple[np.ndarray, ...]  # part indices per level, level 0 first
    parent: np.ndarray  # per line (CSR order: parents by level, then as in levels)
    child: np.ndarray
    qty: np.ndarray  # float64
    qty_exact: np.ndarray  # object: the exact Decimal qty
    group: np.ndarray  # per line: -1 for a plain line, else the id of its (parent, alt_group)
    probability_exact: np.ndarray  # object: Decimal usage probability or None
    first_line: np.ndarray  # per part: index of its first line
    line_count: np.ndarray  # per part
    level_lines: np.ndarray  # per level: index of its first line (len = levels + 1)
    unit_value: np.ndarray  # float64, NaN when missing
    unit_value_exact: np.ndarray  # object: Decimal or None
    declared_exact: tuple[np.ndarray, np.ndarray]  # object: declared cn and cn + unknown (Decimal or None)
    declared: np.ndarray  # bool
    declared_lower: np.ndarray  # float64: declared cn_part1_value, NaN when missing
    declared_upper: np.ndarray  # float64: cn + unknown declared, NaN when either is missing
    phantom: np.ndarray
    has_lines: np.ndarray
    china_origin_part1: np.ndarray  # source_kind == "china_origin_part1"
    declaration_source: np.ndarray  # source_kind == "declaration"
    may_be_cn_part1: np.ndarray
    bought_part2: np.ndarray  # a Part 2 item with no lines (content_unknown when not declared)
    untrusted: np.ndarray  # bool per part: a float of its own or of one of its lines is not trusted
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def children_of(self, nodes: np.ndarray) -> np.ndarray:
        """The children over every line of ``nodes`` (with repeats)."""
        return self.child[ranges(self.first_line[nodes], self.line_count[nodes])]

    def below(self, nodes, stop: np.ndarray | None = None) -> np.ndarray:
        """Mask of ``nodes`` and every part below them; parts where ``stop`` is True are not descended from."""
        seen = np.zeros(self.size, dtype=bool)
        frontier = np.unique(np.asarray(nodes, dtype=np.int64))
        seen[frontier] = True
        while frontier.size:
            if stop is not None:
                frontier = frontier[~stop[frontier]]
            found = np.unique(self.children_of(frontier))
            frontier = found[~seen[found]]
            seen[frontier] = True
        return seen

    def weights(self, policy: str) -> Weights:
        """The :class:`Weights` of ``policy`` (one of :data:`~bomcalc.core.rollup.ALTERNATE_POLICIES`), kept."""
        if policy not in ALTERNATE_POLICIES:
            raise ValueError(policy)
        if policy not in self._cache:
            self._cache[policy] = _weights(self, policy)
        return self._cache[policy]


def _weights(arrays: BomArrays, policy: str) -> Weights:
    lines = len(arrays.child)
    weight = arrays.qty.copy()
    weight_exact = arrays.qty_exact.copy()
    grouped = policy == "conservative" and bool((arrays.group >= 0).any())
    if policy != "conservative":
        members: dict[int, list[int]] = {}
        for line in np.flatnonzero(arrays.group >= 0).tolist():
            members.setdefault(int(arrays.group[line]), []).append(line)
        for group_lines in members.values():
            # lines of one group keep the order they are listed in (see compile_arrays)
            if policy == "probability":
                for line in group_lines:
                    probability = arrays.probability_exact[line]
                    if probability is not None:
                        weight_exact[line] = EXACT.multiply(arrays.qty_exact[line], probability)
                        weight[line] = float(weight_exact[line])
            else:
                ranked = [(p if p is not None else Decimal(-1), -i) for i, p in
                          enumerate(arrays.probability_exact[line] for line in group_lines)]
                chosen = group_lines[max(range(len(group_lines)), key=ranked.__getitem__)]
                for line in group_lines:
                    if line != chosen:
                        weight[line] = 0.0
                        weight_exact[line] = Decimal(0)
    if grouped:
        new_slot = np.ones(lines, dtype=bool)
        if lines:
            same_group = (arrays.group[1:] >= 0) & (arrays.group[1:] == arrays.group[:-1])
            new_slot[1:] = ~same_group
        slot_start = np.flatnonzero(new_slot)
    else:
        slot_start = np.arange(lines, dtype=np.int64)
    parents = np.flatnonzero(arrays.line_count > 0)
    node_slot = np.searchsorted(slot_start, arrays.first_line[parents])
    node_slot_full = np.zeros(arrays.size, dtype=np.int64)
    node_slot_full[parents] = node_slot
    return Weights(weight, weight_exact, grouped, slot_start, node_slot_full)


def _objects(values) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def object_addresses(values: np.ndarray) -> np.ndarray:
    """The address (``id``) of every object an ``object`` array holds, as ``intp``: two cells hold the
    same object exactly when their addresses are equal. The addresses are the array's own buffer, read
    in one copy; no object is touched, so none is asked for its hash or compared."""
    values = np.ascontiguousarray(values, dtype=object)
    if values.ndim != 1:
        raise ValueError(f"object_addresses reads a column (one dimension), not {values.ndim}")
    if not len(values):
        return np.zeros(0, dtype=np.intp)
    held = (ctypes.c_ssize_t * len(values)).from_address(values.ctypes.data)  # the PyObject pointers
    return np.ctypeslib.as_array(held).astype(np.intp, copy=True)


def is_none(values: np.ndarray) -> np.ndarray:
    """Mask of the cells of ``values`` that are ``None`` (NaN is not): the cells holding the one ``None``."""
    return object_addresses(values) == id(None)


def _lines(bom, position: dict[str, int], order) -> tuple[np.ndarray, ...]:
    """``(parent, child, qty, alt_group, usage_probability)`` of every line, in the graph's order.

    The lines table holds the graph's edges in the order they were added, so a parent's lines
    keep the order the graph lists them in (alternatives are ranked by it); when the table
    does not match the graph, the graph is read edge by edge. A graph still to be filled from
    this very table is never filled here; the part codes its :class:`~bomcalc.core.graph.LineOrder`
    (``order``) holds are taken as they are, not looked up again.
    """
    lines = bom.lines
    columns = {"parent", "child", "qty", "alt_group", "usage_probability"}
    unread = unread_lines(bom)  # a graph not yet built from the lines is not built here
    if columns <= set(lines.columns) and (unread is lines if unread is not None else len(lines) == bom.graph.number_of_edges()):
        if order is not None and len(order.parent) == len(lines):
            remap = None if order.position is position else line_codes(position, order.ids)
            parent = order.parent if remap is None else remap[order.parent]
            child = order.child if remap is None else remap[order.child]
        else:
            parent, child = lines_codes(position, lines["parent"], lines["child"])
        if (parent >= 0).all() and (child >= 0).all():
            return (parent, child, lines["qty"].to_numpy(dtype=object),
                    lines["alt_group"].to_numpy(dtype=object), lines["usage_probability"].to_numpy(dtype=object))
    edges = [(p, c, a) for p, children in bom.graph.adj.items() for c, a in children.items()]
    return (np.array([position[e[0]] for e in edges], dtype=np.int64),
            np.array([position[e[1]] for e in edges], dtype=np.int64),
            _objects([e[2]["qty"] for e in edges]), _objects([e[2].get("alt_group") for e in edges]),
            _objects([e[2].get("usage_probability") for e in edges]))


def _source_order(bom, ids: tuple):
    """``(position, order)``: ``ids[i] -> i`` and the :class:`~bomcalc.core.graph.LineOrder` of the lines
    table, when ``bom``'s graph is still to be filled from it (its dict is taken when it holds ``ids``)."""
    order = unread_order(bom) if unread_lines(bom) is bom.lines else None
    if order is not None and order.parent is not None:
        if order.position is not None and order.ids == ids:
            return order.position, order
        return dict(zip(ids, range(len(ids)))), order
    return dict(zip(ids, range(len(ids)))), None


def _declared(declarations, position: dict, n: int, untrusted: np.ndarray):
    """The declared content of every part: ``(declared, lower floats, upper floats, (lower, upper) exact)``;
    marks in ``untrusted`` the parts whose declared figures floats cannot hold."""
    declared = np.zeros(n, dtype=bool)
    declared_lower = np.full(n, NAN)
    declared_upper = np.full(n, NAN)
    declared_exact = (np.full(n, None, dtype=object), np.full(n, None, dtype=object))
    for part_id, cn, unknown in zip(declarations.index, declarations["cn_part1_value"],
                                    declarations["unknown_origin_part1_value"]):
        i = position[part_id]
        declared[i] = True
        upper = None if cn is None or unknown is None else EXACT.add(cn, unknown)
        declared_exact[0][i], declared_exact[1][i] = cn, upper
        (declared_lower[i], declared_upper[i]), trusted = _floats([cn, upper])
        untrusted[i] |= not trusted.all() or (unknown is not None and not _floats([unknown])[1].all())
    return declared, declared_lower, declared_upper, declared_exact


def _column(parts, name: str, n: int) -> np.ndarray:
    return parts[name].to_numpy(dtype=object) if name in parts else np.full(n, None, dtype=object)


def _part_flags(parts, n: int, home: str) -> dict[str, np.ndarray]:
    """Boolean arrays of the parts' Annex 1 status, origin and phantom flag."""
    annex1, origin, known = (_column(parts, name, n) for name in ("annex1", "origin", "annex1_known"))
    return {
        "phantom": _column(parts, "phantom", n).astype(bool),  # bool() of every cell
        "part1": np.asarray(annex1 == "part1", dtype=bool),
        "part2": np.asarray(annex1 == "part2", dtype=bool),
        "unlisted": is_none(annex1),
        "china": np.asarray(origin == home, dtype=bool),
        "no_origin": is_none(origin),
        "status_unknown": ~is_none(known) & ~known.astype(bool),
    }


def compile_arrays(bom) -> BomArrays:
    """Compile ``bom`` to :class:`BomArrays` (use :attr:`Bom.arrays`, which keeps the result)."""
    parts = bom.parts
    ids = tuple(parts.index)
    n = len(ids)
    position, line_order = _source_order(bom, ids)

    # the lines, in the graph's order (alternatives are ranked by the order they are listed in)
    parent, child, qty_list, alt_groups, probability_list = _lines(bom, position, line_order)
    qty_floats, probability_floats = _floats(qty_list, True), _floats(probability_list, True)  # in table order: cheaper
    group = np.full(len(child), -1, dtype=np.int64)
    group_ids: dict[tuple, int] = {}
    for i in np.flatnonzero(~is_none(alt_groups)).tolist():
        group[i] = group_ids.setdefault((int(parent[i]), alt_groups[i]), len(group_ids))

    level = _levels(n, parent, child)
    by_level = np.argsort(level, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[by_level] = np.arange(n)
    listed = np.arange(len(child), dtype=np.int64)
    # members of a group side by side, at the place of the group's first member
    first_of_group = np.full(max(1, len(group_ids)), len(child), dtype=np.int64)
    grouped = group >= 0
    np.minimum.at(first_of_group, group[grouped], listed[grouped])
    slot_key = np.where(grouped, first_of_group[np.maximum(group, 0)], listed)
    order = np.lexsort((listed, slot_key, rank[parent])) if len(child) else listed
    parent, child, group = parent[order], child[order], group[order]
    qty_exact = qty_list[order]
    probability_exact = probability_list[order]
    qty, qty_trusted = (floats[order] for floats in qty_floats)
    probability_trusted = probability_floats[1][order]
    line_count = np.bincount(parent, minlength=n).astype(np.int64)
    starts_by_rank = np.concatenate([[0], np.cumsum(line_count[by_level])])
    first_line = np.empty(n, dtype=np.int64)
    first_line[by_level] = starts_by_rank[:-1]
    top = int(level.max()) + 1 if n else 0
    level_sizes = np.bincount(level, minlength=top)
    level_starts = np.concatenate([[0], np.cumsum(level_sizes)])
    levels = tuple(by_level[level_starts[h]:level_starts[h + 1]] for h in range(top))
    level_lines = np.array([int(starts_by_rank[level_starts[h]]) for h in range(top + 1)], dtype=np.int64)

    untrusted = np.zeros(n, dtype=bool)
    untrusted[parent[~qty_trusted | np.isnan(qty)]] = True
    untrusted[parent[~probability_trusted]] = True
    unit_value_exact = parts["unit_value"].to_numpy(dtype=object)
    unit_value, trusted = _floats(unit_value_exact)
    untrusted |= ~trusted
    declared, declared_lower, declared_upper, declared_exact = _declared(bom.declarations, position, n, untrusted)
    flags = _part_flags(parts, n, bom.content_origin)
    china_origin_part1 = flags["part1"] & flags["china"]
    has_lines = line_count > 0
    return BomArrays(
        ids=ids,
        position=position,
        level=level,
        levels=levels,
        parent=parent,
        child=child,
        qty=qty,
        qty_exact=qty_exact,
        group=group,
        probability_exact=probability_exact,
        first_line=first_line,
        line_count=line_count,
        level_lines=level_lines,
        unit_value=unit_value,
        unit_value_exact=unit_value_exact,
        declared_exact=declared_exact,
        declared=declared,
        declared_lower=declared_lower,
        declared_upper=declared_upper,
        phantom=flags["phantom"],
        has_lines=has_lines,
        china_origin_part1=china_origin_part1,
        declaration_source=declared & ~china_origin_part1,
        may_be_cn_part1=(flags["part1"] & flags["no_origin"])
        | (flags["status_unknown"] & flags["unlisted"] & (flags["china"] | flags["no_origin"])),
        bought_part2=flags["part2"] & ~has_lines,
        untrusted=untrusted,
    )


def _levels(n: int, parent: np.ndarray, child: np.ndarray) -> np.ndarray:
    """The level of every part: 0 for a leaf, else one more than its highest child (Kahn's algorithm, a level at a time)."""
    level = np.zeros(n, dtype=np.int64)
    if n == 0:
        return level
    parents_of = parent[np.argsort(child)]  # the parents of each child side by side, in any order
    parent_count = np.bincount(child, minlength=n)
    parent_start = np.concatenate([[0], np.cumsum(parent_count)[:-1]])
    remaining = np.bincount(parent, minlength=n)
    frontier = np.flatnonzero(remaining == 0)
    last_seen = np.full(n, -1, dtype=np.int64)
    done, height = 0, 0
    while frontier.size:
        level[frontier] = height
        done += frontier.size
        above = parents_of[ranges(parent_start[frontier], parent_count[frontier])]
        frontier = freed_parts(above, remaining, last_seen)  # the parents whose last child was in this level
        height += 1
    if done != n:
        raise BomError("the BOM graph has a cycle; it cannot be rolled up")
    return level


def gamma(k: np.ndarray | int) -> np.ndarray | float:
    """``k u / (1 - k u)`` with ``u = 2**-53``: the bound on the relative error of ``k`` roundings."""
    u = 2.0**-53
    k = np.asarray(k, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(k * u < 0.5, k * u / (1 - k * u), math.inf)
