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

import numpy as np
import pandas as pd

from . import column_cells
from .column_cells import SLOW
from .errors import ERROR, WARNING
from .ledger import MERGED, REJECTED, SKIPPED, USED
from .tables import blank_table_rows, checked_line, table_columns
from .values import EXACT

#: The fields of a line as read, then as converted into the child's unit.
READ = ("parent", "child", "qty", "uom", "alt_group", "usage_probability", "row")
CONVERTED = READ + ("given_qty", "given_uom", "factor")


def qty_column(cells: list) -> list:
    """:func:`~bomcalc.core.column_cells.number_column` (strict, above 0) of the qty cells, each
    distinct object read once when few are (a column of text numbers read once per distinct
    text holds the same ``Decimal`` object for equal text)."""
    distinct = dict(zip(map(id, cells), cells))
    if len(distinct) * 4 > len(cells):
        return column_cells.number_column(cells, strict=True)
    found = dict(zip(distinct, column_cells.number_column(list(distinct.values()), strict=True)))
    return list(map(found.__getitem__, map(id, cells)))


def parse_line_columns(out, table, parts: dict) -> dict[str, list]:
    """The lines of a bom table as columns (:data:`READ`), in row order, duplicates not merged
    (:func:`bomcalc.core.tables.parse_lines` as columns). ``out`` is the table's
    :class:`~bomcalc.core.tables.Collector`; a line with a messy cell is read one cell at a
    time (:func:`~bomcalc.core.tables.checked_line`), with its problems reported.
    """
    cols, blank = table_columns(table), blank_table_rows(table)
    (parents, parent_notes), (children, child_notes) = (column_cells.part_id_column(cols[n]) for n in ("parent", "child"))
    qtys = qty_column(cols["qty"])
    probabilities = cols["usage_probability"]
    known = parts.keys()
    clean = [not b and q is not None and q is not SLOW and u is None and pn is None and cn is None
             and p in known and c in known and p != c
             for b, q, u, pn, cn, p, c in zip(blank, qtys, probabilities, parent_notes, child_notes, parents, children)]
    rows = list(table.rows)
    columns = {"parent": parents, "child": children, "qty": qtys, "uom": column_cells.text_column(cols["uom"]),
               "alt_group": column_cells.text_column(cols["alt_group"]), "usage_probability": [None] * len(rows),
               "row": rows}
    accepted = clean
    if not all(clean):
        accepted = list(clean)
        columns = {name: list(values) for name, values in columns.items()}
        out.mark_many([rows[i] for i in range(len(rows)) if blank[i]], SKIPPED, "blank row")
        for i in itertools.compress(range(len(rows)), [not (b or c) for b, c in zip(blank, clean)]):
            line = checked_line(out, cols, i, rows[i], parts, (parents[i], parent_notes[i]), (children[i], child_notes[i]))
            if line is not None:
                accepted[i] = True
                for name in READ:
                    columns[name][i] = line[name]
        columns = {name: list(itertools.compress(values, accepted)) for name, values in columns.items()}
    out.mark_many(list(itertools.compress(rows, clean)), USED)
    return columns


def convert_line_units(lines: dict[str, list], parts: dict, out, child_unit, unit_factor, assumed_warning) -> dict[str, list]:
    """The lines in their child's uom (:data:`CONVERTED`), as the one-dict path converts them:
    ``child_unit(part)`` says a child's uom and whether a line without a unit assumes it,
    ``unit_factor(uom, child uom)`` gives ``(factor, scales)`` or ``(why not, None)``, and
    ``assumed_warning(child, lines)`` reports the lines whose unit was assumed."""
    children, uoms, qtys, rows = lines["child"], lines["uom"], lines["qty"], lines["row"]
    # only a part whose uom came from another input (a parts master) can lend it to a line without one
    facts = {child: child_unit(parts[child]) for child in dict.fromkeys(children)
             if (parts[child].get("where") or {}).get("uom") is not None}
    blank_factor, _ = unit_factor(None, None)
    assuming = {child for child, (_, assumes) in facts.items() if assumes}
    factors: dict[tuple, tuple] = {}
    given = {"given_qty": qtys, "given_uom": uoms, "factor": [blank_factor] * len(qtys)}
    converted = {**lines, **given}
    keep = None
    assumed: dict[str, list[dict]] = {}
    todo = [i for i, (uom, child) in enumerate(zip(uoms, children)) if uom or child in assuming]
    if todo:
        converted = {name: list(values) for name, values in converted.items()}
        keep = [True] * len(qtys)
    for i in todo:
        child, uom = children[i], uoms[i]
        if not uom:
            assumed.setdefault(child, []).append({"qty": qtys[i], "row": rows[i]})
            continue
        if child not in facts:
            facts[child] = child_unit(parts[child])
        key = (uom, facts[child][0])
        found = factors.get(key)
        if found is None:
            found = factors[key] = unit_factor(*key)
        factor, scales = found
        if scales is None:
            out.add(ERROR, "incompatible_units", factor, rows[i], child)
            out.mark(rows[i], REJECTED, "incompatible units")
            keep[i] = False
            continue
        converted["factor"][i] = factor
        if scales:
            converted["qty"][i] = EXACT.multiply(qtys[i], factor)
    for child, given_lines in assumed.items():
        assumed_warning(child, given_lines)
    if keep is not None and not all(keep):
        converted = {name: list(itertools.compress(values, keep)) for name, values in converted.items()}
    return converted


def merge_line_columns(lines: dict[str, list], out, ledger, table, rows_text) -> dict[str, list]:
    """One line per (parent, child): quantities of lines given twice summed into the first, with a
    warning naming the rows, the others marked merged (as :func:`bomcalc.core.tables.merge_duplicate_lines`)."""
    parent_codes, _ = pd.factorize(np.asarray(lines["parent"], dtype=object))
    child_codes, children = pd.factorize(np.asarray(lines["child"], dtype=object))
    keys = pd.Series(parent_codes.astype(np.int64) * max(1, len(children)) + child_codes)  # one number per (parent, child)
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return lines
    later = keys.duplicated(keep="first").to_numpy()
    merged = {name: list(values) for name, values in lines.items()}
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
    kept = (~later).tolist()
    return {name: list(itertools.compress(values, kept)) for name, values in merged.items()}


def lines_frame(lines: dict[str, list]) -> pd.DataFrame:
    """The ``lines`` table of a :class:`~bomcalc.core.model.Bom` from line columns (:data:`CONVERTED`)."""
    return pd.DataFrame({name: pd.Series(lines[name], dtype=object) for name in CONVERTED}, columns=list(CONVERTED),
                        dtype=object)
