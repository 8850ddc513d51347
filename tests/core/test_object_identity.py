"""Columns of objects told apart by identity, and tables read a column at a time (core layer).

:func:`~bomcalc.core.arrays.object_addresses` reads which object each cell of an ``object``
array holds without touching the objects; :func:`~bomcalc.core.arrays.is_none` and the floats of
a long lines column (:func:`~bomcalc.core.arrays._floats` with ``repeats``) are built on it.
:func:`~bomcalc.core.frames.row_dicts` is ``DataFrame.to_dict("records")`` a column at a time.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core import arrays, frames

#: Cells a column may hold: None, NaN-likes that are not None, numbers on every edge a float has.
ODD = [None, float("nan"), pd.NA, pd.NaT, Decimal("NaN"), Decimal(0), Decimal("-0"), Decimal("1E-400"),
       Decimal("1E+400"), Decimal("-1.5"), Decimal("0.7"), Decimal("1E-320"), Decimal("Infinity"), "", "x", 0, False]


def objects(cells: list) -> np.ndarray:
    array = np.empty(len(cells), dtype=object)
    array[:] = cells
    return array


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(range(len(ODD))), max_size=80), st.integers(1, 3))
def test_addresses_are_the_ids_of_the_cells_and_none_is_the_none_object(picks, step):
    cells = objects([ODD[i] if i % 4 else Decimal(ODD[i] is None and 1 or 2) for i in picks])  # some new objects
    view = cells[::step]  # a strided view: read through a contiguous copy
    assert arrays.object_addresses(view).tolist() == [id(cell) for cell in view]
    assert arrays.is_none(view).tolist() == [cell is None for cell in view]


def test_an_empty_column_has_no_addresses_and_a_table_is_not_a_column():
    assert arrays.object_addresses(objects([])).tolist() == []
    assert arrays.is_none(objects([])).dtype == bool
    assert arrays.is_none(np.array([1.5, np.nan])).tolist() == [False, False]  # a float column holds no None
    with pytest.raises(ValueError, match="one dimension"):
        arrays.object_addresses(np.full((2, 2), None, dtype=object))


def test_a_column_of_nothing_but_none_and_one_with_pandas_missing_values():
    assert arrays.is_none(objects([None] * 3000)).all()
    mixed = objects([pd.NA, None, float("nan"), pd.NaT, Decimal("NaN")] * 500)
    assert arrays.is_none(mixed).tolist() == [False, True, False, False, False] * 500


def same_floats(one, other) -> bool:
    (a, a_ok), (b, b_ok) = one, other
    return (np.array_equal(a, b, equal_nan=True) and a_ok.tolist() == b_ok.tolist()
            and np.signbit(a).tolist() == np.signbit(b).tolist())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(range(len(ODD) - 4)), min_size=1, max_size=12), st.integers(0, 2**32 - 1),
       st.booleans())
def test_a_long_column_of_few_objects_gets_the_floats_of_each_cell(pool, seed, fresh):
    """Equal objects are converted once; equal numbers that are other objects, and every edge a float has
    (underflow, overflow, subnormals, negative zero, NaN), come out as when every cell is converted."""
    rng = np.random.default_rng(seed)
    numbers = [ODD[i] for i in pool if ODD[i] is None or isinstance(ODD[i], Decimal)] or [None]
    cells = [numbers[k] for k in rng.integers(0, len(numbers), 3000)]
    if fresh:  # the same numbers as other objects, here and there
        cells = [Decimal(str(c)) if c is not None and k % 7 == 0 else c for k, c in enumerate(cells)]
    column = objects(cells)
    assert same_floats(arrays._floats(column, repeats=True), arrays._floats(column))
    expected = [math.nan if c is None else float(c) for c in cells]
    assert np.array_equal(arrays._floats(column, repeats=True)[0], np.array(expected), equal_nan=True)


def test_a_long_column_of_distinct_objects_is_converted_cell_by_cell():
    cells = objects([Decimal(k) / 7 for k in range(3000)])
    floats, trusted = arrays._floats(cells, repeats=True)
    assert floats.tolist() == [float(c) for c in cells] and trusted.all()


COLUMNS = {
    "int": pd.Series([1, 2, 3], dtype="int64"),
    "float": pd.Series([1.5, math.nan, -0.0]),
    "bool": pd.Series([True, False, True]),
    "object": pd.Series([Decimal("1.10"), None, ["DY", "TB"]], dtype=object),
    "numpy scalars": pd.Series([np.float64(2.5), np.int64(7), np.bool_(True)], dtype=object),
    "text": pd.Series(["a", None, "c"], dtype=object),
    "str": pd.Series(["a", math.nan, "c"], dtype="str"),
    "dates": pd.to_datetime(pd.Series(["2026-11-10", None, "2026-11-11"])),
    "Int64": pd.array([1, None, 3], dtype="Int64"),
    "boolean": pd.array([True, None, False], dtype="boolean"),
    "category": pd.Categorical(["part1", "part2", "part1"]),
}


def typed(rows: list[dict]) -> list[list]:
    return [[(name, type(cell), repr(cell)) for name, cell in row.items()] for row in rows]


@pytest.mark.parametrize("names", [list(COLUMNS), ["object", "int"], ["numpy scalars"], []])
def test_row_dicts_are_to_dict_records(names):
    frame = pd.DataFrame({name: COLUMNS[name] for name in names}, index=range(3))
    frame.index = [10, 11, 12]  # the rows' labels are not part of the records
    assert not frame.isna().all().any()
    assert typed(frames.row_dicts(frame)) == typed(frame.to_dict("records"))
    assert len(frames.row_dicts(frame)) == 3


def test_row_dicts_keep_the_objects_a_table_holds_and_refuse_repeated_names():
    cell = ["DY"]
    frame = pd.DataFrame({"a": pd.Series([cell], dtype=object)})
    assert frames.row_dicts(frame)[0]["a"] is cell
    with pytest.raises(ValueError, match="unique"):
        frames.row_dicts(pd.DataFrame([[1, 2]], columns=["a", "a"]))
