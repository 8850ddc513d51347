"""Part records built from whole columns are the records read one cell at a time, on messy tables."""

import copy
import pickle
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core import column_cells
from bomcalc.core.ledger import RowLedger
from bomcalc.core.model import RawTable
from bomcalc.core.part_columns import PartTable, annex1_columns, column, first_rows, rows_to_read
from bomcalc.core.tables import parse_parts

COLUMNS = ["part_id", "description", "origin", "unit_value", "price_unit", "currency", "uom", "annex1", "cn_technology",
           "phantom", "us_controlled", "supplier", "hs_code"]
#: One quirk a row: blank rows, repeated and odd part ids, bad and unusual values, between clean rows.
MESSY = [
    ["TOP", "top", "DE", None, None, "USD", "ea", None, None, None, None, None, None],
    [None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["MAG", " magnet ", "JP", Decimal("12.5"), None, "usd", "ea", "part2", "no", None, "yes", " ACME ", "8505.11"],
    ["MAG", "again", "CN", Decimal("3"), None, "USD", "ea", None, None, None, None, None, None],
    ["X\u200b1", "zero-width", "DE", Decimal("1"), None, "USD", "ea", None, None, None, None, None, None],
    [None, "no id", "DE", Decimal("1"), None, "USD", "ea", None, None, None, None, None, None],
    ["  ", "   ", "", None, None, "", None, None, None, None, None, None, None],
    ["HKP", "hong kong", "HK", Decimal("-2"), None, "US$", "ea", "part3", "maybe", "yes", "perhaps", None, None],
    ["PRICED", "per hundred", "china", Decimal("250"), Decimal("100"), "EUR", "ea", "P1", "TRUE", None, "no", None, None],
    ["ODD", "odd price unit", "Deutschland", Decimal("7"), Decimal("3"), " eur", "ea", "unknown", None, "0", None, None, None],
    ["ZERO", "price unit zero", "n/a", Decimal("1"), Decimal("0"), "USD", "ea", "?", None, None, None, None, None],
    ["X1", "same as the zero-width id", "DE", Decimal("2"), None, "USD", "ea", None, None, None, None, None, None],
    [1234.0, "number id", "US", 5.5, None, "USD", "ea", "part1", True, False, None, None, None],
    ["LAST", "last", "VN", Decimal("0.01"), None, "USD", "ea", None, None, None, None, None, None],
]


def _read(monkeypatch, frame: pd.DataFrame, fast: bool, rows=None):
    monkeypatch.setattr(column_cells, "FAST", fast)
    issues, ledger = [], RowLedger()
    table = RawTable("parts", frame.copy(), tuple(rows or range(2, len(frame) + 2)), file="parts.csv", sheet="parts")
    records = parse_parts(table, issues, ledger)
    return records, issues, ledger.fates(), ledger.accounts()


def _both_ways(monkeypatch, frame, rows=None):
    fast, slow = _read(monkeypatch, frame, True, rows), _read(monkeypatch, frame, False, rows)
    assert list(fast[0]) == list(slow[0])  # the same parts, in the same order
    for part_id in slow[0]:
        assert list(fast[0][part_id].items()) == list(slow[0][part_id].items()), part_id  # same keys, order, values
    assert fast[1:] == slow[1:]  # the same issues in the same order, the same fate for every row
    return fast


def test_messy_parts_read_the_same_from_columns_and_one_cell_at_a_time(monkeypatch):
    records, issues, fates, (account,) = _both_ways(monkeypatch, pd.DataFrame(MESSY, columns=COLUMNS, dtype=object))
    assert list(records) == ["TOP", "MAG", "X1", "HKP", "PRICED", "ODD", "ZERO", "1234", "LAST"]
    assert records["MAG"]["row"] == 4 and records["MAG"]["description"] == "magnet" and records["MAG"]["currency"] == "USD"
    assert records["PRICED"]["unit_value"] == Decimal("2.5") and records["PRICED"]["annex1"] == "part1"
    assert records["X1"]["row"] == 6 and records["TOP"]["hs_code"] == "" and records["MAG"]["hs_code"] == "8505.11"
    assert (records["MAG"]["supplier"], records["TOP"]["supplier"], records["1234"]["description"]) == ("ACME", None, "number id")
    assert records["HKP"]["origin"] == "HK" and records["HKP"]["unit_value"] is None and records["1234"]["unit_value"] == Decimal("5.5")
    codes = [(issue.code, issue.row) for issue in issues]
    assert ("duplicate_part", 5) in codes and ("duplicate_part", 13) in codes  # MAG again; X1 after the zero-width X1
    assert ("missing_part_id", 7) in codes and ("part_id_normalised", 6) in codes
    assert {code for code, row in codes if row == 9} == {"origin_hk_mo", "bad_unit_value", "currency_code", "bad_annex1",
                                                         "bad_cn_technology", "bad_us_controlled"}
    assert ("bad_unit_value", 11) in codes  # 7 per 3 units is not a finite decimal per unit
    assert ("bad_unit_value", 12) in codes  # a price unit of 0
    fate = {f.row: f.fate for f in fates}
    assert (fate[3], fate[8], fate[5], fate[7], fate[9], fate[2], fate[15]) == (
        "skipped", "skipped", "rejected", "rejected", "rejected", "used", "used")
    assert (account.read, account.used, account.skipped, account.rejected) == (14, 6, 2, 6)


def test_clean_parts_and_parts_of_a_single_sheet_read_the_same_both_ways(monkeypatch):
    clean = [row for row in MESSY if row[0] in ("TOP", "LAST")] + [[f"P{i}", "part", "CN", Decimal(i), None, "USD", "ea",
                                                                     "part1" if i % 2 else None, None, None, None, None, None]
                                                                    for i in range(50)]
    records, issues, _, (account,) = _both_ways(monkeypatch, pd.DataFrame(clean, columns=COLUMNS, dtype=object))
    assert len(records) == 52 and issues == [] and account.used == 52
    assert records["P3"]["annex1"] == "part1" and records["P3"]["annex1_known"] and not records["P4"]["annex1"]
    assert records["P4"]["where"] == {} and records["P4"]["where"] is records["P5"]["where"]  # one empty dict for all
    with pytest.raises(TypeError, match="shared"):  # ...which no change can reach every part through
        records["P4"]["where"]["origin"] = ("bom.xlsx", "BOM", 7)
    assert records["P5"]["where"] == {} and not records["P5"]["where"].get("origin")
    frame = pd.DataFrame(clean[:4], columns=COLUMNS, dtype=object)  # as a single-sheet reader hands them over
    frame["annex1_known"] = [True, None, False, True]
    frame["in_parts_data"] = [True, False, "no", None]
    frame["where"] = [{"origin": ("bom.xlsx", "BOM", 7)}, None, {}, {"unit_value": ("master.xlsx", "MARA", 3)}]
    records, issues, _, _ = _both_ways(monkeypatch, frame, rows=[7, None, 9, 10])
    assert records["TOP"]["where"] == {"origin": ("bom.xlsx", "BOM", 7)} and records["LAST"]["row"] is None
    assert [records[p]["in_parts_data"] for p in records] == [True, False, False, True]


@pytest.mark.parametrize("part_ids, kept, repeated", [
    (["A", "B", "C"], [0, 1, 2], set()),
    (["A", None, "A", "B", "B", None, "C"], [0, 3, 6], {2, 4}),
    ([None, None], [], set()),
])
def test_first_rows_keep_each_part_once_in_row_order(part_ids, kept, repeated):
    found_kept, found_repeated, positions = first_rows(part_ids)
    assert (list(found_kept), found_repeated) == (kept, repeated)
    assert positions == (dict(zip(part_ids, range(len(part_ids)))) if kept == list(range(len(part_ids))) else None)


def test_rows_to_read_are_every_row_with_something_to_say():
    slow = column_cells.SLOW
    clean = {"origin": ["CN", slow, "DE", "DE", "DE"], "unit_value": [Decimal(1), None, None, slow, None]}
    assert rows_to_read([False, False, True, False, False], ["A", "B", None, "D", "E"], [None, None, None, None, "note"],
                        {4}, clean) == [1, 2, 3, 4]


def test_a_part_record_reads_and_writes_its_row_of_the_columns(monkeypatch):
    records, _, _, _ = _read(monkeypatch, pd.DataFrame(MESSY, columns=COLUMNS, dtype=object), True)
    assert isinstance(records, PartTable) and "MAG" in records and "nope" not in records and len(records) == 9
    magnet = records["MAG"]
    assert magnet == {**dict(magnet), "origin": "JP"} and list(magnet)[:3] == ["part_id", "description", "hs_code"]
    magnet["origin"] = "VN"  # written through: the column, and a new view, see it
    assert records.columns["origin"][records.positions["MAG"]] == "VN" and records["MAG"]["origin"] == "VN"
    assert records["TOP"]["origin"] == "DE"  # no other row changed
    records["LAST"]["remark"] = "added"  # a new key becomes a column, None for the other parts
    assert records["LAST"]["remark"] == "added" and records["TOP"]["remark"] is None
    with pytest.raises(TypeError):
        del records["TOP"]["origin"]
    assert column(records, "origin") is records.columns["origin"]
    assert column({"A": {"origin": "CN"}, "B": {}}, "origin") == ["CN", None]  # plain records, read one by one
    with pytest.raises(ValueError, match="twice"):
        PartTable({"part_id": ["A", "A"]})


def test_the_parts_table_of_a_bom_is_its_records_cell_for_cell():
    from bomcalc.core.model import bom_from_records

    parts = [{"part_id": f"P{i}", "description": f"part {i}", "origin": ("CN", "DE", None)[i % 3], "unit_value": i,
              "currency": "USD", "uom": "ea", "annex1": "part1" if i % 4 == 0 else None} for i in range(1, 40)]
    bom = bom_from_records(parts, [("P1", f"P{i}", 2) for i in range(2, 40)])
    assert list(bom.parts.index) == [f"P{i}" for i in range(1, 40)] and (bom.parts.dtypes == object).all()
    assert bom.parts.loc["P8", "annex1"] == "part1" and bom.parts.loc["P2", "origin"] is None
    assert bom.parts.loc["P5", "unit_value"] == Decimal(5) and bom.parts.loc["P5", "row"] == 6
    assert list(bom.parts.columns) == ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1",
                                       "annex1_known", "in_parts_data", "cn_technology", "phantom", "us_controlled",
                                       "supplier", "hs_code", "row", "file", "sheet"]


