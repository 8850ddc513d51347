"""Suggested Annex 1 status of parts from their descriptions and HS codes (core layer).

A small keyword matcher: a part whose description names a listed rare-earth metal, alloy or
oxide is suggested ``part1``; a rare-earth permanent magnet or target ``part2``; a part with no
rare-earth word ``none``; anything in between ``review``. A suggestion never changes a
determination by itself: only the user's ``annex1`` column, or ``--accept high``, does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .errors import BomError

SUGGESTIONS = ("part1", "part2", "none", "review")
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class PartText:
    """What is known of a part to classify it by."""

    part_id: str
    description: str = ""
    hs_code: str = ""
    annex1: str | None = None
    is_assembly: bool = False


@dataclass(frozen=True)
class Suggestion:
    """A suggested Annex 1 status: ``suggestion`` part1|part2|none|review, ``confidence``
    high|medium|low, and the ``reasons`` in words."""

    part_id: str
    suggestion: str
    confidence: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The words that point at Annex 1 Part 1 and Part 2 items."""

    elements: tuple[str, ...]
    part1_forms: tuple[str, ...]
    part2_words: tuple[str, ...]
    rare_earth_words: tuple[str, ...]


_DEFAULT = Vocabulary(
    elements=("samarium", "dysprosium", "gadolinium", "terbium", "lutetium", "scandium", "yttrium"),
    part1_forms=("metal", "oxide", "alloy", "iron", "cobalt"),
    part2_words=("ndfeb", "nd-fe-b", "neodymium magnet", "smco", "samarium cobalt magnet", "rare earth magnet",
                 "rare-earth magnet", "sputtering target"),
    rare_earth_words=("rare earth", "rare-earth", "neodymium", "praseodymium", "magnet", "target"),
)


def vocabulary_of(rule_pack) -> Vocabulary:
    """The classification vocabulary of ``rule_pack`` (this matcher uses its built-in words)."""
    if rule_pack is None:
        raise BomError("the rule pack has no classification vocabulary")
    return _DEFAULT


def _words(text: str) -> str:
    return " " + re.sub(r"\s+", " ", text.lower()) + " "


def _suggest(part: PartText, vocabulary: Vocabulary, part2_scope: str) -> Suggestion:
    text = _words(part.description)
    element = next((e for e in vocabulary.elements if e in text), None)
    form = next((f for f in vocabulary.part1_forms if f in text), None)
    magnet = next((w for w in vocabulary.part2_words if w in text), None)
    if magnet:
        return Suggestion(part.part_id, "part2", "high", (f"description names '{magnet}' (Annex 1 Part 2)",))
    if element and form and not part.is_assembly:
        return Suggestion(part.part_id, "part1", "high", (f"description names {element} {form} (Annex 1 Part 1)",))
    if element or any(w in text for w in vocabulary.rare_earth_words):
        return Suggestion(part.part_id, "review", "low", ("description has a rare-earth word; check it",))
    return Suggestion(part.part_id, "none", "medium", ("no rare-earth word in the description",))


def classify_parts(parts: Iterable[PartText], vocabulary, part2_scope: str = "materials") -> list[Suggestion]:
    """One :class:`Suggestion` per part, in the order given."""
    return [_suggest(part, vocabulary, part2_scope) for part in parts]
