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

from ..values import is_blank, to_text

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
    text = to_text(cell)
    if text is None or not _PART_NUMBER.match(text) or _DATE.match(text):
        return None
    return text, index + 1


def leading_spaces(cells: list) -> list[int]:
    """The leading spaces of each cell (0 for a non-text cell)."""
    return [len(cell) - len(cell.lstrip(" ")) if isinstance(cell, str) else 0 for cell in cells]


def choose_indents(sources: list[tuple[str, list[int] | None]]) -> tuple[tuple[str, list[int]] | None, str | None]:
    """The indentation that carries the hierarchy, from ``(how, indents)`` candidates.

    Candidates without any indent are ignored. Returns ``((how, indents), None)``, or
    ``(None, message)`` when two candidates are indented but disagree (one row deeper in one
    column than in the other), or ``(None, None)`` when nothing is indented.
    """
    present = [(how, indents) for how, indents in sources if indents is not None and any(indents)]
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
