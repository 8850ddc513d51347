"""Whole columns of cells read at once, exactly as the one-cell readers read them (core layer).

Reading a BOM of hundreds of thousands of lines cell by cell spends most of its time calling
small functions. Each helper here takes a whole column (a list of cells as a reader delivered
them) and returns, for every cell, what the one-cell reader of :mod:`bomcalc.core.values`
returns for it. Cells that are plain (ASCII printable text, finite ``Decimal`` numbers,
blanks) are done with C-speed string methods over the column; every other cell goes through
the one-cell reader itself, so a messy cell is read exactly as before.

A helper that cannot say what the one-cell reader would do without reporting a problem
(a number below its minimum, a word that is not a boolean) returns :data:`SLOW` for that
cell, and the caller reads the cell the one-cell way, with its message.

:data:`FAST` (True) switches the column paths on; with it False every helper reads cell by
cell, which is how the tests check that both give the same tables, issues and row fates.
"""

from __future__ import annotations

import math
from decimal import Decimal

from .errors import ERROR
from .exact import EXACT
from .values import is_blank, is_currency_code, part_id_change, to_bool, to_country, to_decimal, to_flag, to_text

#: Read plain cells column-wise (False: every cell through its one-cell reader).
FAST = True


class _Slow:
    """Marks a cell the caller must read the one-cell way."""

    def __repr__(self) -> str:
        return "SLOW"


SLOW = _Slow()


def _all_text(cells: list) -> str | None:
    """The cells joined when every one is ``str`` (one C-speed pass); ``None`` when one is not."""
    try:
        return "".join(cells)
    except TypeError:
        return None


#: The printable ASCII characters (``str.isprintable`` of an ASCII text): space to tilde.
PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def printable_ascii(joined: str) -> bool:
    """``joined.isascii() and joined.isprintable()``: the second told by deleting every printable byte
    of its ASCII bytes (a C pass several times faster than ``isprintable`` over a long text)."""
    return joined.isascii() and not joined.encode("ascii").translate(None, PRINTABLE_ASCII)


def _stripped(cells: list, joined: str, printable: bool | None = None) -> list[str | None]:
    """``[text.strip() or None for text in cells]`` of a column of text whose cells joined are
    ``joined``: a copy of the column when no cell has a space or another white space to strip
    (printable ASCII without a space) and none is empty. ``printable``: :func:`printable_ascii` of
    ``joined``, when the caller has told it."""
    if printable is None:
        printable = printable_ascii(joined)
    if printable and " " not in joined and all(cells):  # no cell is "" (the cells are text)
        return list(cells)
    return [text or None for text in map(str.strip, cells)]


def distinct_text(cells: list) -> dict | None:
    """The distinct cells of a column of text and blanks (``str`` or ``None``), in the order
    first seen, as dict keys; ``None`` when a cell is of another type (``1``, ``1.0`` and
    ``True`` are equal keys, so only text and blanks are read once per distinct value)."""
    return distinct_cells(cells, (str,))


def distinct_cells(cells: list, kinds: tuple = (str,)) -> dict | None:
    """:func:`distinct_text` of a column of ``None`` and cells of ``kinds`` that are text or booleans
    (no text or ``None`` equals ``True`` or ``False``; a number equal to one hides behind its key, so a
    column with a boolean key has every cell's type looked at); ``None`` for a column with another cell."""
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:
        return None
    allowed, found = {type(None), *(set(kinds) & {str, bool})}, set(map(type, distinct))
    if bool in found:  # a number equal to True or False is behind that key: every cell's type tells
        found = set(map(type, cells))
    return distinct if found <= allowed else None


def floats_once(cells: list, read) -> list | None:
    """``read`` of every cell of a column of floats, text and blanks (a spreadsheet's numbers),
    each distinct cell read once (no float equals a text); ``None`` for a column holding other
    cells (``1``, ``1.0`` and ``True`` are equal keys), or a zero (``0.0`` and ``-0.0`` are equal
    keys but read apart), to be read cell by cell."""
    try:
        distinct = dict.fromkeys(cells)
    except TypeError:
        return None
    if not set(map(type, distinct)) <= {float, str, type(None)} or 0.0 in distinct:
        return None
    found = {cell: read(cell) for cell in distinct}
    return list(map(found.__getitem__, cells))


def blank_rows(columns: list[list], size: int) -> list[bool]:
    """For each of ``size`` rows, whether every cell of it in ``columns`` is blank (:func:`is_blank`)."""
    if not columns:
        return [True] * size
    if FAST:
        for column in columns:
            if _all_text(column) is not None and all(map(str.strip, column)):
                return [False] * size  # a column of text that is never blank: no row is blank
    return [all(is_blank(column[i]) for column in columns) for i in range(size)]


