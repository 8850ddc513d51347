"""The audit report as an Excel workbook for people (report layer).

:func:`write_excel_report` lays out the tables of :func:`bomcalc.report.audit.report_tables` one per
sheet (:data:`bomcalc.report.audit.SHEETS`): a bold header row with a note on every header cell
saying what the column means and its unit, frozen panes, an autofilter, column widths, status
cells coloured (licence_required red, indeterminate amber, not_required green), and native
Excel charts on the ``Charts`` sheet: each Part 2 item's ratio against the threshold line, and
a Pareto chart of the contributors of every flagged (licence_required or indeterminate)
Part 2 item, drawn from the rows of the ``Contributions`` sheet. The ratio chart's axis is
linear: the 0.1% line sits low beside an item far over it, as it should.

Cells:

* money, quantities and shares are number cells (shares formatted as percentages, with more
  decimals where rounding would blur the threshold, as :func:`bomcalc.report.documents.format_percent`);
  the exact decimals of money and quantities are in the text columns ending in ``_exact``,
  grouped and collapsed at the right of each table (click ``+`` above them to show them);
* text is always a text cell, never a formula: text starting with ``=``, ``+``, ``-`` or ``@``
  is stored as a string with Excel's quote prefix, so that editing the cell keeps it text;
  control characters Excel cannot store are written as ``\\xNN``.

:func:`file_facts` hashes the input files (size and SHA-256) for the ``Provenance`` sheet. The
creation time is written on that sheet and in the file's properties, nowhere else. The file is
written whole or not at all (:func:`~bomcalc.io.writers.write_atomic`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import numbers
import os
import zipfile
from decimal import Decimal
from importlib import resources
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .._version import __version__
from .audit import SHEETS, TABLE_COLUMNS, FileFact, ReportColumn, report_tables, summary_facts
from ..core.determine import INDETERMINATE, NOT_REQUIRED, REQUIRED, Evaluation
from .documents import format_percent
from ..io.rulepack import DEFAULT_PACK
from ..io.writers import FORMULA_PREFIXES, write_atomic

__all__ = ["FileFact", "file_facts", "write_excel_report", "STATUS_COLOURS"]

#: Fill colour (RGB hex) of a status cell; the text is a darker shade of the same colour.
STATUS_COLOURS = {REQUIRED: "FFC7CE", INDETERMINATE: "FFD966", NOT_REQUIRED: "C6EFCE"}
_STATUS_TEXT = {REQUIRED: "9C0006", INDETERMINATE: "7F6000", NOT_REQUIRED: "006100"}
_SEVERITY_STATUS = {"error": REQUIRED, "warning": INDETERMINATE}

#: At most this many Pareto charts (the flagged items first in Summary order) and bars per chart.
PARETO_CHARTS = 12
PARETO_BARS = 20

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_EXACT_FILL = PatternFill("solid", fgColor="EDEDED")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_LINK_FONT = Font(color="0563C1", underline="single")
_MONEY_FORMAT = "#,##0.00########"
_QUANTITY_FORMAT = "General"
_MAX_TEXT = 32767  # characters Excel holds in one cell
_WIDEST = 60
_NOTE_COLUMNS = 12  # columns a warning above the Summary table spans
_SUMMARY_TABLE_ROW = 6  # header row of the Summary table, below its key facts (more with warnings)
_CHUNK = 1 << 20


def _sha256(path: Path) -> FileFact:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return FileFact(str(path), size, digest.hexdigest())


def file_facts(paths) -> tuple[FileFact, ...]:
    """Name, size [bytes] and SHA-256 of each file in ``paths``, in order.

    A folder stands for every file in it (sorted, hidden files left out, sub-folders
    included); a path that does not exist gives a fact with ``size`` and ``sha256`` ``None``.
    """
    facts = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            facts.extend(
                _sha256(p) for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            facts.append(_sha256(path))
        else:
            facts.append(FileFact(str(entry), None, None))
    return tuple(facts)


def _rule_pack_fact(origin: str) -> tuple[FileFact, ...]:
    """The rule pack file's fact; the pack shipped with bomcalc is read from the package."""
    if not origin:
        return ()
    if origin == f"bomcalc/rulepacks/{DEFAULT_PACK}":
        data = (resources.files("bomcalc") / "rulepacks" / DEFAULT_PACK).read_bytes()
        return (FileFact(origin, len(data), hashlib.sha256(data).hexdigest()),)
    return file_facts([origin])


