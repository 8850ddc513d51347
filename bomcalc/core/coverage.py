"""How much of what decides a result is known: the coverage of an evaluation (core layer).

A result can only be as complete as its data. Every part's Annex 1 status, origin and value
are either known or not; a part the parts master lacks has whatever the BOM sheet said of it
and nothing more. The roll-up counts what is unknown both ways (see :mod:`bomcalc.core.rollup`),
so an item whose bounds straddle the line is ``indeterminate``. Two gaps cannot show up as an
indeterminate item and are counted here: a part whose Annex 1 status is unknown may itself be
an Annex 1 item that is never assessed, and a part missing from the parts data may carry
facts nobody has looked up.

``complete`` is True only when every part's Annex 1 status is known, every part is in the
parts data and no item is indeterminate. Then no unknown fact can change a determination:
unknown origins and missing values below an item that is not indeterminate cannot move it
across the line (both bounds agree), and every part that could be an Annex 1 item is one.
"""

from __future__ import annotations

import pandas as pd

from .model import Bom
from .regime import MEANINGS, status_meaning

_INDETERMINATE = MEANINGS[1]  # a status that none of the reasons holds but one could, whatever a pack calls it

#: Keys of the coverage record, in order.
COVERAGE_KEYS = ("parts", "annex1_known", "origin_known", "value_known", "in_parts_data", "complete")

#: How many part numbers a message names before "and N more".
NAMED = 5


def _flags(bom: Bom, name: str, default: bool = True) -> pd.Series:
    parts = bom.parts
    if name in parts.columns:
        return pd.Series(parts[name].to_numpy(dtype=object).astype(bool), index=parts.index)  # bool() of every cell
    return pd.Series([default] * len(parts), index=parts.index, dtype=bool)


def coverage(bom: Bom, items: pd.DataFrame) -> dict:
    """The coverage record of a result: counts of parts whose facts are known, and ``complete``.

    Keys (:data:`COVERAGE_KEYS`): ``parts`` (how many), ``annex1_known`` (Annex 1 status
    known: part1, part2 or not listed), ``origin_known``, ``value_known`` (own ``unit_value``
    given), ``in_parts_data`` (not missing from a parts master given), ``complete`` (see the
    module docstring).
    """
    parts = bom.parts
    annex1_known = int(_flags(bom, "annex1_known").sum())
    in_parts_data = int(_flags(bom, "in_parts_data").sum())
    indeterminate = int((items["status"].map(status_meaning) == _INDETERMINATE).sum()) if len(items) else 0
    total = len(parts)
    record = {
        "parts": total,
        "annex1_known": annex1_known,
        "origin_known": int(parts["origin"].notna().sum()),
        "value_known": int(parts["unit_value"].notna().sum()),
        "in_parts_data": in_parts_data,
        "complete": annex1_known == total and in_parts_data == total and indeterminate == 0,
    }
    if bom.status_column != "annex1":  # a pack whose roles come from a flag column: "known" counts that column
        record["status_column"] = bom.status_column
    if bom.accepted_suggestions:  # known by an accepted suggestion (accept high), named
        record["annex1_by_suggestion"] = len(bom.accepted_suggestions)
        record["annex1_by_suggestion_parts"] = list(bom.accepted_suggestions)
    return record


def named(part_ids: list[str]) -> str:
    """The first :data:`NAMED` of ``part_ids``, then how many more: ``"A, B, C, D, E and 7 more"``."""
    shown = ", ".join(part_ids[:NAMED])
    return shown + (f" and {len(part_ids) - NAMED} more" if len(part_ids) > NAMED else "")


def unclassified(bom: Bom) -> list[str]:
    """The parts whose Annex 1 status is unknown, in BOM order."""
    return _without(bom, "annex1_known")


def _without(bom: Bom, name: str) -> list[str]:
    """The parts whose flag ``name`` is not set, in BOM order."""
    flags = _flags(bom, name)
    return list(flags.index[~flags.to_numpy(dtype=bool)])


