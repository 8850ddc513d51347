"""Result tables and documents built from an :class:`~bomcalc.core.determine.Evaluation` (pure).

Nothing here writes a file: :mod:`bomcalc.io.writers` does. The same inputs give the same
document, byte for byte once serialised (no timestamps, stable ordering).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.coverage import NAMED, coverage_line, coverage_notes, named, no_items_text
from ..core.determine import INDETERMINATE, Evaluation
from ..core.regime import status_meaning
from ..core.rollup import content_unknown
from ..core.errors import DataIssue
from ..core.frames import row_dicts
from ..core.graph import has_lines
from ..core.ledger import not_used
from .safe_text import html_text, terminal_text  # noqa: F401 (html_text: for the notebooks)
from ..core.scenarios import COMPARISON_COLUMNS
from ..core.values import DISPLAY, format_decimal

#: Columns of the CSV items table (also the JSON item keys, in order).
CSV_COLUMNS = (
    "part_id",
    "description",
    "annex1",
    "annex1_basis",
    "origin",
    "value",
    "value_basis",
    "cn_part1_value",
    "unknown_origin_part1_value",
    "ratio",
    "ratio_upper",
    "status",
    "reasons",
    "open_limbs",
    "deciding_inputs",
    "in_force",
    "force_note",
)


def issue_record(issue: DataIssue) -> dict:
    """One data issue as a JSON-ready dict."""
    return {
        "severity": issue.severity,
        "code": issue.code,
        "message": issue.message,
        "file": issue.file,
        "sheet": issue.sheet,
        "row": issue.row,
        "part_id": issue.part_id,
    }


def failure_document(error) -> dict:
    """A read that failed with data errors, as JSON: the summary and every issue record."""
    return {"error": str(error), "issues": [issue_record(issue) for issue in error.issues]}


def json_value(value):
    """A cell as JSON: decimals as exact strings, tuples as lists, numpy scalars as Python ones."""
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, (tuple, list)):
        return [json_value(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def json_record(row, names) -> dict:
    """The named cells of a table row as a JSON-ready dict, in that order."""
    return {name: json_value(row[name]) for name in names}


def _item_record(row) -> dict:
    return json_record(row, CSV_COLUMNS)


def result_document(evaluation: Evaluation) -> dict:
    """The whole result as one JSON-ready document; decimals are strings."""
    pack = evaluation.rule_pack
    return {
        "bomcalc_version": __version__,
        "as_of": evaluation.as_of.isoformat(),
        "rule_pack": {
            "id": pack.id,
            "version": pack.version,
            "title": pack.title,
            "origin": pack.origin,
            "extends": [{"id": base.id, "version": base.version, "origin": base.origin} for base in pack.extends],
            "threshold": format_decimal(pack.threshold),
            "inclusive": pack.inclusive,
            "destination": pack.regime.destination, "statuses": dict(pack.regime.outcomes.labels),
            "status_words": dict(pack.regime.outcomes.words),
            "last_event": pack.last_event_date.isoformat(),
            "as_of_beyond_last_event": pack.is_beyond_last_event(evaluation.as_of),
            "sources": [{"id": s.id, "short": s.short, "title": s.title, "url": s.url} for s in pack.sources],
        },
        "limbs": [
            {
                "id": state.limb,
                "clause": pack.limb(state.limb).clause,
                "in_force": state.in_force,
                "state": state.state,
                "note": state.note,
            }
            for state in evaluation.limb_states.values()
        ],
        "source": evaluation.bom.source,
        "files": list(evaluation.bom.files),
        "inputs": [{"role": role, "path": path} for role, path in evaluation.bom.inputs],
        "currency": evaluation.currency,
        "fx_rates": [
            {"currency": r.currency, "rate": format_decimal(r.rate), "date": r.date.isoformat() if r.date else None, "source": r.source}
            for r in evaluation.bom.fx_rates
        ],
        "reading_notes": list(evaluation.bom.notes),
        "part2_scope": evaluation.part2_scope,
        "policies": evaluation.policies,
        "summary": evaluation.counts(),
        "coverage": dict(evaluation.coverage),
        "coverage_notes": coverage_notes(evaluation.bom, evaluation.items),
        "warnings": list(evaluation.warnings),
        "items": [_item_record(row) for row in row_dicts(evaluation.items)],
        "issues": [issue_record(issue) for issue in evaluation.issues],
    }


def items_table(evaluation: Evaluation) -> pd.DataFrame:
    """The items as a table of text cells, for CSV (lists joined with ``;``)."""
    records = []
    for row in row_dicts(evaluation.items):
        record = _item_record(row)
        for key in ("reasons", "open_limbs", "deciding_inputs"):
            record[key] = ";".join(record[key])
        record["in_force"] = "true" if record["in_force"] else "false"
        records.append(record)
    return pd.DataFrame(records, columns=list(CSV_COLUMNS))


def format_percent(share: Decimal | None, threshold: Decimal) -> str:
    """A share as a percentage with 4 decimals, more where rounding would blur the threshold."""
    if share is None:
        return "n/a"
    percent = DISPLAY.multiply(share, Decimal(100))
    line = threshold * 100
    for places in (4, 8, 12, 20):
        shown = percent.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN, context=DISPLAY)
        if (shown >= line) == (percent >= line) and (shown == line) == (percent == line):
            return f"{shown}%"
    return f"{format_decimal(percent)}%"


def _money(number: Decimal | None) -> str:
    if number is None:
        return "n/a"
    return format_decimal(number)


def _ratio_cell(row, threshold) -> str:
    """The ratio of a Part 2 item; an undecided one shows its range up to the upper bound
    (``0.0716% to 1.3494%``, or ``to ?`` when the upper bound is unknown), never a bare low figure."""
    if row["annex1"] != "part2":
        return "-"
    low = format_percent(row["ratio"], threshold)
    if status_meaning(row["status"]) != INDETERMINATE or row["ratio"] is None:
        return low
    upper = row["ratio_upper"]
    return f"{low} to {format_percent(upper, threshold) if upper is not None else '?'}"


def format_table(evaluation: Evaluation) -> str:
    """The determination as a plain-text table with a footer, data problems after it."""
    threshold = evaluation.rule_pack.threshold
    header = ("status", "part_id", "annex1", "reasons", "ratio", "cn_part1_value", "value", "in_force", "description")
    body, rows = [], row_dicts(evaluation.items)  # plain dicts: a Series per row costs seconds on big BOMs
    for row in rows:
        reasons = ",".join(row["reasons"]) or (
            "open: " + ",".join(row["open_limbs"]) if row["open_limbs"] else "-"
        )
        body.append(
            (
                row["status"],
                row["part_id"],
                row["annex1"] + ("*" if row["annex1_basis"] != "listed" else ""),
                reasons,
                _ratio_cell(row, threshold),
                _money(row["cn_part1_value"]),
                _money(row["value"]) + (" (c)" if row["value_basis"] == "components" else ""),
                "yes" if row["in_force"] else "no",
                str(row["description"])[:40],
            )
        )
    lines = text_table(header, body)
    if not body:
        lines.append(no_items_text(evaluation.bom))
    pack = evaluation.rule_pack
    counts = evaluation.counts()
    lines += [
        "",
        f"Rule pack {pack.label}; as of {evaluation.as_of.isoformat()}; threshold "
        f"{format_percent(threshold, threshold)} ({'inclusive' if pack.inclusive else 'exclusive'}); "
        f"currency {evaluation.currency or 'n/a'}; Part 2 scope: {evaluation.part2_scope}.",
        f"{len(evaluation.items)} {evaluation.rule_pack.regime.item_words}(s): "
        + ", ".join(f"{count} {evaluation.outcomes.words_of(label)}" for label, count in counts.items()) + ".",
        coverage_line(evaluation.coverage) + ".",
    ] + ([f"Threshold: {pack.regime.threshold_note}."] if pack.regime.threshold_note else [])
    if "annex1_suggestions" in evaluation.policies:
        lines.append(f"Annex 1 suggestions: {evaluation.policies['annex1_suggestions']}.")
    if not evaluation.coverage.get("complete", True):
        lines.append("The result is incomplete:")
        lines += [f"  - {note}." for note in coverage_notes(evaluation.bom, evaluation.items)]
    lines.append("Limbs on the as-of date:")
    lines += [f"  {state.limb} ({pack.limb(state.limb).clause}): {state.note}" for state in evaluation.limb_states.values()]
    for rate in evaluation.bom.fx_rates:
        lines.append(f"Rate used: 1 {rate.currency} = {format_decimal(rate.rate)} {evaluation.currency}"
                     f"{' on ' + rate.date.isoformat() if rate.date else ''}{' (' + rate.source + ')' if rate.source else ''}.")
    lines += [f"Read: {note}" + ("" if note.endswith(".") else ".") for note in evaluation.bom.notes]
    if any(row["value_basis"] == "components" for row in rows):
        lines.append("(c) value rolled up from components: the item has no unit_value of its own.")
    if evaluation.part2_scope == "assemblies":
        lines.append("part2* assessed as Part 2 because it contains a Part 2 item (assemblies scope).")
    if evaluation.bom.assessed_open:
        lines.append("part2* assessed, of unknown origin: were it of the counted origin, its whole value would count in "
                     "the items containing it, so those items are decided both ways.")
    lines += _undecided_lines(evaluation, rows)
    for warning in evaluation.warnings:
        lines.append(f"WARNING: {warning}")
    if evaluation.issues:
        lines += ["", f"Data problems ({len(evaluation.issues)}):"]
        lines += [f"  {issue}" for issue in evaluation.issues]
    lines.append("bomcalc informs a compliance decision; it does not replace legal advice.")
    return terminal_text("\n".join(lines) + "\n")


def _undecided_lines(evaluation, rows) -> list[str]:
    """Why each indeterminate item is open, a line per reason: the items that share one are named on one
    line (:func:`~bomcalc.core.coverage.named`: the first five, then how many more), so a thousand magnets
    waiting on the origin of one input make one line, not a thousand."""
    undecided = evaluation.outcomes.label(INDETERMINATE)
    items_by_why: dict[str, list[str]] = {}
    for row in (row for row in rows if row["status"] == undecided):
        why = []
        if row["part_id"] in row["deciding_inputs"]:
            why += _own_unknowns(evaluation.bom, row["part_id"])
        inputs = [p for p in row["deciding_inputs"] if p != row["part_id"]]
        if inputs:
            why.append("decided by the origin, value or Annex 1 status of " + ", ".join(inputs))
        items_by_why.setdefault("; ".join(why) or "its value cannot be determined", []).append(str(row["part_id"]))
    return [f"{named(part_ids)} {'is' if len(part_ids) == 1 else 'are'} indeterminate: {why}"
            + (" (bomcalc check BOM --format csv lists each item's deciding_inputs)." if len(part_ids) > NAMED else ".")
            for why, part_ids in items_by_why.items()]


def _own_unknowns(bom, part_id: str) -> list[str]:
    """What an undecided item does not know about itself, in words."""
    part = bom.parts.loc[part_id]
    known = bool(part["annex1_known"]) if "annex1_known" in part else True
    why = []
    if part["origin"] is None:
        why.append("its own origin is unknown")
    if not known:
        why.append("its own Annex 1 status is unknown")
    if part["unit_value"] is None:
        why.append("its own value is unknown")
    if content_unknown(part["annex1"], has_lines(bom, part_id), part_id in bom.declarations.index):
        why.append("it has no BOM lines and no supplier declaration, so its Part 1 content is unknown "
                   "(ask its supplier: bomcalc requests)")
    return why or ["its own facts leave it open"]


def quality_document(validation) -> dict:
    """The data-quality account of a :class:`~bomcalc.api.Validation` as a JSON-ready dict."""
    return {
        "source": validation.source,
        "ok": validation.ok,
        "accounts": [
            {"file": a.file, "sheet": a.sheet, "read": a.read, "used": a.used, "merged": a.merged,
             "skipped": a.skipped, "rejected": a.rejected, "stopped": a.stopped or None}
            for a in validation.accounts
        ],
        "rows": [
            {"file": f.file, "sheet": f.sheet, "row": f.row, "fate": f.fate, "reason": f.reason}
            for f in not_used(validation.row_fates)
        ],
        "issues": [issue_record(issue) for issue in validation.issues],
    }


def format_quality(validation) -> str:
    """The data-quality account as text: counts per sheet, rows not used and why, problems."""
    header = ("file", "sheet", "read", "used", "merged", "skipped", "rejected")
    body = [(a.file or "", a.sheet or "", a.read, a.used, a.merged, a.skipped, a.rejected) for a in validation.accounts]
    lines = text_table(header, body)
    total = sum(a.read for a in validation.accounts)
    stopped = [a for a in validation.accounts if a.stopped]
    if stopped:
        lines.append(f"{total} row(s) in the files, but the read stopped early: "
                     + "; ".join(f"{a.file}, sheet '{a.sheet}': {a.stopped}" for a in stopped)
                     + ". The rows it did not reach are counted as rejected (not read).")
    else:
        lines.append(f"{total} row(s) read: every one is used, merged, skipped or rejected, as listed below.")
    others = not_used(validation.row_fates)
    if others:
        lines += ["", "Rows not used as they stand:"]
        lines += [f"  {f.file}, sheet '{f.sheet}', row {f.row}: {f.fate}{' (' + f.reason + ')' if f.reason else ''}" for f in others]
    if validation.bom is not None and validation.bom.notes:
        lines += ["", "How the files were read:"] + [f"  {note}" for note in validation.bom.notes]
    errors = [i for i in validation.issues if i.severity == "error"]
    warnings = [i for i in validation.issues if i.severity != "error"]
    lines += ["", f"{len(errors)} error(s), {len(warnings)} warning(s)."]
    lines += [f"  {issue}" for issue in errors + warnings]
    lines.append("The BOM can be checked." if validation.ok else "Fix the errors above; no result can be given until then.")
    return terminal_text("\n".join(lines) + "\n")


def text_table(header: tuple, body: list[tuple]) -> list[str]:
    """Lines of a plain-text table: the header, a rule, one line per row, cells escaped for a terminal."""
    body = [tuple(terminal_text(cell, layout=False) for cell in line) for line in body]  # one line per row
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *body)] if body else [len(h) for h in header]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip() for line in [header] + body]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def comparison_document(comparison) -> dict:
    """A :class:`~bomcalc.core.scenarios.Comparison` as one JSON-ready document."""
    scenarios = []
    for result in comparison.results:
        items = []
        for _, row in result.items.iterrows():
            items.append({
                **json_record(row, COMPARISON_COLUMNS[1:]),
                "direction": row["direction"] or None,
                "reasons": list(row["reasons"] or ()),
            })
        scenarios.append({
            "name": result.scenario.name,
            "changes": [change.text for change in result.scenario.changes],
            "as_of": result.as_of.isoformat(),
            "threshold": format_decimal(result.threshold),
            "method": result.method,
            "flips": result.flips(),
            "items": items,
        })
    return {"baseline": result_document(comparison.baseline), "scenarios": scenarios}


def format_comparison(comparison) -> str:
    """Scenarios side by side with the baseline, flips marked, as text."""
    threshold = comparison.baseline.rule_pack.threshold
    words = comparison.baseline.rule_pack.regime.outcomes.words  # the pack's own words for its statuses
    lines = [f"Baseline: {comparison.baseline.bom.source}, as of {comparison.baseline.as_of.isoformat()}, "
             f"currency {comparison.baseline.currency or 'n/a'}."]
    for result in comparison.results:
        flips = result.flips()
        lines += ["", f"Scenario '{result.scenario.name}': {flips['to_required']} item(s) become {words['required']}, "
                  f"{flips['to_free']} become {words['not_required']}, {flips['other']} change otherwise "
                  f"(as of {result.as_of.isoformat()}, threshold {format_percent(result.threshold, result.threshold)}; {result.method})."]
        body = []
        for _, row in result.items.iterrows():
            body.append((
                "*" if row["flipped"] else "",
                row["part_id"],
                row["baseline_status"],
                row["status"],
                _ratio_cell({"annex1": row["annex1"], "status": row["baseline_status"], "ratio": row["baseline_ratio"],
                             "ratio_upper": row["baseline_ratio_upper"]}, threshold),
                _ratio_cell({"annex1": row["annex1"], "status": row["status"], "ratio": row["ratio"],
                             "ratio_upper": row["ratio_upper"]}, result.threshold),
                format_decimal(row["delta_cn_part1_value"]) if row["delta_cn_part1_value"] is not None else "n/a",
            ))
        lines += ["  " + line for line in text_table(("flip", "part_id", "baseline", "scenario", "ratio before", "ratio after", "change in cn value"), body)]
    lines.append("")
    lines.append("* status flipped. The baseline is unchanged; bomcalc informs a compliance decision, it does not replace legal advice.")
    return terminal_text("\n".join(lines) + "\n")


def headroom_document(table, evaluation) -> list[dict]:
    """The headroom table as JSON-ready records."""
    return [
        {
            "part_id": row["part_id"], "status": row["status"], "value": format_decimal(row["value"]),
            "cn_part1_value": format_decimal(row["cn_part1_value"]), "line_value": format_decimal(row["line_value"]),
            "headroom": format_decimal(row["headroom"]), "headroom_share": format_decimal(row["headroom_share"]),
            "must_shed": format_decimal(row["must_shed"]),
            "top_contributors": [{"source": s, "extended_value": format_decimal(v), "cumulative_share": format_decimal(c)}
                                 for s, v, c in row["top_contributors"]],
            "fix_by": list(row["fix_by"]),
        }
        for _, row in table.iterrows()
    ]


def format_headroom(table, evaluation) -> str:
    """Headroom per Part 2 item with its top contributors, as text."""
    threshold = evaluation.rule_pack.threshold
    currency, words = evaluation.currency or "", evaluation.rule_pack.regime.content_short
    lines = [f"Headroom to the {format_percent(threshold, threshold)} line, per unit of each Part 2 item ({currency}), "
             f"as of {evaluation.as_of.isoformat()}:"]
    for _, row in table.iterrows():
        lines.append("")
        if row["headroom"] is None:
            lines.append(f"{row['part_id']} ({row['status']}): cannot be computed (a value is missing).")
            continue
        if row["must_shed"]:
            state = (f"over the line by {format_decimal(row['must_shed'])} {currency}: shed more than that "
                     f"(ratio {format_percent(row['cn_part1_value'] / row['value'], threshold)})")
        else:
            state = (f"may still take {format_decimal(row['headroom'])} {currency} "
                     f"({format_percent(row['headroom_share'], threshold)} of its value) and stay below the line")
        lines.append(f"{row['part_id']} ({row['status']}): {words} value {format_decimal(row['cn_part1_value'])} "
                     f"of {format_decimal(row['value'])}; line {format_decimal(row['line_value'])}; {state}.")
        for source, value, cumulative in row["top_contributors"]:
            lines.append(f"    {source:<20} {format_decimal(value):>14}  cumulative {format_percent(cumulative, threshold)}")
        if row["fix_by"]:
            lines.append(f"    Re-sourcing {', '.join(row['fix_by'])} with China-free content brings it below the line.")
    return terminal_text("\n".join(lines) + "\n")


def format_where_used(table, part: str, bom) -> str:
    """Where a part is used, with extended quantities and paths, as text."""
    uom = bom.parts.at[part, "uom"] or "units"
    lines = [f"{part} ({terminal_text(bom.parts.at[part, 'description'], layout=False)}) is used in {len(table)} part(s); quantity in {uom} per unit of each:"]
    for _, row in table.iterrows():
        flag = f" [{row['annex1']}]" if row["annex1"] else ""
        lines.append(f"  {row['part_id']}{flag}: {format_decimal(row['extended_qty'])}")
        lines += [f"      {path}" for path in row["paths"]]
    return terminal_text("\n".join(lines) + "\n")