# ---- cells -----------------------------------------------------------------------------------


def _is_blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _put_text(cell, value) -> None:
    """Write ``value`` as a text cell, never a formula (OWASP formula injection)."""
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 15] + " ...(truncated)"
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def _percent_format(share: Decimal, threshold: Decimal) -> str:
    shown = format_percent(share, threshold).rstrip("%")
    places = min(len(shown.partition(".")[2]), 15)
    return "0." + "0" * places + "%" if places else "0%"


def _paint_status(cell, status) -> None:
    if status in STATUS_COLOURS:
        cell.fill = PatternFill("solid", fgColor=STATUS_COLOURS[status])
        cell.font = Font(bold=True, color=_STATUS_TEXT[status])


def _put(cell, value, kind: str, threshold: Decimal) -> None:
    if _is_blank(value):
        return
    if kind in ("money", "quantity", "share") and isinstance(value, (Decimal, int, float)):
        cell.value = float(value)
        if kind == "money":
            cell.number_format = _MONEY_FORMAT
        elif kind == "quantity":
            cell.number_format = _QUANTITY_FORMAT
        else:
            cell.number_format = _percent_format(Decimal(value), threshold)
    elif kind == "count" and isinstance(value, numbers.Integral) and not isinstance(value, bool):
        cell.value = int(value)
    else:
        _put_text(cell, value)
        if kind == "status":
            _paint_status(cell, value)


def _header(cell, column: ReportColumn) -> None:
    _put_text(cell, column.name)
    cell.font = _HEADER_FONT
    cell.fill = _EXACT_FILL if column.kind == "exact" else _HEADER_FILL
    cell.alignment = _HEADER_ALIGNMENT
    cell.comment = Comment(column.meaning, "bomcalc", width=320, height=90)


def _width(column: ReportColumn, values) -> tuple[float, bool]:
    """A column's width [characters] and whether its cells wrap."""
    if column.kind in ("money", "quantity", "share"):
        return max(12, min(len(column.name) + 3, 20)), False
    longest = len(column.name) + 3
    multiline = False
    for value in values[:500]:
        if _is_blank(value):
            continue
        text = str(value)
        multiline = multiline or "\n" in text
        longest = max(longest, max(len(line) for line in text.split("\n")) + 2)
    return min(max(longest, 8), _WIDEST), multiline or longest > _WIDEST


def _write_table(sheet, table, columns: tuple[ReportColumn, ...], top: int, threshold: Decimal) -> int:
    """Write ``table`` with its header on row ``top``; return the last row written."""
    for index, column in enumerate(columns, start=1):
        _header(sheet.cell(row=top, column=index), column)
    row = top
    for row, record in enumerate(table.itertuples(index=False, name=None), start=top + 1):
        for index, (column, value) in enumerate(zip(columns, record), start=1):
            _put(sheet.cell(row=row, column=index), value, column.kind, threshold)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        width, wrap = _width(column, list(table[column.name]))
        sheet.column_dimensions[letter].width = width
        alignment = _WRAP if wrap else _TOP
        for cells in sheet.iter_rows(min_row=top + 1, max_row=row, min_col=index, max_col=index):
            cells[0].alignment = alignment
    exact = [i for i, c in enumerate(columns, start=1) if c.kind == "exact"]
    if exact:
        sheet.column_dimensions.group(get_column_letter(exact[0]), get_column_letter(exact[-1]), hidden=True, outline_level=1)
        sheet.column_dimensions[get_column_letter(exact[-1] + 1)].collapsed = True  # where the + button sits
        sheet.column_dimensions.max_outline = 1  # written as the sheet's outline depth, so Excel shows the button
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{max(row, top)}"
    return row


# ---- sheets ----------------------------------------------------------------------------------


