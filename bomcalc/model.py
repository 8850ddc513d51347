"""From canonical tables to a validated bill of materials and its graph (core layer).

Readers deliver :class:`RawTable` objects: cells as read, columns already renamed to the
canonical vocabulary, and the source row number of every row. :func:`build_bom` checks every
cell, collects every data problem of the whole input as :class:`~bomcalc.errors.DataIssue`
records, and returns a :class:`Bom` whose graph has an edge ``parent -> child`` carrying
``qty`` (quantity of the child per one unit of the parent, in the child's unit of measure).

Nothing here opens a file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx
import pandas as pd

from .errors import ERROR, WARNING, BomDataError, CycleError, DataIssue
from .values import EXACT, is_blank, is_currency_code, to_bool, to_country, to_decimal, to_text

#: Canonical tables: required columns, then optional ones.
SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "parts": (
        ("part_id",),
        ("description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology"),
    ),
    "bom": (("parent", "child", "qty"), ()),
    "declarations": (("part_id", "cn_part1_value"), ("unknown_origin_part1_value", "source")),
}

ANNEX1_VALUES = {"part1": "part1", "part2": "part2", "1": "part1", "2": "part2", "p1": "part1", "p2": "part2"}


@dataclass(frozen=True)
class RawTable:
    """One input table as read: canonical column names, raw cells, source row numbers.

    ``rows`` holds, for each row of ``frame``, its row number in the source (header = 1 when the
    header is the first row). ``file`` and ``sheet`` name where it came from, for messages.
    """

    name: str
    frame: pd.DataFrame
    rows: tuple[int, ...]
    file: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class RowAccount:
    """What became of the rows of one input table; the counts add up to ``read``."""

    file: str | None
    sheet: str | None
    read: int
    used: int
    merged: int
    skipped: int
    rejected: int


@dataclass(frozen=True)
class Bom:
    """A validated bill of materials.

    ``parts`` is indexed by ``part_id`` with columns ``description``, ``origin`` (alpha-2 code
    or ``None`` for unknown), ``unit_value`` (``Decimal`` [currency per uom] or ``None``),
    ``uom``, ``annex1`` (``"part1"``, ``"part2"`` or ``None``) and ``cn_technology`` (bool).
    ``lines`` has one row per distinct ``(parent, child)`` with ``qty`` (``Decimal``, duplicates
    summed). ``declarations`` is indexed by ``part_id`` with ``cn_part1_value`` and
    ``unknown_origin_part1_value`` (``Decimal`` [currency per unit]) and ``source``.
    ``graph`` is a ``networkx.DiGraph`` with an edge ``parent -> child`` carrying ``qty``.
    ``issues`` holds the warnings found while building (errors never reach a ``Bom``).
    """

    parts: pd.DataFrame
    lines: pd.DataFrame
    declarations: pd.DataFrame
    graph: nx.DiGraph
    currency: str | None
    issues: tuple[DataIssue, ...] = ()
    accounts: tuple[RowAccount, ...] = ()
    source: str | None = None
    files: tuple[str, ...] = field(default=())

    def part(self, part_id: str) -> pd.Series:
        """The attributes of one part."""
        return self.parts.loc[part_id]


class _Collector:
    """Gathers data issues for one table, with its file and sheet filled in."""

    def __init__(self, issues: list[DataIssue], table: RawTable | None):
        self.issues = issues
        self.file = table.file if table else None
        self.sheet = table.sheet if table else None

    def add(self, severity, code, message, row=None, part_id=None):
        self.issues.append(DataIssue(severity, code, message, self.sheet, row, part_id, self.file))


def _missing_columns(table: RawTable, issues: list[DataIssue]) -> bool:
    required, optional = SCHEMA[table.name]
    missing = [name for name in required if name not in table.frame.columns]
    if missing:
        found = ", ".join(str(c) for c in table.frame.columns) or "none"
        _Collector(issues, table).add(
            ERROR,
            "missing_column",
            f"required column(s) {', '.join(missing)} not found (columns found: {found}); "
            f"add them to the header row (expected: {', '.join(required + optional)})",
            row=1,
        )
        return True
    return False


def _column(table: RawTable, name: str) -> list:
    if name in table.frame.columns:
        return table.frame[name].tolist()
    return [None] * len(table.frame)


def _blank_rows(table: RawTable) -> list[bool]:
    frame = table.frame
    if frame.shape[1] == 0:
        return [True] * len(frame)
    columns = [frame[c].tolist() for c in frame.columns]
    return [all(is_blank(col[i]) for col in columns) for i in range(len(frame))]


def _parse_parts(table: RawTable, issues: list[DataIssue]):
    out = _Collector(issues, table)
    records: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    currencies: dict[str, list[int]] = {}
    blank = _blank_rows(table)
    cols = {name: _column(table, name) for name in SCHEMA["parts"][0] + SCHEMA["parts"][1]}
    used = skipped = rejected = 0
    for i, row in enumerate(table.rows):
        if blank[i]:
            skipped += 1
            continue
        part_id = to_text(cols["part_id"][i])
        if part_id is None:
            out.add(ERROR, "missing_part_id", "part_id is blank; give every part row a part number", row)
            rejected += 1
            continue
        if part_id in records:
            out.add(
                ERROR,
                "duplicate_part",
                f"part_id '{part_id}' is listed again (first at row {first_row[part_id]}); "
                "keep one row per part",
                row,
                part_id,
            )
            rejected += 1
            continue
        ok = True
        origin, note = to_country(cols["origin"][i])
        if note:
            out.add(WARNING, "country_code", note, row, part_id)
        if origin in ("HK", "MO"):
            out.add(
                WARNING,
                "origin_hk_mo",
                f"origin {origin} is treated as not China; whether it counts as China origin is "
                "not settled, check with counsel",
                row,
                part_id,
            )
        try:
            unit_value = to_decimal(cols["unit_value"][i])
            if unit_value is not None and unit_value < 0:
                raise ValueError(f"must be 0 or more, found {cols['unit_value'][i]}")
        except ValueError as exc:
            out.add(ERROR, "bad_unit_value", f"unit_value {exc}", row, part_id)
            unit_value, ok = None, False
        raw_annex1 = to_text(cols["annex1"][i])
        annex1 = None
        if raw_annex1 is not None:
            key = raw_annex1.lower().replace(" ", "").replace("_", "").replace("-", "")
            annex1 = ANNEX1_VALUES.get(key)
            if annex1 is None:
                out.add(
                    ERROR,
                    "bad_annex1",
                    f"annex1 must be part1, part2 or blank, found '{raw_annex1}'",
                    row,
                    part_id,
                )
                ok = False
        try:
            cn_technology = to_bool(cols["cn_technology"][i])
        except ValueError as exc:
            out.add(ERROR, "bad_cn_technology", f"cn_technology {exc}", row, part_id)
            cn_technology, ok = None, False
        currency = to_text(cols["currency"][i])
        if currency is not None:
            currency = currency.upper()
            if not is_currency_code(currency):
                out.add(WARNING, "currency_code", f"'{currency}' is not an ISO 4217 currency code", row, part_id)
            currencies.setdefault(currency, []).append(row)
        first_row[part_id] = row
        records[part_id] = {
            "part_id": part_id,
            "description": to_text(cols["description"][i]) or "",
            "origin": origin,
            "unit_value": unit_value,
            "currency": currency,
            "uom": to_text(cols["uom"][i]),
            "annex1": annex1,
            "cn_technology": bool(cn_technology),
            "row": row,
        }
        if ok:
            used += 1
        else:
            rejected += 1
    if len(currencies) > 1:
        listing = "; ".join(f"{code} (rows {_rows_text(rows)})" for code, rows in sorted(currencies.items()))
        out.add(
            ERROR,
            "mixed_currency",
            f"one currency per workbook is supported, found {listing}; convert the values to one currency",
        )
    currency = next(iter(currencies)) if len(currencies) == 1 else None
    account = RowAccount(table.file, table.sheet, len(table.rows), used, 0, skipped, rejected)
    return records, currency, account


def _rows_text(rows: list[int], most: int = 5) -> str:
    shown = ", ".join(str(r) for r in rows[:most])
    return shown + (f" and {len(rows) - most} more" if len(rows) > most else "")


def _parse_lines(table: RawTable, parts: dict, issues: list[DataIssue]):
    out = _Collector(issues, table)
    blank = _blank_rows(table)
    parents, children, qtys = (_column(table, c) for c in ("parent", "child", "qty"))
    totals: dict[tuple[str, str], Decimal] = {}
    first_row: dict[tuple[str, str], int] = {}
    rows_of: dict[tuple[str, str], list[int]] = {}
    self_loops: list[tuple[str, int]] = []
    skipped = rejected = merged = 0
    for i, row in enumerate(table.rows):
        if blank[i]:
            skipped += 1
            continue
        parent, child = to_text(parents[i]), to_text(children[i])
        ok = True
        for role, part_id in (("parent", parent), ("child", child)):
            if part_id is None:
                out.add(ERROR, f"missing_{role}", f"{role} is blank; every BOM line needs a parent and a child", row)
                ok = False
            elif part_id not in parts:
                out.add(
                    ERROR,
                    "unknown_part",
                    f"{role} '{part_id}' is not in the parts table; add it there or correct the part number",
                    row,
                    part_id,
                )
                ok = False
        qty = None
        try:
            qty = to_decimal(qtys[i])
            if qty is None:
                raise ValueError("is missing")
            if qty <= 0:
                raise ValueError(f"must be greater than 0, found {qtys[i]}")
        except ValueError as exc:
            message = f"qty {exc}" if str(exc) == "is missing" else f"qty {exc}"
            out.add(ERROR, "bad_qty", f"{message}; give the quantity of the child per one parent", row, child)
            ok = False
        if not ok:
            rejected += 1
            continue
        if parent == child:
            self_loops.append((parent, row))
            rejected += 1
            continue
        key = (parent, child)
        if key in totals:
            totals[key] = EXACT.add(totals[key], qty)
            rows_of[key].append(row)
            merged += 1
        else:
            totals[key] = qty
            first_row[key] = row
            rows_of[key] = [row]
    for key, rows in rows_of.items():
        if len(rows) > 1:
            out.add(
                WARNING,
                "duplicate_line",
                f"line {key[0]} -> {key[1]} appears on rows {_rows_text(rows)}; the quantities are summed "
                f"to {totals[key]}",
                rows[0],
                key[1],
            )
    for part_id, row in self_loops:
        out.add(ERROR, "cycle", f"part '{part_id}' is listed as a component of itself", row, part_id)
    used = len(totals)
    account = RowAccount(table.file, table.sheet, len(table.rows), used, merged, skipped, rejected)
    return totals, first_row, account


def _parse_declarations(table: RawTable, parts: dict, issues: list[DataIssue]):
    out = _Collector(issues, table)
    blank = _blank_rows(table)
    cols = {name: _column(table, name) for name in SCHEMA["declarations"][0] + SCHEMA["declarations"][1]}
    records: dict[str, dict] = {}
    skipped = rejected = 0
    for i, row in enumerate(table.rows):
        if blank[i]:
            skipped += 1
            continue
        part_id = to_text(cols["part_id"][i])
        if part_id is None:
            out.add(ERROR, "missing_part_id", "part_id is blank; name the part the declaration covers", row)
            rejected += 1
            continue
        if part_id not in parts:
            out.add(
                ERROR,
                "unknown_part",
                f"declaration for '{part_id}', which is not in the parts table; correct the part number "
                "or remove the row",
                row,
                part_id,
            )
            rejected += 1
            continue
        if part_id in records:
            out.add(
                ERROR,
                "duplicate_declaration",
                f"a second declaration for '{part_id}' (first at row {records[part_id]['row']}); keep one",
                row,
                part_id,
            )
            rejected += 1
            continue
        values = {}
        ok = True
        for name in ("cn_part1_value", "unknown_origin_part1_value"):
            try:
                number = to_decimal(cols[name][i])
                if number is None and name == "cn_part1_value":
                    raise ValueError("is missing")
                if number is not None and number < 0:
                    raise ValueError(f"must be 0 or more, found {cols[name][i]}")
            except ValueError as exc:
                out.add(ERROR, "bad_declaration", f"{name} {exc}", row, part_id)
                ok = False
                number = None
            values[name] = number if number is not None else Decimal(0)
        if not ok:
            rejected += 1
            continue
        part = parts[part_id]
        if part["annex1"] == "part1" and part["origin"] == "CN":
            out.add(
                WARNING,
                "declaration_ignored",
                "the part is a China-origin Part 1 item, so its own unit_value counts and the declaration is ignored",
                row,
                part_id,
            )
        records[part_id] = {
            "part_id": part_id,
            **values,
            "source": to_text(cols["source"][i]) or "",
            "row": row,
        }
    account = RowAccount(table.file, table.sheet, len(table.rows), len(records), 0, skipped, rejected)
    return records, account


def _cycle_issues(graph: nx.DiGraph, first_row: dict, table: RawTable) -> list[DataIssue]:
    issues: list[DataIssue] = []
    out = _Collector(issues, table)
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        cycle = nx.find_cycle(graph.subgraph(component))
        names = [edge[0] for edge in cycle] + [cycle[0][0]]
        rows = sorted(first_row[(edge[0], edge[1])] for edge in cycle)
        out.add(
            ERROR,
            "cycle",
            f"the BOM has a cycle {' -> '.join(names)} (lines on rows {_rows_text(rows)}); "
            "a part cannot contain itself, correct the parent or child of one of these lines",
            rows[0],
            names[0],
        )
    return issues


def build_bom(
    parts: RawTable,
    lines: RawTable,
    declarations: RawTable | None = None,
    *,
    source: str | None = None,
    files: tuple[str, ...] = (),
) -> Bom:
    """Validate canonical tables and build the BOM graph.

    Every problem across all tables is collected; if any has severity ``error``,
    :class:`~bomcalc.errors.BomDataError` (or :class:`~bomcalc.errors.CycleError` when the only
    errors are cycles) is raised carrying all of them. Otherwise the :class:`Bom` carries the
    warnings.
    """
    issues: list[DataIssue] = []
    tables = [parts, lines] + ([declarations] if declarations is not None else [])
    if any([_missing_columns(table, issues) for table in tables]):
        raise BomDataError(issues, source)

    part_records, currency, parts_account = _parse_parts(parts, issues)
    totals, first_row, lines_account = _parse_lines(lines, part_records, issues)
    accounts = [parts_account, lines_account]
    decl_records: dict = {}
    if declarations is not None:
        decl_records, decl_account = _parse_declarations(declarations, part_records, issues)
        accounts.append(decl_account)

    graph = nx.DiGraph()
    graph.add_nodes_from(part_records)
    graph.add_edges_from((parent, child, {"qty": qty}) for (parent, child), qty in totals.items())
    cycle_issues = _cycle_issues(graph, first_row, lines)
    issues.extend(cycle_issues)

    errors = [issue for issue in issues if issue.severity == ERROR]
    if errors:
        only_cycles = all(issue.code == "cycle" for issue in errors)
        raise (CycleError if only_cycles else BomDataError)(issues, source)

    _warn_undeclared_part2_leaves(graph, part_records, decl_records, parts, issues)

    parts_frame = pd.DataFrame(
        list(part_records.values()),
        columns=["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology", "row"],
        dtype=object,
    ).set_index("part_id", drop=False)
    parts_frame.index.name = None
    lines_frame = pd.DataFrame(
        [(parent, child, qty, first_row[(parent, child)]) for (parent, child), qty in totals.items()],
        columns=["parent", "child", "qty", "row"],
        dtype=object,
    )
    decl_frame = pd.DataFrame(
        list(decl_records.values()),
        columns=["part_id", "cn_part1_value", "unknown_origin_part1_value", "source", "row"],
        dtype=object,
    ).set_index("part_id", drop=False)
    decl_frame.index.name = None
    return Bom(
        parts=parts_frame,
        lines=lines_frame,
        declarations=decl_frame,
        graph=graph,
        currency=currency,
        issues=tuple(issues),
        accounts=tuple(accounts),
        source=source,
        files=files,
    )


def _warn_undeclared_part2_leaves(graph, part_records, decl_records, parts_table, issues):
    out = _Collector(issues, parts_table)
    for part_id, record in part_records.items():
        if (
            record["annex1"] == "part2"
            and record["origin"] != "CN"
            and graph.out_degree(part_id) == 0
            and part_id not in decl_records
        ):
            out.add(
                WARNING,
                "undeclared_part2_leaf",
                "Part 2 item with no components and no supplier declaration: its China-origin Part 1 "
                "content is taken as 0; add its BOM or a declaration",
                record["row"],
                part_id,
            )


def bom_from_records(
    parts: list[dict],
    lines: list[tuple] | list[dict],
    declarations: list[dict] | None = None,
    *,
    source: str | None = None,
) -> Bom:
    """Build a :class:`Bom` from plain Python records (tests, notebooks, other programs).

    ``parts`` is a list of dicts with canonical keys; ``lines`` a list of ``(parent, child,
    qty)`` tuples or dicts; ``declarations`` a list of dicts. Row numbers count from 2 as in a
    sheet whose header is row 1.
    """

    def table(name, records):
        frame = pd.DataFrame(records, dtype=object) if records else pd.DataFrame(columns=list(SCHEMA[name][0]), dtype=object)
        return RawTable(name, frame, tuple(range(2, len(frame) + 2)), sheet=name)

    line_records = [
        dict(zip(("parent", "child", "qty"), line)) if not isinstance(line, dict) else line for line in lines
    ]
    decl = table("declarations", declarations) if declarations is not None else None
    return build_bom(table("parts", parts), table("bom", line_records), decl, source=source)


def count_issues(issues) -> Counter:
    """How many issues of each severity."""
    return Counter(issue.severity for issue in issues)
