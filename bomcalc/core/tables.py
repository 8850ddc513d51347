"""Cell-by-cell checks of the canonical tables ``parts``, ``bom`` and ``declarations`` (core layer).

Each ``parse_*`` function reads one :class:`~bomcalc.core.model.RawTable`, appends a
:class:`~bomcalc.core.errors.DataIssue` for every problem, marks the fate of every row in the
:class:`~bomcalc.core.ledger.RowLedger`, and returns clean records. Cross-table checks (unknown
parts, currencies, units, cycles) are :mod:`bomcalc.core.model`'s.
"""

from __future__ import annotations

import operator
from collections import Counter
from decimal import Decimal

import pandas as pd

from . import column_cells, frames, part_columns
from .column_cells import SLOW, usage_probability as _probability
from .errors import ERROR, WARNING, DataIssue
from .ledger import MERGED, REJECTED, SKIPPED, USED, RowLedger
from .values import EXACT, UNKNOWN_WORDS, exact_quotient, is_blank, is_currency_code, to_bool, to_country, to_decimal, to_text

#: Canonical tables: required columns, then optional ones.
SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "parts": (
        ("part_id",),
        ("description", "origin", "unit_value", "price_unit", "currency", "uom", "annex1", "cn_technology", "phantom",
         "supplier", "hs_code", "us_controlled"),
    ),
    "bom": (("parent", "child", "qty"), ("uom", "alt_group", "usage_probability")),
    "declarations": (
        ("part_id", "cn_part1_value"),
        ("unknown_origin_part1_value", "currency", "cn_technology", "source", "origin"),
    ),
}

ANNEX1_VALUES = {"part1": "part1", "part2": "part2", "1": "part1", "2": "part2", "p1": "part1", "p2": "part2"}
#: ``annex1`` cells that say the status is not known (compared without spaces, dashes and
#: underscores). Not the origin list: "n/a" and "none" in an Annex 1 column mean "not listed".
ANNEX1_UNKNOWN = UNKNOWN_WORDS
#: Optional columns a reader may add to the parts table: ``annex1_known`` and ``in_parts_data``
#: (booleans, see :func:`parse_parts`) and ``where`` (a dict attribute -> ``(file, sheet, row)``
#: naming the input row each attribute came from, for messages).
PARTS_PROVENANCE = ("annex1_known", "in_parts_data", "where")
UNVALUED = {"unknown", "unvalued", "?", "n/a"}


class Collector:
    """Gathers data issues for one table, with its file and sheet filled in."""

    def __init__(self, issues: list[DataIssue], table=None, ledger: RowLedger | None = None):
        self.issues = issues
        self.file = table.file if table is not None else None
        self.sheet = table.sheet if table is not None else None
        self.ledger = None if getattr(table, "accounted", False) else ledger

    def add(self, severity, code, message, row=None, part_id=None, where=None):
        """Record an issue; ``where`` = ``(file, sheet, row)`` names another input than the table's."""
        if where is not None:
            file, sheet, row = where
            self.issues.append(DataIssue(severity, code, message, sheet, row, part_id, file))
            return
        self.issues.append(DataIssue(severity, code, message, self.sheet, row, part_id, self.file))

    def mark(self, row, fate, reason=""):
        if self.ledger is not None and row is not None:
            self.ledger.mark(self.file, self.sheet, row, fate, reason)

    def mark_many(self, rows, fate, reason=""):
        """:meth:`mark` for many rows at once."""
        if self.ledger is not None:
            if not isinstance(rows, range) and (not isinstance(rows, (list, tuple)) or None in rows):
                rows = [row for row in rows if row is not None]
            self.ledger.mark_many(self.file, self.sheet, rows, fate, reason)


def rows_text(rows: list[int], most: int = 5) -> str:
    """``"2, 5, 9 and 3 more"``."""
    shown = ", ".join(str(r) for r in rows[:most])
    return shown + (f" and {len(rows) - most} more" if len(rows) > most else "")


def missing_columns(table, issues: list[DataIssue]) -> bool:
    """Report the required columns a table lacks; True when any is missing."""
    required, optional = SCHEMA[table.name]
    names = frames.column_names(table)
    missing = [name for name in required if name not in names]
    if missing:
        found = ", ".join(str(c) for c in names) or "none"
        Collector(issues, table).add(
            ERROR,
            "missing_column",
            f"required column(s) {', '.join(missing)} not found (columns found: {found}); "
            f"add them to the header row (expected: {', '.join(required + optional)})",
            row=table.header_row,
        )
        return True
    return False