ANNEX1_READ = st.one_of(st.just(column_cells.SLOW),
                        st.tuples(st.sampled_from(["part1", "part2", None]), st.sampled_from([True, False, None])))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(ANNEX1_READ, st.sampled_from([True, False, None, "", "x", 0, 1]))))
def test_annex1_columns_read_each_row_as_its_cells_say(rows):
    """Read whole columns at once (no SLOW cell, no blank annex1 cell) or row by row, every row reads the same."""
    read, known_cells = [value for value, _ in rows], [cell for _, cell in rows]
    annex1, known = annex1_columns(read, known_cells)
    assert annex1 == [None if value is column_cells.SLOW else value[0] for value in read]
    expected = [bool(cell) if value is column_cells.SLOW or value[1] is None else value[1]
                for value, cell in zip(read, known_cells)]
    assert known == expected and [type(flag) for flag in known] == [type(flag) for flag in expected]


def test_the_shared_empty_where_refuses_every_change_and_copies_as_an_empty_dict(monkeypatch):
    rows = [[part_id, "part", "DE", Decimal(1), None, "USD", "ea", None, None, None, None, None, None] for part_id in "AB"]
    records = _read(monkeypatch, pd.DataFrame(rows, columns=COLUMNS, dtype=object), True)[0]
    shared = records["A"]["where"]
    changes = [lambda w: w.__setitem__("origin", 1), lambda w: w.__delitem__("origin"), lambda w: w.update(origin=1),
               lambda w: w.setdefault("origin", 1), lambda w: w.pop("origin", None), lambda w: w.popitem(),
               lambda w: w.clear(), lambda w: w.__ior__({"origin": 1})]
    for change in changes:
        with pytest.raises(TypeError, match="shared"):
            change(shared)
    assert shared == {} and records["B"]["where"] is shared
    assert copy.deepcopy(shared) == {} and pickle.loads(pickle.dumps(shared)) == {} and dict(shared) == {}