def only_none(cells: list) -> bool:
    """Whether every cell of a list is ``None``: compared with a list of ``None`` in one C pass that takes
    a ``None`` as equal without asking it and stops at the first cell that is not equal (asked once: a
    ``Decimal``'s answer to ``== None`` is slow to come). No cell a reader gives says it equals ``None``;
    one whose answer has no truth value (pandas ``NA``, an array) makes it False."""
    try:
        return cells == [None] * len(cells)
    except (TypeError, ValueError):
        return False


def text_column(cells: list) -> list[str | None]:
    """:func:`~bomcalc.core.values.to_text` of every cell."""
    if FAST and only_none(cells):
        return list(cells)
    joined = _all_text(cells) if FAST else None
    if joined is not None:
        return _stripped(cells, joined)
    return [to_text(cell) for cell in cells]


def part_id_column(cells: list) -> tuple[list[str | None], list[str | None]]:
    """``(ids, notes)``: :func:`~bomcalc.core.values.part_id_change` of every cell.

    Text that is printable ASCII is only stripped (the one-cell reader does no more with it);
    other cells (non-ASCII, tabs, numbers, blanks) go through the one-cell reader.
    """
    if FAST:
        joined = _all_text(cells)  # first: a column of text is never all blank, and telling that by comparing is slow
        if joined is not None and printable_ascii(joined):
            return _stripped(cells, joined, True), [None] * len(cells)
        if joined is None and only_none(cells):
            return list(cells), list(cells)
    ids, notes = [], []
    for cell in cells:
        if FAST and type(cell) is str and cell.isascii() and cell.isprintable():
            ids.append(cell.strip() or None)
            notes.append(None)
            continue
        part_id, note = part_id_change(cell)
        ids.append(part_id)
        notes.append(note)
    return ids, notes


def number_column(cells: list, minimum: Decimal = Decimal(0), strict: bool = False) -> list:
    """:func:`~bomcalc.core.values.to_decimal` of cells that are numbers or ``None``.

    A finite ``Decimal``, ``int`` or ``float`` at or above ``minimum`` (above it when
    ``strict``) is its exact ``Decimal`` (a float through its shortest representation);
    ``None`` is ``None``; any other cell is :data:`SLOW` (text, which did not read as a number,
    a boolean, NaN, infinity, a value out of range): the caller reads it with its message.
    """
    if not FAST:
        return [SLOW] * len(cells)
    if all_decimals_from(cells, minimum, strict):
        return list(cells)  # each cell reads as itself
    floats = floats_once(cells, lambda cell: _number_cell(cell, minimum, strict))
    return floats if floats is not None else [_number_cell(cell, minimum, strict) for cell in cells]


def all_decimals_from(cells: list, minimum: Decimal, strict: bool = False) -> bool:
    """Whether every cell is ``None`` or a finite ``Decimal`` at or above ``minimum`` (above it when
    ``strict``), told by C-speed passes (a column the reader parsed: its numbers are ``Decimal``)."""
    return decimals_with_blanks(cells, minimum, strict) is not None


def decimals_with_blanks(cells: list, minimum: Decimal, strict: bool = False) -> bool | None:
    """:func:`all_decimals_from` told apart: ``None`` when it is False, else whether a cell is ``None``."""
    kinds = set(map(type, cells))
    if not kinds <= {Decimal, type(None)}:
        return None
    blanks = type(None) in kinds
    values = [cell for cell in cells if cell is not None] if blanks else cells
    if not values:
        return blanks
    if not all(map(Decimal.is_finite, values)):
        return None
    lowest = min(values)
    return blanks if (lowest > minimum if strict else lowest >= minimum) else None


def _number_cell(cell, minimum: Decimal, strict: bool):
    """One cell of :func:`number_column`."""
    if cell is None:
        return None
    kind = type(cell)
    if kind is float and math.isfinite(cell):
        cell = Decimal(repr(cell))  # a spreadsheet number, read through its shortest representation
    elif kind is int:
        cell = Decimal(cell)
    elif kind is not Decimal or not cell.is_finite():
        return SLOW
    return cell if (cell > minimum if strict else cell >= minimum) else SLOW


