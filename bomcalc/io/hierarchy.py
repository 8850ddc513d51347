"""Hierarchy encodings of flat BOM exports into parent links (I/O layer).

SAP, PLM and CAD systems export a multi-level BOM as a flat table, one row per BOM position,
and encode the structure in one column. The functions here take that column as a plain list
(one entry per data row, in file order) and return, for every row, the position of its parent
row in the same list, together with the problems found. They never open a file; a reader calls
them after it has read the sheet and before it builds the canonical ``bom`` table.
Detecting a column's encoding and reading its cells is in :mod:`bomcalc.io.level_encodings`,
and per-parent quantities from extended ones in :mod:`bomcalc.io.quantities`; both are
re-exported here.

Encodings
---------

integer levels
    A level column holding ``0``, ``1``, ``2`` ... (integers, spreadsheet floats such as
    ``1.0``, or text such as ``"1"``). Some systems count from 1 (the top-level components are
    at level 1 and a level-0 assembly row may be absent), others from 0. See
    :func:`levels_from_integers`.
SAP dotted levels
    SAP multi-level explosions (CS12) write ``.1``, ``..2``, ``...3``: as many dots as the level number. A bare
    ``1`` (and ``0`` for a header row) is accepted too; spaces are ignored. See
    :func:`levels_from_dots`.
item-number paths
    ``1``, ``1.2``, ``1.2.3``: the parent of ``1.2.3`` is the row whose path is ``1.2``. The
    delimiter may be ``.``, ``-`` or ``/``; rows may come in any order. See
    :func:`parents_from_paths`.
indentation
    The description is indented by leading spaces, or the cell carries an Excel indent level.
    The indent step is inferred. See :func:`levels_from_indent`.
parent column
    Each row names its parent's part number; blank means top level. Rows may come in any order
    and a part may appear in several rows, so the links are part numbers rather than positions.
    See :func:`parents_from_parent_column`.

Level convention
----------------

A *level* is a row's depth in the product structure: ``1`` for a top-level component, ``2``
for a component of a top-level component, and so on, and ``0`` for an assembly header row that
sits above all the top-level components (the finished product at the head of the export).

* Integer levels counted from 1 are kept as written. Integer levels counted from 0 are kept
  when a single level-0 row comes first (it is the header); otherwise (several level-0 rows, or
  one that does not come first) the level-0 rows are top-level components and every level is
  raised by one.
* Dotted levels are kept as written (``.1`` is 1, ``..2`` is 2, a bare ``0`` is a header).
* Indentation carries no absolute number: the rows at the shallowest indent are level 1, except
  when exactly one row is at the shallowest indent and it comes first, so that every other row
  is indented below it; that row is then the header at level 0 and its components are level 1.

Whatever the convention, decoding the same structure from any encoding gives the same parents;
:func:`parents_from_levels` accepts a first row at level 0 or 1.

Rows without a level (a blank cell, for example a text row) get level ``None``: they have no
parent and never become a parent. Problems in the data are returned as
:class:`HierarchyProblem` records, all of them for the whole column, never raised one at a
time. Every function is linear in the number of rows.
"""

from __future__ import annotations

import numbers
import re
from decimal import Decimal

from ..core.values import is_blank, to_text
from .level_encodings import (PATH_DELIMITERS, HierarchyProblem, ReadOnce, bad_level, shown, whole_number,
                              detect_level_encoding, detect_path_delimiter)
from .quantities import QUOTIENT_DIGITS, per_parent_quantities

__all__ = ["HierarchyProblem", "PATH_DELIMITERS", "QUOTIENT_DIGITS", "detect_level_encoding", "detect_path_delimiter",
           "levels_from_integers", "levels_from_dots", "levels_from_indent", "parents_from_levels",
           "parents_from_paths", "parents_from_parent_column", "per_parent_quantities"]


# --- levels --------------------------------------------------------------------------------


