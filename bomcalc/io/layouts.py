"""Single-sheet BOM exports and material masters into canonical tables (I/O layer).

A single sheet may carry structure and attributes together (Level, Part, Description, Qty,
UoM, Unit Price, COO, Annex 1). :func:`read_structure` finds the header, maps the vendor
columns, parses numbers in the file's own convention, skips text and document rows, decodes
the hierarchy (integer or SAP dotted levels, item-number paths, indentation or a parent
column), turns extended quantities into per-parent ones, and merges the repeats of a part:
consistent repeats merge, conflicting ones are errors naming both rows.
:func:`bomcalc.io.master_data.read_master` reads a material master (one row per part) the
same way, and :func:`~bomcalc.io.master_data.join_master` joins it to the BOM by part number.
Merging the repeats of a part is in :mod:`bomcalc.io.part_merge`, and the assembly named
above a list in :mod:`bomcalc.io.title_rows`.

Every row read is marked in the :class:`~bomcalc.core.ledger.RowLedger`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Context, Decimal

from . import columns as col, hierarchy as hier
from ..core.errors import ERROR, WARNING, DataIssue
from ..core.ledger import MERGED, REJECTED, SKIPPED, USED, RowLedger
from ..core.values import exact_quotient, is_blank, to_text
from .aliases import Header, Mapping, header_key, header_keys
from .headers import UndecidedQuantities, choose_reading, missing_part_column, undecided_message
from .numbers import NumberStyle
from .part_merge import PART_ATTRIBUTES, merge_part, merge_row
from .price_units import shown as _shown
from .roots import indentation, no_root_message
from .sheet_rows import RowOutcomes, parse_numbers, rows_below_header, sheet_number_style, skip_reason
from .sheets import Sheet, cell_issues
from .title_rows import title_top


QTY_MODES = ("per_parent", "extended")


@dataclass
class Structure:
    """What a sheet says about parts and lines, in canonical vocabulary."""

    parts: dict[str, dict] = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profile: str | None = None  # the export profile read with: its name, or the path of a user's file
    annex1_column: bool = False  # whether the sheet's header had an annex1 column


def unmapped_header_issue(sheet: Sheet, mapping: Mapping, what: str) -> DataIssue:
    """The error for a sheet whose header matches nothing bomcalc knows."""
    first = next((row for row in sheet.rows if any(not is_blank(c) for c in row)), [])
    found = ", ".join(f"'{c}'" for c in first if not is_blank(c)) or "none"
    if missing_part_column(mapping):
        return DataIssue(ERROR, "no_part_column", missing_part_column(mapping), sheet.name, None, None, sheet.file)
    return DataIssue(
        ERROR,
        "unmapped_header",
        f"no header row naming a part number column was found in the first 40 rows (first row holds: {found}); "
        f"{what} needs columns such as: {'; '.join(mapping.expected()[:8])}. "
        "Rename the headers or map them with --map FILE ([columns] part_id = \"Your header\")",
        sheet.name,
        None,
        None,
        sheet.file,
    )


def _hierarchy_kind(header: Header, mapping: Mapping, data) -> str:
    declared = mapping.layout.get("hierarchy")
    if declared:
        return declared
    if "parent" in header.columns:
        return "parent"
    if "level" in header.columns:
        return "level"
    if "find_number" in header.columns:
        return "path"
    if mapping.profile is not None and mapping.profile.layout.get("hierarchy") == "flat":
        return "flat"
    return "indent"


def _problems_to_issues(problems, rows: list[int], part_ids: list, out: RowOutcomes) -> set[int]:
    rejected = set()
    for problem in problems:
        row = rows[problem.index]
        out.add(problem.severity, problem.code, problem.message, row, part_ids[problem.index])
        if problem.severity == ERROR:
            rejected.add(problem.index)
            out.mark(row, REJECTED, problem.code)
    return rejected


def _parent_indices(kind: str, sheet: Sheet, header: Header, mapping: Mapping, kept, part_ids: list, out: RowOutcomes,
                    root: str | None = None):
    """Parent row position (in ``kept``) for every kept row (``part_ids``: their part ids), and the hierarchy's problems."""
    rows = [row for row, _ in kept]
    if kind == "level":
        cells = [c.get("level") for _, c in kept]
        try:
            encoding = hier.detect_level_encoding(cells)
        except ValueError as exc:
            out.add(ERROR, "bad_level", str(exc), header.index + 1)
            return None, set()
        if encoding == "integer":
            levels, base, problems = hier.levels_from_integers(cells)
            out_note = f"levels counted from {base}"
        elif encoding == "dotted":
            levels, problems = hier.levels_from_dots(cells)
            out_note = "SAP dotted levels"
        else:
            return _path_parents(cells, mapping, rows, part_ids, out)
        parents, more = hier.parents_from_levels(levels, cells)
        return (parents, out_note), _problems_to_issues(problems + more, rows, part_ids, out)
    if kind == "path":
        cells = [c.get("find_number") for _, c in kept]
        return _path_parents(cells, mapping, rows, part_ids, out)
    if kind == "indent":
        resolved, message = indentation(sheet, header, kept, rows)
        if resolved is None and root is not None and message is None:
            return ([None] * len(kept), f"--root alone (no hierarchy column): a single-level list of the components of {root}"), set()
        if resolved is None:
            out.add(ERROR, "no_hierarchy", message or (
                "no level, item-number or parent column, and neither the part numbers nor the descriptions are "
                "indented, so the file does not say which assembly each row belongs to. If it is a single-level list "
                "of the parts of one assembly, pass --root PART naming that assembly; otherwise add a level column "
                "or name it with --map FILE ([layout] hierarchy = ...)"), header.index + 1)
            return None, set()
        how, indents = resolved
        levels, problems = hier.levels_from_indent(indents)
        parents, more = hier.parents_from_levels(levels)
        return (parents, f"the {how}"), _problems_to_issues(problems + more, rows, part_ids, out)
    raise ValueError(kind)


