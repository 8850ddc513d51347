"""A part named on several rows: its attributes merged, conflicts between rows reported (I/O layer)."""

from __future__ import annotations

from decimal import Decimal

from ..core.errors import ERROR, DataIssue
from ..core.values import is_blank, to_bool, to_country
from .price_units import price_of as _price, price_text as _price_text, price_unit_conflict as _price_unit_conflict, same_unit, shown as _shown


#: Part attributes a row may carry; the value-bearing ones must agree across repeats.
PART_ATTRIBUTES = ("description", "origin", "unit_value", "price_unit", "currency", "uom", "annex1", "cn_technology", "phantom",
                   "supplier", "hs_code", "us_controlled")  # supplier: who to ask (bomcalc requests); hs_code: for suggestions; neither decides
VALUE_ATTRIBUTES = ("origin", "unit_value", "currency", "annex1", "cn_technology", "phantom", "us_controlled")


def _same(name: str, first, other) -> bool:
    if name == "origin":
        return to_country(first)[0] == to_country(other)[0]
    if name in ("cn_technology", "phantom"):
        try:
            return bool(to_bool(first)) == bool(to_bool(other))
        except ValueError:
            return str(first).strip().lower() == str(other).strip().lower()
    if isinstance(first, Decimal) and isinstance(other, Decimal):
        return first == other
    return str(first).strip().lower() == str(other).strip().lower()


def merge_part(parts: dict, part_id: str, attributes: dict, where: tuple, out_issues: list[DataIssue],
               settled: dict | None = None) -> bool:
    """Add one row's attributes for a part; report conflicts with earlier rows. True when new.

    ``where`` is ``(file, sheet, row)``. A value attribute given twice with different values is
    a ``conflicting_attributes`` error naming both places; blanks are filled from later rows.

    ``settled``: a dict kept by a caller that merges rows one after another with nothing else
    changing ``parts`` in between. A row that repeats, attribute for attribute (the same names in
    the same order, each value of the same type and equal), the part's last row that changed nothing
    and reported nothing, is passed over: merging it again would do the same, since a value equal to
    one of its type decides alike (a part named on thousands of rows is compared once).
    """
    if part_id not in parts:
        parts[part_id] = {**attributes, "part_id": part_id, "file": where[0], "sheet": where[1], "row": where[2],
                          "_where": {name: where for name, value in attributes.items() if value is not None and not is_blank(value)}}
        return True
    if settled is None:
        _merge_into(parts[part_id], part_id, attributes, where, out_issues)
        return False
    last = settled.get(part_id)
    if last is not None and _repeats(last, attributes):
        return False
    _merge_settling(parts[part_id], part_id, attributes, where, out_issues, settled, dict(attributes))  # a copy: the caller's dict is the caller's
    return False


def merge_row(parts: dict, part_id: str, cells: dict, where: tuple, out_issues: list[DataIssue], settled: dict) -> None:
    """:func:`merge_part` of one row's :data:`PART_ATTRIBUTES` among its ``cells`` (a blank for each
    one missing), with ``settled`` kept as there, by a caller that merges rows one after another.

    A row whose attribute values are those of its part's last settled row (each equal and of the
    same type) is passed over before a dict of them is made: this is :func:`merge_part`'s rule with
    the names fixed, so it needs only the values (the rows of an export are compared a tuple at a time).
    So is a row whose values are those its part's record holds: merging a value into an equal one of
    its type changes nothing and reports nothing (a unit is always one unit with itself). That covers
    the rows that repeat the row that added the part, without keeping a settled row for every part.
    """
    values = tuple(map(cells.get, PART_ATTRIBUTES))
    last = settled.get(part_id)
    if last is not None and _alike(last, values):
        return
    record = parts.get(part_id)
    if record is None:
        merge_part(parts, part_id, dict(zip(PART_ATTRIBUTES, values)), where, out_issues)
        return
    if _alike(tuple(map(record.get, PART_ATTRIBUTES)), values):
        return
    _merge_settling(record, part_id, dict(zip(PART_ATTRIBUTES, values)), where, out_issues, settled, values)


