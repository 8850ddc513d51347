"""Supplier declaration requests: one declaration form per supplier, with the parts asked about (I/O layer).

Each workbook is the supplier declaration form that ``bomcalc template`` writes
(:func:`bomcalc.io.templates.write_declaration_template`: ``Declaration``, ``Product List``,
``Rare Earth Inputs``, ``Instructions``) with one more sheet in front, ``Requested Parts``: the
parts asked about, ranked, with what is asked and why (the item each decides and how far it
can move its ratio). The supplier answers on the form's own sheets, and the returned workbooks
are read back with ``--declarations DIR``.

The data sheets are written **empty**, as in the template: the declaration reader takes a part
listed on the Product List with no Rare Earth Inputs rows as declared free of rare earths, so a
pre-filled Product List returned untouched would become a false declaration. The supplier copies
each customer part number from ``Requested Parts`` into the Product List when answering it.
``Requested Parts`` is never read back.

File names come from the supplier name, untrusted text: :func:`safe_file_stem` keeps letters,
digits, ``-`` and ``_``, drops path separators and control characters, avoids the names Windows
reserves (``CON``, ``NUL``, ``COM1``, ...) and hidden or lock-file names, and bounds the length;
:func:`file_names` makes the names of different suppliers distinct (ignoring case), so none
overwrites another. Every cell that holds text from the input is written as text, never a
formula. The folder is built under a temporary name and renamed when complete.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

from ..core.requests import PartRequest, RequestPlan
from .declaration_form import (DECLARATION_FIELDS, DECLARATION_NOTES, DECLARATION_SHEET, INPUTS_SHEET, INSTRUCTIONS_SHEET,
                               PRODUCT_LIST_COLUMNS, PRODUCT_LIST_SHEET, RARE_EARTH_INPUT_COLUMNS)
from .templates import declaration_sheet, instructions_sheet, style_header, table_sheet
from .writers import atomic_folder, write_atomic

REQUESTED_SHEET = "Requested Parts"
#: The workbook of parts whose supplier the BOM does not name (when it names some).
UNKNOWN_SUPPLIER = "unknown supplier"
#: The one workbook written when the BOM names no supplier at all.
SINGLE_FORM_STEM = "declaration_request"
#: The longest file-name stem written [characters], well inside every file system's limit.
MAX_STEM = 60
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
_REQUESTED_HEADER = ("Rank", "Customer part number", "Description", "What we ask", "Why",
                     "Can move the ratio by [percentage points]")
_REQUESTED_NOTES = (
    "Please answer on the Product List and Rare Earth Inputs sheets of this workbook, and return it.",
    "Copy each customer part number above into the Product List; give its Country of origin where asked, and one "
    "Rare Earth Inputs row per rare-earth input of it. A product you list with no Rare Earth Inputs row is read "
    "as containing no rare earths.",
    "This sheet is not read back; only the Declaration, Product List and Rare Earth Inputs sheets are.",
)


@dataclass(frozen=True)
class WrittenForm:
    """One request workbook: its file name, the supplier it is for (``None``: not named) and its parts."""

    file_name: str
    supplier: str | None
    parts: tuple[str, ...]


def safe_file_stem(name: str | None, fallback: str = "supplier") -> str:
    """A file-name stem from untrusted text: letters, digits, ``-`` and ``_`` only, at most :data:`MAX_STEM` characters.

    Other characters (path separators, ``.``, control characters, quotes, ``|``, ``=``, ...) become
    ``_``; runs of them collapse; leading and trailing ``_``/``-`` go. A stem Windows reserves
    (``CON``, ``com1``) gets ``_supplier`` appended; an empty one becomes ``fallback``.
    """
    text = unicodedata.normalize("NFKC", str(name or ""))
    kept = "".join(char if (char.isalnum() or char in "-_") and char.isprintable() else "_" for char in text)
    stem = re.sub(r"[_\s]+", "_", kept).strip("_-")[:MAX_STEM].strip("_-")
    if not stem:
        stem = fallback
    if stem.upper() in _RESERVED:
        stem = f"{stem}_supplier"
    return stem


def file_names(suppliers: list[str | None], single: bool) -> dict[str | None, str]:
    """``{supplier: file name}``, distinct ignoring case; ``None`` is the unknown supplier (or the one form)."""
    names: dict[str | None, str] = {}
    taken: set[str] = set()
    for supplier in suppliers:
        if single:
            stem = SINGLE_FORM_STEM
        else:
            stem = safe_file_stem(supplier if supplier is not None else UNKNOWN_SUPPLIER)
        candidate, number = stem, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f"-{number}"
            candidate = stem[: MAX_STEM - len(suffix)] + suffix
        taken.add(candidate.lower())
        names[supplier] = f"{candidate}.xlsx"
    return names


def group_by_supplier(plan: RequestPlan) -> dict[str | None, list[PartRequest]]:
    """The requests by supplier, in rank order; suppliers in the order of their first request."""
    groups: dict[str | None, list[PartRequest]] = {}
    for request in plan.requests:
        groups.setdefault(request.supplier, []).append(request)
    return groups


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an xlsx cell cannot hold


def _text(cell, value) -> None:
    """Put text in a cell as text: a leading ``=`` never makes it a formula; control characters a
    cell cannot hold are shown as escapes (``\\x1b``)."""
    if isinstance(value, str):
        value = _ILLEGAL.sub(lambda match: f"\\x{ord(match.group()):02x}", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _requested_sheet(workbook, supplier: str | None, requests: list[PartRequest], context: dict) -> None:
    sheet = workbook.create_sheet(REQUESTED_SHEET, 0)
    bold = Font(bold=True)
    _text(sheet.cell(row=1, column=1), "Supplier declaration request")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    lines = [
        ("Requested from", supplier if supplier is not None else f"{UNKNOWN_SUPPLIER}: the BOM names no supplier for these parts"),
        ("For the product(s) in", context.get("source") or ""),
        ("Rule applied as of", context.get("as_of") or ""),
        ("Currency", context.get("currency") or ""),
    ]
    for row, (label, value) in enumerate(lines, start=2):
        _text(sheet.cell(row=row, column=1), label)
        sheet.cell(row=row, column=1).font = bold
        _text(sheet.cell(row=row, column=2), value)
    header_row = len(lines) + 3
    for column, title in enumerate(_REQUESTED_HEADER, start=1):
        style_header(sheet.cell(row=header_row, column=column, value=title))
    wrap = Alignment(wrap_text=True, vertical="top")
    for offset, request in enumerate(requests, start=1):
        row = header_row + offset
        top = request.top_reason
        cells = (context["ranks"][request.part_id], request.part_id, request.description, "; ".join(request.asks),
                 "; ".join(reason.text for reason in request.reasons),
                 str(top.points) if top.points is not None else ("unknown" if top.kind == "unbounded" else ""))
        for column, value in enumerate(cells, start=1):
            _text(sheet.cell(row=row, column=column), value)
            sheet.cell(row=row, column=column).alignment = wrap
    row = header_row + len(requests) + 2
    for note in _REQUESTED_NOTES:
        _text(sheet.cell(row=row, column=1), note)
        row += 1
    for letter, width in zip("ABCDEF", (8, 24, 36, 48, 80, 18)):
        sheet.column_dimensions[letter].width = width


def request_workbook(supplier: str | None, requests: list[PartRequest], context: dict) -> bytes:
    """One request workbook as ``.xlsx`` bytes: Requested Parts, then the declaration form's sheets, blank."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    declaration_sheet(workbook)
    table_sheet(workbook, PRODUCT_LIST_SHEET, PRODUCT_LIST_COLUMNS)
    table_sheet(workbook, INPUTS_SHEET, RARE_EARTH_INPUT_COLUMNS)
    sections = {DECLARATION_SHEET: DECLARATION_FIELDS, PRODUCT_LIST_SHEET: PRODUCT_LIST_COLUMNS,
                INPUTS_SHEET: RARE_EARTH_INPUT_COLUMNS}
    instructions_sheet(workbook, INSTRUCTIONS_SHEET, sections, DECLARATION_NOTES)
    _requested_sheet(workbook, supplier, requests, context)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_request_forms(folder: str | os.PathLike, plan: RequestPlan, *, any_supplier: bool, source: str | None = None,
                        as_of: str | None = None, currency: str | None = None) -> list[WrittenForm]:
    """Write one request workbook per supplier into ``folder`` (created; must be new or empty).

    ``any_supplier``: whether the BOM names a supplier for any part; if not, every request goes
    into one workbook (:data:`SINGLE_FORM_STEM`), else parts without a supplier go into the
    workbook of the :data:`UNKNOWN_SUPPLIER`. The folder appears whole or not at all. Returns
    what was written, in rank order of each supplier's first request.
    """
    groups = group_by_supplier(plan)
    if not any_supplier:
        groups = {None: list(plan.requests)}
    names = file_names(list(groups), single=not any_supplier)
    ranks = {request.part_id: rank for rank, request in enumerate(plan.requests, start=1)}
    context = {"source": source, "as_of": as_of, "currency": currency, "ranks": ranks}
    written = []
    with atomic_folder(folder) as building:
        for supplier, requests in groups.items():
            write_atomic(Path(building) / names[supplier], request_workbook(supplier, requests, context))
            written.append(WrittenForm(names[supplier], supplier, tuple(r.part_id for r in requests)))
    return written
