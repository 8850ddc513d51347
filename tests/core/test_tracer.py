"""A Tracer (each part's sources found once, for every item above it) gives every item the contributions
the walk of that item's own sub-BOM gives, Decimal for Decimal, on random DAGs.

The reference below is the walk ``contributions`` made before the Tracer: the extended quantity of every
part in one unit of the item (``extended_quantities``, stopping below sources), the sources among them,
and, for paths, the parts below the item from which the source is reached.
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx
import pandas as pd

from hypothesis import HealthCheck, given, settings

from bomcalc.core.contributions import (CONTRIBUTION_COLUMNS, Tracer, _source_content, _source_kinds,
                                        extended_quantities, in_order, path_text, paths)
from bomcalc.core.rollup import ALTERNATE_POLICIES, rollup
from bomcalc.core.values import EXACT, ratio

from .test_array_rollup import boms, build


def reference_contributions(bom, rolled, item, alternates):
    lower = rolled["cn_part1_value"].to_dict()
    if _source_kinds(bom, [item], lower, alternates)[item]:
        quantities, below = {item: Decimal(1)}, {item}
    else:
        quantities = extended_quantities(bom, rolled, item, alternates)
        below = nx.descendants(bom.graph, item) | {item}
    kinds = _source_kinds(bom, list(quantities), lower, alternates)
    rows = []
    for source, qty in quantities.items():
        if kinds[source] is None:
            continue
        content = _source_content(bom, source, kinds[source])
        extended = None if content is None else EXACT.multiply(qty, content)
        if extended == 0:
            continue
        rows.append({"item": item, "source": source, "kind": kinds[source], "description": bom.parts.at[source, "description"],
                     "extended_qty": qty, "unit_content": content, "extended_value": extended,
                     "share_of_value": ratio(extended, rolled.at[item, "value"]),
                     "share_of_content": ratio(extended, rolled.at[item, "cn_part1_value"]),
                     "paths": tuple(path_text(p) for p in paths(bom, item, source, 3, below))})
    return pd.DataFrame(in_order(rows, rolled.at[item, "cn_part1_value"]), columns=list(CONTRIBUTION_COLUMNS), dtype=object)


def _text(table) -> list[str]:
    return [repr([row[name] for name in CONTRIBUTION_COLUMNS]) for row in table.to_dict("records")]


@settings(max_examples=60, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(boms())
def test_a_tracer_gives_every_item_what_its_own_walk_gives(case):
    parts, lines, declarations, _ = case
    bom = build(parts, lines, declarations)
    for alternates in ALTERNATE_POLICIES:
        rolled = rollup(bom, alternates)
        tracer = Tracer(bom, rolled, alternates)
        for item in reversed(list(bom.parts.index)):  # the deepest parts first, then the items above them
            table = tracer.contributions(item, path_limit=3)
            assert _text(table) == _text(reference_contributions(bom, rolled, item, alternates)), (alternates, item)
            if rolled.at[item, "cn_part1_value"] is not None and table["extended_value"].notna().all():
                assert sum(table["extended_value"], Decimal(0)) == rolled.at[item, "cn_part1_value"], item
