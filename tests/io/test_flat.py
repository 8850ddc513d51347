"""Flat purchase lists: names for part numbers, the currency in a header, --root for the product."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import REJECTED

HEADER = "Item,Category,Qty,Unit Price (USD),Extended Price (USD),Notes\n"
ROWS = ("Flight Controller (Custom),Electronics,1,120.00,120.00,\n"
        "Motor 2207,Propulsion,4,18.50,74.00,NdFeB magnets\n"
        '"Frame, carbon",Structure,1,35.00,35.00,\n')


def _write(tmp_path, text):
    path = tmp_path / "drone.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_purchase_list_builds_the_assembly_named_by_root(tmp_path):
    bom = bomcalc.read_workbook(_write(tmp_path, HEADER + ROWS), root="DRONE-1")
    assert {(p, c): q for p, c, q in bom.graph.edges(data="qty")} == {
        ("DRONE-1", "Flight Controller (Custom)"): Decimal(1), ("DRONE-1", "Motor 2207"): Decimal(4),
        ("DRONE-1", "Frame, carbon"): Decimal(1)}
    motor = bom.parts.loc["Motor 2207"]
    assert (motor["unit_value"], motor["currency"]) == (Decimal("18.50"), "USD")
    assert bom.parts.loc["DRONE-1", "unit_value"] is None  # no value of its own: it rolls up from components
    assert any("part ids are the values in column 'Item'" in note for note in bom.notes)


def test_without_root_a_purchase_list_is_refused_with_the_fix(tmp_path):
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(_write(tmp_path, HEADER + ROWS))
    (issue,) = caught.value.issues
    assert issue.code == "no_hierarchy" and "--root PART" in issue.message


def test_an_unquoted_comma_in_a_name_rejects_the_row_and_the_run(tmp_path):
    text = HEADER + ROWS.replace('"Frame, carbon"', "Frame, carbon")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(_write(tmp_path, text), root="DRONE-1")
    (issue,) = [i for i in caught.value.issues if i.code == "malformed_row"]
    assert issue.row == 4 and "7 fields but the header has 6" in issue.message
    assert [f.row for f in caught.value.row_fates if f.fate == REJECTED] == [4]


def test_an_extended_price_that_is_not_qty_times_unit_price_is_named(tmp_path):
    text = HEADER + ROWS.replace("4,18.50,74.00", "4,18.50,18.50")  # the line total of one pack, not four
    bom = bomcalc.read_workbook(_write(tmp_path, text), root="DRONE-1")
    assert [(i.code, i.row) for i in bom.issues] == [("extended_price_mismatch", 3)]
