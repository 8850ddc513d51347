"""A part's price and the unit it is per, when rows and files give it more than once (I/O layer).

A price is per one unit of the part (``uom``), over its price unit or package quantity
(``price_unit``). Two rows that price a part in units that are not one unit (``KG`` and ``G``)
conflict unless the two prices are the same price converted; names of one unit (``EA``,
``PCS``) never conflict. Used by :func:`bomcalc.io.part_merge.merge_part` and
:func:`bomcalc.io.master_data.join_master`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..core.units import UnitTable
from ..core.values import is_blank


def price_of(attributes: dict):
    """The price per one unit (exact), or the raw value when it is not a number."""
    value, unit = attributes.get("unit_value"), attributes.get("price_unit")
    if isinstance(value, Decimal) and (unit is None or isinstance(unit, Decimal)) and unit != 0:
        return Fraction(value) / Fraction(unit if unit is not None else 1)
    return value


def shown(value) -> str:
    """A number as the user wrote it: ``340`` (not ``340.0``, a spreadsheet float), ``0.35``."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def price_text(attributes: dict) -> str:
    """``350 per 1000`` (a price over its price unit or package quantity), or ``0.35``."""
    value, unit = attributes.get("unit_value"), attributes.get("price_unit")
    per = "" if is_blank(unit) or unit == 1 else f" per {shown(unit)} units (price unit or package quantity)"
    return f"'{shown(value)}'{per}"


def same_unit(first, other) -> bool:
    """Whether two unit names are one unit (``EA``/``PCS``, ``G``/``gr``); blank matches anything."""
    if is_blank(first) or is_blank(other):
        return True
    try:
        return UnitTable().factor(str(first), str(other)) == 1
    except ValueError:
        return False


def price_unit_conflict(record: dict, attributes: dict) -> tuple[str, str] | None:
    """The two units when both rows price the part, each in another unit (earlier, this row)."""
    if is_blank(record.get("unit_value")) or is_blank(attributes.get("unit_value")):
        return None
    first, other = record.get("uom"), attributes.get("uom")
    if same_unit(first, other):
        return None
    try:  # 0.35 per G and 350 per KG are one price
        factor = UnitTable().factor(str(other), str(first))
        if price_of(attributes) == price_of(record) * Fraction(factor):
            return None
    except (ValueError, TypeError):
        pass
    return str(first).strip(), str(other).strip()
