"""What some columns mean once the header is known (I/O layer).

Helpers of :func:`bomcalc.io.layouts.read_structure`, each for one column quirk of real
exports:

* :func:`fill_down`: Odoo and ERPNext name the parent only on the first line of each BoM;
* :func:`drop_word_price_units`: a "Per" column holding "Unit" or "EA" is not a price unit;
* :func:`apply_quantity_basis`: a quantity given per N units of the parent (Dynamics "Per series");
* :func:`check_designators`: an EDA line's quantity against its count of designators;
* :func:`resolve_alternates`: whether an alternative-group column really marks alternatives.

``out`` is the reader's collector (``add(severity, code, message, row, part_id)``).
"""

from __future__ import annotations

import re
from decimal import Context, Decimal

from ..core.errors import ERROR, WARNING
from ..core.ledger import REJECTED, SKIPPED
from ..core.values import exact_quotient, is_blank, to_text

ALTERNATE_MODES = ("rank", "probability", "group", "ignore", "fitted")


def fill_down(data: list[tuple[int, dict]], names) -> int:
    """Blank cells of ``names`` repeat the cell above (rows that are wholly blank stay blank).

    The first name keys the group (Odoo's and ERPNext's parent, named on the first line of its
    BoM): its blanks repeat the cell above. The other names (the BoM's quantity) are filled
    only on the rows that continue a group, where the first name was blank: a row that names
    a new parent with a blank quantity does not inherit the previous BoM's.
    """
    filled = 0
    names = list(names or ())
    continues = {}
    for position, name in enumerate(names):
        last = None
        for row, cells in data:
            if name not in cells:
                break
            if all(is_blank(c) for c in cells.values()):
                continue
            if position == 0:
                continues[row] = is_blank(cells[name])
            if is_blank(cells[name]):
                if last is not None and (position == 0 or continues.get(row, True)):
                    cells[name] = last
                    filled += 1
            else:
                last = cells[name]
            if position > 0 and not continues.get(row, True):
                last = cells[name] if not is_blank(cells[name]) else None
    return filled


def drop_word_price_units(data: list[tuple[int, dict]], header_cell: str, out) -> bool:
    """Refuse a price-unit column that holds words ("Unit", "EA") instead of numbers.

    Every non-blank cell a word: the column is not a price unit (SyteLine's "Per" holds the
    quantity basis); it is dropped with a warning. Words among numbers: each such row gets an
    error, since its price cannot be read. True when the column was dropped.
    """
    words = [(row, cells["price_unit"]) for row, cells in data
             if isinstance(cells.get("price_unit"), str) and not is_blank(cells["price_unit"])]
    numbers = [row for row, cells in data if isinstance(cells.get("price_unit"), Decimal)]
    if not words:
        return False
    shown = ", ".join(sorted({repr(str(w).strip()) for _, w in words})[:5])
    if not numbers:
        out.add(WARNING, "price_unit_not_numeric",
                f"column '{header_cell}' holds words ({shown}), not price units (the number of units a price is for); "
                "it was not used, so prices are per one unit. If it is a price unit, put numbers in it; to silence "
                f"this, add ignore = [\"{header_cell}\"] to a --map file")
        for _, cells in data:
            cells.pop("price_unit", None)
        return True
    for row, word in words:
        out.add(ERROR, "bad_price_unit", f"price unit '{word}' in column '{header_cell}' is not a number; "
                "give the number of units the price is for (1, 10, 100, 1000)", row, to_text(data_part(data, row)))
    return False


def data_part(data, row):
    for r, cells in data:
        if r == row:
            return cells.get("part_id")
    return None


def apply_quantity_basis(kept: list[tuple[int, dict]], out, header_cell: str = "qty_basis") -> str | None:
    """Quantities given per N units of the parent become per one unit (qty / N, exact).

    Odoo's and ERPNext's BoM ``Quantity`` (a BoM that makes 2) and Dynamics' ``Per series``
    are such bases. A quotient without a finite decimal (1 / 3) is rounded to 34 digits with
    a warning naming the row. Returns the reading note saying what was divided, or ``None``.
    """
    divided: dict[str, list[int]] = {}
    for row, cells in kept:
        basis, qty = cells.get("qty_basis"), cells.get("qty")
        if is_blank(basis) or basis == 1:
            continue
        if not isinstance(basis, Decimal) or basis <= 0:
            out.add(ERROR, "bad_quantity_basis", f"quantity basis '{basis}' in column '{header_cell}' is not a positive "
                    "number; the quantity cannot be turned into a quantity per one parent: give the quantity the "
                    "parent's BoM is for (1, 2, 100)", row, to_text(cells.get("part_id")))
            cells["qty"] = None
            continue
        if isinstance(qty, Decimal):
            exact = exact_quotient(qty, basis)
            if exact is None:
                out.add(WARNING, "inexact_quantity", f"{_plain(qty)} / {_plain(basis)} (column '{header_cell}') is not "
                        "a finite decimal; rounded to 34 digits", row, to_text(cells.get("part_id")))
                exact = Context(prec=34).divide(qty, basis)
            cells["qty"] = exact
            parent = to_text(cells.get("parent"))
            divided.setdefault(f"{parent}: {_plain(basis)}" if parent else _plain(basis), []).append(row)
    if not divided:
        return None
    count = sum(len(rows) for rows in divided.values())
    return (f"{count} line quantit{'y' if count == 1 else 'ies'} divided by the quantity in column '{header_cell}' "
            f"({'; '.join(divided)}): the lines are given per that many units of the parent, and are now per one")


