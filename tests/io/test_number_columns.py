"""A column of number text read at once gives exactly what the one-cell parser gives.

:func:`bomcalc.io.numbers.parse_or_keep_column` reads a column whose cells are text and blanks
once per distinct cell, and reads a plain number (``12``, ``-0.5``; ``0,5`` with a decimal
comma) without the one-cell parser. These tests draw columns of number-like text (plain,
locale-grouped, with units, blank, with exponents and signs, huge, in other scripts, words)
and require the very same result as :func:`~bomcalc.io.numbers.parse_or_keep` cell by cell:
the same type and the same written value (``1.0`` stays ``1.0``, not ``1``). The quantities of
BOM lines (:func:`bomcalc.core.line_columns.qty_column`) are held to their one-cell reader the same way.
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core import column_cells, line_columns
from bomcalc.io.numbers import NumberStyle, parse_number, parse_or_keep, parse_or_keep_column

STYLES = [None, NumberStyle(".", None), NumberStyle(".", ","), NumberStyle(",", "."), NumberStyle(",", " "), NumberStyle(",", None)]
PLAIN = {".": re.compile(r"-?[0-9]+(\.[0-9]+)?"), ",": re.compile(r"-?[0-9]+(,[0-9]+)?")}

digits = st.text("0123456789", min_size=1, max_size=25)
plain = st.builds(lambda sign, whole, fraction, mark: f"{sign}{whole}{mark + fraction if fraction else ''}",
                  st.sampled_from(["", "-", "+"]), digits, st.one_of(st.just(""), digits), st.sampled_from([".", ","]))
grouped = st.builds(lambda head, groups, sep, dec, tail: head + "".join(sep + g for g in groups) + (dec + tail if tail else ""),
                    st.text("123456789", min_size=1, max_size=3), st.lists(st.text("0123456789", min_size=3, max_size=3), max_size=3),
                    st.sampled_from([",", ".", " ", "'", "\u00a0", "\u202f"]), st.sampled_from([".", ","]),
                    st.one_of(st.just(""), digits))
exponent = st.builds(lambda mantissa, sign, power: f"{mantissa}{'e' if len(power) % 2 else 'E'}{sign}{power}",
                     plain, st.sampled_from(["", "+", "-"]), st.text("0123456789", min_size=1, max_size=4))
other = st.sampled_from(["", " ", "  12 ", "\t3\t", "3 kg", "12 pcs", "unknown", "n/a", "1,5", "1.234", "1.250,00",
                         "155,22-", "(2.5)", "-0", "+5", "007", "1e-3", "1E+400", "9" * 60, "0." + "0" * 40 + "1",
                         "\u0661\u0662", "\uff11\uff12", "\u22123", "NaN", "inf", "1_000", "0x10", "1..2", "-", "."])
cells = st.one_of(plain, grouped, exponent, other, st.none())


def _written(values: list) -> list:
    """Each value with its type and exactly as written (``Decimal("1.0")`` and ``Decimal("1")`` differ)."""
    return [(type(value).__name__, str(value)) for value in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(cells, max_size=30), st.sampled_from(STYLES), st.integers(1, 3))
def test_a_column_reads_as_its_cells_do(column, style, repeat):
    column = column * repeat  # repeated values are read once, and must come back once per cell
    assert _written(parse_or_keep_column(column, style)) == _written([parse_or_keep(cell, style) for cell in column])


@settings(max_examples=300, deadline=None)
@given(st.one_of(plain, grouped, exponent, other), st.sampled_from([s for s in STYLES if s is not None]))
def test_the_plain_number_check_accepts_only_what_the_parser_reads_the_same(text, style):
    """The fast check (a full match on a plain number in the style) never accepts text the
    exact parser reads otherwise or refuses; what it does not accept goes to the parser."""
    if PLAIN[style.decimal].fullmatch(text):
        fast = Decimal(text.replace(",", ".") if style.decimal == "," else text)
        assert _written([fast]) == _written([parse_number(text, style)])
    assert _written(parse_or_keep_column([text], style)) == _written([parse_or_keep(text, style)])


def test_equal_cells_of_other_types_are_not_read_as_one():
    """``1``, ``1.0`` and ``True`` are equal dict keys: such a column is read cell by cell."""
    column = [1, 1.0, True, "1", "1.0", None, Decimal("1.00")]
    read = parse_or_keep_column(column, NumberStyle(".", None))
    assert _written(read) == [("Decimal", "1"), ("Decimal", "1.0"), ("bool", "True"), ("Decimal", "1"),
                              ("Decimal", "1.0"), ("NoneType", "None"), ("Decimal", "1.00")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from([Decimal("1"), Decimal("1.0"), Decimal("0"), Decimal("-2"),
                                                      Decimal("1E+3"), Decimal("NaN"), 1, 0, 2.5, float("inf"), True, "3"])),
                max_size=30))
def test_line_quantities_read_as_their_cells_do(column):
    assert _written(line_columns.qty_column(column)) == _written(column_cells.number_column(column, strict=True))


SLOW = column_cells.SLOW


@pytest.mark.parametrize("column, last", [
    ([Decimal("1"), Decimal("1.0"), Decimal("1E+3"), Decimal("0.00025")] * 10, Decimal("0.00025")),
    ([Decimal("1"), Decimal("1.0")] * 10 + [Decimal("0")], SLOW),
    ([Decimal("2")] * 10 + [Decimal("sNaN")], SLOW),
    ([Decimal("2")] * 10 + [Decimal("NaN")], SLOW),
    ([Decimal("2")] * 10 + [Decimal("Infinity")], SLOW),
    ([Decimal("2")] * 10 + [2], Decimal("2")),
    ([Decimal("2")] * 10 + [None], None),
], ids=["positive", "a zero", "signalling NaN", "NaN", "infinity", "an int", "a blank"])
def test_a_column_of_equal_decimals_is_read_by_value_only_when_every_cell_reads_as_itself(column, last):
    read = line_columns.qty_column(column)
    assert _written(read) == _written(column_cells.number_column(column, strict=True))
    assert _written(read[-1:]) == _written([last])
    if last is column[-1] is not None:  # every cell a positive Decimal: each read as itself, Decimal("1.0") not made Decimal("1")
        assert all(map(operator.is_, read, column))


def _written(values):
    return [(type(value).__name__, str(value)) for value in values]


SPREADSHEET_NUMBERS = st.lists(st.one_of(st.none(), st.sampled_from([0.0, -0.0, 0.7, 0.1, 1e-300, 2.5, -3.0, 1e20]),
                                         st.floats(allow_nan=True, allow_infinity=True),
                                         st.sampled_from(["", "0.7", "0,7", "1.0", "x", " 2 "])), max_size=40)


@settings(max_examples=200, deadline=None)
@given(SPREADSHEET_NUMBERS)
def test_a_column_of_spreadsheet_numbers_reads_as_its_cells_do(cells):
    # floats repeat in real sheets and are read once per value, except where equal keys read apart (0.0, -0.0);
    # blank cells of a number column are often empty text
    assert _written(parse_or_keep_column(cells, None)) == _written(parse_or_keep(cell, None) for cell in cells)
    by_column = column_cells.number_column(cells, strict=True)
    by_cell = [column_cells.number_column([cell], strict=True)[0] for cell in cells]
    assert [cell is column_cells.SLOW for cell in by_column] == [cell is column_cells.SLOW for cell in by_cell]
    assert _written(c for c in by_column if c is not column_cells.SLOW) == _written(c for c in by_cell if c is not column_cells.SLOW)


def test_signed_zeros_and_repeated_numbers_by_hand():
    assert _written(parse_or_keep_column([0.7, 0.7, None, 1e-300], None)) == [
        ("Decimal", "0.7"), ("Decimal", "0.7"), ("NoneType", "None"), ("Decimal", "1E-300")]
    assert _written(parse_or_keep_column([0.0, -0.0, 0.0], None)) == [("Decimal", "0.0"), ("Decimal", "-0.0"), ("Decimal", "0.0")]
    assert column_cells.number_column([0.5, 0.0, 0.5], strict=True)[1] is column_cells.SLOW  # 0 is not above 0