def _path_parents(cells, mapping: Mapping, rows, part_ids, out: RowOutcomes):
    delimiter = mapping.layout.get("path_delimiter")
    if delimiter is None:
        try:
            delimiter = hier.detect_path_delimiter(cells)
        except ValueError:
            delimiter = "."
    parents, problems = hier.parents_from_paths(cells, delimiter)
    return (parents, f"item-number paths ('{delimiter}')"), _problems_to_issues(problems, rows, part_ids, out)


def _qty_mode(header: Header, requested: str | None, mapping: Mapping) -> tuple[str, str | None]:
    given = requested
    if given is None and header.undecided:
        raise UndecidedQuantities(undecided_message(header))
    requested = requested or mapping.layout.get("quantity")
    if requested:
        mode = requested.replace("-", "_")
        if mode not in QTY_MODES:
            raise ValueError(f"quantity mode must be per_parent or extended, not '{requested}'")
        if given is not None and header.undecided:
            return mode, (f"quantities read as {mode.replace('_', '-')} as --qty-mode says (the headers fit "
                          f"{' and '.join(header.undecided)} equally)")
        if given is None and mapping.profile is not None and mapping.profile.layout.get("quantity"):
            return mode, (f"quantities read as {mode.replace('_', '-')} (profile {mapping.profile.name}); "
                          "pass --qty-mode to say otherwise")
        return mode, None
    qty_header = header.cells[header.columns["qty"]] if "qty" in header.columns else ""
    if header_key(qty_header) in header_keys("extended_quantity", "qty"):
        return "extended", (
            f"quantities read as extended to the list header (SAP multi-level explosion column '{qty_header}'); "
            "per-parent quantity = component quantity / parent quantity. Pass --qty-mode per-parent if they are not"
        )
    return "per_parent", None