def _by_value(cells: list, read, kinds: tuple = (str,)) -> list:
    """``read`` of every cell, each distinct ``None`` or cell of a type in ``kinds`` read once;
    :data:`SLOW` for other cells and where ``read`` raises ``ValueError``."""
    if not FAST:
        return [SLOW] * len(cells)
    seen: dict = {}
    distinct = distinct_cells(cells, kinds)
    if distinct is not None:  # text, booleans and blanks: each distinct cell read once, then looked up
        for cell in distinct:
            try:
                seen[cell] = read(cell)
            except ValueError:
                seen[cell] = SLOW
        if len(seen) == 1:  # one text (or blank) all down the column
            return [seen[next(iter(distinct))]] * len(cells)
        return list(map(seen.__getitem__, cells))
    out = []
    for cell in cells:
        if cell is None or type(cell) in kinds:
            if cell not in seen:
                try:
                    seen[cell] = read(cell)
                except ValueError:
                    seen[cell] = SLOW
            out.append(seen[cell])
        else:
            out.append(SLOW)
    return out


def bool_column(cells: list) -> list:
    """:func:`~bomcalc.core.values.to_bool` of every cell as ``bool``; :data:`SLOW` for a cell that is not a boolean."""
    return _by_value(cells, lambda cell: bool(to_bool(cell)), (str, bool))


def flag_cell(cell, name: str, report) -> bool | None:
    """A yes/no/unknown cell (:func:`~bomcalc.core.values.to_flag`); a bad one reads unknown, with an error on ``report``."""
    try:
        return to_flag(cell)
    except ValueError as exc:
        report.add(ERROR, f"bad_{name}", f"{name} {exc} (or unknown)", name)
        return None


def clean_origin_column(cells: list) -> list:
    """The origin code of every cell :func:`~bomcalc.core.values.to_country` reads without a note
    (and that is not HK or MO, which are warned about); :data:`SLOW` for the others."""
    def read(cell):
        code, note = to_country(cell)
        return code if note is None and code not in ("HK", "MO") else SLOW
    return _by_value(cells, read)


def clean_currency_column(cells: list) -> list:
    """The upper-cased ISO 4217 code (or ``None`` when blank) of every currency cell; :data:`SLOW`
    for a code that is not ISO 4217 (warned about)."""
    def read(cell):
        text = to_text(cell)
        if text is None:
            return None
        return text.upper() if is_currency_code(text.upper()) else SLOW
    return _by_value(cells, read)


def annex1_column(cells: list, values: dict, unknown: frozenset) -> list:
    """For every annex1 cell: ``(annex1, known)``, where ``known`` is ``None`` when a blank cell
    keeps what the caller knows; :data:`SLOW` for a cell that is none of ``values`` (``key`` ->
    ``"part1"``/``"part2"``), ``unknown`` words or blank (an error)."""
    def read(cell):
        raw = to_text(cell)
        if raw is None:
            return None, None
        key = raw.lower().replace(" ", "").replace("_", "").replace("-", "")
        if key in values:
            return values[key], True
        return (None, False) if key in unknown else SLOW
    return _by_value(cells, read)


def clean_part_columns(cols: dict, extra: dict, annex1_values: dict, annex1_unknown: frozenset) -> dict[str, list]:
    """The attributes of every row of a parts table (:func:`bomcalc.core.tables.parse_parts`) read
    column-wise; :data:`SLOW` marks a row's cell to read one by one. ``cols`` and ``extra`` hold
    the table's columns and provenance columns."""
    price_units = cols["price_unit"]
    values = number_column(cols["unit_value"])
    return {
        "origin": clean_origin_column(cols["origin"]),
        "unit_value": values if only_none(price_units) else [value if unit is None else SLOW
                                                             for value, unit in zip(values, price_units)],
        "annex1": annex1_column(cols["annex1"], annex1_values, annex1_unknown),
        "currency": clean_currency_column(cols["currency"]),
        "cn_technology": bool_column(cols["cn_technology"]),
        "phantom": bool_column(cols["phantom"]),
        "us_controlled": _by_value(cols["us_controlled"], to_flag, (str, bool)),
        "in_parts_data": bool_column(extra["in_parts_data"]),
    }


def usage_probability(cell) -> Decimal | None:
    """A usage probability as a share 0-1: ``60``, ``"60%"`` and ``0.6`` are all 60%."""
    if is_blank(cell):
        return None
    text = str(cell).strip() if isinstance(cell, str) else None
    if text is not None and text.endswith("%"):
        return EXACT.divide(to_decimal(text[:-1]), Decimal(100))
    share = to_decimal(cell)
    if share > 1:
        share = EXACT.divide(share, Decimal(100))
    if share < 0 or share > 1:
        raise ValueError(f"usage_probability must be between 0 and 100%, found {cell}")
    return share
