"""The public API that the CLI, the notebooks and other programs call (interface layer).

It fills in defaults (today's date, the bundled rule pack) and hands over to the core.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os

from .core.determine import Evaluation
from .core.determine import evaluate as _evaluate
from dataclasses import dataclass

from .core.errors import BomDataError, BomError, DataIssue
from .core.extras import require_extra
from .core.ledger import RowAccount, RowFate
from .io import readers
from .io.scenario_files import read_scenarios
from .io.rulepack import load_rule_pack
from .core.model import Bom
from .core.rules import RulePack
from .core.values import to_date

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
           "mitigate"]


@dataclass(frozen=True)
class Validation:
    """The data-quality account of reading a BOM: every row's fate and every problem."""

    source: str
    ok: bool
    issues: tuple[DataIssue, ...]
    accounts: tuple[RowAccount, ...]
    row_fates: tuple[RowFate, ...]
    bom: Bom | None = None


def read_workbook(path: str | os.PathLike, rules: RulePack | str | os.PathLike | None = None, **options) -> Bom:
    """Read a BOM file or folder with everything that goes with it and validate it.

    ``options`` (all optional): ``parts`` (material master files), ``declarations`` (supplier
    declaration files or folders), ``map`` (header mapping TOML), ``fx``, ``units``, ``prices``
    (tables), ``currency`` (report currency), ``decimal`` (``"."`` or ``","``), ``qty_mode``
    (``"per_parent"`` or ``"extended"``), ``sheet``, ``profile`` (an export profile name or TOML file;
    detected from the headers when not given), ``root`` (the assembly a list builds). ``rules`` gives
    the Annex 1 Part 1 list used to classify declared inputs (default: the bundled pack).
    """
    if options.get("declarations") and not options.get("part1_items"):
        pack = rules if isinstance(rules, RulePack) else load_rule_pack(rules)
        options["part1_items"] = pack.part1_items
    with _bulk():
        return readers.read_workbook(path, **options)


def validate(path: str | os.PathLike, **options) -> Validation:
    """Read a BOM as :func:`read_workbook` does and account for every input row.

    Never raises for data problems: they are in ``issues`` and ``ok`` is False when any is an
    error. File problems (missing, unreadable) still raise :class:`~bomcalc.core.errors.BomError`.
    """
    try:
        bom = read_workbook(path, **options)
    except BomDataError as exc:
        return Validation(str(path), False, tuple(exc.issues), exc.accounts, exc.row_fates)
    return Validation(str(path), True, bom.issues, bom.accounts, bom.row_fates, bom)


def parse_date(value: str | dt.date | None) -> dt.date:
    """A date from ``YYYY-MM-DD`` text, a date, or ``None`` (today)."""
    if value is None:
        return dt.date.today()
    try:
        date = to_date(value)
    except ValueError:
        date = None
    if date is None:
        raise BomError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01") from None
    return date


def evaluate(
    bom: Bom,
    as_of: str | dt.date | None = None,
    rules: RulePack | str | os.PathLike | None = None,
    part2_scope: str = "materials",
    alternates: str = "conservative",
) -> Evaluation:
    """Determine, for every Annex 1 item of ``bom``, whether a licence is required.

    ``as_of``: the date the rule is applied on (default today). ``rules``: a
    :class:`~bomcalc.core.rules.RulePack`, a path to a rule-pack TOML file, or ``None`` for the pack
    shipped with bomcalc. ``part2_scope``: ``"materials"`` (only items marked part2) or
    ``"assemblies"`` (also every part containing one). ``alternates``: how alternative items
    count (``"conservative"``, ``"probability"`` or ``"primary"``).
    """
    pack = rules if isinstance(rules, RulePack) else load_rule_pack(rules)
    with _bulk():
        return _evaluate(bom, pack, parse_date(as_of), part2_scope, alternates)


def whatif(
    bom: Bom,
    scenarios,
    as_of: str | dt.date | None = None,
    rules: RulePack | str | os.PathLike | None = None,
    part2_scope: str = "materials",
    alternates: str = "conservative",
):
    """Evaluate what-if scenarios against ``bom`` (never modified); returns a
    :class:`~bomcalc.core.scenarios.Comparison`. ``scenarios`` are :class:`~bomcalc.core.scenarios.Scenario`
    records or a path to a scenario file (TOML or a workbook with a ``scenarios`` sheet)."""
    from .core.scenarios import compare

    if isinstance(scenarios, (str, os.PathLike)):
        scenarios = read_scenarios(scenarios)
    pack = rules if isinstance(rules, RulePack) else load_rule_pack(rules)
    return compare(bom, scenarios, pack, parse_date(as_of), part2_scope, alternates)


def mitigate(evaluation: Evaluation, options, volumes=None, items=None):
    """The least-cost re-sourcing that brings ``items`` (default: every Part 2 item now required
    or indeterminate) strictly below the line; returns a :class:`~bomcalc.core.mitigation.optimiser.MitigationResult`.

    ``options``: sourcing options or the path of a sourcing-options file; ``volumes``: annual
    volumes or the path of a volumes file (``None``: one of each finished product).
    """
    require_extra("optimise", "bomcalc.mitigate()")
    from .io.sourcing import read_sourcing_options, read_volumes
    from .core.mitigation.optimiser import mitigate as plan

    if isinstance(options, (str, os.PathLike)):
        options = read_sourcing_options(options, evaluation.bom)
    if isinstance(volumes, (str, os.PathLike)):
        volumes = read_volumes(volumes, evaluation.bom)
    return plan(evaluation, options, volumes, items)
