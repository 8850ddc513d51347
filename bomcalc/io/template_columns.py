"""What a template column is, and the words its cells may hold: elements, forms, Part 1 alloy names, mass units (I/O layer)."""

from __future__ import annotations

from dataclasses import dataclass

from .annex1 import part1_alloy_names


@dataclass(frozen=True)
class Column:
    """One column (or one key/value field) of a template.

    ``name`` is the canonical name the readers use; ``header`` the text written in the header
    cell; ``meaning`` and ``allowed`` (units and allowed values) are the plain-word
    instructions; ``example`` an illustrative value shown only on the instructions sheet.
    ``choices`` become a drop-down list; with ``strict`` false other entries are still
    accepted after a warning. ``number`` adds a number check: ``"positive"`` (> 0) or
    ``"non_negative"`` (>= 0).
    """

    name: str
    header: str
    meaning: str
    allowed: str = ""
    example: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    strict: bool = True
    number: str | None = None


#: Rare-earth elements by symbol (chemistry; which of them Annex 1 Part 1 lists, and in which
#: forms, is in the rule pack, read through :mod:`bomcalc.io.annex1`).
RARE_EARTH_ELEMENTS: dict[str, str] = {
    "Sm": "samarium",
    "Dy": "dysprosium",
    "Gd": "gadolinium",
    "Tb": "terbium",
    "Lu": "lutetium",
    "Sc": "scandium",
    "Y": "yttrium",
    "Nd": "neodymium",
    "Pr": "praseodymium",
    "Ho": "holmium",
    "Er": "erbium",
    "Tm": "thulium",
    "Eu": "europium",
    "Yb": "ytterbium",
    "La": "lanthanum",
    "Ce": "cerium",
    "Pm": "promethium",
}

#: Forms of a rare-earth input. Annex 1 Part 1 lists metals, alloys and oxides; a magnet is
#: not itself a Part 1 item (its Part 1 inputs are listed as their own rows).
FORMS: tuple[str, ...] = ("metal", "oxide", "alloy", "magnet", "other")

#: The Annex 1 Part 1 alloys, as suppliers usually write them (from the shipped rule pack).
PART1_ALLOY_NAMES: tuple[str, ...] = part1_alloy_names()

MASS_UNITS: tuple[str, ...] = ("g", "kg", "mg")
TECHNOLOGY_ANSWERS: tuple[str, ...] = ("yes", "no", "unknown")
DECLARATION_SCOPES: tuple[str, ...] = ("Product list", "Company-wide")

#: The help text of a country column in the templates.
COUNTRY_HELP = "ISO 3166-1 alpha-2 code (CN, JP, DE, ...); blank or 'unknown' when not known"
