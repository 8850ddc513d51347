"""The licensing policy of Announcement No. 61, Clauses 2-4, as rule-pack data (core layer).

A rule pack's ``[licensing]`` section says, for ``bomcalc screen`` and ``bomcalc notice``:

* ``outcomes``: the screening outcomes (denied in principle, case by case, humanitarian
  exemption, ...) with their rank (1 = most restrictive), label and meaning;
* ``policies``: which end use, end-user type or listed party leads to which outcome, with the
  words that name the end use or type, and for the chip policies an exact line
  (``node_nm`` at most 14, ``layers`` at least 256);
* ``ownership``: who counts as a listed party (owned 50% or more by listed parties);
* ``humanitarian_report``: how the report deadline is counted (the number of working days is
  the pack's ``[humanitarian_exemption]``);
* ``notice``: the statements of the Compliance Notification Letter obligation.

:func:`licensing_from_dict` builds a :class:`Licensing` from the parsed TOML document; reading
the file is :mod:`bomcalc.io.licensing_pack`. Every entry keeps its ``source`` and ``basis``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .errors import RulePackError

#: The fields of a shipment a policy can look at; ``party`` means the listed-party screening.
POLICY_FIELDS = ("end_use", "end_user_type", "party")
#: The outcomes :mod:`bomcalc.core.screening` gives without a policy; a pack must define them.
REQUIRED_OUTCOMES = ("denied_in_principle", "indeterminate", "licence_application", "not_in_force",
                     "no_licence_needed", "humanitarian_exemption", "case_by_case")


def text_key(text) -> str:
    """Text reduced for matching names and words: NFKC, case folded, punctuation as one space.

    ``"ACME  Ltd."`` and ``"acme ltd"`` are one key; letters of every script are kept.
    """
    folded = unicodedata.normalize("NFKC", str(text if text is not None else "")).casefold()
    return " ".join(re.sub(r"[^\w&]+", " ", folded).split())


@dataclass(frozen=True)
class Outcome:
    """One screening outcome: ``rank`` 1 is the most restrictive."""

    id: str
    rank: int
    label: str
    meaning: str
    source: str
    basis: str


@dataclass(frozen=True)
class Line:
    """An exact line a policy draws on a figure of the shipment: ``column`` at most / at least ``value``."""

    column: str
    value: Decimal
    at_most: bool

    def holds(self, figure: Decimal) -> bool:
        """Whether ``figure`` is on the caught side of the line (the line itself is caught)."""
        return figure <= self.value if self.at_most else figure >= self.value

    def words(self) -> str:
        return f"{self.column} {'at most' if self.at_most else 'at least'} {self.value}"


@dataclass(frozen=True)
class Policy:
    """One sentence of Clauses 2-4: a field value (or a listed party) leading to an outcome."""

    id: str
    outcome: str
    field: str
    title: str
    values: tuple  # the words that name it, as keys (:func:`text_key`), in the pack's order
    source: str
    basis: str
    line: Line | None = None


@dataclass(frozen=True)
class Ownership:
    """Who counts as listed by ownership: ``threshold`` [share, 0-1] or more held by listed parties."""

    threshold: Decimal
    inclusive: bool
    aggregate: bool
    lists: dict
    source: str
    basis: str
    aggregate_basis: str

    def reaches(self, share: Decimal) -> bool:
        """Whether ``share`` [0-1] held by listed parties makes a party listed (exact)."""
        return share >= self.threshold if self.inclusive else share > self.threshold

    def list_of(self, text) -> str | None:
        """``"control"`` or ``"watch"`` for a list name as a party file writes it, else ``None``."""
        key = text_key(text)
        return next((name for name, words in self.lists.items() if key in words), None)


@dataclass(frozen=True)
class Licensing:
    """The ``[licensing]`` section of a rule pack."""

    outcomes: dict
    policies: tuple
    ownership: Ownership
    ordinary: dict
    report_days: int | None
    report_counting: str
    report_calendar: str
    notice: dict
    clause: str
    source: str
    origin: str = ""
    report_to: str = "the licensing authority"  # whom the humanitarian report goes to
    sources: dict = field(default_factory=dict)

    def outcome(self, outcome_id: str) -> Outcome:
        return self.outcomes[outcome_id]

    def policies_for(self, field_name: str, value) -> tuple[Policy, ...]:
        """The policies whose words name ``value`` of ``field_name`` (after :func:`text_key`)."""
        key = text_key(value)
        return tuple(p for p in self.policies if p.field == field_name and key in p.values)

    def is_ordinary(self, field_name: str, value) -> bool:
        """Whether ``value`` is one no policy names (an ordinary civil end use or end user)."""
        return text_key(value) in self.ordinary.get(field_name, frozenset())

    def known_words(self, field_name: str) -> list[str]:
        """The words recognised for ``field_name``, for messages (a few of each policy, then the ordinary ones)."""
        words = [p.values[0] for p in self.policies if p.field == field_name and p.values]
        return words + sorted(self.ordinary.get(field_name, ()))[:4]


def _decimal(value, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise RulePackError(f"{where}: '{value}' is not a number") from None
    if not number.is_finite():
        raise RulePackError(f"{where}: '{value}' is not a number")
    return number


def _outcomes(entries, origin: str) -> dict:
    outcomes = {}
    for entry in entries:
        try:
            outcome = Outcome(entry["id"], int(entry["rank"]), entry["label"], entry.get("meaning", ""),
                              entry.get("source", ""), entry.get("basis", ""))
        except (KeyError, TypeError, ValueError) as exc:
            raise RulePackError(f"{origin}: a [[licensing.outcomes]] entry lacks id, rank or label ({exc})") from None
        outcomes[outcome.id] = outcome
    missing = [name for name in REQUIRED_OUTCOMES if name not in outcomes]
    if missing:
        raise RulePackError(f"{origin}: [[licensing.outcomes]] lacks {', '.join(missing)}")
    return outcomes


def _line(entry: dict, where: str) -> Line | None:
    given = entry.get("line")
    if given is None:
        return None
    if "column" not in given or ("at_most" in given) == ("at_least" in given):
        raise RulePackError(f"{where}: line needs a column and one of at_most, at_least")
    at_most = "at_most" in given
    return Line(given["column"], _decimal(given["at_most" if at_most else "at_least"], where), at_most)


def _policies(entries, outcomes: dict, origin: str) -> tuple[Policy, ...]:
    policies = []
    for number, entry in enumerate(entries, start=1):
        where = f"{origin}: [[licensing.policies]] entry {number} ({entry.get('id', 'no id')})"
        if entry.get("outcome") not in outcomes:
            raise RulePackError(f"{where}: outcome '{entry.get('outcome')}' is not one of {', '.join(outcomes)}")
        if entry.get("field") not in POLICY_FIELDS:
            raise RulePackError(f"{where}: field '{entry.get('field')}' is not one of {', '.join(POLICY_FIELDS)}")
        if "id" not in entry or "title" not in entry:
            raise RulePackError(f"{where}: needs an id and a title")
        policies.append(Policy(entry["id"], entry["outcome"], entry["field"], entry["title"],
                               tuple(dict.fromkeys(text_key(word) for word in entry.get("values", ()))),
                               entry.get("source", ""), entry.get("basis", ""), _line(entry, where)))
    return tuple(policies)


def _ownership(entry: dict, origin: str) -> Ownership:
    where = f"{origin}: [licensing.ownership]"
    lists = {name: frozenset(text_key(word) for word in words) for name, words in entry.get("lists", {}).items()}
    if not lists:
        raise RulePackError(f"{where}: lists (control = [...], watch = [...]) is missing")
    threshold = _decimal(entry.get("threshold", ""), where)
    if not 0 < threshold <= 1:
        raise RulePackError(f"{where}: threshold must be a share between 0 and 1, found {threshold}")
    return Ownership(threshold, bool(entry.get("inclusive", True)), bool(entry.get("aggregate", True)), lists,
                     entry.get("source", ""), entry.get("basis", ""), entry.get("aggregate_basis", ""))


def licensing_from_dict(data: dict, origin: str = "") -> Licensing:
    """The :class:`Licensing` of a parsed rule-pack document; :class:`RulePackError` when the
    pack has no ``[licensing]`` section or it is malformed."""
    section = data.get("licensing")
    if not isinstance(section, dict):
        raise RulePackError(f"{origin}: the rule pack has no [licensing] section (Clauses 2-4); "
                            "screen and notice need one (see the default pack: bomcalc rules show)")
    outcomes = _outcomes(section.get("outcomes", ()), origin)
    report = section.get("humanitarian_report", {})
    days = data.get("humanitarian_exemption", {}).get("report_within_working_days")
    sources = {entry.get("id"): entry.get("short") or entry.get("title", "") for entry in data.get("sources", ())}
    return Licensing(
        outcomes=outcomes,
        policies=_policies(section.get("policies", ()), outcomes, origin),
        ownership=_ownership(section.get("ownership", {}), origin),
        ordinary={"end_use": frozenset(text_key(w) for w in section.get("ordinary_end_uses", ())),
                  "end_user_type": frozenset(text_key(w) for w in section.get("ordinary_end_user_types", ()))},
        report_days=int(days) if days is not None else None,
        report_counting=report.get("counting", ""),
        report_calendar=report.get("calendar", ""),
        report_to=report.get("report_to", "the licensing authority"),
        notice=dict(section.get("notice", {})),
        clause=section.get("clause", ""),
        source=section.get("source", ""),
        origin=origin,
        sources=sources,
    )
