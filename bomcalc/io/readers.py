"""Readers: BOM files as engineers have them into a validated :class:`~bomcalc.core.model.Bom` (I/O layer).

:func:`read_bom` takes

* a canonical workbook (sheets ``parts``, ``bom``, optionally ``declarations`` and ``fx``) or a
  folder of the same as CSV files;
* or a single-sheet export from SAP, a PLM or a CAD tool (structure and attributes together,
  see :mod:`bomcalc.io.layouts`), in any supported format (xlsx, xlsm, xlsb, xls, ods, CSV or
  tab-separated text in UTF-8, UTF-16 or Windows-1252);

and joins material masters (``parts``), supplier declarations (``declarations``), exchange
rates (``fx``), unit tables (``units``) and reference prices (``prices``). Every problem is
collected with its file, sheet and row; every row read is accounted for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from ..core import column_cells, frames
from ..core.errors import ERROR, WARNING, BomDataError, DataIssue, InputFileError
from ..core.ledger import SKIPPED, RowLedger
from ..core.model import Bom, RawTable, build_bom
from ..core.tables import SCHEMA
from ..core.units import FxRate, FxTable, UnitTable
from ..core.values import is_blank, part_id_text, to_date, to_decimal, to_text
from .accounting import read_accounted
from .aliases import NUMERIC_COLUMNS, Mapping, column_lookup, header_key, load_mapping
from .assemblies import assembly_layout, read_assemblies
from .flat import apply_currency, duplicate_name_issues, extended_price_issues, purchase_list
from .headers import choose_reading
from .hidden import HiddenContent, apply_hidden, hidden_messages
from .layouts import Structure, read_structure
from .master_data import join_master, read_master
from .numbers import number_texts, parse_or_keep_column, table_number_style
from .lookalikes import look_alike_cells
from .sheets import Sheet, cell_issues, read_sheets, rows_columns

TABLES = ("parts", "bom", "declarations", "fx")
OPTIONAL_TABLES = {"declarations", "fx"}
#: The kinds of :data:`~bomcalc.io.aliases.VOCABULARY` whose columns a canonical sheet (or the fx and units files) may hold.
CANONICAL_KINDS = ("canonical_parts", "canonical_bom", "declarations", "fx", "units")


def _canonical_lookup() -> dict[str, str]:
    """Header key -> canonical column of the canonical sheets, from the one alias table."""
    return column_lookup(*CANONICAL_KINDS)


@dataclass(frozen=True)
class ReadOptions:
    """Everything besides the BOM file that shapes how it is read."""

    parts: tuple[str, ...] = ()
    declarations: tuple[str, ...] = ()
    map: str | None = None
    fx: str | None = None
    units: str | None = None
    prices: str | None = None
    currency: str | None = None
    decimal: str | None = None
    qty_mode: str | None = None
    sheet: str | None = None
    root: str | None = None
    part1_items: tuple[dict, ...] = field(default=())
    profile: str | None = None  # export profile: a shipped name or a TOML file; detected when None
    hidden: str = "use"  # rows and sheets hidden in Excel: "use" (read and named) or "skip"

READING_OPTIONS = tuple(f.name for f in fields(ReadOptions) if f.name != "part1_items")  # a caller's; part1_items: the rule pack's

#: The columns that identify the header row of each canonical table (and of the fx and units files).
_HEADER_COLUMNS = {**{name: required for name, (required, _) in SCHEMA.items()},
                   "fx": ("currency", "rate"), "units": ("unit", "base", "factor")}
#: How far down a canonical sheet its header row is looked for (title rows above it are skipped).
_HEADER_SCAN = 40


def canonical_header_index(name: str, rows: list[list]) -> int:
    """The 0-based row of a canonical sheet's header: the first of the top rows holding all of the
    table's required columns (``parts``: ``part_id``; ``bom``: ``parent``, ``child``, ``qty``).
    Title and blank rows above it are skipped. ``0`` when no row has them (the first row is
    then reported as missing the columns)."""
    wanted = set(_HEADER_COLUMNS.get(name, ()))
    lookup = _canonical_lookup()
    for index, row in enumerate(rows[:_HEADER_SCAN]):
        found = {lookup.get(header_key(cell)) for cell in row if not is_blank(cell)}
        if wanted and wanted <= found:
            return index
    return 0


def table_from_rows(name: str, rows: list[list], file: str, sheet: str, issues: list[DataIssue],
                    ledger: RowLedger | None = None, decimal: str | None = None) -> RawTable:
    """A canonical sheet's rows as a :class:`RawTable`.

    The header is the first row holding the table's required columns; title and blank rows
    above it are skipped (and counted in ``ledger``). Headers are matched ignoring case,
    spaces and punctuation; other columns are kept under their own name and ignored later.
    Text numbers are parsed in the sheet's own convention; when nothing in the sheet settles
    it and no number has a comma (``4.168`` alone), the canonical decimal point decides.
    """
    start = canonical_header_index(name, rows)
    if ledger is not None:
        for row in range(1, start + 1):
            ledger.mark(file, sheet, row, SKIPPED, "blank row" if all(is_blank(c) for c in rows[row - 1]) else "title row")
    header = rows[start] if rows else []
    columns: list[str] = []
    keep: list[int] = []
    seen: dict[str, int] = {}
    lookup = _canonical_lookup()
    for position, cell in enumerate(header):
        if cell is None or str(cell).strip() == "":
            continue
        canonical = lookup.get(header_key(cell), str(cell).strip())
        if canonical in seen:
            issues.append(DataIssue(ERROR, "duplicate_column", f"column '{canonical}' appears twice in the header "
                                    f"(columns {seen[canonical] + 1} and {position + 1}); keep one", sheet, start + 1, None, file))
            continue
        seen[canonical] = position
        columns.append(canonical)
        keep.append(position)
    body = rows[start + 1:]
    cells = dict(zip(columns, rows_columns(body, keep)))  # a list per column: the frame is made once, at the end
    numeric = [c for c in columns if c in NUMERIC_COLUMNS + ("cn_part1_value", "unknown_origin_part1_value", "rate", "factor")]
    issues.extend(() if getattr(body, "printable", False) else look_alike_cells(cells, keep, start + 2, sheet, file, numeric))
    distinct, texts = number_texts(cells, numeric)
    if texts:
        style, problem = table_number_style(texts, decimal)
        if problem is not None:
            issues.append(DataIssue(ERROR, "ambiguous_numbers", problem, sheet, None, None, file))
        for column in numeric:
            cells[column] = parse_or_keep_column(cells[column], style, distinct[column])
    if ledger is not None and rows:
        ledger.mark(file, sheet, start + 1, SKIPPED, "header row")
    return RawTable(name, frames.TableCells(cells, columns, len(body)), range(start + 2, start + len(body) + 2),
                    file=file, sheet=sheet, header_row=start + 1)


def _find(names, wanted: str):
    return next((name for name in names if header_key(Path(name).stem if "." in name else name) == header_key(wanted)), None)


def _canonical_tables(path: Path, sheets: list[Sheet] | None, issues, ledger, decimal: str | None = None) -> dict[str, RawTable]:
    tables: dict[str, RawTable] = {}
    if sheets is None:  # a folder of CSV files
        files = {p.name: p for p in sorted(path.iterdir()) if p.suffix.lower() in (".csv", ".txt", ".tsv")}
        for table in TABLES:
            found = _find(files, table)
            if found is None:
                if table not in OPTIONAL_TABLES:
                    issues.append(DataIssue(ERROR, "missing_sheet", f"no {table}.csv in the folder; add it", None, None, None, str(path)))
                continue
            (sheet,) = read_sheets(files[found], columns=True)
            ledger.expect(sheet.file, table, len(sheet.rows))
            tables[table] = table_from_rows(table, sheet.rows, sheet.file, table, issues, ledger, decimal)
            issues.extend(cell_issues(Sheet(sheet.file, table, sheet.rows, sheet.format, delimiter=sheet.delimiter),
                                      *_known_columns(table, sheet.rows), ledger))
        return tables
    by_name = {sheet.name: sheet for sheet in sheets}
    for table in TABLES:
        found = _find(by_name, table)
        if found is None:
            if table not in OPTIONAL_TABLES:
                issues.append(DataIssue(ERROR, "missing_sheet", f"no sheet named '{table}' (sheets found: "
                                        f"{', '.join(by_name) or 'none'}); add it or rename the sheet that holds it",
                                        table, None, None, str(path)))
            continue
        tables[table] = table_from_rows(table, by_name[found].rows, str(path), found, issues, ledger, decimal)
        issues.extend(cell_issues(by_name[found], *_known_columns(table, by_name[found].rows), ledger))
    return tables


def _known_columns(name: str, rows: list[list]) -> tuple[dict[str, int], int]:
    """The columns of a canonical sheet bomcalc uses (canonical name -> 0-based column) and its header's 0-based row."""
    start = canonical_header_index(name, rows)
    header = rows[start] if rows else []
    lookup = _canonical_lookup()
    return {lookup[header_key(cell)]: i for i, cell in enumerate(header) if header_key(cell) in lookup}, start


