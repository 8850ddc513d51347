"""The public API that the CLI, the notebooks and other programs call (interface layer).

It fills in defaults (today's date, the bundled rule pack) and hands over to the core. Every
command has its function here; the CLI only parses, calls and formats. Two records carry the
options: :class:`ReadOptions` (how a BOM is read; :data:`READING_OPTIONS` lists the ones a caller
sets) and :class:`RuleOptions` (how the rule is applied: date, rule pack, Part 2 scope, alternates).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from pathlib import Path

from .core.determine import INDETERMINATE, REQUIRED, Evaluation, evaluate as _evaluate
from dataclasses import dataclass, fields, replace

from .core.errors import BomDataError, BomError, DataIssue
from .core.extras import require_extra
from .core.ledger import RowAccount, RowFate, RowFates
from .io import readers
from .io.readers import READING_OPTIONS, ReadOptions
from .io.scenario_files import read_scenarios
from .io.rulepack import load_rule_pack
from .core.model import Bom
from .core.progress import Progress, tell
from .core.regime import for_destination
from .core.rules import RulePack
from .core.values import given_date

@contextlib.contextmanager
def _bulk():
    """Pause the cyclic garbage collector while a large BOM is built.

    Reading and evaluating create hundreds of thousands of small objects and no reference
    cycles to speak of; the collector's repeated passes over them made a 100,000-line read a
    third slower. It is switched back on (if it was on) however the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


__all__ = ["read_workbook", "load_rule_pack", "evaluate", "parse_date", "validate", "Validation", "whatif", "read_scenarios",
           "mitigate", "ReadOptions", "READING_OPTIONS", "RuleOptions", "reading_record", "reading_dict", "read", "check",
           "fails", "FAIL_ON", "headroom_table", "headroom_document", "check_document", "where_used_table",
           "where_used_document", "explain", "report",
           "classify", "Classification", "classification_document", "suggestions", "accept_suggestions",
           "write_parts_master"]

# READING_OPTIONS (from bomcalc.io.readers): the reading options a caller sets, every field of
# ReadOptions but part1_items (which comes from the rule pack). The CLI options, the audit pack's
# manifest keys and the audit notebook's parameters all derive from it.


@dataclass(frozen=True)
class RuleOptions:
    """How the rule is applied: the date (``None``: today), the rule pack (a
    :class:`~bomcalc.core.rules.RulePack`, a TOML path, or ``None`` for the bundled pack, which
    also gives the threshold and whether it is inclusive), the Part 2 scope and the alternates
    policy. :meth:`resolved` parses the date and loads the pack, once."""

    as_of: dt.date | str | None = None
    rules: RulePack | str | os.PathLike | None = None
    part2_scope: str = "materials"
    alternates: str = "conservative"
    #: ``none`` (default) or ``high``: take the high-confidence Annex 1 suggestion of every part
    #: whose status is not given (:func:`bomcalc.core.suggestions.accept_suggestions`), named in the result
    accept: str = "none"
    destination: str | None = None  #: ISO alpha-2 destination, for a pack whose threshold depends on it

    def resolved(self) -> "RuleOptions":
        """The same options with the date parsed and the rule pack loaded, its threshold set for the destination."""
        pack = self.rules if isinstance(self.rules, RulePack) else load_rule_pack(self.rules)
        return replace(self, as_of=parse_date(self.as_of), rules=for_destination(pack, self.destination))

    @property
    def rules_file(self) -> str | None:
        """The rule-pack file given, or ``None`` (the bundled pack, or a pack given as a record)."""
        return None if self.rules is None or isinstance(self.rules, RulePack) else str(self.rules)


