"""Shipments, listed parties and ownership files for ``bomcalc screen`` (I/O layer).

Each file is CSV, tab-separated text or a workbook (the first sheet), read through
:func:`bomcalc.io.sheets.read_sheets`; headers are matched through the one alias table
(:data:`bomcalc.io.aliases.VOCABULARY`, kinds ``shipments``, ``listed_parties``, ``ownership``).

=============== =====================================================================================
shipments       ``item`` (a part of the BOM), ``consignee``, ``country``, ``end_use``,
                ``end_user_type``, ``date`` (YYYY-MM-DD); optional ``end_user`` (when not the
                consignee), ``shipment`` (a reference), ``node_nm`` and ``layers`` (the chip lines)
listed parties  ``party``, ``list`` (control or watch list, as the pack names them), optional ``source``
ownership       ``party``, ``owner``, ``share`` (0.5 or 50%)
=============== =====================================================================================

Every row is accounted for (:class:`~bomcalc.core.ledger.RowLedger`: used, skipped as header
or blank, rejected with the reason); every problem is a :class:`~bomcalc.core.errors.DataIssue`
naming file, sheet and row, and any error raises :class:`~bomcalc.core.errors.BomDataError`
carrying all of them with the row accounts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

from ..core.errors import ERROR, WARNING, BomDataError, DataIssue
from ..core.ledger import REJECTED, SKIPPED, USED, RowLedger
from ..core.licensing import Ownership
from ..core.ownership import Holding
from ..core.screening import Shipment
from ..core.values import is_blank, part_id_text, to_country, to_date, to_text
from .aliases import VOCABULARY, find_header_row
from .numbers import AmbiguousNumbers, choose_number_style, parse_number
from .sheets import Sheet, read_sheets

_FIGURES = ("node_nm", "layers")


@dataclass(frozen=True)
class TableRead:
    """What a file gave: ``records`` and the ``warnings``, with the row ``accounts`` and ``fates``."""

    records: tuple
    warnings: tuple = ()
    accounts: tuple = ()
    fates: tuple = ()
    file: str | None = None


class _Table:
    """The data rows of a file's first sheet under its header, with every row's fate recorded."""

    def __init__(self, path, kind: str, required: tuple[str, ...], numeric: tuple[str, ...] = ()):
        self.path, self.kind, self.issues, self.ledger = str(path), kind, [], RowLedger()
        self.sheet: Sheet = read_sheets(path)[0]
        self.ledger.expect(self.sheet.file, self.sheet.name, len(self.sheet.rows))
        self.header, self.columns = self._find_header(required)
        texts = [cells[name] for _, cells in self.body(mark=False) for name in numeric if isinstance(cells.get(name), str)]
        self.style = None
        try:
            self.style = choose_number_style([t.rstrip("% ") for t in texts])
        except AmbiguousNumbers as exc:
            self.say(ERROR, "ambiguous_numbers", str(exc))

    def _find_header(self, required):
        index, columns = find_header_row(self.sheet.rows, self.kind, required)
        if index is not None:
            for above in range(1, index + 1):
                self.ledger.mark(self.sheet.file, self.sheet.name, above, SKIPPED, "title row")
            self.ledger.mark(self.sheet.file, self.sheet.name, index + 1, SKIPPED, "header row")
            return index, columns
        first = next((r for r in self.sheet.rows if any(not is_blank(c) for c in r)), [])
        found = ", ".join(str(c) for c in first if not is_blank(c)) or "none"
        self.say(ERROR, "missing_column", f"no header row with the columns {', '.join(required)} (first row: "
                 f"{found}); headers recognised: {', '.join(VOCABULARY[self.kind])}", 1)
        self.ledger.close("no header row was found")
        return None, {}

    def say(self, severity, code, message, row=None, part=None):
        self.issues.append(DataIssue(severity, code, message, self.sheet.name, row, part, self.sheet.file))
        if severity == ERROR and row is not None:
            self.ledger.mark(self.sheet.file, self.sheet.name, row, REJECTED, message, force=True)

    def body(self, mark: bool = True):
        """``(row number, {column: cell})`` for every non-blank row below the header."""
        if self.header is None:
            return
        for index in range(self.header + 1, len(self.sheet.rows)):
            cells = self.sheet.rows[index]
            if all(is_blank(cell) for cell in cells):
                if mark:
                    self.ledger.mark(self.sheet.file, self.sheet.name, index + 1, SKIPPED, "blank row")
                continue
            if mark:
                self.ledger.mark(self.sheet.file, self.sheet.name, index + 1, USED)
            yield index + 1, {name: (cells[p] if p < len(cells) else None) for name, p in self.columns.items()}

    def number(self, cells, name, row, part=None) -> Decimal | None:
        cell = cells.get(name)
        if is_blank(cell):
            return None
        try:
            return parse_number(cell, self.style)
        except ValueError as exc:
            self.say(ERROR, "bad_number", f"{name}: {exc}", row, part)
            return None

    def result(self, records) -> TableRead:
        if any(issue.severity == ERROR for issue in self.issues):
            raise BomDataError(self.issues, self.path, self.ledger.accounts(), self.ledger.fates())
        return TableRead(tuple(records), tuple(self.issues), self.ledger.accounts(), self.ledger.fates(), self.path)


def _shipment(table: _Table, row: int, cells: dict, parts) -> Shipment | None:
    item = part_id_text(cells.get("item"))
    if item is None:
        table.say(ERROR, "missing_item", "the row names no item; give the part_id shipped", row)
        return None
    if parts is not None and item not in parts:
        table.say(ERROR, "unknown_item", f"'{item}' is not a part of the BOM; correct the part number", row, item)
        return None
    try:
        date = to_date(cells.get("date"))
    except ValueError as exc:
        table.say(ERROR, "bad_date", f"date: {exc}", row, item)
        return None
    if date is None:
        table.say(ERROR, "missing_date", "the export date is blank; give it as YYYY-MM-DD", row, item)
        return None
    country = to_text(cells.get("country"))
    code, note = to_country(country) if country else (None, None)
    if country and code is None:
        table.say(WARNING, "unknown_country", f"country '{country}' is not recognised; kept as written", row, item)
    figures = {name: table.number(cells, name, row, item) for name in _FIGURES}
    return Shipment(row, item, to_text(cells.get("consignee")), code or country, to_text(cells.get("end_use")),
                    to_text(cells.get("end_user_type")), date, to_text(cells.get("end_user")),
                    to_text(cells.get("shipment")), {k: v for k, v in figures.items() if v is not None})


def read_shipments(path: str | os.PathLike, parts=None) -> TableRead:
    """The shipments of ``path``; ``parts`` (the BOM's part ids) rejects an item not in the BOM."""
    table = _Table(path, "shipments", ("item", "date"), _FIGURES)
    records = [s for row, cells in table.body() if (s := _shipment(table, row, cells, parts)) is not None]
    if table.header is not None and not records and not table.issues:
        table.say(ERROR, "no_shipments", "the file has a header but no shipment rows")
    return table.result(records)


def read_listed_parties(path: str | os.PathLike, rule: Ownership) -> TableRead:
    """``{party: (list, ...)}`` as one record: the parties on the control or watch list."""
    table = _Table(path, "listed_parties", ("party", "list"))
    listed: dict[str, tuple[str, ...]] = {}
    for row, cells in table.body():
        party, given = to_text(cells.get("party")), to_text(cells.get("list"))
        which = rule.list_of(given) if given else None
        if party is None:
            table.say(ERROR, "missing_party", "the row names no party", row)
        elif which is None:
            table.say(ERROR, "unknown_list", f"list '{given or ''}' is neither the control list nor the watch list; "
                      f"write one of: {', '.join(sorted(w for words in rule.lists.values() for w in words))}", row, party)
        else:
            listed[party] = tuple(dict.fromkeys(listed.get(party, ()) + (which,)))
    return table.result([listed])


def _share(table: _Table, cells: dict, row: int, party: str) -> Decimal | None:
    cell = cells.get("share")
    percent = isinstance(cell, str) and cell.strip().endswith("%")
    share = table.number({"share": cell.strip().rstrip("%").strip() if percent else cell}, "share", row, party)
    if share is None:
        if not any(i.row == row and i.severity == ERROR for i in table.issues):
            table.say(ERROR, "missing_share", "share is blank; give the share held, as 0.5 or 50%", row, party)
        return None
    share = share / 100 if percent else share
    if not 0 <= share <= 1:
        table.say(ERROR, "bad_share", f"share {cell} is not between 0 and 1; write 0.5 or 50%", row, party)
        return None
    return share


def read_ownership(path: str | os.PathLike) -> TableRead:
    """The :class:`~bomcalc.core.ownership.Holding` records of an ownership file (party, owner, share)."""
    table = _Table(path, "ownership", ("party", "owner", "share"), ("share",))
    holdings: list[Holding] = []
    totals: dict[str, Decimal] = {}
    for row, cells in table.body():
        party, owner = to_text(cells.get("party")), to_text(cells.get("owner"))
        if party is None or owner is None:
            table.say(ERROR, "missing_party", "the row needs both a party and its owner", row, party)
            continue
        share = _share(table, cells, row, party)
        if share is None:
            continue
        totals[party] = totals.get(party, Decimal(0)) + share
        if totals[party] > 1:
            table.say(ERROR, "shares_over_100", f"the shares held in '{party}' add up to {totals[party] * 100}% "
                      "by this row; correct them", row, party)
            continue
        holdings.append(Holding(party, owner, share, row))
    return table.result(holdings)
