"""Cell values to exact numbers, booleans, codes and text (core layer).

Every function here takes one cell as a reader delivered it (``str``, ``int``, ``float``,
``bool``, ``None`` or NaN) and returns a clean value, or raises ``ValueError`` with a message
meant for the user. Floats from spreadsheet cells are read through their shortest decimal
representation, so a cell showing ``0.7`` becomes exactly ``Decimal("0.7")``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import unicodedata
from decimal import Decimal, InvalidOperation

import pandas as pd
import pycountry

# Exact arithmetic lives in .exact; these names stay importable from here.
from .exact import DISPLAY, EXACT, exact_quotient, format_decimal, ratio  # noqa: F401

_TRUE = {"true", "yes", "y", "1", "x", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
#: The words that say a value is not known, in every column that accepts one (origin, annex1,
#: declared values, Chinese technology), compared by :func:`unknown_key`.
UNKNOWN_WORDS = frozenset({"unknown", "unk", "?", "tbd", "tbc", "n/k", "nk", "notknown"})
#: Words that mean "does not apply": unknown for an origin or a declared value, but "not
#: listed" in an annex1 column, so they are not in :data:`UNKNOWN_WORDS`.
NOT_APPLICABLE_WORDS = frozenset({"n/a", "na", "none"})


def unknown_key(text: str) -> str:
    """``text`` as compared with :data:`UNKNOWN_WORDS`: lower case, without spaces, dashes and underscores."""
    return text.strip().lower().replace(" ", "").replace("_", "").replace("-", "")


def is_unknown_word(text: str, also: frozenset = frozenset()) -> bool:
    """True when ``text`` is one of :data:`UNKNOWN_WORDS` (or of ``also``, e.g. :data:`NOT_APPLICABLE_WORDS`)."""
    key = unknown_key(text)
    return key in UNKNOWN_WORDS or key in also


def is_blank(cell) -> bool:
    """True for ``None``, NaN and strings of white space only."""
    if cell is None:
        return True
    kind = type(cell)
    if kind is str:
        return not cell.strip()
    if kind is float:
        return math.isnan(cell)
    if kind is int or kind is Decimal or kind is bool:
        return False
    return cell is pd.NA or cell is pd.NaT or (isinstance(cell, float) and math.isnan(cell))


def to_text(cell) -> str | None:
    """A cell as text with outer white space removed; ``None`` when blank.

    Whole-number floats lose their ``.0`` (a part number typed as a number in Excel arrives as
    ``1234.0``); text is kept exactly, leading zeros and all.
    """
    if type(cell) is str:
        text = cell.strip()
        return text or None
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


#: Characters that show as nothing (zero-width space, non-joiners and joiners, word joiner,
#: byte-order mark, soft hyphen, direction marks and embeddings, invisible operators): removed
#: from part ids. Space-like characters (no-break, figure, narrow no-break, thin spaces) read
#: as a space.
_INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u200e\u200f" \
             "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u034f"
_SPACE_LIKE = "\u00a0\u2007\u202f\u2009\u2002\u2003\u2004\u2005\u2006\u2008\u200a\u3000"
_ID_TABLE = str.maketrans({**{ch: None for ch in _INVISIBLE}, **{ch: " " for ch in _SPACE_LIKE}})


def part_id_text(cell) -> str | None:
    """A cell as a part id: :func:`to_text`, NFC-normalised, invisible characters removed and
    space-like characters read as a space; ``None`` when blank.

    ``MAG-É`` typed composed and decomposed, or ``MAG-100`` with a zero-width space pasted from
    a web page, look the same to a person and must be one part. Every reader of a part id
    (parts, lines, parents, declarations, sourcing and scenario files, ``--root``) uses this
    one function; :func:`part_id_change` says what it changed, for a warning.
    """
    text = to_text(cell)
    if text is None or (text.isascii() and text.isprintable()):
        return text
    return unicodedata.normalize("NFC", text.translate(_ID_TABLE)).strip() or None


def part_id_change(cell) -> tuple[str | None, str | None]:
    """``(part id, note)``: the id as :func:`part_id_text` reads it and, when that differs from
    the text as written, a note showing both (the written one with visible escapes)."""
    written = to_text(cell)
    if written is None or (written.isascii() and written.isprintable()):
        return written, None
    clean = part_id_text(written)
    if clean == written:
        return clean, None
    reasons = []
    if any(ch in _INVISIBLE for ch in written):
        reasons.append("invisible characters removed")
    if any(ch in _SPACE_LIKE for ch in written):
        reasons.append("no-break or other special spaces read as spaces")
    if unicodedata.normalize("NFC", written.translate(_ID_TABLE)) != written.translate(_ID_TABLE):
        reasons.append("Unicode composition normalised (NFC)")
    shown = f"'{clean}'" if clean is not None else "blank"
    return clean, (f"part id '{visible_text(written)}' is read as {shown} ({', '.join(reasons)}), so that ids that "
                   "look the same are one part; correct the cell if they are not meant to be")


def visible_text(text: str) -> str:
    """Text with characters that do not show (or show as something else) written as escapes:
    ``'MAG-E\\u0301'``, ``'MAG\\u200b-1'``."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _INVISIBLE or ch in _SPACE_LIKE or category in ("Mn", "Me", "Cf", "Cc", "Zl", "Zp") or (category == "Zs" and ch != " "):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def plain_digits(text: str) -> str | None:
    """``text`` with digits other than ASCII 0-9 rewritten as ASCII; ``None`` when it has none.

    Arabic-Indic (``١٢٣``), Persian, Devanagari and full-width (``１２``) digits are digits to
    Python (``Decimal`` and ``int`` read them silently) but not to a person checking a BOM.
    Full-width signs and points become ASCII too (``－１２．５`` -> ``-12.5``).
    """
    if text.isascii() or not any(unicodedata.decimal(ch, None) is not None for ch in text):
        return None
    return "".join(str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
                   for ch in unicodedata.normalize("NFKC", text))


