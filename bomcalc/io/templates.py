"""Blank workbooks for users to fill in: the canonical BOM and the supplier declaration (I/O layer).

Two templates, each written with openpyxl and read back by bomcalc's readers:

* :func:`write_bom_template`: the canonical bomcalc workbook (sheets ``parts``, ``bom``,
  ``declarations``, ``fx`` and ``instructions``);
* :func:`write_declaration_template`: the supplier declaration of rare-earth content, in the
  style of the RMI Additional Minerals Reporting Template (AMRT), extended with what Annex 1
  Part 1 of MOFCOM Announcement No. 61 (2025) needs: the form of each rare-earth input (metal,
  oxide, alloy), the country of each production stage, its value per unit of the customer's
  part and whether Chinese rare-earth technology was used. :mod:`bomcalc.io.declarations`
  reads it.

The data sheets hold **no example rows**. Every row below a header is read as data, so an
example row left in place would enter a compliance result as a real part or input. The
examples live in the ``example`` column of the instructions sheet instead, and a blank BOM
template loads as a valid, empty bill of materials.

The column lists are the single description of both layouts: the writers lay them out and
the declaration reader maps the headers it finds back to their ``name``. The BOM template's
columns are below; the declaration form's are in :mod:`bomcalc.io.declaration_form`, and what a
column is (with the words its cells may hold) in :mod:`bomcalc.io.template_columns`.
"""

from __future__ import annotations

import io
import os

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .annex1 import part1_summary
from .declaration_form import (DECLARATION_FIELDS, DECLARATION_NOTES, DECLARATION_SHEET, INPUTS_SHEET, INSTRUCTIONS_SHEET,
                               PRODUCT_LIST_COLUMNS, PRODUCT_LIST_SHEET, RARE_EARTH_INPUT_COLUMNS)
from .template_columns import Column, COUNTRY_HELP
from .writers import write_atomic


# --- The canonical BOM workbook ------------------------------------------------------------

