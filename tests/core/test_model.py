"""Validation of canonical tables: every data problem is found, located and reported together."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError, CycleError

from ..conftest import PARTS_HEADER


def _errors(small_workbook, **sheets):
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(small_workbook(**sheets))
    return caught.value.issues


def _one(issues, code):
    found = [issue for issue in issues if issue.code == code]
    assert len(found) == 1, [str(i) for i in issues]
    return found[0]


GOOD_PARTS = [
    ["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
    ["MAG", "NdFeB magnet", "JP", 250, "USD", "ea", "part2", False],
    ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None],
]


def test_duplicate_part_id_names_both_rows(small_workbook):
    issue = _one(_errors(small_workbook, parts=GOOD_PARTS + [["MAG", "again", "JP", 1, "USD", "ea", None, None]],
                         bom=[["TOP", "MAG", 1]]), "duplicate_part")
    assert (issue.sheet, issue.row, issue.part_id) == ("parts", 5, "MAG")
    assert "row 3" in issue.message


def test_line_naming_an_unknown_part(small_workbook):
    issue = _one(_errors(small_workbook, parts=GOOD_PARTS, bom=[["TOP", "MAG", 1], ["MAG", "DY-X", 1]]), "unknown_part")
    assert (issue.sheet, issue.row, issue.part_id) == ("bom", 3, "DY-X")
    assert "not in the parts table" in issue.message


QTY_CASES = [
    ("missing quantity", None, "is missing"),
    ("non-numeric quantity", "two", "expected a number"),
    ("zero quantity", 0, "greater than 0"),
    ("negative quantity", -1, "greater than 0"),
]


@pytest.mark.parametrize("qty, message", [c[1:] for c in QTY_CASES], ids=[c[0] for c in QTY_CASES])
def test_bad_quantities(small_workbook, qty, message):
    issue = _one(_errors(small_workbook, parts=GOOD_PARTS, bom=[["TOP", "MAG", 1], ["MAG", "DY", qty]]), "bad_qty")
    assert (issue.sheet, issue.row, issue.part_id) == ("bom", 3, "DY")
    assert message in issue.message


def test_negative_unit_value(small_workbook):
    parts = GOOD_PARTS[:2] + [["DY", "Dy", "CN", -340, "USD", "kg", "part1", None]]
    issue = _one(_errors(small_workbook, parts=parts, bom=[["MAG", "DY", 1]]), "bad_unit_value")
    assert (issue.row, issue.part_id) == (4, "DY") and "0 or more" in issue.message


def test_unknown_annex1_value(small_workbook):
    parts = GOOD_PARTS[:2] + [["DY", "Dy", "CN", 340, "USD", "kg", "part3", None]]
    issue = _one(_errors(small_workbook, parts=parts, bom=[["MAG", "DY", 1]]), "bad_annex1")
    assert (issue.row, issue.part_id) == (4, "DY") and "part3" in issue.message


def test_cycle_names_the_parts_on_it(small_workbook):
    with pytest.raises(CycleError) as caught:
        bomcalc.read_workbook(small_workbook(parts=GOOD_PARTS, bom=[["TOP", "MAG", 1], ["MAG", "DY", 1], ["DY", "TOP", 1]]))
    issue = _one(caught.value.issues, "cycle")
    assert all(name in issue.message for name in ("TOP", "MAG", "DY"))
    assert issue.sheet == "bom"


def test_part_containing_itself_is_a_cycle(small_workbook):
    issue = _one(_errors(small_workbook, parts=GOOD_PARTS, bom=[["MAG", "MAG", 1]]), "cycle")
    assert (issue.row, issue.part_id) == (2, "MAG")


def test_a_second_currency_without_a_rate_is_refused(small_workbook):
    parts = GOOD_PARTS + [["HSG", "Housing", "DE", 40, "EUR", "ea", None, None]]
    issue = _one(_errors(small_workbook, parts=parts, bom=[["MAG", "DY", 1]]), "missing_fx_rate")
    assert (issue.row, issue.part_id) == (5, "HSG")
    assert "EUR" in issue.message and "report currency USD" in issue.message


def test_all_problems_are_reported_together(small_workbook):
    parts = GOOD_PARTS + [["MAG", "dup", "JP", 1, "USD", "ea", None, None], ["BAD", "x", "JP", "abc", "USD", "ea", "p9", None]]
    issues = _errors(small_workbook, parts=parts, bom=[["TOP", "NOPE", 1], ["MAG", "DY", 0]])
    assert {"duplicate_part", "bad_unit_value", "bad_annex1", "unknown_part", "bad_qty"} <= {i.code for i in issues}


def test_missing_sheet(tmp_path):
    from ..conftest import write_workbook

    path = write_workbook(tmp_path / "nobom.xlsx", {"parts": [PARTS_HEADER, ["A", "a", "DE", 1, "USD", "ea", None, None]]})
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    issue = _one(caught.value.issues, "missing_sheet")
    assert issue.sheet == "bom" and "parts" in issue.message


def test_missing_column(tmp_path):
    from ..conftest import write_workbook

    path = write_workbook(
        tmp_path / "noqty.xlsx",
        {"parts": [PARTS_HEADER, ["A", "a", "DE", 1, "USD", "ea", None, None]], "bom": [["parent", "child"], ["A", "A"]]},
    )
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path)
    issue = _one(caught.value.issues, "missing_column")
    assert issue.sheet == "bom" and "qty" in issue.message


def test_warnings_do_not_stop_the_result(small_workbook):
    parts = GOOD_PARTS[:2] + [["DY", "Dy", "China", 340, "USD", "kg", "part1", None], ["X", "x", "ZZ", 1, "USD", "ea", None, None]]
    bom = bomcalc.read_workbook(small_workbook(parts=parts, bom=[["MAG", "DY", 1], ["MAG", "DY", 1]]))
    codes = [issue.code for issue in bom.issues]
    assert codes.count("country_code") == 2 and "duplicate_line" in codes
    assert bom.parts.at["DY", "origin"] == "CN"  # a recognised name is read as its code
    assert bom.parts.at["X", "origin"] is None  # an unrecognised one is unknown, never "not China"
    assert bom.lines.loc[0, "qty"] == Decimal(2)


def test_declaration_for_unknown_part(small_workbook):
    issue = _one(
        _errors(small_workbook, parts=GOOD_PARTS, bom=[["MAG", "DY", 1]], declarations=[["MAGX", 0.5, None, "SD-1"]]),
        "unknown_part",
    )
    assert (issue.sheet, issue.row, issue.part_id) == ("declarations", 2, "MAGX")


def test_undeclared_part2_leaf_is_warned(make_bom):
    bom = make_bom([("MAG", "part2", "JP", 10)])
    assert [issue.code for issue in bom.issues] == ["undeclared_part2_leaf"]


def test_row_account_adds_up(small_workbook):
    bom = bomcalc.read_workbook(
        small_workbook(parts=GOOD_PARTS[:1] + [[None] * 8] + GOOD_PARTS[1:], bom=[["TOP", "MAG", 1], ["MAG", "DY", 1], ["MAG", "DY", 1]])
    )
    parts_account, lines_account = bom.accounts
    # the header row is read and skipped too
    assert (parts_account.read, parts_account.used, parts_account.skipped) == (5, 3, 2)
    assert (lines_account.read, lines_account.used, lines_account.merged) == (4, 2, 1)
    for account in bom.accounts:
        assert account.used + account.merged + account.skipped + account.rejected == account.read


def test_quantities_in_another_unit_are_converted(make_bom):
    bom = make_bom(
        [("MAG", "part2", "JP", 100), ("DY", "part1", "CN", 300, {"uom": "kg"})],
        [{"parent": "MAG", "child": "DY", "qty": "1.5", "uom": "g"}],
    )
    assert bom.graph.edges["MAG", "DY"]["qty"] == Decimal("0.0015")


def test_incompatible_units_are_an_error_for_that_line(make_bom):
    with pytest.raises(BomDataError) as caught:
        make_bom(
            [("MAG", "part2", "JP", 100), ("DY", "part1", "CN", 300, {"uom": "kg"})],
            [{"parent": "MAG", "child": "DY", "qty": "2", "uom": "m"}],
        )
    issue = _one(caught.value.issues, "incompatible_units")
    assert (issue.row, issue.part_id) == (2, "DY") and "'m'" in issue.message


def test_values_in_other_currencies_are_converted_with_the_fx_table(make_bom):
    from bomcalc.core.units import FxRate, FxTable

    fx = FxTable("USD", {"EUR": FxRate("EUR", Decimal("1.08"), None, "ECB 2026-11-02")})
    bom = bomcalc.bom_from_records(
        [
            {"part_id": "MAG", "annex1": "part2", "origin": "JP", "unit_value": 100, "currency": "USD"},
            {"part_id": "DY", "annex1": "part1", "origin": "CN", "unit_value": 300, "currency": "EUR"},
        ],
        [("MAG", "DY", 1)],
        fx=fx,
    )
    assert bom.currency == "USD"
    assert bom.parts.at["DY", "unit_value"] == Decimal("324.00")
    assert [rate.currency for rate in bom.fx_rates] == ["EUR"]


def test_price_per_price_unit_becomes_a_unit_value(make_bom):
    bom = make_bom([("SCREW", None, "DE", 6, {"price_unit": 100})])
    assert bom.parts.at["SCREW", "unit_value"] == Decimal("0.06")


def test_declaration_declared_unknown_makes_the_item_indeterminate(judge):
    items = judge(
        [("MAG", "part2", "JP", 10)],
        declarations=[{"part_id": "MAG", "cn_part1_value": "unknown", "source": "SD-9"}],
    )
    assert items["MAG"]["status"] == "indeterminate"


def test_one_topological_order_per_bom_puts_parents_first(make_bom):
    # a diamond: TOP uses L and R, both use LEAF; OTHER stands alone
    bom = make_bom(
        [("TOP", "part2", "JP", None), ("L", None, "JP", None), ("R", None, "JP", None),
         ("LEAF", "part1", "CN", Decimal("2")), ("OTHER", None, "JP", Decimal("1"))],
        [("TOP", "L", 1), ("TOP", "R", 1), ("L", "LEAF", 1), ("R", "LEAF", 1)],
    )
    order = bom.topological_order
    assert sorted(order) == ["L", "LEAF", "OTHER", "R", "TOP"]
    for parent, child in bom.graph.edges:
        assert order.index(parent) < order.index(child)
    assert bom.topological_order is order  # computed once
    subset = bom.in_topological_order({"LEAF", "R", "TOP"})
    assert subset[0] == "TOP" and subset[-1] == "LEAF"