def levels_from_integers(cells: list) -> tuple[list[int | None], int, list[HierarchyProblem]]:
    """Read integer levels and normalise them to the module's level convention.

    Cells may be ``int``, whole-number floats (``1.0``) or numeric text (``"1"``, ``" 2 "``).
    Returns ``(levels, base, problems)``: ``levels`` has top-level components at 1 and a
    header row at 0; ``base`` is 0 when the column counts from 0 (some row is at 0), else 1.
    Counting from 0, a single level-0 row that comes first is the header and the levels are
    kept; otherwise every level is raised by one. A blank cell gives ``None`` (the caller
    decides, e.g. a text row); anything else that is not a whole number >= 0 gives ``None`` and
    a ``"bad_level"`` problem.
    """
    levels: list[int | None] = []
    problems: list[HierarchyProblem] = []
    first = None
    zero_rows = 0
    level_of = ReadOnce(whole_number)
    for index, cell in enumerate(cells):
        try:
            level = level_of(cell)
        except ValueError:
            problems.append(bad_level(index, cell, "a whole number of 0 or more (0, 1, 2, ...)"))
            level = None
        if level is not None:
            if first is None:
                first = index
            if level == 0:
                zero_rows += 1
        levels.append(level)
    base = 0 if zero_rows else 1
    header_first = zero_rows == 1 and levels[first] == 0
    if zero_rows and not header_first:
        levels = [None if level is None else level + 1 for level in levels]
    return levels, base, problems


def _dotted_level(cell) -> int | None:
    """One dotted-level cell as a level; ``None`` when blank; ``ValueError`` with a message."""
    if is_blank(cell):
        return None
    if isinstance(cell, str):
        text = "".join(cell.split())
    else:
        try:
            text = str(whole_number(cell))
        except ValueError:
            text = ""
    match = re.fullmatch(r"(\.*)([0-9]+)", text)
    if not match:
        raise ValueError(f"level {shown(cell)} is not a dotted level such as .1, ..2 or ...3; correct the cell")
    dots, number = len(match.group(1)), int(match.group(2))
    if dots != number and not (dots == 0 and number <= 1):
        raise ValueError(
            f"dotted level {shown(cell)} has {dots} dot(s) but says level {number}; the dots and the "
            f"number must agree: write '{'.' * number}{number}' or correct the number"
        )
    return number


def levels_from_dots(cells: list) -> tuple[list[int | None], list[HierarchyProblem]]:
    """Read SAP dotted levels (``.1``, ``..2``, ``...3``) as levels.

    The number of dots must equal the number; a bare ``1`` (level 1) or ``0`` (a header row)
    is accepted, as are the numbers 1 and 0 from a spreadsheet cell. Spaces are ignored. A
    blank cell gives ``None``; any other cell gives ``None`` and a ``"bad_level"`` problem.
    """
    levels: list[int | None] = []
    problems: list[HierarchyProblem] = []
    level_of = ReadOnce(_dotted_level)
    for index, cell in enumerate(cells):
        try:
            level = level_of(cell)
        except ValueError as reason:
            problems.append(HierarchyProblem(index, "bad_level", str(reason)))
            level = None
        levels.append(level)
    return levels, problems