def coverage_line(record: dict) -> str:
    """``Coverage: 48 parts; Annex 1 status known for 12, origin for 40, value for 45, in the parts data 48; complete: no``."""
    by_suggestion = (f" ({record['annex1_by_suggestion']} by accepted suggestion)"
                     if record.get("annex1_by_suggestion") else "")
    status = f"{record['status_column']} known (or not needed)" if record.get("status_column") else "Annex 1 status known"
    return (f"Coverage: {record['parts']} parts; {status} for {record['annex1_known']}{by_suggestion}, origin for "
            f"{record['origin_known']}, value for {record['value_known']}, in the parts data {record['in_parts_data']}; "
            f"complete: {'yes' if record['complete'] else 'no'}")


def coverage_notes(bom: Bom, items: pd.DataFrame) -> list[str]:
    """What is missing from an incomplete result and the next step, one sentence each (empty when complete)."""
    notes = []
    missing = _without(bom, "in_parts_data")
    if missing:
        notes.append(f"{len(missing)} part(s) are not in the parts master: {named(missing)}; add them to the master "
                     "(origin, unit_value, annex1: part1, part2 or blank for not listed) or correct the part numbers; "
                     "until then only what the BOM says of them is known, and an Annex 1 status it does not give "
                     "counts as unknown")
    outside = set(missing)
    unknown = [p for p in unclassified(bom) if p not in outside]
    if unknown and bom.status_column != "annex1":
        column = bom.status_column
        notes.append(f"{len(unknown)} part(s) may or may not count ({column} blank or unknown, or the origin unknown): "
                     f"{named(unknown)}; give the origin, and for {bom.content_origin}-origin parts TRUE or FALSE in the "
                     f"{column} column of the parts sheet or master; until then results are upper/lower bounds")
    elif unknown:
        if len(unknown) == len(bom.parts):
            why = "no input has an annex1 column, or every annex1 cell says unknown"
            step = ("give each part part1, part2 or blank (not listed) in the annex1 column of the parts sheet or a parts "
                    "master passed with --parts MASTER; bomcalc classify BOM --output MASTER.xlsx writes one with suggestions")
        else:
            why = "no annex1 column in the input that describes them, or the cell says unknown"
            step = "give each part1, part2 or blank (not listed) in the annex1 column of the parts sheet or master"
        notes.append(f"{len(unknown)} part(s) have no Annex 1 status ({why}): {named(unknown)}; {step}; "
                     "until then results are upper/lower bounds")
    if bom.accepted_suggestions:
        notes.append(f"{len(bom.accepted_suggestions)} part(s) have the Annex 1 status suggested with high confidence "
                     f"(accept high), not one given: {named(list(bom.accepted_suggestions))}; review them in the parts "
                     "master (bomcalc classify BOM --output master.xlsx)")
    undecided = list(items.loc[items["status"].map(status_meaning) == _INDETERMINATE, "part_id"]) if len(items) else []
    if undecided:
        notes.append(f"{len(undecided)} item(s) are indeterminate: {named(undecided)}; resolve the origin, value or "
                     "Annex 1 status of their deciding inputs (bomcalc explain BOM ITEM shows them)")
    return notes


def no_items_text(bom: Bom) -> str:
    """What to say when no part is an Annex 1 item: never an all-clear while parts are unclassified."""
    unknown = unclassified(bom)
    if not unknown:
        return "(no Annex 1 items in this BOM)"
    return (f"No part is known to be an Annex 1 item, but {len(unknown)} part(s) are unclassified; "
            "the result is incomplete")


def warning_lines(evaluation) -> tuple[str, ...]:
    """What every result must carry beside it: its warnings (the rule pack may be out of date) and,
    when it is incomplete, what is missing and the next step; one line each, as text."""
    lines = [f"WARNING: {warning}" for warning in evaluation.warnings]
    if not evaluation.coverage.get("complete", True):
        lines.append(f"WARNING: the result is incomplete ({coverage_line(evaluation.coverage)}):")
        lines += [f"  - {note}." for note in coverage_notes(evaluation.bom, evaluation.items)]
    return tuple(lines)