def table_columns(table) -> dict[str, list]:
    """Every column of the table's schema (``[None, ...]`` for one it lacks): read them, never change them
    (:func:`~bomcalc.core.frames.column_list`)."""
    required, optional = SCHEMA[table.name]
    size, names = frames.table_size(table), set(frames.column_names(table))
    return {name: (frames.column_list(table, name) if name in names else [None] * size) for name in required + optional}


def blank_table_rows(table) -> list[bool]:
    columns = [frames.column_list(table, name) for name in frames.column_names(table)]
    return column_cells.blank_rows(columns, frames.table_size(table))


def _number(cell, name: str, *, minimum: Decimal | None = Decimal(0), strict: bool = False) -> Decimal | None:
    number = to_decimal(cell)
    if number is not None and minimum is not None:
        if strict and number <= minimum:
            raise ValueError(f"{name} must be greater than {minimum}, found {cell}")
        if not strict and number < minimum:
            raise ValueError(f"{name} must be {minimum} or more, found {cell}")
    return number


def _keyed_rows(table, out: Collector, records: dict, what: str, duplicate_code: str, duplicate_text: str):
    """The non-blank rows of a table keyed by ``part_id``, as ``(position, row, part_id)``.

    Blank rows are skipped and counted; a row without a part_id, or naming one already in
    ``records``, is reported and rejected. ``what`` finishes "part_id is blank; ...".
    """
    blank = blank_table_rows(table)
    part_ids, notes = column_cells.part_id_column(frames.column_list(table, "part_id"))
    for i, row in enumerate(table.rows):
        if blank[i]:
            out.mark(row, SKIPPED, "blank row")
            continue
        part_id, note = part_ids[i], notes[i]
        if note is not None:
            out.add(WARNING, "part_id_normalised", note, row, part_id)
        if part_id is None:
            out.add(ERROR, "missing_part_id", f"part_id is blank; {what}", row)
            out.mark(row, REJECTED, "blank part_id")
            continue
        if part_id in records:
            out.add(ERROR, duplicate_code,
                    duplicate_text.format(part_id=part_id, first=records[part_id]["row"]), row, part_id)
            out.mark(row, REJECTED, duplicate_code.replace("_", " "))
            continue
        yield i, row, part_id


def _provenance_columns(table) -> dict[str, list]:
    size, names = frames.table_size(table), frames.column_names(table)
    has_annex1 = "annex1" in names
    defaults = {"annex1_known": has_annex1, "in_parts_data": True, "where": None}
    columns = {}
    for name, default in defaults.items():
        if name in names:
            columns[name] = [default if is_blank(cell) else cell for cell in frames.column_list(table, name)]
        else:
            columns[name] = [default] * size
    if not has_annex1:
        columns["annex1_known"] = [False] * size
    return columns


class _PartRow:
    """Reports problems of one part row, each against the row its cell came from (``where``)."""

    def __init__(self, out: Collector, row: int, part_id: str, places: dict):
        self.out, self.row, self.part_id, self.places = out, row, part_id, places
        self.ok = True

    def add(self, severity: str, code: str, message: str, *names: str) -> None:
        """Record a problem with the cells ``names`` (the first given place of them is named)."""
        where = next((self.places[name] for name in names if self.places.get(name) is not None), None)
        self.out.add(severity, code, message, self.row, self.part_id, where=where)
        self.ok = self.ok and severity != ERROR


def _part_origin(cell, report: _PartRow) -> str | None:
    """The origin cell as an ISO 3166-1 alpha-2 code; HK and MO are read as not China, with a warning."""
    origin, note = to_country(cell)
    if note:
        report.add(WARNING, "country_code", note, "origin")
    if origin in ("HK", "MO"):
        report.add(WARNING, "origin_hk_mo", f"origin {origin} is treated as not China; whether it counts as China "
                   "origin is not settled, check with counsel", "origin")
    return origin


