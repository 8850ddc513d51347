"""The assembly a list builds, and how deep each row is indented (I/O layer).

A list's top-level rows are components of some assembly. The file may name it as a row of
its own (level 0), in an SAP title block (``Material MTR-2000``), in a CAD title row (a
SolidWorks BOM table saved as Excel holds only the assembly's part number in row 1), or not at
all, when the user names it with ``--root PART``. The helpers here find a CAD title and choose
the indentation that gives an indented list its hierarchy; :mod:`bomcalc.io.layouts` applies
them.
"""

from __future__ import annotations

import datetime as dt
import re

from ..core.values import is_blank, part_id_text
from .aliases import Header
from .sheets import Sheet, cell_indents_of

#: A part number: one token with at least one digit, no spaces ("ASM-100", "TR-01", "4711").
_PART_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._/#-]*$")
_DATE = re.compile(r"^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}$")


def cad_title(rows_above: list[list]) -> tuple[str, int] | None:
    """The assembly named by a CAD title row above the header, with its 1-based row; else ``None``.

    A CAD title is the only non-blank row above the header, holding a single cell whose text
    is a part number: one token with a digit and no spaces, not a date ("ASM-100"). Anything
    else (a sentence such as "PLM export 2026-10-01", several title rows) is no title.
    """
    filled = [(index, [c for c in row if not is_blank(c)]) for index, row in enumerate(rows_above)]
    filled = [(index, cells) for index, cells in filled if cells]
    if len(filled) != 1 or len(filled[0][1]) != 1:
        return None
    index, (cell,) = filled[0]
    if isinstance(cell, (dt.date, dt.datetime, bool)):
        return None
    text = part_id_text(cell)
    if text is None or not _PART_NUMBER.match(text) or _DATE.match(text):
        return None
    return text, index + 1


def leading_spaces(cells: list) -> list[int]:
    """The leading spaces of each cell (0 for a non-text cell)."""
    return [len(cell) - len(cell.lstrip(" ")) if isinstance(cell, str) else 0 for cell in cells]


def choose_indents(sources: list[tuple[str, list[int] | None]]) -> tuple[tuple[str, list[int]] | None, str | None]:
    """The indentation that carries the hierarchy, from ``(how, indents)`` candidates.

    Candidates whose rows are all indented alike (padding, or no indent at all) are ignored. Returns ``((how, indents), None)``, or
    ``(None, message)`` when two candidates are indented but disagree (one row deeper in one
    column than in the other), or ``(None, None)`` when nothing is indented.
    """
    present = [(how, indents) for how, indents in sources if indents is not None and len(set(indents)) > 1]
    if not present:
        return None, None
    first_how, first = present[0]
    for how, other in present[1:]:
        if _shape(other) != _shape(first):
            return None, (f"the {first_how} and the {how} give different hierarchies; indent one column only, "
                          "or add a level column")
    return present[0], None


def _shape(indents: list[int]) -> list[int]:
    """Indents as ranks (0 for the shallowest), so 0/2/4 spaces and 0/1/2 indent levels compare equal."""
    ranks = {value: rank for rank, value in enumerate(sorted(set(indents)))}
    return [ranks[value] for value in indents]


def no_root_message(tops: int, rows: list[int], named: list[str] | None = None) -> str:
    """Why several top-level rows with quantities and no assembly above them cannot be read.

    ``named``: the top-level rows as ``"row 5 (GEN-5, qty 1)"``, to show which rows they are.
    """
    shown = ", ".join(str(row) for row in rows[:8]) + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")
    listing = ""
    if named:
        listing = (f" (the top-level rows: {', '.join(named[:8])}{f' and {len(named) - 8} more' if len(named) > 8 else ''};"
                   " a row that is not a part, such as a note or a total, can be deleted)")
    return (f"{tops} rows are at the top level{listing} and {len(rows)} of them give a quantity "
            f"({'row' if len(rows) == 1 else 'rows'} {shown}), but the file "
            "names no assembly above them, so those quantities would be lost. Pass --root PART naming the assembly "
            "they belong to, or add its row at the top level; if they are separate products, leave their "
            "quantities blank")


def indentation(sheet: Sheet, header: Header, kept, rows) -> tuple[tuple[str, list[int]] | None, str | None]:
    """The indent of each kept row, from leading spaces or Excel cell indents of the description
    or the part number; ``(None, message)`` when they disagree, ``(None, None)`` when none is indented."""
    sources: list[tuple[str, list[int] | None]] = []
    for name, label in (("description", "description"), ("part_id", "part number")):
        if name in header.columns:
            sources.append((f"leading spaces of the {label}", leading_spaces([c.get(name) for _, c in kept])))
    found, message = choose_indents(sources)
    if found is not None or message is not None:
        return found, message
    columns = [(name, label) for name, label in (("description", "description"), ("part_id", "part number"))
               if name in header.columns]
    indents = cell_indents_of(sheet, [header.columns[name] for name, _ in columns])
    if indents is None:
        return None, None
    return choose_indents([(f"cell indent of the {label}", [indents[header.columns[name]][row - 1] for row in rows])
                           for name, label in columns])
