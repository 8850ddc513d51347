"""Locale-aware number parsing: exact decimals, and a refusal whenever a number reads two ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.io.numbers import AmbiguousNumbers, NumberStyle, detect_number_style, parse_number

COMMA = NumberStyle(",", ".")
POINT = NumberStyle(".", ",")
COMMA_ONLY = NumberStyle(",", None)
ERROR = "error"
AMBIGUOUS = "ambiguous"

# (id, cell, style, expected: a decimal string, None for blank, ERROR or AMBIGUOUS)
PARSE_CASES = [
    ("a plain decimal point needs no style", "12.5", None, "12.5"),
    ("an integer needs no style", "3", None, "3"),
    ("a leading minus is negative", "-2", None, "-2"),
    ("a leading plus is positive", "+2.5", None, "2.5"),
    ("a Unicode minus sign is negative", "\u22122.5", None, "-2.5"),
    ("an exponent needs no style", "1e-3", None, "0.001"),
    ("an upper-case exponent with a sign", "1.5E+3", None, "1.5E+3"),
    ("a leading zero before three decimals is a decimal point", "0.125", None, "0.125"),
    ("trailing zeros are kept exactly", "12.50", None, "12.50"),
    ("a bare fraction reads", ".5", None, "0.5"),
    ("surrounding spaces and no-break spaces are ignored", " \u00a012.5\u00a0 ", None, "12.5"),
    ("a space groups thousands without a style", "1 234 567", None, "1234567"),
    ("an apostrophe groups thousands, Swiss style", "1'234.50", None, "1234.50"),
    ("a narrow no-break space groups thousands", "1\u202f234,5", COMMA, "1234.5"),
    ("1,5 without a style is ambiguous", "1,5", None, AMBIGUOUS),
    ("1.234 without a style is ambiguous", "1.234", None, AMBIGUOUS),
    ("1,234.5 without a style is refused", "1,234.5", None, AMBIGUOUS),
    ("1.234.567 without a style is refused", "1.234.567", None, AMBIGUOUS),
    ("SAP trailing minus is negative", "155,22-", COMMA, "-155.22"),
    ("SAP trailing minus after a space is negative", "155,22 -", COMMA, "-155.22"),
    ("parentheses are negative", "(12.5)", POINT, "-12.5"),
    ("parentheses around a sign are refused", "(-12.5)", POINT, ERROR),
    ("two signs are refused", "-12-", POINT, ERROR),
    ("a decimal comma reads in a comma style", "0,75", COMMA, "0.75"),
    ("a decimal comma is refused in a point style", "0,75", POINT, ERROR),
    ("a decimal point is refused in a comma style", "12.5", COMMA, ERROR),
    ("dot thousands with a decimal comma", "1.234,5", COMMA, "1234.5"),
    ("comma thousands with a decimal point", "1,234.5", POINT, "1234.5"),
    ("1,234 is 1234 in a point style", "1,234", POINT, "1234"),
    ("1,234 is 1.234 in a comma style", "1,234", COMMA, "1.234"),
    ("1.234 is 1234 in a comma style", "1.234", COMMA, "1234"),
    ("dot thousands are refused when the style has none", "1.234,5", COMMA_ONLY, ERROR),
    ("an exponent with a decimal comma", "1,5E-3", COMMA, "0.0015"),
    ("thousands separators are refused in an exponent", "1.234,5E3", COMMA, ERROR),
    ("well-formed groups of three read", "12.345.678,9", COMMA, "12345678.9"),
    ("a short group is malformed", "1.23.4", COMMA, ERROR),
    ("a long group is malformed", "1.2345", COMMA, ERROR),
    ("a first group of four is malformed", "1234.567,5", COMMA, ERROR),
    ("a first group of zero is malformed", "0.234,5", COMMA, ERROR),
    ("mixed thousands separators are refused", "1.234 567,8", COMMA, ERROR),
    ("two decimal separators are refused", "1,2,5", COMMA, ERROR),
    ("thousands in the fraction are refused", "0,123.456", COMMA, ERROR),
    ("a unit after the number is refused", "12.5 kg", POINT, ERROR),
    ("a currency sign is refused", "$12.5", POINT, ERROR),
    ("words are refused", "twelve", None, ERROR),
    ("a lone minus is refused", "-", None, ERROR),
    ("NaN as text is refused", "NaN", None, ERROR),
    ("infinity as text is refused", "Infinity", None, ERROR),
    ("an empty cell is blank", "", None, None),
    ("a cell of spaces is blank", " \u00a0 ", None, None),
    ("None is blank", None, None, None),
    ("a float NaN is blank", float("nan"), None, None),
    ("a float goes through its shortest form", 0.7, None, "0.7"),
    ("a float ignores the style", 1234.5, COMMA, "1234.5"),
    ("an int is exact", 10**30 + 1, None, str(10**30 + 1)),
    ("a Decimal is kept", Decimal("0.0007"), None, "0.0007"),
    ("a boolean is refused", True, None, ERROR),
    ("a float infinity is refused", float("inf"), None, ERROR),
    ("a Decimal NaN is refused", Decimal("NaN"), None, ERROR),
    ("a date is refused", dt.date(2026, 1, 1), None, ERROR),
]


@pytest.mark.parametrize(
    "cell, style, expected", [case[1:] for case in PARSE_CASES], ids=[case[0] for case in PARSE_CASES]
)
def test_parse_number(cell, style, expected):
    if expected == AMBIGUOUS:
        with pytest.raises(AmbiguousNumbers, match="--decimal"):
            parse_number(cell, style)
    elif expected == ERROR:
        with pytest.raises(ValueError, match="expected a number") as raised:
            parse_number(cell, style)
        assert not isinstance(raised.value, AmbiguousNumbers)
    elif expected is None:
        assert parse_number(cell, style) is None
    else:
        result = parse_number(cell, style)
        assert isinstance(result, Decimal)
        assert str(result) == str(Decimal(expected))


def test_a_float_is_exactly_its_shortest_decimal():
    assert parse_number(0.7) * 3 == Decimal("2.1")


def test_error_names_the_cell_and_the_style():
    with pytest.raises(ValueError, match=r"expected a number, found '12\.5' \(numbers here use ','"):
        parse_number("12.5", COMMA)


# (id, cells, expected: a NumberStyle, None, or AMBIGUOUS)
DETECT_CASES = [
    ("a decimal comma decides", ["0,75", "12", "3"], NumberStyle(",", None)),
    ("a decimal point decides", ["12.5", "3"], NumberStyle(".", None)),
    ("SAP trailing minus with a decimal comma decides", ["155,22-"], NumberStyle(",", None)),
    ("both separators: the last is decimal (comma)", ["1.234,5"], NumberStyle(",", ".")),
    ("both separators: the last is decimal (point)", ["1,234.5"], NumberStyle(".", ",")),
    ("1,234 alone is ambiguous", ["1,234"], AMBIGUOUS),
    ("1.234 alone is ambiguous", ["1.234", "2.500"], AMBIGUOUS),
    ("1,234 is settled by a decimal comma elsewhere", ["1,234", "0,5"], NumberStyle(",", None)),
    ("1.234 is settled by a decimal comma elsewhere", ["1.234", "0,5"], NumberStyle(",", ".")),
    ("1,234 is settled by a decimal point elsewhere", ["1,234", "0.5"], NumberStyle(".", ",")),
    ("a leading zero before three digits is decimal", ["0,125"], NumberStyle(",", None)),
    ("more than three digits before the separator is decimal", ["1234,567"], NumberStyle(",", None)),
    ("a separator used twice groups thousands", ["1.234.567"], NumberStyle(",", ".")),
    ("an exponent makes the separator decimal", ["1,234E-3"], NumberStyle(",", None)),
    ("space thousands with a decimal comma", ["1 234,5"], NumberStyle(",", " ")),
    ("apostrophe thousands with a decimal point", ["1'234.50"], NumberStyle(".", "'")),
    ("decimal comma and decimal point disagree", ["0,75", "12.5"], AMBIGUOUS),
    ("both-separator values disagree", ["1.234,5", "1,234.5"], AMBIGUOUS),
    ("integers alone decide nothing", ["12", "-3", "1e-3"], None),
    ("space thousands alone decide nothing", ["1 234"], None),
    ("numbers from a spreadsheet decide nothing", [0.75, 1234, Decimal("1.5"), None], None),
    ("no cells decide nothing", [], None),
    ("text that is not a number is ignored", ["n/a", "12.5 kg", "1.23.4", "0,5"], NumberStyle(",", None)),
]


@pytest.mark.parametrize(
    "cells, expected", [case[1:] for case in DETECT_CASES], ids=[case[0] for case in DETECT_CASES]
)
def test_detect_number_style(cells, expected):
    if expected == AMBIGUOUS:
        with pytest.raises(AmbiguousNumbers, match="--decimal"):
            detect_number_style(cells)
    else:
        assert detect_number_style(cells) == expected


def test_every_cell_reads_in_the_detected_style():
    cells = ["1.234,50", "0,75", "155,22-", "1.234", "12", "(3,5)"]
    style = detect_number_style(cells)
    assert [parse_number(cell, style) for cell in cells] == [
        Decimal("1234.50"),
        Decimal("0.75"),
        Decimal("-155.22"),
        Decimal("1234"),
        Decimal("12"),
        Decimal("-3.5"),
    ]


def test_cells_without_evidence_read_without_a_style():
    cells = ["12", "1 234", "-3", "1e-3"]
    assert detect_number_style(cells) is None
    assert [parse_number(cell) for cell in cells] == [Decimal(text) for text in ("12", "1234", "-3", "0.001")]


def test_disagreement_names_examples_from_both_sides():
    with pytest.raises(AmbiguousNumbers) as raised:
        detect_number_style(["0,75", "0,75", "1,5", "2,25", "12.5", "7.5"])
    assert raised.value.examples == ("0,75", "12.5", "1,5")
    message = str(raised.value)
    assert "'0,75', '1,5' read with a decimal comma but '12.5' with a decimal point" in message
    assert "--decimal , or --decimal ." in message


def test_ambiguity_says_both_readings():
    with pytest.raises(AmbiguousNumbers) as raised:
        detect_number_style(["1,234", "2,500", "3,000", "4,000"])
    assert raised.value.examples == ("1,234", "2,500", "3,000")
    assert "'1,234' is 1234 with a decimal point and 1.234 with a decimal comma" in str(raised.value)


def test_ambiguous_numbers_is_a_value_error():
    assert issubclass(AmbiguousNumbers, ValueError)


@pytest.mark.parametrize("decimal, thousands", [(";", None), (".", "."), (",", "_")])
def test_a_number_style_must_make_sense(decimal, thousands):
    with pytest.raises(ValueError):
        NumberStyle(decimal, thousands)


STYLES = [NumberStyle(",", "."), NumberStyle(".", ","), NumberStyle(",", " "), NumberStyle(".", "'")]


def written(number: Decimal, style: NumberStyle, sap_minus: bool) -> str:
    """``number`` as a file in ``style`` writes it, grouped in thousands."""
    grouped = f"{abs(number):,f}".replace(",", "_").replace(".", style.decimal).replace("_", style.thousands)
    if number >= 0:
        return grouped
    return f"{grouped}-" if sap_minus else f"-{grouped}"


@settings(max_examples=200, deadline=None)
@given(
    number=st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
    style=st.sampled_from(STYLES),
    sap_minus=st.booleans(),
)
def test_a_number_written_in_a_style_reads_back_exactly(number, style, sap_minus):
    assert parse_number(written(number, style, sap_minus), style) == number
