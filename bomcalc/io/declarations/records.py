"""What reading declarations yields: declaration records, reference prices, file types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

#: File types read from a folder; a single file may also be ``.xls``, ``.xlsb`` or ``.ods``.
FOLDER_SUFFIXES = (".xlsx", ".xlsm", ".csv")
FILE_SUFFIXES = FOLDER_SUFFIXES + (".xls", ".xlsb", ".ods")


@dataclass(frozen=True)
class DeclarationRecord:
    """What one declaration says about one part, per unit of the part.

    ``cn_part1_value`` is the China-origin Annex 1 Part 1 content [currency per unit of the
    part]; ``None`` means some China-origin input could not be valued (indeterminate, never
    zero). ``unknown_origin_part1_value`` is the Part 1 content whose origin is unknown
    [currency per unit], ``None`` when it could not be valued. ``cn_technology`` says whether
    the declaration reports Chinese rare-earth technology (``None``: not known). ``source``
    names the declaration for an auditor; ``file``, ``sheet`` and ``row`` (first row, header = 1)
    say where it was read. ``origin`` is the declared part's own country of origin (ISO 3166-1
    alpha-2), ``None`` when the declaration does not give it.
    """

    part_id: str
    cn_part1_value: Decimal | None
    unknown_origin_part1_value: Decimal | None
    currency: str | None
    cn_technology: bool | None
    source: str
    file: str
    sheet: str
    row: int | None
    origin: str | None = None


@dataclass(frozen=True)
class PriceEntry:
    """A reference price for one rare-earth element (or alloy) in one form [currency per kg]."""

    element: str
    form: str
    price_per_kg: Decimal
    currency: str
    date: dt.date
    source: str