def _is_canonical(sheets: list[Sheet]) -> bool:
    return any(header_key(sheet.name) == "parts" for sheet in sheets)


def _fx_table(table: RawTable | None, currency: str | None, issues: list[DataIssue], ledger: RowLedger) -> FxTable | None:
    if table is None:
        return None
    rates: dict[str, FxRate] = {}
    frame = table.frame
    for i, row in enumerate(table.rows):
        cells = {name: (frame.at[i, name] if name in frame.columns else None) for name in ("currency", "rate", "date", "source")}
        code = to_text(cells["currency"])
        if code is None and to_text(cells["rate"]) is None:
            ledger.mark(table.file, table.sheet, row, SKIPPED, "blank row")
            continue
        try:
            rate = to_decimal(cells["rate"])
            if code is None or rate is None or rate <= 0:
                raise ValueError
        except ValueError:
            issues.append(DataIssue(ERROR, "bad_fx_rate", f"an fx row needs a currency and a rate > 0 (found "
                                    f"{cells['currency']!r}, {cells['rate']!r})", table.sheet, row, None, table.file))
            ledger.mark(table.file, table.sheet, row, "rejected", "bad fx rate")
            continue
        rates[code.upper()] = FxRate(code.upper(), rate, _to_date(cells["date"]), to_text(cells["source"]) or "")
        ledger.mark(table.file, table.sheet, row, "used")
    return FxTable(currency.upper() if currency else None, rates)


