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
from .aliases import header_key
from .sheets import read_sheets


def _sheet_entries(rows: list[list], where: str) -> list[dict]:
    if not rows:
        raise ScenarioError(f"{where}: the scenarios sheet is empty")
    header = [header_key(cell) for cell in rows[0]]
    entries: dict[str, list[dict]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[i] for i, name in enumerate(header) if i < len(row) and name and not is_blank(row[i])}
        if not cells:
            continue
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


def read_scenarios(path: str | os.PathLike) -> tuple[Scenario, ...]:
    """Scenarios from a TOML file (``[[scenario]]``) or a workbook's ``scenarios`` sheet."""
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
        return parse_scenarios(_sheet_entries(sheet.rows, f"{path}, sheet '{sheet.name}'"))
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") if not str(exc).startswith(str(path)) else exc from None
