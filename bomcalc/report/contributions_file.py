"""Every contribution of every Part 2 item as a CSV file (report layer).

The Contributions sheet of the audit workbook lists the largest contributors of each item
(``report --top``); this file lists all of them, with the same columns
(``TABLE_COLUMNS["Contributions"]`` of :mod:`bomcalc.report.audit`). Every number is written as
its exact decimal, never in exponent form; text is defused as in every bomcalc CSV (a cell
starting with = + - @ is prefixed with ``'``). ``report --output R.xlsx`` writes it beside the
workbook as ``R_contributions.csv`` (:func:`contributions_csv_path`); an audit pack holds it as
``contributions.csv``.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..core.values import format_decimal
from ..io.writers import csv_text, write_atomic

#: Suffix added to the workbook's name for the CSV written beside it.
CSV_SUFFIX = "_contributions.csv"


def contributions_csv_path(report: str | os.PathLike) -> Path:
    """Where ``report --output REPORT`` writes the full contributions: ``<REPORT stem>_contributions.csv`` beside it."""
    report = Path(report)
    return report.with_name(report.stem + CSV_SUFFIX)


def _cell(value):
    if isinstance(value, Decimal):
        return format_decimal(value)
    return value


def contributions_csv_text(table: pd.DataFrame) -> str:
    """The full contributions table (:func:`bomcalc.report.audit.contributions_table`) as CSV text."""
    return csv_text(table.map(_cell) if len(table) else table)


def write_contributions_csv(path: str | os.PathLike, table: pd.DataFrame) -> None:
    """Write the full contributions table to ``path``, whole or not at all."""
    write_atomic(path, contributions_csv_text(table).encode("utf-8"))