def levels_from_indent(indents: list) -> tuple[list[int | None], list[HierarchyProblem]]:
    """Turn indents (leading-space counts or Excel cell indent levels) into levels.

    The indent step is the smallest positive difference from the shallowest indent (e.g. 2 or 4
    spaces, or 1 Excel indent level); every indent must lie a whole number of steps below the
    shallowest, else the row gets ``None`` and an ``"uneven_indent"`` problem. The shallowest
    rows are level 1, unless exactly one row is at the shallowest indent and it comes first:
    that row is the header at level 0 (see the module's level convention). ``None`` (a blank
    cell) gives ``None``; an indent that is not a whole number >= 0 is a ``"bad_level"``.
    """
    counts: list[int | None] = []
    problems: list[HierarchyProblem] = []
    count_of = ReadOnce(whole_number)
    for index, indent in enumerate(indents):
        try:
            count = count_of(indent)
        except ValueError:
            problems.append(bad_level(index, indent, "an indent of 0 or more spaces or indent levels"))
            count = None
        counts.append(count)
    present = [count for count in counts if count is not None]
    if not present:
        return counts, problems
    shallowest = min(present)
    step = min((count - shallowest for count in present if count > shallowest), default=1)
    first = next(count for count in counts if count is not None)
    header = first == shallowest and present.count(shallowest) == 1
    levels: list[int | None] = []
    for index, count in enumerate(counts):
        if count is None:
            levels.append(None)
        elif (count - shallowest) % step:
            levels.append(None)
            problems.append(
                HierarchyProblem(
                    index,
                    "uneven_indent",
                    f"indent {count} is not a whole number of indent steps of {step} below the "
                    f"shallowest indent {shallowest}; indent every level by the same {step}",
                )
            )
        else:
            levels.append((count - shallowest) // step + (0 if header else 1))
    return levels, problems


# --- parents -------------------------------------------------------------------------------


def parents_from_levels(levels: list, cells: list | None = None) -> tuple[list[int | None], list[HierarchyProblem]]:
    """For each row, the position of its parent row (``None`` for a top-level row).

    The parent of a row is the nearest row above it at a smaller level; rows whose level is
    ``None`` are skipped (parent ``None``, never a parent). The first row with a level must be
    at level 0 or 1 (``"first_row_not_top"``). A level more than one below the row above it
    (1 then 3) is a ``"level_jump"``, reported once; the row and its siblings are attached to
    the row above. ``cells``, when given (the level cells as written, same length), are quoted
    in the messages. Linear: one stack of open ancestors.
    """
    parents: list[int | None] = [None] * len(levels)
    problems: list[HierarchyProblem] = []

    def named(index: int, level: int) -> str:
        return f"level {level} ({shown(cells[index])})" if cells is not None else f"level {level}"

    stack: list[tuple[int, int | None]] = []  # (level, position) of the open ancestors, deepest last
    seen_first = False
    for index, level in enumerate(levels):
        if level is None:
            continue
        if isinstance(level, bool) or not isinstance(level, int) or level < 0:
            problems.append(
                HierarchyProblem(
                    index,
                    "bad_level",
                    f"level {shown(level)} is not a decoded level (a whole number of 0 or more); read the "
                    "column with levels_from_integers, levels_from_dots or levels_from_indent first",
                )
            )
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        if stack:
            above_level, above = stack[-1]
            parents[index] = above
            if level > above_level + 1:
                # One entry stands for the missing level, so that the row's siblings attach to
                # the same parent without a second report.
                stack.append((level - 1, above))
                problems.append(
                    HierarchyProblem(
                        index,
                        "level_jump",
                        f"the level jumps from {named(above, above_level)} to {named(index, level)}; "
                        f"a row can be at most one level below the row it belongs to: add the "
                        f"missing level-{above_level + 1} assembly or correct the level",
                    )
                )
        elif level > 1:
            if not seen_first:
                stack.append((level - 1, None))  # the missing rows above; siblings are not reported again
                problems.append(
                    HierarchyProblem(
                        index,
                        "first_row_not_top",
                        f"the first row is at {named(index, level)}, but it can only be at level 0 "
                        "(the assembly) or 1 (a top-level component); add the rows above it or "
                        "correct the level",
                    )
                )
            else:
                problems.append(
                    HierarchyProblem(
                        index,
                        "level_jump",
                        f"the row is at {named(index, level)} but no row above it is at level "
                        f"{level - 1}; add the missing assembly or correct the level",
                    )
                )
        seen_first = True
        stack.append((level, index))
    return parents, problems


def _path_key(cell, delimiter: str) -> str | None:
    """A path cell as normalised text; ``None`` when blank; ``ValueError`` with a reason."""
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise ValueError("is not an item number")
    if isinstance(cell, numbers.Integral):
        return str(int(cell))
    if isinstance(cell, numbers.Real | Decimal):
        if float(cell).is_integer():
            return str(int(cell))
        raise ValueError(
            "was stored as a number, so trailing zeros are lost (1.10 reads as 1.1); "
            "format the column as text and export again"
        )
    segments = [segment.strip() for segment in str(cell).split(delimiter)]
    if not all(segments):
        raise ValueError(f"has an empty part between the '{delimiter}' delimiters")
    return delimiter.join(segments)


def parents_from_paths(paths: list, delimiter: str = ".") -> tuple[list[int | None], list[HierarchyProblem]]:
    """For each row, the position of its parent row, from item-number paths (``1.2.3``).

    The parent of ``1.2.3`` is the row whose path is ``1.2``; a path without ``delimiter`` is
    top level (parent ``None``). Rows may come in any order. Spaces around each part are
    ignored; parts are compared as text, so ``01`` and ``1`` differ. Problems:
    ``"missing_parent_path"`` (no row has the parent path), ``"duplicate_path"`` (a path used
    twice: the later rows are never parents) and ``"bad_path"`` (an empty part, or a
    fractional number cell). Blank cells are skipped.
    """
    if not delimiter:
        raise ValueError("the path delimiter must not be empty")
    keys: list[str | None] = []
    row_of: dict[str, int] = {}
    problems: list[HierarchyProblem] = []
    for index, cell in enumerate(paths):
        try:
            key = _path_key(cell, delimiter)
        except ValueError as reason:
            problems.append(HierarchyProblem(index, "bad_path", f"item number {shown(cell)} {reason}"))
            key = None
        keys.append(key)
        if key is None:
            continue
        if key in row_of:
            problems.append(
                HierarchyProblem(
                    index,
                    "duplicate_path",
                    f"item number '{key}' appears more than once; every item number must be unique, "
                    "renumber one of them",
                )
            )
        else:
            row_of[key] = index
    parents: list[int | None] = [None] * len(keys)
    for index, key in enumerate(keys):
        if key is None:
            continue
        head, found, _ = key.rpartition(delimiter)
        if not found:
            continue
        parent = row_of.get(head)
        if parent is None:
            problems.append(
                HierarchyProblem(
                    index,
                    "missing_parent_path",
                    f"item number '{key}' belongs to '{head}', but no row has item number '{head}'; "
                    "add that row or correct the item number",
                )
            )
        else:
            parents[index] = parent
    problems.sort(key=lambda problem: problem.index)
    return parents, problems


def parents_from_parent_column(part_ids: list, parent_ids: list) -> tuple[list[str | None], list[HierarchyProblem]]:
    """For each row, its parent's part number, from an explicit parent column.

    A blank parent cell means top level (``None``). Rows may come in any order, and a part may
    appear in several rows (used in several assemblies). Part numbers are read as text like
    ``part_id`` everywhere (outer spaces removed, ``1234.0`` read as ``1234``). A row without
    a part number gets ``None``. Problems: ``"missing_parent_part"`` (no row has that part
    number) and ``"own_parent"``. A cycle over several rows is reported when the BOM is built.
    """
    if len(part_ids) != len(parent_ids):
        raise ValueError(f"{len(part_ids)} part numbers but {len(parent_ids)} parent cells; pass one of each per row")
    parts = [to_text(cell) for cell in part_ids]
    known = set(parts)
    parents: list[str | None] = []
    problems: list[HierarchyProblem] = []
    for index, (part, cell) in enumerate(zip(parts, parent_ids)):
        parent = to_text(cell) if part is not None else None
        if parent is not None and parent == part:
            problems.append(
                HierarchyProblem(index, "own_parent", f"part '{part}' names itself as its parent; correct the parent")
            )
            parent = None
        elif parent is not None and parent not in known:
            problems.append(
                HierarchyProblem(
                    index,
                    "missing_parent_part",
                    f"parent '{parent}' of part '{part}' is not the part number of any row; add a row "
                    "for it, correct the parent, or leave the cell blank for a top-level part",
                )
            )
            parent = None
        parents.append(parent)
    return parents, problems