BOM_TEMPLATE: dict[str, tuple[Column, ...]] = {
    "parts": (
        Column(
            "part_id",
            "part_id",
            "The part number, one row per part.",
            "text, unique; kept exactly as written, leading zeros and all",
            "MAG-0042",
            required=True,
        ),
        Column("description", "description", "What the part is.", "text", "NdFeB magnet segment"),
        Column("origin", "origin", "Country of origin of the part.", COUNTRY_HELP, "JP"),
        Column(
            "unit_value",
            "unit_value",
            "Value of one unit of the part, in its unit of measure (uom): the price paid, or for your own "
            "products the selling price.",
            "decimal number, 0 or more, dot as decimal separator [currency per uom]",
            "12.50",
            number="non_negative",
        ),
        Column(
            "currency",
            "currency",
            "Currency of unit_value.",
            "ISO 4217 code (USD, EUR, JPY, ...); one currency per workbook unless the fx sheet converts",
            "USD",
        ),
        Column(
            "uom",
            "uom",
            "Unit of measure that unit_value and the quantities of this part refer to.",
            "ea, kg, g, m, ...",
            "ea",
        ),
        Column(
            "annex1",
            "annex1",
            "Whether the part is itself listed in Annex 1 of Announcement No. 61: part1 (rare-earth metals, "
            "alloys and oxides counted in the 0.1% test) or part2 (rare-earth permanent-magnet and target "
            "materials the test applies to).",
            "part1, part2 or blank",
            "part2",
            choices=("part1", "part2"),
        ),
        Column(
            "cn_technology",
            "cn_technology",
            "Made outside China with Chinese rare-earth mining, separation, smelting, magnet-making or recycling "
            "technology.",
            "TRUE, FALSE or blank (blank is read as FALSE)",
            "FALSE",
            choices=("TRUE", "FALSE"),
        ),
        Column(
            "us_controlled",
            "us_controlled",
            "For the US EAR de minimis pack (--rules us-ear-de-minimis): a US-origin part that is controlled "
            "content (not EAR99 for the destination), counted in the numerator. Ignored by the MOFCOM pack.",
            "TRUE, FALSE, or blank/unknown (unknown: computed both ways)",
            "FALSE",
            choices=("TRUE", "FALSE", "unknown"),
        ),
    ),
    "bom": (
        Column(
            "parent",
            "parent",
            "The assembly (a part_id from the parts sheet).",
            "text, a part_id",
            "ACT-100",
            required=True,
        ),
        Column(
            "child",
            "child",
            "The component used in the parent (a part_id from the parts sheet).",
            "text, a part_id",
            "MAG-0042",
            required=True,
        ),
        Column(
            "qty",
            "qty",
            "Quantity of the child in one unit of the parent, in the child's uom.",
            "decimal number greater than 0",
            "4",
            required=True,
            number="positive",
        ),
        Column("uom", "uom", "Unit of measure of qty (should match the child's uom).", "ea, kg, g, m, ...", "ea"),
    ),
    "declarations": (
        Column(
            "part_id",
            "part_id",
            "The part a supplier declaration covers (a part_id from the parts sheet). A declaration replaces the "
            "roll-up below that part.",
            "text, a part_id",
            "MAG-0042",
            required=True,
        ),
        Column(
            "cn_part1_value",
            "cn_part1_value",
            f"Value of the China-origin Annex 1 Part 1 content ({part1_summary()}) in one unit of the part.",
            "decimal number, 0 or more [currency per unit of the part]",
            "0.35",
            required=True,
            number="non_negative",
        ),
        Column(
            "unknown_origin_part1_value",
            "unknown_origin_part1_value",
            "Value of the Annex 1 Part 1 content whose origin is not known, in one unit of the part.",
            "decimal number, 0 or more [currency per unit of the part]; blank means 0",
            "0.08",
            number="non_negative",
        ),
        Column("currency", "currency", "Currency of the two values.", "ISO 4217 code", "USD"),
        Column(
            "source",
            "source",
            "Where the figures come from, so an auditor can find the document.",
            "text: supplier, document id, date",
            "Acme Magnetics declaration AM-2026-07 (2026-09-30)",
        ),
    ),
    "fx": (
        Column(
            "currency",
            "currency",
            "A currency used in the workbook other than the report currency.",
            "ISO 4217 code",
            "EUR",
            required=True,
        ),
        Column(
            "rate",
            "rate",
            "How many units of the report currency one unit of this currency is worth (1 EUR = rate USD when the "
            "report is in USD).",
            "decimal number greater than 0 [report currency per unit of currency]",
            "1.08",
            required=True,
            number="positive",
        ),
        Column("date", "date", "The date the rate applies to.", "date, YYYY-MM-DD", "2026-09-30"),
        Column("source", "source", "Where the rate comes from.", "text", "ECB reference rate"),
    ),
}

BOM_NOTES: tuple[str, ...] = (
    "Fill in the sheets parts and bom; declarations and fx are optional. Headers are matched ignoring case, "
    "spaces, dashes and underscores; other columns are ignored.",
    "Every row below a header is read as data: there are no example rows in the data sheets. The example column "
    "above shows what a filled-in cell looks like.",
    "Numbers use a dot as decimal separator and are read exactly (0.1% is tested exactly, never rounded).",
    "The report currency is the currency of the parts sheet; fx converts any other currency into it.",
    "bomcalc informs a compliance decision; it does not replace legal advice.",
)


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_LAST_ROW = 1048576


def _width(text: str, least: int = 12, most: int = 48) -> int:
    return max(least, min(most, len(text) + 4))


def style_header(cell) -> None:
    """Bold header font and fill on ``cell``, as on every bomcalc form."""
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _validation(column: Column, cells: str) -> DataValidation | None:
    if column.choices:
        rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
        rule.error = f"Choose one of: {', '.join(column.choices)}"
        rule.errorStyle = "stop" if column.strict else "warning"
    elif column.number == "positive":
        rule = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
        rule.error = "Enter a number greater than 0"
    elif column.number == "non_negative":
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        rule.error = "Enter a number, 0 or more"
    else:
        return None
    rule.errorTitle = column.header
    rule.prompt = column.allowed
    rule.showErrorMessage = True
    rule.add(cells)
    return rule