def _plain(number: Decimal) -> str:
    """A decimal as written, without a float's spurious ``.0``."""
    return format(number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize(), "f")


_RANGE = re.compile(r"^([A-Za-z_]+)(\d+)\s*-\s*\1?(\d+)$")


def count_designators(cell) -> int | None:
    """How many reference designators a cell lists ("C1, C17, C28" = 3; "R1-R4" = 4)."""
    text = to_text(cell)
    if text is None:
        return None
    count = 0
    for token in re.split(r"[,;\s]+", text.strip()):
        if not token:
            continue
        match = _RANGE.match(token)
        count += int(match.group(3)) - int(match.group(2)) + 1 if match and int(match.group(3)) >= int(match.group(2)) else 1
    return count


def check_designators(kept: list[tuple[int, dict]], out) -> int:
    """Warn where an EDA line's quantity differs from its number of designators."""
    disagree = 0
    for row, cells in kept:
        count, qty = count_designators(cells.get("designators")), cells.get("qty")
        if count is None or not isinstance(qty, Decimal) or qty == count:
            continue
        disagree += 1
        out.add(WARNING, "designator_count", f"quantity {qty} but {count} designator(s) listed "
                f"('{to_text(cells.get('designators'))}'); the quantity was used. Check which one is right",
                row, to_text(cells.get("part_id")))
    return disagree


def _rank(cells: dict):
    rank = cells.get("alt_rank")
    return rank if isinstance(rank, Decimal) else None


def resolve_alternates(lines: list[dict], cells_by_row: dict[int, dict], mode: str | None) -> list[str]:
    """Clear ``alt_group`` where a group column does not mark alternatives; notes say what was done.

    * ``mode`` ``"group"``: the profile says a shared group means alternatives; kept as read.
    * ``"ignore"``: the group column never means alternatives.
    * otherwise by evidence, per (parent, group): with ranks (``alt_rank``), the members of
      the lowest rank are fitted; when several share it they are all fitted (no alternative
      among them) and the others stay alternatives to each other; when one holds it the group
      is one position and that member is listed first (the ``primary`` choice). With usage
      probabilities the group is alternatives (SAP's meaning). With neither, nothing tells the
      members apart: the column is ignored.
    """
    groups: dict[tuple, list[dict]] = {}
    for line in lines:
        group = to_text(line.get("alt_group"))
        if group is not None:
            groups.setdefault((line["parent"], group), []).append(line)
    if not groups or mode == "group":
        return []
    notes: list[str] = []
    ignored = fitted = 0
    for (parent, group), members in groups.items():
        ranks = [_rank(cells_by_row.get(m["row"], {})) for m in members]
        has_probability = any(m.get("usage_probability") is not None for m in members)
        if mode == "ignore" or (mode != "probability" and all(r is None for r in ranks) and not has_probability):
            for member in members:
                member["alt_group"] = None
            ignored += len(members) > 1
            continue
        if all(r is None for r in ranks):
            continue  # usage probabilities tell the members apart
        lowest = min(r for r in ranks if r is not None)
        first = [m for m, r in zip(members, ranks) if r == lowest]
        if len(first) > 1:
            for member in first:
                member["alt_group"] = None
            fitted += 1
        else:
            order = sorted(range(len(members)), key=lambda i: (ranks[i] is None, ranks[i] or 0, i))
            positions = [lines.index(m) for m in members]
            for slot, index in zip(sorted(positions), order):
                lines[slot] = members[index]
    if ignored:
        notes.append(f"{ignored} alternative group(s) read as plain positions: nothing (rank, priority or usage "
                     "probability) tells their members apart, so every member counts")
    if fitted:
        notes.append(f"{fitted} group(s) with several members of rank 0 read as lines that are all fitted")
    return notes


