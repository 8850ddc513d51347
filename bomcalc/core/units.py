"""Units of measure and currency conversion tables (core layer).

A BOM line's quantity may be in another unit than the one the child's price is given in (grams
of Dy in the BOM, price per kilogram in the material master). :class:`UnitTable` converts
between units of the same dimension with exact decimal factors; converting between dimensions
(metres to kilograms) is refused. Users extend the built-in table with their own rows
(``unit, base, factor``: one ``unit`` is ``factor`` ``base``), e.g. ``PK100, ea, 100`` for packs
of 100 pieces.

:class:`FxTable` converts values into one report currency with user-supplied rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .values import EXACT, exact_quotient

#: Built-in units: unit -> (base unit, how many base units one unit is).
BUILTIN_UNITS: dict[str, tuple[str, Decimal]] = {
    # count
    "ea": ("ea", Decimal(1)),
    "each": ("ea", Decimal(1)),
    "pc": ("ea", Decimal(1)),
    "pcs": ("ea", Decimal(1)),
    "pce": ("ea", Decimal(1)),
    "piece": ("ea", Decimal(1)),
    "pieces": ("ea", Decimal(1)),
    "st": ("ea", Decimal(1)),
    "stk": ("ea", Decimal(1)),
    "stck": ("ea", Decimal(1)),
    "unit": ("ea", Decimal(1)),
    "units": ("ea", Decimal(1)),
    "nos": ("ea", Decimal(1)),
    "c62": ("ea", Decimal(1)),
    "h87": ("ea", Decimal(1)),
    "set": ("set", Decimal(1)),
    "pair": ("ea", Decimal(2)),
    "pr": ("ea", Decimal(2)),
    "dz": ("ea", Decimal(12)),
    "doz": ("ea", Decimal(12)),
    # mass
    "kg": ("kg", Decimal(1)),
    "g": ("kg", Decimal("0.001")),
    "gr": ("kg", Decimal("0.001")),
    "mg": ("kg", Decimal("0.000001")),
    "t": ("kg", Decimal(1000)),
    "to": ("kg", Decimal(1000)),
    "lb": ("kg", Decimal("0.45359237")),
    "lbs": ("kg", Decimal("0.45359237")),
    "oz": ("kg", Decimal("0.028349523125")),
    # length
    "m": ("m", Decimal(1)),
    "mm": ("m", Decimal("0.001")),
    "cm": ("m", Decimal("0.01")),
    "km": ("m", Decimal(1000)),
    "in": ("m", Decimal("0.0254")),
    "ft": ("m", Decimal("0.3048")),
    # area and volume
    "m2": ("m2", Decimal(1)),
    "cm2": ("m2", Decimal("0.0001")),
    "mm2": ("m2", Decimal("0.000001")),
    "l": ("l", Decimal(1)),
    "ml": ("l", Decimal("0.001")),
    "m3": ("l", Decimal(1000)),
}


def unit_key(unit: str) -> str:
    """A unit name reduced for look-up: lower case, no spaces or dots (``"PC."`` -> ``"pc"``)."""
    return "".join(unit.lower().split()).rstrip(".")


@dataclass(frozen=True)
class UnitTable:
    """Units with their base unit and factor; built-in units plus the user's own."""

    units: dict[str, tuple[str, Decimal]] = field(default_factory=lambda: dict(BUILTIN_UNITS))

    def with_units(self, rows: list[tuple[str, str, Decimal]]) -> "UnitTable":
        """A new table with extra ``(unit, base, factor)`` rows (a base may itself be a known unit)."""
        units = dict(self.units)
        for unit, base, factor in rows:
            base_key = unit_key(base)
            if base_key in units:
                root, root_factor = units[base_key]
                units[unit_key(unit)] = (root, EXACT.multiply(factor, root_factor))
            else:
                units[unit_key(unit)] = (base_key, factor)
        return UnitTable(units)

    def factor(self, from_unit: str | None, to_unit: str | None) -> Decimal:
        """How many ``to_unit`` one ``from_unit`` is (``g`` -> ``kg``: 0.001).

        A blank unit on either side, or the same name on both, gives 1. Raises ``ValueError``
        for an unknown unit or units of different dimensions.
        """
        if not from_unit or not to_unit:
            return Decimal(1)
        source, target = unit_key(from_unit), unit_key(to_unit)
        if source == target:
            return Decimal(1)
        missing = [name for name, key in ((from_unit, source), (to_unit, target)) if key not in self.units]
        if missing:
            raise ValueError(
                f"unit '{missing[0]}' is not known; add it to a unit table (unit, base, factor) "
                f"or use the same unit as the part's price"
            )
        source_base, source_factor = self.units[source]
        target_base, target_factor = self.units[target]
        if source_base != target_base:
            raise ValueError(f"quantity in '{from_unit}' cannot be converted to '{to_unit}', the unit of the part's price; "
                             "correct the unit, or give a conversion with --units FILE (unit, base, factor)")
        quotient = exact_quotient(source_factor, target_factor)
        if quotient is None:
            raise ValueError(f"converting '{from_unit}' to '{to_unit}' is not exact in decimals; give the quantity in '{to_unit}'")
        return quotient


@dataclass(frozen=True)
class FxRate:
    """One exchange rate: 1 unit of ``currency`` is ``rate`` units of the report currency."""

    currency: str
    rate: Decimal
    date: dt.date | None = None
    source: str = ""


@dataclass(frozen=True)
class FxTable:
    """Exchange rates into one report currency."""

    report_currency: str | None
    rates: dict[str, FxRate] = field(default_factory=dict)