def reading_record(**values) -> ReadOptions:
    """A :class:`ReadOptions` from keyword values named as :data:`READING_OPTIONS` (``None``: the
    default; a single path for ``parts`` or ``declarations`` is a list of one)."""
    unknown = sorted(set(values) - set(READING_OPTIONS))
    if unknown:
        raise BomError(f"unknown reading option(s) {', '.join(unknown)}; known: {', '.join(READING_OPTIONS)}")
    given = {name: value for name, value in values.items() if value is not None}
    for name in ("parts", "declarations"):
        if isinstance(given.get(name), (str, os.PathLike)):
            given[name] = (str(given[name]),)
        elif name in given:
            given[name] = tuple(str(v) for v in given[name])
    return ReadOptions(**given)


def reading_dict(options: ReadOptions) -> dict:
    """The reading options of ``options`` as a dict keyed by :data:`READING_OPTIONS`, as an audit
    pack records them. An option whose default is a value (not ``None`` or empty) is left out
    while it has that default, so packs made before the option existed read the same."""
    out = {}
    for f in fields(ReadOptions):
        if f.name not in READING_OPTIONS:
            continue
        value = getattr(options, f.name)
        if f.default not in (None, ()) and value == f.default:
            continue
        out[f.name] = value
    return out


def _rule_record(options: RuleOptions | None, **given) -> RuleOptions:
    return options if options is not None else RuleOptions(**given)


@dataclass(frozen=True)
class Validation:
    """The data-quality account of reading a BOM: every row's fate and every problem."""

    source: str
    ok: bool
    issues: tuple[DataIssue, ...]
    accounts: tuple[RowAccount, ...]
    row_fates: RowFates | tuple[RowFate, ...]  # a RowFates makes each RowFate when it is read
    bom: Bom | None = None


def read(path: str | os.PathLike, reading: ReadOptions | None = None, rules: RuleOptions | RulePack | None = None, *,
         progress: Progress | None = None) -> Bom:
    """Read a BOM as :func:`read_workbook` does, with the options as records. With rule options
    whose ``accept`` is ``high``, the high-confidence Annex 1 suggestions are taken for the parts
    whose status is not given (:func:`accept_suggestions`). ``progress``: a
    ``progress(stage, done, total)`` callback (:mod:`bomcalc.core.progress`), told ``reading NAME``."""
    pack = rules.rules if isinstance(rules, RuleOptions) else rules
    stage = f"reading {Path(path).name}"
    tell(progress, stage, 0, 1)
    bom = read_workbook(path, rules=pack, **reading_dict(reading or ReadOptions()))
    tell(progress, stage, 1, 1)
    if isinstance(rules, RuleOptions) and rules.accept != "none":
        bom = accept_suggestions(bom, rules)
    return bom


def accept_suggestions(bom: Bom, rules: RuleOptions) -> Bom:
    """``bom`` with the suggestions of confidence ``rules.accept`` taken as the Annex 1 status of
    every part whose status is not given (a given status is never replaced); the parts taken are
    in ``bom.accepted_suggestions`` and every result names them (policy ``annex1_suggestions``)."""
    from .core.suggestions import ACCEPT_LEVELS, accept_suggestions as accept

    if rules.accept not in ACCEPT_LEVELS:
        raise BomError(f"'{rules.accept}' is not an accept level; use one of {', '.join(ACCEPT_LEVELS)}")
    if rules.accept == "none":
        return bom
    given = rules.resolved()
    return accept(bom, suggestions(bom, given), rules.accept)


def suggestions(bom: Bom, rules: RuleOptions | None = None) -> list:
    """A suggested Annex 1 status for every part of ``bom`` (:class:`~bomcalc.core.classify.Suggestion`
    records, in BOM order), from the rule pack's classification vocabulary and the Part 2 scope."""
    from .core.classify import vocabulary_of
    from .core.suggestions import suggest

    given = (rules or RuleOptions()).resolved()
    return suggest(bom, vocabulary_of(given.rules), given.part2_scope)


@dataclass(frozen=True)
class Classification:
    """The result of :func:`classify`: the BOM as read, a suggestion for every part, the rule pack."""

    bom: Bom
    suggestions: tuple
    rule_pack: RulePack
    part2_scope: str