def _part_unit_value(value_cell, price_unit_cell, report: _PartRow) -> Decimal | None:
    """The exact value of one uom [currency per uom]: the price divided by its price unit."""
    try:
        unit_value = _number(value_cell, "unit_value")
        price_unit = _number(price_unit_cell, "price_unit", strict=True)
        if unit_value is not None and price_unit is not None and price_unit != 1:
            unit_value = exact_quotient(unit_value, price_unit)
            if unit_value is None:
                raise ValueError(f"price {value_cell} per {price_unit_cell} units is not a finite decimal per unit")
    except ValueError as exc:
        report.add(ERROR, "bad_unit_value", str(exc), "unit_value", "price_unit")
        return None
    return unit_value


def _part_annex1(cell, known: bool, report: _PartRow) -> tuple[str | None, bool]:
    """``(annex1, annex1_known)`` from the annex1 cell; a blank cell keeps ``known`` as given."""
    raw = to_text(cell)
    if raw is None:
        return None, known
    key = raw.lower().replace(" ", "").replace("_", "").replace("-", "")
    annex1 = ANNEX1_VALUES.get(key)
    if annex1 is not None:
        return annex1, True
    if key in ANNEX1_UNKNOWN:
        return None, False
    report.add(ERROR, "bad_annex1", f"annex1 must be part1, part2, blank (not listed) or unknown, found '{raw}'",
               "annex1")
    return None, known


def _part_flags(cells: dict, report: _PartRow) -> dict[str, bool]:
    """``cn_technology``, ``phantom`` and ``in_parts_data`` as booleans (a bad cell reads False, with an error)."""
    flags = {}
    for name, cell in cells.items():
        try:
            flags[name] = bool(to_bool(cell))
        except ValueError as exc:
            report.add(ERROR, f"bad_{name}", f"{name} {exc}", name)
            flags[name] = False
    return flags


def _part_currency(cell, report: _PartRow) -> str | None:
    """The currency cell upper-cased; a code that is not ISO 4217 is warned about."""
    currency = to_text(cell)
    if currency is None:
        return None
    currency = currency.upper()
    if not is_currency_code(currency):
        report.add(WARNING, "currency_code", f"'{currency}' is not an ISO 4217 currency code", "currency")
    return currency


def parse_parts(table, issues: list[DataIssue], ledger: RowLedger) -> part_columns.PartTable:
    """Part records by ``part_id`` (a :class:`~bomcalc.core.part_columns.PartTable`): origin
    code, exact unit value per uom, Annex 1 flags.

    ``annex1_known`` is False when the table has no ``annex1`` column, when the cell says the
    status is unknown (:data:`ANNEX1_UNKNOWN`), or when the reader says so (optional boolean
    column ``annex1_known``); a blank cell in a present column means "not listed".
    ``in_parts_data`` (default True) is False for a part the parts master given lacks. A
    problem with an attribute is reported against the row it came from (optional ``where``
    column), else against this table's row.
    """
    out = Collector(issues, table, ledger)
    cols, extra = table_columns(table), _provenance_columns(table)
    part_ids, notes = column_cells.part_id_column(cols["part_id"])
    clean = column_cells.clean_part_columns(cols, extra, ANNEX1_VALUES, ANNEX1_UNKNOWN)
    texts = {name: column_cells.text_column(cols[name]) for name in ("description", "hs_code", "uom", "supplier")}
    kept, repeated, positions = part_columns.first_rows(part_ids)
    records = part_columns.part_records(table, kept, part_ids, clean, texts, extra, positions)  # each new part, column-wise
    blank = blank_table_rows(table) if None in part_ids else [False] * len(part_ids)  # a blank row has no part id
    rejected = set()
    for i in part_columns.rows_to_read(blank, part_ids, notes, repeated, clean):  # the rest, one at a time, in row order
        row, part_id = table.rows[i], part_ids[i]
        if blank[i]:
            out.mark(row, SKIPPED, "blank row")
            continue
        if notes[i] is not None:
            out.add(WARNING, "part_id_normalised", notes[i], row, part_id)
        if part_id is None or i in repeated:
            rejected.add(i)
            if part_id is None:
                out.add(ERROR, "missing_part_id", "part_id is blank; give every part row a part number", row)
                out.mark(row, REJECTED, "blank part_id")
            else:
                out.add(ERROR, "duplicate_part", f"part_id '{part_id}' is listed again (first at row "
                        f"{records[part_id]['row']}); keep one row per part", row, part_id)
                out.mark(row, REJECTED, "duplicate part")
        elif any(values[i] is SLOW for values in clean.values()) and not _read_part_cells(out, records[part_id], cols, extra, i):
            rejected.add(i)
            out.mark(row, REJECTED, "bad value")
    rows = table.rows
    out.mark_many(rows if not rejected and kept == range(len(rows)) else [rows[i] for i in kept if i not in rejected], USED)
    return records


