"""The part records of a whole parts table built from its columns at once (core layer).

:func:`bomcalc.core.tables.parse_parts` reads the attributes of every row column-wise
(:func:`bomcalc.core.column_cells.clean_part_columns`), builds every record here in one pass,
and then reads again, one cell at a time and with their messages, only the rows that need it:
blank rows, rows without a part id or repeating one, part ids that were normalised, and cells
the column readers marked :data:`~bomcalc.core.column_cells.SLOW`. A record built here for such
a row holds placeholders until the caller overwrites them.

The records stay columns (:class:`PartTable`): a part's record is a live view of its row
(:class:`PartRecord`), and whatever reads every part (the report currency, the parts table of
the Bom) reads the columns. A quarter of a million parts are never a quarter of a million dicts.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Mapping, MutableMapping

from .column_cells import SLOW, only_none

#: The keys of a part record, in order.
KEYS = ("part_id", "description", "hs_code", "origin", "unit_value", "currency", "uom", "annex1", "annex1_known",
        "in_parts_data", "cn_technology", "phantom", "us_controlled", "supplier", "row", "file", "sheet", "where")


def first_rows(part_ids: list) -> tuple[list[int] | range, set[int], dict | None]:
    """``(kept, repeated, positions)``: the positions of the first row of each part id, in row
    order, and of the rows naming a part id an earlier row names. Rows without a part id
    (``None``) are in neither. ``positions`` gives each part id its row's position when every row
    names a part of its own (else ``None``)."""
    size = len(part_ids)
    positions = dict(zip(part_ids, range(size)))
    if len(positions) == size and None not in positions:  # the usual case: every row a part of its own
        return range(size), set(), positions
    first = dict(zip(reversed(part_ids), range(size - 1, -1, -1)))  # each id's earliest position
    first.pop(None, None)
    return (sorted(first.values()), {i for i, part_id in enumerate(part_ids) if part_id is not None and first[part_id] != i},
            None)


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
    if not any(map(operator.is_, read, itertools.repeat(SLOW))):  # the usual case, told in C passes
        annex1, known = list(map(operator.itemgetter(0), read)), list(map(operator.itemgetter(1), read))
        if any(map(operator.is_, known, itertools.repeat(None))):  # a blank annex1 cell: the row's annex1_known cell
            known = [bool(cell) if flag is None else flag for flag, cell in zip(known, known_cells)]
        return annex1, known
    annex1 = [None if value is SLOW else value[0] for value in read]
    known = [bool(cell) if value is SLOW or value[1] is None else value[1] for value, cell in zip(read, known_cells)]
    return annex1, known


class _NoPlaces(dict):
    """The ``where`` of a part whose every attribute came from its own row: an empty dict that cannot be
    changed, one for all such parts (a quarter of a million parts are not a quarter of a million dicts).
    It equals ``{}``; a change raises rather than reach every part that shares it."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("a part's empty 'where' is shared and cannot be changed; give the part a dict of its own")

    __setitem__ = __delitem__ = __ior__ = setdefault = update = pop = popitem = clear = _refuse


#: The one :class:`_NoPlaces`.
NO_PLACES = _NoPlaces()


def _places(cells: list) -> list:
    """The ``where`` of each row: its cell when a dict, else :data:`NO_PLACES`."""
    if only_none(cells):
        return [NO_PLACES] * len(cells)
    return [where if isinstance(where, dict) else NO_PLACES for where in cells]


class PartTable(Mapping):
    """Part records by part id, in row order, held as one list per attribute (``columns``,
    every list as long, the keys :data:`KEYS`).

    ``table[part_id]`` (and :meth:`at`) is a :class:`PartRecord`: reading or setting one of its
    keys reads or sets that part's cell. ``positions`` holds each part id's position; it is
    shared, not to be changed.
    """

    __slots__ = ("columns", "positions")

    def __init__(self, columns: dict[str, list], positions: dict | None = None):
        """``positions``, when the caller has it: each part id of ``columns`` with its position."""
        ids = columns["part_id"]
        self.columns = columns
        self.positions = positions if positions is not None else dict(zip(ids, range(len(ids))))
        if len(self.positions) != len(ids):
            raise ValueError("PartTable: a part id is given twice")

    def __getitem__(self, part_id) -> PartRecord:
        return PartRecord(self.columns, self.positions[part_id])

    def __contains__(self, part_id) -> bool:
        return part_id in self.positions

    def __iter__(self):
        return iter(self.columns["part_id"])

    def __len__(self) -> int:
        return len(self.columns["part_id"])

    def at(self, position: int) -> PartRecord:
        """The record of the part at ``position``."""
        return PartRecord(self.columns, position)


class PartRecord(MutableMapping):
    """One part's record in a :class:`PartTable`: its row of every column, read and written in place.
    A key no column has yet becomes a column (``None`` for the other parts)."""

    __slots__ = ("_columns", "_at")

    def __init__(self, columns: dict[str, list], position: int):
        self._columns, self._at = columns, position

    def __getitem__(self, key):
        return self._columns[key][self._at]

    def __setitem__(self, key, value) -> None:
        column = self._columns.get(key)
        if column is None:
            column = self._columns[key] = [None] * len(self._columns["part_id"])
        column[self._at] = value

    def __delitem__(self, key) -> None:
        raise TypeError("a part record's keys are its table's columns; set a value to None instead")

    def __iter__(self):
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"PartRecord({dict(self)!r})"


def column(parts: Mapping, name: str) -> list:
    """The ``name`` of every part of ``parts`` in order: the column of a :class:`PartTable`, else
    read record by record (``None`` where a record lacks it)."""
    if isinstance(parts, PartTable):
        return parts.columns[name]
    return [record.get(name) for record in parts.values()]


def part_records(table, kept, part_ids: list, clean: dict[str, list], texts: dict[str, list], extra: dict[str, list],
                 positions: dict | None = None) -> PartTable:
    """The record of the row at each position of ``kept``, by part id, in row order (``positions``:
    :func:`first_rows`'s).

    ``clean`` holds the attributes read column-wise, ``texts`` the text columns (description,
    hs_code, uom, supplier), ``extra`` the provenance columns (annex1_known, in_parts_data,
    where). Attributes marked SLOW are left so in the record, for the caller to read again.
    """
    annex1, known = annex1_columns(clean["annex1"], extra["annex1_known"])
    size = len(kept)
    columns = {
        "part_id": part_ids, "description": [text or "" for text in texts["description"]],
        "hs_code": [text or "" for text in texts["hs_code"]], "origin": clean["origin"], "unit_value": clean["unit_value"],
        "currency": clean["currency"], "uom": texts["uom"], "annex1": annex1, "annex1_known": known,
        "in_parts_data": clean["in_parts_data"], "cn_technology": clean["cn_technology"], "phantom": clean["phantom"],
        "us_controlled": clean["us_controlled"], "supplier": texts["supplier"], "row": list(table.rows), "file": None,
        "sheet": None, "where": _places(extra["where"]),
    }
    if size != len(part_ids):
        columns = {name: None if values is None else [values[i] for i in kept] for name, values in columns.items()}
    else:
        columns = {name: None if values is None else list(values) for name, values in columns.items()}  # our own lists
    columns["file"], columns["sheet"] = [table.file] * size, [table.sheet] * size
    return PartTable({name: columns[name] for name in KEYS}, positions)
