"""The upload page, rendered on the server with Jinja2 (interface layer).

Autoescaping is on for every template: every text that came from a user's file (part numbers,
descriptions, messages quoting cells) is escaped. The page's only script is ``static/page.js``;
the page works without it (each button posts the form), the script adds drag and drop, a
progress indicator, sorting and filtering of the results, and keeps the chosen files on the
page for the what-if panel and the downloads.
"""

from __future__ import annotations

import json
from pathlib import Path
from decimal import Decimal, InvalidOperation

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..core.determine import PART2_SCOPES
from ..io.rulepack import load_rule_pack, packaged_packs
from ..report.documents import format_percent

_ENVIRONMENT = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"), autoescape=select_autoescape(default=True),
                           trim_blocks=True, lstrip_blocks=True)
#: The what-if panel's changes: field -> label.
WHATIF_CHANGES = {"origin": "origin (country code)", "unit_value": "unit value",
                  "cn_part1_value": "declared China-origin Part 1 value", "annex1": "Annex 1 status"}


def _percent(text, threshold) -> str:
    """A ratio of the JSON document (a decimal string) as the command line shows it."""
    try:
        return format_percent(Decimal(text), Decimal(threshold)) if text is not None else "-"
    except (InvalidOperation, TypeError):
        return str(text)


def _meaning(label, statuses) -> str:
    """The meaning (``required``, ``indeterminate``, ``not_required``) of a pack's status label,
    from the document's ``rule_pack.statuses``: the page colours by meaning, whatever the label."""
    return next((meaning for meaning, given in (statuses or {}).items() if given == label), str(label))


_ENVIRONMENT.filters["percent"] = _percent
_ENVIRONMENT.filters["meaning"] = _meaning


def render_page(token: str, outcome=None, asked: dict | None = None) -> str:
    """The page: the form, and with an ``outcome`` (:class:`~bomcalc.web.jobs.Outcome`) its result
    or its problems. ``asked``: the options the form was sent with, shown again."""
    view = outcome.view if outcome is not None and outcome.status == 200 else None
    failure = json.loads(outcome.text) if outcome is not None and outcome.status != 200 else None
    return _ENVIRONMENT.get_template("page.html").render(
        token=token, view=view, failure=failure, asked=asked or {}, scopes=PART2_SCOPES, changes=WHATIF_CHANGES,
        packs=sorted(packaged_packs()), default_pack=load_rule_pack().id)