def classify(path: str | os.PathLike, reading: ReadOptions | None = None, rules: RuleOptions | None = None, *,
             output: str | os.PathLike | None = None) -> Classification:
    """Read the BOM at ``path`` and suggest an Annex 1 status for every part: the ``classify``
    command. ``output``: also write the parts master for review (:func:`write_parts_master`).
    Suggestions are never taken here (``rules.accept`` is ignored): the BOM is as the user gave it."""
    given = replace(rules or RuleOptions(), accept="none").resolved()
    bom = read(path, reading, given)
    result = Classification(bom, tuple(suggestions(bom, given)), given.rules, given.part2_scope)
    if output is not None:
        write_parts_master(output, result)
    return result


def classification_document(result: Classification) -> dict:
    """The JSON document of a classification: items, summary counts, rule pack."""
    from .report.classification import classification_document as document

    return document(result.bom, result.suggestions, result.rule_pack)


def write_parts_master(path: str | os.PathLike, result: Classification) -> None:
    """Write the parts master of a classification for review (one row per part, the facts known,
    the suggestions, the cells to fill highlighted); it reads back with ``--parts``."""
    from .io.parts_master import write_parts_master as write

    write(path, result.bom, result.suggestions)


def read_workbook(path: str | os.PathLike, rules: RulePack | str | os.PathLike | None = None, **options) -> Bom:
    """Read a BOM file or folder with everything that goes with it and validate it.

    ``options`` (all optional) are the fields of :class:`ReadOptions` named in
    :data:`READING_OPTIONS` (material master files, supplier declarations, header map, tables,
    currency, decimal separator, quantity mode, sheet, export profile, root, hidden rows); see
    the record for what each means. ``rules`` gives the Annex 1 Part 1 list used to classify
    declared inputs (default: the bundled pack).
    """
    if options.get("declarations") and not options.get("part1_items"):
        pack = rules if isinstance(rules, RulePack) else load_rule_pack(rules)
        options["part1_items"] = pack.part1_items
    with _bulk():
        return readers.read_workbook(path, **options)


def validate(path: str | os.PathLike, *, reading: ReadOptions | None = None, progress: Progress | None = None,
             **options) -> Validation:
    """Read a BOM as :func:`read_workbook` does and account for every input row. ``reading``: the
    reading options as one :class:`ReadOptions` record (``options`` add to it or override it).

    Never raises for data problems: they are in ``issues`` and ``ok`` is False when any is an
    error. File problems (missing, unreadable) still raise :class:`~bomcalc.core.errors.BomError`.
    """
    if reading is not None:
        options = {**reading_dict(reading), **options}
    stage = f"reading {Path(path).name}"
    tell(progress, stage, 0, 1)
    try:
        bom = read_workbook(path, **options)
    except BomDataError as exc:
        return Validation(str(path), False, tuple(exc.issues), exc.accounts, exc.row_fates)
    finally:
        tell(progress, stage, 1, 1)
    return Validation(str(path), True, bom.issues, bom.accounts, bom.row_fates, bom)


def parse_date(value: str | dt.date | None) -> dt.date:
    """A date from ``YYYY-MM-DD`` text, a date, or ``None`` (today)."""
    if value is None:
        return dt.date.today()
    date = given_date(value)
    if date is None:
        raise BomError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01") from None
    return date