def _read_part_cells(out: Collector, record: dict, cols: dict, extra: dict, i: int) -> bool:
    """Read the attributes of row ``i`` one cell at a time into its ``record``, each problem
    reported; False when one is an error."""
    report = _PartRow(out, record["row"], record["part_id"], record["where"])
    origin = _part_origin(cols["origin"][i], report)
    unit_value = _part_unit_value(cols["unit_value"][i], cols["price_unit"][i], report)
    annex1, annex1_known = _part_annex1(cols["annex1"][i], bool(extra["annex1_known"][i]), report)
    flags = _part_flags({name: cols[name][i] if name in cols else extra[name][i]
                         for name in ("cn_technology", "phantom", "in_parts_data")}, report)
    currency = _part_currency(cols["currency"][i], report)
    controlled = column_cells.flag_cell(cols["us_controlled"][i], "us_controlled", report)
    record.update(origin=origin, unit_value=unit_value, currency=currency, annex1=annex1, annex1_known=annex1_known,
                  us_controlled=controlled, **flags)
    return report.ok


def parse_lines(table, parts: dict, issues: list[DataIssue], ledger: RowLedger) -> list[dict]:
    """BOM line records (parent, child, qty as given, uom, alternate group), duplicates not yet merged."""
    out = Collector(issues, table, ledger)
    blank = blank_table_rows(table)
    cols = table_columns(table)
    (parents, parent_notes), (children, child_notes) = (column_cells.part_id_column(cols[name]) for name in ("parent", "child"))
    qtys = column_cells.number_column(cols["qty"], strict=True)
    uoms, alt_groups = column_cells.text_column(cols["uom"]), column_cells.text_column(cols["alt_group"])
    probabilities = cols["usage_probability"]
    lines, used = [], []
    for i, (row, parent, child, qty) in enumerate(zip(table.rows, parents, children, qtys)):
        if blank[i]:
            out.mark(row, SKIPPED, "blank row")
            continue
        if (qty is not None and qty is not SLOW and probabilities[i] is None and parent_notes[i] is None
                and child_notes[i] is None and parent in parts and child in parts and parent != child):
            lines.append({"parent": parent, "child": child, "qty": qty, "uom": uoms[i], "alt_group": alt_groups[i],
                          "usage_probability": None, "row": row})
            used.append(row)  # a clean line: nothing to report
            continue
        line = checked_line(out, cols, i, row, parts, (parent, parent_notes[i]), (child, child_notes[i]))
        if line is not None:
            lines.append(line)
    out.mark_many(used, USED)
    return lines


def checked_line(out: Collector, cols: dict, i: int, row: int, parts: dict, parent_read: tuple, child_read: tuple):
    """The line of row ``i`` read cell by cell, each problem reported; ``None`` when it is rejected."""
    (parent, parent_note), (child, child_note) = parent_read, child_read
    for note, part_id in ((parent_note, parent), (child_note, child)):
        if note is not None:
            out.add(WARNING, "part_id_normalised", note, row, part_id)
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
        qty = _number(cols["qty"][i], "qty", strict=True)
        if qty is None:
            raise ValueError("qty is missing")
    except ValueError as exc:
        out.add(ERROR, "bad_qty", f"{exc}; give the quantity of the child per one parent", row, child)
        ok = False
    probability = None
    try:
        probability = _probability(cols["usage_probability"][i])
    except (ValueError, TypeError, ArithmeticError) as exc:
        out.add(ERROR, "bad_usage_probability", str(exc) or f"bad usage_probability {cols['usage_probability'][i]}", row, child)
        ok = False
    if ok and parent == child:
        out.add(ERROR, "cycle", f"part '{parent}' is listed as a component of itself", row, parent)
        ok = False
    if not ok:
        out.mark(row, REJECTED, "bad line")
        return None
    out.mark(row, USED)
    return {
        "parent": parent,
        "child": child,
        "qty": qty,
        "uom": to_text(cols["uom"][i]),
        "alt_group": to_text(cols["alt_group"][i]),
        "usage_probability": probability,
        "row": row,
    }


