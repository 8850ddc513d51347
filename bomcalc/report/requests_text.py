"""The ``requests`` result as a JSON-ready document and as a short terminal summary (report layer).

Both say the same: each workbook written with its supplier and how many parts it asks about,
and the ranked requests (the first is the top request). The summary is terminal-safe: text
from the input (part ids, descriptions, supplier names, paths) passes through
:func:`~bomcalc.report.safe_text.terminal_text`.
"""

from __future__ import annotations

import os

from .documents import json_value
from .safe_text import terminal_text


def _reason_record(reason) -> dict:
    return {"item": reason.item, "kind": reason.kind, "reach": json_value(reason.reach),
            "item_value": json_value(reason.item_value), "points": json_value(reason.points), "text": reason.text}


def requests_document(result) -> dict:
    """The requests of :func:`bomcalc.api.requests` as a JSON-ready document (decimals as strings)."""
    plan, evaluation = result.plan, result.evaluation
    return {
        "source": evaluation.bom.source,
        "as_of": evaluation.as_of.isoformat(),
        "currency": evaluation.currency,
        "near_line_factor": json_value(plan.near_line_factor),
        "policy": plan.policy,
        "indeterminate_items": list(plan.indeterminate_items),
        "near_line_items": list(plan.near_line_items),
        "output": result.output if result.forms else None,
        "forms": [{"file": form.file_name, "supplier": form.supplier, "parts": list(form.parts)} for form in result.forms],
        "requests": [
            {"rank": rank, "part_id": request.part_id, "description": request.description, "supplier": request.supplier,
             "decisive": request.decisive, "asks": list(request.asks),
             "reasons": [_reason_record(reason) for reason in request.reasons]}
            for rank, request in enumerate(plan.requests, start=1)
        ],
    }


def format_requests(result) -> str:
    """A few lines for a terminal: the files written, parts per supplier, the top request."""
    plan = result.plan
    lines = []
    if not plan.requests:
        lines.append(f"Nothing to ask: no Annex 1 item is indeterminate or near the line (within a factor of "
                     f"{json_value(plan.near_line_factor)} of the threshold). No file written.")
        return "\n".join(terminal_text(line, layout=False) for line in lines) + "\n"
    count = len(plan.requests)
    lines.append(f"{count} part(s) to ask about, for {len(plan.indeterminate_items)} indeterminate item(s) and "
                 f"{len(plan.near_line_items)} item(s) near the line (factor {json_value(plan.near_line_factor)}).")
    if result.forms:
        if not result.any_supplier:
            lines.append("The BOM names no supplier (no Supplier or Vendor column): one workbook for all parts.")
        for form in result.forms:
            who = form.supplier if form.supplier is not None else (
                "unknown supplier (the BOM names none for these parts)" if result.any_supplier else "all parts")
            lines.append(f"Wrote {os.path.join(result.output, form.file_name)}: {len(form.parts)} part(s), {who}")
    top = plan.requests[0]
    lines.append(f"Top request: {top.part_id}" + (f" ({top.description})" if top.description else "")
                 + (f" from {top.supplier}" if top.supplier else "") + f": {top.top_reason.text}.")
    lines.append(f"Ask for: {'; '.join(top.asks)}.")
    if result.forms:
        lines.append(f"When the forms come back filled in, add them to the check: --declarations {result.output}")
    return "\n".join(terminal_text(line, layout=False) for line in lines) + "\n"