def evaluate(
    bom: Bom,
    as_of: str | dt.date | None = None,
    rules: RulePack | str | os.PathLike | None = None,
    part2_scope: str = "materials",
    alternates: str = "conservative",
    *,
    destination: str | None = None,
    options: RuleOptions | None = None,
    progress: Progress | None = None,
) -> Evaluation:
    """Determine, for every item the rule pack assesses in ``bom``, its status (e.g. whether a licence is required).

    ``as_of``: the date the rule is applied on (default today). ``rules``: a
    :class:`~bomcalc.core.rules.RulePack`, a path to a rule-pack TOML file, or ``None`` for the pack
    shipped with bomcalc. ``part2_scope``: ``"materials"`` (only items marked part2) or
    ``"assemblies"`` (also every part containing one). ``alternates``: how alternative items
    count (``"conservative"``, ``"probability"`` or ``"primary"``). ``destination``: ISO alpha-2 country,
    for a pack whose threshold depends on it (``None``: its strictest, said in the warnings). ``options``: all of these as
    one :class:`RuleOptions` record (the other arguments are then ignored). ``progress``: told
    ``rolling up`` (:mod:`bomcalc.core.progress`).
    """
    given = _rule_record(options, as_of=as_of, rules=rules, part2_scope=part2_scope, alternates=alternates,
                         destination=destination).resolved()
    tell(progress, "rolling up", 0, 1)
    with _bulk():
        evaluation = _evaluate(bom, given.rules, given.as_of, given.part2_scope, given.alternates)
    tell(progress, "rolling up", 1, 1)
    return evaluation


def whatif(
    bom: Bom,
    scenarios,
    as_of: str | dt.date | None = None,
    rules: RulePack | str | os.PathLike | None = None,
    part2_scope: str = "materials",
    alternates: str = "conservative",
    *,
    options: RuleOptions | None = None,
    decimal: str | None = None,
    progress: Progress | None = None,
):
    """Evaluate what-if scenarios against ``bom`` (never modified); returns a
    :class:`~bomcalc.core.scenarios.Comparison`. ``scenarios`` are :class:`~bomcalc.core.scenarios.Scenario`
    records or a path to a scenario file (TOML or a workbook with a ``scenarios`` sheet). ``options``:
    the rule options as one :class:`RuleOptions` record (the other arguments are then ignored);
    ``decimal``: the decimal separator of a scenario sheet's text numbers (``"."`` or ``","``)."""
    from .core.scenarios import compare

    if isinstance(scenarios, (str, os.PathLike)):
        scenarios = read_scenarios(scenarios, decimal)
    given = _rule_record(options, as_of=as_of, rules=rules, part2_scope=part2_scope, alternates=alternates).resolved()
    tell(progress, "evaluating scenarios", 0, 1)
    comparison = compare(bom, scenarios, given.rules, given.as_of, given.part2_scope, given.alternates)
    tell(progress, "evaluating scenarios", 1, 1)
    return comparison


def mitigate(evaluation: Evaluation, options, volumes=None, items=None, decimal: str | None = None, *,
             progress: Progress | None = None):
    """The least-cost re-sourcing that brings ``items`` (default: every Part 2 item now required
    or indeterminate) strictly below the line; returns a :class:`~bomcalc.core.mitigation.optimiser.MitigationResult`.

    ``options``: sourcing options or the path of a sourcing-options file; ``volumes``: annual
    volumes or the path of a volumes file (``None``: one of each finished product); ``decimal``:
    the decimal separator of those files' text numbers (``"."`` or ``","``; detected when ``None``).
    """
    require_extra("optimise", "bomcalc.mitigate()")
    from .io.sourcing import read_sourcing_options, read_volumes
    from .core.mitigation.optimiser import mitigate as plan

    if isinstance(options, (str, os.PathLike)):
        options = read_sourcing_options(options, evaluation.bom, decimal)
    if isinstance(volumes, (str, os.PathLike)):
        volumes = read_volumes(volumes, evaluation.bom, decimal)
    tell(progress, "searching re-sourcing plans", 0, 1)
    result = plan(evaluation, options, volumes, items)
    tell(progress, "searching re-sourcing plans", 1, 1)
    return result


