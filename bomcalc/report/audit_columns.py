"""The audit report's sheets and the documented columns of each (report layer).

:data:`TABLE_COLUMNS` documents every column of every table of the audit workbook, with its
unit; :func:`table_frame` builds a sheet's table from row dicts, filling each ``_exact`` twin
with the exact decimal as text. :mod:`bomcalc.report.audit` builds the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.values import format_decimal

#: Sheet names of the audit workbook, in order.
SHEETS = ("Summary", "Contributions", "Charts", "Data quality", "Row accounts", "Provenance")

#: Suffix of the text columns holding the exact decimal of a number column.
EXACT_SUFFIX = "_exact"

#: At most this many paths are listed per contribution.
PATH_LIMIT = 20

#: Contributors listed per item on the Contributions sheet (``report --top``); the rest are in the CSV.
DEFAULT_TOP = 25

#: The ``kind`` of the line that stands for an item's contributors beyond the top ones.
MORE = "more"

#: Where the full contributions are, when the caller does not name the file.
FULL_CONTRIBUTIONS = "the contributions CSV written beside the workbook"


@dataclass(frozen=True)
class ReportColumn:
    """One column of an audit table: canonical ``name``, ``kind`` and
    ``meaning`` in words, with its unit (shown as a note on the header cell).

    Kinds: ``text``, ``status`` (a determination status), ``count`` (an integer), ``money``
    [currency], ``quantity`` [uom], ``share`` [0-1, shown as a percentage] and ``exact`` (the
    exact decimal of a money or quantity column, as text).
    """

    name: str
    kind: str
    meaning: str


@dataclass(frozen=True)
class FileFact:
    """An input file as it was when the report was written: ``name`` (the path as given),
    ``size`` [bytes] and ``sha256`` (hex digest); both ``None`` when the file was not found."""

    name: str
    size: int | None
    sha256: str | None


def _col(name: str, kind: str, meaning: str) -> ReportColumn:
    return ReportColumn(name, kind, meaning)


def _exact_twins(columns: tuple[ReportColumn, ...]) -> tuple[ReportColumn, ...]:
    return tuple(
        _col(c.name + EXACT_SUFFIX, "exact", f"{c.name} as an exact decimal (text): the value bomcalc computed with")
        for c in columns
        if c.kind in ("money", "quantity")
    )


_INPUT_ROW = (
    _col("input_file", "text", "file holding the part's row (the declaration's row for a declaration)"),
    _col("input_sheet", "text", "sheet of that row"),
    _col("input_row", "count", "row number in that sheet (header = 1)"),
)

_SUMMARY = (
    _col("part_id", "text", "part number as given in the input"),
    _col("description", "text", "description as given in the input"),
    _col("annex1", "text", "part1 (counted input) or part2 (item tested against the threshold), as assessed"),
    _col("annex1_basis", "text", "listed (marked in the input), contains_part2 (assemblies scope), or assessed (of unknown origin, possibly content of what contains it)"),
    _col("origin", "text", "ISO 3166-1 alpha-2 country of origin; blank = unknown"),
    _col("status", "status", "licence_required, indeterminate or not_required"),
    _col("reasons", "text", "limbs that hold: de_minimis (Clause 1(1)), chinese_technology (Clause 1(2)), china_origin (Clause 1(3))"),
    _col("open_limbs", "text", "limbs that could still hold (indeterminate items)"),
    _col("deciding_inputs", "text", "parts whose unknown origin or missing value decide an indeterminate item"),
    _col("ratio", "share", "cn_part1_value / value [share, shown as %]; Part 2 items only"),
    _col("ratio_upper", "share", "(cn_part1_value + unknown_origin_part1_value) / value [share]: the ratio if every unknown origin were China"),
    _col("threshold", "share", "the de minimis line of the rule pack [share], for comparison; Part 2 items only"),
    _col("against_line", "text", "cn_part1_value compared exactly with line_value: above, on or below the line"),
    _col("cn_part1_value", "money", "China-origin Annex 1 Part 1 content in one unit [currency]"),
    _col("unknown_origin_part1_value", "money", "Part 1 content of unknown origin in one unit [currency]: added if those origins were China"),
    _col("value", "money", "value of one unit [currency]; for a Part 2 item the denominator of the ratio"),
    _col("value_basis", "text", "unit_value (the item's own) or components (rolled up from its components)"),
    _col("line_value", "money", "threshold x value [currency]: the China-origin content at which the de minimis test is met"),
    _col("headroom", "money", "line_value - cn_part1_value [currency]: > 0 room left below the line, <= 0 at or over it"),
    _col("must_shed", "money", "China-origin content to remove to get strictly below the line [currency]; 0 if below"),
    _col("fix_by", "text", "fewest largest contributors whose re-sourcing gets the item below the line"),
    _col("in_force", "text", "yes when a limb deciding the status is in force on the as-of date"),
    _col("force_note", "text", "which limbs decide the status, and whether each is in force on the as-of date"),
) + _INPUT_ROW

_CONTRIBUTIONS = (
    _col("item", "text", "the Part 2 item"),
    _col("item_status", "status", "the item's status"),
    _col("item_value", "money", "value of one unit of the item [currency] (denominator)"),
    _col("item_cn_part1_value", "money", "the item's China-origin Part 1 content [currency]: the sum of its extended_value"),
    _col("source", "text", "the contributing part: a China-origin Part 1 item, or a part with a supplier declaration"),
    _col("kind", "text", "china_origin_part1 (its own unit_value counts), declaration (its declared value counts) or "
         "possible_china_origin_part1 (it may be a China-origin Part 1 item; its own unit_value, less than its inputs' content, counts); "
         f"{MORE}: the item's other contributors together, each listed in the full contributions CSV"),
    _col("description", "text", "description of the source"),
    _col("extended_qty", "quantity", "quantity of the source in one unit of the item, summed over every path [source uom]"),
    _col("uom", "text", "unit of measure of the source"),
    _col("unit_content", "money", "China-origin Part 1 value of one unit of the source [currency per source uom]: its unit_value or declared value"),
    _col("extended_value", "money", "extended_qty x unit_content [currency per unit of the item]"),
    _col("share_of_value", "share", "extended_value / item_value [share]"),
    _col("share_of_content", "share", "extended_value / item_cn_part1_value [share]"),
    _col("cumulative_share", "share", "running share of item_cn_part1_value, largest contributor first [share]"),
    _col("paths", "text", f"every path from the item down to the source with the quantity on each line (at most {PATH_LIMIT})"),
    _col("evidence", "text", "the supplier declaration's source, for a declaration"),
) + _INPUT_ROW

_CHARTS = (
    _col("part_id", "text", "the Part 2 item"),
    _col("status", "status", "the item's status"),
    _col("ratio", "share", "cn_part1_value / value [share]"),
    _col("ratio_upper", "share", "the ratio if every unknown origin were China [share]"),
    _col("threshold", "share", "the de minimis line [share]"),
)

_QUALITY = (
    _col("kind", "text", "problem (a data issue found while reading or evaluating) or row (an input row not used as it stands)"),
    _col("severity", "text", "error or warning, for a problem"),
    _col("fate", "text", "merged, skipped or rejected, for a row"),
    _col("code", "text", "stable name of the problem"),
    _col("file", "text", "input file"),
    _col("sheet", "text", "sheet of the input file"),
    _col("row", "count", "row number in that sheet (header = 1)"),
    _col("part_id", "text", "part concerned, when known"),
    _col("reason", "text", "what is wrong and how to fix it, or why the row was not used as it stands"),
)

_ACCOUNTS = (
    _col("file", "text", "input file"),
    _col("sheet", "text", "sheet (or the file itself for text files)"),
    _col("read", "count", "rows read: used + merged + skipped + rejected"),
    _col("used", "count", "rows used"),
    _col("merged", "count", "rows merged with another (a summed duplicate line, a repeated sub-assembly or master row)"),
    _col("skipped", "count", "rows skipped by rule (title, header, blank, text, document, DNP rows)"),
    _col("rejected", "count", "rows rejected, with the reason on the Data quality sheet"),
)

_PROVENANCE = (
    _col("section", "text", "report, rule pack, source, event, limb, policy, fx rate, reading note, warning, input file, note"),
    _col("name", "text", "what the row is about"),
    _col("value", "text", "its value, as text"),
    _col("note", "text", "explanation"),
    _col("url", "text", "where the source can be read"),
)

#: The columns of every table, by sheet, in order.
TABLE_COLUMNS: dict[str, tuple[ReportColumn, ...]] = {
    "Summary": _SUMMARY + _exact_twins(_SUMMARY),
    "Contributions": _CONTRIBUTIONS + _exact_twins(_CONTRIBUTIONS),
    "Charts": _CHARTS,
    "Data quality": _QUALITY,
    "Row accounts": _ACCOUNTS,
    "Provenance": _PROVENANCE,
}


def table_frame(sheet: str, rows: list[dict]) -> pd.DataFrame:
    """The table of ``sheet`` from ``rows``, in the documented column order, exact twins filled in."""
    columns = TABLE_COLUMNS[sheet]
    for row in rows:
        for column in columns:
            if column.kind == "exact":
                row[column.name] = format_decimal(row[column.name[: -len(EXACT_SUFFIX)]])
    return pd.DataFrame(rows, columns=[c.name for c in columns], dtype=object)
