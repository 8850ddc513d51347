"""Accounting for every input row: used, merged, skipped or rejected (core layer).

Every reader marks every physical row it reads (title rows, the header, text items, blank
rows); :func:`bomcalc.core.model.build_bom` marks the rows of the tables it validates. When a row is
marked twice the stronger fate wins (rejected > used > merged > skipped), so a row of a
single-sheet BOM that gives both a part and a line is counted once. The counts of one sheet
add up to the rows read from it.

A reader says how many rows each sheet has (:meth:`RowLedger.expect`); when a read stops
early (the header or the hierarchy cannot be decoded), :meth:`RowLedger.close` marks every row
it never reached as rejected with the reason, so an account never looks complete when it is not.
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from dataclasses import dataclass

USED, MERGED, SKIPPED, REJECTED = "used", "merged", "skipped", "rejected"
FATES = (USED, MERGED, SKIPPED, REJECTED)
_STRENGTH = {SKIPPED: 0, MERGED: 1, USED: 2, REJECTED: 3}


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


class RowLedger:
    """Collects the fate of every row read, per file and sheet."""

    def __init__(self) -> None:
        self._fates: dict[tuple, dict[int, tuple[str, str]]] = {}
        self._sizes: dict[tuple, int] = {}
        self._stopped: dict[tuple, str] = {}

    def expect(self, file: str | None, sheet: str | None, rows: int) -> None:
        """Say that a sheet has ``rows`` rows, every one of which must get a fate."""
        self._fates.setdefault((file, sheet), {})
        self._sizes[(file, sheet)] = max(rows, self._sizes.get((file, sheet), 0))

    def unread(self) -> dict[tuple, list[int]]:
        """Rows of expected sheets that have no fate yet, per ``(file, sheet)``."""
        out = {}
        for key, size in self._sizes.items():
            missing = sorted(set(range(1, size + 1)).difference(self._fates[key]))  # a set difference, in C
            if missing:
                out[key] = missing
        return out

    def close(self, reason: str) -> int:
        """Mark every expected row without a fate as rejected, not read, with ``reason``
        (the read stopped before it); returns how many rows that was."""
        count = 0
        for key, rows in self.unread().items():
            self._stopped[key] = reason
            for row in rows:
                self._fates[key][row] = (REJECTED, f"not read: {reason}")
            count += len(rows)
        return count

    def open(self, file: str | None, sheet: str | None) -> None:
        """Account for a sheet even when no row of it is marked (a header and nothing below)."""
        self._fates.setdefault((file, sheet), {})

    def mark(self, file: str | None, sheet: str | None, row: int, fate: str, reason: str = "", force: bool = False) -> None:
        """Record ``fate`` for a row; a stronger fate already recorded is kept unless ``force``
        (a row first used, then found to repeat an earlier one, is merged)."""
        rows = self._fates.setdefault((file, sheet), {})
        current = rows.get(row)
        if current is None or _STRENGTH[fate] > _STRENGTH[current[0]] or (force and current[0] != REJECTED):
            rows[row] = (fate, reason)
        elif _STRENGTH[fate] == _STRENGTH[current[0]] and reason and not current[1]:
            rows[row] = (fate, reason)

    def mark_many(self, file: str | None, sheet: str | None, rows, fate: str, reason: str = "") -> None:
        """:meth:`mark` of ``fate`` for each of ``rows`` (one sheet's)."""
        marks = self._fates.setdefault((file, sheet), {})
        rows = rows if isinstance(rows, (list, tuple, range)) else list(rows)
        if marks.keys().isdisjoint(rows):  # rows without a fate yet (the usual case): all at once
            marks.update(zip(rows, itertools.repeat((fate, reason))))
            return
        strength = _STRENGTH[fate]
        for row in rows:
            current = marks.get(row)
            if current is None or strength > _STRENGTH[current[0]]:
                marks[row] = (fate, reason)
            elif strength == _STRENGTH[current[0]] and reason and not current[1]:
                marks[row] = (fate, reason)

    def fates(self) -> tuple[RowFate, ...]:
        """Every row with its fate, in file, sheet and row order."""
        out = []
        for (file, sheet), rows in self._fates.items():
            out.extend(RowFate(file, sheet, row, fate, reason) for row, (fate, reason) in sorted(rows.items()))
        return tuple(out)

    def accounts(self) -> tuple[RowAccount, ...]:
        """One :class:`RowAccount` per file and sheet, in the order first read."""
        out = []
        for (file, sheet), rows in self._fates.items():
            counts = {fate: 0 for fate in FATES}
            counts.update(Counter(map(operator.itemgetter(0), rows.values())))  # counted in C
            out.append(RowAccount(file, sheet, len(rows), counts[USED], counts[MERGED], counts[SKIPPED], counts[REJECTED],
                                  self._stopped.get((file, sheet), "")))
        return tuple(out)
