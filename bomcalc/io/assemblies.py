"""One file (or sheet) per assembly, plus a parts list, into one BOM (I/O layer).

Some teams keep their BOM as a folder (pyBOM style)::

    Parts List.xlsx   PN, Name, Description, Cost, Item, Supplier, Supplier PN, Pkg QTY, Pkg Price
    TR-01.xlsx        PN, QTY       (the truck: one row per component, sub-assemblies by PN)
    CH-01.xlsx        PN, QTY       (a sub-assembly used in TR-01)

or one workbook with a parts-list sheet and one sheet per assembly, named by its PN. An
assembly exists only as its file (or sheet), named by its PN; the parts list holds the
purchased parts. A blank Cost is the package price over the package quantity. The top
assembly is the one no other assembly uses; several tops are an error unless ``--root``
picks one (the others are then skipped and counted). A PN that is neither in the parts list
nor an assembly is an error. Every row of every file is accounted for in the ledger.

:func:`assembly_layout` decides whether a path has this layout; :func:`read_assemblies` reads
it into the canonical ``parts`` and ``bom`` tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..core.errors import ERROR, WARNING, BomDataError, DataIssue
from ..core.ledger import MERGED, REJECTED, SKIPPED, RowLedger
from ..core.model import RawTable
from ..core.tables import SCHEMA
from ..core.values import is_blank, part_id_text
from .aliases import Mapping, header_key, header_keys
from .headers import find_header
from .layouts import Structure, read_structure
from .master_data import join_master, read_master
from .part_merge import merge_part
from .numbers import parse_or_keep
from .sheets import Sheet, read_sheets

#: File or sheet names (as header keys) of a parts list.
PARTS_LIST_NAMES = ("partslist", "partlist", "parts")
_TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv", ".txt")
_CANONICAL_FILES = ("parts", "bom")


@dataclass
class AssemblyLayout:
    """A parts list and one sheet per assembly (PN -> sheet), and the sheets not read."""

    source: str
    parts_list: Sheet
    assemblies: dict[str, Sheet]
    titles: dict[str, str] = field(default_factory=dict)
    others: list[Sheet] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _has_columns(sheet: Sheet, mapping: Mapping, *names: str) -> bool:
    header = find_header(sheet.rows, mapping)
    return header is not None and all(name in header.columns for name in names)


def _is_assembly_sheet(sheet: Sheet, mapping: Mapping) -> bool:
    header = find_header(sheet.rows, mapping)
    return (header is not None and {"part_id", "qty"} <= set(header.columns)
            and not {"level", "find_number", "parent"} & set(header.columns))


def assembly_layout(path: Path, sheets: list[Sheet] | None, mapping: Mapping) -> AssemblyLayout | None:
    """The per-assembly layout of a folder or workbook, or ``None`` when it has another layout.

    A folder has it when it holds no ``parts.csv``/``bom.csv`` but a parts list (``Parts
    List.xlsx``) and other table files; a workbook when it has no ``bom`` sheet but a parts-list
    sheet and at least one sheet with only a part number and a quantity column.
    """
    if sheets is not None:
        keys = {header_key(sheet.name): sheet for sheet in sheets}
        if "bom" in keys:
            return None
        parts_list = next((keys[name] for name in PARTS_LIST_NAMES if name in keys), None)
        if parts_list is None:
            return None
        assemblies = {(part_id_text(sheet.name) or sheet.name.strip()): sheet for sheet in sheets
                      if sheet is not parts_list and _is_assembly_sheet(sheet, mapping)}
        if not assemblies:
            return None
        others = [sheet for sheet in sheets if sheet is not parts_list and sheet not in assemblies.values()]
        return AssemblyLayout(str(path), parts_list, assemblies, others=others)
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(("~$", ".")))
    tables = [p for p in files if p.suffix.lower() in _TABLE_SUFFIXES]
    if any(header_key(p.stem) in _CANONICAL_FILES and p.suffix.lower() in (".csv", ".tsv", ".txt") for p in tables):
        return None
    parts_file = next((p for name in PARTS_LIST_NAMES for p in tables if header_key(p.stem) == name), None)
    if parts_file is None or len(tables) < 2:
        return None
    parts_sheets = read_sheets(parts_file)
    parts_list = next((s for s in parts_sheets if _has_columns(s, mapping, "part_id")), parts_sheets[0])
    layout = AssemblyLayout(str(path), parts_list, {}, others=[s for s in parts_sheets if s is not parts_list],
                            ignored=[p.name for p in files if p not in tables])
    for file in tables:
        if file == parts_file:
            continue
        file_sheets = read_sheets(file)
        chosen = next((s for s in file_sheets if _is_assembly_sheet(s, mapping)), file_sheets[0])
        layout.assemblies[(part_id_text(file.stem) or file.stem.strip())] = chosen
        if header_key(chosen.name) != header_key(file.stem) and not chosen.name.lower().startswith("sheet"):
            layout.titles[(part_id_text(file.stem) or file.stem.strip())] = chosen.name.strip()
        layout.others.extend(s for s in file_sheets if s is not chosen)
    return layout


def read_assemblies(layout: AssemblyLayout, mapping: Mapping, ledger: RowLedger, issues: list[DataIssue], *,
                    root: str | None = None, masters: tuple[str, ...] = (), decimal: str | None = None,
                    notes: list[str] | None = None) -> tuple[RawTable, RawTable, set[str]]:
    """The canonical ``parts`` and ``bom`` tables of a per-assembly layout.

    Raises :class:`~bomcalc.core.errors.BomDataError` (with every problem) when a file cannot be
    read, a PN is unknown, the top assembly is not clear or the assemblies use each other in a
    cycle.
    """
    notes = notes if notes is not None else []
    every = [layout.parts_list, *layout.assemblies.values(), *layout.others]
    for sheet in every:
        ledger.expect(sheet.file, sheet.name, len(sheet.rows))
    for sheet in layout.others:
        for row in range(1, len(sheet.rows) + 1):
            ledger.mark(sheet.file, sheet.name, row, SKIPPED, "sheet not read: neither the parts list nor an assembly")
    parts_list = read_master(layout.parts_list, mapping, ledger, issues, decimal=decimal) or {}
    _package_prices(layout.parts_list, mapping, parts_list, issues)
    parts: dict[str, dict] = {}
    lines: list[dict] = []
    origin: dict[str, Sheet] = {}
    annex1_rows: set[str] = set()  # parts with a row in an assembly sheet that has an annex1 column
    for pn, sheet in layout.assemblies.items():
        structure = read_structure(sheet, mapping, ledger, issues, decimal=decimal, root=pn)
        if structure is None:
            continue
        if structure.annex1_column:
            annex1_rows |= {part_id for part_id, record in structure.parts.items() if record.get("row") is not None}
        structure.parts[pn]["description"] = structure.parts[pn].get("description") or layout.titles.get(pn)
        for part_id, record in structure.parts.items():
            attributes = {k: v for k, v in record.items() if k not in ("part_id", "file", "sheet", "row", "_where")}
            merge_part(parts, part_id, attributes, (record["file"], record["sheet"], record["row"]), issues)
        for line in structure.lines:
            origin[id(line)] = sheet
            lines.append(line)
    if any(issue.severity == ERROR for issue in issues):
        raise BomDataError(issues, layout.source, ledger.accounts(), ledger.fates())
    top = _top(layout, lines, root, issues)
    lines = [line for line in lines if line["parent"] in _reachable(top, lines)] if top else lines
    kept_assemblies = {line["parent"] for line in lines} | ({top} if top else set())
    for pn, sheet in layout.assemblies.items():
        if pn not in kept_assemblies:
            for row in range(1, len(sheet.rows) + 1):
                ledger.mark(sheet.file, sheet.name, row, SKIPPED, f"assembly {pn} is not part of {top}", force=True)
    used = kept_assemblies | {line["child"] for line in lines}
    parts = {part_id: record for part_id, record in parts.items() if part_id in used}
    known = set(parts_list) | set(layout.assemblies)
    master_records = [parts_list]
    for master_path in masters:
        for master_sheet in read_sheets(master_path):
            ledger.expect(master_sheet.file, master_sheet.name, len(master_sheet.rows))
            master = read_master(master_sheet, mapping, ledger, issues, decimal=decimal)
            if master is not None:
                master_records.append(master)
                known |= set(master)
            break
    lines = _check_lines(lines, origin, known, layout, ledger, issues)
    if any(issue.severity == ERROR for issue in issues):
        raise BomDataError(issues, layout.source, ledger.accounts(), ledger.fates())
    structure = Structure(parts, lines)
    for master in master_records:
        join_master(structure, master, issues, ledger)
    notes.append(f"{layout.source}: one {'file' if Path(layout.source).is_dir() else 'sheet'} per assembly "
                 f"({len(layout.assemblies)}: {', '.join(sorted(layout.assemblies))}) with the parts list "
                 f"{Path(layout.parts_list.file).name if Path(layout.source).is_dir() else repr(layout.parts_list.name)}; "
                 f"top assembly {top}"
                 + (f"; files not read: {', '.join(layout.ignored)}" if layout.ignored else ""))
    annex1_column = bool(annex1_rows) or any(record.get("_annex1_column") for master in master_records
                                             for record in master.values())
    return _tables(structure, layout, parts_list, annex1_rows, annex1_column)


def _annex1_known(part_id: str, record: dict, layout: AssemblyLayout, annex1_rows: set[str], annex1_column: bool) -> bool:
    """Whether an input that described the part had an annex1 column (a blank cell there means not listed).

    An assembly not in any parts table has no row to carry its status but its own file; it is
    known when some input of the layout had an annex1 column (blank: not listed).
    """
    if "annex1" in record.get("_where", {}) or part_id in annex1_rows:
        return True
    if record.get("_in_master"):
        return bool(record.get("_master_annex1"))
    return part_id in layout.assemblies and annex1_column


def _package_prices(sheet: Sheet, mapping: Mapping, parts_list: dict[str, dict], issues: list[DataIssue]) -> None:
    """A blank Cost is the package price per package quantity (``price_unit``)."""
    header = find_header(sheet.rows, mapping)
    if header is None:
        return
    keys = {header_key(cell): position for position, cell in enumerate(header.cells) if not is_blank(cell)}
    price_column = next((keys[k] for k in header_keys("package_prices", "package_price") if k in keys), None)
    qty_column = next((keys[k] for k in header_keys("package_prices", "package_qty") if k in keys), None)
    if price_column is None:
        return
    for part_id, record in parts_list.items():
        if not is_blank(record.get("unit_value")):
            continue
        cells = sheet.rows[record["row"] - 1]
        price = parse_or_keep(cells[price_column] if price_column < len(cells) else None, None)
        qty = parse_or_keep(cells[qty_column] if qty_column is not None and qty_column < len(cells) else None, None)
        if price is None:
            continue
        if not isinstance(qty, Decimal) or qty <= 0:
            issues.append(DataIssue(WARNING, "package_price_without_qty", f"Cost is blank and the package price {price} "
                                    f"has no package quantity > 0 (found {qty!r}), so the part has no unit value; give "
                                    "the Cost or the package quantity", sheet.name, record["row"], part_id, sheet.file))
            continue
        record["unit_value"], record["price_unit"] = price, qty
        record["_where"]["unit_value"] = record["_where"]["price_unit"] = (sheet.file, sheet.name, record["row"])


def _top(layout: AssemblyLayout, lines: list[dict], root: str | None, issues: list[DataIssue]) -> str | None:
    import networkx as nx

    graph = nx.DiGraph((line["parent"], line["child"]) for line in lines if line["child"] in layout.assemblies)
    graph.add_nodes_from(layout.assemblies)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        names = [edge[0] for edge in cycle] + [cycle[0][0]]
        issues.append(DataIssue(ERROR, "cycle", f"the assemblies use each other in a cycle {' -> '.join(names)}; "
                                "correct one of these files", None, None, names[0], layout.source))
        raise BomDataError(issues, layout.source)
    if root is not None:
        if root not in layout.assemblies:
            issues.append(DataIssue(ERROR, "unknown_root", f"--root {root} is not one of the assemblies "
                                    f"({', '.join(sorted(layout.assemblies))})", None, None, root, layout.source))
            raise BomDataError(issues, layout.source)
        return root
    tops = sorted(pn for pn in layout.assemblies if graph.in_degree(pn) == 0)
    if len(tops) > 1:
        issues.append(DataIssue(ERROR, "several_tops", f"{len(tops)} assemblies are used by no other: {', '.join(tops)}; "
                                "pass --root PART naming the one to check (the others are then skipped)",
                                None, None, None, layout.source))
        raise BomDataError(issues, layout.source)
    return tops[0]


def _reachable(top: str, lines: list[dict]) -> set[str]:
    import networkx as nx

    graph = nx.DiGraph((line["parent"], line["child"]) for line in lines)
    graph.add_node(top)
    return {top} | nx.descendants(graph, top)


def _check_lines(lines, origin, known: set[str], layout: AssemblyLayout, ledger: RowLedger, issues) -> list[dict]:
    """Unknown PNs and bad quantities, named by file and row; repeated lines of a file summed."""
    out: dict[tuple[str, str], dict] = {}
    for line in lines:
        sheet = origin[id(line)]
        where = (sheet.name, line["row"], line["child"], sheet.file)
        if line["child"] not in known:
            issues.append(DataIssue(ERROR, "unknown_part", f"PN '{line['child']}' is neither in the parts list nor an "
                                    "assembly file; correct the PN or add it to the parts list", *where))
            ledger.mark(sheet.file, sheet.name, line["row"], REJECTED, "unknown PN")
            continue
        qty = line["qty"]
        if not isinstance(qty, Decimal) or qty <= 0:
            issues.append(DataIssue(ERROR, "bad_qty", f"QTY must be a number greater than 0, found {qty!r}; give the "
                                    f"quantity per one {line['parent']}", *where))
            ledger.mark(sheet.file, sheet.name, line["row"], REJECTED, "bad quantity")
            continue
        key = (line["parent"], line["child"])
        if key in out:
            first = out[key]
            issues.append(DataIssue(WARNING, "duplicate_line", f"{line['child']} is listed again (first at row "
                                    f"{first['row']}); the quantities are summed", *where))
            ledger.mark(sheet.file, sheet.name, line["row"], MERGED, f"summed with row {first['row']}", force=True)
            out[key] = {**first, "qty": first["qty"] + qty}
            continue
        out[key] = line
    return list(out.values())


def _tables(structure, layout: AssemblyLayout, parts_list: dict[str, dict], annex1_rows: set[str],
            annex1_column: bool) -> tuple[RawTable, RawTable, set[str]]:
    records = []
    for part_id, record in structure.parts.items():
        row = {k: v for k, v in record.items() if not k.startswith("_")}
        row["annex1_known"] = _annex1_known(part_id, record, layout, annex1_rows, annex1_column)
        row["in_parts_data"] = True  # a PN in no parts table and no assembly file was an error above
        row["where"] = dict(record.get("_where", {}))
        records.append(row)
    columns = ["part_id"] + list(SCHEMA["parts"][1]) + ["annex1_known", "in_parts_data", "where"]
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    rows = tuple(parts_list[r["part_id"]]["row"] if r["part_id"] in parts_list else None for r in records)
    parts = RawTable("parts", frame, rows, file=layout.parts_list.file, sheet=layout.parts_list.name, accounted=True)
    columns = ["parent", "child", "qty", "uom", "alt_group", "usage_probability"]
    lines = RawTable("bom", pd.DataFrame(structure.lines, columns=columns, dtype=object),
                     tuple(line["row"] for line in structure.lines), file=os.fspath(layout.source), sheet=None, accounted=True)
    return parts, lines, set(structure.parts)
