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
from copy import copy
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
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .._version import __version__
from .audit import (DEFAULT_TOP, FULL_CONTRIBUTIONS, MORE, SHEETS, TABLE_COLUMNS, FileFact, ReportColumn, contributions_table,
                    report_tables, summary_facts)
from .contributions_file import write_contributions_csv
from ..core.determine import INDETERMINATE, NOT_REQUIRED, REQUIRED, Evaluation
from ..core.regime import status_meaning
from .documents import format_percent
from ..core.progress import Progress, tell
from ..io.rulepack import PACKAGED_ORIGIN
from ..io.writers import FORMULA_PREFIXES, write_atomic

__all__ = ["FileFact", "file_facts", "write_excel_report", "STATUS_COLOURS", "DEFAULT_TOP"]

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
_TITLE_FONT = Font(bold=True, size=14)
_NOTE_FONT = Font(italic=True)
_WARNING_FONT = Font(bold=True, color=_STATUS_TEXT[INDETERMINATE])
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


def _rule_pack_facts(pack) -> tuple[FileFact, ...]:
    """The facts of the rule pack's file and, for an overlay, of the packs it extends; a pack
    shipped with bomcalc is read from the package."""
    facts: tuple[FileFact, ...] = ()
    for origin in filter(None, (pack.origin, *(base.origin for base in pack.extends))):
        if origin.startswith(PACKAGED_ORIGIN):
            data = (resources.files("bomcalc") / "rulepacks" / origin[len(PACKAGED_ORIGIN):]).read_bytes()
            facts += (FileFact(origin, len(data), hashlib.sha256(data).hexdigest()),)
        else:
            facts += tuple(file_facts([origin]))
    return facts


# ---- cells ----------------------------------------------------------------------------------
#
# The workbook is written in openpyxl's write-only mode: each sheet streams its rows in order,
# so a sheet's layout (column widths, groups, frozen panes, page setup, row heights) is set
# before its first row and its cells are made one row at a time. Cells of the same look share
# one style record (:class:`_Styles`), so styling costs the same for a million cells as for ten.


def _is_blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _safe_text(value) -> str:
    """``value`` as text Excel can hold: control characters as ``\\xNN``, at most 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 15] + " ...(truncated)"
    return text


def _percent_format(share: Decimal, threshold: Decimal) -> str:
    shown = format_percent(share, threshold).rstrip("%")
    places = min(len(shown.partition(".")[2]), 15)
    return "0." + "0" * places + "%" if places else "0%"


class _Styles:
    """Makes the cells of one write-only sheet; one style record per look (format, alignment, status, ...)."""

    def __init__(self, sheet):
        self.sheet = sheet
        self._made: dict[tuple, object] = {}

    def cell(self, value=None, *, text: bool = False, number_format: str | None = None, alignment=None,
             status: str | None = None, font=None, fill=None, link: str | None = None) -> WriteOnlyCell:
        """A cell holding ``value``; with ``text`` it is a text cell, never a formula (OWASP formula
        injection): text starting with = + - @ is stored as a string with Excel's quote prefix.
        ``status``: a determination status, painted in its colours; ``link``: a web address."""
        cell = WriteOnlyCell(self.sheet)
        quote = False
        if text:
            value = _safe_text(value)
            cell.value = value
            cell.data_type = "s"
            quote = value.startswith(FORMULA_PREFIXES)
        else:
            cell.value = value
        if link:
            cell.hyperlink = link
            font = _LINK_FONT
        status = status_meaning(status) if isinstance(status, str) else None
        key = (number_format, id(alignment), status, id(font), id(fill), quote)
        if key == (None, id(None), None, id(None), id(None), False):
            return cell
        made = self._made.get(key)
        if made is not None:
            cell._style = copy(made)  # the look of a cell already made: share its style record
            return cell
        if status:
            fill = PatternFill("solid", fgColor=STATUS_COLOURS[status])
            font = Font(bold=True, color=_STATUS_TEXT[status])
        if number_format:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if quote:
            cell.quotePrefix = True
        self._made[key] = copy(cell._style)
        return cell

    def value(self, value, kind: str, threshold: Decimal, alignment=None, status_of=None) -> WriteOnlyCell | None:
        """A table cell: money, quantities and shares as numbers, counts as integers, the rest as text."""
        if _is_blank(value):
            return None
        if kind in ("money", "quantity", "share") and isinstance(value, (Decimal, int, float)):
            number_format = (_MONEY_FORMAT if kind == "money" else _QUANTITY_FORMAT if kind == "quantity"
                             else _percent_format(Decimal(value), threshold))
            return self.cell(float(value), number_format=number_format, alignment=alignment)
        if kind == "count" and isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return self.cell(int(value), alignment=alignment)
        status = value if kind == "status" else (status_of(value) if status_of else None)
        return self.cell(value, text=True, alignment=alignment, status=status)

    def header(self, column: ReportColumn) -> WriteOnlyCell:
        cell = self.cell(column.name, text=True, font=_HEADER_FONT, alignment=_HEADER_ALIGNMENT,
                         fill=_EXACT_FILL if column.kind == "exact" else _HEADER_FILL)
        cell.comment = Comment(column.meaning, "bomcalc", width=320, height=90)
        return cell


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


def _layout(sheet, table, columns: tuple[ReportColumn, ...], widths: dict[int, float] | None = None) -> list:
    """Set the column widths and the group of exact columns of ``sheet`` (before its first row);
    return the alignment of each column's cells. ``widths``: least widths by column number."""
    alignments = []
    for index, column in enumerate(columns, start=1):
        width, wrap = _width(column, list(table[column.name][:500]))
        sheet.column_dimensions[get_column_letter(index)].width = max(width, (widths or {}).get(index, 0))
        alignments.append(_WRAP if wrap else _TOP)
    for index, width in (widths or {}).items():
        if index > len(columns):
            sheet.column_dimensions[get_column_letter(index)].width = width
    exact = [i for i, c in enumerate(columns, start=1) if c.kind == "exact"]
    if exact:
        sheet.column_dimensions.group(get_column_letter(exact[0]), get_column_letter(exact[-1]), hidden=True, outline_level=1)
        sheet.column_dimensions[get_column_letter(exact[-1] + 1)].collapsed = True  # where the + button sits
        sheet.column_dimensions.max_outline = 1  # written as the sheet's outline depth, so Excel shows the button
    return alignments


