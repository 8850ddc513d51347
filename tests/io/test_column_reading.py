"""Canonical tables read column-wise give what reading every cell one by one gives.

Each case writes a parts and a bom table from a random mix of clean and messy cells (plain
numbers, locale numbers, padded cells, "unknown", blanks, units in a number cell, non-ASCII
and invisible characters in part ids, duplicated ids, unknown parts, rows with an extra field,
blank rows) and reads it twice: with the column paths of :mod:`bomcalc.core.column_cells` and
with every cell through its one-cell reader (``FAST = False``). The parsed tables, the issues
(file, sheet, row, part, message) and every row's fate must be the same.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bomcalc
from bomcalc.core import column_cells
from bomcalc.core.errors import BomDataError
from bomcalc.core.values import part_id_change, to_bool, to_country, to_decimal, to_flag, to_text
from bomcalc.io.numbers import NumberStyle, parse_or_keep, parse_or_keep_column

IDS = ["P1", "P2", "P3", "MAG-\u00c9", "MAG-E\u0301", " P2 ", "P1\u200b", "P\u00a03", "", "P4", "p1", "P\t2"]
NUMBERS = ["12", "1,5", "1.250,00", " 12 ", "unknown", "", "3 kg", "0.5", "-1", "0", "1.234", "007", "1 000",
           "\u0661\u0662", "(2.5)", "1e-3"]
PLAIN_NUMBERS = ["1", "2", "0.25", "10", "3.5"]
ORIGINS = ["CN", "cn", "China", "", "HK", "XX", "JP", "unknown"]
ANNEX1 = ["", "part1", "p2", "unknown", "bogus", "2"]
CURRENCIES = ["USD", "usd", "XYZ", "", "EUR"]
BOOLS = ["", "TRUE", "no", "maybe", "False", "1"]
UOMS = ["", "kg", "g", "EA", "m", "bogus"]


#: Cells that read without an error (some with a warning), so that a read gives a BOM to compare.
CLEAN = {"origin": ["CN", "JP", "", "unknown", "China", "HK"], "annex1": ["", "part1", "p2", "unknown", "2"],
         "currency": ["USD", "usd"], "bool": ["", "TRUE", "False", "no"], "uom": ["", "EA", "ea"],
         "number": PLAIN_NUMBERS + [" 12 ", "007", "1e-3"]}
MESSY = {"origin": ORIGINS, "annex1": ANNEX1, "currency": CURRENCIES, "bool": BOOLS, "uom": UOMS, "number": NUMBERS}


def _pools(draw) -> dict:
    """Each kind of cell drawn from the clean or the messy pool."""
    return {kind: (MESSY if draw(st.integers(0, 5)) == 0 else CLEAN)[kind] for kind in CLEAN}


def _parts_rows(draw, pools: dict, messy_ids: bool):
    count = draw(st.integers(1, 8))
    rows = []
    for index in range(count):
        part = draw(st.sampled_from(IDS)) if messy_ids and draw(st.booleans()) else f"P{index + 1}"
        rows.append([part, draw(st.sampled_from(["", "a part", " spaced "])), draw(st.sampled_from(pools["origin"])),
                     draw(st.sampled_from(pools["number"] + [""])), draw(st.sampled_from(pools["currency"])),
                     draw(st.sampled_from(pools["uom"])), draw(st.sampled_from(pools["annex1"])),
                     draw(st.sampled_from(pools["bool"]))])
    return rows


@st.composite
def workbooks(draw):
    """``(parts rows, bom rows)`` of a canonical workbook, each kind of cell clean or messy."""
    pools, messy_ids, messy_rows = _pools(draw), draw(st.integers(0, 3)) == 0, draw(st.integers(0, 3)) == 0
    parts = _parts_rows(draw, pools, messy_ids)
    pool = [row[0] for row in parts] + (IDS if messy_ids else [])
    bom = []
    for _ in range(draw(st.integers(0, 10))):
        if messy_ids and draw(st.booleans()):
            parent, child = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        elif len(parts) > 1:  # a parent above its child in the parts list: no cycles
            first = draw(st.integers(0, len(parts) - 2))
            parent, child = parts[first][0], parts[draw(st.integers(first + 1, len(parts) - 1))][0]
        else:
            continue
        row = [parent, child, draw(st.sampled_from(pools["number"])),
               draw(st.sampled_from(["", ""] + (UOMS if pools["uom"] is UOMS else [])))]
        if messy_rows and draw(st.integers(0, 4)) == 0:
            row = [""] * 4 if draw(st.booleans()) else row + ["extra"]
        bom.append(row)
    return parts, bom


PARTS_HEADER = ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology"]
BOM_HEADER = ["parent", "child", "qty", "uom"]


def _write_folder(folder, parts, bom):
    folder.mkdir()
    for name, header, rows in (("parts", PARTS_HEADER, parts), ("bom", BOM_HEADER, bom)):
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header] + rows)
    return folder


def _write_xlsx(path, parts, bom):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, header, rows in (("parts", PARTS_HEADER, parts), ("bom", BOM_HEADER, bom)):
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:  # numbers that are plain go in as numbers, the rest as text
            sheet.append([_typed(cell) for cell in row])
    book.save(path)
    return path


def _typed(cell: str):
    if cell in ("1", "2", "10"):
        return int(cell)
    if cell in ("0.25", "3.5", "0.5"):
        return float(cell)
    return cell if cell != "" else None


def _outcome(path):
    """Everything a read gives that the column paths could change."""
    try:
        bom = bomcalc.read_workbook(path)
    except BomDataError as exc:
        return ("error", exc.issues, exc.accounts, exc.row_fates)
    return ("bom", bom.parts.to_dict("records"), bom.lines.to_dict("records"), list(bom.issues), bom.accounts,
            bom.row_fates)


def _both_ways(path):
    fast = _outcome(path)
    column_cells.FAST = False
    try:
        slow = _outcome(path)
    finally:
        column_cells.FAST = True
    return fast, slow


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workbooks())
def test_columns_read_as_cells_do_in_a_csv_folder(tmp_path_factory, case):
    folder = _write_folder(tmp_path_factory.mktemp("case") / "bom", *case)
    fast, slow = _both_ways(folder)
    assert fast == slow


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workbooks())
def test_columns_read_as_cells_do_in_a_workbook(tmp_path_factory, case):
    path = _write_xlsx(tmp_path_factory.mktemp("case") / "bom.xlsx", *case)
    fast, slow = _both_ways(path)
    assert fast == slow


CELLS = st.one_of(st.sampled_from(IDS + NUMBERS + ORIGINS + BOOLS + [None, True, False, 0, 1, 2.5, float("nan"), float("inf")]),
                  st.text(max_size=6), st.decimals(allow_nan=False, places=3), st.integers(-5, 5),
                  st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, max_size=12), st.sampled_from([None, NumberStyle("."), NumberStyle(",", "."), NumberStyle(".", ",")]))
def test_each_column_reader_matches_its_one_cell_reader(cells, style):
    assert column_cells.text_column(cells) == [to_text(cell) for cell in cells]
    ids, notes = column_cells.part_id_column(cells)
    assert list(zip(ids, notes)) == [part_id_change(cell) for cell in cells]
    assert parse_or_keep_column(cells, style) == [parse_or_keep(cell, style) for cell in cells]
    for strict in (True, False):
        for cell, read in zip(cells, column_cells.number_column(cells, strict=strict)):
            if read is not column_cells.SLOW:
                assert read == to_decimal(cell) and (read is None or read > 0 or (not strict and read == 0))
    for cell, read in zip(cells, column_cells.bool_column(cells)):
        if read is not column_cells.SLOW:
            assert read == bool(to_bool(cell))
        else:
            assert cell is not None and not isinstance(cell, (str, bool)) or _raises(to_bool, cell)
    for cell, read in zip(cells, column_cells.clean_origin_column(cells)):  # text and blanks only
        assert read is column_cells.SLOW if not (cell is None or isinstance(cell, str)) else (
            read is column_cells.SLOW or (read == to_country(cell)[0] and to_country(cell)[1] is None))
    for cell, read in zip(cells, column_cells._by_value(cells, to_flag, (str, bool))):
        assert read is column_cells.SLOW if not (cell is None or isinstance(cell, (str, bool))) else (
            read is column_cells.SLOW and _raises(to_flag, cell) or read == to_flag(cell))


def test_a_column_reader_reads_only_the_kinds_of_cell_it_is_given():
    slow = column_cells.SLOW
    assert column_cells._by_value(["a", True, None, "a"], repr, (str,)) == ["'a'", slow, "None", "'a'"]
    assert column_cells._by_value([True, None, False], repr, (str, bool)) == ["True", "None", "False"]
    assert column_cells._by_value([True, 1, 1.0], repr, (str, bool)) == ["True", slow, slow]  # 1 == True: not by value
    assert column_cells._by_value(["x"] * 3, str.upper) == ["X"] * 3


def _raises(read, cell) -> bool:
    try:
        read(cell)
    except ValueError:
        return True
    return False


def test_a_clean_column_takes_the_column_path_and_a_messy_cell_the_one_cell_path():
    assert column_cells.part_id_column(["P1", " P2 ", ""]) == (["P1", "P2", None], [None, None, None])
    ids, notes = column_cells.part_id_column(["P1", "MAG-E\u0301"])
    assert ids == ["P1", "MAG-\u00c9"] and notes[0] is None and "NFC" in notes[1]
    assert column_cells.number_column([Decimal("2"), None, Decimal("0"), "3 kg"], strict=True) == [
        Decimal("2"), None, column_cells.SLOW, column_cells.SLOW]
    assert parse_or_keep_column(["1,5", "1.250,00", "3 kg", " 12 "], NumberStyle(",", ".")) == [
        Decimal("1.5"), Decimal("1250.00"), "3 kg", Decimal("12")]


@pytest.mark.parametrize("fast", [True, False])
def test_a_duplicated_non_ascii_part_id_is_reported_once_either_way(tmp_path, fast):
    folder = _write_folder(tmp_path / "bom", [["MAG-\u00c9", "", "JP", "2", "USD", "ea", "", ""],
                                              ["MAG-E\u0301", "", "JP", "3", "USD", "ea", "", ""]], [])
    column_cells.FAST = fast
    try:
        with pytest.raises(BomDataError) as caught:
            bomcalc.read_workbook(folder)
    finally:
        column_cells.FAST = True
    codes = [(issue.code, issue.row, issue.part_id) for issue in caught.value.issues]
    assert ("duplicate_part", 3, "MAG-\u00c9") in codes
    assert ("part_id_normalised", 3, "MAG-\u00c9") in codes


@pytest.mark.parametrize("body", [
    [["A", "B", "1"], ["C", "D", "2"]],
    [["A", "B", "1"], ["C"], [], ["E", "F", "3", "extra"]],  # short, empty and long rows
    [["A", 1.5, None], [" ", True, "x"]],
])
def test_rows_frame_reads_columns_the_same_as_row_by_row(monkeypatch, body):
    from bomcalc.core import column_cells
    from bomcalc.io.sheets import rows_frame

    frames = []
    for fast in (True, False):
        monkeypatch.setattr(column_cells, "FAST", fast)
        frames.append(rows_frame(body, ["part_id", "qty", "uom"], [0, 2, 1]))
    fast, slow = frames
    assert fast.equals(slow) and list(fast.dtypes) == [object] * 3 and fast.index.equals(slow.index)
    assert [fast[c].tolist() for c in fast.columns] == [slow[c].tolist() for c in slow.columns]
    assert fast["qty"].tolist()[:2] == [body[0][2], body[1][2] if len(body[1]) > 2 else None]


DECIMALS = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=4),
                     st.sampled_from([Decimal("0"), Decimal("-0"), Decimal("0E-30"), Decimal("1E-400"), Decimal("-1E-400"),
                                      Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity")]))


@settings(max_examples=300, deadline=None)
@given(st.lists(DECIMALS, max_size=12), st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(-1)]), st.booleans())
def test_a_column_of_decimals_reads_each_cell_as_itself_or_slow(cells, minimum, strict):
    """A parsed column (``Decimal`` and ``None`` only) read at once: every finite cell at or above the
    minimum (above it when strict) is the very same object, ``None`` stays ``None``, and any other cell
    (NaN, infinity, below the minimum) is SLOW, as when each cell is looked at alone."""
    def alone(cell):
        if cell is None:
            return None
        if cell.is_finite() and (cell > minimum if strict else cell >= minimum):
            return cell
        return column_cells.SLOW

    read = column_cells.number_column(cells, minimum, strict)
    assert len(read) == len(cells) and all(got is alone(cell) for got, cell in zip(read, cells))
    every_cell_itself = all(alone(cell) is cell for cell in cells)
    assert column_cells.all_decimals_from(cells, minimum, strict) is every_cell_itself
    assert column_cells.decimals_with_blanks(cells, minimum, strict) == (
        any(cell is None for cell in cells) if every_cell_itself else None)
