"""Part ids as positions in the parts table, and the column steps built on them (core layer)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core import column_cells, frames, part_codes
from bomcalc.core.column_cells import SLOW
from bomcalc.core.part_codes import UNKNOWN

PARTS = {"TOP": {}, "MAG": {}, "DY": {}}


def test_a_part_id_becomes_its_position_and_an_unknown_or_blank_one_unknown():
    index = part_codes.part_index(PARTS)
    codes = part_codes.part_codes(["DY", None, "GHOST", "TOP", "dy", "MAG"], index)
    assert codes.tolist() == [2, UNKNOWN, UNKNOWN, 0, UNKNOWN, 1]


def test_equal_pairs_are_equal_numbers_and_the_child_comes_back():
    parents, children = np.array([0, 0, 1, 0, 2]), np.array([1, 2, 2, 1, 1])
    pairs = part_codes.pair_codes(parents, children, 3)
    assert pairs.tolist() == [1, 2, 5, 1, 7]  # rows 1 and 4 are the same line
    assert part_codes.child_of_pairs(pairs, 3).tolist() == children.tolist()


def test_a_mask_is_built_only_when_some_cell_is_the_marker():
    assert part_codes.none_mask([None, None]) is None
    assert part_codes.none_mask([None, 0, "", None]).tolist() == [True, False, False, True]  # 0 and "" are not None
    assert part_codes.marked([1, 2], SLOW) is None
    assert part_codes.marked([1, SLOW, None], SLOW).tolist() == [False, True, False]


_ODD_CELLS = [None, None, 0, "", float("nan"), Decimal("0"), Decimal("NaN"), False, pd.NA, np.array([1, 2]), SLOW, "None"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(range(len(_ODD_CELLS))), max_size=8))
def test_a_column_is_only_none_when_every_cell_is_none_itself(picks):
    cells = [_ODD_CELLS[i] for i in picks]
    expected = all(cell is None for cell in cells)
    assert column_cells.only_none(cells) is expected
    mask = part_codes.none_mask(cells)
    assert (mask is None) if expected else (mask.tolist() == [cell is None for cell in cells])
    column = frames.columns_frame({"cells": cells}, ["cells"])["cells"].tolist()
    assert len(column) == len(cells) and all(a is b for a, b in zip(column, cells))  # the very cells, None or not


@pytest.mark.parametrize("dropped", [[], [0], [3, 4], [999], list(range(0, 1000, 3))], ids=["none", "first", "two", "last", "many"])
def test_kept_items_are_those_compress_keeps_whether_few_or_many_are_dropped(dropped):
    values = [f"v{i}" for i in range(1000)]
    keep = np.ones(len(values), dtype=bool)
    keep[dropped] = False
    expected = list(itertools.compress(values, keep.tolist()))
    assert part_codes.kept(values, keep, np.flatnonzero(~keep)) == expected
    assert len(expected) == 1000 - len(dropped)


def test_a_list_held_under_two_names_loses_each_dropped_item_once():
    shared, own = ["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5]
    columns = part_codes.drop_in_place({"uom": shared, "given_uom": shared, "qty": own}, [1, 3])
    assert columns == {"uom": ["a", "c", "e"], "given_uom": ["a", "c", "e"], "qty": [1, 3, 5]}
    assert columns["uom"] is columns["given_uom"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(["A", "b", "7", "-", " ", "\t", "\u00a0", "\u2003", "é", "\x1f"]),
                        max_size=4), max_size=12))
def test_text_and_part_id_columns_read_as_each_cell_does(cells):
    from bomcalc.core.values import part_id_change, to_text

    assert column_cells.text_column(list(cells)) == [to_text(cell) for cell in cells]
    ids, notes = column_cells.part_id_column(list(cells))
    assert list(zip(ids, notes)) == [part_id_change(cell) for cell in cells]
    kept = list(cells)
    assert column_cells.text_column(kept) is not kept  # a column of its own, never the cells given


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x3000)) | st.text(alphabet=st.sampled_from(["a", " ", "~", "\x7f", "\x1f", "\t"])))
def test_printable_ascii_is_isascii_and_isprintable(text):
    assert column_cells.printable_ascii(text) is (text.isascii() and text.isprintable())
