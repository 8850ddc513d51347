"""Accounting for every input row: used, merged, skipped or rejected (core layer).

Every reader marks every physical row it reads (title rows, the header, text items, blank
rows); :func:`bomcalc.core.model.build_bom` marks the rows of the tables it validates. When a row is
marked twice the stronger fate wins (rejected > used > merged > skipped), so a row of a
single-sheet BOM that gives both a part and a line is counted once. The counts of one sheet
add up to the rows read from it.

A reader says how many rows each sheet has (:meth:`RowLedger.expect`); when a read stops
early (the header or the hierarchy cannot be decoded), :meth:`RowLedger.close` marks every row
it never reached as rejected with the reason, so an account never looks complete when it is not.

A sheet's fates are kept as one small number per row (an array indexed by row number), and the
reasons apart, only where there is one: marking a million rows used, counting them and finding
those without a fate are whole-array steps.
"""

from __future__ import annotations

import bisect
import itertools
import numbers
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

USED, MERGED, SKIPPED, REJECTED = "used", "merged", "skipped", "rejected"
FATES = (USED, MERGED, SKIPPED, REJECTED)
_STRENGTH = {SKIPPED: 0, MERGED: 1, USED: 2, REJECTED: 3}
_BY_STRENGTH = (SKIPPED, MERGED, USED, REJECTED)
#: Row numbers below this are kept in a sheet's array (more than any sheet the readers accept has);
#: any other row (a larger or an odd number) in a dict.
_DENSE_ROWS = 1 << 22


@dataclass(frozen=True)
class RowAccount:
    """What became of the rows of one input sheet; ``used + merged + skipped + rejected == read``.

    ``stopped`` says why the read stopped before reaching every row (those rows are counted as
    rejected); empty when it did not.
    """

    file: str | None
    sheet: str | None
    read: int
    used: int
    merged: int
    skipped: int
    rejected: int
    stopped: str = ""


@dataclass(frozen=True)
class RowFate:
    """The fate of one input row, with the reason for anything but plain use."""

    file: str | None
    sheet: str | None
    row: int
    fate: str
    reason: str = ""


class _SheetFates:
    """The fates of one sheet's rows: each row's fate as its strength (-1: none yet) in ``codes``
    (indexed by row number), rows outside it in ``other``; ``reasons`` holds the non-empty ones."""

    __slots__ = ("codes", "other", "reasons")

    def __init__(self) -> None:
        self.codes = np.full(0, -1, dtype=np.int8)
        self.other: dict = {}
        self.reasons: dict = {}

    def reach(self, top: int) -> None:
        """Make room in ``codes`` for rows below ``top`` (at most :data:`_DENSE_ROWS`)."""
        if top > len(self.codes):
            codes = np.full(min(_DENSE_ROWS, max(top, 2 * len(self.codes))), -1, dtype=np.int8)
            codes[:len(self.codes)] = self.codes
            self.codes = codes

    def code(self, row) -> int:
        if type(row) is int and 0 <= row < len(self.codes):
            return int(self.codes[row])
        return self.other.get(row, -1)

    def put(self, row, code: int, reason: str) -> None:
        if type(row) is int and 0 <= row < _DENSE_ROWS:
            self.reach(row + 1)
            self.codes[row] = code
        else:
            self.other[row] = code
        if reason:
            self.reasons[row] = reason
        else:
            self.reasons.pop(row, None)

    def mark_array(self, rows: np.ndarray, code: int, reason: str) -> None:
        """:meth:`RowLedger.mark_many` of rows that are all within the array."""
        if not len(rows):
            return
        self.reach(int(rows.max()) + 1)
        current = self.codes[rows]
        stronger = rows[current < code]
        # a row given a stronger fate without a reason loses the one it had: the rows with one, before and after
        explained = _int_keys(self.reasons, len(self.codes)) if self.reasons and not reason else None
        before = self.codes[explained] if explained is not None else None
        self.codes[stronger] = code
        if reason:
            self.reasons.update(zip(stronger.tolist(), itertools.repeat(reason)))
            for row in np.unique(rows[current == code]).tolist():  # as strong: a reason where there is none
                if not self.reasons.get(row):
                    self.reasons[row] = reason
        elif explained is not None:
            for row in explained[self.codes[explained] != before].tolist():
                del self.reasons[row]

    def fates(self) -> tuple:
        """``(rows, strengths)``: every row with a fate, in row order, and its fate's strength (new
        arrays, or lists when rows outside the array are among them)."""
        rows = np.flatnonzero(self.codes >= 0)
        codes = self.codes[rows]
        if self.other:
            pairs = sorted([*zip(rows.tolist(), codes.tolist()), *self.other.items()], key=lambda pair: pair[0])
            return [row for row, _ in pairs], [code for _, code in pairs]
        return rows, codes

    def count(self) -> list[int]:
        """How many rows have each fate, by strength."""
        counts = np.bincount(self.codes[self.codes >= 0], minlength=len(_BY_STRENGTH)).tolist()
        for code in self.other.values():
            counts[code] += 1
        return counts

    def without_fate(self, size: int) -> list[int]:
        """The rows 1 to ``size`` without a fate, in order."""
        self.reach(size + 1)
        missing = (np.flatnonzero(self.codes[1:size + 1] < 0) + 1).tolist()
        missing.extend(range(_DENSE_ROWS, size + 1))  # none unless a sheet outgrows the array
        return [row for row in missing if row not in self.other] if self.other else missing