def _to_date(cell) -> dt.date | None:
    try:
        return to_date(cell)
    except ValueError:
        return None


def _side_table(path: str, name: str, issues, ledger, decimal: str | None = None) -> RawTable:
    """The fx or units file as a canonical table, its text numbers read with ``decimal`` (``--decimal``)."""
    sheets = read_sheets(path)
    sheet = next((s for s in sheets if header_key(s.name) == header_key(name)), sheets[0])
    ledger.expect(sheet.file, sheet.name, len(sheet.rows))
    return table_from_rows(name, sheet.rows, sheet.file, sheet.name, issues, ledger, decimal)


def _unit_table(path: str | None, issues, ledger, decimal: str | None = None) -> UnitTable:
    units = UnitTable()
    if path is None:
        return units
    table = _side_table(path, "units", issues, ledger, decimal)
    rows = []
    for i, row in enumerate(table.rows):
        unit = to_text(table.frame.at[i, "unit"]) if "unit" in table.frame.columns else None
        base = to_text(table.frame.at[i, "base"]) if "base" in table.frame.columns else None
        try:
            factor = to_decimal(table.frame.at[i, "factor"]) if "factor" in table.frame.columns else None
        except ValueError:
            factor = None
        if unit is None or base is None or factor is None or factor <= 0:
            issues.append(DataIssue(ERROR, "bad_unit", "a unit row needs unit, base and factor > 0 (one unit is factor "
                                    "base units)", table.sheet, row, None, table.file))
            ledger.mark(table.file, table.sheet, row, "rejected", "bad unit row")
            continue
        rows.append((unit, base, factor))
        ledger.mark(table.file, table.sheet, row, "used")
    return units.with_units(rows)


def _annex1_known(record: dict, annex1_column: bool, masters: bool) -> bool:
    """Whether some input that described the part had an annex1 column (a blank cell there means not listed)."""
    if "annex1" in record.get("_where", {}):
        return True  # a value was given; the table check still reads "unknown" as unknown
    if record.get("_in_master"):
        if record.get("_master_annex1"):
            return True
    elif masters:
        return False  # the parts master lacks it and the BOM sheet gave no annex1 for it
    return annex1_column and record.get("row") is not None


