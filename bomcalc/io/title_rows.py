"""The assembly named above a BOM list: an SAP title block or a CAD title row (I/O layer)."""

from __future__ import annotations

import re

from decimal import Decimal

from ..core.errors import WARNING
from ..core.values import is_blank
from .aliases import Header
from .numbers import parse_number
from .roots import cad_title
from .sheets import Sheet


_TITLE_MATERIAL = re.compile(r"^\s*(?:Material|Materialnummer|Assembly|Top item)\s*:?\s+(\S+)\s*(.*)$", re.IGNORECASE)
_TITLE_QTY = re.compile(r"^\s*(?:Required qty|Required quantity|Erf\. Menge|Base quantity)\s*:?\s+([0-9.,]+)", re.IGNORECASE)


def title_top(sheet: Sheet, header: Header, style, root: str | None = None, out=None):
    """The assembly above the top-level rows: part, text, row (``None`` for ``--root``), required qty, source.

    From an SAP title block (``Material MTR-2000 ...``, with its ``Required qty``), else a CAD
    title row holding only the assembly's part number; ``root`` (``--root``) names it when the
    file does not, and wins over a title naming another part (with a warning).
    """
    top = None
    required = Decimal(1)
    for index in range(header.index):
        text = " ".join(str(c) for c in sheet.rows[index] if not is_blank(c))
        match = _TITLE_MATERIAL.match(text)
        if match and top is None:
            top = (match.group(1), match.group(2).strip(), index + 1, "the title block")
        quantity = _TITLE_QTY.match(text)
        if quantity:
            try:
                required = parse_number(quantity.group(1), style) or Decimal(1)
            except ValueError:
                pass
            if required == required.to_integral_value():
                required = required.quantize(Decimal(1))  # 1, as written, not the 1.0 of a float cell
    if top is None:
        title = cad_title(sheet.rows[: header.index])
        if title is not None:
            top = (title[0], "", title[1], "the title row")
    if root is not None and (top is None or top[0] != root):
        if top is not None and out is not None:
            out.add(WARNING, "root_not_title", f"--root {root} is used as the assembly although {top[3]} names "
                    f"'{top[0]}'", top[2])
        top = (root, "", None, "--root")
    return (*top[:3], required, top[3]) if top else None
