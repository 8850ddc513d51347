"""Least-cost re-sourcing results (``bomcalc mitigate``) as a JSON document and as text."""

from __future__ import annotations

from ..core.values import format_decimal
from .documents import format_percent, json_record, text_table
from .safe_text import terminal_text


def mitigation_document(result) -> dict:
    """The result as one JSON-ready document; decimals as strings."""
    costs = {(row["part_id"], row["option"]): row for _, row in result.costs.iterrows()}
    chosen = []
    for option in result.chosen:
        cost = costs.get((option.part, option.name))
        chosen.append({
            "part_id": option.part,
            "option": option.name,
            "origin": option.origin,
            "unit_value": format_decimal(option.unit_value),
            "cost_delta": format_decimal(option.cost_delta),
            "cn_part1_value": format_decimal(option.cn_part1_value),
            "capacity": format_decimal(option.capacity),
            "source": option.source,
            "row": option.row,
            "annual_units": format_decimal(cost["annual_units"]) if cost is not None else None,
            "unit_cost_delta": format_decimal(cost["unit_cost_delta"]) if cost is not None else None,
            "annual_cost": format_decimal(cost["annual_cost"]) if cost is not None else None,
        })
    items = []
    for _, row in result.items.iterrows():
        items.append(json_record(row, ("part_id", "selected", "baseline_status", "status", "baseline_ratio", "ratio",
                                       "cn_part1_value", "unknown_origin_part1_value", "value", "fixed")))
    return {
        "feasible": result.feasible,
        "currency": result.currency,
        "threshold": format_decimal(result.threshold),
        "annual_cost": format_decimal(result.annual_cost),
        "per_year": result.per_year,
        "chosen": chosen,
        "items": items,
        "infeasible_items": list(result.infeasible_items),
        "best_ratios": {part: format_decimal(value) for part, value in result.best_ratios.items()},
        "notes": list(result.notes),
    }


def format_mitigation(result, currency: str | None = None) -> str:
    """The result as plain text: the chosen options and their cost, or why there are none."""
    currency = currency or result.currency or ""
    threshold = result.threshold

    def percent(share):
        return format_percent(share, threshold)

    period = "a year" if result.per_year else "per one of each finished product"
    lines = []
    if result.feasible:
        lines.append(f"Least-cost re-sourcing: {format_decimal(result.annual_cost)} {currency} {period} brings every "
                     f"selected item below the {percent(threshold)} line (checked exactly).")
        if result.chosen:
            lines += ["", "Options chosen:"]
            body = [(row["part_id"], row["option"], format_decimal(row["annual_units"]),
                     format_decimal(row["unit_cost_delta"]), format_decimal(row["annual_cost"]))
                    for _, row in result.costs.iterrows()]
            lines += text_table(("part_id", "option", f"units {period}", f"cost per unit ({currency})",
                             f"cost {period} ({currency})"), body)
        else:
            lines.append("No option is needed.")
    else:
        lines.append(f"No combination of the options brings every selected item below the {percent(threshold)} line.")
        if result.infeasible_items:
            lines.append("Cannot be brought below it: " + ", ".join(
                f"{part} (best {percent(result.best_ratios.get(part))})" for part in result.infeasible_items))
        if result.best_ratios:
            lines.append("Lowest ratio each item can reach on its own: " + ", ".join(
                f"{part} {percent(value)}" for part, value in result.best_ratios.items()))
    if len(result.items):
        lines += ["", "Items (the ratio counts content of unknown origin as Chinese):"]
        body = [(row["part_id"], "yes" if row["selected"] else "no", row["baseline_status"], percent(row["baseline_ratio"]),
                 row["status"], percent(row["ratio"]), "yes" if row["fixed"] else "no")
                for _, row in result.items.iterrows()]
        lines += text_table(("part_id", "selected", "before", "ratio before", "after", "ratio after", "below line"), body)
    if result.notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in result.notes]
    lines += ["", "bomcalc informs a compliance decision; it does not replace legal advice."]
    return terminal_text("\n".join(lines) + "\n")

