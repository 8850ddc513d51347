"""Level columns of flat BOM exports: which encoding a column uses, and its cells read (I/O layer).

The encodings (integer levels, SAP dotted levels, item-number paths) are described in
:mod:`bomcalc.io.hierarchy`, which turns them into parent links. This module holds what both
need: :class:`HierarchyProblem`, reading one level cell, and detecting the encoding of a
column (:func:`detect_level_encoding`, :func:`detect_path_delimiter`).
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass

from ..core.errors import ERROR
from ..core.values import is_blank, to_decimal

#: Delimiters recognised in item-number paths, in order of preference.
PATH_DELIMITERS = (".", "-", "/")

_INTEGER = "integer"
_DOTTED = "dotted"
_PATH = "path"


@dataclass(frozen=True)
class HierarchyProblem:
    """One problem in a hierarchy column.

    ``index`` is the row's position in the input lists (0-based; the caller turns it into a
    spreadsheet row). ``code`` is one of ``"level_jump"``, ``"first_row_not_top"``,
    ``"bad_level"``, ``"uneven_indent"``, ``"bad_path"``, ``"missing_parent_path"``,
    ``"duplicate_path"``, ``"missing_parent_part"``, ``"own_parent"``,
    ``"bad_parent_quantity"`` or ``"inexact_quantity"``. ``message`` says what is wrong and how
    to fix it, naming the offending value. ``severity`` is ``"error"``, or ``"warning"`` for
    ``"inexact_quantity"`` (the result stands, rounded).
    """

    index: int
    code: str
    message: str
    severity: str = ERROR


# --- cells ---------------------------------------------------------------------------------


def whole_number(cell) -> int | None:
    """A cell as a whole number >= 0, ``None`` when blank; ``ValueError`` for anything else."""
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, numbers.Integral):
        number = int(cell)
    elif isinstance(cell, numbers.Real):
        if not float(cell).is_integer():
            raise ValueError
        number = int(cell)
    else:
        if isinstance(cell, str) and any(ch.isspace() for ch in cell.strip()):
            raise ValueError  # to_decimal drops spaces inside a number; a level has none
        value = to_decimal(cell)  # refuses ١, 1_0 and text that is not a plain number
        if value is None or value != value.to_integral_value():
            raise ValueError
        number = int(value)
    if number < 0:
        raise ValueError
    return number


class ReadOnce:
    """``read`` of a cell, each distinct cell read once: a level column repeats a few values down
    a hundred thousand rows. A cell ``read`` refused raises ``ValueError`` again, with the same
    words. Only cells whose equal values are written alike share a reading (text, whole numbers,
    booleans, blanks and floats other than zero): ``Decimal("5")`` and ``Decimal("5.0")``, or
    ``0.0`` and ``-0.0``, are equal but a message shows each as written, so they are read apart."""

    __slots__ = ("_read", "_seen")

    def __init__(self, read):
        self._read, self._seen = read, {}

    def __call__(self, cell):
        kind = type(cell)
        if kind not in _WRITTEN_ALIKE or (kind is float and cell == 0):
            return self._read(cell)
        key = (kind, cell)
        found = self._seen.get(key, _UNSEEN)
        if found is _UNSEEN:
            try:
                found = self._read(cell)
            except ValueError as exc:
                found = _Refused(exc.args)
            self._seen[key] = found
        if type(found) is _Refused:
            raise ValueError(*found.args)
        return found


_UNSEEN = object()
#: Types whose equal values are written alike (a float NaN equals no other NaN, so it is read on its own).
_WRITTEN_ALIKE = frozenset({str, int, bool, float, type(None)})


@dataclass(frozen=True)
class _Refused:
    """What ``read`` said when it refused a cell."""

    args: tuple


def shown(cell) -> str:
    """A cell as the user typed it, for messages."""
    return f"'{str(cell).strip()}'" if isinstance(cell, str) else repr(cell)


def bad_level(index: int, cell, expected: str) -> HierarchyProblem:
    """The problem of a level cell that is not what the encoding expects (``expected`` says what it should be)."""
    return HierarchyProblem(index, "bad_level", f"level {shown(cell)} is not {expected}; correct the cell")


# --- detection -----------------------------------------------------------------------------

_ALL_PATHS = frozenset(f"{_PATH}{delimiter}" for delimiter in PATH_DELIMITERS)
_PATH_PATTERNS = {
    f"{_PATH}{delimiter}": re.compile(rf"[0-9]+(?:{re.escape(delimiter)}[0-9]+)+") for delimiter in PATH_DELIMITERS
}


def _cell_kinds(cell) -> frozenset[str] | None:
    """The encodings one non-blank cell fits; ``None`` when blank, empty when none fits."""
    if is_blank(cell):
        return None
    if isinstance(cell, str):
        text = "".join(cell.split())
        if re.fullmatch(r"\.+[0-9]+", text):
            return frozenset({_DOTTED})
        if re.fullmatch(r"[0-9]+\.0+", text):
            return frozenset({_INTEGER, f"{_PATH}."})
        for kind, pattern in _PATH_PATTERNS.items():
            if pattern.fullmatch(text):
                return frozenset({kind})
        if not re.fullmatch(r"[0-9]+", text):
            return frozenset()
    try:
        number = whole_number(cell)
    except ValueError:
        return frozenset()
    kinds = {_INTEGER, *_ALL_PATHS}
    if number <= 1:
        kinds.add(_DOTTED)
    return frozenset(kinds)


def _describe(kinds: frozenset[str]) -> str:
    names = []
    if _INTEGER in kinds:
        names.append("an integer level")
    if _DOTTED in kinds:
        names.append("a SAP dotted level")
    paths = kinds & _ALL_PATHS
    if len(paths) == 1:
        names.append(f"an item-number path with '{next(iter(paths))[len(_PATH):]}'")
    elif paths:
        names.append("an item-number path")
    return " or ".join(names)


def _common_kinds(cells: list) -> frozenset[str]:
    """The encodings every non-blank cell fits; ``ValueError`` naming the cells that disagree."""
    common: frozenset[str] | None = None
    narrowed_by = None
    kinds_of = ReadOnce(_cell_kinds)
    for index, cell in enumerate(cells):
        kinds = kinds_of(cell)
        if kinds is None:
            continue
        if not kinds:
            raise ValueError(
                f"position {index}: {shown(cell)} is not an integer level (0, 1, 2), a SAP dotted "
                "level (.1, ..2) or an item-number path (1.2.3); correct the cell"
            )
        if common is None:
            common, narrowed_by = kinds, index
            continue
        joint = common & kinds
        if not joint:
            raise ValueError(
                f"the level column mixes encodings: position {index} {shown(cell)} reads as "
                f"{_describe(kinds)}, but position {narrowed_by} {shown(cells[narrowed_by])} reads as "
                f"{_describe(common)}; write the whole column in one encoding"
            )
        if joint != common:
            common, narrowed_by = joint, index
    if common is None:
        raise ValueError("the level column is empty: no row has a level, dotted level or item-number path")
    return common


def detect_level_encoding(cells: list) -> str:
    """Name the encoding of a level or find-number column: ``"integer"``, ``"dotted"`` or ``"path"``.

    Blank cells are ignored. A column of bare whole numbers reads as integer levels (a column
    of top-level item numbers only cannot be told apart; a caller that knows the column holds
    item numbers calls :func:`parents_from_paths` directly). For ``"path"``,
    :func:`detect_path_delimiter` gives the delimiter.

    Raises ``ValueError`` naming the offending cells when the column is empty, when a cell fits
    no encoding, or when cells fit different encodings.
    """
    common = _common_kinds(cells)
    if _INTEGER in common:
        return _INTEGER
    if _DOTTED in common:
        return _DOTTED
    return _PATH


def detect_path_delimiter(cells: list) -> str:
    """The delimiter (``"."``, ``"-"`` or ``"/"``) of an item-number path column.

    Raises ``ValueError`` when the column is not read as paths (see
    :func:`detect_level_encoding`) or mixes delimiters.
    """
    common = _common_kinds(cells)
    for delimiter in PATH_DELIMITERS:
        if f"{_PATH}{delimiter}" in common:
            return delimiter
    raise ValueError(f"the column holds no item-number paths such as 1.2 (it reads as {_describe(common)})")
