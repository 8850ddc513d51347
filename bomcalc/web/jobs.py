"""The work of one web request, run inside a worker process (interface layer).

A job is plain data (:class:`Job`): the private folder holding the uploads (file names only,
chosen by the server), the reading and rule options, and what to produce. :func:`run` calls
:mod:`bomcalc.api` exactly as the command line does and returns plain data: a JSON text, the
name of a file written in the folder, or the view of the page. Data problems come back as the
same issue records that ``bomcalc check --format json`` prints.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

from .. import api
from ..core.coverage import warning_lines
from ..core.errors import BomDataError, BomError
from ..core.scenario_changes import parse_scenarios
from ..io.writers import csv_text, json_text
from ..report.documents import comparison_document, failure_document, items_table, quality_document
from ..report.explain_text import format_explanation

#: The sub-folder the outputs are written into: no uploaded file can take its name (every upload's
#: name has an extension, :mod:`bomcalc.web.uploads`).
OUTPUTS = "out"
#: What a job can produce.
KINDS = ("check", "whatif", "report", "csv", "pack", "page", "page_whatif")


@dataclass(frozen=True)
class Job:
    """One request's work. ``folder``: the private folder (the job runs there, so every file is
    named relative to it, as on a command line run in that folder); ``bom``: the BOM's file name;
    ``reading``/``rules``: the fields of :class:`~bomcalc.api.ReadOptions` and
    :class:`~bomcalc.api.RuleOptions`; ``scenarios``: what-if scenarios as the entries of a
    scenario file (``[{"name": ..., "changes": [...]}]``)."""

    kind: str
    folder: str
    bom: str
    reading: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)
    scenarios: tuple = ()


@dataclass(frozen=True)
class Outcome:
    """What a job gives back: an HTTP ``status``; ``text`` (JSON, or CSV for ``csv``), ``file`` (a
    file name in the folder) or ``view`` (the page's data)."""

    status: int
    text: str | None = None
    file: str | None = None
    view: dict | None = None


def problem(message: str, code: str = "bad_input", **where) -> dict:
    """A failure document with one issue record, the shape of :func:`~bomcalc.report.documents.failure_document`."""
    record = {"severity": "error", "code": code, "message": message, "file": None, "sheet": None, "row": None,
              "part_id": None}
    return {"error": message, "issues": [{**record, **where}]}


def run(job: Job) -> Outcome:
    """Do ``job`` in its folder; bad input becomes status 422 and its issue records, never an exception."""
    os.chdir(job.folder)
    try:
        return _produce(job)
    except BomDataError as exc:
        return Outcome(422, text=json_text(failure_document(exc)))
    except BomError as exc:
        return Outcome(422, text=json_text(problem(str(exc))))
    except OSError as exc:
        from ..io.outputs import os_error_message

        return Outcome(422, text=json_text(problem(os_error_message(exc))))


def _produce(job: Job) -> Outcome:
    reading, given = api.reading_record(**job.reading), api.RuleOptions(**job.rules)
    rules = given.resolved()
    if job.kind in ("report", "pack"):
        os.mkdir(OUTPUTS)
    if job.kind == "report":
        api.report(job.bom, reading, rules, output=f"{OUTPUTS}/report.xlsx")
        return Outcome(200, file=f"{OUTPUTS}/report.xlsx")
    if job.kind == "pack":
        from ..pack import make_pack

        make_pack(f"{OUTPUTS}/audit_pack", job.bom, options=given, reading=reading)
        return Outcome(200, file=shutil.make_archive(f"{OUTPUTS}/audit_pack", "zip", OUTPUTS, "audit_pack"))
    if job.kind == "whatif":
        comparison = api.whatif(api.read(job.bom, reading, rules), parse_scenarios(list(job.scenarios)), options=rules)
        return Outcome(200, text=json_text(comparison_document(comparison)))
    result = api.check(job.bom, reading, rules)
    if job.kind == "check":
        return Outcome(200, text=json_text(api.check_document(result)))
    if job.kind == "csv":
        return Outcome(200, text=csv_text(items_table(result)))
    comparison = api.whatif(result.bom, parse_scenarios(list(job.scenarios)), options=rules) if job.scenarios else None
    return Outcome(200, view=_view(result, comparison))


def _view(result, comparison) -> dict:
    """What the page shows: the check document, the row account, each item's explanation as
    ``bomcalc explain`` prints it, the warnings, and the what-if comparison (or ``None``)."""
    bom = result.bom
    account = api.Validation(str(bom.source), True, bom.issues, bom.accounts, bom.row_fates, bom)
    return {
        "document": api.check_document(result),
        "quality": quality_document(account),
        "explanations": {part: format_explanation(api.explain(result, part), result.currency)
                         for part in result.items["part_id"]},
        "warnings": warning_lines(result),
        "parts": sorted(str(part) for part in bom.parts.index),
        "comparison": comparison_document(comparison) if comparison is not None else None,
    }
