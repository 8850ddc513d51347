"""The public API that the CLI, the notebooks and other programs call (interface layer).

It fills in defaults (today's date, the bundled rule pack) and hands over to the core.
"""

from __future__ import annotations

import datetime as dt
import os

from .determine import Evaluation
from .determine import evaluate as _evaluate
from .errors import BomError
from .io.readers import read_workbook
from .io.rulepack import load_rule_pack
from .model import Bom
from .rules import RulePack

__all__ = ["read_workbook", "load_rule_pack", "evaluate", "parse_date"]


def parse_date(value: str | dt.date | None) -> dt.date:
    """A date from ``YYYY-MM-DD`` text, a date, or ``None`` (today)."""
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise BomError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01") from None


def evaluate(
    bom: Bom,
    as_of: str | dt.date | None = None,
    rules: RulePack | str | os.PathLike | None = None,
    part2_scope: str = "materials",
    alternates: str = "conservative",
) -> Evaluation:
    """Determine, for every Annex 1 item of ``bom``, whether a licence is required.

    ``as_of``: the date the rule is applied on (default today). ``rules``: a
    :class:`~bomcalc.rules.RulePack`, a path to a rule-pack TOML file, or ``None`` for the pack
    shipped with bomcalc. ``part2_scope``: ``"materials"`` (only items marked part2) or
    ``"assemblies"`` (also every part containing one). ``alternates``: how alternative items
    count (``"conservative"``, ``"probability"`` or ``"primary"``).
    """
    pack = rules if isinstance(rules, RulePack) else load_rule_pack(rules)
    return _evaluate(bom, pack, parse_date(as_of), part2_scope, alternates)
