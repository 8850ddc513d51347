"""A table read column-wise keeps its cells as read: the checks read its lists, never change them,
and its frame is built only when something reads it."""

from __future__ import annotations

import pytest

from bomcalc.core.errors import BomDataError
from bomcalc.core.frames import TableCells, column_list, column_names, table_size
from bomcalc.core.ledger import RowLedger
from bomcalc.core.model import build_bom
from bomcalc.io.readers import table_from_rows

PARTS = [
    ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1"],
    ["TOP", "Actuator", "DE", "", "USD", "ea", ""],
    ["MAG", "magnet", "JP", "250", "USD", "ea", "part2"],
    [" DY ", "dysprosium", "CN", "340", "USD", "kg", "part1"],
    ["", "", "", "", "", "", ""],
    ["FE", "iron", "DE", "1.5", "USD", "kg", ""],
]
LINES = [
    ["parent", "child", "qty", "uom"],
    ["TOP", "MAG", "2", ""],
    ["MAG", "DY", "0.004", "kg"],
    ["", "", "", ""],
    ["TOP", "MAG", "1", ""],  # the same line again: merged, the lines deleted in place
    ["MAG", "FE", "0.1", "kg"],
]
BAD_LINES = LINES + [["TOP", "GHOST", "1", ""], ["MAG", "FE", "lots", ""], ["FE", "FE", "1", ""]]


def _tables(lines):
    issues, ledger = [], RowLedger()
    parts = table_from_rows("parts", [list(row) for row in PARTS], "parts.csv", "parts", issues, ledger)
    bom = table_from_rows("bom", [list(row) for row in lines], "bom.csv", "bom", issues, ledger)
    return parts, bom, issues, ledger


def _held(table) -> dict:
    """Each column's cells as held now: a list of its own, with the very cell objects."""
    return {name: list(column_list(table, name)) for name in column_names(table)}


@pytest.mark.parametrize("lines", [LINES, BAD_LINES], ids=["builds", "errors"])
def test_building_reads_the_tables_cells_and_leaves_them_as_read(lines):
    parts, bom, issues, ledger = _tables(lines)
    before = [_held(parts), _held(bom)]
    try:
        built = build_bom(parts, bom, ledger=ledger, issues=issues)
    except BomDataError as error:
        assert lines is BAD_LINES, [str(issue) for issue in error.issues]
    else:
        assert lines is LINES
        assert list(built.lines["qty"].map(str)) == ["3", "0.004", "0.1"]  # the repeated line merged
    for table, held in zip((parts, bom), before):
        assert isinstance(table.__dict__["frame"], TableCells)  # the checks did not build the frame
        after = _held(table)
        assert after == held
        assert all(a is b for name in held for a, b in zip(after[name], held[name]))


def test_the_frame_is_built_from_the_cells_the_first_time_it_is_read():
    parts, bom, _, _ = _tables(LINES)
    assert table_size(bom) == len(bom.rows) == 5 and column_names(bom) == ["parent", "child", "qty", "uom"]
    frame = bom.frame
    assert bom.frame is frame and not isinstance(bom.__dict__["frame"], TableCells)
    assert list(frame.columns) == ["parent", "child", "qty", "uom"] and len(frame) == 5
    assert frame["parent"].tolist() == ["TOP", "MAG", "", "TOP", "MAG"] and frame["qty"].tolist()[2] is None
    assert column_list(bom, "qty") == frame["qty"].tolist()  # read from the frame once it is built