def _structure_tables(structure: Structure, sheet_file: str, sheet_name: str, annex1_column: bool = True,
                      masters: bool = False) -> tuple[RawTable, RawTable]:
    """The parts and lines of a single sheet as canonical tables.

    ``annex1_column``: whether the BOM sheet had an annex1 column; ``masters``: whether parts
    masters were joined. Each part gets ``annex1_known``, ``in_parts_data`` and ``where`` (the
    input row of each attribute) for :func:`~bomcalc.core.tables.parse_parts`.
    """
    records = list(structure.parts.values())  # a key a record lacks reads as NaN, as a table of the records would
    cells = {name: [record.get(name, math.nan) for record in records] for name in ["part_id"] + list(SCHEMA["parts"][1])}
    cells["annex1_known"] = [_annex1_known(record, annex1_column, masters) for record in records]
    cells["in_parts_data"] = [not masters or bool(record.get("_in_master")) for record in records]
    cells["where"] = [dict(record.get("_where", {})) for record in records]
    # parts without a row of their own (a parent named only in a parent column) carry no row number
    parts = RawTable("parts", frames.TableCells(cells, list(cells), len(records)), tuple(r.get("row") for r in records),
                     file=sheet_file, sheet=sheet_name)
    names, made = ["parent", "child", "qty", "uom", "alt_group", "usage_probability"], structure.lines
    lines = RawTable("bom", frames.TableCells({name: [line.get(name, math.nan) for line in made] for name in names}, names, len(made)),
                     tuple(line["row"] for line in made), file=sheet_file, sheet=sheet_name)
    return parts, lines


def _choose_sheet(sheets: list[Sheet], mapping: Mapping) -> Sheet:
    wanted = mapping.layout.get("sheet")
    if wanted:
        for sheet in sheets:
            if sheet.name.strip().lower() == str(wanted).strip().lower():
                return sheet
        raise InputFileError(f"{sheets[0].file}: no sheet named '{wanted}' (sheets: {', '.join(s.name for s in sheets)})")
    best, best_score = sheets[0], None
    for sheet in sheets:  # the best-scoring header that carries structure or descriptions; the first on a tie
        _, header = choose_reading(sheet.rows, mapping)
        if header is not None and ({"level", "find_number", "parent"} & set(header.columns) or "description" in header.columns):
            if best_score is None or header.score > best_score:
                best, best_score = sheet, header.score
    return best


def _hide_in_layout(layout, policy: str, ledger: RowLedger) -> list[HiddenContent]:
    """:func:`~bomcalc.io.hidden.apply_hidden` for the parts list and assembly sheets of a folder layout."""
    found: list[HiddenContent] = []
    layout.parts_list, hidden = _hide_one(layout.parts_list, policy, ledger)
    found.extend(hidden)
    for name, sheet in list(layout.assemblies.items()):
        layout.assemblies[name], hidden = _hide_one(sheet, policy, ledger)
        found.extend(hidden)
    return found


def _hide_one(sheet: Sheet, policy: str, ledger: RowLedger) -> tuple[Sheet, list[HiddenContent]]:
    (kept,), found = apply_hidden([sheet], policy, ledger)  # a hidden sheet that must be read is an error under skip
    return kept, found


def _say_hidden(found: list[HiddenContent], policy: str, ledger: RowLedger, notes: list[str], issues: list[DataIssue]) -> None:
    """Reading notes and warnings for the hidden rows and sheets of the sheets a reader used."""
    fates: dict[tuple, set[str]] = {}
    for fate in ledger.fates() if found else ():  # nothing hidden: no row's fate to look at
        fates.setdefault((fate.file, fate.sheet), set()).add(fate.reason if fate.fate == SKIPPED else fate.fate)
    said, warned = hidden_messages(found, policy, lambda item: any(
        not reason.startswith("sheet not read") for reason in fates.get((item.file, item.sheet), ())))
    notes.extend(said)
    issues.extend(warned)


