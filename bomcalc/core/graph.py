"""The BOM's lines as integer arrays: one topological pass, the cycle check, a graph built on demand (core layer).

:func:`order_lines` runs Kahn's algorithm over the lines a generation at a time with numpy (in-degree
counting), giving the same order ``networkx.topological_sort`` gives on the BOM graph (the parts with no
parent in table order, then each generation in the order its parts lost their last parent). The parts it
cannot order are the cycles and what lies below them: only that remainder goes to networkx to name the
cycles (:func:`cycle_issues`), so a BOM without a cycle never builds a graph.

:class:`GraphSource` is what the ``Bom.graph`` of a built BOM is made from: the parts and lines tables
become a ``networkx.DiGraph`` the first time anything reads ``Bom.graph``
(:class:`~bomcalc.core.built_on_read.BuiltOnRead`), so a check, which reads the arrays, never imports networkx.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import ERROR, DataIssue
from .tables import Collector, rows_text


@dataclass(frozen=True)
class LineOrder:
    """The parts (``ids``, nodes in graph order), the order Kahn's algorithm gives (``order``, indices into
    ``ids``: every parent before its children; shorter than ``ids`` when there is a cycle) and ``cyclic``
    (bool per part: in a cycle or below one)."""

    ids: tuple
    order: np.ndarray
    cyclic: np.ndarray
    line_count: np.ndarray  # lines per part (as a parent)
    parent: np.ndarray | None = None  # per line, in the order given: index of its parent in ``ids``
    child: np.ndarray | None = None
    position: dict | None = None  # ``ids[i] -> i``

    @property
    def has_cycle(self) -> bool:
        return bool(self.cyclic.any())

    def topological(self) -> tuple:
        ids = self.ids
        return tuple(ids[i] for i in self.order.tolist())


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.repeat(starts - (ends - counts), counts) + np.arange(total, dtype=np.int64)


def order_lines(part_ids, parents, children, codes: tuple[np.ndarray, np.ndarray] | None = None,
                positions: dict | None = None) -> LineOrder:
    """Kahn's algorithm over the lines ``parents[i] -> children[i]`` (listed in graph edge order).

    The nodes are ``part_ids`` in order, then any part a line names that is not among them (in the order
    networkx would add it). A generation is ordered as ``networkx.topological_generations`` orders it.
    ``codes``, when the caller has them: the position in ``part_ids`` of every parent and child (-1 for
    a part not among them), so the names are not looked up again; ``positions``, when it has it: each
    of ``part_ids`` with its position (not changed here).
    """
    ids = list(part_ids)
    position = positions if positions is not None and len(positions) == len(ids) else dict(zip(ids, range(len(ids))))
    if codes is not None and len(codes[0]) == len(parents) and len(codes[1]) == len(children):
        parent, child = np.asarray(codes[0], dtype=np.int64), np.asarray(codes[1], dtype=np.int64)
    else:
        parent, child = lines_codes(position, parents, children)
    if len(position) != len(ids):
        raise ValueError("order_lines: a part id is given twice")
    if (parent < 0).any() or (child < 0).any():  # parts only lines name: nodes networkx adds edge by edge
        position = dict(position) if position is positions else position
        for p, c in zip(parents, children):
            for name in (p, c):
                if name not in position:
                    position[name] = len(ids)
                    ids.append(name)
        parent, child = lines_codes(position, parents, children)
    n = len(ids)
    by_parent = np.argsort(parent, kind="stable")
    child_sorted = child[by_parent]
    count = np.bincount(parent, minlength=n).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64) if n else np.zeros(0, dtype=np.int64)
    remaining = np.bincount(child, minlength=n).astype(np.int64)
    generation = np.flatnonzero(remaining == 0)
    pieces = []
    last_seen = np.full(n, -1, dtype=np.int64)  # where a child is last met in this generation's lines, else -1
    while generation.size:
        pieces.append(generation)
        below = child_sorted[_ranges(start[generation], count[generation])]
        if not below.size:
            break
        generation = freed_parts(below, remaining, last_seen)
    order = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    cyclic = np.ones(n, dtype=bool)
    cyclic[order] = False
    return LineOrder(tuple(ids), order, cyclic, count, parent, child, position)


def freed_parts(below: np.ndarray, remaining: np.ndarray, last_seen: np.ndarray) -> np.ndarray:
    """The parts met in ``below`` (the far ends of one generation's lines) whose count in ``remaining`` (lines
    left to them) these lines bring to 0, each once, in the order of where they are last met: networkx frees a
    child when its count reaches 0. ``remaining`` is counted down; ``last_seen`` is -1 everywhere before and
    after. The work is in ``len(below)``, not in the number of parts: a deep BOM costs no more per line.
    """
    np.subtract.at(remaining, below, 1)
    at = np.arange(len(below), dtype=np.int64)
    np.maximum.at(last_seen, below, at)
    freed = below[(last_seen[below] == at) & (remaining[below] == 0)]  # at its last place: once, in that order
    last_seen[below] = -1
    return freed


def line_codes(position: dict, names) -> np.ndarray:
    """``position[name]`` of every one of ``names`` as int64, -1 for a name ``position`` lacks
    (:func:`lines_codes` of one column)."""
    return lines_codes(position, names)[0]


def lines_codes(position: dict, *columns) -> tuple[np.ndarray, ...]:
    """:func:`line_codes` of each of ``columns`` (e.g. the parents and the children), found together.

    The keys of ``position`` and every cell are told apart in one C pass (``pandas.factorize``, which
    compares as a dict does: hash, then identity or ``==``); a code the keys hold becomes its key's
    position, any other code -1. A missing cell (``None``, NaN) is looked up one by one, as a dict finds
    it. Keys that ``factorize`` would not keep apart (two NaNs, a key that is ``None``) make the
    cells be looked up column by column (:func:`_distinct_codes`)."""
    cells = [np.fromiter(names, object, len(names)) for names in columns]
    keys = np.fromiter(position, object, len(position))
    codes, distinct = pd.factorize(np.concatenate([keys, *cells]) if cells else keys)
    size = len(keys)
    if not np.array_equal(codes[:size], np.arange(size)):  # a key factorize does not count apart
        return tuple(_distinct_codes(position, column) for column in cells)
    found = np.full(len(distinct) + 1, -1, dtype=np.int64)
    found[:size] = np.fromiter(position.values(), np.int64, size)
    out, start = [], size
    for column in cells:
        own = codes[start:start + len(column)]
        start += len(column)
        out.append(_looked_up_missing(position, column, own, found[own]))
    return tuple(out)


def _distinct_codes(position: dict, cells: np.ndarray) -> np.ndarray:
    """:func:`line_codes` of ``cells`` (an object array): the distinct cells looked up in ``position``."""
    codes, distinct = pd.factorize(cells)
    found = np.append(np.fromiter(map(position.get, distinct, itertools.repeat(-1)), np.int64, len(distinct)), -1)[codes]
    return _looked_up_missing(position, cells, codes, found)


def _looked_up_missing(position: dict, cells: np.ndarray, codes: np.ndarray, found: np.ndarray) -> np.ndarray:
    """``found``, with every cell ``factorize`` gave no code (``None``, NaN) looked up in ``position`` itself."""
    missing = np.flatnonzero(codes < 0)
    if missing.size:
        found[missing] = np.fromiter(map(position.get, cells[missing], itertools.repeat(-1)), np.int64, missing.size)
    return found


def cycle_issues(line_order: LineOrder, parents, children, first_row: dict, table) -> list[DataIssue]:
    """The ``cycle`` errors of the BOM, one per strongly connected component with a cycle (by first row).

    Only the parts Kahn's algorithm could not order (the cycles and what lies below them) and the lines
    between them are handed to networkx, in the graph's node and edge order.
    """
    if not line_order.has_cycle:
        return []
    import networkx as nx

    ids = line_order.ids
    left = {ids[i] for i in np.flatnonzero(line_order.cyclic).tolist()}
    graph = nx.DiGraph()
    graph.add_nodes_from(part for part in ids if part in left)
    graph.add_edges_from((p, c) for p, c in zip(parents, children) if p in left and c in left)
    return _component_issues(graph, first_row, table)


def _component_issues(graph: nx.DiGraph, first_row: dict, table) -> list[DataIssue]:
    """A ``cycle`` error for every strongly connected component of ``graph`` with a cycle, by its first row.

    Each cycle is looked for in a graph of its own component that keeps ``graph``'s node and edge order,
    so the cycle named does not depend on the order a Python set lists the component in.
    """
    import networkx as nx

    found = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        sub = nx.DiGraph()
        sub.add_nodes_from(node for node in graph if node in component)
        sub.add_edges_from((u, v) for u in sub for v in graph.succ[u] if v in component)
        cycle = nx.find_cycle(sub)
        names = [edge[0] for edge in cycle] + [cycle[0][0]]
        rows = sorted(first_row[(edge[0], edge[1])] for edge in cycle)
        found.append((rows, names))
    issues: list[DataIssue] = []
    out = Collector(issues, table)
    for rows, names in sorted(found):
        out.add(
            ERROR,
            "cycle",
            f"the BOM has a cycle {' -> '.join(names)} (lines on rows {rows_text(rows)}); "
            "a part cannot contain itself, correct the parent or child of one of these lines",
            rows[0],
            names[0],
        )
    return issues


class GraphSource:
    """What a built BOM's ``networkx`` graph is made from the first time ``Bom.graph`` is read.

    Node ``part_id`` for every one of ``part_ids`` (in table order), edge ``parent -> child`` for every
    row of ``lines`` (in table order) carrying ``qty``, ``alt_group`` and ``usage_probability``.
    ``line_order`` is the :class:`LineOrder` of those lines, when known (its part codes are reused by the
    arrays). Holding one costs nothing: networkx is not even imported until a graph is built.
    """

    __slots__ = ("part_ids", "lines", "line_order")

    def __init__(self, part_ids, lines: pd.DataFrame, line_order: LineOrder | None = None):
        self.part_ids, self.lines, self.line_order = part_ids, lines, line_order

    def __getstate__(self):
        return self.part_ids, self.lines, self.line_order

    def __setstate__(self, state):
        self.part_ids, self.lines, self.line_order = state

    def build(self):
        """The ``networkx.DiGraph`` of these parts and lines."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(self.part_ids)
        lines = self.lines
        if len(lines):
            alt = lines["alt_group"] if "alt_group" in lines else [None] * len(lines)
            probability = lines["usage_probability"] if "usage_probability" in lines else [None] * len(lines)
            graph.add_edges_from(
                (parent, child, {"qty": qty, "alt_group": group, "usage_probability": p})
                for parent, child, qty, group, p in zip(lines["parent"], lines["child"], lines["qty"], alt, probability)
            )
        return graph


