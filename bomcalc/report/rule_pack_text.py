"""A rule pack for people and programs: ``bomcalc rules show`` and ``rules new`` (report layer).

:func:`pack_document` is the pack as one JSON-ready document (limbs with their state on a date,
the dated timeline, sources, Annex 1 items); :func:`format_pack` the same as text;
:func:`overlay_template` the commented overlay ``bomcalc rules new`` writes.
"""

from __future__ import annotations

import datetime as dt

from ..core.rules import RulePack
from ..core.values import format_decimal
from .safe_text import terminal_text


def _event_record(event) -> dict:
    return {"date": event.date.isoformat(), "action": event.action, "limbs": list(event.limbs),
            "until": event.until.isoformat() if event.until else None, "source": event.source, "note": event.note,
            "recorded_in": event.recorded_in}


def pack_document(pack: RulePack, on: dt.date) -> dict:
    """The pack as one JSON-ready document, with what is in force ``on`` that date; decimals are strings."""
    states = pack.limb_states(on)
    return {
        "id": pack.id, "version": pack.version, "title": pack.title, "origin": pack.origin,
        "extends": [{"id": base.id, "version": base.version, "origin": base.origin} for base in pack.extends],
        "threshold": format_decimal(pack.threshold), "inclusive": pack.inclusive,
        "as_of": on.isoformat(), "last_event": pack.last_event_date.isoformat(),
        "as_of_beyond_last_event": pack.is_beyond_last_event(on), "warning": pack.staleness_warning(on),
        "limbs": [{"id": limb.id, "clause": limb.clause, "title": limb.title, "applies_to": list(limb.applies_to),
                   "source": limb.source, "in_force": states[limb.id].in_force, "state": states[limb.id].state,
                   "note": states[limb.id].note} for limb in pack.limbs],
        "events": [_event_record(event) for event in pack.events],
        "sources": [{"id": s.id, "short": s.short, "title": s.title, "url": s.url} for s in pack.sources],
        "annex1": {"part1": [dict(item) for item in pack.part1_items], "part2": [dict(item) for item in pack.part2_items]},
    }


def _columns(rows: list[tuple]) -> list[str]:
    """Rows of cells as aligned lines, every cell escaped for a terminal."""
    cells = [[terminal_text(str(cell), layout=False) for cell in row] for row in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(len(cells[0]))] if cells else []
    return ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in cells]


def format_pack(pack: RulePack, on: dt.date) -> str:
    """The pack as text: what it is, its limbs and their state ``on`` the date, the timeline, sources and items."""
    document = pack_document(pack, on)
    share = f"{format_decimal(pack.threshold * 100)}%"
    lines = [f"Rule pack {pack.label}", f"  {pack.title}", f"  file: {pack.origin or 'n/a'}"]
    lines += [f"  extends {base.id} {base.version} ({base.origin})" for base in pack.extends]
    lines += [f"  de minimis threshold: {share} of the item's value "
              f"({'inclusive: exactly on the line is caught' if pack.inclusive else 'exclusive: only above the line'})",
              "", f"Limbs on {on.isoformat()}:"]
    lines += _columns([(limb["id"], limb["clause"], ", ".join(limb["applies_to"]), "in force" if limb["in_force"] else limb["state"].replace("_", " "),
                        limb["note"]) for limb in document["limbs"]])
    lines += ["", "Timeline (suspension end dates inclusive):"]
    lines += _columns([(e.date.isoformat(), e.action + (f" through {e.until.isoformat()}" if e.until else ""),
                        ", ".join(e.limbs), pack.source_title(e.source),
                        f"recorded in {e.recorded_in}" if pack.extends else "") for e in pack.events])
    lines.append(f"Last recorded event: {document['last_event']}.")
    if document["warning"]:
        lines.append(f"Warning: {document['warning']}")
    lines += ["", "Sources:"] + _columns([(s.id, s.short or s.title, s.url) for s in pack.sources])
    for part, items in document["annex1"].items():
        lines += ["", f"Annex 1 {part.replace('part', 'Part ')} items ({len(items)}):"]
        lines += _columns([(item.get("id", ""), item.get("name", ""), item.get("control_code", "")) for item in items])
    return terminal_text("\n".join(lines))


def overlay_template(base: RulePack, extends: str, today: dt.date) -> str:
    """A commented overlay on ``base`` (named ``extends``): valid as written, its example entries commented out."""
    limbs = ", ".join(f'"{limb.id}"' for limb in base.limbs)
    sources = ", ".join(source.id for source in base.sources)
    last = max(base.events, key=lambda e: e.until or e.date)
    start = base.last_event_date + dt.timedelta(days=1)  # the example: one more year from the day after the last event
    until = dt.date(start.year + 1, start.month, 1) + dt.timedelta(days=start.day - 2)
    last_text = f"{last.action} of {', '.join(last.limbs)}" + (f" through {last.until.isoformat()}" if last.until else "")
    return f'''# bomcalc rule-pack overlay: your reading of what happened after the packaged pack's last event.
#
# This file extends the pack "{extends}" ({base.label}). Everything in that pack applies;
# what you write here is added on top of it:
#   - [[events]] are ADDED to the pack's events (history is never deleted: to change a rule,
#     record a later event);
#   - [[sources]] and [[limbs]] with the id of an existing entry amend it key by key; a new id adds one;
#   - [de_minimis] keys (threshold, inclusive) override the pack's; Annex 1 items
#     ([annex1.part1] / [annex1.part2] `items`) are merged by id.
# A key the pack does not have is an error. Check the file with:  bomcalc rules check THIS_FILE
# and use it with:  bomcalc check BOM --rules THIS_FILE
#
# The pack's last recorded event: {last.date.isoformat()}, {last_text} ({base.source_title(last.source)}).
# Limbs: {limbs}.  Sources already defined: {sources}.

id = "{extends}-counsel"       # this overlay's own id (results name it beside "{extends}")
version = "{today.isoformat()}"          # your version: e.g. the date of counsel's reading
title = "Counsel's reading of the rule after {base.last_event_date.isoformat()}"
extends = "{extends}"

# 1. Cite the source of every event: a new announcement, or counsel's memo.
# [[sources]]
# id = "counsel-memo"
# short = "Counsel memo of YYYY-MM-DD"
# title = "Outside counsel memo of YYYY-MM-DD on the status of {base.id}"
# url = ""

# 2. Record what happened, dated. Actions: in_force, suspend (with an inclusive `until`), repeal.
# [[events]]
# date = {start.isoformat()}
# action = "suspend"
# until = {until.isoformat()}
# limbs = [{limbs}]
# source = "counsel-memo"
# note = "Counsel reads the suspension as extended by one year."

# 3. Only if counsel says the line itself changed:
# [de_minimis]
# threshold = "{format_decimal(base.threshold)}"   # a share as text: "0.001" is 0.1%
'''
