"""Contributions, extended quantities, where-used and headroom, checked by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import bomcalc
from bomcalc.core.rollup import rollup
from bomcalc.core.contributions import contributions, headroom, where_used

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_boms"


@pytest.mark.parametrize("sample", ["servo_actuator.xlsx", "ebike_hub_motor.xlsx", "sputtering_target.xlsx"])
def test_contributions_sum_exactly_to_the_rolled_up_value(sample):
    bom = bomcalc.read_workbook(SAMPLES / sample)
    rolled = rollup(bom)
    for part_id in bom.parts.index:
        table = contributions(bom, rolled, part_id, with_paths=False)
        assert sum(table["extended_value"], Decimal(0)) == rolled.at[part_id, "cn_part1_value"], part_id


def test_contributions_name_every_path_with_its_quantities():
    bom = bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx")
    table = contributions(bom, rollup(bom), "MAG-ARC")
    (row,) = table.itertuples()
    # 0.0003 kg alloy x 0.8 kg Dy/kg + 0.00012 kg Dy = 0.00036 kg Dy per magnet, x 350 = 0.126
    assert (row.source, row.extended_qty, row.extended_value) == ("DY-MET", Decimal("0.00036"), Decimal("0.126"))
    assert set(row.paths) == {"MAG-ARC > DYFE-JP (x0.0003) > DY-MET (x0.8)", "MAG-ARC > DY-MET (x0.00012)"}


def test_alternates_resolve_the_same_way_as_the_rollup(make_bom):
    bom = make_bom(
        [("MAG", "part2", "JP", 100), ("A", None, "JP", 1), ("B", None, "JP", 1), ("DY", "part1", "CN", 10), ("TB", "part1", "CN", 30)],
        [{"parent": "MAG", "child": "A", "qty": 1, "alt_group": "G"}, {"parent": "MAG", "child": "B", "qty": 1, "alt_group": "G"},
         ("A", "DY", "0.1"), ("B", "TB", "0.1")],
    )
    rolled = rollup(bom)
    table = contributions(bom, rolled, "MAG", with_paths=False)
    assert list(table["source"]) == ["TB"] and rolled.at["MAG", "cn_part1_value"] == Decimal("3")


def test_where_used_gives_extended_quantities_per_unit_of_each_user():
    bom = bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx")
    table = where_used(bom, "DY-MET").set_index("part_id")
    assert table.at["SRV-100", "extended_qty"] == Decimal("0.003608")  # sample README
    assert table.at["MAG-BRK", "extended_qty"] == Decimal("0.000008")  # 0.00001 kg alloy x 0.8


def test_headroom_says_what_must_go_to_get_below_the_line(judge, make_bom):
    # Magnet 1000: Dy 1.5 + Tb 0.8 = 2.3 against a line of 1.0; shedding Dy alone leaves 0.8 < 1.
    bom = make_bom(
        [("MAG", "part2", "JP", 1000), ("DY", "part1", "CN", "1.5"), ("TB", "part1", "CN", "0.8"), ("FREE", "part2", "JP", 1000)],
        [("MAG", "DY", 1), ("MAG", "TB", 1), ("FREE", "DY", "0.1")],
    )
    table = headroom(bomcalc.evaluate(bom, as_of="2026-11-11")).set_index("part_id")
    assert table.at["MAG", "headroom"] == Decimal("-1.3") and table.at["MAG", "must_shed"] == Decimal("1.3")
    assert table.at["MAG", "fix_by"] == ("DY",)
    assert table.at["FREE", "headroom"] == Decimal("0.85") and table.at["FREE", "must_shed"] == 0


def test_where_used_walks_up_once_and_lists_each_users_paths(make_bom, monkeypatch):
    # TOP holds A twice over (via S1 and S2); A holds DY. Every user of DY gets its own paths, and
    # the parts DY is reached from are found once for the whole table, not once per user.
    import networkx

    bom = make_bom(
        [("TOP", "part2", "JP", 100), ("S1", None, "JP", 1), ("S2", None, "JP", 1), ("A", "part2", "JP", 10),
         ("DY", "part1", "CN", 5), ("OTHER", "part2", "JP", 3)],
        [("TOP", "S1", 2), ("TOP", "S2", 3), ("S1", "A", "0.5"), ("S2", "A", 1), ("A", "DY", "0.01")],
    )
    bom.graph  # built before counting
    calls = []
    real = networkx.ancestors
    monkeypatch.setattr(networkx, "ancestors", lambda graph, node: calls.append(node) or real(graph, node))
    table = where_used(bom, "DY").set_index("part_id")
    assert calls == ["DY"]
    assert table.at["TOP", "extended_qty"] == Decimal("0.04")  # (2 x 0.5 + 3 x 1) x 0.01
    assert set(table.at["TOP", "paths"]) == {"TOP > S1 (x2) > A (x0.5) > DY (x0.01)", "TOP > S2 (x3) > A (x1) > DY (x0.01)"}
    assert table.at["A", "paths"] == ("A > DY (x0.01)",) and "OTHER" not in table.index
    capped = where_used(bom, "DY", path_limit=1).set_index("part_id")
    assert len(capped.at["TOP", "paths"]) == 1 and capped.at["TOP", "paths"][0] in table.at["TOP", "paths"]
