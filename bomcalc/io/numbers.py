"""Numbers written as text in any locale, read exactly or not at all (I/O layer).

A quantity written ``1,234`` is 1234 in Manchester and 1.234 in Munich, and a wrong guess
changes a value a thousandfold, so this module never guesses. :func:`detect_number_style`
looks at every text cell of a file's numeric columns together, decides the decimal separator
from the cells that show it, and raises :class:`AmbiguousNumbers` when none do or when they
disagree. :func:`parse_number` then reads each cell as an exact ``Decimal``, accepting SAP's
trailing minus (``155,22-``), accounting parentheses, exponents and thousands separators
(``.``, ``,``, space, no-break space, narrow no-break space, apostrophe) in well-formed
groups of three.

bomcalc has two readers of a cell as a number, and every other place calls one of them:

- :func:`parse_number` (here) for numbers a person typed as text in an exported file, in any
  locale: the quantities, prices and values of BOM exports and sourcing files (``--decimal``
  chooses the style when the file does not show it).
- :func:`bomcalc.core.values.to_decimal` for canonical cells, whose text is a plain number
  with a dot: the checks on canonical tables (``core.tables``), declarations, FX rates, unit
  factors, hierarchy levels and scenario files.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..core import column_cells
from ..core.values import number_text_problem

#: White space that may surround a number or group its thousands: space, no-break space,
#: narrow no-break space, thin space.
_SPACES = " \u00a0\u202f\u2009"
_STRIP = _SPACES + "\t\r\n"
_MINUS_SIGNS = "-\u2212"
#: Every space-like character reads as a space and a typographic apostrophe as ``'``.
_NORMALISE = str.maketrans({**{character: " " for character in _SPACES}, "\u2019": "'"})
_SHAPE = re.compile(r"([0-9.,' ]+?)(?:[eE]([+-]?[0-9]+))?")
_DIGIT = re.compile(r"[0-9]")
#: A number with at most a leading minus and a decimal separator reads the same in any style
#: with that decimal separator.
_PLAIN = {".": re.compile(r"-?[0-9]+(\.[0-9]+)?"), ",": re.compile(r"-?[0-9]+(,[0-9]+)?")}
_DIGITS = re.compile(r"[0-9]+")
#: Empty, or digits, or a decimal point that cannot group thousands (not 1-3 digits, no leading
#: 0, then a point and exactly 3 digits; a point before an exponent never groups them).
_POINT_OR_DIGITS = re.compile(
    r"|-?(?:[0-9]+|\.[0-9]+|[0-9]+\.(?:[0-9]{0,2}|[0-9]{4,})|(?:0[0-9]*|[0-9]{4,})\.[0-9]{3}"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+)")
#: Thousands separators that can never be a decimal separator, always accepted.
_ALWAYS_THOUSANDS = (" ", "'")
_RESOLVE = "say which with --decimal , or --decimal ."


@dataclass(frozen=True)
class NumberStyle:
    """How a file writes numbers.

    ``decimal`` is ``"."`` or ``","``. ``thousands`` is the separator the file groups
    thousands with (``","``, ``"."``, ``" "``, ``"'"``) or ``None``; a space (also no-break
    and narrow no-break) and an apostrophe are accepted as thousands separators whatever it
    says, as they can never be a decimal separator.
    """

    decimal: str
    thousands: str | None = None

    def __post_init__(self):
        if self.decimal not in (".", ","):
            raise ValueError(f"decimal separator must be '.' or ','; got {self.decimal!r}")
        if self.thousands not in (None, ",", ".", " ", "'") or self.thousands == self.decimal:
            raise ValueError(
                f"thousands separator must be ',', '.', ' ', \"'\" or None and differ from the decimal "
                f"separator; got {self.thousands!r}"
            )


class AmbiguousNumbers(ValueError):
    """Numbers that can be read more than one way; ``examples`` holds up to three of them.

    The message names the examples and says how to resolve them.
    """

    def __init__(self, message: str, examples: Sequence[str] = ()):
        super().__init__(message)
        self.examples = tuple(examples)


def detect_number_style(cells: Iterable) -> NumberStyle | None:
    """The number style of a file, decided from the text cells of its numeric columns.

    Pass every cell of every numeric column of the file together; cells that are not ``str``
    (floats and ints from a spreadsheet are already numbers) and text that is not a number
    are ignored. Evidence:

    * a value with both ``.`` and ``,`` (``1.234,5``, ``1,234.5``): the last is the decimal
      separator;
    * one separator followed by other than exactly three digits (``0,75``, ``155,22-``,
      ``12.5``), after a leading ``0`` (``0,125``) or after more than three digits
      (``1234,567``): it is the decimal separator;
    * a separator used twice (``1.234.567``): it groups thousands, so the other is decimal;
    * ``1,234`` or ``1.234`` alone decides nothing.

    Returns ``None`` when no text cell has a ``.`` or ``,`` (nothing to decide: such cells
    read the same with :func:`parse_number` and no style). Raises :class:`AmbiguousNumbers`,
    naming up to three example cells, when some cells say decimal comma and others decimal
    point, or when every cell with a separator could be read either way.
    """
    if column_cells.FAST:
        cells = cells if isinstance(cells, list) else list(cells)
        if _plain_or_point(cells):  # the common case, decided at C speed
            return NumberStyle(".", None) if "." in "".join(cells) else None
    comma: list[str] = []
    point: list[str] = []
    ambiguous: list[str] = []
    thousands_seen: set[str] = set()
    seen: set[str] = set()
    for cell in cells:
        if not isinstance(cell, str):
            continue
        text = cell.strip(_STRIP)
        if text in seen or (text.isascii() and text.isdigit()):
            continue
        seen.add(text)
        shape = _shape(text)
        if shape is None:
            continue
        evidence = _evidence(shape.mantissa, shape.exponent is not None)
        if evidence is None:
            continue
        if evidence.decimal == ",":
            comma.append(text)
        elif evidence.decimal == ".":
            point.append(text)
        if evidence.either is not None:
            ambiguous.append(text)
            thousands_seen.add(evidence.either)
        if evidence.thousands is not None:
            thousands_seen.add(evidence.thousands)
    if comma and point:
        examples = _examples(comma, point)
        with_comma = [example for example in examples if example in comma]
        with_point = [example for example in examples if example not in comma]
        raise AmbiguousNumbers(
            f"numbers disagree on the decimal separator: {_quoted(with_comma)} read with a decimal comma "
            f"but {_quoted(with_point)} with a decimal point; correct the file, or {_RESOLVE}",
            examples,
        )
    if comma or point:
        decimal = "," if comma else "."
        grouping = "." if decimal == "," else ","
        for candidate in (grouping, " ", "'"):
            if candidate in thousands_seen:
                return NumberStyle(decimal, candidate)
        return NumberStyle(decimal, None)
    if ambiguous:
        examples = _examples(ambiguous)
        first = examples[0]
        with_point = parse_number(first, NumberStyle(".", ","))
        with_comma = parse_number(first, NumberStyle(",", "."))
        raise AmbiguousNumbers(
            f"numbers such as {_quoted(examples)} read either way ('{first}' is {with_point} with a "
            f"decimal point and {with_comma} with a decimal comma) and no number in the file settles "
            f"it; {_RESOLVE}",
            examples,
        )
    return None


def _plain_or_point(cells: list) -> bool:
    """True when every cell is text that is empty or ASCII digits with at most a leading minus,
    a decimal point that cannot be a thousands separator and an exponent (``12``, ``-0.5``,
    ``0.125``, ``1234.567``, ``12.5``, ``2.6e-05``): such cells say "decimal point" (when one
    has a point) and nothing else, as :func:`detect_number_style` reads them one by one."""
    try:
        return all(map(_POINT_OR_DIGITS.fullmatch, cells))
    except TypeError:  # a cell that is not text
        return False


def choose_number_style(texts: Iterable, decimal: str | None = None) -> NumberStyle | None:
    """The style to read one file's text numbers with.

    ``decimal`` (``"."`` or ``","``, the user's ``--decimal``) decides, with the other separator
    as thousands separator; otherwise the style is detected from ``texts`` (see
    :func:`detect_number_style`, which raises :class:`AmbiguousNumbers`).
    """
    if decimal:
        return NumberStyle(decimal, "." if decimal == "," else ",")
    return detect_number_style(texts)


def columns_number_style(columns: list[list], decimal: str | None = None) -> NumberStyle | None:
    """:func:`choose_number_style` of the text cells of ``columns`` (a sheet's number columns, of
    equal length) taken row by row, as the sheet gives them. When every distinct text is a plain
    number or has a decimal point (the common case), the order says nothing and the texts are
    gathered a column at a time."""
    if decimal:
        return choose_number_style((), decimal)
    if column_cells.FAST:
        texts = list(dict.fromkeys(cell for column in columns for cell in column if isinstance(cell, str)))
        if _plain_or_point(texts):
            return NumberStyle(".", None) if "." in "".join(texts) else None
    return detect_number_style([cell for row in zip(*columns) for cell in row if isinstance(cell, str)])


def table_number_style(texts: Iterable, decimal: str | None = None) -> tuple[NumberStyle | None, str | None]:
    """``(style, problem)`` for the text numbers of one table a user hands over (BOM, fx, units,
    declarations, prices, sourcing files): ``decimal`` (``--decimal``) decides; otherwise the
    style is detected. When detection cannot settle it and some number has a comma, the style
    is ``None`` and ``problem`` says which cells and to pass ``--decimal``; when no number has
    a comma (``4.168`` alone), the decimal point of the canonical formats decides.
    """
    texts = list(texts)
    try:
        return choose_number_style(texts, decimal), None
    except AmbiguousNumbers as exc:
        if any("," in text for text in texts):
            return None, str(exc)
        return NumberStyle(".", None), None


def parse_or_keep(cell, style: NumberStyle | None):
    """A cell as an exact number (text read in ``style``, spreadsheet numbers exactly); a cell
    that is not a number is kept as it is, for validation to report with its row."""
    try:
        return parse_number(cell, style)
    except ValueError:
        return cell


def number_texts(cells: dict[str, list], numeric: list[str]) -> tuple[dict, list[str]]:
    """``(distinct, texts)`` of the number columns ``numeric`` of ``cells``: each column's
    :func:`~bomcalc.core.column_cells.distinct_text` (for :func:`parse_or_keep_column`), and every
    distinct text among them, in the order first met (to settle the number style)."""
    distinct = {c: column_cells.distinct_text(cells[c]) for c in numeric}
    texts = dict.fromkeys(cell for c in numeric for cell in (cells[c] if distinct[c] is None else distinct[c])
                          if isinstance(cell, str))
    return distinct, list(texts)


def parse_or_keep_column(cells: list, style: NumberStyle | None, distinct: dict | None = None) -> list:
    """:func:`parse_or_keep` of every cell of a column; text that is a plain number in ``style``
    (``12``, ``-0.5``, or ``0,5`` with a decimal comma) is read without the one-cell parser.
    ``distinct``: the column's :func:`~bomcalc.core.column_cells.distinct_text`, when the caller has it."""
    if not column_cells.FAST:
        return [parse_or_keep(cell, style) for cell in cells]
    plain = (_PLAIN[style.decimal] if style is not None else _DIGITS).fullmatch
    comma = style is not None and style.decimal == ","

    def read(cell):
        if type(cell) is str and plain(cell):
            return Decimal(cell.replace(",", ".") if comma else cell)
        return parse_or_keep(cell, style)

    distinct = column_cells.distinct_text(cells) if distinct is None else distinct
    if distinct is None:  # a spreadsheet's numbers, each value read once; other kinds (1, 1.0 and True are equal keys) one by one
        floats = column_cells.floats_once(cells, read)
        return floats if floats is not None else [read(cell) for cell in cells]
    found = {cell: read(cell) for cell in distinct}  # BOM columns repeat values: each read once
    return list(map(found.__getitem__, cells))


def parse_number(cell, style: NumberStyle | None = None) -> Decimal | None:
    """A cell as an exact ``Decimal``; ``None`` when blank.

    Integer cells are exact; ``float`` cells are read through their shortest representation
    (``0.7`` becomes ``Decimal("0.7")``, NaN is blank); a ``Decimal`` is returned as is. Text
    may have a leading ``-`` or ``+``, SAP's trailing minus (``155,22-``), parentheses for a
    negative (``(12.5)``), an exponent (``1E-3``, ``1,5E-3`` with a decimal comma) and, per
    ``style``, thousands separators in well-formed groups of three.

    With ``style=None`` only numbers that read the same everywhere are accepted: a decimal
    point with other than three digits after it (``12.5``, ``0.125``), integers, exponents,
    and thousands grouped by spaces or apostrophes.

    Raises :class:`AmbiguousNumbers` for text that needs a style and has none (``1,5``,
    ``1.234``), and ``ValueError("expected a number, found '...'")`` for anything else that is
    not a number in ``style``.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"expected a number, found the boolean {cell}")
    if isinstance(cell, numbers.Integral):
        return Decimal(int(cell))
    if isinstance(cell, float):
        if math.isnan(cell):
            return None
        if math.isinf(cell):
            raise ValueError("expected a number, found infinity")
        return Decimal(repr(float(cell)))
    if isinstance(cell, Decimal):
        if not cell.is_finite():
            raise ValueError(f"expected a number, found '{cell}'")
        return cell
    if not isinstance(cell, str):
        raise ValueError(f"expected a number, found '{cell}'")
    text = cell.strip(_STRIP)
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return Decimal(text)
    return _parse_text(text, style)


@functools.lru_cache(maxsize=1 << 16)
def _parse_text(text: str, style: NumberStyle | None) -> Decimal:
    """:func:`parse_number` for stripped, non-blank text; BOM columns repeat values a lot."""
    if style is not None and _PLAIN[style.decimal].fullmatch(text):
        return Decimal(text.replace(",", "."))
    shape = _shape(text)
    if shape is None:
        problem = number_text_problem(text)
        raise ValueError(f"expected a number, found {problem}" if problem else f"expected a number, found '{text}'")
    if style is None:
        _refuse_styled(text, shape)
        decimal, thousands = ".", None
    else:
        decimal, thousands = style.decimal, style.thousands
    digits = _digits(shape.mantissa, decimal, thousands, shape.exponent is not None)
    if digits is None:
        hint = f" (numbers here use '{decimal}' as the decimal separator)" if style is not None else ""
        raise ValueError(f"expected a number, found '{text}'{hint}")
    integer, fraction = digits
    literal = f"{'-' if shape.negative else ''}{integer or '0'}"
    if fraction:
        literal += f".{fraction}"
    if shape.exponent is not None:
        literal += f"E{shape.exponent}"
    try:
        return Decimal(literal)
    except InvalidOperation:  # pragma: no cover - the shape admits only valid literals
        raise ValueError(f"expected a number, found '{text}'") from None


# --- reading the shape of a number ----------------------------------------------------------


class _Shape(NamedTuple):
    negative: bool
    mantissa: str  # digits and separators, spaces normalised to " ", apostrophes to "'"
    exponent: str | None


class _Evidence(NamedTuple):
    decimal: str | None = None  # the decimal separator this value proves
    thousands: str | None = None  # the thousands separator it shows
    either: str | None = None  # the separator of a value like 1,234 that reads either way


def _shape(text: str) -> _Shape | None:
    """Sign, mantissa and exponent of a number written as text; ``None`` if it is not one."""
    text = text.translate(_NORMALISE)
    negative = False
    if len(text) > 1 and text[0] == "(" and text[-1] == ")":
        negative, text = True, text[1:-1].strip()
    elif len(text) > 1 and text[-1] in _MINUS_SIGNS:
        negative, text = True, text[:-1].rstrip()
    elif text[:1] in ("+", *_MINUS_SIGNS):
        negative, text = text[0] != "+", text[1:].lstrip()
    match = _SHAPE.fullmatch(text)
    if match is None or _DIGIT.search(match.group(1)) is None:
        return None
    return _Shape(negative, match.group(1), match.group(2))


def _grouped(text: str, separator: str) -> bool:
    """True when ``text`` is digits in groups of three after a first group of 1-3 (not 0...)."""
    groups = text.split(separator)
    first, rest = groups[0], groups[1:]
    return (
        bool(rest)
        and 1 <= len(first) <= 3
        and first.isdigit()
        and first[0] != "0"
        and all(len(group) == 3 and group.isdigit() for group in rest)
    )


def _evidence(mantissa: str, has_exponent: bool) -> _Evidence | None:
    """What one value says about the decimal separator; ``None`` when it is not a number."""
    soft = [character for character in _ALWAYS_THOUSANDS if character in mantissa]
    if len(soft) > 1 or (soft and has_exponent):
        return None
    dots, commas = mantissa.count("."), mantissa.count(",")
    if dots and commas:
        decimal = "." if mantissa.rfind(".") > mantissa.rfind(",") else ","
        grouping = "," if decimal == "." else "."
        integer, _, fraction = mantissa.partition(decimal)
        if soft or has_exponent or decimal in fraction or not _is_digits(fraction):
            return None
        return _Evidence(decimal, grouping) if _grouped(integer, grouping) else None
    if not (dots or commas):
        if soft:
            return _Evidence(thousands=soft[0]) if _grouped(mantissa, soft[0]) else None
        return _Evidence() if mantissa.isdigit() else None
    separator = "." if dots else ","
    other = "," if dots else "."
    if max(dots, commas) > 1:
        if soft or has_exponent or not _grouped(mantissa, separator):
            return None
        return _Evidence(decimal=other, thousands=separator)
    integer, _, fraction = mantissa.partition(separator)
    if not _is_digits(fraction):
        return None
    if soft:
        return _Evidence(separator, soft[0]) if _grouped(integer, soft[0]) else None
    if not _is_digits(integer):
        return None
    if not has_exponent and _grouped(mantissa, separator):
        return _Evidence(either=separator)
    return _Evidence(decimal=separator)


def _is_digits(text: str) -> bool:
    return text == "" or text.isdigit()


def _refuse_styled(text: str, shape: _Shape) -> None:
    """Raise :class:`AmbiguousNumbers` for text that cannot be read without a style."""
    if "," in shape.mantissa:
        raise AmbiguousNumbers(
            f"'{text}' has a comma, which may be a decimal or a thousands separator; {_RESOLVE}", [text]
        )
    evidence = _evidence(shape.mantissa, shape.exponent is not None)
    if evidence is not None and evidence.either is not None:
        raise AmbiguousNumbers(
            f"'{text}' is {text.replace('.', '')} with a decimal comma and {text} with a decimal point; "
            f"{_RESOLVE}",
            [text],
        )
    if evidence is not None and evidence.thousands == ".":
        raise AmbiguousNumbers(
            f"'{text}' groups thousands with '.', so its decimal separator is ','; say so with --decimal ,",
            [text],
        )


def _digits(mantissa: str, decimal: str, thousands: str | None, has_exponent: bool) -> tuple[str, str] | None:
    """Integer and fraction digits of a mantissa in a style; ``None`` when malformed."""
    integer, _, fraction = mantissa.partition(decimal)
    if not _is_digits(fraction) or not (integer or fraction):
        return None
    separators = {character for character in integer if not character.isdigit()}
    if len(separators) > 1:
        return None
    if separators:
        separator = separators.pop()
        if has_exponent or separator not in (*_ALWAYS_THOUSANDS, thousands):
            return None
        if not _grouped(integer, separator):
            return None
        integer = integer.replace(separator, "")
    return integer, fraction


# --- messages -------------------------------------------------------------------------------


def _examples(*groups: list[str]) -> list[str]:
    """Up to three distinct examples, taken in turn from each group."""
    chosen: list[str] = []
    queues = [list(dict.fromkeys(group)) for group in groups]
    while len(chosen) < 3 and any(queues):
        for queue in queues:
            if queue and len(chosen) < 3:
                chosen.append(queue.pop(0))
    return chosen


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)
