"""The lines table of a :class:`~bomcalc.core.model.Bom` built a column at a time (core layer).

A BOM of a million lines makes a table of ten million cells. Each column here becomes one
object array in a single C pass (``numpy.fromiter``) and the table takes the arrays as they are
(no copy into one two-dimensional block). The cells are the very objects given, every column of
dtype ``object``: the table a dict of object ``Series`` gives, in a fraction of the time.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np
import pandas as pd


def columns_frame(columns: dict, names) -> pd.DataFrame:
    """The ``object`` table of ``columns`` (``{name: list}``, every list as long) with the columns ``names`` in order."""
    names = list(names)
    size = len(columns[names[0]]) if names else 0
    return pd.DataFrame({name: _objects(columns[name], size) for name in names}, columns=names, dtype=object, copy=False)


def _objects(cells: list, size: int) -> np.ndarray:
    """``cells`` as an ``object`` array; a column of nothing but ``None`` is a new array of ``None``.
    Cells are told from ``None`` by identity: ``Decimal("1") == None`` is slow to answer."""
    if (isinstance(cells, list) and len(cells) == size and size and cells[0] is None
            and not any(map(operator.is_not, cells, itertools.repeat(None)))):
        return np.full(size, None, dtype=object)
    return np.fromiter(cells, object, size)

