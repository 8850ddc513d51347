"""Flat purchase lists: one level, no part numbers, the currency in a header (I/O layer).

Makers and small teams keep a bill of materials as a purchase list::

    Item, Category, Qty, Unit Price (USD), Extended Price (USD), Notes
    Flight Controller (Custom), Electronics, 1, 120.00, 120.00,

"Item" is a name, not a part number, and there is no row for the product: the list is the
components of one assembly, which the user names with ``--root PART``. When the alias table
finds no part-number column, :func:`purchase_list` recognises such a header (a name column
and a quantity column) and returns a mapping in which the name is the part id and a header's
currency (``Unit Price (USD)``) is kept for every price of the column. Reading it then goes
through :func:`bomcalc.io.layouts.read_structure` like any other sheet: without ``--root`` a
list without a hierarchy is refused with a message saying to pass it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ..core.errors import ERROR, WARNING, DataIssue
from ..core.values import is_blank, is_currency_code
from .aliases import Mapping, header_key, header_keys
from .headers import choose_reading
from .numbers import AmbiguousNumbers, choose_number_style, parse_or_keep
from .sheets import Sheet

_CURRENCY_SUFFIX = re.compile(r"^(.*?)[\s_]*[\(\[]\s*([A-Za-z]{3})\s*[\)\]]\s*$")


@dataclass(frozen=True)
class PurchaseList:
    """How to read a purchase list: the mapping to use, the header currency, and a note."""

    mapping: Mapping
    currency: str | None
    note: str
    header_index: int = 0
    extended: tuple[int, int, int] | None = None  # columns of qty, unit price and extended price
    name_column: int | None = None  # the column of the names used as part ids
    qty_column: int | None = None


def purchase_list(sheet: Sheet, mapping: Mapping, scan: int = 40) -> PurchaseList | None:
    """How to read ``sheet`` as a purchase list, or ``None`` when it is no such list.

    A purchase list is a sheet read under the ``purchase-list`` profile or under no tool's
    profile (a tool's export is never one: SyteLine's "Item" is its part number, and a KiCad
    BOM without a part-number column is an error, not a list of names), with no level, parent
    or item-number column (a structured list names parts by number), whose part column holds
    names (its header is one of the ``purchase_list`` names of the alias table), or where the alias table finds no
    part-number column at all but a name column and a quantity column: the name is then the
    part id, and :func:`duplicate_name_issues` refuses names that two different rows share. ``Unit Price (USD)`` maps like ``Unit Price`` and gives the
    currency of its values.
    """
    chosen, header = choose_reading(sheet.rows[:scan], mapping)
    if chosen.profile is not None and chosen.profile.name != "purchase-list":
        return None  # a tool's export: its profile says what the part number is ("Item" in SyteLine)
    claims = dict(mapping.claims)
    if header is not None and {"level", "parent", "find_number"} & set(header.columns):
        return None  # a structured list: its part column is a part number, whatever its header says
    if header is not None:
        part_header = header.cells[header.columns["part_id"]] if "part_id" in header.columns else None
        if header_key(part_header) not in header_keys("purchase_list", "name"):
            return None
        index, row = header.index, header.cells
        name = header_key(part_header)
    else:
        found = None
        for index, row in enumerate(sheet.rows[:scan]):
            keys = {header_key(cell) for cell in row if not is_blank(cell)}
            name = next((key for key in header_keys("purchase_list", "name") if key in keys), None)
            if name is not None and any(mapping.canonical(cell) == "qty" for cell in row if not is_blank(cell)):
                found = index, row, name
                break
        if found is None:
            return None
        index, row, name = found
        claims[name] = ((-1, "part_id"),)
    currency = None
    for cell in row:
        match = _CURRENCY_SUFFIX.match(str(cell)) if not is_blank(cell) else None
        if match and mapping.canonical(match.group(1)) == "unit_value" and is_currency_code(match.group(2).upper()):
            claims[header_key(cell)] = ((-1, "unit_value"),)
            currency = match.group(2).upper()
    shown = next(str(cell).strip() for cell in row if not is_blank(cell) and header_key(cell) == name)
    note = (f"{sheet.file}: the list has no part numbers (header row {index + 1}): the part ids are the values in "
            f"column '{shown}'" + (f"; prices in {currency} as the header says" if currency else ""))
    lookup = {key: min(options)[1] for key, options in claims.items() if options}
    columns = {lookup.get(header_key(cell)): position for position, cell in enumerate(row) if not is_blank(cell)}
    extended = next((position for position, cell in enumerate(row) if not is_blank(cell)
                     and header_key(_CURRENCY_SUFFIX.sub(r"\1", str(cell))) in header_keys("purchase_list", "extended_price")), None)
    triple = (columns["qty"], columns["unit_value"], extended) if extended is not None and {"qty", "unit_value"} <= set(columns) else None
    return PurchaseList(replace(mapping, claims=claims), currency, note, index, triple, columns.get("part_id"),
                        columns.get("qty"))



def duplicate_name_issues(sheet: Sheet, listed: PurchaseList) -> list[DataIssue]:
    """An error for every name that rows differing in anything but quantity and remarks share.

    In a list without part numbers the name is the part id: two rows named "Resistor" that
    differ in value or footprint are two parts, and reading them as one would merge their
    quantities and prices. Rows that repeat a part exactly (quantity aside) stay allowed.
    """
    if listed.name_column is None:
        return []
    header = sheet.rows[listed.header_index]
    skip = {listed.name_column, listed.qty_column, listed.extended[2] if listed.extended else None}
    remarks = header_keys("purchase_list", "remark") + header_keys("purchase_list", "extended_price")
    compared = [position for position, cell in enumerate(header) if position not in skip and not is_blank(cell)
                and header_key(_CURRENCY_SUFFIX.sub(r"\1", str(cell))) not in remarks]
    seen: dict[str, tuple[int, list]] = {}
    issues = []
    for index in range(listed.header_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        name = row[listed.name_column] if listed.name_column < len(row) else None
        if is_blank(name):
            continue
        key = " ".join(str(name).split()).lower()
        cells = [row[c] if c < len(row) else None for c in compared]
        if key not in seen:
            seen[key] = (index + 1, cells)
            continue
        first_row, first_cells = seen[key]
        differ = [(str(header[c]).strip(), a, b) for c, a, b in zip(compared, first_cells, cells)
                  if str("" if is_blank(a) else a).strip() != str("" if is_blank(b) else b).strip()]
        if differ:
            shown = "; ".join(f"'{h}' {_text(a)} / {_text(b)}" for h, a, b in differ[:3])
            issues.append(DataIssue(ERROR, "duplicate_name", f"'{str(name).strip()}' names rows {first_row} and "
                                    f"{index + 1}, which differ ({shown}): this list has no part numbers, so the name "
                                    "is the part id and the two would be merged into one part. Add a part-number "
                                    "column, or make the names unique (one name per part)",
                                    sheet.name, index + 1, str(name).strip(), sheet.file))
    return issues


def _text(value) -> str:
    return "(blank)" if is_blank(value) else repr(str(value).strip())


def extended_price_issues(sheet: Sheet, listed: PurchaseList, decimal: str | None = None) -> list[DataIssue]:
    """A warning for every row whose extended price is not its quantity times its unit price.

    The extended price is compared at its own number of decimals (2 x 18.505 = 37.01). A
    mismatch means a column is not what its header says (a pack count in Qty, a price per
    pack): the row is named so that it can be checked.
    """
    if listed.extended is None:
        return []
    qty_column, price_column, extended_column = listed.extended
    body = list(enumerate(sheet.rows))[listed.header_index + 1:]
    cells = [(index, [row[c] if c < len(row) else None for c in (qty_column, price_column, extended_column)])
             for index, row in body]
    try:
        style = choose_number_style([c for _, row in cells for c in row if isinstance(c, str)], decimal)
    except AmbiguousNumbers:
        return []  # the reader reports the ambiguity
    header = sheet.rows[listed.header_index]
    name_column = next((c for c, cell in enumerate(header) if not is_blank(cell) and header_key(cell) in header_keys("purchase_list", "name")), None)
    issues = []
    for index, row in cells:
        qty, price, extended = (parse_or_keep(cell, style) for cell in row)
        source = sheet.rows[index]
        part = source[name_column] if name_column is not None and name_column < len(source) else None
        part = None if is_blank(part) else str(part).strip()
        if not all(isinstance(value, Decimal) for value in (qty, price, extended)):
            continue
        product = (qty * price).quantize(Decimal(1).scaleb(min(extended.as_tuple().exponent, 0)), ROUND_HALF_UP)
        if product != extended:
            issues.append(DataIssue(WARNING, "extended_price_mismatch", f"quantity {qty} x unit price {price} = "
                                    f"{qty * price}, but the extended price is {extended}; check that the quantity and "
                                    "the unit price are per one unit", sheet.name, index + 1, part, sheet.file))
    return issues


def apply_currency(parts: dict[str, dict], currency: str | None) -> None:
    """Give the header's currency to every part with a price and no currency of its own."""
    if currency is None:
        return
    for record in parts.values():
        if not is_blank(record.get("unit_value")) and is_blank(record.get("currency")):
            record["currency"] = currency