def number_text_problem(text: str) -> str | None:
    """Why text that Python would take for a number is not read as one; ``None`` when nothing is wrong.

    An underscore between digits (``1_000``: a thousand to Python, but a typo or a digit group
    to a person) is never read. Digits other than 0-9 are not read here: a reader that can name
    the cell rewrites them with :func:`plain_digits` and warns.
    """
    if "_" in text and any(ch.isdigit() for ch in text):
        return (f"'{text}' has an underscore, which bomcalc does not read in a number (it may group thousands "
                "or be a typo); write the number without it")
    converted = plain_digits(text)
    if converted is not None:
        return f"'{text}' is written with digits other than 0-9 (as {converted}); write it with 0-9"
    return None


def to_decimal(cell) -> Decimal | None:
    """A cell as an exact ``Decimal``; ``None`` when blank.

    Raises ``ValueError`` for text that is not a plain number (``"12,5"``, ``"abc"``), for
    booleans, and for infinities and NaN.

    This reads canonical cells (a dot as decimal separator, no thousands separators but
    spaces); numbers typed as text in an exported file, in any locale, are read by
    :func:`bomcalc.io.numbers.parse_number` instead.
    """
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        raise ValueError(f"expected a number, found the boolean {cell}")
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        if math.isinf(cell):
            raise ValueError("expected a number, found infinity")
        return Decimal(repr(cell))
    if isinstance(cell, Decimal):
        number = cell
    else:
        text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
        problem = number_text_problem(text)
        if problem is not None:
            raise ValueError(f"expected a number, found {problem}")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"expected a number, found '{cell}'") from None
    if not number.is_finite():
        raise ValueError(f"expected a number, found '{cell}'")
    return number


def to_date(cell) -> dt.date | None:
    """A cell or option as a date; ``None`` when blank.

    The one date reader: dates and date-times (their date) are taken as they are, anything
    else is read as ISO ``YYYY-MM-DD`` text with outer white space removed. Raises
    ``ValueError`` for text that is not such a date; callers add where the value came from.
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = to_text(cell)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{cell}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01") from None


def given_date(cell) -> dt.date | None:
    """:func:`to_date` for a value that must be a date: ``None`` when it is blank or not a date,
    so the caller raises its own error naming where the value came from."""
    try:
        return to_date(cell)
    except ValueError:
        return None


def to_bool(cell) -> bool | None:
    """TRUE/FALSE/yes/no/1/0 (any case) as a boolean; ``None`` when blank."""
    if is_blank(cell):
        return None
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)) and cell in (0, 1):
        return bool(cell)
    text = str(cell).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected TRUE, FALSE or blank, found '{cell}'")


def to_flag(cell) -> bool | None:
    """A yes/no cell that may be unknown: :func:`to_bool`, with blank or an unknown word (:data:`UNKNOWN_WORDS`) as ``None``."""
    if isinstance(cell, str) and cell.strip().lower().replace(" ", "").replace("-", "").replace("_", "") in UNKNOWN_WORDS:
        return None
    return to_bool(cell)


def to_country(cell) -> tuple[str | None, str | None]:
    """A cell as an ISO 3166-1 alpha-2 code.

    Returns ``(code, note)``: ``code`` is ``None`` for an unknown origin; ``note`` is ``None``
    when the cell was a clean code, else a sentence for a warning (a name or alpha-3 code that
    was recognised, or text that was not and is treated as unknown).
    """
    return _country(to_text(cell))


@functools.lru_cache(maxsize=4096)
def _country(text: str | None) -> tuple[str | None, str | None]:
    if text is None or is_unknown_word(text, NOT_APPLICABLE_WORDS):
        return None, None
    upper = text.upper()
    if len(upper) == 2 and pycountry.countries.get(alpha_2=upper) is not None:
        return upper, None
    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        return None, f"'{text}' is not an ISO 3166-1 country code; the origin is treated as unknown"
    return country.alpha_2, f"'{text}' read as country code {country.alpha_2}"


def is_currency_code(code: str) -> bool:
    """True when ``code`` is an ISO 4217 alphabetic currency code."""
    return len(code) == 3 and pycountry.currencies.get(alpha_3=code.upper()) is not None
