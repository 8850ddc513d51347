"""Every value of a BOM in one report currency (core layer).

Unit values and declared values are converted in place into the report currency: the one asked
for, else the fx table's, else the most common among the parts. A currency without a rate is an
error naming its rows.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter

from .errors import ERROR, DataIssue
from .part_columns import PartTable, column
from .tables import rows_text
from .units import FxRate, FxTable
from .values import EXACT


def _report_currency(part_records: dict, declared: str | None) -> str | None:
    if declared:
        return declared.upper()
    currencies, values = column(part_records, "currency"), column(part_records, "unit_value")
    counts = _given(Counter(itertools.compress(currencies, map(operator.is_not, values, itertools.repeat(None)))))
    if not counts:
        counts = _given(Counter(currencies))
    if not counts:
        return None
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def place(record: dict, name: str) -> tuple:
    """``(file, sheet, row)`` of the input row an attribute of a record came from (a master's, say)."""
    where = (record.get("where") or {}).get(name)
    return where if where is not None else (record.get("file"), record.get("sheet"), record["row"])


def _convert_currencies(records: dict, fields: tuple[str, ...], currency: str | None, fx: FxTable | None,
                        issues: list[DataIssue], used: dict[str, FxRate], what: str) -> None:
    """Convert ``fields`` of every record into ``currency`` in place; report missing rates."""
    missing: dict[str, list[dict]] = {}
    for record in _in_other_currencies(records, currency):
        source = record.get("currency")
        if not source or source == currency or all(record[f] is None for f in fields):
            continue
        rate = fx.rates.get(source) if fx is not None and fx.report_currency in (None, currency) else None
        if rate is None:
            missing.setdefault(source, []).append(record)
            continue
        used[source] = rate
        for name in fields:
            if record[name] is not None:
                record[name] = EXACT.multiply(record[name], rate.rate)
        record["currency"] = currency
    for source, records_missing in sorted(missing.items()):
        first = records_missing[0]
        rows = [place(r, "currency")[2] for r in records_missing]
        file, sheet, row = place(first, "currency")
        issues.append(
            DataIssue(
                ERROR,
                "missing_fx_rate",
                f"{what} in {source} (rows {rows_text(rows)}) but no exchange rate from {source} to the report "
                f"currency {currency}; add a row to the fx sheet or --fx file (currency, rate, date, source) "
                f"or choose the report currency with --currency",
                sheet,
                row,
                first["part_id"],
                file,
            )
        )


def _given(counts: Counter) -> Counter:
    """``counts`` without its blank currencies (``None``, ``""``)."""
    for blank in [source for source in counts if not source]:
        del counts[blank]
    return counts


def _in_other_currencies(records, currency: str | None) -> list:
    """The records of ``records`` whose currency is given and is not ``currency``, in order."""
    if isinstance(records, PartTable):  # found in its column: no record looked at for the others
        sources = records.columns["currency"]
        if not any(source and source != currency for source in Counter(sources)):  # the usual case: one currency
            return []
        return [records.at(i) for i, source in enumerate(sources) if source and source != currency]
    return [record for record in records.values() if record.get("currency") and record["currency"] != currency]


def convert_to_one_currency(part_records: dict, decl_records: dict, currency: str | None, fx: FxTable | None,
                             issues: list[DataIssue]) -> tuple[str | None, dict[str, FxRate]]:
    """Convert unit values and declared values into the report currency (``currency``, else the
    fx table's, else the most common among the parts) in place; returns it and the rates used."""
    report_currency = _report_currency(part_records, currency or (fx.report_currency if fx else None))
    used_rates: dict[str, FxRate] = {}
    _convert_currencies(part_records, ("unit_value",), report_currency, fx, issues, used_rates, "unit_value")
    _convert_currencies(
        decl_records, ("cn_part1_value", "unknown_origin_part1_value"), report_currency, fx, issues, used_rates,
        "declared values",
    )
    return report_currency, used_rates
