"""Annex 1 classification suggestions from a part's description and codes (core layer).

A BOM often lacks the ``annex1`` column, or has it only for some parts. :func:`classify_parts`
suggests, for each part, ``part1`` (an Annex 1 Part 1 input: one of the 13 listed metals, alloys
and oxides), ``part2`` (a rare-earth permanent-magnet material or rare-earth target, the items the
0.1% test of Clause 1(1) applies to), ``review`` (could be listed, a person must look) or
``none``, with a confidence and the reasons: each names the word, pattern, code or rule that
matched and the source id it cites. The words are data in the rule pack (``[classification]``,
see :mod:`bomcalc.core.classify_vocabulary`); this module only decides between the matches:

1. a class the user gave (``annex1``) is echoed with confidence ``high`` and the reason
   "given in the data"; when the text points firmly elsewhere a second reason says so;
2. only the head of the description counts as what the part is; words after "for", "with",
   "含"... or before "用" describe its purpose or contents;
3. a match whose entry ``blocks`` classes (ferrite, alnico, magnet wire, non-rare-earth targets)
   sets those classes aside; when what it sets aside is a ``part1`` or ``part2`` match, the
   suggestion is ``review``, never ``none``: a negative word must not hide a listed item;
4. an assembly word (motor, rotor, speaker, sensor...) with a magnet named anywhere gives
   ``review`` under the ``materials`` reading of Part 2 and ``part2`` (medium) under
   ``assemblies``; Part 2's scope is open (REGULATION.md), so a person must look either way;
5. otherwise a ``part1`` or ``part2`` match wins over ``review`` and ``none`` (a negative never
   hides a listed item); between the two, the more confident match wins and ``part2`` wins a
   tie (a magnet or target made with a Part 1 input is the Part 2 item: "SmCo5 magnet", but
   "Sm-Co alloy 1:5 ingot" stays the alloy); the confidence is the best among the winning
   class's matches.

Suggestions never decide a licence: a suggestion becomes a fact only when a person writes it
into the ``annex1`` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .classify_vocabulary import Match, Vocabulary, codes_in_text, digits_of, normalise
from .errors import BomError

__all__ = ["PartText", "Suggestion", "Vocabulary", "classify_parts", "classify_text", "vocabulary_of", "PART2_SCOPES"]

#: The readings of Annex 1 Part 2 (the same names as :data:`bomcalc.core.determine.PART2_SCOPES`).
PART2_SCOPES = ("materials", "assemblies")
#: The vocabulary group whose words name an assembly that may hold a magnet (motor, rotor, ...).
ASSEMBLY_GROUP = "assembly"
GIVEN = "given in the data"
_RANK = {"high": 3, "medium": 2, "low": 1}
_GIVEN_WORDS = {"part1": "part1", "part2": "part2", "none": "none"}


@dataclass(frozen=True)
class PartText:
    """What a BOM says about one part, for classification."""

    part_id: str
    description: str = ""
    hs_code: str = ""  # as written in the file, may hold dots/spaces
    annex1: str | None = None  # as given by the user ("part1"/"part2"/"none"), or None
    is_assembly: bool = False  # has BOM lines below it


@dataclass(frozen=True)
class Suggestion:
    """A suggested Annex 1 class for one part, how sure, and why."""

    part_id: str
    suggestion: str  # "part1" | "part2" | "none" | "review"
    confidence: str  # "high" | "medium" | "low"
    reasons: tuple[str, ...]  # human text, each naming the term/pattern/code that matched and its source id


def vocabulary_of(rule_pack) -> Vocabulary:
    """The classification vocabulary of ``rule_pack``; a :class:`BomError` when it has none."""
    vocabulary = getattr(rule_pack, "vocabulary", None)
    if isinstance(vocabulary, dict):
        return Vocabulary.from_dict(vocabulary, where=getattr(rule_pack, "origin", "") or "rule pack")
    if vocabulary is None:
        name = getattr(rule_pack, "id", "the rule pack")
        origin = getattr(rule_pack, "origin", "")
        where = f" ({origin})" if origin else ""
        raise BomError(
            f"rule pack {name}{where} has no [classification] section, so it cannot suggest Annex 1 classes; "
            f"use the rule pack shipped with bomcalc or add a [classification] section"
        )
    return vocabulary


def classify_parts(parts: Iterable[PartText], vocabulary: Vocabulary, part2_scope: str = "materials") -> list[Suggestion]:
    """One :class:`Suggestion` per part, in the order given (see :func:`classify_text`)."""
    _check_scope(part2_scope)
    return [classify_text(part, vocabulary, part2_scope) for part in parts]


def classify_text(text: PartText, vocabulary: Vocabulary, part2_scope: str = "materials") -> Suggestion:
    """Suggest the Annex 1 class of one part from its description, code and given class.

    ``part2_scope`` is the reading of Annex 1 Part 2: ``materials`` (the magnet and target
    materials only) or ``assemblies`` (also parts and assemblies containing them).
    """
    _check_scope(part2_scope)
    computed, firm = _from_text(text, vocabulary, part2_scope)
    given_raw = "" if text.annex1 is None else str(text.annex1).strip()
    if not given_raw:
        return computed
    given = _GIVEN_WORDS.get(given_raw.lower().replace(" ", "").replace("_", ""))
    if given is None:
        note = f"the given annex1 value '{given_raw}' is not one of part1, part2, none; it was not used"
        return Suggestion(text.part_id, computed.suggestion, computed.confidence, (note,) + computed.reasons)
    reasons = [GIVEN]
    if firm and computed.suggestion != given:
        reasons.append(f"the text suggests {computed.suggestion} ({computed.confidence}) instead: {computed.reasons[0]}")
    return Suggestion(text.part_id, given, "high", tuple(reasons))


def _check_scope(part2_scope: str) -> None:
    if part2_scope not in PART2_SCOPES:
        raise BomError(f"part2 scope must be one of {', '.join(PART2_SCOPES)}, not '{part2_scope}'")


def _best(matches: list[Match]) -> str:
    return max((m.entry.confidence for m in matches), key=_RANK.__getitem__)


def _dedupe(matches: list[Match]) -> list[Match]:
    seen, kept = set(), []
    for match in matches:
        if match.entry.id not in seen:
            seen.add(match.entry.id)
            kept.append(match)
    return kept


def _apply_blocks(matches: list[Match]) -> tuple[list[Match], list[str]]:
    """Matches left after the blocks of the others, and one note per match set aside."""
    blocked = {cls: m for m in matches for cls in m.entry.blocks}
    kept, notes = [], []
    for match in matches:
        blocker = blocked.get(match.entry.suggests) if match.entry.suggests else None
        if blocker is not None and not match.entry.blocks:
            notes.append(f"{match.what()} set aside by {blocker.what()}")
        else:
            kept.append(match)
    return kept, notes


def _matches(text: PartText, vocabulary: Vocabulary) -> tuple[list[Match], list[Match], list[str]]:
    """The head matches (the part itself, with codes and fired rules), the context matches, notes."""
    description = normalise(text.description or "")
    found, notes = vocabulary.find(description)
    start, end = vocabulary.head_span(description)
    head = [m for m in found if start <= m.start < end or m.entry.anywhere]
    context = [m for m in found if not (start <= m.start < end or m.entry.anywhere)]
    hs_code = "" if text.hs_code is None else str(text.hs_code)
    if hs_code.strip():
        head += vocabulary.find(normalise(hs_code))[0]
        if digits_of(hs_code):
            head += vocabulary.code_matches(digits_of(hs_code), short_prefixes=True)
    for digits in codes_in_text(description):
        head += vocabulary.code_matches(digits, short_prefixes=False)
    head = _dedupe(head)
    context = _dedupe(context)
    head += vocabulary.fired_rules(head)
    context += vocabulary.fired_rules(context)
    return head, context, notes


def _from_text(text: PartText, vocabulary: Vocabulary, scope: str) -> tuple[Suggestion, bool]:
    """The suggestion from the text alone, and whether it is firm enough to question a given class."""
    head, context, notes = _matches(text, vocabulary)
    before_blocks = head, context
    head, head_notes = _apply_blocks(head)
    context, context_notes = _apply_blocks(context)
    listed_set_aside = [m for m in before_blocks[0] if m not in head and m.entry.suggests in ("part1", "part2")]
    listed_set_aside_in_context = [m for m in before_blocks[1] if m not in context and m.entry.suggests in ("part1", "part2")]
    notes = notes + head_notes + context_notes
    counted = [m for m in head if m.entry.suggests]
    described = [m for m in context if m.entry.suggests]

    def suggest(cls, confidence, first, matches):
        reasons = [first] if first else []
        reasons += [m.reason() for m in matches]
        reasons += [f"context (what the part is for or holds): {m.reason()}" for m in described if m not in matches]
        reasons += notes
        return Suggestion(text.part_id, cls, confidence, tuple(reasons))

    if any(ASSEMBLY_GROUP in m.entry.groups for m in head):
        assembly = [m for m in head if ASSEMBLY_GROUP in m.entry.groups]
        named = counted + described
        listed = [m for m in named if m.entry.suggests in ("part1", "part2", "review")]
        if any(m.entry.suggests == "part2" for m in named) and scope == "assemblies":
            first = "an assembly naming a rare-earth magnet or target: Part 2 under the 'assemblies' reading (open question)"
            return suggest("part2", "medium", first, assembly + named), False
        if listed or listed_set_aside or listed_set_aside_in_context:
            first = (f"an assembly naming a magnet or listed material; under the '{scope}' reading of Part 2 "
                     f"a person must look")
            return suggest("review", "low", first, assembly + named), False
        if named:
            first = "an assembly whose magnet or target is named as not rare-earth"
            return suggest("none", "medium", first, assembly + named), False
        if scope == "assemblies":
            first = "an assembly that may hold a rare-earth magnet; under the 'assemblies' reading a person must look"
            return suggest("review", "low", first, assembly), False
        first = "an assembly naming no magnet; under the 'materials' reading only magnet and target materials are Part 2"
        return suggest("none", "low", first, assembly), False

    listed = [m for m in counted if m.entry.suggests in ("part1", "part2")]
    if listed_set_aside and not listed:
        first = ("a negative word set aside a Part 1 or Part 2 match: the text names both, a person must look")
        return suggest("review", "low", first, counted + listed_set_aside), False
    if listed:
        best = max(listed, key=lambda m: (_RANK[m.entry.confidence], m.entry.suggests == "part2"))
        order = (best.entry.suggests,)
    else:
        order = ("review", "none")
    for cls in order:
        winners = [m for m in counted if m.entry.suggests == cls]
        if winners:
            others = [m for m in counted if m.entry.suggests != cls]
            first = None
            if cls == "part1" and text.is_assembly:
                first = "has BOM lines below it, unusual for a Part 1 input: check"
            confidence = _best(winners)
            suggestion = suggest(cls, confidence, first, winners + others)
            return suggestion, confidence == "high" and cls in ("part1", "part2", "none")
    if any(m.entry.suggests in ("part1", "part2", "review") for m in described):
        first = "names a listed material only as what the part is for or holds: a person must look"
        return suggest("review", "low", first, []), False
    first = "no word, pattern or code of the classification vocabulary matched"
    if text.is_assembly:
        first += " (an assembly: its own class follows from its components)"
    return suggest("none", "low", first, []), False

