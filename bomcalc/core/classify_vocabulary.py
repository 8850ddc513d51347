"""The Annex 1 classification vocabulary and its matching machinery (core layer).

Which words, grades and codes point to Annex 1 Part 1, Part 2, a review or a negative is legal
knowledge, so it is data: the rule pack's ``[classification]`` section, each entry citing a source
id of the pack and a basis (``text``, ``report`` or ``open``). This module holds only the
machinery: it normalises text (NFKC, case, Latin accents, punctuation), finds the pack's words,
patterns and codes in it (longest match first, a match negated by a word such as "free" or "无"
dropped) and combines word groups by the pack's rules. :mod:`bomcalc.core.classify` decides.

Entry shape (``[[classification.terms]]``, ``[[classification.patterns]]``,
``[[classification.codes]]``, ``[[classification.rules]]``): ``id``; ``suggests`` one of
``part1``, ``part2``, ``review``, ``none`` (or absent: the entry only feeds rules through its
``groups``); ``confidence``; ``label`` (what the match means, for reasons); ``item`` (an Annex 1
item id); ``groups``; ``anywhere`` (a grade counts even in a purpose phrase); ``blocks`` (classes
a match sets aside, e.g. ferrite sets aside a magnet's ``part2``); ``source`` and ``basis``.
Terms list ``words``, patterns a ``pattern`` (a regular expression over normalised text), codes
``codes`` (digits, matched as a prefix of the part's code; ``in_text = false`` keeps a short
prefix from matching numbers in a description), rules ``when`` (groups that must all be present).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .errors import RulePackError

CLASSES = ("part1", "part2", "review", "none")
CONFIDENCES = ("high", "medium", "low")
BASES = ("text", "report", "open")

_LATIN = re.compile(r"[a-z0-9]")
#: A customs-code-like run in normalised text: 8 to 10 digits, dots or spaces between pairs.
_CODE_IN_TEXT = re.compile(r"(?<![0-9a-z.])(\d{4}(?:[.\s]?\d{2}){2,3})(?![0-9a-z]|\.\d)")


def normalise(text: str) -> str:
    """Text as the vocabulary is matched: NFKC, case-folded, Latin accents and punctuation removed.

    Full-width letters, subscripts (``Dy₂O₃``) and half-width katakana become their plain forms;
    ``é`` becomes ``e`` (Japanese and Korean marks are kept); every character other than a letter,
    a digit, ``%``, ``.``, ``:`` or ``+`` becomes a space, and runs of spaces one space.
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not "\u0300" <= c <= "\u036f")
    text = unicodedata.normalize("NFC", text)
    text = "".join(c if c.isalnum() or c in "%.:+" else " " for c in text)
    return " ".join(text.split())


def digits_of(code: str) -> str:
    """The digits of a code as written (``"2805.30.12 00"`` -> ``"2805301200"``)."""
    return "".join(c for c in unicodedata.normalize("NFKC", str(code)) if c.isdigit())


def codes_in_text(normalised: str) -> list[str]:
    """The customs-code-like digit runs (8 to 10 digits) in normalised text, as digits."""
    return [digits_of(m.group(1)) for m in _CODE_IN_TEXT.finditer(normalised)]


@functools.lru_cache(maxsize=None)
def _word_regex(word: str) -> re.Pattern:
    tokens = normalise(word).split(" ")
    body = r"\s*".join(re.escape(token) for token in tokens)
    start = r"(?<![a-z0-9])" if _LATIN.match(tokens[0][0]) else ""
    end = r"(?![a-z0-9])" if _LATIN.match(tokens[-1][-1]) else ""
    return re.compile(start + body + end)


class WordPattern:
    """The regular expression of one term's word, compiled the first time it is searched: a pack's
    vocabulary holds hundreds of words, and most runs of bomcalc never classify a part. A word is
    escaped token by token, so its expression always compiles."""

    __slots__ = ("word",)

    def __init__(self, word: str):
        self.word = word

    def __getattr__(self, name):  # finditer, search, pattern, ...: the compiled expression's
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_word_regex(self.word), name)

    def __eq__(self, other):
        return isinstance(other, WordPattern) and other.word == self.word

    def __hash__(self):
        return hash(self.word)

    def __repr__(self):
        return f"WordPattern({self.word!r})"


@dataclass(frozen=True)
class Entry:
    """One term, pattern, code list or rule of the vocabulary."""

    id: str
    kind: str  # "term", "pattern", "code", "rule"
    suggests: str | None
    confidence: str
    label: str
    source: str
    basis: str
    item: str = ""
    groups: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    regexes: tuple[tuple[str, re.Pattern | WordPattern], ...] = ()
    codes: tuple[str, ...] = ()
    in_text: bool = True
    anywhere: bool = False


