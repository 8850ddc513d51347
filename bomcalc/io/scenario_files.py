"""Reading what-if scenarios from a TOML file or a ``scenarios`` sheet (I/O layer).

TOML::

    [[scenario]]
    name = "Dy from Japan"
    changes = [{ part = "DY-MET", set = { origin = "JP", unit_value = 340 } }]

A ``scenarios`` sheet (in the BOM workbook or its own file) has one row per change:
``scenario``, ``change`` (set, declare, undeclare, substitute, qty, remove, as_of, threshold),
``part``, ``field`` and ``value`` (for set), ``with`` and ``under`` (for substitute; ``under``
lists parents separated by commas), ``parent``, ``child``, ``qty``, ``cn_part1_value``,
``unknown_origin_part1_value``, ``source``, ``date``, ``threshold``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ..core.errors import InputFileError, ScenarioError
from ..core.scenarios import Scenario, parse_scenarios
from ..core.values import is_blank, to_text
from .aliases import column_lookup, header_key
from .numbers import choose_number_style, parse_number
from .sheets import read_sheets


#: Scenario-sheet columns that hold numbers (``value`` only when it sets ``unit_value`` or a threshold).
NUMBER_COLUMNS = ("qty", "threshold", "cn_part1_value", "unknown_origin_part1_value")


def _read_numbers(cells: dict, decimal: str | None, where: str, number: int) -> dict:
    """The row's number cells read with ``decimal`` (``--decimal``); without it, a text number
    with a comma is refused (it reads either way or needs a decimal comma), never guessed."""
    kind = (to_text(cells.get("change")) or "").lower()
    names = NUMBER_COLUMNS + (("value",) if kind == "threshold" or (
        kind == "set" and (to_text(cells.get("field")) or "").lower() == "unit_value") else ())
    read = dict(cells)
    for name in names:
        cell = cells.get(name)
        if not isinstance(cell, str) or "," not in cell:
            continue
        if decimal is None:
            raise ScenarioError(f"{where}, row {number}, column {name}: '{cell}' has a comma; say how numbers "
                                "are written with --decimal , or --decimal .")
        try:
            read[name] = parse_number(cell, choose_number_style((), decimal))
        except ValueError as exc:
            raise ScenarioError(f"{where}, row {number}, column {name}: {exc}") from None
    return read


def _sheet_entries(rows: list[list], where: str, decimal: str | None = None) -> list[dict]:
    if not rows:
        raise ScenarioError(f"{where}: the scenarios sheet is empty")
    lookup = column_lookup("scenarios")
    header = [lookup.get(header_key(cell), header_key(cell)) for cell in rows[0]]
    entries: dict[str, list[dict]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[i] for i, name in enumerate(header) if i < len(row) and name and not is_blank(row[i])}
        if not cells:
            continue
        cells = _read_numbers(cells, decimal, where, number)
        name, kind = to_text(cells.get("scenario")), (to_text(cells.get("change")) or "").lower()
        if name is None:
            raise ScenarioError(f"{where}, row {number}: the scenario name is blank")
        if kind == "set":
            change = {"part": cells.get("part"), "set": {to_text(cells.get("field")): cells.get("value")}}
        elif kind == "declare":
            change = {"part": cells.get("part"), "declare": {k: cells.get(k) for k in ("cn_part1_value", "unknown_origin_part1_value", "source") if k in cells}}
        elif kind == "undeclare":
            change = {"part": cells.get("part"), "undeclare": True}
        elif kind == "substitute":
            under = to_text(cells.get("under"))
            change = {"substitute": cells.get("part"), "with": cells.get("with"),
                      **({"under": [u.strip() for u in under.split(",")]} if under else {})}
        elif kind in ("qty", "remove"):
            change = {"parent": cells.get("parent"), "child": cells.get("child"),
                      **({"remove": True} if kind == "remove" else {"qty": cells.get("qty")})}
        elif kind == "as_of":
            change = {"as_of": cells.get("date") or cells.get("value")}
        elif kind == "threshold":
            change = {"threshold": cells.get("threshold") or cells.get("value")}
        else:
            raise ScenarioError(f"{where}, row {number}: change '{kind}' is not known; use set, declare, undeclare, "
                                "substitute, qty, remove, as_of or threshold")
        entries.setdefault(name, []).append(change)
    return [{"name": name, "changes": changes} for name, changes in entries.items()]


def read_scenarios(path: str | os.PathLike, decimal: str | None = None) -> tuple[Scenario, ...]:
    """Scenarios from a TOML file (``[[scenario]]``) or a workbook's ``scenarios`` sheet; the
    sheet's text numbers are read with ``decimal`` (``"."`` or ``","``, the user's ``--decimal``)."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
        entries = data.get("scenario", [])
        if not entries:
            raise ScenarioError(f"{path}: no [[scenario]] tables found")
        try:
            return parse_scenarios(entries)
        except ScenarioError as exc:
            raise ScenarioError(f"{path}: {exc}") from None
    sheets = read_sheets(path)
    sheet = next((s for s in sheets if header_key(s.name) == "scenarios"), None)
    if sheet is None:
        raise ScenarioError(f"{path}: no sheet named 'scenarios' (sheets: {', '.join(s.name for s in sheets)})")
    try:
        return parse_scenarios(_sheet_entries(sheet.rows, f"{path}, sheet '{sheet.name}'", decimal))
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") if not str(exc).startswith(str(path)) else exc from None