def profile_name(mapping) -> str | None:
    """The profile read with: a shipped profile's name, the path of a user's profile file, or None."""
    profile = mapping.profile
    if profile is None:
        return None
    return profile.name if profile.path.startswith("profiles/") else profile.path


def report_ties(header, out) -> bool:
    """Two header cells of equal rank claiming one column: an error, never settled by column order."""
    for name, cells in header.ambiguous:
        out.add(ERROR, "ambiguous_column", f"{' and '.join(cells)} both read as {name}, and nothing ranks one above "
                f"the other; name the right one in a --map file ([columns] {name} = \"...\") and ignore the other "
                "(ignore = [\"...\"])", header.index + 1)
    return not header.ambiguous


def apply_alternates(structure, kept, mapping, file: str, out=None):
    """Keep an alternative group only where ranks or probabilities tell its members apart.

    With ``out`` (the reader's collector), a group with several fitted lines of the lowest rank
    and alternatives of higher rank is an ``ambiguous_alternates`` error (which fitted line an
    alternative replaces is not said), unless ``[layout] alternates = "fitted"``: then the
    lowest-rank lines are plain lines and the others are skipped as alternatives not fitted.
    """
    if structure is None:
        return None
    if all(line.get("alt_group") is None for line in structure.lines):
        return structure  # no line names a group (the sheet has no group column): nothing to resolve
    cells_by_row = {row: cells for row, cells in kept}
    mode = mapping.layout.get("alternates")
    notes = []
    if out is not None:
        notes = _fitted_only(structure, cells_by_row, mode, out)
    notes += resolve_alternates(structure.lines, cells_by_row, mode)
    structure.notes.extend(f"{file}: {note}" for note in notes)
    return structure


def _fitted_only(structure, cells_by_row: dict[int, dict], mode: str | None, out) -> list[str]:
    """Ranked groups whose alternatives cannot be placed: an error, or (mode ``fitted``) dropped."""
    if mode in ("group", "ignore", "probability"):
        return []
    groups: dict[tuple, list[dict]] = {}
    for line in structure.lines:
        group = to_text(line.get("alt_group"))
        if group is not None:
            groups.setdefault((line["parent"], group), []).append(line)
    dropped: list[dict] = []
    for (parent, group), members in groups.items():
        ranks = [_rank(cells_by_row.get(m["row"], {})) for m in members]
        if any(r is None for r in ranks):
            continue
        lowest = min(ranks)
        fitted = [m for m, r in zip(members, ranks) if r == lowest]
        others = [m for m, r in zip(members, ranks) if r != lowest]
        if not others or (len(fitted) == 1 and mode != "fitted"):
            continue
        if mode != "fitted":
            rows = ", ".join(str(m["row"]) for m in members)
            out.add(ERROR, "ambiguous_alternates", f"group {group} of {parent} has {len(fitted)} fitted lines of rank "
                    f"{_shown(lowest)} ({', '.join(m['child'] for m in fitted)}) and alternatives of higher rank "
                    f"({', '.join(m['child'] for m in others)}), rows {rows}: which fitted line an alternative "
                    "replaces is not said. Give each alternative the group of the one line it replaces (a group "
                    "number of its own), or count only the fitted lines with a --map or profile file "
                    "([layout] alternates = \"fitted\")", fitted[0]["row"], parent)
            for member in members:
                out.ledger.mark(out.sheet.file, out.sheet.name, member["row"], REJECTED, "ambiguous alternates", force=True)
            continue
        for member in fitted:
            member["alt_group"] = None
        dropped.extend(others)
    if not dropped:
        return []
    children = {line["child"] for line in structure.lines}
    structure.lines[:] = [line for line in structure.lines if not any(line is d for d in dropped)]
    below: list[dict] = []  # the components of an alternative assembly not fitted, and theirs
    while True:
        gone = children - {line["child"] for line in structure.lines}
        more = [line for line in structure.lines if line["parent"] in gone]
        if not more:
            break
        below.extend(more)
        structure.lines[:] = [line for line in structure.lines if line["parent"] not in gone]
    used = {line["child"] for line in structure.lines} | {line["parent"] for line in structure.lines}
    for line in dropped + below:
        reason = "alternative, not fitted" if any(line is d for d in dropped) else "component of an alternative, not fitted"
        out.ledger.mark(out.sheet.file, out.sheet.name, line["row"], SKIPPED, reason, force=True)
        if line["child"] not in used:
            structure.parts.pop(line["child"], None)
    return [f"{len(dropped)} alternative line(s) of higher rank not counted (alternates = \"fitted\": only the "
            f"lowest-rank lines are fitted): rows {', '.join(str(line['row']) for line in dropped)}"]


def _shown(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
