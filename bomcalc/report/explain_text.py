"""The explanation trail as text and as a JSON-ready document (pure; see :mod:`bomcalc.core.explain`).

Quantities are shown as the BOM gave them, with their unit and the factor to the part's unit
(``0.17 FT = 2.04 IN (x 12)``), and every unit value with the unit it is per.
"""

from __future__ import annotations

from .documents import format_percent as _format_percent
from .safe_text import terminal_text
from ..core.determine import REQUIRED
from ..core.regime import status_meaning
from ..core.rules import reaches_line
from ..core.values import EXACT, format_decimal, ratio


def format_percent(share, threshold):
    """As :func:`bomcalc.report.documents.format_percent`."""
    return _format_percent(share, threshold)


def explanation_document(explanation) -> dict:
    """An :class:`~bomcalc.core.explain.Explanation` as a JSON-ready dict."""
    f = format_decimal
    return {
        "item": explanation.item, "description": explanation.description, "annex1": explanation.annex1,
        "origin": explanation.origin, "cn_technology": explanation.cn_technology,
        "value": f(explanation.value), "value_basis": explanation.value_basis,
        "value_parts": [{"part": c, "qty": f(q), "value": f(v), **({"alternative": dict(explanation.value_notes)[c]}
                         if c in dict(explanation.value_notes) else {})} for c, q, v in explanation.value_parts],
        "sources": [
            {"source": s.source, "kind": s.kind, "uom": s.uom, "unit_content": f(s.unit_content), "extended_qty": f(s.extended_qty),
             "extended_value": f(s.extended_value), "paths_truncated": s.paths_truncated,
             "paths": [{"parts": [{"part": p, "qty": f(q)} for p, q in step.parts], "quantity": f(step.quantity)}
                       for step in s.paths]}
            for s in explanation.sources
        ],
        "cn_part1_value": f(explanation.cn_part1_value),
        "unknown_origin_part1_value": f(explanation.unknown_origin_part1_value),
        "threshold": f(explanation.threshold), "inclusive": explanation.inclusive, "line_value": f(explanation.line_value),
        "status": explanation.status, "reasons": list(explanation.reasons), "open_limbs": list(explanation.open_limbs),
        "deciding_inputs": list(explanation.deciding_inputs), "in_force": explanation.in_force,
        "limbs": [{"limb": limb, "clause": clause, "in_force": in_force, "note": note}
                  for limb, clause, in_force, note in explanation.limb_notes],
        "as_of": explanation.as_of, "rule_pack": explanation.rule_pack, "uom": explanation.uom,
        "lines": [{"parent": q.parent, "child": q.child, "qty": f(q.qty), "uom": q.uom, "given_qty": f(q.given_qty),
                   "given_uom": q.given_uom, "factor": f(q.factor)} for q in explanation.line_quantities],
    }


def _child_uom(explanation, parent: str, child: str) -> str | None:
    line = explanation.line(parent, child)
    return line.uom if line is not None else None


def _per(money: str, uom: str | None) -> str:
    """`` USD per IN`` (or `` USD`` when the part has no unit)."""
    return f" {money}{' per ' + uom if uom else ''}".rstrip() if money or uom else ""


def _quantity_text(explanation, parent: str, child: str, qty, brackets: bool = False) -> str:
    """A line's quantity with its unit, and the conversion when the BOM gave another unit.

    In a path (``brackets``) a line given in its child's unit shows only its number, and a
    converted one ``[0.17 FT = 2.04 IN (x 12)]``; the product carries the source's unit.
    """
    line = explanation.line(parent, child)
    if line is None or (brackets and not line.converted):
        return format_decimal(qty)
    text = line.text(format_decimal)
    return f"[{text}]" if brackets else text


def _words(e) -> dict:
    """The pack's words for an explanation (:attr:`~bomcalc.core.explain.Explanation.wording`), and its heading line."""
    words = {"content": "China-origin Annex 1 Part 1 content", "short": "China-origin Part 1", "test": "The 0.1% test (Clause 1(1))",
             "status": "", "technology": True, **{k: v for k, v in e.wording.items() if v or k == "technology"}}
    words["head"] = (f"Annex 1 {e.annex1}; origin {e.origin or 'unknown'}; made with Chinese rare-earth technology: "
                     f"{'yes' if e.cn_technology else 'no'}." if words["technology"]
                     else f"{words['item']}; origin {e.origin or 'unknown'}.")
    return words