def _int_keys(mapping: dict, below: int) -> np.ndarray:
    """The keys of ``mapping`` that are whole numbers from 0 to ``below`` (excluded)."""
    return np.fromiter((key for key in mapping if type(key) is int and 0 <= key < below), dtype=np.int64)


def _row_array(rows) -> np.ndarray | None:
    """``rows`` as an array when every one is a whole number within a sheet's array; else ``None``."""
    if isinstance(rows, range):
        if rows.step == 1 and (not len(rows) or (rows.start >= 0 and rows.stop <= _DENSE_ROWS)):
            return np.arange(rows.start, max(rows.start, rows.stop), dtype=np.int64)
        return None
    if not set(map(type, rows)) <= {int}:  # a float, a bool or a None is not taken for a row number
        return None
    array = np.fromiter(rows, dtype=np.int64, count=len(rows))
    if len(array) and (array.min() < 0 or array.max() >= _DENSE_ROWS):
        return None
    return array


class RowLedger:
    """Collects the fate of every row read, per file and sheet."""

    def __init__(self) -> None:
        self._fates: dict[tuple, _SheetFates] = {}
        self._sizes: dict[tuple, int] = {}
        self._stopped: dict[tuple, str] = {}

    def _sheet(self, file, sheet) -> _SheetFates:
        found = self._fates.get((file, sheet))
        if found is None:
            found = self._fates[(file, sheet)] = _SheetFates()
        return found

    def expect(self, file: str | None, sheet: str | None, rows: int) -> None:
        """Say that a sheet has ``rows`` rows, every one of which must get a fate."""
        self._sheet(file, sheet)
        self._sizes[(file, sheet)] = max(rows, self._sizes.get((file, sheet), 0))

    def unread(self) -> dict[tuple, list[int]]:
        """Rows of expected sheets that have no fate yet, per ``(file, sheet)``."""
        out = {}
        for key, size in self._sizes.items():
            missing = self._fates[key].without_fate(size)
            if missing:
                out[key] = missing
        return out

    def close(self, reason: str) -> int:
        """Mark every expected row without a fate as rejected, not read, with ``reason``
        (the read stopped before it); returns how many rows that was."""
        count = 0
        for key, rows in self.unread().items():
            self._stopped[key] = reason
            self.mark_many(*key, rows, REJECTED, f"not read: {reason}")
            count += len(rows)
        return count

    def open(self, file: str | None, sheet: str | None) -> None:
        """Account for a sheet even when no row of it is marked (a header and nothing below)."""
        self._sheet(file, sheet)

    def mark(self, file: str | None, sheet: str | None, row: int, fate: str, reason: str = "", force: bool = False) -> None:
        """Record ``fate`` for a row; a stronger fate already recorded is kept unless ``force``
        (a row first used, then found to repeat an earlier one, is merged)."""
        marks = self._sheet(file, sheet)
        if type(row) is not int and isinstance(row, numbers.Integral):
            row = int(row)  # a numpy integer is the row of that number, as a dict key would be
        current, strength = marks.code(row), _STRENGTH[fate]
        if current < 0 or strength > current or (force and current != _STRENGTH[REJECTED]):
            marks.put(row, strength, reason)
        elif strength == current and reason and not marks.reasons.get(row):
            marks.reasons[row] = reason

    def mark_many(self, file: str | None, sheet: str | None, rows, fate: str, reason: str = "") -> None:
        """:meth:`mark` of ``fate`` for each of ``rows`` (one sheet's)."""
        marks = self._sheet(file, sheet)
        rows = rows if isinstance(rows, (list, tuple, range)) else list(rows)
        array = _row_array(rows)
        if array is not None:
            marks.mark_array(array, _STRENGTH[fate], reason)
            return
        for row in rows:
            self.mark(file, sheet, row, fate, reason)

    def fates(self) -> RowFates:
        """Every row with its fate, in file, sheet and row order: a snapshot (later marks do not change it)."""
        return RowFates([(file, sheet, *marks.fates(), dict(marks.reasons)) for (file, sheet), marks in self._fates.items()])

    def accounts(self) -> tuple[RowAccount, ...]:
        """One :class:`RowAccount` per file and sheet, in the order first read."""
        out = []
        for (file, sheet), marks in self._fates.items():
            counts = dict(zip(_BY_STRENGTH, marks.count()))
            out.append(RowAccount(file, sheet, sum(counts.values()), counts[USED], counts[MERGED], counts[SKIPPED],
                                  counts[REJECTED], self._stopped.get((file, sheet), "")))
        return tuple(out)


