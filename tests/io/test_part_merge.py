"""A part named on many rows: a row that repeats the part's last row which changed nothing is passed
over, and the parts and problems come out exactly as when every row is merged."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.io.part_merge import PART_ATTRIBUTES, merge_part, merge_row

VALUES = {
    "description": st.sampled_from([None, "", "Magnet", "magnet ", "Dy metal"]),
    "origin": st.sampled_from([None, "CN", "cn", "China", "JP", " ", "XX"]),
    "unit_value": st.sampled_from([None, Decimal("5"), Decimal("5.0"), Decimal("5.00"), Decimal("7"), 5, 5.0, -0.0, 0.0, "abc",
                                   float("nan")]),
    "price_unit": st.sampled_from([None, Decimal("1"), Decimal("100"), Decimal("1.0")]),
    "currency": st.sampled_from([None, "USD", "usd", "EUR", 1, 1.0, True]),  # numbers: equal values, other text
    "uom": st.sampled_from([None, "EA", "ea", "KG", "G"]),
    "annex1": st.sampled_from([None, "Part 1", "part1", "Part 2", "unknown"]),
    "cn_technology": st.sampled_from([None, True, False, "yes", "no", "TRUE", 1]),
    "phantom": st.sampled_from([None, False, True, "no"]),
    "supplier": st.sampled_from([None, "Acme", "ACME"]),
    "hs_code": st.sampled_from([None, "8505.11", "850511"]),
    "us_controlled": st.sampled_from([None, False, True, "yes"]),
}
ROW = st.fixed_dictionaries({name: VALUES[name] for name in PART_ATTRIBUTES})


def with_repeats(rows):
    """``(part, row, where)`` of each row, where a row may repeat an earlier row of its part (the
    integer picks which), as exports repeat a part on every assembly that holds it."""
    earlier: dict[str, list[dict]] = {}
    for number, (part, row, repeat) in enumerate(rows, start=2):
        seen = earlier.setdefault(part, [])
        row = copy.copy(seen[-1 - repeat % len(seen)]) if seen and repeat else row
        seen.append(row)
        yield part, row, ("bom.csv", "bom", number)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["P1", "P2"]), ROW, st.integers(0, 3)), max_size=30))
def test_rows_passed_over_leave_the_parts_and_problems_every_row_gives(rows):
    plain_parts, plain_issues, quick_parts, quick_issues, settled = {}, [], {}, [], {}
    for part, attributes, where in with_repeats(rows):
        assert merge_part(plain_parts, part, dict(attributes), where, plain_issues) == merge_part(
            quick_parts, part, dict(attributes), where, quick_issues, settled)
    assert quick_parts == plain_parts and quick_issues == plain_issues


#: A sheet row's cells: the attributes (any of them may be missing: the sheet has no such column) and others.
CELLS = st.fixed_dictionaries({"qty": st.sampled_from([None, Decimal("2")]), "level": st.sampled_from(["1", "2"])},
                              optional={name: VALUES[name] for name in PART_ATTRIBUTES})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["P1", "P2"]), CELLS, st.integers(0, 3)), max_size=30))
def test_rows_merged_from_their_cells_give_what_every_row_merged_gives(rows):
    """``merge_row`` takes a row's cells as the export reader holds them (other columns too, some
    attributes missing) and passes over repeats by their values alone: the parts and problems are
    those of every row's attributes merged."""
    plain_parts, plain_issues, quick_parts, quick_issues, settled = {}, [], {}, [], {}
    for part, cells, where in with_repeats(rows):
        merge_part(plain_parts, part, {name: cells.get(name) for name in PART_ATTRIBUTES}, where, plain_issues)
        merge_row(quick_parts, part, cells, where, quick_issues, settled)
    assert quick_parts == plain_parts and quick_issues == plain_issues


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["P1", "P2"]), ROW), max_size=4),
       st.lists(st.tuples(st.sampled_from(["P1", "P2"]), CELLS, st.integers(0, 3)), max_size=20))
