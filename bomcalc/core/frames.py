"""Tables of ``object`` cells built a column at a time, and only when read (core layer).

A BOM of a million lines makes a table of ten million cells. Each column here becomes one
object array in a single C pass (``numpy.fromiter``) and the table takes the arrays as they are
(no copy into one two-dimensional block). The cells are the very objects given, every column of
dtype ``object``: the table a dict of object ``Series`` gives, in a fraction of the time.

A table a reader read column-wise is held as its lists (:class:`TableCells`) and becomes a table
only when something reads its ``frame``; the checks of the cells read the lists
(:func:`column_names`, :func:`column_list`, :func:`table_size`). The other way, a table's rows
become dicts a column at a time (:func:`row_dicts`), not a cell at a time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .column_cells import only_none


def columns_frame(columns: dict, names) -> pd.DataFrame:
    """The ``object`` table of ``columns`` (``{name: list}``, every list as long) with the columns ``names`` in order."""
    names = list(names)
    size = len(columns[names[0]]) if names else 0
    return pd.DataFrame({name: _objects(columns[name], size) for name in names}, columns=names, dtype=object, copy=False)


def _objects(cells: list, size: int) -> np.ndarray:
    """``cells`` as an ``object`` array; a column of nothing but ``None`` is a new array of ``None``.
    Cells are told from ``None`` without asking them (:func:`~bomcalc.core.column_cells.only_none`)."""
    if isinstance(cells, list) and len(cells) == size and size and cells[0] is None and only_none(cells):
        return np.full(size, None, dtype=object)
    return np.fromiter(cells, object, size)


class TableCells:
    """A table's cells as read, one list per column (``cells[name]``, every list ``size`` long), the
    columns in the order ``names``: what a :class:`~bomcalc.core.model.RawTable` read column-wise holds
    until its ``frame`` is read (:class:`~bomcalc.core.built_on_read.BuiltOnRead`). The column checks
    read the lists themselves, so a check never builds the table only to take its columns apart again."""

    __slots__ = ("cells", "names", "size")

    def __init__(self, cells: dict[str, list], names, size: int):
        self.cells, self.names, self.size = cells, list(names), size

    def build(self) -> pd.DataFrame:
        """The ``object`` table of these cells."""
        if not self.names:
            return pd.DataFrame(index=pd.RangeIndex(self.size), columns=[], dtype=object)
        return columns_frame(self.cells, self.names)


def column_names(table) -> list:
    """The column names of a :class:`~bomcalc.core.model.RawTable`, in order, its frame left unbuilt."""
    value = table.__dict__.get("frame")
    return list(value.names) if isinstance(value, TableCells) else list(table.frame.columns)


def column_list(table, name: str) -> list:
    """The cells of column ``name`` of a :class:`~bomcalc.core.model.RawTable` (which has it): the list
    it holds, not to be changed, or a new list of its frame's column."""
    value = table.__dict__.get("frame")
    return value.cells[name] if isinstance(value, TableCells) else table.frame[name].tolist()


def table_size(table) -> int:
    """The number of rows of a :class:`~bomcalc.core.model.RawTable`'s frame, its frame left unbuilt."""
    value = table.__dict__.get("frame")
    return value.size if isinstance(value, TableCells) else len(table.frame)


def row_dicts(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")``: one dict per row, ``{column: cell}``, in column order, taken a column
    at a time (``Series.tolist``) rather than a cell at a time. As ``to_dict`` gives them, numbers of a
    numeric column and NumPy scalars held in an ``object`` column are plain Python ``int``, ``float`` and
    ``bool``; every other object is the one the table holds. Column names must be unique."""
    if not frame.columns.is_unique:
        raise ValueError("row_dicts needs unique column names")
    names = list(frame.columns)
    columns = [_plain(frame[name]) for name in names]
    return [dict(zip(names, row)) for row in zip(*columns)] if names else [{} for _ in range(len(frame))]


def _plain(column: pd.Series) -> list:
    """The cells of ``column`` as a list, a NumPy scalar in an ``object`` column made a Python one; a
    column of a pandas extension type (nullable integers, say) cell by cell as ``to_dict`` reads it."""
    if not isinstance(column.dtype, np.dtype):
        return [row[0] for row in column.to_frame().to_dict("split")["data"]]
    cells = column.tolist()
    if column.dtype == object and any(issubclass(kind, np.generic) for kind in set(map(type, cells))):
        return [cell.item() if isinstance(cell, np.generic) else cell for cell in cells]
    return cells
