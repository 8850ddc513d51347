"""Exact arithmetic for decisions at the line, and display ratios (core layer).

Sums and products that decide a licence run in :data:`EXACT`, where any rounding raises
``Inexact``; ratios shown to people use :data:`DISPLAY` and never decide.
"""

from __future__ import annotations

from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow
from fractions import Fraction

#: Context for sums and products that decide a licence: any rounding raises ``Inexact``.
EXACT = Context(prec=1000, traps=[Inexact, InvalidOperation, Overflow, DivisionByZero])

#: Context for displayed ratios and percentages (never used to decide).
DISPLAY = Context(prec=28)


def format_decimal(number: Decimal | None) -> str | None:
    """A decimal as plain text without exponent or trailing zeros (``"4.2"``, ``"100"``)."""
    if number is None:
        return None
    if number == 0:
        return "0"
    return format(number.normalize(EXACT), "f")


def exact_quotient(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator / denominator`` exactly when it is a finite decimal (``1/8``), else ``None`` (``1/3``)."""
    fraction = Fraction(numerator) / Fraction(denominator)
    rest = fraction.denominator
    twos = (rest & -rest).bit_length() - 1
    rest >>= twos
    fives = 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return None
    places = max(twos, fives)
    digits = fraction.numerator * (10**places // fraction.denominator)
    return Decimal(f"{digits}E-{places}")


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """``numerator / denominator`` for display (28 significant digits); ``None`` if undefined."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return DISPLAY.divide(numerator, denominator)