def check(path: str | os.PathLike, reading: ReadOptions | None = None, rules: RuleOptions | None = None, *,
          progress: Progress | None = None) -> Evaluation:
    """Read the BOM at ``path`` and determine every Annex 1 item: the ``check`` command.
    ``progress``: told ``reading NAME``, then ``rolling up`` (:mod:`bomcalc.core.progress`)."""
    rules = (rules or RuleOptions()).resolved()
    return evaluate(read(path, reading, rules, progress=progress), options=rules, progress=progress)


#: The ``--fail-on`` levels: the meanings of the statuses that fail at each (labels differ by pack).
FAIL_ON = {"never": frozenset(), "required": frozenset({REQUIRED}), "indeterminate": frozenset({REQUIRED, INDETERMINATE})}


def fails(evaluation: Evaluation, fail_on: str) -> bool:
    """Whether ``evaluation`` fails at the ``fail_on`` level (:data:`FAIL_ON`): ``required``, when an
    item needs a licence; ``indeterminate``, also when one may, or the result is incomplete."""
    if fail_on not in FAIL_ON:
        raise BomError(f"'{fail_on}' is not a fail-on level; use one of {', '.join(FAIL_ON)}")
    pack = getattr(evaluation, "rule_pack", None) or load_rule_pack()  # no pack given: the default pack's labels
    statuses = {pack.regime.outcomes.meaning(status) for status in evaluation.items["status"]}
    return bool(statuses & FAIL_ON[fail_on]) or (fail_on == "indeterminate" and not evaluation.coverage["complete"])


def headroom_table(evaluation: Evaluation, top: int = 5):
    """Per Part 2 item: how far from the line, and the ``top`` contributors
    (:func:`bomcalc.core.contributions.headroom`)."""
    from .core.contributions import headroom

    return headroom(evaluation, top=top)


def headroom_document(evaluation: Evaluation, top: int = 5) -> dict:
    """The headroom of every Part 2 item as a JSON-ready document (date, currency, items)."""
    from .report.documents import headroom_document as records

    return {"as_of": evaluation.as_of.isoformat(), "currency": evaluation.currency,
            "items": records(headroom_table(evaluation, top), evaluation)}


def where_used_table(bom: Bom, part: str, every_assembly: bool = False):
    """The Annex 1 items (``every_assembly``: every assembly) that contain ``part``, with paths and
    extended quantities; :class:`~bomcalc.core.errors.BomError` when ``part`` is not in the BOM."""
    from .core.contributions import where_used

    if part not in bom.parts.index:
        raise BomError(f"part '{part}' is not in {bom.source}; check the part number (it is matched exactly)")
    items = None if every_assembly else set(bom.parts.index[bom.parts["annex1"].notna()])
    return where_used(bom, part, items)


def where_used_document(table, part: str) -> dict:
    """A where-used table as a JSON-ready document."""
    from .report.documents import json_record

    return {"part": part, "used_in": [json_record(r, ("part_id", "annex1", "extended_qty", "paths")) for _, r in table.iterrows()]}


def explain(evaluation: Evaluation, item: str):
    """The computation behind ``item``'s determination (:func:`bomcalc.core.explain.explain`)."""
    from .core.explain import explain as trail

    return trail(evaluation, item)


def check_document(evaluation: Evaluation, with_trail: bool = False) -> dict:
    """The ``check --format json`` document; ``with_trail``: with every item's explanation trail
    (``check --explain``; :func:`bomcalc.report.check_json.check_document`)."""
    from .report.check_json import check_document as document

    return document(evaluation, with_trail)