def _read_rows(sheet: Sheet, header: Header, mapping: Mapping, decimal: str | None, out: RowOutcomes,
               structure: Structure) -> tuple[list[tuple[int, dict]], NumberStyle | None]:
    """The part rows below the header (``(source row, {canonical: cell})``) with their numbers
    parsed, cells filled down, word price units and quantity bases applied; rows that are not
    parts (text items, do-not-populate, ...) are marked skipped. Also returns the number style."""
    data = rows_below_header(sheet, header, out)
    out.issues.extend(cell_issues(sheet, header.columns, header.index, out.ledger))
    filled = col.fill_down(data, mapping.layout.get("fill_down"))
    if filled:
        structure.notes.append(f"{sheet.file}: {filled} blank cell(s) of {', '.join(mapping.layout['fill_down'])} "
                               "filled from the row above (the export names it once per BoM)")
    style = sheet_number_style(data, decimal or mapping.layout.get("decimal"), out)
    parse_numbers(data, style)
    if "price_unit" in header.columns:
        col.drop_word_price_units(data, str(header.cells[header.columns["price_unit"]]).strip(), out)
    kept = []
    for row, cells in data:
        reason = skip_reason(cells)
        if reason:
            out.mark(row, SKIPPED, reason)
        else:
            kept.append((row, cells))
    if style is not None and style.decimal == ",":
        structure.notes.append(f"{sheet.file}: numbers read with decimal comma")
    if "qty_basis" in header.columns:
        basis_note = col.apply_quantity_basis(kept, out, str(header.cells[header.columns["qty_basis"]]).strip())
        structure.notes.extend([f"{sheet.file}: {basis_note}"] if basis_note else [])
    if "designators" in header.columns and mapping.layout.get("designators", True):
        col.check_designators(kept, out)
    return kept, style


def read_structure(sheet: Sheet, mapping: Mapping, ledger: RowLedger, issues: list[DataIssue], *,
                   qty_mode: str | None = None, decimal: str | None = None, root: str | None = None) -> Structure | None:
    """Parts and per-parent lines from one sheet that carries the BOM structure.

    ``root`` names the assembly whose components the top-level rows are (``--root``).
    Returns ``None`` (with issues) when the sheet cannot be read as a BOM.
    """
    out = RowOutcomes(sheet, issues, ledger)
    mapping, header = choose_reading(sheet.rows, mapping)
    if header is None:
        issues.append(unmapped_header_issue(sheet, mapping, "a BOM sheet"))
        return None
    structure = Structure(profile=col.profile_name(mapping), annex1_column="annex1" in header.columns)
    structure.notes.extend(f"{sheet.file}: {note}" for note in header.notes)
    if mapping.profile is not None and mapping.profile.warning:
        out.add(WARNING, "profile_warning", f"profile {mapping.profile.name}: {mapping.profile.warning}")
    if not col.report_ties(header, out):
        return None
    kept, style = _read_rows(sheet, header, mapping, decimal, out, structure)
    ids = [to_text(cells.get("part_id")) for _, cells in kept]
    kind = _hierarchy_kind(header, mapping, kept)
    try:
        mode, note = _qty_mode(header, qty_mode, mapping)
    except ValueError as exc:
        out.add(ERROR, getattr(exc, "code", "bad_option"), str(exc), header.index + 1 if hasattr(exc, "code") else None)
        return None
    if note:
        structure.notes.append(note)
    if kind == "parent":
        if mode == "extended":
            out.add(ERROR, "bad_option", "extended quantities need a level or item-number hierarchy, not a parent column")
            return None
        placed = _place_parentless_rows(kept, root, out, _from_parent_column(kept, ids, out, structure))
        return col.apply_alternates(placed, kept, mapping, sheet.file, out) if placed is not None else None
    if kind == "flat":
        resolved, rejected = ([None] * len(kept), "a flat list under the assembly named above it"), set()
    else:
        resolved, rejected = _parent_indices(kind, sheet, header, mapping, kept, ids, out, root)
    if resolved is None:
        return None
    parents, how = resolved
    structure.notes.append(f"{sheet.file}: hierarchy from {how}")
    quantities = [cells.get("qty") for _, cells in kept]
    top = title_top(sheet, header, style, root, out)
    if top is not None and top[0] in ids:
        top = None  # the list header is also a row: nothing to add
    if mode == "extended":
        decimals = [q if isinstance(q, Decimal) else None for q in quantities]
        per_parent, problems = hier.per_parent_quantities(decimals, parents)
        rejected |= _problems_to_issues(problems, [row for row, _ in kept], ids, out)
        quantities = [p if isinstance(q, Decimal) else q for p, q in zip(per_parent, quantities)]
    if kind == "flat" and top is None:
        out.add(ERROR, "no_hierarchy", "this flat list names no assembly: add a title row 'Assembly: PART' above the "
                "header, or name the product with --root PART", header.index + 1)
        return None
    structure = _merge_occurrences(kept, ids, parents, quantities, rejected, out, structure)
    _add_title_top(top, kept, parents, quantities, rejected, mode, out, structure)
    return col.apply_alternates(structure, kept, mapping, sheet.file, out)


