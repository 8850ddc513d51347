"""Where China-origin Part 1 value comes from: extended quantities, contributions, paths (core layer).

The roll-up (:mod:`bomcalc.core.rollup`) says *how much*; this module says *from where*. A
*source* is where the roll-up's lower bound takes a value instead of adding up components: a
China-origin Part 1 item (its own ``unit_value``), a part with a supplier declaration (its
declared value), or a part that may be a China-origin Part 1 item and is counted as one because
its own value is less than its inputs' content (:func:`bomcalc.core.rollup.lower_source_kind`). Every unit of China-origin Part 1 content of an item comes from the sources below it,
reached through parts that are not sources themselves, so

    cn_part1_value(item) = sum over sources s of extended_qty(item, s) x content(s)

exactly, where ``extended_qty`` is the quantity of ``s`` in one unit of the item summed over
all paths, with the line weights of the roll-up (alternates resolved the same way). Every
function is linear in the size of the item's sub-BOM; paths are listed only on request and
capped.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .model import Bom
from .rollup import ZERO, line_weights, lower_source_kind, may_be_cn_part1, part_facts, source_kind
from .values import EXACT, part_id_text, ratio

CONTRIBUTION_COLUMNS = (
    "item",  # the Annex 1 item
    "source",  # the contributing part
    "kind",  # "china_origin_part1" | "declaration" | "possible_china_origin_part1" (counted at its own value)
    "description",
    "extended_qty",  # Decimal [source uom per unit of the item]
    "unit_content",  # Decimal [currency per unit of the source]: its unit_value or declared value
    "extended_value",  # Decimal [currency per unit of the item]
    "share_of_value",  # Decimal [share, 0-1] of the item's value
    "share_of_content",  # Decimal [share, 0-1] of the item's China-origin Part 1 value
    "cumulative_share",  # running share of the content, largest first
    "paths",  # tuple of path texts "ITEM > SUB (x2) > DY (x0.01)"
)


def _source_kinds(bom: Bom, nodes, lower: dict, alternates: str, found: dict | None = None) -> dict[str, str | None]:
    """The source kind of each of ``nodes`` in the lower bound (``None``: the roll-up adds up its lines).

    :func:`~bomcalc.core.rollup.source_kind`, except for the parts that may be China-origin Part 1
    items, which :func:`~bomcalc.core.rollup.lower_source_kind` decides from their full facts.
    ``found``: the kinds found before for the same ``bom``, ``lower`` and ``alternates`` (a part's kind
    depends on nothing else); the kinds of ``nodes`` not in it are added, and it is returned.
    """
    parts, succ, declared = bom.parts, bom.graph.succ, bom.declarations.index
    known = parts["annex1_known"] if "annex1_known" in parts.columns else None
    kinds = {} if found is None else found
    undecided = []
    for node in (node for node in dict.fromkeys(nodes) if node not in kinds):
        annex1, origin = parts.at[node, "annex1"], parts.at[node, "origin"]
        kinds[node] = source_kind(annex1, origin, node in declared, bom.content_origin)
        if kinds[node] != "china_origin_part1" and may_be_cn_part1(
                annex1, origin, True if known is None else bool(known.at[node]), bom.content_origin):
            undecided.append(node)
    for node, facts in (part_facts(bom, undecided) if undecided else {}).items():
        kinds[node] = lower_source_kind(facts, succ[node], lower, alternates)
    return kinds


def _source_content(bom: Bom, part_id: str, kind: str) -> Decimal | None:
    """What one unit of a source contributes [currency per unit]: its own value or its declared value."""
    if kind == "declaration":
        return bom.declarations.at[part_id, "cn_part1_value"]
    return bom.parts.at[part_id, "unit_value"]


def _descendants_in_order(bom: Bom, item: str) -> list[str]:
    import networkx as nx

    below = nx.descendants(bom.graph, item)
    below.add(item)
    return bom.in_topological_order(below)


def extended_quantities(bom: Bom, rolled: pd.DataFrame, item: str, alternates: str = "conservative",
                        through_sources: bool = False) -> dict[str, Decimal]:
    """Quantity of every part in one unit of ``item``, summed over all paths [part uom].

    With ``through_sources`` false (the default) the walk stops below sources, as the content
    roll-up does; true walks the whole sub-BOM (where-used). Alternates count as the roll-up
    counts them for China-origin content.
    """
    return _extended_quantities(bom, rolled["cn_part1_value"].to_dict(), item, alternates, through_sources)


def _extended_quantities(bom: Bom, lower: dict, item: str, alternates: str, through_sources: bool) -> dict[str, Decimal]:
    quantity: dict[str, Decimal] = {item: Decimal(1)}
    succ = bom.graph.succ
    order = _descendants_in_order(bom, item)
    kinds = {} if through_sources else _source_kinds(bom, order, lower, alternates)
    for node in order:
        amount = quantity.get(node)
        if not amount:
            continue
        if node != item and not through_sources and kinds[node]:
            continue
        weights = line_weights(succ[node], lower, alternates) if not through_sources else None
        if weights is None:
            weights = {child: attributes["qty"] for child, attributes in succ[node].items()}
        for child, weight in weights.items():
            if weight:
                quantity[child] = EXACT.add(quantity.get(child, ZERO), EXACT.multiply(amount, weight))
    return quantity


def _reaching(bom: Bom, target: str, within: set[str]) -> set[str]:
    """``target`` and the parts of ``within`` from which it can be reached (a walk up inside ``within``)."""
    pred = bom.graph.pred
    found, stack = {target}, [target]
    while stack:
        for parent in pred[stack.pop()]:
            if parent in within and parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def paths(bom: Bom, item: str, target: str, limit: int = 20, below: set[str] | None = None) -> list[list[tuple[str, Decimal]]]:
    """Up to ``limit`` paths from ``item`` down to ``target``: lists of ``(part, qty on the line into it)``.

    ``below``: the item and every part below it, when the caller has them (a path never leaves
    them, so the walk up from ``target`` stays inside them: linear in the item's sub-BOM).
    """
    import networkx as nx

    reaches = nx.ancestors(bom.graph, target) | {target} if below is None else _reaching(bom, target, below)
    return _paths_among(bom, item, target, limit, reaches)


def _paths_among(bom: Bom, item: str, target: str, limit: int, reaches: set[str]) -> list[list[tuple[str, Decimal]]]:
    """:func:`paths`, given ``reaches``: ``target`` and every part it can be reached from (at least those
    below ``item``). Every part the walk enters leads to ``target``, so the walk ends after ``limit`` paths."""
    found: list[list[tuple[str, Decimal]]] = []
    if item not in reaches:
        return found
    stack = [(item, [(item, Decimal(1))])]
    while stack and len(found) < limit:
        node, path = stack.pop()
        if node == target:
            found.append(path)
            continue
        for child, attributes in reversed(list(bom.graph.succ[node].items())):
            if child in reaches:
                stack.append((child, path + [(child, attributes["qty"])]))
    return found


def path_text(path: list[tuple[str, Decimal]]) -> str:
    """``"ITEM > SUB (x2) > DY (x0.01)"``."""
    from .values import format_decimal

    head, *rest = path
    return " > ".join([head[0]] + [f"{part} (x{format_decimal(qty)})" for part, qty in rest])


def contributions(bom: Bom, rolled: pd.DataFrame, item: str, alternates: str = "conservative",
                  with_paths: bool = True, path_limit: int = 20, lower: dict | None = None) -> pd.DataFrame:
    """Every source of China-origin Part 1 content in one unit of ``item``, largest first.

    The ``extended_value`` column sums exactly to ``cn_part1_value(item)`` whenever that is
    known. Columns: :data:`CONTRIBUTION_COLUMNS`. ``lower``: ``rolled["cn_part1_value"]`` as a
    dict, when the caller has it. For many items, a :class:`Tracer` finds each part's sources once.
    """
    return Tracer(bom, rolled, alternates, lower).contributions(item, with_paths, path_limit)


class Tracer:
    """The contributions of many items of one roll-up (``rolled``, with ``alternates``), each part's
    sources found once for all of them.

    The sources below a part, with their quantity in one unit of it, are those of its children
    weighted by its lines (alternates resolved as the roll-up resolves them), or the part alone when it
    is a source: found for a part once, they serve every item above it, so tracing every item of a
    BOM is linear in its lines and in what the tables hold, however many items share a sub-assembly.
    The parts a source is reached from are found once per source (:data:`REACH_BUDGET`).
    """

    #: How many parts the kept sets of the parts each source is reached from may hold together; beyond it
    #: they are let go and found again when needed (a bound on memory, not on what is found).
    REACH_BUDGET = 5_000_000

    def __init__(self, bom: Bom, rolled: pd.DataFrame, alternates: str = "conservative", lower: dict | None = None):
        self.bom, self.rolled, self.alternates = bom, rolled, alternates
        self.lower = rolled["cn_part1_value"].to_dict() if lower is None else lower
        self.kinds: dict[str, str | None] = {}
        self._sources: dict[str, dict[str, Decimal]] = {}
        self._reaches: dict[str, set[str]] = {}
        self._reach_size = 0

    def sources(self, item: str) -> dict[str, Decimal]:
        """The sources in one unit of ``item`` and their quantity [source uom per unit of the item]."""
        found = self._sources
        if item not in found:
            succ, todo, seen, stack = self.bom.graph.succ, [], {item}, [item]
            while stack:  # the parts below item not traced yet
                node = stack.pop()
                todo.append(node)
                for child in succ[node]:
                    if child not in found and child not in seen:
                        seen.add(child)
                        stack.append(child)
            kinds = _source_kinds(self.bom, todo, self.lower, self.alternates, self.kinds)
            for node in reversed(self.bom.in_topological_order(todo)):  # each child before its parents
                found[node] = {node: Decimal(1)} if kinds[node] else self._weighted(node)
        return found[item]

    def _weighted(self, node: str) -> dict[str, Decimal]:
        """The sources of ``node``'s children, each child's weighted by its line."""
        children = self.bom.graph.succ[node]
        weights = line_weights(children, self.lower, self.alternates)
        if weights is None:
            weights = {child: attributes["qty"] for child, attributes in children.items()}
        total: dict[str, Decimal] = {}
        for child, weight in weights.items():
            if weight:
                for source, qty in self._sources[child].items():
                    total[source] = EXACT.add(total.get(source, ZERO), EXACT.multiply(weight, qty))
        return total

    def _reaching(self, source: str) -> set[str]:
        """``source`` and every part it is reached from."""
        if source not in self._reaches:
            import networkx as nx

            if self._reach_size > self.REACH_BUDGET:
                self._reaches.clear()
                self._reach_size = 0
            self._reaches[source] = nx.ancestors(self.bom.graph, source) | {source}
            self._reach_size += len(self._reaches[source])
        return self._reaches[source]

    def contributions(self, item: str, with_paths: bool = True, path_limit: int = 20) -> pd.DataFrame:
        """:func:`contributions` of ``item``."""
        return pd.DataFrame(self.rows(item, with_paths, path_limit), columns=list(CONTRIBUTION_COLUMNS), dtype=object)

    def rows(self, item: str, with_paths: bool = True, path_limit: int = 20) -> list[dict]:
        """The rows of :meth:`contributions`, as dicts (``{column: cell}``), in order."""
        bom, rolled = self.bom, self.rolled
        value = rolled.at[item, "value"]
        total = rolled.at[item, "cn_part1_value"]
        rows = []
        for source, qty in self.sources(item).items():
            kind = self.kinds[source]
            content = _source_content(bom, source, kind)
            extended = None if content is None else EXACT.multiply(qty, content)
            if extended == 0:
                continue
            rows.append(
                {
                    "item": item,
                    "source": source,
                    "kind": kind,
                    "description": bom.parts.at[source, "description"],
                    "extended_qty": qty,
                    "unit_content": content,
                    "extended_value": extended,
                    "share_of_value": ratio(extended, value),
                    "share_of_content": ratio(extended, total),
                    "paths": tuple(path_text(p) for p in _paths_among(bom, item, source, path_limit, self._reaching(source)))
                    if with_paths else (),
                }
            )
        return in_order(rows, total)


def in_order(rows: list[dict], total) -> list[dict]:
    """``rows`` (contributions to one item) largest first, each with its ``cumulative_share`` of ``total``."""
    rows.sort(key=lambda r: (-(r["extended_value"] or ZERO), r["source"]))
    running = ZERO
    for row in rows:
        running = EXACT.add(running, row["extended_value"] or ZERO)
        row["cumulative_share"] = ratio(running, total)
    return rows


def where_used(bom: Bom, part: str, items: set[str] | None = None, path_limit: int = 20) -> pd.DataFrame:
    """Every part that contains ``part`` (or only ``items``), with its extended quantity per unit.

    Columns: ``part_id``, ``annex1``, ``extended_qty`` [``part``'s uom per unit], ``paths``.
    The extended quantity counts every path through the whole BOM (alternates at full quantity).
    """
    import networkx as nx

    part = part_id_text(part) or part  # a typed id matches as a read one does
    graph = bom.graph
    ancestors = nx.ancestors(graph, part)
    reaches = ancestors | {part}  # found once: each user's paths are walked among them
    # quantity of `part` per unit of each ancestor, by one pass upwards in reverse topological order
    per_unit: dict[str, Decimal] = {part: Decimal(1)}
    order = bom.in_topological_order(reaches)
    for node in reversed(order):
        if node == part:
            continue
        total = ZERO
        for child, attributes in graph.succ[node].items():
            if child in per_unit:
                total = EXACT.add(total, EXACT.multiply(attributes["qty"], per_unit[child]))
        per_unit[node] = total
    rows = []
    for node in order:
        if node == part or (items is not None and node not in items):
            continue
        rows.append({
            "part_id": node,
            "description": bom.parts.at[node, "description"],
            "annex1": bom.parts.at[node, "annex1"],
            "extended_qty": per_unit[node],
            "paths": tuple(path_text(p) for p in _paths_among(bom, node, part, path_limit, reaches)),
        })
    return pd.DataFrame(rows, columns=["part_id", "description", "annex1", "extended_qty", "paths"], dtype=object)


HEADROOM_COLUMNS = (
    "part_id",
    "status",
    "value",  # Decimal [currency per unit]
    "cn_part1_value",  # Decimal [currency per unit]
    "line_value",  # Decimal [currency]: threshold x value, the China-origin value at which the test is met
    "headroom",  # Decimal [currency]: line_value - cn_part1_value; > 0 room left, <= 0 at or over the line
    "headroom_share",  # Decimal [share of value]
    "must_shed",  # Decimal [currency]: China-origin value to remove to get strictly below the line (0 if below)
    "top_contributors",  # tuple of (source, extended_value, cumulative_share), largest first
    "fix_by",  # tuple of sources whose removal, largest first, brings the item strictly below the line
)


def headroom(evaluation, top: int = 5) -> pd.DataFrame:
    """For each Part 2 item: how far it is from the 0.1% line and which inputs decide it.

    ``headroom`` is how much China-origin Part 1 value the item may still take on and stay
    below the line (negative: how far over it is); ``must_shed`` is what must go to get
    strictly below it (the rule catches 0.1% *or more*). ``fix_by`` lists the fewest top
    contributors whose re-sourcing to China-free content gets the item below the line.
    """
    bom, rolled, pack = evaluation.bom, evaluation.rolled, evaluation.rule_pack
    tracer = Tracer(bom, rolled, evaluation.alternates)
    rows = []
    for _, item in evaluation.items.iterrows():
        if item["annex1"] != "part2":
            continue
        value, cn = item["value"], item["cn_part1_value"]
        line = None if value is None else pack.line(value)
        room = None if line is None or cn is None else EXACT.subtract(line, cn)
        shed = None if room is None else (EXACT.subtract(cn, line) if pack.reaches(cn, value) else ZERO)
        table = tracer.rows(item["part_id"], with_paths=False)
        fix, remaining = [], cn
        if remaining is not None and line is not None and pack.reaches(remaining, value):
            for contribution in table:
                if contribution["extended_value"] is None:
                    break
                fix.append(contribution["source"])
                remaining = EXACT.subtract(remaining, contribution["extended_value"])
                if not pack.reaches(remaining, value):
                    break
            else:
                fix = []
        rows.append({
            "part_id": item["part_id"],
            "status": item["status"],
            "value": value,
            "cn_part1_value": cn,
            "line_value": line,
            "headroom": room,
            "headroom_share": ratio(room, value),
            "must_shed": shed,
            "top_contributors": tuple(
                (c["source"], c["extended_value"], c["cumulative_share"]) for c in table[:top]
            ),
            "fix_by": tuple(fix),
        })
    return pd.DataFrame(rows, columns=list(HEADROOM_COLUMNS), dtype=object)
