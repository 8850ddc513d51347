"""Inputs classified against the rule pack's Annex 1 Part 1 items, and their reference prices."""

from __future__ import annotations

from dataclasses import dataclass

from ...core.errors import WARNING, RulePackError
from ...core.values import to_text
from ..template_columns import FORMS, RARE_EARTH_ELEMENTS
from .records import PriceEntry
from .cells import read_form, element_symbols

# --- Annex 1 Part 1 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part1Kind:
    name: str
    form: str
    rare_earths: frozenset
    constituents: frozenset | None  # alloys: every element of the alloy, when its name says


def part1_kinds(items) -> list[_Part1Kind]:
    """The rule pack's Annex 1 Part 1 items as kinds to classify input rows against (element symbols, form, name)."""
    kinds = []
    for item in items:
        try:
            form = str(item["form"]).strip().lower()
            rare = frozenset(element_symbols(str(item["element"])))
            name = str(item.get("name") or f"{item['element']} {form}")
        except (KeyError, ValueError) as exc:
            raise RulePackError(f"Annex 1 Part 1 item {dict(item)} cannot be read ({exc})") from None
        constituents = None
        if form == "alloy":
            try:
                constituents = frozenset(element_symbols(name)) | rare
            except ValueError:
                pass
        kinds.append(_Part1Kind(name, form, rare, constituents))
    return kinds


def _classify(kinds, rare: frozenset, form: str, alloy: frozenset | None):
    """``(Part 1 kind or None, whether the alloy had to be assumed)`` of an input."""
    if form == "alloy":
        alloys = [kind for kind in kinds if kind.form == "alloy"]
        if alloy is not None:
            for kind in alloys:
                if kind.constituents == alloy or (kind.constituents is None and kind.rare_earths == rare):
                    return kind, False
            return None, False
        candidates = [kind for kind in alloys if kind.rare_earths == rare]
        return (candidates[0], True) if len(candidates) == 1 else (None, False)
    return next((kind for kind in kinds if kind.form == form and kind.rare_earths == rare), None), False


def kind_of(cells, kinds, say):
    """``(Part 1 kind or None, label)`` of an input row; ``ValueError`` when it cannot be classified."""
    form = read_form(cells.get("form"))
    if form is None:
        raise ValueError(f"form is blank; give one of {', '.join(FORMS)}")
    element = to_text(cells.get("element"))
    rare = frozenset(element_symbols(element)) if element else frozenset()
    if rare - RARE_EARTH_ELEMENTS.keys():
        raise ValueError(f"element '{element}' is not a rare earth ({', '.join(RARE_EARTH_ELEMENTS)})")
    alloy_name = to_text(cells.get("alloy_name")) if form == "alloy" else None
    alloy = None
    if alloy_name:
        alloy = frozenset(element_symbols(alloy_name))
        if not rare <= alloy:
            raise ValueError(f"element '{element}' is not in alloy '{alloy_name}'")
        rare = alloy & RARE_EARTH_ELEMENTS.keys()
    if not rare and form in ("metal", "oxide", "alloy"):
        raise ValueError("element is blank; give the rare-earth element of the input")
    kind, assumed = _classify(kinds, rare, form, alloy)
    if assumed:
        say(WARNING, "alloy_assumed", f"alloy name is blank; read as {kind.name} (Part 1); give the alloy name")
    return kind, f"{alloy_name or element or ''} {form}".strip()


def price_index(prices) -> dict:
    """``{(element symbols, form): the latest-dated price}``; the first listed wins a tie."""
    best: dict = {}
    for entry in prices:
        key = (frozenset(element_symbols(entry.element)), entry.form.strip().lower())
        if key not in best or entry.date > best[key].date:
            best[key] = entry
    return best


def price_for(kind: _Part1Kind, prices: dict) -> PriceEntry | None:
    """The reference price of a Part 1 kind: an alloy by its composition, else by its rare earths."""
    keys = [(kind.constituents, kind.form)] if kind.constituents else []
    keys.append((kind.rare_earths, kind.form))
    return next((prices[key] for key in keys if key in prices), None)
