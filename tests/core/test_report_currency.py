"""The report currency and the conversions into it are the same whether the parts are a column table
(:class:`~bomcalc.core.part_columns.PartTable`, read column by column) or records read one at a time."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core.part_columns import PartTable
from bomcalc.core.report_currency import convert_to_one_currency
from bomcalc.core.units import FxRate, FxTable

CURRENCIES = st.sampled_from([None, "", "USD", "EUR", "GBP"])
VALUES = st.sampled_from([None, Decimal("1.5"), Decimal("0"), Decimal("250")])


def _most_common_given(parts: list[tuple]) -> str | None:
    """The report currency as the rule says: the most common currency of the parts with a value (of all
    parts when none has one), ties to the first in alphabetical order; blanks never count."""
    for counted in ([currency for currency, value in parts if value is not None], [currency for currency, _ in parts]):
        counts = Counter(currency for currency in counted if currency)
        if counts:
            return min(counts, key=lambda currency: (-counts[currency], currency))
    return None


def _records(parts: list[tuple]) -> list[dict]:
    return [{"part_id": f"P{i}", "currency": currency, "unit_value": value, "row": i + 2, "file": "parts.csv",
             "sheet": "parts", "where": {}} for i, (currency, value) in enumerate(parts)]


def _converted(records, chosen, fx):
    issues = []
    currency, used = convert_to_one_currency(records, {}, chosen, fx, issues)
    return currency, sorted(used), [(issue.code, issue.message, issue.row) for issue in issues]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(CURRENCIES, VALUES), max_size=30), st.sampled_from([None, "EUR", "usd"]),
       st.sampled_from([None, FxTable("USD", {"EUR": FxRate("EUR", Decimal("1.1"))})]))
def test_the_report_currency_and_conversions_are_the_same_from_columns_and_from_records(parts, chosen, fx):
    rows = _records(parts)
    table = PartTable({key: [row[key] for row in rows] for key in rows[0]} if rows else
                      {key: [] for key in ("part_id", "currency", "unit_value", "row", "file", "sheet", "where")})
    records = {row["part_id"]: dict(row) for row in rows}
    from_columns, from_records = _converted(table, chosen, fx), _converted(records, chosen, fx)
    assert from_columns == from_records
    expected = chosen.upper() if chosen else (fx.report_currency if fx else _most_common_given(parts))
    assert from_columns[0] == expected
    assert table.columns["unit_value"] == [record["unit_value"] for record in records.values()]
    assert table.columns["currency"] == [record["currency"] for record in records.values()]


def test_parts_all_in_the_report_currency_are_left_as_they_are():
    parts = [("USD", Decimal("3")), (None, Decimal("1")), ("", None), ("USD", None)]
    table = PartTable({key: [row[key] for row in _records(parts)] for key in _records(parts)[0]})
    assert _converted(table, None, None) == ("USD", [], [])
    assert table.columns["unit_value"] == [Decimal("3"), Decimal("1"), None, None]
