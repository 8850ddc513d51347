"""What-if scenarios: the change records, reading them, and applying them to a copy of a BOM (core layer).

A :class:`Scenario` is a name and a list of :class:`Change` records: set a part's ``origin``,
``unit_value``, ``cn_technology`` or ``annex1``; set or remove a supplier declaration;
substitute a part by another everywhere or under given parents; change or remove a BOM line;
change the as-of date or the threshold. :func:`apply_scenario` returns a new :class:`Bom`; the
baseline is never modified. A change naming an unknown part or line is a
:class:`~bomcalc.core.errors.ScenarioError` naming the scenario and the change, and nothing is
applied halfway. Comparing scenarios with the baseline is :mod:`bomcalc.core.scenarios`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from .errors import ScenarioError
from .graph import GraphSource, order_lines
from .model import Bom
from .values import EXACT, part_id_text, to_bool, to_country, to_date, to_decimal, to_text

SETTABLE = ("origin", "unit_value", "cn_technology", "annex1")


@dataclass(frozen=True)
class Change:
    """One change of a scenario. ``text`` is the change as written, for messages."""

    kind: str
    part: str | None = None
    values: tuple[tuple[str, object], ...] = ()
    with_part: str | None = None
    under: tuple[str, ...] = ()
    parent: str | None = None
    child: str | None = None
    qty: Decimal | None = None
    cn_part1_value: Decimal | None = None
    unknown_origin_part1_value: Decimal | None = None
    source: str = ""
    date: dt.date | None = None
    threshold: Decimal | None = None
    text: str = ""


@dataclass(frozen=True)
class Scenario:
    """A named list of changes to a baseline."""

    name: str
    changes: tuple[Change, ...]
    description: str = ""

    @property
    def as_of(self) -> dt.date | None:
        """The as-of date this scenario sets, if any."""
        dates = [c.date for c in self.changes if c.kind == "as_of"]
        return dates[-1] if dates else None

    @property
    def threshold(self) -> Decimal | None:
        """The threshold this scenario sets, if any."""
        values = [c.threshold for c in self.changes if c.kind == "threshold"]
        return values[-1] if values else None


def _fail(scenario: str, number: int, change_text: str, message: str) -> ScenarioError:
    return ScenarioError(f"scenario '{scenario}', change {number} ({change_text}): {message}")


def _number(value, what: str) -> Decimal:
    try:
        number = to_decimal(value)
    except ValueError:
        number = None
    if number is None:
        raise ValueError(f"{what} must be a number, found {value!r}")
    return number


def parse_change(raw: dict, scenario: str, number: int) -> Change:
    """One change from its TOML/sheet form (see the README for every form)."""
    text = ", ".join(f"{k} = {v!r}" for k, v in raw.items())
    try:
        keys = set(raw)
        if "set" in keys:
            values = raw["set"]
            if not isinstance(values, dict) or not values:
                raise ValueError("set needs a table of fields, e.g. set = { origin = \"JP\" }")
            unknown = set(values) - set(SETTABLE)
            if unknown:
                raise ValueError(f"cannot set {', '.join(sorted(unknown))}; settable: {', '.join(SETTABLE)}")
            clean = []
            for name, value in values.items():
                if name == "origin":
                    code, note = to_country(value)
                    if code is None and to_text(value) not in (None, "unknown"):
                        raise ValueError(f"origin {value!r} is not a country code")
                    clean.append((name, code))
                elif name == "unit_value":
                    number = None if to_text(value) is None else _number(value, "unit_value")
                    if number is not None and number < 0:
                        raise ValueError("unit_value must be 0 or more")
                    clean.append((name, number))
                elif name == "cn_technology":
                    clean.append((name, bool(to_bool(value))))
                else:
                    label = to_text(value)
                    if label not in (None, "part1", "part2"):
                        raise ValueError(f"annex1 must be part1, part2 or blank, found {value!r}")
                    clean.append((name, label))
            return Change("set", part=_required(raw, "part"), values=tuple(clean), text=text)
        if "declare" in keys:
            declared = raw["declare"]
            return Change(
                "declare",
                part=_required(raw, "part"),
                cn_part1_value=_number(declared.get("cn_part1_value"), "cn_part1_value"),
                unknown_origin_part1_value=_number(declared.get("unknown_origin_part1_value", 0), "unknown_origin_part1_value"),
                source=str(declared.get("source", f"scenario {scenario}")),
                text=text,
            )
        if "undeclare" in keys:
            return Change("undeclare", part=_required(raw, "part"), text=text)
        if "substitute" in keys:
            under = raw.get("under", ())
            under = tuple(_id(u) for u in ((under,) if isinstance(under, str) else under))
            return Change("substitute", part=_id(raw["substitute"]), with_part=_required(raw, "with"), under=under, text=text)
        if "parent" in keys and "child" in keys:
            if raw.get("remove"):
                return Change("remove_line", parent=_id(raw["parent"]), child=_id(raw["child"]), text=text)
            qty = _number(raw.get("qty"), "qty")
            if qty <= 0:
                raise ValueError("qty must be greater than 0 (use remove = true to remove the line)")
            return Change("qty", parent=_id(raw["parent"]), child=_id(raw["child"]), qty=qty, text=text)
        if "as_of" in keys:
            value = raw["as_of"]
            date = to_date(value)
            if date is None:
                raise ValueError("as_of needs a date, written YYYY-MM-DD")
            return Change("as_of", date=date, text=text)
        if "threshold" in keys:
            share = _number(raw["threshold"], "threshold")
            if not 0 < share < 1:
                raise ValueError("threshold is a share between 0 and 1, e.g. 0.001 for 0.1%")
            return Change("threshold", threshold=share, text=text)
    except (ValueError, TypeError, KeyError) as exc:
        raise _fail(scenario, number, text, str(exc)) from None
    raise _fail(scenario, number, text, "not a change bomcalc knows; use set, declare, undeclare, substitute, "
                "parent/child with qty or remove, as_of or threshold")


def _required(raw: dict, key: str) -> str:
    if to_text(raw.get(key)) is None:
        raise ValueError(f"'{key}' is missing")
    return _id(raw[key])


def _id(cell) -> str:
    """A part id as every reader reads it (:func:`~bomcalc.core.values.part_id_text`)."""
    return part_id_text(cell) or str(cell)


def parse_scenarios(entries: list[dict]) -> tuple[Scenario, ...]:
    """Scenarios from their parsed form: ``[{"name": ..., "changes": [...]}, ...]``."""
    scenarios, names = [], set()
    for position, entry in enumerate(entries, start=1):
        name = to_text(entry.get("name")) or f"scenario {position}"
        if name in names:
            raise ScenarioError(f"scenario '{name}' is defined twice; give each scenario its own name")
        names.add(name)
        changes = entry.get("changes", [])
        if not changes:
            raise ScenarioError(f"scenario '{name}' has no changes")
        scenarios.append(Scenario(name, tuple(parse_change(c, name, i) for i, c in enumerate(changes, start=1)),
                                  str(entry.get("description", ""))))
    return tuple(scenarios)


# --- applying -------------------------------------------------------------------------------


def _check_part(bom: Bom, part: str, scenario: Scenario, number: int, change: Change) -> None:
    if part not in bom.parts.index:
        raise _fail(scenario.name, number, change.text, f"part '{part}' is not in the BOM")


def apply_scenario(bom: Bom, scenario: Scenario) -> Bom:
    """A new :class:`Bom` with the scenario's part, declaration and line changes applied.

    The as-of date and threshold changes are not BOM changes: :func:`compare` applies them.
    """
    parts = bom.parts.copy()
    declarations = bom.declarations.copy()
    lines = {(line.parent, line.child): dict(line._asdict()) for line in bom.lines.itertuples(index=False)}
    for number, change in enumerate(scenario.changes, start=1):
        if change.kind == "set":
            _check_part(bom, change.part, scenario, number, change)
            for name, value in change.values:
                parts.at[change.part, name] = value
                if name == "annex1" and "annex1_known" in parts.columns:
                    parts.at[change.part, "annex1_known"] = True
        elif change.kind == "declare":
            _check_part(bom, change.part, scenario, number, change)
            record = {"part_id": change.part, "cn_part1_value": change.cn_part1_value,
                      "unknown_origin_part1_value": change.unknown_origin_part1_value, "currency": bom.currency,
                      "cn_technology": None, "source": change.source, "row": None, "file": None, "sheet": None}
            declarations = pd.concat(
                [declarations.drop(index=[change.part], errors="ignore"),
                 pd.DataFrame([record], dtype=object).set_index(pd.Index([change.part]))]
            )
        elif change.kind == "undeclare":
            _check_part(bom, change.part, scenario, number, change)
            if change.part not in declarations.index:
                raise _fail(scenario.name, number, change.text, f"part '{change.part}' has no declaration to remove")
            declarations = declarations.drop(index=[change.part])
        elif change.kind == "substitute":
            _check_part(bom, change.part, scenario, number, change)
            _check_part(bom, change.with_part, scenario, number, change)
            for parent in change.under:
                _check_part(bom, parent, scenario, number, change)
            hits = [key for key in lines if key[1] == change.part and (not change.under or key[0] in change.under)]
            if not hits:
                where = f" under {', '.join(change.under)}" if change.under else ""
                raise _fail(scenario.name, number, change.text, f"part '{change.part}' is not used{where}")
            for key in hits:
                line = lines.pop(key)
                new_key = (key[0], change.with_part)
                if new_key in lines:
                    lines[new_key]["qty"] = EXACT.add(lines[new_key]["qty"], line["qty"])
                else:
                    lines[new_key] = {**line, "child": change.with_part}
        elif change.kind in ("qty", "remove_line"):
            key = (change.parent, change.child)
            if key not in lines:
                raise _fail(scenario.name, number, change.text, f"there is no line {change.parent} -> {change.child}")
            if change.kind == "qty":
                lines[key] = {**lines[key], "qty": change.qty}
            else:
                del lines[key]
    line_order = order_lines(parts.index, [key[0] for key in lines], [key[1] for key in lines])
    if line_order.has_cycle:
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(parts.index)
        graph.add_edges_from(lines)
        cycle = " -> ".join(edge[0] for edge in nx.find_cycle(graph))
        raise ScenarioError(f"scenario '{scenario.name}' makes the BOM cyclic ({cycle}); check the substitutions")
    lines_frame = pd.DataFrame(list(lines.values()), columns=list(bom.lines.columns), dtype=object)
    # the graph of the changed lines, built only if something reads it
    return bom.with_changes(parts=parts, lines=lines_frame, declarations=declarations,
                            graph=GraphSource(line_order.ids, lines_frame, line_order))  # its codes reused by the arrays
