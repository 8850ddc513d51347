"""Sourcing options and annual volumes from CSV or spreadsheet files (I/O layer).

Sourcing options (CSV, tab-separated text, xlsx, xls, ods; the sheet named ``options`` or
``sourcing options``, else the first), one row per way of buying a part differently:

============== ===============================================================================
column         meaning
============== ===============================================================================
part           the part (``part_id``) the option replaces, wherever it is used
option         a name for the option, unique per part (``JP refiner``)
origin         the new country of origin (ISO alpha-2 or a country name); blank keeps it
unit_value     the new value of one unit [currency per uom]; blank keeps it
cost_delta     the extra cost of one unit [currency per uom]; blank: unit_value minus the
               current value, or 0 when unit_value is blank too
cn_part1_value declared China-origin Part 1 content of one unit with this option [currency];
               0 = free of it; blank derives it (see :class:`bomcalc.mitigate.SourcingOption`)
capacity       the most units a year the option can supply [uom per year]; blank: no limit
currency       optional; when given, the BOM's report currency
source         where the figures come from (quote, declaration, ...)
============== ===============================================================================

Annual volumes: ``item`` (a finished part_id) and ``annual_volume`` [units per year].

Headers are matched ignoring case, spaces and punctuation (:func:`bomcalc.io.aliases.header_key`);
other columns are ignored. Text numbers are read in the file's own convention
(:mod:`bomcalc.io.numbers`), exactly. Every problem is collected as a
:class:`~bomcalc.core.errors.DataIssue` with file, sheet, row and part; any error raises
:class:`~bomcalc.core.errors.BomDataError` carrying all of them. Warnings come back with the records.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

from ..core.errors import ERROR, WARNING, BomDataError, DataIssue
from ..core.mitigation.optimiser import AnnualVolume, SourcingOption
from ..core.model import Bom
from ..core.values import is_blank, part_id_text, to_country, to_text
from .aliases import VOCABULARY, find_header_row, header_key
from .numbers import AmbiguousNumbers, choose_number_style, parse_number
from .sheets import Sheet, read_sheets

__all__ = ["SourcingOptions", "VolumeTable", "read_sourcing_options", "read_volumes"]

_NUMERIC = ("unit_value", "cost_delta", "cn_part1_value", "capacity", "annual_volume")


@dataclass(frozen=True)
class SourcingOptions:
    """The options read from one file, with the warnings found; iterates over the options."""

    options: tuple[SourcingOption, ...]
    warnings: tuple[DataIssue, ...] = ()
    file: str | None = None

    def __iter__(self):
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)


@dataclass(frozen=True)
class VolumeTable:
    """The annual volumes read from one file, with the warnings found; iterates over the volumes."""

    volumes: tuple[AnnualVolume, ...]
    warnings: tuple[DataIssue, ...] = ()
    file: str | None = None

    def __iter__(self):
        return iter(self.volumes)

    def __len__(self) -> int:
        return len(self.volumes)

    def as_dict(self) -> dict[str, Decimal]:
        """``{item: annual volume}``."""
        return {volume.item: volume.annual_volume for volume in self.volumes}


class _Rows:
    """The data rows of one sheet under its header, cells keyed by canonical column."""

    def __init__(self, sheet: Sheet, kind: str, required: tuple[str, ...],
                 issues: list[DataIssue], decimal: str | None = None):
        self.sheet, self.issues, self.columns = sheet, issues, {}
        self.header, self.columns = find_header_row(sheet.rows, kind, required)  # "options" or "volumes"
        if self.header is None:
            first = next((r for r in sheet.rows if any(not is_blank(c) for c in r)), [])
            found = ", ".join(str(c) for c in first if not is_blank(c)) or "none"
            self.say(ERROR, "missing_column", f"no header row with the columns {', '.join(required)} "
                     f"(first row: {found}); expected {', '.join(VOCABULARY[kind])}", 1)
        self.style = None
        texts = [cells[name] for _, cells in self.body() for name in _NUMERIC if isinstance(cells.get(name), str)]
        try:
            self.style = choose_number_style(texts, decimal)
        except AmbiguousNumbers as exc:
            self.say(ERROR, "ambiguous_numbers", str(exc))

    def say(self, severity, code, message, row=None, part=None):
        self.issues.append(DataIssue(severity, code, message, self.sheet.name, row, part, self.sheet.file))

    def body(self):
        """``(row number, {column: cell})`` for every non-blank row below the header."""
        if self.header is None:
            return
        for index in range(self.header + 1, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            if all(is_blank(cell) for cell in cells):
                continue
            yield index + 1, {name: (cells[p] if p < len(cells) else None) for name, p in self.columns.items()}

    def number(self, cells, name, row, part, negative=False) -> Decimal | None:
        try:
            number = parse_number(cells.get(name), self.style) if not is_blank(cells.get(name)) else None
        except ValueError as exc:
            self.say(ERROR, "bad_number", f"{name}: {exc}", row, part)
            return None
        if number is not None and number < 0 and not negative:
            self.say(ERROR, f"negative_{name}", f"{name} must not be negative (found {number})", row, part)
            return None
        return number


def _sheet(path, names: tuple[str, ...]) -> Sheet:
    sheets = read_sheets(path)
    wanted = {header_key(name) for name in names}
    return next((sheet for sheet in sheets if header_key(sheet.name) in wanted), sheets[0])


def read_sourcing_options(path: str | os.PathLike, bom: Bom | None = None, decimal: str | None = None) -> SourcingOptions:
    """Read a sourcing-options file; with ``bom``, check every part and currency against it.
    ``decimal`` (``"."`` or ``","``, the user's ``--decimal``) says how text numbers are written.

    Raises :class:`~bomcalc.core.errors.InputFileError` when the file cannot be read and
    :class:`~bomcalc.core.errors.BomDataError` carrying every data problem found.
    """
    sheet = _sheet(path, ("options", "sourcing options", "sourcing"))
    issues: list[DataIssue] = []
    table = _Rows(sheet, "options", ("part", "option"), issues, decimal)
    options: list[SourcingOption] = []
    first_row: dict[tuple[str, str], int] = {}
    for row, cells in table.body():
        part = part_id_text(cells.get("part"))
        name = to_text(cells.get("option"))
        if part is None:
            table.say(ERROR, "missing_part", "the row names no part; give the part_id the option replaces", row)
            continue
        if bom is not None and part not in bom.parts.index:
            table.say(ERROR, "unknown_part", f"'{part}' is not a part of the BOM; correct the part number", row, part)
        if name is None:
            table.say(ERROR, "missing_option", "the option has no name; give each option of a part a name", row, part)
            continue
        if (part, name) in first_row:
            table.say(ERROR, "duplicate_option", f"option '{name}' of '{part}' is also on row {first_row[(part, name)]}; "
                      "keep one row or rename one of them", row, part)
            continue
        first_row[(part, name)] = row
        origin = None
        text = to_text(cells.get("origin"))
        if text is not None:
            origin, note = to_country(text)
            if origin is None:
                table.say(ERROR, "bad_origin", f"origin '{text}' is not a country; give an ISO 3166-1 code such as JP, "
                          "or leave it blank to keep the part's origin", row, part)
            elif note:
                table.say(WARNING, "origin_read_as_code", note, row, part)
        currency = to_text(cells.get("currency"))
        if currency and bom is not None and bom.currency and currency.upper() != bom.currency:
            table.say(ERROR, "other_currency", f"values in {currency.upper()}, but the BOM's values are in "
                      f"{bom.currency}; convert them", row, part)
        unit_value = table.number(cells, "unit_value", row, part)
        cost_delta = table.number(cells, "cost_delta", row, part, negative=True)
        cn_part1_value = table.number(cells, "cn_part1_value", row, part)
        capacity = table.number(cells, "capacity", row, part)
        options.append(SourcingOption(part, name, origin, unit_value, cost_delta, cn_part1_value, capacity,
                                      to_text(cells.get("source")) or "", row))
    if any(issue.severity == ERROR for issue in issues):
        raise BomDataError(issues, str(path))
    return SourcingOptions(tuple(options), tuple(issues), str(path))


def read_volumes(path: str | os.PathLike, bom: Bom | None = None, decimal: str | None = None) -> VolumeTable:
    """Read an annual-volumes file (``item``, ``annual_volume``); with ``bom``, check every item.
    ``decimal`` (``"."`` or ``","``, the user's ``--decimal``) says how text numbers are written.

    An item that is a component of another part is accepted (spares sold on their own) with a
    warning. Raises :class:`~bomcalc.core.errors.BomDataError` carrying every data problem found.
    """
    sheet = _sheet(path, ("volumes", "annual volumes"))
    issues: list[DataIssue] = []
    table = _Rows(sheet, "volumes", ("item", "annual_volume"), issues, decimal)
    volumes: list[AnnualVolume] = []
    first_row: dict[str, int] = {}
    for row, cells in table.body():
        item = to_text(cells.get("item"))
        if item is None:
            table.say(ERROR, "missing_item", "the row names no item; give the finished part_id", row)
            continue
        if item in first_row:
            table.say(ERROR, "duplicate_item", f"'{item}' also has a volume on row {first_row[item]}; keep one row", row, item)
            continue
        first_row[item] = row
        if bom is not None:
            if item not in bom.parts.index:
                table.say(ERROR, "unknown_part", f"'{item}' is not a part of the BOM; correct the part number", row, item)
            elif bom.graph.in_degree(item):
                table.say(WARNING, "component_volume", f"'{item}' is also a component of "
                          f"{', '.join(sorted(bom.graph.predecessors(item)))}; its volume counts as sold on its own "
                          "(spares), on top of the units inside those", row, item)
        volume = table.number(cells, "annual_volume", row, item)
        if volume is None:
            if not any(i.row == row and i.severity == ERROR for i in issues):
                table.say(ERROR, "missing_volume", "annual_volume is blank; give the units a year", row, item)
            continue
        volumes.append(AnnualVolume(item, volume, row))
    if any(issue.severity == ERROR for issue in issues):
        raise BomDataError(issues, str(path))
    return VolumeTable(tuple(volumes), tuple(issues), str(path))
