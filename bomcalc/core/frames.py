"""The lines table of a :class:`~bomcalc.core.model.Bom` built a column at a time (core layer).

A BOM of a million lines makes a table of ten million cells. Each column here becomes one
object array in a single C pass (``numpy.fromiter``) and the table takes the arrays as they are
(no copy into one two-dimensional block). The cells are the very objects given, every column of
dtype ``object``: the table a dict of object ``Series`` gives, in a fraction of the time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def columns_frame(columns: dict, names) -> pd.DataFrame:
    """The ``object`` table of ``columns`` (``{name: list}``, every list as long) with the columns ``names`` in order."""
    names = list(names)
    size = len(columns[names[0]]) if names else 0
    return pd.DataFrame({name: np.fromiter(columns[name], object, size) for name in names}, columns=names,
                        dtype=object, copy=False)