def _write_table(sheet, styles: _Styles, table, columns: tuple[ReportColumn, ...], top: int, threshold: Decimal,
                 alignments: list, header_extra=(), status_of: dict | None = None, links: str | None = None) -> int:
    """Append ``table`` with its header as row ``top`` (the next row of the sheet); return the last row.

    ``header_extra``: cells after the header's; ``status_of``: column name -> function giving the
    status colour of a text cell; ``links``: a column whose web addresses are made links.
    """
    sheet.append([styles.header(column) for column in columns] + list(header_extra))
    status_of = status_of or {}
    painters = [status_of.get(column.name) for column in columns]
    link_column = [c.name for c in columns].index(links) if links else -1
    row = top
    for row, record in enumerate(table.itertuples(index=False, name=None), start=top + 1):
        cells = [styles.value(value, column.kind, threshold, alignment, painter)
                 for column, value, alignment, painter in zip(columns, record, alignments, painters)]
        if link_column >= 0:
            value = record[link_column]
            if isinstance(value, str) and value.startswith(("https://", "http://")):
                cells[link_column] = styles.cell(value, text=True, alignment=alignments[link_column], link=value)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{max(row, top)}"
    return row


# ---- sheets ----------------------------------------------------------------------------------


def _summary_sheet(sheet, evaluation: Evaluation, table) -> None:
    threshold = evaluation.rule_pack.threshold
    styles = _Styles(sheet)
    facts = summary_facts(evaluation)
    notes = ["bomcalc informs a compliance decision; it does not replace legal advice."]
    notes += [f"WARNING: {warning}" for warning in evaluation.warnings]
    top = max(_SUMMARY_TABLE_ROW, 4 + len(notes) + 1)
    widths = {index: min(max(len(label), len(str(value))) + 3, 40) for index, (label, value) in enumerate(facts, start=1)}
    columns = TABLE_COLUMNS["Summary"]
    alignments = _layout(sheet, table, columns, widths)
    sheet.freeze_panes = f"B{top + 1}"
    for offset, note in enumerate(notes[1:], start=1):  # a long warning wraps over the width of the first columns
        sheet.row_dimensions[4 + offset].height = 15 * (1 + len(note) // 150)
        sheet.merged_cells.add(f"A{4 + offset}:{get_column_letter(_NOTE_COLUMNS)}{4 + offset}")
    title = f"Export licence determination: {evaluation.bom.source or 'BOM'}"
    sheet.append([styles.cell(title, text=True, font=_TITLE_FONT)])
    sheet.append([styles.cell(label, text=True, font=_HEADER_FONT) if status_meaning(label) is None
                  else styles.cell(label, text=True, status=label) for label, _ in facts])
    sheet.append([value if isinstance(value, int) else None if value is None else styles.cell(value, text=True)
                  for _, value in facts])
    for offset, note in enumerate(notes):
        if offset == 0:
            sheet.append([styles.cell(note, text=True, font=_NOTE_FONT)])
        else:
            sheet.append([styles.cell(note, text=True, font=_WARNING_FONT, alignment=_WRAP)])
    for _ in range(4 + len(notes), top):
        sheet.append([])
    _write_table(sheet, styles, table, columns, top, threshold, alignments)


def _column(name: str, sheet: str) -> int:
    """The 1-based column number of ``name`` in the table of ``sheet``."""
    return [c.name for c in TABLE_COLUMNS[sheet]].index(name) + 1


def _plain_sheet(sheet, name: str, table, threshold: Decimal, freeze_column: str = "A", header_extra=()) -> None:
    styles = _Styles(sheet)
    columns = TABLE_COLUMNS[name]
    alignments = _layout(sheet, table, columns)
    sheet.freeze_panes = f"{freeze_column}2"
    extra = [None if value is None else styles.cell(value, text=True) for value in header_extra]
    _write_table(sheet, styles, table, columns, 1, threshold, alignments, extra,
                 status_of={"severity": _SEVERITY_STATUS.get} if name == "Data quality" else None,
                 links="url" if name == "Provenance" else None)


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
        point.graphicalProperties.solidFill = _STATUS_TEXT.get(status_meaning(status), "808080")
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
    flagged = [p for p, s in zip(ratios["part_id"], ratios["status"]) if status_meaning(s) in (REQUIRED, INDETERMINATE)]
    items = list(contributions["item"])
    listed = [item for item, kind in zip(items, contributions["kind"]) if kind != MORE]  # the more lines are no bars
    with_rows = [p for p in flagged if p in set(listed)]
    note = ("Each Part 2 item's ratio (coloured by status; grey: if every unknown origin were China) against the "
            f"{format_percent(threshold, threshold)} line; below it, a Pareto chart of the contributors of each flagged item "
            "(licence_required or indeterminate), drawn from the Contributions sheet.")
    if len(with_rows) > PARETO_CHARTS:
        note += f" Charts are drawn for the first {PARETO_CHARTS} of {len(with_rows)} flagged items."
    if len(ratios) == 0:
        note = "No Part 2 items: no chart."
    _plain_sheet(sheet, "Charts", ratios, threshold, header_extra=(None, note))
    anchor_column = get_column_letter(len(TABLE_COLUMNS["Charts"]) + 2)
    if len(ratios):
        sheet.add_chart(_ratio_chart(sheet, ratios, threshold), f"{anchor_column}3")
    for number, item in enumerate(with_rows[:PARETO_CHARTS], start=1):
        first = items.index(item) + 2  # header on row 1
        count = min(listed.count(item), PARETO_BARS)
        sheet.add_chart(_pareto_chart(contributions_sheet, item, first, first + count - 1), f"{anchor_column}{3 + 22 * number}")


def _workbook(evaluation: Evaluation, tables: dict) -> openpyxl.Workbook:
    threshold = evaluation.rule_pack.threshold
    workbook = openpyxl.Workbook(write_only=True)
    sheets = {name: workbook.create_sheet(name) for name in SHEETS}
    for sheet in sheets.values():  # printed for a file: landscape, every column on the page
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _summary_sheet(sheets["Summary"], evaluation, tables["Summary"])
    _plain_sheet(sheets["Contributions"], "Contributions", tables["Contributions"], threshold, freeze_column="B")
    _charts_sheet(sheets["Charts"], sheets["Contributions"], tables, threshold)
    for name in ("Data quality", "Row accounts", "Provenance"):
        _plain_sheet(sheets[name], name, tables[name], threshold)
    return workbook


def _save(workbook: openpyxl.Workbook, path, created: dt.datetime) -> None:
    stamp = created.astimezone(dt.timezone.utc).replace(tzinfo=None) if created.tzinfo else created
    workbook.properties.created = workbook.properties.modified = stamp
    workbook.properties.creator = f"bomcalc {__version__}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    write_atomic(path, buffer.getvalue())


def write_excel_report(path: str | os.PathLike, evaluation: Evaluation, created: dt.datetime | None = None, *,
                       top: int = DEFAULT_TOP, contributions_csv: str | os.PathLike | None = None,
                       elsewhere: str | None = None, progress: Progress | None = None) -> None:
    """Write the audit report of ``evaluation`` to ``path`` (``.xlsx``), whole or not at all.

    ``created``: the creation time shown in Provenance (default now, in UTC). The input files
    (:attr:`Bom.files <bomcalc.core.model.Bom>`) and the rule pack file are hashed as they are now.
    ``top``: contributors listed per item on the Contributions sheet; the others are counted on
    a last line that names where they all are: ``contributions_csv``, written first (every
    contribution, :func:`write_contributions_csv`), or ``elsewhere`` (words naming the file).
    ``progress``: told ``tracing contributions`` item by item, then ``writing report``
    (:mod:`bomcalc.core.progress`).
    """
    created = created or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    facts = file_facts(evaluation.bom.files) + _rule_pack_facts(evaluation.rule_pack)
    full = contributions_table(evaluation, progress)
    tell(progress, "writing report", 0, 2)
    if contributions_csv is not None:
        write_contributions_csv(contributions_csv, full)
        elsewhere = elsewhere or f"{Path(contributions_csv).name}, written beside this workbook"
    tables = report_tables(evaluation, facts, created, top=top, contributions=full, elsewhere=elsewhere or FULL_CONTRIBUTIONS)
    tell(progress, "writing report", 1, 2)
    _save(_workbook(evaluation, tables), path, created)
    tell(progress, "writing report", 2, 2)