def report(path: str | os.PathLike, reading: ReadOptions | None = None, rules: RuleOptions | None = None, *,
           output=None, html=None, top: int | None = None, progress: Progress | None = None) -> Evaluation | None:
    """Write the audit report of the BOM at ``path`` with these options: an Excel workbook
    (``output``) and the executed audit notebook as HTML (``html``). The audit pack, the third
    form, is :func:`bomcalc.pack.make_pack`, which takes the same two records.

    The workbook lists the ``top`` largest contributors of each item (default
    :data:`bomcalc.report.audit.DEFAULT_TOP`); every contribution is written beside it as
    ``<output stem>_contributions.csv`` (:func:`bomcalc.report.contributions_file.contributions_csv_path`).

    The rule pack is loaded once and the BOM read and evaluated once, for the workbook. Two
    artefacts read their inputs again on purpose, because each must stand on its own: the
    notebook runs in a kernel of its own and reads the BOM there, with the same options, so that
    it can be re-run as it is; an audit pack evaluates from the copies inside it (whose SHA-256
    equals the originals'), so that ``bomcalc verify`` repeats exactly what the pack records.
    Returns the evaluation when ``output`` was written, else ``None``.
    """
    reading = reading or ReadOptions()
    rules = rules or RuleOptions()
    if html:
        require_extra("notebooks", "bomcalc report --html")
        if rules.rules is not None and rules.rules_file is None:
            raise BomError("the HTML report runs the audit notebook, which needs the rule pack as a file; give its path")
    resolved = rules.resolved()
    evaluation = None
    if output:
        from .report.contributions_file import contributions_csv_path
        from .report.excel import DEFAULT_TOP, write_excel_report

        evaluation = check(path, reading, resolved, progress=progress)
        write_excel_report(output, evaluation, top=DEFAULT_TOP if top is None else top,
                           contributions_csv=contributions_csv_path(output), progress=progress)
    if html:
        from .report.notebook import export_html_report

        export_html_report(html, path, as_of=resolved.as_of, rules=rules.rules_file, part2_scope=rules.part2_scope, alternates=rules.alternates,
                           accept=rules.accept, destination=rules.destination, **reading_dict(reading))
    return evaluation


@dataclass(frozen=True)
class Requests:
    """What :func:`requests` found and wrote: the ranked plan, the evaluation it comes from, the
    request workbooks written into ``output`` (none when nothing is asked or no ``output`` was
    given) and whether the BOM names a supplier for any part."""

    plan: object  # bomcalc.core.requests.RequestPlan
    evaluation: Evaluation
    forms: tuple = ()
    output: str | None = None
    any_supplier: bool = False


def requests(path: str | os.PathLike, reading: ReadOptions | None = None, rules: RuleOptions | None = None, *,
             output: str | os.PathLike | None = None, near_line=None) -> Requests:
    """Whom to ask for what: the ``requests`` command.

    Checks the BOM at ``path`` and ranks the parts whose origin, value or declaration decides an
    indeterminate Annex 1 item, or gives the content of an item near the line
    (:func:`bomcalc.core.requests.plan_requests`; ``near_line`` is the factor, text or a number,
    default :data:`~bomcalc.core.requests.NEAR_LINE_FACTOR`). When there is something to ask and
    ``output`` is given, writes one supplier declaration request per supplier into that folder
    (created; :func:`bomcalc.io.request_forms.write_request_forms`). Nothing is written when
    nothing is asked.
    """
    from decimal import Decimal, InvalidOperation

    from .core.requests import plan_requests
    from .io.request_forms import write_request_forms

    factor = None
    if near_line is not None:
        try:
            factor = Decimal(str(near_line).strip())
        except InvalidOperation:
            raise BomError(f"the near-the-line factor must be a number of 1 or more, not '{near_line}'") from None
    evaluation = check(path, reading, rules)
    plan = plan_requests(evaluation, factor)
    any_supplier = "supplier" in evaluation.bom.parts.columns and bool(evaluation.bom.parts["supplier"].notna().any())
    forms: tuple = ()
    if output is not None and plan.requests:
        forms = tuple(write_request_forms(output, plan, any_supplier=any_supplier, source=str(path),
                                          as_of=evaluation.as_of.isoformat(), currency=evaluation.currency))
    return Requests(plan, evaluation, forms, None if output is None else str(output), any_supplier)


__all__ += ["requests", "Requests"]
