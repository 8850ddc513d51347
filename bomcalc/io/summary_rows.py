"""Total, subtotal and note rows of a hand-made sheet (I/O layer).

Spreadsheets kept by hand end with a ``Total`` or ``Subtotal`` row (often a ``=SUM(...)``
formula in a price column) or a note (``Note: prices as of Q3``). Such a row is not a part:
:func:`summary_reason` recognises it by its first text (in the part number column, or in the
description when the part number is blank) when it gives no level and no quantity, so the
reader skips and counts it instead of reading a part named ``Total``.
"""

from __future__ import annotations

import re

from ..core.values import is_blank

# the word alone, or followed by ':' or by words ("Total (USD)"); never a part number such as TOTAL-ASSY or SUM100
_TOTAL = re.compile(r"^\s*(?:grand\s*total|sub-?\s*totals?|totals?|sum|summe|gesamt)\s*(?:[:=].*|\s+[^\W\d].*|\(.*)?$",
                    re.IGNORECASE | re.DOTALL)
_NOTE = re.compile(r"^\s*(?:notes?\s*:|remarks?\s*:|remarks?\s*$|comments?\s*:|prices?\s+(?:are\s+)?as\s+of\b)",
                   re.IGNORECASE)
#: Columns whose value makes a row a BOM line, whatever its text says.
_LINE_COLUMNS = ("qty", "level", "find_number")


def summary_reason(cells: dict) -> str | None:
    """``"total row"``, ``"note row"`` or ``None`` for a row given as ``{canonical name: cell}``."""
    for name in _LINE_COLUMNS:
        cell = cells.get(name)
        if cell is not None and not is_blank(cell):
            return None
    part = cells.get("part_id")
    texts = [part] if not is_blank(part) else [cells.get("description")]
    for text in texts:
        if not isinstance(text, str):
            continue
        if _TOTAL.match(text):
            return "total row"
        if _NOTE.match(text):
            return "note row"
    return None