def _add_title_top(top, kept, parents, quantities, rejected, mode: str, out: RowOutcomes, structure: Structure) -> None:
    """Make the assembly named above the list the parent of the top-level rows.

    Without one, several top-level rows that give quantities are an error: their quantities
    belong to an assembly the file does not name, and a quantity is never dropped.
    """
    tops = [index for index in range(len(kept)) if parents[index] is None and index not in rejected]
    if top is not None and top[4] == "the title row" and len(tops) == 1 and is_blank(quantities[tops[0]]):
        top = None  # a lone top row without a quantity is the assembly itself; the title only labels it
    if top is None:
        placed = [index for index in tops if not is_blank(quantities[index])]
        if len(tops) > 1 and placed:
            rows = [kept[index][0] for index in placed]
            named = [f"row {kept[index][0]} ({to_text(kept[index][1].get('part_id'))}"
                     + (f", qty {_shown(quantities[index])})" if not is_blank(quantities[index]) else ", no qty)")
                     for index in tops]
            second = tops[1]  # the row that makes the top level hold more than one part
            out.add(ERROR, "no_root", no_root_message(len(tops), rows, named), kept[second][0],
                    to_text(kept[second][1].get("part_id")))
            for row in rows:
                out.mark(row, REJECTED, "top-level quantity with no assembly named above it")
        return
    part_id, description, row, required, source = top
    merge_part(structure.parts, part_id, {"description": description}, (out.sheet.file, out.sheet.name, row), out.issues)
    if row is not None:
        out.mark(row, USED, f"assembly named in {source}")
    for index in tops:
        line_row, cells = kept[index]
        qty = quantities[index]
        if mode == "extended" and isinstance(qty, Decimal):
            exact = exact_quotient(qty, required)
            if exact is None:
                out.add(WARNING, "inexact_quantity", f"{_shown(qty)} / required quantity {_shown(required)} is not a finite decimal; "
                        "rounded to 34 digits", line_row, to_text(cells.get("part_id")))
                exact = Context(prec=34).divide(qty, required)
            qty = exact
        structure.lines.append(_line(part_id, to_text(cells.get("part_id")), qty, cells, line_row))
    what = "list header" if source == "the title block" else "assembly"
    structure.notes.append(f"{out.sheet.file}: {what} {part_id} taken from {source}"
                           + (f" (required quantity {_shown(required)})" if source == "the title block" else "")
                           + f": the parent of the {len(tops)} top-level row(s), quantities per one {part_id}")


def _place_parentless_rows(kept, root: str | None, out: RowOutcomes, structure: Structure) -> Structure:
    """Rows of a parent-column file with a blank parent: with ``--root`` they become its lines;
    without it, one giving a quantity other than 1 (a quantity of nothing named) is an error."""
    tops = [(row, cells) for row, cells in kept
            if to_text(cells.get("parent")) is None and to_text(cells.get("part_id")) not in (None, root)]
    if root is not None:
        merge_part(structure.parts, root, {}, (out.sheet.file, out.sheet.name, None), out.issues)
        for row, cells in tops:
            structure.lines.append(_line(root, to_text(cells.get("part_id")), cells.get("qty"), cells, row))
        structure.notes.append(f"{out.sheet.file}: assembly {root} taken from --root: the parent of the {len(tops)} "
                               f"row(s) with a blank parent, quantities per one {root}")
        return structure
    placed = [row for row, cells in tops if not is_blank(cells.get("qty")) and cells.get("qty") != 1]
    if placed:
        out.add(ERROR, "no_root", no_root_message(len(tops), placed), placed[0])
        for row in placed:
            out.mark(row, REJECTED, "quantity with no parent named")
    return structure


