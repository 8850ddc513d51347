"""Declaration cells: element names and symbols, forms, numbers, dates, currencies."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ...core.errors import WARNING
from ...core.values import NOT_APPLICABLE_WORDS, is_currency_code, given_date, to_decimal, to_text
from ..numbers import choose_number_style, parse_number
from ..template_columns import FORMS, RARE_EARTH_ELEMENTS

# --- Vocabulary -------------------------------------------------------------------------------

_ALLOYING_METALS = {
    "Fe": "iron", "Co": "cobalt", "Ni": "nickel", "Cu": "copper", "Zr": "zirconium", "B": "boron",
    "Al": "aluminium", "Ga": "gallium", "Nb": "niobium", "Ti": "titanium", "Mg": "magnesium", "Si": "silicon",
}
_SYMBOLS = {**RARE_EARTH_ELEMENTS, **_ALLOYING_METALS}
_NAMES = {name: symbol for symbol, name in _SYMBOLS.items()} | {"aluminum": "Al"}
_NOISE_WORDS = {"alloy", "metal", "oxide", "and"}
#: Mass units as powers of ten of a kilogram.
KG_EXPONENT = {"kg": 0, "kilogram": 0, "kilograms": 0, "g": -3, "gram": -3, "grams": -3}
KG_EXPONENT |= {"mg": -6, "milligram": -6, "milligrams": -6}
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
#: "n/a" in a declaration reads as unknown; "none" may mean zero, so it is refused rather than guessed.
NOT_APPLICABLE = NOT_APPLICABLE_WORDS - {"none"}


def element_symbols(text: str) -> tuple[str, ...]:
    """Element symbols in ``text`` ("Dy", "Tb-Dy-Fe", "NdPr", "dysprosium-iron", "SmCo5")."""
    found: list[str] = []
    for token in re.split(r"[\s,;/+\-\u2013()]+", text.strip()):
        bare = re.sub(r"[\d.]+", "", token)
        if not bare or bare.lower() in _NOISE_WORDS:
            continue
        if bare.lower() in _NAMES:
            found.append(_NAMES[bare.lower()])
        elif bare.capitalize() in _SYMBOLS:
            found.append(bare.capitalize())
        else:
            pieces = re.findall(r"[A-Z][a-z]?", bare)
            if "".join(pieces) != bare or not all(piece in _SYMBOLS for piece in pieces):
                raise ValueError(f"'{token}' is not an element symbol or name")
            found.extend(pieces)
    if not found:
        raise ValueError(f"no element found in '{text}'")
    return tuple(dict.fromkeys(found))


def read_form(cell) -> str | None:
    """A form cell (metal, oxide, alloy, ...) in its canonical spelling; ``None`` when blank, ``ValueError`` for an unknown form."""
    text = to_text(cell)
    if text is None:
        return None
    for form in FORMS:
        if text.lower() in (form, form + "s"):
            return form
    raise ValueError(f"form must be one of {', '.join(FORMS)}, found '{text}'")


def read_number(cell, decimal: str | None = None) -> Decimal | None:
    """A cell as an exact decimal, 0 or more; ``None`` when blank. Text needs a dot as separator
    (declarations are canonical cells, read by :func:`~bomcalc.core.values.to_decimal`) unless
    ``decimal`` (the user's ``--decimal``) is ``","``: then a decimal comma, with ``.`` grouping
    thousands. A comma is never guessed: without ``--decimal ,`` it is refused, saying so."""
    if decimal == "," and isinstance(cell, str) and cell.strip():
        number = parse_number(cell, choose_number_style((), decimal))
    else:
        if isinstance(cell, str) and cell.strip():
            text = cell.strip()
            if not _PLAIN_NUMBER.fullmatch(text) or not text.isascii():  # \d also matches ١٢٣ and １２
                hint = "; if the file uses a decimal comma, pass --decimal ," if "," in text else ""
                raise ValueError(f"expected a number with a dot as decimal separator, found '{cell}'{hint}")
        number = to_decimal(cell)
    if number is not None and number < 0:
        raise ValueError(f"must be 0 or more, found {cell}")
    return number


def read_date(cell) -> dt.date:
    """A date cell (YYYY-MM-DD or a spreadsheet date); ``ValueError`` when it is not one."""
    date = given_date(cell)
    if date is None:
        raise ValueError(f"expected a date as YYYY-MM-DD, found '{cell}'") from None
    return date


def read_currency(cell, say) -> str | None:
    """A currency cell upper-cased (``None`` when blank); a code that is not ISO 4217 is reported through ``say`` as a warning."""
    text = to_text(cell)
    if text is None:
        return None
    if not is_currency_code(text.upper()):
        say(WARNING, "currency_code", f"'{text}' is not an ISO 4217 currency code")
    return text.upper()
