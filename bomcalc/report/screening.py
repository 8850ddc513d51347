"""The screening of shipments as text, JSON, CSV and an xlsx workbook (report layer).

Pure table building (:func:`screening_rows`, :func:`screening_document`) and the writers over
it. User text (items, parties, end uses) is shown escaped on the terminal
(:func:`~bomcalc.report.safe_text.terminal_text`) and defused in CSV and xlsx cells
(:func:`~bomcalc.io.writers.defuse_formula`), so no cell becomes a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import os

import pandas as pd

from ..core.screening import SCREEN_COLUMNS, Screening
from ..io.writers import csv_text, defuse_formula, write_atomic
from .documents import json_value
from .safe_text import terminal_text


def _cell(value):
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if value is None or (not isinstance(value, (str, bool)) and pd.isna(value)):
        return ""
    return value


def screening_rows(result: Screening) -> pd.DataFrame:
    """The screening table with tuples joined by ``; `` and dates as text: one row per shipment."""
    return result.table.apply(lambda column: column.map(_cell)) if len(result.table) else result.table


def _basis(result: Screening) -> dict:
    licensing = result.licensing
    return {
        "rule_pack": licensing.origin,
        "clauses": licensing.clause,
        "source": licensing.sources.get(licensing.source, licensing.source),
        "calendar": result.calendar_name,
        "calendar_years": result.calendar_years,
        "report_counting": licensing.report_counting,
        "ownership": {"threshold": str(licensing.ownership.threshold), "inclusive": licensing.ownership.inclusive,
                      "aggregate": licensing.ownership.aggregate, "aggregate_basis": licensing.ownership.aggregate_basis},
    }


def screening_document(result: Screening) -> dict:
    """The screening as one JSON-ready document (dates as YYYY-MM-DD, decimals as strings)."""
    shipments = []
    for _, row in result.table.iterrows():
        record = {name: json_value(row[name]) for name in SCREEN_COLUMNS}
        for name in ("date", "report_due"):
            record[name] = row[name].isoformat() if isinstance(row[name], dt.date) else None
        record["in_force"] = bool(row["in_force"])
        shipments.append(record)
    counts = result.table["outcome"].value_counts().to_dict() if len(result.table) else {}
    return {
        "basis": _basis(result),
        "outcomes": {o.id: {"label": o.label, "meaning": o.meaning, "rank": o.rank, "basis": o.basis}
                     for o in sorted(result.licensing.outcomes.values(), key=lambda o: o.rank)},
        "counts": {name: int(count) for name, count in counts.items()},
        "shipments": shipments,
        "listed_parties": {party.name: party.reason() for party in result.listed.values()},
        "warnings": [str(issue) for issue in result.issues],
        "row_accounts": [vars(account) for account in result.accounts],
    }


def format_screening(result: Screening) -> str:
    """The screening as a plain-text table for a terminal, with the notes of each shipment below it."""
    header = ("row", "item", "consignee", "date", "item status", "outcome", "report due")
    body = [(str(r["row"]), r["item"], r["consignee"] or "-", r["date"].isoformat(), r["item_status"],
             r["outcome_label"], r["report_due"].isoformat() if isinstance(r["report_due"], dt.date) else "-")
            for _, r in result.table.iterrows()]
    body = [tuple(terminal_text(cell, layout=False) for cell in line) for line in body]
    widths = [max(len(cell) for cell in column) for column in zip(header, *body)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for _, row in result.table.iterrows():
        for note in row["notes"]:
            lines.append(f"row {row['row']} ({terminal_text(row['item'], layout=False)}): {terminal_text(note, layout=False)}")
    basis = _basis(result)
    lines += ["", f"Licensing policy: {basis['clauses']} of {basis['source']} ({basis['rule_pack']}); "
              f"working days on {basis['calendar']} (covers {basis['calendar_years']})."]
    lines += [f"  {terminal_text(issue, layout=False)}" for issue in result.issues]
    lines.append("bomcalc informs a compliance decision; it does not replace legal advice.")
    return "\n".join(lines) + "\n"


def screening_csv(result: Screening) -> str:
    """The screening as CSV text (text cells defused)."""
    return csv_text(screening_rows(result))


def write_screening_xlsx(path: str | os.PathLike, result: Screening) -> None:
    """The screening as an xlsx workbook (sheet ``screening``), written whole or not at all."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "screening"
    sheet.append(list(SCREEN_COLUMNS))
    for _, row in screening_rows(result).iterrows():
        sheet.append([defuse_formula(value) if isinstance(value, str) else value for value in row])
    basis = workbook.create_sheet("basis")
    for key, value in _basis(result).items():
        basis.append([key, str(value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())
