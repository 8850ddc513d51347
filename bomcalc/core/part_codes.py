"""BOM lines' parts as whole numbers, for the column path of :mod:`bomcalc.core.line_columns` (core layer).

Looking each line's parent and child up in the parts table, then comparing and grouping them as
text, touches a million strings several times over. Here each part id is looked up once per line
and becomes its position in the parts table (:func:`part_codes`); a line becomes one number for
its (parent, child) pair (:func:`pair_codes`). Whether a part is known, whether a part is its own
child and which lines repeat an earlier one are then whole-array steps on those numbers. Only
equality of part ids is ever decided this way; everything reported still names the part ids.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np

from .column_cells import only_none
from .graph import line_codes, lines_codes
from .part_columns import PartTable

#: The code of a part id that is not in the parts table (or blank).
UNKNOWN = -1


def part_index(parts) -> dict:
    """Each part id of ``parts`` with its position (0, 1, ...) in the table (a
    :class:`~bomcalc.core.part_columns.PartTable`'s own, not to be changed)."""
    if isinstance(parts, PartTable):
        return parts.positions
    return dict(zip(parts, range(len(parts))))


def part_codes(ids: list, index: dict) -> np.ndarray:
    """The position in ``index`` (:func:`part_index`) of each id; :data:`UNKNOWN` for an id that
    is not there (or ``None``): :func:`bomcalc.core.graph.line_codes`, the one look-up of part ids."""
    return line_codes(index, ids)


def columns_codes(index: dict, *columns: list) -> tuple[np.ndarray, ...]:
    """:func:`part_codes` of each of ``columns`` (the parents and the children), looked up together."""
    return lines_codes(index, *columns)


def pair_codes(parent_codes: np.ndarray, child_codes: np.ndarray, size: int) -> np.ndarray:
    """One number per (parent, child) pair of known parts (codes below ``size``): equal pairs, equal numbers."""
    return parent_codes * max(1, size) + child_codes


def child_of_pairs(pairs: np.ndarray, size: int) -> np.ndarray:
    """The child codes of :func:`pair_codes` numbers."""
    return pairs % max(1, size)


def none_mask(cells: list) -> np.ndarray | None:
    """Whether each cell is ``None``; ``None`` (no mask built) when every cell is."""
    if only_none(cells):
        return None
    return np.fromiter(map(operator.is_, cells, itertools.repeat(None)), dtype=bool, count=len(cells))


def marked(cells: list, marker) -> np.ndarray | None:
    """Whether each cell is ``marker``; ``None`` (no mask built) when no cell is."""
    if not any(map(operator.is_, cells, itertools.repeat(marker))):
        return None
    return np.fromiter(map(operator.is_, cells, itertools.repeat(marker)), dtype=bool, count=len(cells))


def kept(values: list, keep: np.ndarray, dropped: np.ndarray) -> list:
    """The items of ``values`` where ``keep`` is True (``dropped``: the other positions, ascending)."""
    if len(dropped) * 64 > len(values):
        return list(itertools.compress(values, keep.tolist()))
    out: list = []
    start = 0
    for stop in dropped.tolist():
        out += values[start:stop]
        start = stop + 1
    out += values[start:]
    return out


def drop_in_place(columns: dict[str, list], dropped: list[int]) -> dict[str, list]:
    """``columns`` without the items at the (few, ascending) positions ``dropped``, deleted from
    the lists themselves (a list held under two names once): nothing else is copied."""
    for values in {id(values): values for values in columns.values()}.values():
        for position in reversed(dropped):
            del values[position]
    return columns