class RowFates(Sequence):
    """Every row with its fate (:meth:`RowLedger.fates`), in file, sheet and row order.

    Read as a tuple of :class:`RowFate` (``len``, indexing, slicing, iteration, ``==`` with a tuple
    or list), but held as each sheet's rows and fates: a :class:`RowFate` is made only when it is
    read. A BOM of a million rows that stops at one error is not held up making a million
    objects nobody reads; :meth:`not_used` finds the few rows an account lists without making the rest.
    """

    __slots__ = ("_sheets", "_ends")

    def __init__(self, sheets: list[tuple] = ()):
        """``sheets``: ``(file, sheet, rows, strengths, reasons)`` of each sheet, ``rows`` in order."""
        self._sheets = tuple(sheets)
        self._ends = list(itertools.accumulate(len(rows) for _, _, rows, _, _ in self._sheets))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        index = operator.index(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("row fate index out of range")
        at = bisect.bisect_right(self._ends, index)
        file, sheet, rows, codes, reasons = self._sheets[at]
        i = index - (self._ends[at - 1] if at else 0)
        row = rows[i].item() if isinstance(rows, np.ndarray) else rows[i]
        return RowFate(file, sheet, row, _BY_STRENGTH[int(codes[i])], reasons.get(row, ""))

    def __iter__(self):
        for file, sheet, rows, codes, reasons in self._sheets:
            yield from self._made(file, sheet, rows, codes, reasons)

    @staticmethod
    def _made(file, sheet, rows, codes, reasons):
        rows = rows.tolist() if isinstance(rows, np.ndarray) else rows
        codes = codes.tolist() if isinstance(codes, np.ndarray) else codes
        said = map(reasons.get, rows, itertools.repeat("")) if reasons else itertools.repeat("")
        return map(RowFate, itertools.repeat(file), itertools.repeat(sheet), rows, map(_BY_STRENGTH.__getitem__, codes), said)

    def not_used(self) -> tuple[RowFate, ...]:
        """The fates of the rows not used as they stand (merged, skipped or rejected), in order."""
        out: list[RowFate] = []
        for file, sheet, rows, codes, reasons in self._sheets:
            if isinstance(codes, np.ndarray):
                at = np.flatnonzero(codes != _STRENGTH[USED])
                rows, codes = rows[at], codes[at]
                out.extend(self._made(file, sheet, rows, codes, reasons))
            else:
                out.extend(fate for fate in self._made(file, sheet, rows, codes, reasons) if fate.fate != USED)
        return tuple(out)

    def __eq__(self, other) -> bool:
        if isinstance(other, (RowFates, tuple, list)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"RowFates({len(self)} rows)"


def not_used(fates) -> tuple[RowFate, ...]:
    """The fates among ``fates`` (:class:`RowFates`, or any sequence of :class:`RowFate`) of rows
    not used as they stand, in order."""
    return fates.not_used() if isinstance(fates, RowFates) else tuple(fate for fate in fates if fate.fate != USED)
