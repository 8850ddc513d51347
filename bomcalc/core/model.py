"""From canonical tables to a validated bill of materials and its graph (core layer).

Readers deliver :class:`RawTable` objects: cells as read, columns already renamed to the
canonical vocabulary, and the source row number of every row. :func:`build_bom` checks every
cell, collects every data problem of the whole input as :class:`~bomcalc.core.errors.DataIssue`
records, and returns a :class:`Bom` whose graph has an edge ``parent -> child`` carrying
``qty`` (quantity of the child per one unit of the parent, in the child's unit of measure).

Nothing here opens a file.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import os
from decimal import Decimal
from dataclasses import dataclass, field

import pandas as pd

from . import column_cells, frames, line_columns
from .errors import ERROR, WARNING, BomDataError, CycleError, DataIssue
from .ledger import REJECTED, RowAccount, RowFate, RowFates, RowLedger
from .part_columns import PartTable
from .tables import (
    SCHEMA,
    Collector,
    frame,
    merge_duplicate_lines,
    missing_columns,
    parse_declarations,
    parse_lines,
    parse_parts,
    rows_text,
)
from .built_on_read import BuiltOnRead
from .graph import GraphSource, cycle_issues, graph_source, order_lines
from .units import FxRate, FxTable, UnitTable, unit_key
from .declared_origin import take_declared_origin
from .report_currency import convert_to_one_currency, place
from .values import EXACT

__all__ = ["SCHEMA", "RawTable", "RowAccount", "Bom", "build_bom", "bom_from_records"]


@dataclass(frozen=True)
class RawTable:
    """One input table as read: canonical column names, raw cells, source row numbers.

    ``rows`` holds, for each row of ``frame``, its row number in the source (header = 1 when the
    header is the first row): a tuple, or a ``range`` when they follow one another. ``file`` and
    ``sheet`` name where it came from, for messages.
    ``frame`` may be given as the columns read (a :class:`~bomcalc.core.frames.TableCells`): it becomes
    the table the first time it is read.
    """

    name: str
    frame: pd.DataFrame
    rows: tuple[int, ...] | range
    file: str | None = None
    sheet: str | None = None
    header_row: int = 1
    accounted: bool = False


RawTable.frame = BuiltOnRead("frame", frames.TableCells)  # set after the dataclass is made, as Bom.graph is


#: The origin the roll-up counts until a rule pack says otherwise (``[content] origin`` of the bundled default pack).
DEFAULT_CONTENT_ORIGIN = "CN"


@dataclass(frozen=True)
class Bom:
    """A validated bill of materials.

    ``parts`` is indexed by ``part_id`` with columns ``description``, ``origin`` (alpha-2 code
    or ``None`` for unknown), ``unit_value`` (``Decimal`` [currency per uom] or ``None``),
    ``uom``, ``annex1`` (``"part1"``, ``"part2"`` or ``None``: not listed, or not known when
    ``annex1_known`` is False), ``annex1_known`` (bool), ``in_parts_data`` (bool: False for a
    part the parts master given lacks) and ``cn_technology`` (bool).
    ``lines`` has one row per distinct ``(parent, child)`` with ``qty`` (``Decimal``, duplicates
    summed; ``given_qty``, ``given_uom`` and ``factor`` say how a quantity given in another unit
    than the child's was converted: ``qty = given_qty x factor``). ``declarations`` is indexed
    by ``part_id`` with ``cn_part1_value`` and
    ``unknown_origin_part1_value`` (``Decimal`` [currency per unit]) and ``source``.
    ``graph`` is a ``networkx.DiGraph`` with an edge ``parent -> child`` carrying ``qty`` (in
    the child's uom), ``alt_group`` and ``usage_probability``; a built BOM fills it from
    ``lines`` the first time it is read (:class:`~bomcalc.core.graph.GraphSource`), so a check,
    which reads the arrays, never builds it (nor imports networkx); :meth:`with_changes` keeps it unread. ``currency`` is the report
    currency every value was converted into, with the rates in ``fx_rates``. ``issues`` holds
    the warnings found while building (errors never reach a ``Bom``); ``accounts`` and
    ``row_fates`` say what became of every input row. ``inputs`` lists every input read as
    ``(role, path or name)``, role one of ``bom``, ``parts``, ``declarations``, ``fx``, ``units``,
    ``prices``, ``map`` (and ``profile``).
    """

    parts: pd.DataFrame
    lines: pd.DataFrame
    declarations: pd.DataFrame
    graph: nx.DiGraph = field(repr=False)  # noqa: F821 (networkx is imported only when a graph is built)
    currency: str | None
    issues: tuple[DataIssue, ...] = ()
    accounts: tuple[RowAccount, ...] = ()
    source: str | None = None
    files: tuple[str, ...] = field(default=())
    fx_rates: tuple[FxRate, ...] = ()
    ledger: RowLedger | None = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()
    inputs: tuple[tuple[str, str], ...] = ()
    #: parts whose Annex 1 status is an accepted suggestion (``--accept high``), see :mod:`bomcalc.core.suggestions`
    accepted_suggestions: tuple[str, ...] = ()
    #: the origin whose content the roll-up counts (the rule pack's; see :func:`bomcalc.core.regime.project`)
    content_origin: str = DEFAULT_CONTENT_ORIGIN
    #: the column the parts' roles come from: ``annex1``, or the rule pack's flag column (e.g. ``us_controlled``)
    status_column: str = "annex1"
    #: assessed parts that may also be content of what contains them (:func:`bomcalc.core.regime.project`)
    assessed_open: tuple[str, ...] = ()

    @property
    def row_fates(self) -> RowFates | tuple[RowFate, ...]:
        """The fate of every input row (listed on demand: large BOMs have many rows; a :class:`RowFates`
        makes each one when it is read)."""
        return self.ledger.fates() if self.ledger is not None else ()

    @functools.cached_property
    def topological_order(self) -> tuple[str, ...]:
        """Every part, each parent before its children: the one topological pass of this BOM.

        Computed once, on first use; a ``Bom``'s graph is never changed after it is built (a
        what-if builds a new ``Bom``).
        """
        known = self.__dict__.get("_line_order")
        source = graph_source(self)
        if known is None and source is not None and source.lines is self.lines:  # unread: its lines' own order
            known = source.line_order
            if known is None:
                known = order_lines(source.part_ids, source.lines["parent"], source.lines["child"])
        if known is not None:
            return known.topological()
        import networkx as nx

        return tuple(nx.topological_sort(self.graph))

    def with_changes(self, **changes) -> "Bom":
        """``dataclasses.replace(self, **changes)`` that leaves an unread graph unread (``replace`` reads,
        and so builds, it). A changed ``lines`` table needs a ``graph`` of its own: without one the
        graph would still be made from the old lines, so that is refused."""
        if "graph" not in changes:
            if "lines" in changes:
                raise ValueError("Bom.with_changes: give the graph of the changed lines too "
                                 "(graph=GraphSource(part_ids, lines))")
            changes["graph"] = self.__dict__["graph"]
        return dataclasses.replace(self, **changes)

    @functools.cached_property
    def arrays(self):
        """The BOM compiled to arrays (:class:`~bomcalc.core.arrays.BomArrays`), built on first use and kept."""
        from .arrays import compile_arrays

        return compile_arrays(self)

    @functools.cached_property
    def _topological_position(self) -> dict[str, int]:
        return {part: index for index, part in enumerate(self.topological_order)}

    def in_topological_order(self, parts) -> list[str]:
        """``parts`` (any iterable of part ids of this BOM), each parent before its children."""
        position = self._topological_position
        return sorted(parts, key=position.__getitem__)


Bom.graph = BuiltOnRead("graph", GraphSource)  # after the dataclass is made: ``graph`` stays a field with no default


def _convert_units(lines: list[dict], parts: dict, units: UnitTable, table: RawTable, issues: list[DataIssue],
                   ledger: RowLedger) -> list[dict]:
    """The lines in their child's uom, each keeping ``given_qty``, ``given_uom`` and ``factor``.

    The records are this build's own (fresh from ``parse_lines``), so they are completed in place.
    """
    out = Collector(issues, table, ledger)
    converted = []
    assumed: dict[str, list[dict]] = {}
    child_units: dict[str, tuple] = {}  # child -> (its uom, whether a line without a unit assumes it)
    factors: dict[tuple, tuple] = {}  # (line uom, child uom) -> (factor, whether it scales), or (why there is none, None)
    blank = _unit_factor(units, None, None)  # factor 1
    for line in lines:
        child, uom = line["child"], line["uom"]
        facts = child_units.get(child)
        if facts is None:
            facts = child_units[child] = _child_unit(parts[child], table, units)
        if uom:
            found = factors.get((uom, facts[0]))
            if found is None:
                found = factors[uom, facts[0]] = _unit_factor(units, uom, facts[0])
        else:  # a blank unit is the child's own: factor 1 whatever that unit is
            if facts[1]:
                assumed.setdefault(child, []).append(line)  # the unit comes from another file (a parts master)
            found = blank
        factor, scales = found
        if scales is None:
            out.add(ERROR, "incompatible_units", factor, line["row"], child)
            out.mark(line["row"], REJECTED, "incompatible units")
            continue
        qty = line["qty"]
        line["given_qty"], line["given_uom"], line["factor"] = qty, uom, factor  # as given, then in the child's uom
        if scales:
            line["qty"] = EXACT.multiply(qty, factor)
        converted.append(line)
    for child, given in assumed.items():
        _assumed_unit(out, parts[child], child, given)
    return converted


def _assumed_unit(out: Collector, part: dict, child: str, given: list[dict]) -> None:
    """Warn that the lines ``given`` (``qty``, ``row``) of ``child`` without a unit were read in its price's unit."""
    where = (part.get("where") or {}).get("uom")
    source = f" in {os.path.basename(str(where[0]))}"
    quantities = ", ".join(_plain(line["qty"]) for line in given)
    rows = [line["row"] for line in given if line["row"] is not None]
    shown_rows = f" (row{'s' if len(rows) > 1 else ''} {rows_text(rows)})" if rows else ""
    out.add(WARNING, "unit_assumed", f"quantity {quantities} of {child}{shown_rows} "
            f"read in {part['uom']}, the unit of its price{source}; the BOM gives no unit: check it, or give the "
            "unit in a unit column", rows[0] if rows else None, child)


#: The key of ``_checked_lines``' result holding each line's parent and child as positions in the parts table.
_CODES = "codes"


def _checked_lines(lines: RawTable, parts: dict, units: UnitTable, issues: list[DataIssue], ledger: RowLedger) -> dict:
    """The lines, checked, in their child's uom and merged, as columns (:data:`~bomcalc.core.line_columns.CONVERTED`):
    column-wise, with each line's parent and child as positions in ``parts`` (``_CODES``), or one record per line
    when :data:`~bomcalc.core.column_cells.FAST` is off."""
    if not column_cells.FAST:
        records = _convert_units(parse_lines(lines, parts, issues, ledger), parts, units, lines, issues, ledger)
        totals = merge_duplicate_lines(records, lines, issues, ledger).values()
        return {name: [line[name] for line in totals] for name in line_columns.CONVERTED}
    out = Collector(issues, lines, ledger)
    read = line_columns.parse_line_columns(out, lines, parts)
    converted = line_columns.convert_line_units(read, parts, out, lambda uom, where: _assumes_unit(uom, where, lines, units),
                                                lambda uom, child_uom: _unit_factor(units, uom, child_uom),
                                                lambda child, given: _assumed_unit(out, parts[child], child, given))
    totals = line_columns.merge_line_columns(converted, out, ledger, lines, rows_text)
    pairs, size = totals.pop(line_columns.PAIR), max(1, len(parts))  # parts is the table the pairs were coded by
    totals[_CODES] = (pairs // size, pairs % size)
    return totals


def _child_unit(part: dict, table: RawTable, units: UnitTable) -> tuple:
    """A child's uom, and whether a line without a unit takes it from another file (a parts master)."""
    return part["uom"], _assumes_unit(part["uom"], part.get("where"), table, units)


def _assumes_unit(child_uom, where: dict | None, table: RawTable, units: UnitTable) -> bool:
    """Whether a line without a unit takes its child's uom (``where``: where the child's attributes
    were given), which it does when the uom came from another file (a parts master) and is not a count."""
    price_unit_from = ((where or {}).get("uom") or (None,))[0]
    return bool(child_uom and price_unit_from not in (None, table.file) and not _count_unit(child_uom, units))


def _unit_factor(units: UnitTable, uom, child_uom) -> tuple:
    """``(factor, whether it is not 1)``, or ``(why there is none, None)``."""
    try:
        factor = units.factor(uom, child_uom)
    except ValueError as exc:
        return str(exc), None
    return factor, factor != 1


def _count_unit(unit: str, units: UnitTable) -> bool:
    """Whether ``unit`` counts pieces (EA, PC, PCS, SET, ...)."""
    known = units.units.get(unit_key(unit))
    return known is not None and known[0] in ("ea", "set")


def _plain(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def build_bom(
    parts: RawTable,
    lines: RawTable,
    declarations: RawTable | list[RawTable] | None = None,
    *,
    source: str | None = None,
    files: tuple[str, ...] = (),
    ledger: RowLedger | None = None,
    units: UnitTable | None = None,
    fx: FxTable | None = None,
    currency: str | None = None,
    issues: list[DataIssue] | None = None,
    notes: tuple[str, ...] = (),
    accounts: tuple[RowAccount, ...] = (),
    inputs: tuple[tuple[str, str], ...] = (),
) -> Bom:
    """Validate canonical tables and build the BOM graph.

    ``declarations`` may be several tables (one per file); a part declared in two is an error
    naming both. Values in other currencies than the report ``currency`` (default: the most
    common one among the parts) are converted with ``fx``; quantities whose ``uom`` differs
    from the child's are converted with ``units``. ``issues`` carries problems a reader found
    earlier; ``ledger`` the fates of rows the reader handled itself; ``inputs`` the
    ``(role, path)`` of every input read (see :class:`Bom`).

    Every problem across all tables is collected; if any has severity ``error``,
    :class:`~bomcalc.core.errors.BomDataError` (or :class:`~bomcalc.core.errors.CycleError` when the only
    errors are cycles) is raised carrying all of them. Otherwise the :class:`Bom` carries the
    warnings.
    """
    issues = list(issues or [])
    ledger = ledger if ledger is not None else RowLedger()
    units = units or UnitTable()
    if isinstance(declarations, RawTable):
        declarations = [declarations]
    declarations = list(declarations or [])
    tables = [parts, lines] + declarations
    if any([missing_columns(table, issues) for table in tables]):
        raise BomDataError(issues, source, ledger.accounts() + tuple(accounts), ledger.fates())

    part_records = parse_parts(parts, issues, ledger)
    totals = _checked_lines(lines, part_records, units, issues, ledger)
    decl_records = _merge_declarations(declarations, part_records, issues, ledger)
    _take_declared_technology(decl_records, part_records, issues)
    take_declared_origin(decl_records, part_records, issues)

    report_currency, used_rates = convert_to_one_currency(part_records, decl_records, currency, fx, issues)
    parents, children = totals["parent"], totals["child"]
    line_order = order_lines(part_records, parents, children, totals.get(_CODES), part_records.positions)
    if line_order.has_cycle:
        issues.extend(cycle_issues(line_order, parents, children, dict(zip(zip(parents, children), totals["row"])), lines))

    errors = [issue for issue in issues if issue.severity == ERROR]
    if errors:
        only_cycles = all(issue.code == "cycle" for issue in errors)
        raise (CycleError if only_cycles else BomDataError)(issues, source, ledger.accounts() + tuple(accounts), ledger.fates())

    _warn_undeclared_part2_leaves(line_order.line_count, part_records, decl_records, issues)

    parts_frame, lines_frame, decl_frame = _frames(part_records, totals, decl_records)
    bom = Bom(
        parts=parts_frame,
        lines=lines_frame,
        declarations=decl_frame,
        graph=GraphSource(line_order.ids, lines_frame, line_order),
        currency=report_currency,
        issues=tuple(issues),
        accounts=ledger.accounts() + tuple(accounts),
        source=source,
        files=files,
        fx_rates=tuple(used_rates[c] for c in sorted(used_rates)),
        ledger=ledger,
        notes=tuple(notes),
        inputs=tuple(inputs),
    )
    object.__setattr__(bom, "_line_order", line_order)  # the topological order of this pass, kept (not a field)
    return bom


def _merge_declarations(declarations: list[RawTable], part_records: dict, issues: list[DataIssue],
                        ledger: RowLedger) -> dict:
    """The declaration records of every table, by part; a part declared twice is an error naming both."""
    decl_records: dict = {}
    for table in declarations:
        for part_id, record in parse_declarations(table, part_records, issues, ledger).items():
            if part_id in decl_records:
                first = decl_records[part_id]
                issues.append(
                    DataIssue(
                        ERROR,
                        "conflicting_declarations",
                        f"'{part_id}' is declared twice: here and in {first['file'] or ''} sheet '{first['sheet']}' "
                        f"row {first['row']}; keep one declaration per part",
                        record["sheet"],
                        record["row"],
                        part_id,
                        record["file"],
                    )
                )
                continue
            decl_records[part_id] = record
    return decl_records


def _take_declared_technology(decl_records: dict, part_records: dict, issues: list[DataIssue]) -> None:
    """A declaration saying Chinese rare-earth technology was used sets the part's ``cn_technology`` (with a warning)."""
    for part_id, record in decl_records.items():
        if record["cn_technology"] and not part_records[part_id]["cn_technology"]:
            part_records[part_id]["cn_technology"] = True
            issues.append(
                DataIssue(
                    WARNING,
                    "declared_cn_technology",
                    f"the supplier declaration ({record['source'] or 'no source given'}) says the part was made with "
                    "Chinese rare-earth technology; cn_technology is taken as TRUE",
                    record["sheet"],
                    record["row"],
                    part_id,
                    record["file"],
                )
            )


def _frames(part_records: PartTable, totals: dict, decl_records: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The parts, lines and declarations tables of a :class:`Bom` from the validated records."""
    parts_frame = frames.columns_frame(
        part_records.columns,
        ("part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "annex1_known", "in_parts_data",
         "cn_technology", "phantom", "us_controlled", "supplier", "hs_code", "row", "file", "sheet"),
    ).set_index("part_id", drop=False)
    parts_frame.index.name = None
    lines_frame = frames.columns_frame(totals, line_columns.CONVERTED)
    decl_frame = frame(
        decl_records.values(),
        ("part_id", "cn_part1_value", "unknown_origin_part1_value", "currency", "cn_technology", "source", "row", "file", "sheet"),
    ).set_index("part_id", drop=False)
    decl_frame.index.name = None
    return parts_frame, lines_frame, decl_frame


def _warn_undeclared_part2_leaves(line_count, part_records: PartTable, decl_records, issues):
    """``line_count`` holds the lines of every part, in the order of ``part_records``."""
    columns = part_records.columns
    part_ids, origins = columns["part_id"], columns["origin"]
    part2 = itertools.compress(range(len(part_ids)), map(operator.eq, columns["annex1"], itertools.repeat("part2")))
    for index in part2:  # the Part 2 items, found in one C pass: a few among a quarter of a million parts
        part_id = part_ids[index]
        if origins[index] != "CN" and line_count[index] == 0 and part_id not in decl_records:
            file, sheet, row = place(part_records.at(index), "annex1")
            issues.append(
                DataIssue(
                    WARNING,
                    "undeclared_part2_leaf",
                    "Part 2 item with no components and no supplier declaration: its China-origin Part 1 "
                    "content is unknown (at least 0, at most unknown), so its result is indeterminate; add its BOM "
                    "or a supplier declaration (bomcalc template writes the form)",
                    sheet,
                    row,
                    part_id,
                    file,
                )
            )


def bom_from_records(
    parts: list[dict],
    lines: list[tuple] | list[dict],
    declarations: list[dict] | None = None,
    *,
    source: str | None = None,
    **options,
) -> Bom:
    """Build a :class:`Bom` from plain Python records (tests, notebooks, other programs).

    ``parts`` is a list of dicts with canonical keys; ``lines`` a list of ``(parent, child,
    qty)`` tuples or dicts; ``declarations`` a list of dicts. Row numbers count from 2 as in a
    sheet whose header is row 1. ``options`` go to :func:`build_bom` (``units``, ``fx``,
    ``currency``).
    """

    def table(name, records):
        frame = pd.DataFrame(records, dtype=object) if records else pd.DataFrame(columns=list(SCHEMA[name][0]), dtype=object)
        return RawTable(name, frame, tuple(range(2, len(frame) + 2)), sheet=name)

    line_records = [
        dict(zip(("parent", "child", "qty"), line)) if not isinstance(line, dict) else line for line in lines
    ]
    decl = table("declarations", declarations) if declarations is not None else None
    return build_bom(table("parts", parts), table("bom", line_records), decl, source=source, **options)