def _alike(first: tuple, other: tuple) -> bool:
    """Whether two rows of values are equal value for value, each pair of the same type."""
    return first == other and tuple(map(type, first)) == tuple(map(type, other))


def _merge_settling(record, part_id, attributes, where, out_issues, settled: dict, key) -> None:
    """Merge ``attributes`` into ``record`` and keep ``key`` as the part's settled row when that
    changed nothing and reported nothing; forget its settled row otherwise."""
    said = len(out_issues)
    if _merge_into(record, part_id, attributes, where, out_issues) or len(out_issues) != said:
        settled.pop(part_id, None)
    else:
        settled[part_id] = key


def _repeats(last: dict, attributes: dict) -> bool:
    """Whether ``attributes`` names what ``last`` names, in the same order, each value of the same type
    and equal (``==``: ``Decimal('5.0')`` repeats ``Decimal('5')``, ``1`` does not repeat ``True``)."""
    return list(last) == list(attributes) and _alike(tuple(last.values()), tuple(attributes.values()))


def _merge_into(record: dict, part_id: str, attributes: dict, where: tuple, out_issues: list[DataIssue]) -> bool:
    """:func:`merge_part` of a part already in ``parts`` (its ``record``); True when a value was set."""
    changed = price_filled = price_reported = False
    price_units = _price_unit_conflict(record, attributes)
    if price_units is not None:
        first = record["_where"].get("uom", (record["file"], record["sheet"], record["row"]))
        out_issues.append(DataIssue(
            ERROR, "conflicting_attributes",
            f"part '{part_id}' has a price per '{price_units[1]}' here but per '{price_units[0]}' at {place_text(first)}; "
            "the same price cannot be per both units: give the part's price and its unit once (or in a parts master "
            "with a uom column), or make the rows' units agree", where[1], where[2], part_id, where[0]))
    elif not is_blank(attributes.get("unit_value")) and is_blank(record.get("unit_value")) and not is_blank(attributes.get("uom")):
        record["uom"] = attributes["uom"]  # the price now given is per this row's unit
        record["_where"]["uom"] = where
        changed = True
    for name in PART_ATTRIBUTES:
        value = attributes.get(name)
        if is_blank(value):
            continue
        current = record.get(name)
        if value is current or (type(value) is type(current) and value == current):
            continue
        if is_blank(current):
            if name == "price_unit" and not price_filled and not is_blank(record.get("unit_value")):
                continue  # a price given without a price unit stays a price per one unit
            price_filled = price_filled or name == "unit_value"
            record[name] = value
            record["_where"][name] = where
            changed = True
            continue
        if name == "uom" or (name in ("unit_value", "price_unit") and not same_unit(record.get("uom"), attributes.get("uom"))):
            continue  # a line's unit is its own; a price's unit was compared above
        same = _price(record) == _price(attributes) if name in ("unit_value", "price_unit") else _same(name, current, value)
        if name in VALUE_ATTRIBUTES + ("price_unit",) and not same:
            first = record["_where"].get(name, (record["file"], record["sheet"], record["row"]))
            if name in ("unit_value", "price_unit"):
                if price_reported:
                    continue
                price_reported = True
                said = f"a price of {_price_text(attributes)} here but {_price_text(record)}"
            else:
                said = f"{name} '{_shown(value)}' here but '{_shown(current)}'"
            out_issues.append(
                DataIssue(
                    ERROR,
                    "conflicting_attributes",
                    f"part '{part_id}' has {said} at {place_text(first)}; "
                    "make the rows agree",
                    where[1],
                    where[2],
                    part_id,
                    where[0],
                )
            )
    return changed


def place_text(where: tuple) -> str:
    """``(file, sheet, row)`` as text for messages."""
    file, sheet, row = where
    return f"{file}, sheet '{sheet}', row {row}"
