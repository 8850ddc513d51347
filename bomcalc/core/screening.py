"""Screening shipments: an item's determination combined with the licensing policy (core layer).

For each shipment (an item sent to a consignee for an end use on a date) :func:`screen` takes

* the item's determination under Clause 1 on the shipment date (:mod:`bomcalc.core.determine`):
  licence required, indeterminate, not required, or not an Annex 1 item, and whether a limb
  deciding it is in force;
* the policies of Clauses 2-4 (:mod:`bomcalc.core.licensing`) its end-user type, end use and
  parties meet: listed parties (:mod:`bomcalc.core.ownership`), military end users, WMD,
  terrorism or military end uses (denied in principle); advanced logic or memory chips and
  military AI (case by case); emergency medical care or humanitarian relief (no licence, a
  report due a number of working days after export, :mod:`bomcalc.core.working_days`).

The outcome is the most restrictive that holds. Nothing unknown becomes an all-clear: a blank
or unrecognised end use or end-user type, a missing chip figure or an indeterminate item make
the outcome ``indeterminate`` unless a denial holds anyway; an item needing no licence is still
screened, and what was found is in its notes.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

import pandas as pd

from .determine import INDETERMINATE, NOT_REQUIRED, REQUIRED
from .errors import ERROR, DataIssue
from .licensing import Licensing, Policy, text_key
from .working_days import CalendarNotCovered, WorkingCalendar, add_working_days

#: How alike (difflib's ratio, 0-1) a party's name must be to a listed name to be flagged for a
#: person to check. A flag never lists a party; it leaves the outcome open instead of clear.
NEAR_NAME = 0.85

#: Item status of a part of the BOM that is not an Annex 1 item.
NOT_LISTED = "not_annex1"

#: Columns of :attr:`Screening.table`, in order.
SCREEN_COLUMNS = (
    "row",  # the shipment's row in its file
    "shipment",  # the shipment's own reference, if given
    "item", "description", "consignee", "end_user", "country", "end_use", "end_user_type",
    "date",  # the export date
    "annex1",  # part1 | part2 | "" (not an Annex 1 item)
    "item_status",  # the pack's label for required, indeterminate or not required, or not_annex1
    "in_force",  # a limb deciding the item's status is in force on the date
    "outcome",  # an outcome id of the pack's [[licensing.outcomes]]
    "outcome_label",
    "policies",  # tuple of the policy ids that hold
    "report_due",  # date: the humanitarian report's deadline, when one applies
    "notes",  # tuple of sentences: what holds, what is open, what to do
)


@dataclass(frozen=True)
class Shipment:
    """One row of a shipments file. ``figures``: ``{column: Decimal}`` of the chip lines (``node_nm``, ``layers``)."""

    row: int
    item: str
    consignee: str | None
    country: str | None
    end_use: str | None
    end_user_type: str | None
    date: dt.date
    end_user: str | None = None
    reference: str | None = None
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Screening:
    """The screening table (:data:`SCREEN_COLUMNS`) with the data behind it."""

    table: pd.DataFrame
    licensing: Licensing
    calendar_name: str
    calendar_years: str
    issues: tuple = ()
    evaluations: dict = field(default_factory=dict)  # date -> Evaluation
    accounts: tuple = ()  # RowAccount of every input file read (shipments, parties, ownership)
    listed: dict = field(default_factory=dict)  # text_key -> ListedParty


@dataclass
class _Findings:
    policies: list = field(default_factory=list)  # (Policy, note)
    open: list = field(default_factory=list)  # what leaves the policy open
    notes: list = field(default_factory=list)


def _field_findings(found: _Findings, licensing: Licensing, name: str, shipment: Shipment) -> None:
    value = getattr(shipment, name)
    words = name.replace("_", "-")
    if value is None:
        found.open.append(f"the {words} is blank; give it (e.g. {', '.join(licensing.known_words(name)[:4])})")
        return
    policies = licensing.policies_for(name, value)
    if not policies and not licensing.is_ordinary(name, value):
        found.open.append(f"the {words} '{value}' is not one the rule pack recognises; use one of: "
                          f"{', '.join(licensing.known_words(name))}")
    for policy in policies:
        if policy.line is None:
            found.policies.append((policy, f"{policy.title} ({words} '{value}')"))
            continue
        figure = shipment.figures.get(policy.line.column)
        if figure is None:
            found.open.append(f"{policy.title}: give {policy.line.column} (caught at {policy.line.words()})")
        elif policy.line.holds(figure):
            found.policies.append((policy, f"{policy.title} ({policy.line.column} {figure})"))
        else:
            found.notes.append(f"{policy.line.column} {figure} is beyond the line of '{policy.id}' "
                               f"({policy.line.words()}): not caught")


def _findings(shipment: Shipment, licensing: Licensing, listed: dict) -> _Findings:
    found = _Findings()
    _field_findings(found, licensing, "end_user_type", shipment)
    _field_findings(found, licensing, "end_use", shipment)
    party_policies = [p for p in licensing.policies if p.field == "party"]
    for role, name in (("consignee", shipment.consignee), ("end user", shipment.end_user)):
        entry = listed.get(text_key(name)) if name else None
        if entry is not None:
            found.policies += [(policy, f"{role}: {entry.reason()}") for policy in party_policies]
        elif name:
            near = difflib.get_close_matches(text_key(name), list(listed), n=1, cutoff=NEAR_NAME)
            if near:
                found.open.append(f"the {role} '{name}' is not listed, but its name is close to '{listed[near[0]].name}' "
                                  "(listed); check whether they are one party")
    if shipment.consignee is None:
        found.open.append("the consignee is blank; name the importer so it can be screened")
    return found


def _outcome(item_status: str, in_force: bool, found: _Findings, licensing: Licensing) -> str:
    """The outcome id: Clause 1 first, then the most restrictive policy that holds."""
    if item_status in (NOT_LISTED, NOT_REQUIRED):
        return "no_licence_needed"
    if not in_force:
        return "not_in_force"
    ranked = sorted((licensing.outcome(p.outcome) for p, _ in found.policies), key=lambda o: o.rank)
    if ranked and ranked[0].id == "denied_in_principle" and item_status == REQUIRED:
        return ranked[0].id
    if item_status == INDETERMINATE or found.open:
        return "indeterminate"
    return ranked[0].id if ranked else "licence_application"


def _item_state(evaluation, item: str) -> tuple[str, str, str, bool, str]:
    """(annex1, meaning of the status, the pack's status label, in force, force note) of ``item``."""
    if item in set(evaluation.items["part_id"]):
        row = evaluation.item(item)
        meaning = evaluation.rule_pack.regime.outcomes.meaning(row["status"])
        return row["annex1"], meaning, row["status"], bool(row["in_force"]), str(row["force_note"] or "")
    return "", NOT_LISTED, NOT_LISTED, False, ""


def _report_due(shipment: Shipment, outcome: str, found: _Findings, licensing: Licensing,
                calendar: WorkingCalendar, issues: list, file: str | None) -> dt.date | None:
    humanitarian = any(p.outcome == "humanitarian_exemption" for p, _ in found.policies)
    if not humanitarian or outcome not in ("humanitarian_exemption", "indeterminate") or not licensing.report_days:
        return None
    try:
        return add_working_days(shipment.date, licensing.report_days, calendar)
    except CalendarNotCovered as exc:
        issues.append(DataIssue(ERROR, "calendar_not_covered", f"the humanitarian report deadline cannot be "
                                f"counted: {exc}", None, shipment.row, shipment.item, file))
        return None


def _notes(item_status: str, force_note: str, annex1: str, outcome: str, found: _Findings,
           licensing: Licensing, due: dt.date | None) -> tuple[str, ...]:
    notes = [note for _, note in found.policies]
    notes += [f"open: {note}" for note in found.open] + found.notes
    if item_status == INDETERMINATE:
        notes.insert(0, "the item's determination is indeterminate (bomcalc explain BOM ITEM shows what decides it)")
    if outcome in ("not_in_force",) and force_note:
        notes.append(force_note)
    if outcome == "indeterminate" and found.policies:
        best = min((licensing.outcome(p.outcome) for p, _ in found.policies), key=lambda o: o.rank)
        if best.id != outcome:
            notes.append(f"if a licence is required: {best.label}")
    if due is not None:
        notes.append(f"report to {licensing.report_to} by {due.isoformat()} ({licensing.report_days} working days after export)")
    if annex1 == "part1" and item_status == REQUIRED and outcome != "not_in_force":
        notes.append("a Part 1 item: declare the final destination at customs and issue a Compliance Notification "
                     "Letter to the importer and end user (bomcalc notice)")
    return tuple(notes)


def screen(shipments, evaluations: dict, licensing: Licensing, listed: dict, calendar: WorkingCalendar,
           file: str | None = None) -> Screening:
    """Screen every shipment; ``evaluations`` maps each shipment date to the BOM's evaluation on it,
    ``listed`` is :func:`bomcalc.core.ownership.listed_parties`. Problems (a report date the calendar
    does not cover) come back as ``issues``; the caller refuses the result when one is an error."""
    records, issues = [], []
    for shipment in shipments:
        evaluation = evaluations[shipment.date]
        annex1, status, label, in_force, force_note = _item_state(evaluation, shipment.item)
        found = _findings(shipment, licensing, listed)
        outcome = _outcome(status, in_force, found, licensing)
        due = _report_due(shipment, outcome, found, licensing, calendar, issues, file)
        description = evaluation.bom.parts["description"].get(shipment.item) if "description" in evaluation.bom.parts else None
        records.append({
            "row": shipment.row, "shipment": shipment.reference, "item": shipment.item,
            "description": None if pd.isna(description) else description, "consignee": shipment.consignee,
            "end_user": shipment.end_user, "country": shipment.country, "end_use": shipment.end_use,
            "end_user_type": shipment.end_user_type, "date": shipment.date, "annex1": annex1 or "",
            "item_status": label, "in_force": in_force, "outcome": outcome,
            "outcome_label": licensing.outcome(outcome).label,
            "policies": tuple(dict.fromkeys(p.id for p, _ in found.policies)), "report_due": due,
            "notes": _notes(status, force_note, annex1, outcome, found, licensing, due),
        })
    table = pd.DataFrame(records, columns=list(SCREEN_COLUMNS))
    return Screening(table, licensing, calendar.name, calendar.years(), tuple(issues), dict(evaluations))


__all__ = ["SCREEN_COLUMNS", "Policy", "Screening", "Shipment", "screen", "NOT_LISTED"]
