"""The row ledger keeps fates as arrays; every answer is the one-dict-per-row reference's."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core.ledger import FATES, MERGED, REJECTED, SKIPPED, USED, RowFate, RowLedger, not_used

from .reference_ledger import ReferenceLedger

SHEETS = [("a.csv", "bom"), ("a.csv", "parts"), (None, None)]
ROWS = st.integers(min_value=0, max_value=40)
REASONS = st.sampled_from(["", "", "blank row", "bad qty"])
OPERATIONS = st.one_of(
    st.tuples(st.just("mark"), st.sampled_from(SHEETS), ROWS, st.sampled_from(FATES), REASONS, st.booleans()),
    st.tuples(st.just("many"), st.sampled_from(SHEETS), st.lists(ROWS, max_size=30), st.sampled_from(FATES), REASONS),
    st.tuples(st.just("range"), st.sampled_from(SHEETS), ROWS, ROWS, st.sampled_from(FATES), REASONS),
    st.tuples(st.just("expect"), st.sampled_from(SHEETS), st.integers(min_value=0, max_value=45)),
    st.tuples(st.just("open"), st.sampled_from(SHEETS)),
    st.tuples(st.just("close"), REASONS),
)


def _apply(ledger, operation):
    kind, *args = operation
    if kind == "mark":
        sheet, row, fate, reason, force = args
        return ledger.mark(*sheet, row, fate, reason, force=force)
    if kind == "many":
        sheet, rows, fate, reason = args
        return ledger.mark_many(*sheet, rows, fate, reason)
    if kind == "range":
        sheet, start, stop, fate, reason = args
        return ledger.mark_many(*sheet, range(start, stop), fate, reason)
    if kind == "expect":
        return ledger.expect(*args[0], args[1])
    if kind == "open":
        return ledger.open(*args[0])
    return ledger.close(args[0] or "stopped")


@settings(max_examples=300, deadline=None)
@given(st.lists(OPERATIONS, max_size=25))
def test_the_array_ledger_answers_as_one_dict_per_row_does(operations):
    ledger, reference = RowLedger(), ReferenceLedger()
    for operation in operations:
        assert _apply(ledger, operation) == _apply(reference, operation), operation
        assert ledger.unread() == reference.unread()
    assert ledger.fates() == reference.fates()
    assert ledger.accounts() == reference.accounts()
    _reads_as_its_tuple(ledger.fates(), reference.fates())


def _reads_as_its_tuple(fates, expected: tuple) -> None:
    """A RowFates answers every question a tuple of its RowFates answers, the same way."""
    assert len(fates) == len(expected) and tuple(fates) == expected and list(fates) == list(expected)
    assert [fates[i] for i in range(-len(fates), len(fates))] == [expected[i] for i in range(-len(expected), len(expected))]
    assert fates[1:-1] == expected[1:-1] and fates[::2] == expected[::2]
    assert fates.not_used() == not_used(expected) == tuple(f for f in expected if f.fate != USED)
    assert pickle.loads(pickle.dumps(fates)) == expected and hash(fates) == hash(expected)
    for wrong in (len(expected), -len(expected) - 1):
        with pytest.raises(IndexError):
            fates[wrong]


def test_fates_are_a_snapshot_that_makes_each_fate_when_read():
    ledger = RowLedger()
    ledger.mark_many("f", "s", range(2, 300_002), USED)
    ledger.mark("f", "s", 1, SKIPPED, "header row")
    ledger.mark("f", "s", 7, MERGED, "summed into row 3", force=True)
    ledger.mark("g", None, 10**9, REJECTED, "far")
    fates = ledger.fates()
    ledger.mark("f", "s", 9, REJECTED, "later")  # after the snapshot: not in it
    ledger.mark("f", "s", 300_005, USED)
    assert len(fates) == 300_002 and repr(fates) == "RowFates(300002 rows)"
    assert fates[8] == RowFate("f", "s", 9, USED) and fates[-1] == RowFate("g", None, 10**9, REJECTED, "far")
    assert fates.not_used() == (RowFate("f", "s", 1, SKIPPED, "header row"), RowFate("f", "s", 7, MERGED, "summed into row 3"),
                                RowFate("g", None, 10**9, REJECTED, "far"))
    assert [type(fate.row) for fate in (fates[0], fates[299_999], *fates.not_used())] == [int] * 5
    assert fates != ledger.fates() and fates != (fates[0],) and (fates == "f") is False
    assert RowLedger().fates() == () and len(RowLedger().fates()) == 0


def test_rows_past_the_array_and_odd_rows_are_kept_too():
    ledger, reference = RowLedger(), ReferenceLedger()
    for each in (ledger, reference):
        each.mark_many("f", "s", [3, 10**9, 2], USED)  # a row number far past any sheet's: kept in the dict
        each.mark("f", "s", 10**9, REJECTED, "far")
        each.mark_many("f", "s", [np.int64(3), 4], MERGED, "summed")  # a numpy integer is that row
        each.mark("f", "s", np.int64(2), REJECTED, "bad")
        each.expect("f", "s", 5)
    assert ledger.fates() == reference.fates() and ledger.accounts() == reference.accounts()
    assert ledger.unread() == reference.unread() == {("f", "s"): [1, 5]}
    assert [fate.row for fate in ledger.fates()] == [2, 3, 4, 10**9]
    assert [type(fate.row) for fate in ledger.fates()] == [int] * 4
    _reads_as_its_tuple(ledger.fates(), reference.fates())


@pytest.mark.parametrize("rows", [list(range(2, 200_002)), range(2, 200_002)])
def test_a_large_sheet_is_counted_and_listed_by_row(rows):
    ledger = RowLedger()
    ledger.expect("big.csv", "bom", 200_005)
    ledger.mark_many("big.csv", "bom", rows, USED)
    ledger.mark("big.csv", "bom", 1, SKIPPED, "header")
    ledger.mark("big.csv", "bom", 500, MERGED, "summed into row 9", force=True)
    (account,) = ledger.accounts()
    assert (account.read, account.used, account.merged, account.skipped) == (200_001, 199_999, 1, 1)
    assert ledger.unread() == {("big.csv", "bom"): [200_002, 200_003, 200_004, 200_005]}
    fates = ledger.fates()
    assert (fates[0].row, fates[0].fate, fates[0].reason) == (1, SKIPPED, "header")
    assert (fates[499].row, fates[499].fate, fates[499].reason) == (500, MERGED, "summed into row 9")
    assert ledger.close("stopped") == 4 and ledger.accounts()[0].rejected == 4