def _declaration_tables(paths, options: ReadOptions, part_ids: set[str], issues, prices):
    from .declarations import read_declarations

    tables, accounts = [], []
    for path in paths:
        records, found, read_accounts = read_declarations(path, options.part1_items, prices, options.hidden, options.decimal)
        issues.extend(found)
        accounts.extend(read_accounts)
        outside = sorted({r.part_id for r in records if r.part_id not in part_ids})
        if outside:
            issues.append(DataIssue(WARNING, "declaration_not_in_bom", f"declarations for {len(outside)} part(s) not in "
                                    f"this BOM were not used: {', '.join(outside[:10])}{' ...' if len(outside) > 10 else ''}",
                                    None, None, None, str(path)))
        groups: dict[tuple, list] = {}
        for record in records:
            if record.part_id in part_ids:
                groups.setdefault((record.file, record.sheet), []).append(record)
        for (file, sheet), group in groups.items():
            frame = pd.DataFrame(
                [{"part_id": r.part_id, "cn_part1_value": r.cn_part1_value if r.cn_part1_value is not None else "unknown",
                  "unknown_origin_part1_value": r.unknown_origin_part1_value if r.unknown_origin_part1_value is not None else "unknown",
                  "currency": r.currency, "cn_technology": r.cn_technology, "source": r.source, "origin": r.origin} for r in group],
                dtype=object,
            )
            tables.append(RawTable("declarations", frame, tuple(r.row for r in group), file=file, sheet=sheet, accounted=True))
    return tables, accounts


def read_bom(path: str | os.PathLike, options: ReadOptions | None = None) -> Bom:
    """Read a BOM with everything that goes with it and validate it.

    Raises :class:`~bomcalc.core.errors.InputFileError` when a file cannot be read and
    :class:`~bomcalc.core.errors.BomDataError` carrying every data problem found. Every row of
    every sheet read is in the account; when the read stops early, the rows it did not reach
    are rejected as not read, with the reason.
    """
    ledger = RowLedger()
    return read_accounted(lambda: _read_bom(Path(path), options or ReadOptions(), ledger), ledger, str(path))


def _read_export(path: Path, sheets: list[Sheet], mapping: Mapping, options: ReadOptions, ledger: RowLedger, issues,
                 notes: list[str], files: list[str], inputs: list) -> tuple[RawTable, RawTable, set[str]]:
    """The parts and lines of a single-sheet export (structure and attributes together, see
    :mod:`bomcalc.io.layouts`), joined with the ``--parts`` masters, and the part ids read."""
    sheet = _choose_sheet(sheets, mapping)
    for other in sheets:
        if other is not sheet:
            for row in range(1, len(other.rows) + 1):
                ledger.mark(other.file, other.name, row, SKIPPED, f"sheet not read (the BOM is on sheet '{sheet.name}')")
    listed = purchase_list(sheet, mapping)  # a list without part numbers: the names are the ids
    structure = read_structure(sheet, listed.mapping if listed else mapping, ledger, issues, qty_mode=options.qty_mode,
                               decimal=options.decimal, root=options.root)
    if structure is not None and listed is not None:
        notes.append(listed.note)
        apply_currency(structure.parts, listed.currency)
        issues.extend(extended_price_issues(sheet, listed, options.decimal))
        issues.extend(duplicate_name_issues(sheet, listed))
    if structure is None:
        if not any(issue.severity == ERROR for issue in issues):
            issues.append(DataIssue(ERROR, "not_read", "the sheet could not be read as a BOM", sheet.name, None, None, sheet.file))
        raise BomDataError(issues, str(path), ledger.accounts(), ledger.fates())
    notes.extend(structure.notes)
    _join_masters(structure, mapping, options, ledger, issues, notes, files, inputs)
    if structure.profile is not None:
        inputs.append(("profile", structure.profile))
    parts, lines = _structure_tables(structure, sheet.file, sheet.name, structure.annex1_column, bool(options.parts))
    return parts, lines, set(structure.parts)


def _join_masters(structure: Structure, mapping: Mapping, options: ReadOptions, ledger: RowLedger, issues,
                  notes: list[str], files: list[str], inputs: list) -> None:
    """Join the material masters given with ``--parts`` into ``structure`` (the first sheet of each)."""
    for master_path in options.parts:
        files.append(str(master_path))
        inputs.append(("parts", str(master_path)))
        master_sheets, master_hidden = apply_hidden(read_sheets(master_path), options.hidden, ledger)
        for master_sheet in master_sheets:
            ledger.expect(master_sheet.file, master_sheet.name, len(master_sheet.rows))
            master = read_master(master_sheet, mapping, ledger, issues, decimal=options.decimal)
            if master is not None:
                join_master(structure, master, issues, ledger)
            break
        _say_hidden(master_hidden, options.hidden, ledger, notes, issues)


