"""The row ledger as it was first written, one dict entry per row: the reference the array ledger
(:class:`bomcalc.core.ledger.RowLedger`) is compared with."""

import itertools
import operator
from collections import Counter

from bomcalc.core.ledger import FATES, MERGED, REJECTED, SKIPPED, USED, RowAccount, RowFate

_STRENGTH = {SKIPPED: 0, MERGED: 1, USED: 2, REJECTED: 3}


class ReferenceLedger:
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