def graph_source(bom) -> GraphSource | None:
    """The :class:`GraphSource` of ``bom``'s graph while it is still unread, else ``None``."""
    value = bom.__dict__.get("graph")
    return value if isinstance(value, GraphSource) else None


def graph_built(bom) -> bool:
    """Whether ``bom``'s graph was built (read, or given as a graph)."""
    return graph_source(bom) is None


def unread_lines(bom):
    """The lines table ``bom``'s unread graph will be built from, else ``None``."""
    source = graph_source(bom)
    return None if source is None else source.lines


def unread_order(bom) -> LineOrder | None:
    """The :class:`LineOrder` of the lines ``bom``'s unread graph will be built from (its ``parent`` and
    ``child`` codes one per row of that table), when it was given one, else ``None``."""
    source = graph_source(bom)
    return None if source is None else source.line_order


def adjacency(bom) -> tuple[dict, dict]:
    """``(succ, pred)`` of ``bom``'s graph: ``succ[parent][child]`` the line's attributes (as ``graph.succ``
    holds them, in the same order), ``pred[child]`` the parents (keys of ``graph.pred``).

    Read from the lines table when the graph is still to be filled from it (plain dicts cost a fraction
    of a networkx graph), else the graph's own views.
    """
    lines = unread_lines(bom)
    if lines is None or lines is not bom.lines:
        return bom.graph.succ, bom.graph.pred
    part_ids = graph_source(bom).part_ids
    succ: dict = {part: {} for part in part_ids}
    pred: dict = {part: {} for part in part_ids}
    if len(lines):
        alt = lines["alt_group"] if "alt_group" in lines else [None] * len(lines)
        probability = lines["usage_probability"] if "usage_probability" in lines else [None] * len(lines)
        for parent, child, qty, group, p in zip(lines["parent"], lines["child"], lines["qty"], alt, probability):
            attributes = {"qty": qty, "alt_group": group, "usage_probability": p}
            succ.setdefault(parent, {})[child] = attributes
            pred.setdefault(child, {})[parent] = attributes
            succ.setdefault(child, {})
            pred.setdefault(parent, {})
    return succ, pred


def ancestors(pred: dict, part) -> set:
    """Every part above ``part`` (``networkx.ancestors`` over a ``pred`` mapping)."""
    seen: set = set()
    frontier = [part]
    while frontier:
        found = [parent for node in frontier for parent in pred[node] if parent not in seen]
        frontier = []
        for parent in found:
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
    seen.discard(part)
    return seen


def has_lines(bom, part_id) -> bool:
    """Whether ``part_id`` has lines (components) in ``bom``, read from the arrays while the graph is unread."""
    if graph_built(bom):
        return bool(bom.graph.succ[part_id])
    arrays = bom.arrays
    return bool(arrays.line_count[arrays.position[part_id]])