def part_attributes(cells: dict) -> dict:
    """The part attributes (origin, value, Annex 1 status, ...) among a row's canonical cells."""
    return dict(zip(PART_ATTRIBUTES, map(cells.get, PART_ATTRIBUTES)))


def _line(parent: str, child: str, qty, cells: dict, row: int) -> dict:
    return {"parent": parent, "child": child, "qty": qty, "uom": to_text(cells.get("uom")),
            "alt_group": cells.get("alt_group"), "usage_probability": cells.get("usage_probability"), "row": row}


def _merge_occurrences(kept, ids: list, parents, quantities, rejected: set[int], out: RowOutcomes, structure: Structure) -> Structure:
    """Lines from the first occurrence of each assembly (``ids``: the part id of each kept row); later occurrences must repeat it."""
    settled: dict = {}
    for index, (row, cells) in enumerate(kept):
        if index in rejected:
            continue
        merge_row(structure.parts, ids[index], cells, (out.sheet.file, out.sheet.name, row), out.issues, settled)
    children: dict[int, list[int]] = {}
    for index, parent in enumerate(parents):
        if parent is not None and index not in rejected and parent not in rejected:
            children.setdefault(parent, []).append(index)
    defined: dict[str, int] = {}
    repeats: dict[int, str] = {}
    for index in range(len(kept)):
        below = children.get(index)
        if index in rejected or not below:
            continue
        part = ids[index]
        if part not in defined:
            defined[part] = index
            structure.lines.extend(_line(part, ids[c], quantities[c], kept[c][1], kept[c][0]) for c in below)
            continue
        first = defined[part]
        if _signature(below, ids, quantities, kept) == _signature(children[first], ids, quantities, kept):
            for c in below:
                repeats[c] = f"repeats the structure of {part} given at row {kept[first][0]}"
        else:
            out.add(
                ERROR,
                "conflicting_structure",
                f"assembly '{part}' has other components or quantities here than at row {kept[first][0]}; "
                "make the two occurrences agree",
                kept[index][0],
                part,
            )
            out.mark(kept[index][0], REJECTED, "conflicting structure")
    for index in repeats.keys() - rejected:
        out.mark(kept[index][0], MERGED, repeats[index])
    out.mark_many([row for index, (row, _) in enumerate(kept) if index not in rejected and index not in repeats], USED)
    return structure


def _signature(rows: list[int], ids, quantities, kept) -> list[tuple]:
    def shown(quantity):
        return format(quantity.normalize(), "f") if isinstance(quantity, Decimal) else str(quantity)

    return sorted((ids[c], shown(quantities[c]), str(to_text(kept[c][1].get("alt_group")))) for c in rows)


def _from_parent_column(kept, ids: list, out: RowOutcomes, structure: Structure) -> Structure:
    parent_cells = [cells.get("parent") for _, cells in kept]
    _, problems = hier.parents_from_parent_column(ids, parent_cells)
    # a parent with no row of its own is a top assembly named only by its lines: that is allowed
    problems = [p for p in problems if p.code != "missing_parent_part"]
    parent_ids = [to_text(cell) if to_text(cell) != ids[i] else None for i, cell in enumerate(parent_cells)]
    rejected, settled = _problems_to_issues(problems, [row for row, _ in kept], ids, out), {}
    for index, (row, cells) in enumerate(kept):
        if index in rejected:
            continue
        merge_row(structure.parts, ids[index], cells, (out.sheet.file, out.sheet.name, row), out.issues, settled)
        if parent_ids[index] is not None:
            structure.lines.append(_line(parent_ids[index], ids[index], cells.get("qty"), cells, row))
    out.mark_many([row for index, (row, _) in enumerate(kept) if index not in rejected], USED)
    for parent in {p for p in parent_ids if p is not None}:
        structure.parts.setdefault(parent, {"part_id": parent, "file": out.sheet.file, "sheet": out.sheet.name,
                                            "row": None, "_where": {}})
    return structure


