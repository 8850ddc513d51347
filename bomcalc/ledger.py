"""Accounting for every input row: used, merged, skipped or rejected (core layer).

Every reader marks every physical row it reads (title rows, the header, text items, blank
rows); :func:`bomcalc.model.build_bom` marks the rows of the tables it validates. When a row is
marked twice the stronger fate wins (rejected > used > merged > skipped), so a row of a
single-sheet BOM that gives both a part and a line is counted once. The counts of one sheet
add up to the rows read from it.
"""

from __future__ import annotations

from dataclasses import dataclass

USED, MERGED, SKIPPED, REJECTED = "used", "merged", "skipped", "rejected"
FATES = (USED, MERGED, SKIPPED, REJECTED)
_STRENGTH = {SKIPPED: 0, MERGED: 1, USED: 2, REJECTED: 3}


@dataclass(frozen=True)
class RowAccount:
    """What became of the rows of one input sheet; ``used + merged + skipped + rejected == read``."""

    file: str | None
    sheet: str | None
    read: int
    used: int
    merged: int
    skipped: int
    rejected: int


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
            for fate, _ in rows.values():
                counts[fate] += 1
            out.append(RowAccount(file, sheet, len(rows), counts[USED], counts[MERGED], counts[SKIPPED], counts[REJECTED]))
        return tuple(out)