_LINE_KEY = operator.itemgetter("parent", "child")


def merge_duplicate_lines(lines: list[dict], table, issues: list[DataIssue], ledger: RowLedger) -> dict:
    """One line per (parent, child): quantities (already in the child's uom) summed, with a warning."""
    keys = list(map(_LINE_KEY, lines))
    merged = dict(zip(keys, lines))  # each key in the order first given
    if len(merged) == len(lines):  # no line given twice: nothing to sum or report
        return merged
    counts = Counter(keys)
    out = Collector(issues, table, ledger)
    rows_of: dict[tuple[str, str], list[int]] = {}  # the rows of each line given more than once, in the order first given
    for i in [i for i, key in enumerate(keys) if counts[key] > 1]:
        line, key = lines[i], keys[i]
        rows = rows_of.get(key)
        if rows is None:
            rows_of[key] = [line["row"]]
            merged[key] = dict(line)  # the first, summed into
            continue
        first = merged[key]
        first["qty"] = EXACT.add(first["qty"], line["qty"])
        if "given_qty" in first and first["given_qty"] is not None:
            same_unit = (first["given_uom"], first["factor"]) == (line.get("given_uom"), line.get("factor"))
            first["given_qty"] = EXACT.add(first["given_qty"], line["given_qty"]) if same_unit else None
        rows.append(line["row"])
        ledger.mark(table.file, table.sheet, line["row"], MERGED, f"summed into row {first['row']}", force=True)
    for key, rows in rows_of.items():
        out.add(WARNING, "duplicate_line", f"line {key[0]} -> {key[1]} appears on rows {rows_text(rows)}; the quantities "
                f"are summed to {merged[key]['qty']}", rows[0], key[1])
    return merged


def parse_declarations(table, parts: dict, issues: list[DataIssue], ledger: RowLedger) -> dict[str, dict]:
    """Declaration records by ``part_id``; ``cn_part1_value`` ``None`` when declared as unknown."""
    out = Collector(issues, table, ledger)
    cols = table_columns(table)
    records: dict[str, dict] = {}
    rows = _keyed_rows(table, out, records, "name the part the declaration covers", "duplicate_declaration",
                       "a second declaration for '{part_id}' (first at row {first}); keep one")
    for i, row, part_id in rows:
        if part_id not in parts:
            out.add(
                ERROR,
                "unknown_part",
                f"declaration for '{part_id}', which is not in the parts table; correct the part number or remove the row",
                row,
                part_id,
            )
            out.mark(row, REJECTED, "unknown part")
            continue
        values, ok = {}, True
        for name in ("cn_part1_value", "unknown_origin_part1_value"):
            cell = cols[name][i]
            if isinstance(cell, str) and cell.strip().lower() in UNVALUED:
                values[name] = None
                out.add(
                    WARNING,
                    "unvalued_declaration",
                    f"{name} is declared as '{cell.strip()}': results that depend on it are indeterminate",
                    row,
                    part_id,
                )
                continue
            try:
                number = _number(cell, name)
                if number is None and name == "cn_part1_value":
                    raise ValueError("cn_part1_value is missing (write 'unknown' if the supplier cannot value it)")
            except ValueError as exc:
                out.add(ERROR, "bad_declaration", str(exc), row, part_id)
                ok, number = False, None
            values[name] = number if number is not None else Decimal(0)
        try:
            technology = to_bool(cols["cn_technology"][i])
        except ValueError as exc:
            out.add(ERROR, "bad_declaration", f"cn_technology {exc}", row, part_id)
            ok, technology = False, None
        if not ok:
            out.mark(row, REJECTED, "bad value")
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
        currency = to_text(cols["currency"][i])
        origin, origin_note = to_country(cols["origin"][i])  # the part's own origin, when declared
        if origin_note:
            out.add(WARNING, "country_code", origin_note, row, part_id)
        records[part_id] = {
            "part_id": part_id,
            **values,
            "origin": origin,
            "currency": currency.upper() if currency else None,
            "cn_technology": technology,
            "source": to_text(cols["source"][i]) or "",
            "row": row,
            "file": table.file,
            "sheet": table.sheet,
        }
        out.mark(row, USED)
    return records


def frame(records, columns) -> pd.DataFrame:
    """Records as an object-typed DataFrame (no NaN for missing values)."""
    return pd.DataFrame(list(records), columns=list(columns), dtype=object)
