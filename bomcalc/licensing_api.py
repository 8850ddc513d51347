"""The public API of ``screen`` and ``notice``: the licensing policy of Clauses 2-4 (interface layer).

:func:`screen` reads a shipments file, the BOM and the party files, determines every item on
each shipment date (:func:`bomcalc.api.evaluate`, the same determination as ``check``) and
applies the licensing policy of the rule pack (:func:`bomcalc.core.screening.screen`).
:func:`notice` fills the Compliance Notification Letter template for one recipient.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from . import api
from .api import ReadOptions, RuleOptions
from .core.errors import BomDataError, InputFileError
from .core.extras import require_extra
from .core.ownership import listed_parties
from .core.screening import Screening, screen as screen_shipments
from .io.cn_calendar import official_calendar
from .io.licensing_pack import load_licensing
from .io.screening_files import read_listed_parties, read_ownership, read_shipments


def screen(shipments: str | os.PathLike, bom: str | os.PathLike, reading: ReadOptions | None = None,
           rules: RuleOptions | None = None, *, listed: str | os.PathLike | None = None,
           ownership: str | os.PathLike | None = None, progress=None) -> Screening:
    """Screen every shipment of ``shipments`` (items of ``bom``) against Clauses 1-4.

    ``listed``: the control-list and watch-list parties (party, list); ``ownership``: who owns
    what share of whom (party, owner, share). ``rules.as_of`` is not used: each shipment is
    judged on its own date. Raises :class:`~bomcalc.core.errors.BomDataError` with every
    problem of the files, or when a humanitarian report date falls outside the calendar's years.
    """
    given = rules or RuleOptions()
    licensing = load_licensing(given.rules_file)
    resolved = given.resolved()
    model = api.read(bom, reading, resolved, progress=progress)
    read = read_shipments(shipments, set(model.parts.index))
    on_lists = read_listed_parties(listed, licensing.ownership) if listed else None
    holdings = read_ownership(ownership) if ownership else None
    listed_found = listed_parties(on_lists.records[0] if on_lists else {}, holdings.records if holdings else (),
                                  licensing.ownership)
    evaluations = _evaluations(model, resolved, sorted({shipment.date for shipment in read.records}))
    result = screen_shipments(read.records, evaluations, licensing, listed_found, official_calendar(), str(shipments))
    reads = [r for r in (read, on_lists, holdings) if r is not None]
    accounts = tuple(account for r in reads for account in r.accounts)
    if result.issues:
        fates = tuple(fate for r in reads for fate in r.fates)
        raise BomDataError(list(result.issues), str(shipments), accounts, fates)
    warnings = tuple(issue for r in reads for issue in r.warnings)
    return replace(result, accounts=accounts, issues=warnings, listed=listed_found)


def _evaluations(model, resolved: RuleOptions, dates) -> dict:
    """The BOM's evaluation on each date, computed once for dates on which every limb is in the same
    state (the same words) and the pack equally current: such dates give the same determination."""
    pack, shared, out = resolved.rules, {}, {}
    for date in dates:
        key = (tuple((s.in_force, s.state, s.note) for s in pack.limb_states(date).values()),
               pack.is_beyond_last_event(date))
        if key not in shared:
            shared[key] = api.evaluate(model, options=replace(resolved, as_of=date))
        out[date] = shared[key]
    return out


@dataclass(frozen=True)
class Notice:
    """A filled-in letter: ``data`` in its format, and the ``evaluation`` whose items it lists."""

    data: bytes
    evaluation: object


def notice(bom: str | os.PathLike, recipient: str, reading: ReadOptions | None = None,
           rules: RuleOptions | None = None, *, items=None, template: str | os.PathLike | None = None,
           output_format: str = "md") -> Notice:
    """The Compliance Notification Letter for ``recipient`` over the Annex 1 items of ``bom``
    (``items``: the part ids shipped; default every Annex 1 item) in ``output_format`` (md, html
    or docx), from the packaged template or the user's ``template`` file (rendered sandboxed)."""
    require_extra("notice", "bomcalc notice")
    from .report.notice import notice_context, render_notice

    if output_format == "docx":
        require_extra("docx", "bomcalc notice --format docx")
    given = rules or RuleOptions()
    licensing = load_licensing(given.rules_file)
    evaluation = api.check(bom, reading, given)
    text = None
    if template is not None:
        try:
            text = Path(template).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{template}: the template cannot be read ({exc}); give a UTF-8 text file") from None
    context = notice_context(evaluation, licensing, recipient, items)
    return Notice(render_notice(context, output_format, text, str(template) if template else "the packaged template"),
                  evaluation)