def test_rows_merged_from_their_cells_into_records_made_before_give_what_every_row_merged_gives(before, rows):
    """The parts may already hold records (from a parts master, say) when the rows come: a row whose
    values are those a record holds is passed over, and the outcome is still every row merged."""
    plain_parts, plain_issues, quick_parts, quick_issues, settled = {}, [], {}, [], {}
    for number, (part, attributes) in enumerate(before, start=2):
        merge_part(plain_parts, part, dict(attributes), ("master.csv", "master", number), plain_issues)
        merge_part(quick_parts, part, dict(attributes), ("master.csv", "master", number), quick_issues)
    for part, cells, where in with_repeats(rows):
        merge_part(plain_parts, part, {name: cells.get(name) for name in PART_ATTRIBUTES}, where, plain_issues)
        merge_row(quick_parts, part, cells, where, quick_issues, settled)
    assert quick_parts == plain_parts and quick_issues == plain_issues


def test_a_row_of_other_types_is_merged_from_its_cells_again():
    """A currency of ``1.0`` or ``True`` after rows saying ``1``: equal values, other types, so merged and reported."""
    row = {"qty": Decimal("1"), "origin": "JP", "unit_value": Decimal("5"), "currency": 1}
    for other in (1.0, True):
        parts, issues, settled = {}, [], {}
        for number, cells in enumerate([row, dict(row), row | {"currency": other}], start=2):
            merge_row(parts, "MAG", cells, ("f", "s", number), issues, settled)
        assert [(issue.code, issue.row) for issue in issues] == [("conflicting_attributes", 4)]
        assert "MAG" not in settled


def test_a_part_on_a_thousand_identical_rows_is_compared_once_and_a_changed_row_again():
    parts, issues, settled = {}, [], {}
    row = dict.fromkeys(PART_ATTRIBUTES) | {"origin": "CN", "unit_value": Decimal("340"), "uom": "KG"}
    for number in range(2, 1002):
        merge_part(parts, "DY", dict(row), ("f", "s", number), issues, settled)
    assert issues == [] and parts["DY"]["row"] == 2 and set(settled) == {"DY"}
    merge_part(parts, "DY", row | {"origin": "JP"}, ("f", "s", 1002), issues, settled)
    merge_part(parts, "DY", dict(row), ("f", "s", 1003), issues, settled)
    assert [(issue.code, issue.row) for issue in issues] == [("conflicting_attributes", 1002)]


def test_an_equal_value_of_another_type_is_merged_again():
    """``1.0 == 1 == True``, but a currency written 1.0 after rows saying 1 is not the same text: it is
    merged, and reported, exactly as when every row is merged."""
    row = dict.fromkeys(PART_ATTRIBUTES) | {"origin": "JP", "unit_value": Decimal("5"), "currency": 1}
    for other in (1.0, True):
        plain_parts, plain_issues, quick_parts, quick_issues, settled = {}, [], {}, [], {}
        for number, attributes in enumerate([row, row, row | {"currency": other}], start=2):
            merge_part(plain_parts, "MAG", dict(attributes), ("f", "s", number), plain_issues)
            merge_part(quick_parts, "MAG", dict(attributes), ("f", "s", number), quick_issues, settled)
        assert quick_parts == plain_parts and quick_issues == plain_issues
        assert [(issue.code, issue.row) for issue in quick_issues] == [("conflicting_attributes", 4)]


def test_an_equal_number_written_otherwise_decides_alike():
    """``Decimal('5.0')`` after rows saying ``Decimal('5')`` (and a price unit of ``1.0`` after ``1``) is
    passed over; merged, it would change nothing and report nothing either."""
    row = dict.fromkeys(PART_ATTRIBUTES) | {"origin": "JP", "unit_value": Decimal("5"), "price_unit": Decimal("1"),
                                            "uom": "EA", "currency": "USD"}
    for other in ({"unit_value": Decimal("5.0")}, {"price_unit": Decimal("1.0")}, {"unit_value": Decimal("5.00"),
                                                                                     "price_unit": Decimal("1.00")}):
        plain_parts, plain_issues, quick_parts, quick_issues, settled = {}, [], {}, [], {}
        for number, attributes in enumerate([row, row, row | other, row], start=2):
            merge_part(plain_parts, "MAG", dict(attributes), ("f", "s", number), plain_issues)
            merge_part(quick_parts, "MAG", dict(attributes), ("f", "s", number), quick_issues, settled)
        assert quick_parts == plain_parts and quick_issues == plain_issues == []
