"""Supplier declarations of rare-earth content into one record per declared part (I/O layer).

Two kinds of file are read, alone or from a folder:

* a **canonical declarations table**: a sheet or CSV file with ``part_id``, ``cn_part1_value``
  and optionally ``unknown_origin_part1_value``, ``currency``, ``source`` and
  ``cn_technology`` (headers matched ignoring case, spaces and punctuation), one row per part,
  values already summed by whoever filled it in;
* a **supplier declaration** filled in from
  :func:`bomcalc.io.templates.write_declaration_template` (recognised by its
  ``Rare Earth Inputs`` sheet): one row per rare-earth input per product, which this module
  classifies against Annex 1 Part 1 of MOFCOM Announcement No. 61 (2025), values, and sums per
  customer part number.

How a supplier's input row is read:

* **Part 1 or not.** The element, form and (for alloys) the alloy name are compared with the
  rule pack's Part 1 list (in the shipped pack: Dy, Tb, Sm, Gd, Lu, Sc, Y metals, Dy-Fe, Tb-Fe, Tb-Dy-Fe and Sm-Co
  alloys, Dy and Tb oxides). Nd, Pr, Ho, ... are not listed, and a magnet is not itself a Part 1
  item: its Part 1 inputs are their own rows.
* **Origin** is the country of the stage that produced the Part 1 item: metal or alloy
  production for metals and alloys, separation for oxides; blank or ``unknown`` is an unknown
  origin. Mining makes no Part 1 item, so it never decides. A Dy-Fe alloy made in Japan from
  oxide separated in China is therefore of Japanese origin and adds nothing to
  ``cn_part1_value``: the row values the alloy, and the oxide inside it has no value of its own
  in the declaration. A warning asks for the oxide as its own row if it should count (it then
  counts like any China-origin input of a BOM).
* **Value** per unit of the customer's part: the declared value; if blank, the mass (in kg)
  times the reference price for the item (the latest-dated entry of the price table, named in
  the record's ``source``); if neither can be had the value is unknown, the part's sum becomes
  ``None`` (indeterminate, never zero) and a warning says how to fix it.
* **Chinese technology** for the part: ``True`` when any of its rows says yes, ``None`` when
  none says yes and any says unknown or is blank, else ``False``.

A product on the Product List with no rare-earth input row at all is declared free of rare
earths: its record carries zero values, with a warning to confirm this with the supplier. A
part with a rejected input row gets no record (the error stops the run anyway).

Numbers are exact: spreadsheet floats through their shortest representation, text with a dot
as decimal separator only. Every row below the header of every sheet read is counted in a
:class:`~bomcalc.core.model.RowAccount`: the first row of a record is ``used``, further rows of the
same record ``merged``, blank or unused rows ``skipped``, rows with a problem (or belonging to
a part that got no record) ``rejected``.

The package, by idea: :mod:`.records` (what reading yields), :mod:`.cells` (element names,
forms, numbers, dates, currencies and header tables), :mod:`.part1` (classification against the
rule pack's Part 1 items and valuation by reference prices), :mod:`.layout` (files, sheets,
headers, row accounts, settling conflicts), :mod:`.canonical` (canonical declaration tables)
and :mod:`.supplier` (supplier declaration forms); this module holds the two public readers.
"""

from __future__ import annotations

import os
from pathlib import Path

from ...core.errors import ERROR, WARNING, DataIssue, InputFileError
from ...core.ledger import RowAccount, RowLedger
from ...core.values import to_text
from ..aliases import PRICE_COLUMNS, column_lookup
from ..hidden import apply_hidden, hidden_messages
from ..sheets import read_sheets
from ..declaration_form import INPUTS_SHEET
from ..template_columns import RARE_EARTH_ELEMENTS
from .cells import read_currency, read_date, read_form, read_number, element_symbols
from .part1 import part1_kinds, price_index
from .layout import Candidate, body_rows, declaration_files, find_sheet, find_header, reporter, settle
from .canonical import read_canonical
from .supplier import read_supplier
from .records import FILE_SUFFIXES, FOLDER_SUFFIXES, DeclarationRecord, PriceEntry

__all__ = ["DeclarationRecord", "PriceEntry", "read_declarations", "read_price_table", "FILE_SUFFIXES", "FOLDER_SUFFIXES"]

# --- Public functions ---------------------------------------------------------------------