def format_explanation(explanation, currency: str | None) -> str:
    """The trail as numbered text an auditor can follow with a calculator."""
    f = format_decimal
    money = currency or ""
    e = explanation
    words = _words(e)
    short = words["short"]
    lines = [f"{e.item}: {terminal_text(e.description, layout=False)}", words["head"], ""]
    if e.annex1 == "part2":
        if e.value_basis == "components":
            lines.append("1. Value of one unit, rolled up from its components (it has no unit_value of its own):")
            notes = dict(e.value_notes)
            for child, qty, value in e.value_parts:
                line = e.line(e.item, child)
                given = line.qty if line is not None and child in notes else qty
                quantity = _quantity_text(e, e.item, child, given)
                note = f"; {notes[child]}" if child in notes else ""
                lines.append(f"     {child}: {quantity} x {f(value) if value is not None else 'unknown'}"
                             f"{_per(money, _child_uom(e, e.item, child))} = "
                             f"{f(EXACT.multiply(given, value)) if value is not None else 'unknown'}{note}")
            lines.append(f"   value = {f(e.value) if e.value is not None else 'unknown'} {money}")
        else:
            lines.append(f"1. Value of one unit{' (' + e.uom + ')' if e.uom else ''}: its unit_value, "
                         f"{f(e.value) if e.value is not None else 'unknown'} {money}.")
        lines += ["", f"2. {words['content']} of one unit:"]
        if not e.sources:
            lines.append(f"     none: no {short} input or declaration below this item.")
        for number, source in enumerate(e.sources, start=1):
            what = {"declaration": "declared content", "possible_china_origin_part1": "counted as a China-origin Part 1 item "
                    "(it may be one, and its unit value is less than its inputs' content), unit value"}.get(
                source.kind, f"{short} item, unit value")
            per = _per(money, source.uom)
            lines.append(f"   {chr(96 + number) if number <= 26 else number}) {source.source} ({terminal_text(source.description, layout=False)}); {what} "
                         f"{f(source.unit_content) if source.unit_content is not None else 'unknown'}{per}")
            unit = f" {source.uom}" if source.uom else ""
            for step in source.paths:
                chain = " x ".join(_quantity_text(e, step.parts[i - 1][0], p, q, brackets=True)
                                   for i, (p, q) in enumerate(step.parts) if i) or "1"
                route = " > ".join(p for p, _ in step.parts)
                lines.append(f"        {route}: {chain} = {f(step.quantity)}{unit}")
            if source.paths_truncated:
                lines.append("        (more paths than shown; the extended quantity counts them all)")
            value = f(source.extended_value) if source.extended_value is not None else "unknown"
            lines.append(f"        extended quantity {f(source.extended_qty)}{unit} x "
                         f"{f(source.unit_content) if source.unit_content is not None else 'unknown'}{per} = {value} {money}")
        lines.append(f"   total {short} value = {f(e.cn_part1_value) if e.cn_part1_value is not None else 'unknown'} {money}")
        possible = "   possible Part 1 content of unknown origin or Annex 1 status"
        if e.unknown_origin_part1_value:
            lines.append(f"{possible}: {f(e.unknown_origin_part1_value)} {money} (counted in the upper bound)")
        elif e.unknown_origin_part1_value is None and e.cn_part1_value is not None:
            lines.append(f"{possible}: unknown, a value is missing (see the deciding inputs)")
        lines += ["", f"3. {words['test']}:"]
        if e.line_value is None or e.cn_part1_value is None:
            lines.append("   cannot be applied: a value is missing.")
        else:
            sign = ">=" if e.inclusive else ">"
            holds = reaches_line(e.cn_part1_value, e.line_value, e.inclusive)
            lines.append(f"   threshold {f(e.threshold)} x value {f(e.value)} = {f(e.line_value)} {money}")
            lines.append(f"   {f(e.cn_part1_value)} {sign} {f(e.line_value)}: {'yes' if holds else 'no'} "
                         f"(ratio {format_percent(ratio(e.cn_part1_value, e.value), e.threshold)})")
            if not holds and e.unknown_origin_part1_value:
                upper = EXACT.add(e.cn_part1_value, e.unknown_origin_part1_value)
                could = reaches_line(upper, e.line_value, e.inclusive)
                lines.append(f"   counting unknown origins as China and unclassified parts as Part 1: {f(upper)} {sign} "
                             f"{f(e.line_value)}: {'yes, so the result depends on them' if could else 'no, so they cannot change it'}")
        step = 4
    else:
        lines.append("1. Part 1 item: the 0.1% test does not apply; limbs 2 and 3 do.")
        step = 2
    said = f" ({words['status']})" if words["status"] and words["status"] != e.status.replace("_", " ") else ""
    lines += ["", f"{step}. Determination: {e.status}{said}"
              + (f", by {', '.join(e.reasons)}" if e.reasons else "")
              + (f"; open: {', '.join(e.open_limbs)} (decided by {', '.join(e.deciding_inputs)})" if e.open_limbs else "")]
    if status_meaning(e.status) == REQUIRED and not e.in_force:
        lines.append(f"   Would be required; no limb that decides it is in force on {e.as_of}.")
    for limb, clause, in_force, note in e.limb_notes:
        lines.append(f"   {limb} ({clause}): {'in force' if in_force else 'not in force'} on {e.as_of}: {note}")
    lines.append(f"   Rule pack {e.rule_pack}. bomcalc informs a compliance decision; it does not replace legal advice.")
    return terminal_text("\n".join(lines) + "\n")