def _read_bom(path: Path, options: ReadOptions, ledger: RowLedger) -> Bom:
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    mapping = load_mapping(options.map, options.profile)
    options = dataclasses.replace(options, root=part_id_text(options.root))  # typed ids match as read ids do
    issues: list[DataIssue] = []
    notes: list[str] = []
    sheets = None if path.is_dir() else read_sheets(path, options.sheet)
    for sheet in sheets or ():
        ledger.expect(sheet.file, sheet.name, len(sheet.rows))
    sheets, hidden = apply_hidden(sheets, options.hidden, ledger) if sheets is not None else (None, [])
    declarations: list[RawTable] = []
    fx_raw = None
    files = [str(path)] + ([str(options.map)] if options.map else [])
    inputs = [("bom", str(path))] + ([("map", str(options.map))] if options.map else [])
    per_assembly = assembly_layout(path, sheets, mapping)  # a parts list and one file or sheet per assembly
    if per_assembly is not None and sheets is None:  # a folder of workbooks: their hidden rows and sheets too
        hidden = _hide_in_layout(per_assembly, options.hidden, ledger)
    if per_assembly is not None:
        parts, lines, part_ids = read_assemblies(per_assembly, mapping, ledger, issues, root=options.root,
                                                 masters=options.parts, decimal=options.decimal, notes=notes)
        files.extend(str(p) for p in options.parts)
        inputs.extend(("parts", str(p)) for p in options.parts)
    elif sheets is None or _is_canonical(sheets):
        tables = _canonical_tables(path, sheets, issues, ledger, options.decimal)
        for other in sheets or ():
            if other.name not in {table.sheet for table in tables.values()}:
                for row in range(1, len(other.rows) + 1):
                    ledger.mark(other.file, other.name, row, SKIPPED, "sheet not read: not one of parts, bom, declarations, fx")
        if any(issue.severity == ERROR for issue in issues):
            raise BomDataError(issues, str(path), ledger.accounts(), ledger.fates())
        parts, lines = tables["parts"], tables["bom"]
        declarations.extend([tables["declarations"]] if "declarations" in tables else [])
        fx_raw = tables.get("fx")
        if options.root:
            issues.append(DataIssue(WARNING, "root_ignored", "a canonical workbook names every line's parent; --root is "
                                    "not used", None, None, None, str(path)))
        if options.parts:
            issues.append(DataIssue(WARNING, "parts_ignored", "a canonical workbook has its own parts sheet; --parts is "
                                    "not used", None, None, None, str(path)))
        with_ids = options.declarations and "part_id" in frames.column_names(parts)  # only declarations files use them
        part_ids = set(column_cells.text_column(frames.column_list(parts, "part_id"))) if with_ids else set()
    else:
        parts, lines, part_ids = _read_export(path, sheets, mapping, options, ledger, issues, notes, files, inputs)
    _say_hidden(hidden, options.hidden, ledger, notes, issues)
    if options.fx:
        files.append(str(options.fx))
        inputs.append(("fx", str(options.fx)))
        fx_raw = _side_table(options.fx, "fx", issues, ledger, options.decimal)
    fx = _fx_table(fx_raw, options.currency, issues, ledger)
    units = _unit_table(options.units, issues, ledger, options.decimal)
    if options.units:
        files.append(str(options.units))
        inputs.append(("units", str(options.units)))
    prices = None
    if options.prices:
        from .declarations import read_price_table

        files.append(str(options.prices))
        inputs.append(("prices", str(options.prices)))
        prices, price_issues = read_price_table(options.prices, options.decimal)
        issues.extend(price_issues)
    extra_accounts = []
    if options.declarations:
        files.extend(str(p) for p in options.declarations)
        inputs.extend(("declarations", str(p)) for p in options.declarations)
        tables_found, extra_accounts = _declaration_tables(options.declarations, options, part_ids, issues, prices)
        declarations.extend(tables_found)
    return build_bom(parts, lines, declarations, source=str(path), files=tuple(files), ledger=ledger, units=units,
                     fx=fx, currency=options.currency, issues=issues, notes=tuple(notes), accounts=tuple(extra_accounts),
                     inputs=tuple(inputs))


def read_workbook(path: str | os.PathLike, **options) -> Bom:
    """Read a BOM file or folder (see :func:`read_bom`); keyword options as :class:`ReadOptions`."""
    for name in ("parts", "declarations"):
        value = options.get(name)
        if isinstance(value, (str, os.PathLike)):
            options[name] = (str(value),)
        elif value is not None:
            options[name] = tuple(str(v) for v in value)
    return read_bom(path, ReadOptions(**options))