def table_sheet(workbook, title: str, columns: tuple[Column, ...]) -> None:
    """A sheet with a bold, frozen header row, widths, header notes and cell checks; no data."""
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        style_header(cell)
        cell.comment = Comment(f"{column.meaning}\n{column.allowed}".strip(), "bomcalc")
        sheet.column_dimensions[letter].width = _width(column.header, least=14, most=30)
        rule = _validation(column, f"{letter}2:{letter}{_LAST_ROW}")
        if rule is not None:
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def instructions_sheet(workbook, title: str, sections: dict[str, tuple[Column, ...]], notes: tuple[str, ...]) -> None:
    """A sheet explaining every column of ``sections`` (sheet -> columns) and ``notes`` below them."""
    sheet = workbook.create_sheet(title)
    header = ("sheet", "column", "required", "meaning", "units and allowed values", "example")
    sheet.append(header)
    for cell in sheet[1]:
        style_header(cell)
    for sheet_name, columns in sections.items():
        for column in columns:
            required = "yes" if column.required else "no"
            sheet.append((sheet_name, column.header, required, column.meaning, column.allowed, column.example))
    sheet.append(())
    sheet.append(("notes",))
    sheet.cell(row=sheet.max_row, column=1).font = _HEADER_FONT
    for text in notes:
        sheet.append(("", text))
    for letter, width in zip("ABCDEF", (20, 34, 10, 70, 45, 30)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
    sheet.freeze_panes = "A2"


def _save(workbook, path: str | os.PathLike) -> None:
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())


def write_bom_template(path: str | os.PathLike) -> None:
    """Write a blank canonical bomcalc workbook to ``path`` (``.xlsx``).

    Sheets ``parts``, ``bom``, ``declarations`` and ``fx`` hold only their header row (bold,
    frozen, each header cell carrying a note on its meaning) with drop-down lists for
    ``annex1`` and ``cn_technology`` and number checks on values and quantities. The
    ``instructions`` sheet explains every column with its units, allowed values and an
    example. The blank file loads as a valid, empty bill of materials. The file is written
    whole or not at all.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, columns in BOM_TEMPLATE.items():
        table_sheet(workbook, title, columns)
    instructions_sheet(workbook, "instructions", BOM_TEMPLATE, BOM_NOTES)
    _save(workbook, path)


def declaration_sheet(workbook) -> None:
    """The supplier form's Declaration sheet: one Field | Value row per declaration field."""
    sheet = workbook.create_sheet(DECLARATION_SHEET)
    sheet.append(("Field", "Value", "How to fill in"))
    for cell in sheet[1]:
        style_header(cell)
    for row, field in enumerate(DECLARATION_FIELDS, start=2):
        label = sheet.cell(row=row, column=1, value=field.header)
        label.font = _HEADER_FONT
        sheet.cell(row=row, column=3, value=f"{field.meaning} ({field.allowed})").alignment = _WRAP
        rule = _validation(field, f"B{row}")
        if rule is not None:
            sheet.add_data_validation(rule)
        if field.name == "declaration_date":
            sheet.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 80
    sheet.freeze_panes = "A2"


def write_declaration_template(path: str | os.PathLike) -> None:
    """Write a blank supplier declaration of rare-earth content to ``path`` (``.xlsx``).

    Sheets: ``Declaration`` (key/value rows: company, scope, date, id, contact, authorisation,
    currency of values), ``Product List`` (supplier product number and name, customer part
    number, comments), ``Rare Earth Inputs`` (one row per rare-earth input per product: element,
    form, alloy, mass, value, the country of each production stage and Chinese technology) and
    ``Instructions``. Drop-down lists guide the scope, element, form, alloy, mass unit and
    technology answers. :func:`bomcalc.io.declarations.read_declarations` reads the filled-in
    file. The file is written whole or not at all.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    declaration_sheet(workbook)
    table_sheet(workbook, PRODUCT_LIST_SHEET, PRODUCT_LIST_COLUMNS)
    table_sheet(workbook, INPUTS_SHEET, RARE_EARTH_INPUT_COLUMNS)
    sections = {
        DECLARATION_SHEET: DECLARATION_FIELDS,
        PRODUCT_LIST_SHEET: PRODUCT_LIST_COLUMNS,
        INPUTS_SHEET: RARE_EARTH_INPUT_COLUMNS,
    }
    instructions_sheet(workbook, INSTRUCTIONS_SHEET, sections, DECLARATION_NOTES)
    _save(workbook, path)