@dataclass(frozen=True)
class Match:
    """An entry found in a text: where (``start``, ``end`` in the normalised text) and what."""

    entry: Entry
    found: str
    start: int = -1
    end: int = -1

    def reason(self) -> str:
        """One line naming what matched, what it means, and the entry's source and basis."""
        e = self.entry
        item = f" [{e.item}]" if e.item else ""
        return f"{self.what()}{item}: {e.label}; source {e.source} ({e.basis})"

    def what(self) -> str:
        """The kind, the text found and the entry id: ``term "dy metal" (dy-metal)``."""
        found = self.found if self.entry.kind == "rule" else f'"{self.found}"'
        return f"{self.entry.kind} {found} ({self.entry.id})"


@dataclass(frozen=True)
class Vocabulary:
    """The classification vocabulary of a rule pack: terms, patterns, codes, rules and cue words.

    Build it with :meth:`from_dict` from the pack's ``[classification]`` table.
    ``negations_before``/``negations_after`` drop a match they touch ("without", "无" / "free",
    "frei"); ``context_after`` words start a purpose or content phrase ("for", "with", "含"),
    ``context_before`` words end one ("用", "付き"): matches there describe what the part is for
    or holds, not the part.
    """

    terms: tuple[Entry, ...]
    patterns: tuple[Entry, ...]
    codes: tuple[Entry, ...]
    rules: tuple[Entry, ...]
    negations_before: tuple[str, ...] = ()
    negations_after: tuple[str, ...] = ()
    context_after: tuple[str, ...] = ()
    context_before: tuple[str, ...] = ()
    source: str = ""

    @classmethod
    def from_dict(cls, data: dict, source_ids=None, where: str = "rule pack") -> "Vocabulary":
        """Build and check the vocabulary from a parsed ``[classification]`` table.

        ``source_ids``, when given, are the pack's source ids every entry must cite. Raises
        :class:`~bomcalc.core.errors.RulePackError` naming the first bad entry.
        """
        where = f"{where}: [classification]"
        if not isinstance(data, dict):
            raise RulePackError(f"{where} must be a table")
        default_source = str(data.get("source", ""))
        default_basis = str(data.get("basis", ""))
        known = set(source_ids) if source_ids is not None else None

        def entry(raw, kind, number):
            here = f"{where} {kind} {number} ({raw.get('id', '?')})" if isinstance(raw, dict) else f"{where} {kind} {number}"
            if not isinstance(raw, dict) or "id" not in raw:
                raise RulePackError(f"{here}: needs an id")
            suggests = raw.get("suggests")
            if suggests is not None and suggests not in CLASSES:
                raise RulePackError(f"{here}: suggests '{suggests}'; use one of {', '.join(CLASSES)}")
            confidence = raw.get("confidence", "high")
            if confidence not in CONFIDENCES:
                raise RulePackError(f"{here}: confidence '{confidence}'; use one of {', '.join(CONFIDENCES)}")
            source, basis = str(raw.get("source", default_source)), str(raw.get("basis", default_basis))
            if not source or (known is not None and source not in known):
                raise RulePackError(f"{here}: source '{source}' is not one of the pack's [[sources]]")
            if basis not in BASES:
                raise RulePackError(f"{here}: basis '{basis}'; use one of {', '.join(BASES)}")
            blocks = tuple(raw.get("blocks", ()))
            if set(blocks) - set(CLASSES):
                raise RulePackError(f"{here}: blocks {blocks}; use classes among {', '.join(CLASSES)}")
            groups = tuple(raw.get("groups", ()))
            if suggests is None and not groups:
                raise RulePackError(f"{here}: has neither 'suggests' nor 'groups', so it can never count")
            fields = dict(id=str(raw["id"]), kind=kind, suggests=suggests, confidence=confidence,
                          label=str(raw.get("label", raw["id"])), source=source, basis=basis,
                          item=str(raw.get("item", "")), groups=groups, blocks=blocks,
                          anywhere=bool(raw.get("anywhere", False)))
            try:
                if kind == "term":
                    words = [str(w) for w in raw["words"]]
                    fields["regexes"] = tuple((w, WordPattern(w)) for w in words if normalise(w))
                elif kind == "pattern":
                    fields["regexes"] = ((str(raw["pattern"]), re.compile(str(raw["pattern"]))),)
                elif kind == "code":
                    fields["codes"] = tuple(digits_of(c) for c in raw["codes"])
                    fields["in_text"] = bool(raw.get("in_text", True))
                    if not all(fields["codes"]):
                        raise RulePackError(f"{here}: every code needs digits")
                else:
                    fields["when"] = tuple(raw["when"])
            except KeyError as exc:
                raise RulePackError(f"{here}: missing entry {exc}") from None
            except re.error as exc:
                raise RulePackError(f"{here}: pattern is not a regular expression ({exc})") from None
            return Entry(**fields)

        def entries(key, kind):
            return tuple(entry(raw, kind, n) for n, raw in enumerate(data.get(key, ()), start=1))

        vocabulary = cls(
            terms=entries("terms", "term"),
            patterns=entries("patterns", "pattern"),
            codes=entries("codes", "code"),
            rules=entries("rules", "rule"),
            negations_before=tuple(normalise(w) for w in data.get("negations_before", ())),
            negations_after=tuple(normalise(w) for w in data.get("negations_after", ())),
            context_after=tuple(normalise(w) for w in data.get("context_after", ())),
            context_before=tuple(normalise(w) for w in data.get("context_before", ())),
            source=default_source,
        )
        groups = {g for e in vocabulary.terms + vocabulary.patterns + vocabulary.codes for g in e.groups}
        for rule in vocabulary.rules:
            missing = set(rule.when) - groups
            if missing or not rule.when:
                raise RulePackError(f"{where} rule {rule.id}: 'when' names unknown group(s) {', '.join(sorted(missing)) or '(none)'}")
        if not vocabulary.terms:
            raise RulePackError(f"{where}: no terms")
        return vocabulary

    # --- matching ---------------------------------------------------------------------------

    def find(self, normalised: str) -> tuple[list[Match], list[str]]:
        """Terms and patterns found in ``normalised`` text, longest first, without overlaps.

        Returns the kept matches (in text order) and one note per match a negation word dropped.
        """
        found = []
        for entry in self.terms + self.patterns:
            for word, regex in entry.regexes:
                for m in regex.finditer(normalised):
                    if m.end() > m.start():
                        found.append(Match(entry, m.group(0) if entry.kind == "pattern" else word, m.start(), m.end()))
        found.sort(key=lambda m: (m.start - m.end, m.start))
        taken: list[Match] = []
        notes = []
        for match in found:
            if any(match.start < other.end and other.start < match.end for other in taken):
                continue
            negation = self._negation(normalised, match)
            if negation:
                notes.append(f'"{match.found}" ({match.entry.id}) set aside: negated by "{negation}"')
                taken.append(Match(match.entry, "", match.start, match.end))  # holds its place, counts for nothing
                continue
            taken.append(match)
        kept = sorted((m for m in taken if m.found), key=lambda m: m.start)
        return kept, notes

    def _negation(self, text: str, match: Match) -> str | None:
        before, after = text[: match.start].rstrip(), text[match.end:].lstrip()
        for word in self.negations_before:
            if before.endswith(word) and (not _LATIN.match(word[0]) or not _LATIN.match(before[-len(word) - 1: -len(word)] or " ")):
                return word
        for word in self.negations_after:
            if after.startswith(word) and (not _LATIN.match(word[-1]) or not _LATIN.match(after[len(word): len(word) + 1] or " ")):
                return word
        return None

    def head_span(self, text: str) -> tuple[int, int]:
        """The part of ``text`` that names the part itself, outside purpose or content phrases.

        The head starts after the last ``context_before`` cue and ends at the first
        ``context_after`` cue after that start (a cue at the very start of the text is ignored, and
        a ``context_before`` cue inside a ``context_after`` one, "用" of "用于", is not one).
        """
        after = [m.span() for word in self.context_after for m in _word_regex(word).finditer(text)]
        start = 0
        for word in self.context_before:
            for m in _word_regex(word).finditer(text):
                inside_after_cue = any(a < m.end() and m.start() < b for a, b in after)  # "用" of "用于"
                if 0 < m.start() and m.end() < len(text) and not inside_after_cue:
                    start = max(start, m.end())
        end = min((a for a, _ in after if a > start), default=len(text))
        return start, end

    def code_matches(self, digits: str, short_prefixes: bool) -> list[Match]:
        """The code entry whose code is the longest prefix of ``digits`` (none when no code fits).

        ``short_prefixes`` is False for numbers found inside a description: entries with
        ``in_text = false`` (a 6-digit heading) are then skipped.
        """
        best: tuple[int, Entry, str] | None = None
        for entry in self.codes:
            if not short_prefixes and not entry.in_text:
                continue
            for code in entry.codes:
                if digits.startswith(code) and (best is None or len(code) > best[0]):
                    best = (len(code), entry, code)
        return [Match(best[1], digits)] if best else []

    def fired_rules(self, matches: list[Match]) -> list[Match]:
        """The rules whose ``when`` groups are all present among ``matches``."""
        groups: dict[str, list[str]] = {}
        for match in matches:
            for group in match.entry.groups:
                groups.setdefault(group, []).append(match.found)
        fired = []
        for rule in self.rules:
            if all(group in groups for group in rule.when):
                found = " + ".join(f'"{groups[group][0]}"' for group in rule.when)
                fired.append(Match(rule, found))
        return fired
