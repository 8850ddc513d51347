"""The cycle check and the topological order over integer arrays, and the graph filled only when read."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from unittest import mock
from decimal import Decimal

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bomcalc
from bomcalc.core import model
from bomcalc.core.errors import BomDataError
from bomcalc.core.graph import _component_issues, graph_built, graph_source, order_lines
from bomcalc.core.model import bom_from_records

DAY = "2026-11-11"


def _part(part_id, annex1=None, origin="DE", value="10"):
    return {"part_id": part_id, "description": part_id, "origin": origin, "unit_value": Decimal(value), "uom": "ea",
            "annex1": annex1}


def _networkx_cycle_issues(line_order, parents, children, first_row, table):
    """The check over the whole networkx graph (every part, every line), as it was before the arrays."""
    graph = nx.DiGraph()
    graph.add_nodes_from(line_order.ids)
    graph.add_edges_from(zip(parents, children))
    return _component_issues(graph, first_row, table)


def _issues(part_ids, lines):
    """Every issue building the BOM reports (none when it builds)."""
    try:
        bom_from_records([_part(p) for p in part_ids], [(p, c, Decimal(1)) for p, c in lines])
    except BomDataError as error:
        return list(error.issues)
    return []


def _reported_and_reference(part_ids, lines):
    reported = _issues(part_ids, lines)
    with mock.patch.object(model, "cycle_issues", _networkx_cycle_issues):
        reference = _issues(part_ids, lines)
    return reported, reference


CYCLIC = {
    "self-loop": (["TOP", "A", "B"], [("TOP", "A"), ("A", "A"), ("A", "B")]),
    "two-cycle": (["TOP", "A", "B", "C"], [("TOP", "A"), ("A", "B"), ("B", "A"), ("B", "C")]),
    "below a shared sub-assembly": (
        ["T1", "T2", "SUB", "X", "Y", "LEAF"],
        [("T1", "SUB"), ("T2", "SUB"), ("SUB", "X"), ("X", "Y"), ("Y", "SUB"), ("Y", "LEAF"), ("T1", "LEAF")],
    ),
    "two separate cycles": (
        ["TOP", "P", "Q", "R", "M", "N", "LEAF"],
        [("TOP", "P"), ("TOP", "M"), ("P", "Q"), ("Q", "R"), ("R", "P"), ("M", "N"), ("N", "M"), ("N", "LEAF")],
    ),
}


@pytest.mark.parametrize("name", sorted(CYCLIC))
def test_the_array_cycle_check_reports_what_the_networkx_check_did(name):
    part_ids, lines = CYCLIC[name]
    reported, reference = _reported_and_reference(part_ids, lines)
    assert reported == reference
    assert [issue.code for issue in reported] == ["cycle"] * (2 if name == "two separate cycles" else 1)


def test_two_separate_cycles_are_named_with_their_rows():
    part_ids, lines = CYCLIC["two separate cycles"]
    reported = {(issue.row, issue.part_id, issue.sheet): issue.message for issue in _issues(part_ids, lines)}
    assert set(reported) == {(4, "P", "bom"), (7, "M", "bom")}
    assert "cycle P -> Q -> R -> P (lines on rows 4, 5, 6)" in reported[(4, "P", "bom")]
    assert "cycle M -> N -> M (lines on rows 7, 8)" in reported[(7, "M", "bom")]


def test_a_cycle_below_a_shared_sub_assembly_is_named_once():
    part_ids, lines = CYCLIC["below a shared sub-assembly"]
    [issue] = _issues(part_ids, lines)
    assert (issue.code, issue.row, issue.part_id) == ("cycle", 4, "SUB")
    assert "cycle SUB -> X -> Y -> SUB" in issue.message


@st.composite
def _graphs(draw, acyclic=False):
    n = draw(st.integers(1, 9))
    ids = [f"P{i}" for i in draw(st.permutations(range(n)))]
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = draw(st.lists(pairs, max_size=20, unique=True))
    if acyclic:
        edges = [(a, b) for a, b in edges if a < b]  # parts numbered top down
    return ids, [(f"P{a}", f"P{b}") for a, b in edges]


@settings(max_examples=150, deadline=None)
@given(_graphs())
def test_random_cycles_are_reported_as_networkx_reported_them(graph):
    reported, reference = _reported_and_reference(*graph)
    assert reported == reference


@settings(max_examples=150, deadline=None)
@given(_graphs(acyclic=True))
def test_the_topological_order_respects_every_line_and_is_the_networkx_order(graph):
    part_ids, lines = graph
    bom = bom_from_records([_part(p) for p in part_ids], [(p, c, Decimal(1)) for p, c in lines])
    order = bom.topological_order
    assert sorted(order) == sorted(part_ids)
    position = {part: i for i, part in enumerate(order)}
    assert all(position[p] < position[c] for p, c in lines)
    reference = nx.DiGraph()
    reference.add_nodes_from(part_ids)
    reference.add_edges_from(lines)
    assert order == tuple(nx.topological_sort(reference))
    assert not graph_built(bom)
    # the order computed without the kept pass (a Bom made by with_changes, or by replace, which builds the graph)
    import dataclasses

    changed = bom.with_changes(notes=("x",))
    assert changed.topological_order == order and not graph_built(changed) and not graph_built(bom)
    assert dataclasses.replace(bom, notes=("x",)).topological_order == order


@settings(max_examples=150, deadline=None)
@given(_graphs(acyclic=True))
def test_every_parts_level_is_its_longest_path_down_to_a_leaf(graph):
    part_ids, lines = graph
    bom = bom_from_records([_part(p) for p in part_ids], [(p, c, Decimal(1)) for p, c in lines])
    reference = nx.DiGraph()
    reference.add_nodes_from(part_ids)
    reference.add_edges_from(lines)
    height: dict = {}
    for part in reversed(list(nx.topological_sort(reference))):
        height[part] = max((height[child] + 1 for child in reference.succ[part]), default=0)
    arrays = bom.arrays
    assert {part: int(arrays.level[i]) for i, part in enumerate(arrays.ids)} == height
    assert [sorted(arrays.ids[i] for i in level.tolist()) for level in arrays.levels] == [
        sorted(part for part in part_ids if height[part] == h) for h in range(max(height.values(), default=-1) + 1)]


@settings(max_examples=150, deadline=None)
@given(_graphs(), st.booleans())
def test_order_lines_given_the_callers_part_codes_orders_as_it_does_by_name(graph, drop_one):
    part_ids, lines = graph
    if drop_one and len(part_ids) > 1:
        part_ids = part_ids[1:]  # a part only lines name: code -1, looked up by name after all
    parents, children = [p for p, _ in lines], [c for _, c in lines]
    position = {part: i for i, part in enumerate(part_ids)}
    codes = (np.array([position.get(p, -1) for p in parents], dtype=np.int64),
             np.array([position.get(c, -1) for c in children], dtype=np.int64))
    by_name, by_code = order_lines(part_ids, parents, children), order_lines(part_ids, parents, children, codes)
    assert by_code.ids == by_name.ids and by_code.position == by_name.position
    for name in ("order", "cyclic", "line_count", "parent", "child"):
        assert getattr(by_code, name).tolist() == getattr(by_name, name).tolist()


def test_with_changes_keeps_the_order_unread_and_refuses_new_lines_without_their_graph():
    from bomcalc.core import graph

    bom = _magnet_bom()
    changed = bom.with_changes(notes=("x",))
    calls = []
    real = model.order_lines
    with mock.patch.object(model, "order_lines", lambda *a, **k: calls.append(1) or real(*a, **k)):
        assert changed.topological_order == ("TOP", "SUB", "DY")
    assert calls == [] and not graph_built(changed)  # the order the graph's source carries, not a second pass
    fewer = bom.lines.iloc[:1]
    with pytest.raises(ValueError, match="graph of the changed lines"):
        bom.with_changes(lines=fewer)  # the graph would still be made from the old lines
    own = bom.with_changes(lines=fewer, graph=graph.GraphSource(tuple(bom.parts.index), fewer))
    assert list(own.graph.edges) == [("TOP", "SUB")]


def test_order_lines_counts_parts_only_lines_name():
    order = order_lines(["A"], ["A", "B"], ["B", "C"])
    assert order.ids == ("A", "B", "C") and order.topological() == ("A", "B", "C")
    assert order.line_count.tolist() == [1, 1, 0] and not order.has_cycle


def _magnet_bom():
    parts = [_part("TOP", "part2", "JP", "2000"), _part("SUB", None, "DE", "5"), _part("DY", "part1", "CN", "3")]
    return bom_from_records(parts, [("TOP", "SUB", Decimal(1)), ("SUB", "DY", Decimal("2"))])


def test_a_plain_evaluate_never_builds_the_graph():
    bom = _magnet_bom()
    result = bomcalc.evaluate(bom, as_of=DAY)
    assert result.item("TOP")["status"] == "licence_required"  # 6 of 2000 is 0.3%
    assert "graph" not in repr(bom)  # printing a Bom does not build its graph either
    assert not graph_built(bom)


def test_checking_a_workbook_never_builds_the_graph(small_workbook):
    parts = [["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
             ["MAG", "NdFeB magnet", "JP", 250, "USD", "ea", "part2", False],
             ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None]]
    bom = bomcalc.read_workbook(small_workbook(parts=parts, bom=[["TOP", "MAG", 1], ["MAG", "DY", "0.01"]]))
    result = bomcalc.evaluate(bom, as_of=DAY)
    assert result.item("MAG")["status"] == "licence_required"  # 3.40 of 250
    assert not graph_built(bom)


def test_the_graph_is_filled_from_the_lines_on_first_read():
    bom = _magnet_bom()
    graph = bom.graph
    assert isinstance(graph, nx.DiGraph)
    assert list(graph.nodes) == ["TOP", "SUB", "DY"]
    assert graph_built(bom) and type(bom.graph) is nx.DiGraph
    assert graph.edges["SUB", "DY"] == {"qty": Decimal(2), "alt_group": None, "usage_probability": None}
    assert list(nx.topological_sort(graph)) == list(bom.topological_order)


@pytest.mark.parametrize("how", ["copy", "deepcopy", "pickle"])
def test_a_copied_bom_keeps_its_graph_unread_and_builds_the_same_graph(how):
    bom = _magnet_bom()
    other = {"copy": copy.copy, "deepcopy": copy.deepcopy, "pickle": lambda b: pickle.loads(pickle.dumps(b))}[how](bom)
    assert not graph_built(other) and not graph_built(bom)
    assert list(other.graph.edges) == [("TOP", "SUB"), ("SUB", "DY")] and type(other.graph) is nx.DiGraph
    assert graph_built(other) and not graph_built(bom)
    assert other.graph is other.graph  # built once, then kept
    assert other.graph.subgraph(["SUB", "DY"]).copy().edges["SUB", "DY"]["qty"] == Decimal(2)


def test_a_pickled_bom_keeps_its_graph_unread_and_its_lines_once():
    bom = pickle.loads(pickle.dumps(_magnet_bom()))
    assert not graph_built(bom) and graph_source(bom).lines is bom.lines
    assert bomcalc.evaluate(bom, as_of=DAY).item("TOP")["status"] == "licence_required"
    assert not graph_built(bom)
    assert list(bom.graph.edges) == [("TOP", "SUB"), ("SUB", "DY")]


def test_the_check_command_never_builds_the_graph(small_workbook, monkeypatch):
    from click.testing import CliRunner

    from bomcalc.cli import main
    from bomcalc.core import graph

    def refuse(self):
        raise AssertionError("the networkx graph was built")

    monkeypatch.setattr(graph.GraphSource, "build", refuse)
    parts = [["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
             ["MAG", "NdFeB magnet", "JP", 250, "USD", "ea", "part2", False],
             ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None],
             ["BARE", "Bought magnet", "JP", 100, "USD", "ea", "part2", False]]  # no BOM, no declaration
    workbook = small_workbook(parts=parts, bom=[["TOP", "MAG", 1], ["MAG", "DY", "0.01"], ["TOP", "BARE", 1]])
    result = CliRunner().invoke(main, ["check", str(workbook), "--as-of", DAY])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "licence_required" in result.output and "indeterminate" in result.output  # MAG: 3.40 of 250; BARE unknown


def test_the_check_command_never_imports_networkx(small_workbook):
    import subprocess
    import sys

    parts = [["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
             ["MAG", "NdFeB magnet", "JP", 250, "USD", "ea", "part2", False],
             ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None]]
    workbook = small_workbook(parts=parts, bom=[["TOP", "MAG", 1], ["MAG", "DY", "0.01"]])
    code = ("import sys\nfrom bomcalc.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('networkx imported:', 'networkx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "check", str(workbook), "--as-of", DAY],
                          capture_output=True, text=True, check=False)
    assert "MAG" in done.stdout and "licence_required" in done.stdout, done.stderr  # 3.40 of 250
    assert done.stdout.rstrip().endswith("networkx imported: False"), done.stdout[-500:]


def test_networkx_sees_only_the_cycles_and_what_lies_below_them():
    seen = []
    real = nx.strongly_connected_components

    def spy(graph):
        seen.append((list(graph.nodes), list(graph.edges)))
        return real(graph)

    part_ids = ["TOP", "OTHER", "A", "B", "C", "LEAF"]
    lines = [("TOP", "OTHER"), ("TOP", "A"), ("A", "B"), ("B", "A"), ("B", "C"), ("OTHER", "LEAF")]
    with mock.patch("networkx.strongly_connected_components", spy):
        [issue] = _issues(part_ids, lines)
    assert seen == [(["A", "B", "C"], [("A", "B"), ("B", "A"), ("B", "C")])]
    assert (issue.code, issue.row, issue.part_id) == ("cycle", 4, "A") and "cycle A -> B -> A" in issue.message


def test_shared_scenarios_never_build_the_graph():
    from bomcalc.core.scenarios import compare, parse_scenarios

    bom = _magnet_bom()
    scenarios = parse_scenarios([{"name": "dy from Japan", "changes": [{"part": "DY", "set": {"origin": "JP"}}]},
                                 {"name": "dearer dy", "changes": [{"part": "DY", "set": {"unit_value": "400"}}]}])
    comparison = compare(bom, scenarios, bomcalc.load_rule_pack(), dt.date(2026, 11, 11))
    assert set(comparison.summary()["method"]) == {"shared roll-up"}
    statuses = comparison.table().set_index("scenario")["status"].to_dict()
    assert statuses == {"dy from Japan": "not_required", "dearer dy": "licence_required"}  # 0 and 800 of 2000
    assert not graph_built(bom)


def test_suggestions_never_build_the_graph_and_requests_name_an_item_s_own_input():
    from bomcalc.core.classify import vocabulary_of
    from bomcalc.core.requests import plan_requests
    from bomcalc.core.suggestions import suggest

    parts = [_part("TOP", "part2", "JP", "2000"), _part("SUB", None, "DE", "5"), _part("TB", "part1", None, "3")]
    bom = bom_from_records(parts, [("TOP", "SUB", Decimal(1)), ("SUB", "TB", Decimal("2"))])
    suggested = {s.part_id: s for s in suggest(bom, vocabulary_of(bomcalc.load_rule_pack()))}
    assert set(suggested) == {"TOP", "SUB", "TB"}
    assert not graph_built(bom)  # whether a part is an assembly comes from the arrays
    plan = plan_requests(bomcalc.evaluate(bom, as_of=DAY))
    assert plan.requests[0].part_id == "TB"  # 2 x 3 = 6 of 2000 decides TOP: 0% to 0.3%