def _summary_sheet(sheet, evaluation: Evaluation, table) -> None:
    threshold = evaluation.rule_pack.threshold
    title = sheet.cell(row=1, column=1)
    _put_text(title, f"Export licence determination: {evaluation.bom.source or 'BOM'}")
    title.font = Font(bold=True, size=14)
    for index, (label, value) in enumerate(summary_facts(evaluation), start=1):
        label_cell, value_cell = sheet.cell(row=2, column=index), sheet.cell(row=3, column=index)
        _put_text(label_cell, label)
        label_cell.font = _HEADER_FONT
        if isinstance(value, int):
            value_cell.value = value
        elif value is not None:
            _put_text(value_cell, value)
        if label in STATUS_COLOURS:
            _paint_status(label_cell, label)
    notes = ["bomcalc informs a compliance decision; it does not replace legal advice."]
    notes += [f"WARNING: {warning}" for warning in evaluation.warnings]
    for offset, note in enumerate(notes):
        cell = sheet.cell(row=4 + offset, column=1)
        _put_text(cell, note)
        cell.font = Font(italic=True) if offset == 0 else Font(bold=True, color=_STATUS_TEXT[INDETERMINATE])
        if offset:  # a long warning wraps over the width of the first columns
            sheet.merge_cells(start_row=4 + offset, start_column=1, end_row=4 + offset, end_column=_NOTE_COLUMNS)
            cell.alignment = _WRAP
            sheet.row_dimensions[4 + offset].height = 15 * (1 + len(note) // 150)
    top = max(_SUMMARY_TABLE_ROW, 4 + len(notes) + 1)
    _write_table(sheet, table, TABLE_COLUMNS["Summary"], top, threshold)
    for index, (label, value) in enumerate(summary_facts(evaluation), start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = max(dimension.width, min(max(len(label), len(str(value))) + 3, 40))
    sheet.freeze_panes = f"B{top + 1}"


def _column(name: str, sheet: str) -> int:
    """The 1-based column number of ``name`` in the table of ``sheet``."""
    return [c.name for c in TABLE_COLUMNS[sheet]].index(name) + 1


def _plain_sheet(sheet, name: str, table, threshold: Decimal, freeze_column: str = "A") -> None:
    last = _write_table(sheet, table, TABLE_COLUMNS[name], 1, threshold)
    sheet.freeze_panes = f"{freeze_column}2"
    if name == "Data quality":
        for row in range(2, last + 1):
            cell = sheet.cell(row=row, column=_column("severity", name))
            _paint_status(cell, _SEVERITY_STATUS.get(cell.value))
    if name == "Provenance":
        for row in range(2, last + 1):
            cell = sheet.cell(row=row, column=_column("url", name))
            if isinstance(cell.value, str) and cell.value.startswith(("https://", "http://")):
                cell.hyperlink = cell.value
                cell.font = _LINK_FONT


def _show_axes(chart) -> None:
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _text_categories(charts, reference: Reference) -> None:
    """Label the categories of every series of ``charts`` with the text cells of ``reference``."""
    for chart in charts:
        for series in chart.series:
            series.cat = AxDataSource(strRef=StrRef(f=str(reference)))


def _ratio_chart(sheet, table, threshold: Decimal) -> BarChart:
    last = len(table) + 1
    bar = BarChart()
    bar.type = "col"
    bar.title = f"China-origin Part 1 content as a share of item value, against the {format_percent(threshold, threshold)} line"
    bar.y_axis.title = "share of the item's value"
    bar.y_axis.number_format = "0.00%"
    data = Reference(sheet, min_col=_column("ratio", "Charts"), max_col=_column("ratio_upper", "Charts"), min_row=1, max_row=last)
    bar.add_data(data, titles_from_data=True)
    ratio, upper = bar.series
    for index, status in enumerate(table["status"]):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = _STATUS_TEXT.get(status, "808080")
        ratio.dPt.append(point)
    upper.graphicalProperties.solidFill = "BFBFBF"
    line = LineChart()
    line.add_data(Reference(sheet, min_col=_column("threshold", "Charts"), min_row=1, max_row=last), titles_from_data=True)
    limit = line.series[0]
    limit.graphicalProperties.line.solidFill = "C00000"
    limit.graphicalProperties.line.dashStyle = "dash"
    limit.marker.symbol = "dash"  # visible even with a single Part 2 item
    limit.marker.size = 20
    limit.marker.graphicalProperties = GraphicalProperties(solidFill="C00000")
    limit.marker.graphicalProperties.line.solidFill = "C00000"
    limit.smooth = False
    _text_categories((bar, line), Reference(sheet, min_col=_column("part_id", "Charts"), min_row=2, max_row=last))
    bar += line
    _show_axes(bar)
    bar.width, bar.height = 24, 10
    return bar


def _pareto_chart(contributions_sheet, item: str, first: int, last: int) -> BarChart:
    name = "Contributions"
    bar = BarChart()
    bar.type = "col"
    bar.title = f"Pareto of China-origin Part 1 content: {item}"
    bar.y_axis.title = "extended value per unit of the item"
    bar.add_data(Reference(contributions_sheet, min_col=_column("extended_value", name), min_row=first, max_row=last))
    bar.series[0].graphicalProperties.solidFill = "4472C4"
    bar.legend = None
    line = LineChart()
    line.add_data(Reference(contributions_sheet, min_col=_column("cumulative_share", name), min_row=first, max_row=last))
    line.y_axis.axId = 200
    line.y_axis.title = "cumulative share"
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min = 0
    line.y_axis.scaling.max = 1
    line.y_axis.crosses = "max"
    line.y_axis.delete = False
    line.y_axis.majorGridlines = None
    line.series[0].graphicalProperties.line.solidFill = "C00000"
    line.series[0].marker.symbol = "circle"
    line.series[0].smooth = False
    _text_categories((bar, line), Reference(contributions_sheet, min_col=_column("source", name), min_row=first, max_row=last))
    bar += line
    _show_axes(bar)
    bar.width, bar.height = 24, 10
    return bar


def _charts_sheet(sheet, contributions_sheet, tables, threshold: Decimal) -> None:
    ratios, contributions = tables["Charts"], tables["Contributions"]
    _plain_sheet(sheet, "Charts", ratios, threshold)
    anchor_column = get_column_letter(len(TABLE_COLUMNS["Charts"]) + 2)
    flagged = [p for p, s in zip(ratios["part_id"], ratios["status"]) if s in (REQUIRED, INDETERMINATE)]
    with_rows = [p for p in flagged if (contributions["item"] == p).any()]
    note = ("Each Part 2 item's ratio (coloured by status; grey: if every unknown origin were China) against the "
            f"{format_percent(threshold, threshold)} line; below it, a Pareto chart of the contributors of each flagged item "
            "(licence_required or indeterminate), drawn from the Contributions sheet.")
    if len(with_rows) > PARETO_CHARTS:
        note += f" Charts are drawn for the first {PARETO_CHARTS} of {len(with_rows)} flagged items."
    if len(ratios) == 0:
        note = "No Part 2 items: no chart."
    _put_text(sheet[f"{anchor_column}1"], note)
    if len(ratios):
        sheet.add_chart(_ratio_chart(sheet, ratios, threshold), f"{anchor_column}3")
    items = list(contributions["item"])
    for number, item in enumerate(with_rows[:PARETO_CHARTS], start=1):
        first = items.index(item) + 2  # header on row 1
        count = min(items.count(item), PARETO_BARS)
        sheet.add_chart(_pareto_chart(contributions_sheet, item, first, first + count - 1), f"{anchor_column}{3 + 22 * number}")


def _workbook(evaluation: Evaluation, tables: dict) -> openpyxl.Workbook:
    threshold = evaluation.rule_pack.threshold
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheets = {name: workbook.create_sheet(name) for name in SHEETS}
    _summary_sheet(sheets["Summary"], evaluation, tables["Summary"])
    _plain_sheet(sheets["Contributions"], "Contributions", tables["Contributions"], threshold, freeze_column="B")
    _charts_sheet(sheets["Charts"], sheets["Contributions"], tables, threshold)
    for name in ("Data quality", "Row accounts", "Provenance"):
        _plain_sheet(sheets[name], name, tables[name], threshold)
    for sheet in sheets.values():  # printed for a file: landscape, every column on the page
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook


def _save(workbook: openpyxl.Workbook, path, created: dt.datetime) -> None:
    stamp = created.astimezone(dt.timezone.utc).replace(tzinfo=None) if created.tzinfo else created
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = f"bomcalc {__version__}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    write_atomic(path, buffer.getvalue())


def write_excel_report(path: str | os.PathLike, evaluation: Evaluation, created: dt.datetime | None = None) -> None:
    """Write the audit report of ``evaluation`` to ``path`` (``.xlsx``), whole or not at all.

    ``created``: the creation time shown in Provenance (default now, in UTC). The input files
    (:attr:`Bom.files <bomcalc.core.model.Bom>`) and the rule pack file are hashed as they are now.
    """
    created = created or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    facts = file_facts(evaluation.bom.files) + _rule_pack_fact(evaluation.rule_pack.origin)
    tables = report_tables(evaluation, facts, created)
    _save(_workbook(evaluation, tables), path, created)
