"""The Annex 1 Part 1 vocabulary of forms and templates, read from a rule pack (I/O layer).

Which metals, alloys and oxides Annex 1 Part 1 lists is a legal rule, so it is data in the
rule pack (``[annex1.part1]``), never written out in a reader or a template. This module turns
a pack's Part 1 items into the words a declaration form offers: the alloy names suppliers
write and a one-line summary of the list. Without a pack, the pack shipped with bomcalc is used.
"""

from __future__ import annotations

import functools

from .rulepack import load_rule_pack


@functools.lru_cache(maxsize=1)
def shipped_part1_items() -> tuple[dict, ...]:
    """The Annex 1 Part 1 items of the rule pack shipped with bomcalc."""
    return load_rule_pack().part1_items


def part1_alloy_names(items=None) -> tuple[str, ...]:
    """The names of the Part 1 alloys as suppliers write them (``Dy-Fe``), in the pack's order."""
    items = shipped_part1_items() if items is None else items
    return tuple(str(item["alloy"]) for item in items if item.get("form") == "alloy" and item.get("alloy"))


def part1_summary(items=None) -> str:
    """The Part 1 list in a few words: ``Sm, Dy, ... metals, Sm-Co, ... alloys, Dy and Tb oxides``."""
    items = shipped_part1_items() if items is None else items
    groups = []
    for form, plural in (("metal", "metals"), ("alloy", "alloys"), ("oxide", "oxides")):
        words = [str(item.get("alloy") or item["element"]) if form == "alloy" else str(item["element"])
                 for item in items if item.get("form") == form]
        if words:
            listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
            groups.append(f"{listed} {plural}")
    return ", ".join(groups)
