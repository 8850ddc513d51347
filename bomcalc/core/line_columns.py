"""BOM lines kept as columns from the checked cells to the lines table (core layer).

A BOM of a million lines read one dict per line spends its time building and reading dicts.
Here the lines travel as columns (one list per field, every line at the same index) through
the cell checks of :func:`bomcalc.core.tables.parse_lines`, unit conversion and the merging
of lines given twice, into the ``lines`` table of a :class:`~bomcalc.core.model.Bom`. Only the
lines that need it are looked at one by one: a line with a messy cell (read and reported by
:func:`bomcalc.core.tables.checked_line`), a line in another unit than its child's, a line
given more than once. Everything else is a whole-column step.

The result is the same as the one-dict-per-line path (:data:`bomcalc.core.column_cells.FAST`
False), which the tests compare it with: the same lines, exact quantities, issues in the same
order and the same fate for every row.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import numpy as np
import pandas as pd

from . import column_cells, frames, part_codes, part_columns
from .column_cells import SLOW
from .errors import ERROR, WARNING
from .ledger import MERGED, REJECTED, SKIPPED, USED
from .part_codes import UNKNOWN
from .tables import checked_line, table_columns
from .values import EXACT

#: The fields of a line as read, then as converted into the child's unit.
READ = ("parent", "child", "qty", "uom", "alt_group", "usage_probability", "row")
CONVERTED = READ + ("given_qty", "given_uom", "factor")
#: The column of each line's (parent, child) pair as one number, carried until lines given twice are merged.
PAIR = "pair"
#: Lines given twice that are deleted from the merged columns in place, rather than the columns copied.
_FEW = 16


def qty_column(cells: list) -> list:
    """:func:`~bomcalc.core.column_cells.number_column` (strict, above 0) of the qty cells, each
    distinct object read once when few are (a column of text numbers read once per distinct
    text holds the same ``Decimal`` object for equal text)."""
    return _qty_column(cells)[0]


def _qty_column(cells: list) -> tuple[list, bool]:
    """:func:`qty_column`, and whether every cell is a number above 0 as it stands (none is ``None`` or SLOW)."""
    blanks = column_cells.decimals_with_blanks(cells, Decimal(0), strict=True) if column_cells.FAST else None
    if blanks is not None:
        return list(cells), not blanks  # each cell reads as itself
    distinct = dict(zip(map(id, cells), cells))
    if len(distinct) * 4 > len(cells):
        return column_cells.number_column(cells, strict=True), False
    found = dict(zip(distinct, column_cells.number_column(list(distinct.values()), strict=True)))
    return list(map(found.__getitem__, map(id, cells))), False


def parse_line_columns(out, table, parts: dict) -> dict[str, list]:
    """The lines of a bom table as columns (:data:`READ`), in row order, duplicates not merged
    (:func:`bomcalc.core.tables.parse_lines` as columns), with :data:`PAIR`: each line's (parent,
    child) as one number (:func:`~bomcalc.core.part_codes.pair_codes`). ``out`` is the table's
    :class:`~bomcalc.core.tables.Collector`; a line with a messy cell is read one cell at a
    time (:func:`~bomcalc.core.tables.checked_line`), with its problems reported.
    """
    cols = table_columns(table)
    (parents, parent_notes), (children, child_notes) = (column_cells.part_id_column(cols[n]) for n in ("parent", "child"))
    # a blank row has no parent; when every line has one (ids are text or None), no row is blank
    blank = [False] * len(parents) if all(parents) else column_cells.blank_rows(
        [cols[name] if name in cols else frames.column_list(table, name) for name in frames.column_names(table)],
        frames.table_size(table))
    qtys, plain_qtys = _qty_column(cols["qty"])
    index = part_codes.part_index(parts)
    parent_codes, child_codes = part_codes.columns_codes(index, parents, children)
    clean = (parent_codes != UNKNOWN) & (child_codes != UNKNOWN) & (parent_codes != child_codes)
    for cells in (parent_notes, child_notes, cols["usage_probability"]):
        none = part_codes.none_mask(cells)
        if none is not None:
            clean &= none
    for marker in () if plain_qtys else (None, SLOW):
        bad = part_codes.marked(qtys, marker)
        if bad is not None:
            clean &= ~bad
    if any(blank):
        clean &= ~np.array(blank, dtype=bool)
    rows = list(table.rows)
    columns = {"parent": parents, "child": children, "qty": qtys, "uom": column_cells.text_column(cols["uom"]),
               "alt_group": column_cells.text_column(cols["alt_group"]), "usage_probability": [None] * len(rows),
               "row": rows, PAIR: part_codes.pair_codes(parent_codes, child_codes, len(index))}
    if clean.all():
        out.mark_many(table.rows, USED)  # a range, for a table read column-wise: no row number looked at
        return columns
    accepted = clean.copy()
    columns = {name: list(values) if name != PAIR else values.copy() for name, values in columns.items()}
    out.mark_many([rows[i] for i in range(len(rows)) if blank[i]], SKIPPED, "blank row")
    for i in np.flatnonzero(~(clean | np.array(blank, dtype=bool))).tolist():
        line = checked_line(out, cols, i, rows[i], parts, (parents[i], parent_notes[i]), (children[i], child_notes[i]))
        if line is not None:
            accepted[i] = True
            for name in READ:
                columns[name][i] = line[name]
            columns[PAIR][i] = index[line["parent"]] * max(1, len(index)) + index[line["child"]]
    out.mark_many(list(itertools.compress(rows, clean.tolist())), USED)
    return _kept(columns, accepted)


def _kept(columns: dict, keep: np.ndarray) -> dict:
    """The columns at the lines where ``keep`` is True."""
    if keep.all():
        return columns
    dropped = np.flatnonzero(~keep)
    return {name: values[keep] if name == PAIR else part_codes.kept(values, keep, dropped)
            for name, values in columns.items()}


def convert_line_units(lines: dict[str, list], parts: dict, out, assumes_unit, unit_factor, assumed_warning) -> dict[str, list]:
    """The lines in their child's uom (:data:`CONVERTED` and :data:`PAIR`), as the one-dict path
    converts them: ``assumes_unit(uom, where)`` says whether a line without a unit assumes its child's
    uom (the child's ``uom`` and ``where``), ``unit_factor(uom, child uom)`` gives ``(factor, scales)``
    or ``(why not, None)``, and ``assumed_warning(child, lines)`` reports the lines whose unit was assumed."""
    children, uoms, qtys, rows = lines["child"], lines["uom"], lines["qty"], lines["row"]
    child_codes = part_codes.child_of_pairs(lines[PAIR], len(parts))
    # only a part whose uom came from another input (a parts master) can lend it to a line without one
    present = np.zeros(len(parts), dtype=bool)
    present[child_codes] = True
    ids, wheres, part_uoms = list(parts), part_columns.column(parts, "where"), part_columns.column(parts, "uom")
    if column_cells.FAST:  # only parts with a ``where`` can have a uom from elsewhere: found in one C pass
        present &= np.fromiter(map(bool, wheres), bool, len(wheres))
    assuming = {ids[k] for k in np.flatnonzero(present).tolist()
                if (wheres[k] or {}).get("uom") is not None and assumes_unit(part_uoms[k], wheres[k])}
    blank_factor, _ = unit_factor(None, None)
    factors: dict[tuple, tuple] = {}
    given = {"given_qty": qtys, "given_uom": uoms, "factor": [blank_factor] * len(qtys)}
    converted = {**lines, **given}
    keep = None
    assumed: dict[str, list[dict]] = {}
    todo = _to_convert(uoms, child_codes, assuming, parts)
    if todo:
        converted = {name: list(values) if name != PAIR else values for name, values in converted.items()}
        keep = np.ones(len(qtys), dtype=bool)
    codes = child_codes.tolist() if todo else []
    factor_column, qty_column = converted["factor"], converted["qty"]
    for i in todo:
        uom = uoms[i]
        if not uom:
            assumed.setdefault(children[i], []).append({"qty": qtys[i], "row": rows[i]})
            continue
        key = (uom, part_uoms[codes[i]])  # the line's unit and its child's
        found = factors.get(key)
        if found is None:
            found = factors[key] = unit_factor(*key)
        factor, scales = found
        if scales is None:
            out.add(ERROR, "incompatible_units", factor, rows[i], children[i])
            out.mark(rows[i], REJECTED, "incompatible units")
            keep[i] = False
            continue
        factor_column[i] = factor
        if scales:
            qty_column[i] = EXACT.multiply(qtys[i], factor)
    for child, given_lines in assumed.items():
        assumed_warning(child, given_lines)
    return converted if keep is None else _kept(converted, keep)


def _to_convert(uoms: list, child_codes: np.ndarray, assuming: set, parts: dict) -> list[int]:
    """The positions of the lines given in a unit, or without one and of a child in ``assuming``."""
    todo = np.zeros(len(uoms), dtype=bool)
    if any(uoms):
        todo |= np.fromiter(map(bool, uoms), dtype=bool, count=len(uoms))
    if assuming:
        todo |= np.isin(child_codes, [code for code, part_id in enumerate(parts) if part_id in assuming])
    return np.flatnonzero(todo).tolist()


def merge_line_columns(lines: dict[str, list], out, ledger, table, rows_text) -> dict[str, list]:
    """One line per (parent, child): quantities of lines given twice summed into the first, with a
    warning naming the rows, the others marked merged (as :func:`bomcalc.core.tables.merge_duplicate_lines`).
    The lines come with :data:`PAIR` and keep it: the merged ones are :data:`CONVERTED` and :data:`PAIR`."""
    pairs = np.asarray(lines[PAIR])
    keys = pd.Series(pairs)
    lines = {name: values for name, values in lines.items() if name != PAIR}
    later = keys.duplicated(keep="first").to_numpy()
    if not later.any():
        return {**lines, PAIR: pairs}
    repeated = keys.isin(keys[later]).to_numpy()
    merged = {**lines, "qty": list(lines["qty"]), "given_qty": list(lines["given_qty"])}
    qty, given_qty, given_uom, factor, rows = (merged[name] for name in ("qty", "given_qty", "given_uom", "factor", "row"))
    first_of: dict[tuple, int] = {}
    rows_of: dict[tuple, list[int]] = {}
    for i in repeated.nonzero()[0].tolist():
        key = (merged["parent"][i], merged["child"][i])
        first = first_of.get(key)
        if first is None:
            first_of[key], rows_of[key] = i, [rows[i]]
            continue
        qty[first] = EXACT.add(qty[first], qty[i])
        if given_qty[first] is not None:
            same_unit = (given_uom[first], factor[first]) == (given_uom[i], factor[i])
            given_qty[first] = EXACT.add(given_qty[first], given_qty[i]) if same_unit else None
        rows_of[key].append(rows[i])
        ledger.mark(table.file, table.sheet, rows[i], MERGED, f"summed into row {rows[first]}", force=True)
    for key, key_rows in rows_of.items():
        out.add(WARNING, "duplicate_line", f"line {key[0]} -> {key[1]} appears on rows {rows_text(key_rows)}; the "
                f"quantities are summed to {qty[first_of[key]]}", key_rows[0], key[1])
    if later.sum() <= _FEW:  # the lists of ``lines`` are this path's own: shortened where they are
        return {**part_codes.drop_in_place(merged, np.flatnonzero(later).tolist()), PAIR: pairs[~later]}
    return {**_kept(merged, ~later), PAIR: pairs[~later]}
