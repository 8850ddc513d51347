"""The part records of a whole parts table built from its columns at once (core layer).

:func:`bomcalc.core.tables.parse_parts` reads the attributes of every row column-wise
(:func:`bomcalc.core.column_cells.clean_part_columns`), builds every record here in one pass,
and then reads again, one cell at a time and with their messages, only the rows that need it:
blank rows, rows without a part id or repeating one, part ids that were normalised, and cells
the column readers marked :data:`~bomcalc.core.column_cells.SLOW`. A record built here for such
a row holds placeholders until the caller overwrites them.
"""

from __future__ import annotations

import itertools
import operator

from .column_cells import SLOW

#: The keys of a part record, in order.
KEYS = ("part_id", "description", "hs_code", "origin", "unit_value", "currency", "uom", "annex1", "annex1_known",
        "in_parts_data", "cn_technology", "phantom", "us_controlled", "supplier", "row", "file", "sheet", "where")


def first_rows(part_ids: list) -> tuple[list[int] | range, set[int]]:
    """``(kept, repeated)``: the positions of the first row of each part id, in row order, and
    of the rows naming a part id an earlier row names. Rows without a part id (``None``) are in
    neither."""
    size = len(part_ids)
    if None not in part_ids and len(set(part_ids)) == size:  # the usual case: every row a part of its own
        return range(size), set()
    first = dict(zip(reversed(part_ids), range(size - 1, -1, -1)))  # each id's earliest position
    first.pop(None, None)
    return sorted(first.values()), {i for i, part_id in enumerate(part_ids) if part_id is not None and first[part_id] != i}


def rows_to_read(blank: list[bool], part_ids: list, notes: list, repeated: set[int], clean: dict[str, list]) -> list[int]:
    """The positions, in row order, of the rows to read one at a time: blank, without a part id,
    repeating one, with a part id note, or with a cell marked SLOW in ``clean``."""
    found = set(repeated)
    for values in clean.values():
        if any(map(operator.is_, values, itertools.repeat(SLOW))):  # by identity: no comparison of each cell with SLOW
            found.update(i for i, value in enumerate(values) if value is SLOW)
    if True in blank:
        found.update(i for i, is_blank in enumerate(blank) if is_blank)
    if None in part_ids:
        found.update(i for i, part_id in enumerate(part_ids) if part_id is None)
    if notes.count(None) != len(notes):
        found.update(i for i, note in enumerate(notes) if note is not None)
    return sorted(found)


def annex1_columns(read: list, known_cells: list) -> tuple[list, list]:
    """``(annex1, annex1_known)`` of every row from the column-wise annex1 reading (``(annex1,
    known)`` or SLOW, ``known`` ``None`` for a blank cell) and the ``annex1_known`` cells, which a
    blank annex1 cell keeps."""
    annex1 = [None if value is SLOW else value[0] for value in read]
    known = [bool(cell) if value is SLOW or value[1] is None else value[1] for value, cell in zip(read, known_cells)]
    return annex1, known


def part_records(table, kept, part_ids: list, clean: dict[str, list], texts: dict[str, list], extra: dict[str, list]) -> dict[str, dict]:
    """The record of the row at each position of ``kept``, by part id, in row order.

    ``clean`` holds the attributes read column-wise, ``texts`` the text columns (description,
    hs_code, uom, supplier), ``extra`` the provenance columns (annex1_known, in_parts_data,
    where). Attributes marked SLOW are left so in the record, for the caller to read again.
    """
    annex1, known = annex1_columns(clean["annex1"], extra["annex1_known"])
    columns = (part_ids, texts["description"], texts["hs_code"], clean["origin"], clean["unit_value"], clean["currency"],
               texts["uom"], annex1, known, clean["in_parts_data"], clean["cn_technology"], clean["phantom"],
               clean["us_controlled"], texts["supplier"], list(table.rows), extra["where"])
    if len(kept) != len(part_ids):
        columns = tuple([column[i] for i in kept] for column in columns)
    template = dict.fromkeys(KEYS)  # a copy is a presized dict in this key order, file and sheet filled in
    template["file"], template["sheet"] = table.file, table.sheet
    copy, records = template.copy, {}
    for (part_id, description, hs_code, origin, unit_value, currency, uom, annex1_value, annex1_known, in_parts_data,
         cn_technology, phantom, us_controlled, supplier, row, where) in zip(*columns):
        record = records[part_id] = copy()
        record["part_id"] = part_id
        record["description"] = description or ""
        record["hs_code"] = hs_code or ""
        record["origin"] = origin
        record["unit_value"] = unit_value
        record["currency"] = currency
        record["uom"] = uom
        record["annex1"] = annex1_value
        record["annex1_known"] = annex1_known
        record["in_parts_data"] = in_parts_data
        record["cn_technology"] = cn_technology
        record["phantom"] = phantom
        record["us_controlled"] = us_controlled
        record["supplier"] = supplier
        record["row"] = row
        record["where"] = where if isinstance(where, dict) else {}
    return records
