"""Part ids that look alike are one part: normalised where they are read, with a warning (I/O layer).

Readers hand rows as ``(source row, {column name: cell})``; :func:`normalise_id_cells` rewrites
the part-id cells (:func:`bomcalc.values.part_id_text`: NFC, invisible characters removed,
special spaces read as spaces) in place and returns what it changed, for a warning naming the
cell. Leading spaces, which some exports use for the hierarchy, are kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..values import part_id_change

#: Columns that hold a part id, in every table a reader builds.
ID_COLUMNS = ("part_id", "parent", "child", "customer_part_number", "part", "under")


def normalise_id_cells(rows: Iterable[tuple[int, dict]], names: Iterable[str] = ID_COLUMNS) -> list[tuple[int, str, str | None, str]]:
    """Normalise the part-id cells of ``rows`` in place; ``(row, column name, id used, note)`` for each changed."""
    names = tuple(names)
    changed = []
    for row, cells in rows:
        for name in names:
            cell = cells.get(name)
            if not isinstance(cell, str) or (cell.isascii() and cell.isprintable()):
                continue
            clean, note = part_id_change(cell)
            if note is not None:
                indent = cell[: len(cell) - len(cell.lstrip(" "))]
                cells[name] = indent + clean if clean is not None else None
                changed.append((row, name, clean, note))
    return changed