def read_declarations(
    path: str | os.PathLike, part1_items, prices: list[PriceEntry] | None = None, hidden: str = "use",
    decimal: str | None = None,
) -> tuple[list[DeclarationRecord], list[DataIssue], list[RowAccount]]:
    """Read supplier declarations from a file or a folder (read recursively, in name order).

    ``part1_items`` is the rule pack's Annex 1 Part 1 list (``RulePack.part1_items``: mappings
    with ``element``, ``form`` and ``name``). ``prices`` values inputs declared by mass only
    [currency per kg]; for each element and form the latest-dated entry is used. ``decimal``
    (``"."`` or ``","``, the user's ``--decimal``) says how text numbers are written; without
    ``--decimal ,`` a decimal comma is refused (never guessed), the error naming its row and column.

    Returns one :class:`DeclarationRecord` per declared part, every data problem as a
    :class:`~bomcalc.core.errors.DataIssue` (a file that is neither a declarations table nor a
    supplier declaration, a bad number, an unknown element or form, mixed currencies in one
    product, two declarations for one part, ...) and one :class:`~bomcalc.core.model.RowAccount`
    per sheet read, whose counts add up to the rows read. Files in a folder that cannot be read
    are reported as issues; excel lock files (``~$name.xlsx``) and hidden files are skipped.
    Raises :class:`~bomcalc.core.errors.InputFileError` when ``path`` does not exist or is a file of
    an unsupported type.
    """
    path = Path(path)
    files = declaration_files(path)
    kinds = part1_kinds(part1_items)
    index = price_index(prices or ())
    issues: list[DataIssue] = []
    ledger = RowLedger()
    candidates: list[Candidate] = []
    if not files:
        issues.append(DataIssue(WARNING, "no_declarations", "no .xlsx, .xlsm or .csv file here", file=str(path)))
    for file in files:
        try:
            sheets, found = apply_hidden(read_sheets(file), hidden, ledger)  # rows and sheets hidden in Excel
            issues.extend(hidden_messages(found, hidden)[1])
        except InputFileError as exc:
            issues.append(DataIssue(ERROR, "unreadable_file", str(exc), file=str(file)))
            continue
        if find_sheet(sheets, INPUTS_SHEET) is not None:
            candidates.extend(read_supplier(file, sheets, kinds, index, issues, ledger, decimal))
            continue
        tables = [(sheet, *find_header(sheet.rows, column_lookup("declarations"), {"part_id", "cn_part1_value"})) for sheet in sheets]
        tables = [table for table in tables if table[1] is not None]
        if not tables:
            names = ", ".join(f"'{sheet.name}'" for sheet in sheets) or "none"
            message = (
                f"{file.name} is neither a declarations table (columns part_id, cn_part1_value, "
                f"unknown_origin_part1_value, currency, source) nor a supplier declaration (sheet "
                f"'{INPUTS_SHEET}'); sheets found: {names}"
            )
            issues.append(DataIssue(ERROR, "not_a_declaration", message, file=str(file)))
        for sheet, start, positions in tables:
            candidates.extend(read_canonical(sheet, start, positions, issues, ledger, decimal))
    return settle(candidates, issues, ledger), issues, list(ledger.accounts())


def read_price_table(path: str | os.PathLike, decimal: str | None = None) -> tuple[list[PriceEntry], list[DataIssue]]:
    """Read reference prices from a CSV file or the first fitting sheet of a workbook.

    Columns ``element`` (symbol, or the alloy such as ``Dy-Fe``), ``form`` (metal, oxide,
    alloy, ...), ``price_per_kg`` [currency per kg], ``currency``, ``date`` (YYYY-MM-DD) and
    ``source``; text numbers are read with ``decimal`` (``--decimal``). Rows with a problem are left out and reported; a second price for the same
    element and form on the same date is left out with a warning. Raises
    :class:`~bomcalc.core.errors.InputFileError` when the file is missing or cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    sheets = read_sheets(path)
    required = set(PRICE_COLUMNS) - {"source"}
    found = [(sheet, *find_header(sheet.rows, column_lookup("prices"), required)) for sheet in sheets]
    found = [item for item in found if item[1] is not None]
    if not found:
        names = ", ".join(f"'{sheet.name}'" for sheet in sheets) or "none"
        message = f"no sheet with the columns {', '.join(PRICE_COLUMNS)} (sheets found: {names})"
        return [], [DataIssue(ERROR, "missing_column", message, file=str(path))]
    sheet, start, positions = found[0]
    issues: list[DataIssue] = []
    entries: list[PriceEntry] = []
    first: dict = {}
    for row, cells in body_rows(sheet, start, positions, RowLedger()):
        say = reporter(issues, sheet, row)
        try:
            symbols = element_symbols(to_text(cells.get("element")) or "")
            if not set(symbols) & RARE_EARTH_ELEMENTS.keys():
                raise ValueError(f"element '{cells.get('element')}' names no rare earth")
            form = read_form(cells.get("form"))
            price = read_number(cells.get("price_per_kg"), decimal)
            currency = read_currency(cells.get("currency"), say)
            if form is None or not price or currency is None:
                raise ValueError("form, a price_per_kg greater than 0 and currency are all needed")
            date = read_date(cells.get("date"))
        except ValueError as exc:
            say(ERROR, "bad_price", f"{exc}; correct the row or remove it")
            continue
        source = to_text(cells.get("source")) or f"{path.name} row {row}"
        entry = PriceEntry("-".join(symbols), form, price, currency, date, source)
        key = (frozenset(symbols), form, date)
        if key in first:
            message = f"another price for {entry.element} {form} on {date}; row {first[key]} is used"
            say(WARNING, "duplicate_price", message)
            continue
        first[key] = row
        entries.append(entry)
    return entries, issues
