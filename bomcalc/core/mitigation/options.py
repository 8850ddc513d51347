"""Sourcing options and annual volumes: the inputs of the re-sourcing search (core layer)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["SourcingOption", "AnnualVolume"]


@dataclass(frozen=True)
class SourcingOption:
    """Another way to buy ``part``, named ``name``.

    ``origin``: the new country of origin (ISO alpha-2), ``None`` to keep it. ``unit_value``:
    the new value of one unit [currency per uom], ``None`` to keep it. ``cost_delta``: the extra
    cost of one unit [currency per uom]; when ``None`` it is ``unit_value`` minus the current
    value, or 0 when neither is given. ``cn_part1_value``: the declared China-origin Part 1
    content of one unit with this option [currency per unit] (0: free of it); ``None`` derives
    it: a Part 1 item that stops being of China origin no longer counts its own value (its
    inputs still roll up), anything else keeps its content. ``capacity``: the most units a year
    the option can supply [uom per year], ``None`` for no limit. ``source``: where the figures
    come from; ``row``: the row of the options file.
    """

    part: str
    name: str
    origin: str | None = None
    unit_value: Decimal | None = None
    cost_delta: Decimal | None = None
    cn_part1_value: Decimal | None = None
    capacity: Decimal | None = None
    source: str = ""
    row: int | None = None

    @property
    def label(self) -> str:
        """``"DY-MET 'JP refiner'"``, for messages."""
        return f"{self.part} '{self.name}'"


@dataclass(frozen=True)
class AnnualVolume:
    """``annual_volume`` units a year of the finished item ``item``."""

    item: str
    annual_volume: Decimal
    row: int | None = None
