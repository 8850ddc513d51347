"""The audit report's tables: every figure of a determination and where it came from (report layer).

Pure: builds one table per sheet of the audit workbook from an
:class:`~bomcalc.core.determine.Evaluation`; :mod:`bomcalc.report.excel` lays them out and writes the
file. Nothing here opens a file, reads a clock or imports a spreadsheet library: facts about
the input files (:class:`FileFact`) and the creation time are passed in.

Sheets and their tables (:data:`TABLE_COLUMNS` documents every column with its unit):

* ``Summary``: one row per Annex 1 item (as :attr:`Evaluation.items <bomcalc.core.determine.Evaluation>`)
  with its headroom to the de minimis line (:func:`bomcalc.core.contributions.headroom`) and the input row
  of the part; :func:`summary_facts` gives the lines shown above it.
* ``Contributions``: for every Part 2 item, its largest sources of China-origin Part 1 content
  (:func:`bomcalc.core.contributions.contributions`), at most ``top`` of them (:data:`DEFAULT_TOP`),
  largest first, with their paths and input row; when there are more, a last line of kind
  ``more`` says how many and where every one is listed, and carries their value together. The
  ``extended_value`` of an item's rows add up exactly to its ``cn_part1_value``. Part 2 items
  without China-origin Part 1 content have no rows. :func:`contributions_table` is the full
  table (every source of every item: the contributions CSV).
* ``Charts``: each Part 2 item's ratio beside the threshold (the data of the ratio chart).
* ``Data quality``: every data problem, then every input row that was merged, skipped or
  rejected, with file, sheet, row and reason.
* ``Row accounts``: per input file and sheet, how many rows were read, used, merged, skipped
  and rejected.
* ``Provenance``: bomcalc version, creation time (the only timestamp in the report), as-of
  date, rule pack with its sources, threshold and dated events, the state of each limb on the
  as-of date, the policies applied, exchange rates, and each input file's size and SHA-256.

Numbers. Money [currency], quantities [uom] and shares [0-1] are exact ``Decimal`` in the
tables. A spreadsheet stores numbers as binary floating point (about 15 significant digits),
which cannot hold every decimal exactly (0.1 + 0.2 is not 0.3 there), so every money and
quantity column has a twin ``<name>_exact`` holding the exact decimal as text. The number
columns are for reading, sorting, filtering and charts; the ``_exact`` columns are the record
that sums and compares exactly. Shares are quotients rounded to 28 significant digits (as in
every bomcalc output) and have no twin: the decision itself is the exact comparison of
``cn_part1_value`` with ``line_value``, both of which have one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from decimal import Decimal

import pandas as pd

from .._version import __version__
from ..core.coverage import coverage_notes
from ..core.rules import side_of_line
from ..core.determine import Evaluation
from ..core.ledger import not_used
from .documents import format_percent
from ..core.contributions import Tracer, headroom
from ..core.progress import Progress, counted
from ..core.frames import row_dicts
from ..core.values import EXACT, format_decimal, ratio, to_decimal
from .audit_columns import (DEFAULT_TOP, EXACT_SUFFIX, FULL_CONTRIBUTIONS, MORE, PATH_LIMIT, SHEETS,  # noqa: F401 (the API of the audit tables)
                            TABLE_COLUMNS, FileFact, ReportColumn, table_frame)

def _joined(values) -> str:
    return "; ".join(str(v) for v in values)


def _against_line(cn: Decimal | None, line: Decimal | None) -> str | None:
    return None if cn is None or line is None else side_of_line(cn, line)


def _location(table: pd.DataFrame, part_id: str) -> dict:
    if part_id not in table.index:
        return {"input_file": None, "input_sheet": None, "input_row": None}
    row = table.loc[part_id]
    number = row.get("row")
    return {
        "input_file": row.get("file"),
        "input_sheet": row.get("sheet"),
        "input_row": None if number is None or pd.isna(number) else int(number),
    }


def _summary(evaluation: Evaluation) -> pd.DataFrame:
    threshold = evaluation.rule_pack.threshold
    room = headroom(evaluation).set_index("part_id")
    rows = []
    for _, item in evaluation.items.iterrows():
        part_id = item["part_id"]
        part2 = item["annex1"] == "part2"
        extra = room.loc[part_id] if part2 and part_id in room.index else None
        line = extra["line_value"] if extra is not None else None
        rows.append({
            "part_id": part_id,
            "description": item["description"],
            "annex1": item["annex1"],
            "annex1_basis": item["annex1_basis"],
            "origin": item["origin"],
            "status": item["status"],
            "reasons": _joined(item["reasons"]),
            "open_limbs": _joined(item["open_limbs"]),
            "deciding_inputs": _joined(item["deciding_inputs"]),
            "ratio": item["ratio"],
            "ratio_upper": item["ratio_upper"],
            "threshold": threshold if part2 else None,
            "against_line": _against_line(item["cn_part1_value"], line) if part2 else None,
            "cn_part1_value": to_decimal(item["cn_part1_value"]),
            "unknown_origin_part1_value": to_decimal(item["unknown_origin_part1_value"]),
            "value": to_decimal(item["value"]),
            "value_basis": item["value_basis"],
            "line_value": line,
            "headroom": extra["headroom"] if extra is not None else None,
            "must_shed": extra["must_shed"] if extra is not None else None,
            "fix_by": _joined(extra["fix_by"]) if extra is not None else None,
            "in_force": "yes" if item["in_force"] else "no",
            "force_note": item["force_note"],
            **_location(evaluation.bom.parts, part_id),
        })
    return table_frame("Summary", rows)


def _paths_text(paths: tuple[str, ...]) -> str:
    text = "\n".join(paths)
    if len(paths) >= PATH_LIMIT:
        text += f"\n(only the first {PATH_LIMIT} paths are listed)"
    return text


def contributions_table(evaluation: Evaluation, progress: Progress | None = None) -> pd.DataFrame:
    """Every source of China-origin Part 1 content of every Part 2 item, largest first per item.

    Columns: ``TABLE_COLUMNS["Contributions"]``. The Contributions sheet shows the top of it
    (:func:`top_contributions`); the contributions CSV and the audit pack hold all of it.
    ``progress``: told ``tracing contributions``, item by item (:mod:`bomcalc.core.progress`).
    """
    bom = evaluation.bom
    tracer = Tracer(bom, evaluation.rolled, evaluation.alternates)  # each part's sources found once for all items
    rows = []
    items = evaluation.items[evaluation.items["annex1"] == "part2"]
    for item in counted(progress, "tracing contributions", (row for _, row in items.iterrows()), len(items)):
        for source in tracer.rows(item["part_id"], path_limit=PATH_LIMIT):
            declared = source["kind"] == "declaration"
            where = bom.declarations if declared else bom.parts
            rows.append({
                "item": item["part_id"],
                "item_status": item["status"],
                "item_value": to_decimal(item["value"]),
                "item_cn_part1_value": to_decimal(item["cn_part1_value"]),
                "source": source["source"],
                "kind": source["kind"],
                "description": source["description"],
                "extended_qty": source["extended_qty"],
                "uom": bom.parts.at[source["source"], "uom"],
                "unit_content": to_decimal(source["unit_content"]),
                "extended_value": source["extended_value"],
                "share_of_value": source["share_of_value"],
                "share_of_content": source["share_of_content"],
                "cumulative_share": source["cumulative_share"],
                "paths": _paths_text(source["paths"]),
                "evidence": bom.declarations.at[source["source"], "source"] if declared else None,
                **_location(where, source["source"]),
            })
    return table_frame("Contributions", rows)


def _more_line(rest: list[dict], elsewhere: str) -> dict:
    """One line for the contributors of ``rest`` (one item's rows, beyond the top): how many, where, how much together."""
    first = rest[0]
    total, value = first["item_cn_part1_value"], first["item_value"]
    together = None
    values = [row["extended_value"] for row in rest]
    if all(v is not None for v in values):
        together = Decimal(0)
        for value_of_one in values:
            together = EXACT.add(together, value_of_one)  # exact, as the roll-up adds
    count = len(rest)
    return {
        "item": first["item"], "item_status": first["item_status"], "item_value": value, "item_cn_part1_value": total,
        "source": f"({count} more)", "kind": MORE,
        "description": f"{count} more contributors, each smaller than those above; extended_value is their sum. "
                       f"Every one is listed with its paths in {elsewhere}.",
        "extended_qty": None, "uom": None, "unit_content": None, "extended_value": together,
        "share_of_value": ratio(together, value), "share_of_content": ratio(together, total),
        "cumulative_share": rest[-1]["cumulative_share"], "paths": None, "evidence": None,
        "input_file": None, "input_sheet": None, "input_row": None,
    }


def top_contributions(full: pd.DataFrame, top: int = DEFAULT_TOP, elsewhere: str = FULL_CONTRIBUTIONS) -> pd.DataFrame:
    """The ``top`` largest contributors of each item of ``full`` (:func:`contributions_table`), and
    for an item with more, a line of kind :data:`MORE` saying how many more there are, where they
    are listed (``elsewhere``) and their value together, so that an item's lines still add up
    exactly to its ``cn_part1_value``."""
    if top < 0:
        raise ValueError("top must be 0 or more")
    if full.empty:
        return full
    by_item: dict = {}
    for row in row_dicts(full):  # an item's rows in their order, the items in the order they first come
        by_item.setdefault(row["item"], []).append(row)
    rows = []
    for group in by_item.values():
        rows.extend(group[:top])
        if len(group) > top:
            rows.append(_more_line(group[top:], elsewhere))
    return table_frame("Contributions", rows)


def _ratios(evaluation: Evaluation) -> pd.DataFrame:
    threshold = evaluation.rule_pack.threshold
    rows = [
        {"part_id": item["part_id"], "status": item["status"], "ratio": item["ratio"],
         "ratio_upper": item["ratio_upper"], "threshold": threshold}
        for _, item in evaluation.items.iterrows()
        if item["annex1"] == "part2"
    ]
    return table_frame("Charts", rows)


def _quality(evaluation: Evaluation) -> pd.DataFrame:
    rows = [
        {"kind": "problem", "severity": issue.severity, "fate": None, "code": issue.code, "file": issue.file,
         "sheet": issue.sheet, "row": issue.row, "part_id": issue.part_id, "reason": issue.message}
        for issue in evaluation.issues
    ]
    rows += [
        {"kind": "row", "severity": None, "fate": fate.fate, "code": None, "file": fate.file, "sheet": fate.sheet,
         "row": fate.row, "part_id": None, "reason": fate.reason}
        for fate in not_used(evaluation.bom.row_fates)
    ]
    return table_frame("Data quality", rows)


def _accounts(evaluation: Evaluation) -> pd.DataFrame:
    rows = [
        {"file": a.file, "sheet": a.sheet, "read": a.read, "used": a.used, "merged": a.merged,
         "skipped": a.skipped, "rejected": a.rejected}
        for a in evaluation.bom.accounts
    ]
    return table_frame("Row accounts", rows)


_ROLE_NOTES = {
    "bom": "the BOM file or folder",
    "parts": "parts master joined by part number",
    "declarations": "supplier declarations",
    "fx": "exchange rates",
    "units": "unit table",
    "prices": "reference prices per kg",
    "map": "header mapping and layout",
    "profile": "export profile",
}


def _role_of(name: str, inputs) -> str | None:
    """The role of an input file: the input it is, or the folder input it lies in."""
    path = PurePath(name)
    for role, given in inputs:
        given_path = PurePath(given)
        if path == given_path or given_path in path.parents:
            return role
    return None


def _provenance(evaluation: Evaluation, file_facts, created: dt.datetime | None) -> pd.DataFrame:
    pack, bom = evaluation.rule_pack, evaluation.bom
    rows: list[dict] = []

    def add(section, name, value, note=None, url=None):
        rows.append({"section": section, "name": name, "value": value, "note": note, "url": url or None})

    add("report", "bomcalc version", __version__)
    if created is not None:
        add("report", "created", created.isoformat(timespec="seconds"), "when this report was written")
    add("report", "as_of", evaluation.as_of.isoformat(), "the date the rule is applied on")
    add("report", "bom", bom.source, "the BOM file or folder read")
    add("report", "currency", evaluation.currency, "every value is in this currency")
    add("rule pack", "id", pack.id, pack.title)
    add("rule pack", "version", pack.version)
    if pack.origin:
        add("rule pack", "file", pack.origin)
    for base in pack.extends:
        add("rule pack", "extends", f"{base.id} {base.version}", f"an overlay on this pack; its file: {base.origin}")
    add("rule pack", "threshold", format_decimal(pack.threshold), f"{format_percent(pack.threshold, pack.threshold)} of the item's value")
    add("rule pack", "inclusive", "yes" if pack.inclusive else "no",
        "exactly on the line is caught (0.1% or more)" if pack.inclusive else "only above the line is caught")
    add("rule pack", "last_event", pack.last_event_date.isoformat(),
        "the as-of date is later: the pack may be out of date" if pack.is_beyond_last_event(evaluation.as_of) else None)
    for source in pack.sources:
        add("source", source.id, source.title, source.short, source.url)
    for event in pack.events:
        what = f"{event.action} {', '.join(event.limbs)}" + (f" through {event.until.isoformat()}" if event.until else "")
        source = pack.source(event.source)
        recorded = f" (recorded in {event.recorded_in})" if pack.extends and event.recorded_in else ""
        add("event", event.date.isoformat(), what, (event.note or pack.source_title(event.source)) + recorded,
            source.url if source else None)
    for state in evaluation.limb_states.values():
        limb = pack.limb(state.limb)
        add("limb", f"{state.limb} ({limb.clause})", state.state, f"{state.note}. {limb.title}")
    for name, text in evaluation.policies.items():
        add("policy", name, text)
    for rate in bom.fx_rates:
        add("fx rate", rate.currency, format_decimal(rate.rate),
            f"1 {rate.currency} = {format_decimal(rate.rate)} {evaluation.currency}"
            + (f" on {rate.date.isoformat()}" if rate.date else "") + (f" ({rate.source})" if rate.source else ""))
    for note in bom.notes:
        add("reading note", None, note)
    for warning in evaluation.warnings:
        add("warning", None, warning)
    for role, path in bom.inputs:
        add("input", role, path, _ROLE_NOTES.get(role))
    for name in ("parts", "annex1_known", "annex1_by_suggestion", "origin_known", "value_known", "in_parts_data", "complete"):
        if name in evaluation.coverage:
            value = evaluation.coverage[name]
            add("coverage", name, ("yes" if value else "no") if isinstance(value, bool) else value,
                "no unknown fact can change a determination" if name == "complete" and value else None)
    for note in coverage_notes(bom, evaluation.items):
        add("coverage", "missing", note, "what keeps the result from being complete, and the next step")
    for fact in file_facts:
        role = _role_of(fact.name, bom.inputs)
        bases = {base.origin for base in pack.extends}
        what = ("the rule pack; " if fact.name == pack.origin else "the pack the rule pack extends; " if fact.name in bases
                else f"{role}; " if role else "")
        if fact.sha256 is None:
            add("input file", fact.name, None, f"{what}not found when the report was written")
        else:
            add("input file", fact.name, fact.sha256, f"{what}SHA-256 of its {fact.size} bytes when the report was written")
    add("note", "numbers", "Number cells are binary floating point (about 15 significant digits); the columns ending in "
        f"'{EXACT_SUFFIX}' (grouped at the right of a table: click + above them to show them) hold the exact decimals "
        "bomcalc computed with, as text.")
    add("note", "text", "Text from the input is written as text, never as a formula, even when it starts with = + - or @.")
    add("note", "advice", "bomcalc informs a compliance decision; it does not replace legal advice.")
    return table_frame("Provenance", rows)


def summary_facts(evaluation: Evaluation) -> tuple[tuple[str, object], ...]:
    """The key facts shown above the Summary table, as ``(label, value)`` pairs."""
    pack = evaluation.rule_pack
    counts = evaluation.counts()
    return (
        ("as of", evaluation.as_of.isoformat()),
        ("rule pack", pack.label),
        ("threshold", f"{format_percent(pack.threshold, pack.threshold)} ({'inclusive' if pack.inclusive else 'exclusive'})"),
        ("currency", evaluation.currency),
        ("Part 2 scope", evaluation.part2_scope),
        (f"{pack.regime.item_words}s", len(evaluation.items)),
        *counts.items(),
        ("complete", "yes" if evaluation.coverage.get("complete", True) else "no"),
    ) + tuple(("missing", note) for note in coverage_notes(evaluation.bom, evaluation.items))


def report_tables(evaluation: Evaluation, file_facts=(), created: dt.datetime | None = None, *, top: int = DEFAULT_TOP,
                  contributions: pd.DataFrame | None = None, elsewhere: str = FULL_CONTRIBUTIONS) -> dict[str, pd.DataFrame]:
    """One table per sheet of the audit report, keyed by :data:`SHEETS`.

    ``file_facts``: a :class:`FileFact` per input file (hashing is the I/O layer's job).
    ``created``: when the report is written; listed in Provenance only, omitted when ``None``.
    ``top``: contributors listed per item (:func:`top_contributions`; ``elsewhere`` names the
    file holding them all); ``contributions``: :func:`contributions_table`, when already built.
    Columns: :data:`TABLE_COLUMNS`.
    """
    full = contributions_table(evaluation) if contributions is None else contributions
    return {
        "Summary": _summary(evaluation),
        "Contributions": top_contributions(full, top, elsewhere),
        "Charts": _ratios(evaluation),
        "Data quality": _quality(evaluation),
        "Row accounts": _accounts(evaluation),
        "Provenance": _provenance(evaluation, tuple(file_facts), created),
    }

