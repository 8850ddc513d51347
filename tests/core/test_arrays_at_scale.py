"""Arrays of a BOM with more than a thousand lines: the column-at-a-time steps equal the exact roll-up.

Small BOMs (the random ones of ``test_array_rollup.py``) never reach the paths a long lines
column takes: quantities converted to floats once per distinct number, the part codes of the
topological pass reused, a parts table in another order than the graph's. Here 1,500 lines with
few distinct quantities (``0.5`` and ``0.50`` among them, and ``1E-400``, which no float holds),
alternates with and without a usage probability, and items valued exactly on the 0.1% line and
a hair either side are evaluated and compared, Decimal for Decimal, with the reference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

import networkx as nx
import numpy as np
import pandas as pd

import bomcalc
from bomcalc.core.frames import columns_frame
from bomcalc.core.graph import graph_built, line_codes, lines_codes, order_lines
from bomcalc.core.ledger import MERGED, REJECTED, USED, RowLedger
from bomcalc.core.rollup import ALTERNATE_POLICIES, rollup

from ..conftest import parts_from_tuples
from .reference_determine import reference_evaluation

DAY = dt.date(2026, 11, 11)
PACK = bomcalc.load_rule_pack()
QUANTITIES = ["1", "0.5", "0.50", "3", "0.000001", "1E-400", "7"]
ITEMS = 500


def wide_bom():
    """500 Part 2 items, each with three lines (1,500 lines) to Part 1 materials; every 7th item's
    first two lines are alternatives (every 14th with a usage probability); item values put the
    content on the line (i % 3 == 0), 1e-30 below it (i % 3 == 1) or far below it."""
    materials = [("DY", "part1", "CN", Decimal("0.7")), ("TB", "part1", "CN", Decimal("1E-320")),
                 ("ND", "part1", "JP", Decimal("2")), ("FE", None, "DE", Decimal("0.1"))]
    lines, qty_of = [], {}
    for i in range(ITEMS):
        for k, child in enumerate(("DY", "TB", "ND") if i % 2 else ("DY", "FE", "TB")):
            qty = Decimal(QUANTITIES[(i + k) % len(QUANTITIES)])
            line = {"parent": f"IT{i}", "child": child, "qty": qty}
            if i % 7 == 0 and k < 2:
                line["alt_group"] = "G"
                line["usage_probability"] = Decimal("0.25") * (k + 1) if i % 14 == 0 else None
            qty_of[(i, child)] = qty
            lines.append(line)
    value = {m[0]: m[3] for m in materials}
    parts = list(materials)
    with localcontext(prec=2000):  # exact sums here: 0.35 + 5E-321 keeps every digit
        for i in range(ITEMS):
            content = sum((qty_of[(i, c)] * value[c] for c in ("DY", "TB") if (i, c) in qty_of), Decimal(0))
            worth = content * 1000 + (0 if i % 3 == 0 else Decimal("1E-30") if i % 3 == 1 else 10**6)
            parts.append((f"IT{i}", "part2", "JP", worth if worth > 0 else Decimal(1)))
    return bomcalc.bom_from_records(parts_from_tuples(parts), lines)


def rows(items) -> list[str]:
    return [repr(row) for row in items.to_dict("records")]


def test_a_wide_bom_evaluates_exactly_as_the_decimal_rollup():
    bom = wide_bom()
    for alternates in ALTERNATE_POLICIES:
        result = bomcalc.evaluate(bom, as_of=DAY, alternates=alternates)
        items, rolled = reference_evaluation(bom, PACK, DAY, "materials", alternates)
        assert rows(result.items) == rows(items), alternates
        assert result.rolled.map(repr).equals(rolled.map(repr)), alternates
    statuses = bomcalc.evaluate(bom, as_of=DAY).items.set_index("part_id")["status"]
    assert statuses["IT3"] == "licence_required"  # 3 x 0.7 + 0.000001 x 1E-320, valued at 1000 x that: on the line
    assert statuses["IT1"] == "not_required"  # valued 1e-30 above 1000 x its content: a hair under the line


def test_the_floats_of_a_long_lines_column_are_those_of_each_quantity():
    arrays = wide_bom().arrays
    assert len(arrays.qty) == 3 * ITEMS
    expected = [float(q) for q in arrays.qty_exact]
    assert arrays.qty.tolist() == expected
    assert arrays.qty.tolist().count(0.0) == sum(1 for q in arrays.qty_exact if q == Decimal("1E-400"))
    # a parent with a 1E-400 line (no float holds it: it underflows to 0) is left to the exact roll-up, no other
    tiny = {arrays.ids[p] for p, q in zip(arrays.parent.tolist(), arrays.qty_exact) if q == Decimal("1E-400")}
    untrusted = {arrays.ids[i] for i in np.flatnonzero(arrays.untrusted)}
    assert tiny and untrusted == tiny | {"TB"}  # TB: its unit value 1E-320 is a subnormal float


def test_compiling_reads_no_graph_and_the_graph_stays_a_networkx_graph():
    bom = wide_bom()
    bom.arrays
    assert not graph_built(bom)
    assert isinstance(bom.graph, nx.DiGraph) and bom.graph.number_of_edges() == 3 * ITEMS
    assert graph_built(bom)
    assert list(nx.topological_sort(bom.graph))[:1] == [bom.topological_order[0]]


def test_a_parts_table_in_another_order_gets_the_same_lines_and_results():
    bom = wide_bom()
    reordered = dataclasses.replace(bom, parts=bom.parts.iloc[::-1])  # the same unread graph, parts reversed
    arrays, other = bom.arrays, reordered.arrays
    assert other.ids == tuple(reversed(arrays.ids))

    def lines(a):
        return sorted((a.ids[p], a.ids[c], q) for p, c, q in zip(a.parent.tolist(), a.child.tolist(), a.qty_exact))

    assert lines(other) == lines(arrays)
    assert {p: int(other.level[i]) for i, p in enumerate(other.ids)} == {p: int(arrays.level[i]) for i, p in enumerate(arrays.ids)}
    first = bomcalc.evaluate(bom, as_of=DAY).items.set_index("part_id")
    second = bomcalc.evaluate(reordered, as_of=DAY).items.set_index("part_id")
    assert second.loc[first.index].map(repr).equals(first.map(repr))


def test_order_lines_keeps_the_codes_of_every_line():
    order = order_lines(["A", "B", "C"], ["A", "A", "B"], ["B", "C", "C"])
    assert order.parent.tolist() == [0, 0, 1] and order.child.tolist() == [1, 2, 2]
    assert order.position == {"A": 0, "B": 1, "C": 2}
    assert order.topological() == ("A", "B", "C")
    extra = order_lines(["A"], ["A", "B"], ["B", "C"])  # parts only the lines name come after, as networkx adds them
    assert extra.ids == ("A", "B", "C") and extra.parent.tolist() == [0, 1] and extra.child.tolist() == [1, 2]
    given = {"A": 0}  # the caller's positions are used, and never changed
    shared = order_lines(["A"], ["A", "B"], ["B", "C"], positions=given)
    assert (shared.ids, shared.position, given) == (extra.ids, extra.position, {"A": 0})
    assert order_lines(["A", "B", "C"], ["A", "A", "B"], ["B", "C", "C"], positions=order.position).position is order.position


def test_columns_frame_is_the_table_of_object_series_with_the_same_cells():
    qty = Decimal("0.5")
    columns = {"parent": ["A", "A"], "child": ["B", "C"], "qty": [qty, None], "row": [2, 3]}
    table = columns_frame(columns, ("parent", "child", "qty", "row"))
    expected = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()}, dtype=object)
    assert table.equals(expected) and list(table.dtypes) == [object] * 4
    assert table["qty"].iloc[0] is qty and table["qty"].iloc[1] is None and table["row"].iloc[1] == 3
    empty = columns_frame({"parent": [], "child": []}, ("parent", "child"))
    assert list(empty.columns) == ["parent", "child"] and len(empty) == 0
    blank = columns_frame({"uom": [None, None], "alt_group": (None, None), "nan": [None, float("nan")]}, ("uom", "alt_group", "nan"))
    assert list(blank.dtypes) == [object] * 3 and blank["uom"].tolist() == [None, None]
    assert blank["alt_group"].tolist() == [None, None] and blank["nan"].iloc[0] is None and blank["nan"].iloc[1] != blank["nan"].iloc[1]


def test_the_ledger_counts_and_lists_unread_rows_by_hand():
    ledger = RowLedger()
    ledger.expect("f.csv", "bom", 6)
    ledger.mark_many("f.csv", "bom", [1, 2, 3], USED)
    ledger.mark("f.csv", "bom", 3, MERGED, "summed into row 2", force=True)
    ledger.mark("f.csv", "bom", 5, REJECTED, "bad qty")
    assert ledger.unread() == {("f.csv", "bom"): [4, 6]}
    (account,) = ledger.accounts()
    assert (account.read, account.used, account.merged, account.skipped, account.rejected) == (4, 2, 1, 0, 1)
    assert ledger.close("stopped") == 2
    assert ledger.unread() == {}
    assert ledger.accounts()[0].rejected == 3


def test_line_codes_find_each_name_as_a_dict_does():
    position = {"A": 0, "B": 1, None: 2}
    nan = float("nan")
    assert line_codes(position, ["A", "B", "C", None, nan, "A"]).tolist() == [0, 1, -1, 2, -1, 0]
    assert line_codes(position, pd.Series(["B", "A"], dtype=object)).tolist() == [1, 0]
    assert line_codes(position, []).tolist() == []


#: Cells as readers give them, and the cells a dict tells apart or not: equal text, 1 / 1.0 / True,
#: None, NaN (two NaN objects are two keys), a Decimal.
CELLS = st.one_of(st.sampled_from(["A", "B", "a", "A ", "", "B-1", None, float("nan"), 1, 1.0, True, 0,
                                   Decimal("1"), Decimal("NaN")]),
                  st.text(alphabet="AB-1", max_size=3))


@given(keys=st.lists(CELLS, max_size=8), columns=st.lists(st.lists(CELLS, max_size=12), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
def test_lines_codes_find_each_cell_as_a_dict_does(keys, columns):
    position: dict = {}
    for key in keys:
        position.setdefault(key, len(position))
    found = lines_codes(position, *columns)
    assert [codes.tolist() for codes in found] == [[position.get(cell, -1) for cell in column] for column in columns]
    assert [line_codes(position, column).tolist() for column in columns] == [codes.tolist() for codes in found]


def test_lines_codes_of_keys_factorize_would_merge():
    """Two NaN objects are two keys of a dict and one to factorize: the cells are then looked up apart."""
    first, second = float("nan"), float("nan")
    position = {first: 0, second: 1, "A": 2}
    assert [codes.tolist() for codes in lines_codes(position, [second, "A", first], ["B"])] == [[1, 2, 0], [-1]]
