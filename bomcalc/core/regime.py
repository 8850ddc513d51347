"""What a rule pack counts, whom it assesses, what it calls the outcomes (core layer).

The roll-up and the determination (:mod:`bomcalc.core.rollup`, :mod:`bomcalc.core.determine`)
work on two roles: *content* parts, whose value counts in the numerator when their origin is
the pack's content origin, and *assessed* items, which take the de minimis test. A
:class:`Regime` is the pack data that says which parts take which role, and its
:func:`project` gives a BOM whose ``annex1`` column holds the roles (``"part1"`` content,
``"part2"`` assessed) and whose ``content_origin`` is the pack's, so one engine serves every
pack. A pack whose content is read from the ``annex1`` column itself and whose assessed items
are those listed ``part2`` leaves the BOM as it is.

Content from a flag column (e.g. ``us_controlled``): ``True`` counts, ``False`` does not,
``None`` is unknown and computed both ways, exactly as an unknown Annex 1 status. Supplier
declarations state Annex 1 Part 1 content, so such a pack does not use them (a warning per part).
Assessed ``made_abroad_with_components``: every part with BOM lines whose own origin is not the
content origin; a part of unknown origin is assessed (fail closed) and its result stays open on
the origin limb.

:class:`Outcomes` holds the pack's labels for the three meanings :data:`MEANINGS`; statuses in
every table are the pack's labels, and code that acts on a status asks for its meaning.
Thresholds by destination (:class:`DestinationThresholds`) pick the pack's threshold for a
country; with no destination the strictest one applies and the result says so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pandas as pd

from .errors import WARNING, BomError, DataIssue, RulePackError

#: The three meanings of a status, in report order: a reason holds; none holds but one could; none can.
MEANINGS = ("required", "indeterminate", "not_required")
ASSESSED_RULES = ("listed", "made_abroad_with_components")


#: The report order of every status label of the packs loaded so far (label -> 0, 1, 2 as :data:`MEANINGS`).
STATUS_ORDER: dict[str, int] = {}


@dataclass(frozen=True)
class Outcomes:
    """The pack's label and words for each of :data:`MEANINGS` (``labels[meaning]``, ``words[meaning]``)."""

    labels: dict
    words: dict

    def __post_init__(self):
        STATUS_ORDER.update(self.order())

    def label(self, meaning: str) -> str:
        """The pack's status label for ``meaning``."""
        return self.labels[meaning]

    def meaning(self, label: str) -> str:
        """The meaning of the pack's status ``label`` (one of :data:`MEANINGS`)."""
        for meaning, given in self.labels.items():
            if given == label:
                return meaning
        raise KeyError(label)

    def order(self) -> dict[str, int]:
        """Sort order of the labels: required first."""
        return {self.labels[m]: i for i, m in enumerate(MEANINGS)}

    def words_of(self, label: str) -> str:
        """The pack's wording of a status label, for sentences and tables."""
        return self.words[self.meaning(label)]


def status_meaning(status) -> str | None:
    """The meaning of a status label of any pack loaded so far (a meaning is its own); ``None`` for other text."""
    if status in STATUS_ORDER:
        return MEANINGS[STATUS_ORDER[status]]
    return status if status in MEANINGS else None


@dataclass(frozen=True)
class DestinationThresholds:
    """Thresholds by country group of the destination, and the groups' members (ISO alpha-2)."""

    by_group: tuple[tuple[tuple[str, ...], Decimal], ...]  # ((groups, threshold), ...)
    groups: dict  # group -> frozenset of country codes
    source: str = ""

    def for_country(self, country: str, default: Decimal) -> tuple[Decimal, str]:
        """The threshold for a destination ``country`` and a sentence saying why."""
        for names, threshold in self.by_group:
            hit = [g for g in names if country in self.groups.get(g, ())]
            if hit:
                return threshold, f"destination {country} is in Country Group {', '.join(hit)}: threshold {threshold}"
        return default, f"destination {country} is in none of {', '.join(g for n, _ in self.by_group for g in n)}: threshold {default}"


@dataclass(frozen=True)
class Regime:
    """Which parts count as content, which items are assessed, the outcome labels (see the module docstring)."""

    content_origin: str
    content_column: str  # "annex1" (content = listed part1) or a flag column such as "us_controlled"
    assessed: str  # one of ASSESSED_RULES
    limb_roles: dict  # role ("origin", "technology", "de_minimis") -> limb id or ""
    outcomes: Outcomes
    content_words: str = ""  # what the numerator is, in words
    item_words: str = "assessed item"  # what an assessed item is called in reports
    content_short: str = ""  # the numerator's short name ("China-origin Part 1"), for sentences
    test_words: str = ""  # the de minimis test's name and clause, for the explanation
    destinations: DestinationThresholds | None = None
    destination: str | None = None
    threshold_note: str = ""
    base_threshold: Decimal | None = None  # the pack's own threshold, before a destination chose one

    @property
    def projects(self) -> bool:
        """Whether :func:`project` changes a BOM."""
        return self.content_column != "annex1" or self.assessed != "listed"


def _outcomes(data: dict, where: str) -> Outcomes:
    labels, words = {}, {}
    for meaning in MEANINGS:
        entry = data[meaning]
        labels[meaning], words[meaning] = str(entry["label"]), str(entry.get("words", entry["label"]))
    if len(set(labels.values())) != len(MEANINGS):
        raise RulePackError(f"{where}: [outcomes] labels must differ, found {', '.join(labels.values())}")
    return Outcomes(labels, words)


def _destinations(minimis: dict, groups: dict, where: str) -> DestinationThresholds | None:
    entries = minimis.get("by_destination", [])
    if not entries:
        return None
    by_group = []
    for entry in entries:
        names = tuple(entry["groups"])
        unknown = [g for g in names if g not in groups]
        if unknown:
            raise RulePackError(f"{where}: by_destination names country group(s) {', '.join(unknown)} not in [country_groups]")
        by_group.append((names, Decimal(str(entry["threshold"]))))
    members = {name: frozenset(str(c).upper() for c in group["countries"]) for name, group in groups.items()}
    return DestinationThresholds(tuple(by_group), members, str(minimis.get("by_destination_source", "")))


def regime_from_dict(data: dict, where: str) -> Regime:
    """The :class:`Regime` of a parsed rule pack (sections ``[content]``, ``[assessed]``,
    ``[limb_roles]``, ``[outcomes]``, optional ``[[de_minimis.by_destination]]`` and ``[country_groups]``)."""
    try:
        content, assessed = data["content"], data["assessed"]
        rule = str(assessed["rule"])
        if rule not in ASSESSED_RULES:
            raise RulePackError(f"{where}: [assessed] rule '{rule}'; use one of {', '.join(ASSESSED_RULES)}")
        roles = {role: str(data["limb_roles"].get(role, "")) for role in ("origin", "technology", "de_minimis")}
        return Regime(
            content_origin=str(content["origin"]).upper(),
            content_column=str(content.get("column", "annex1")),
            assessed=rule,
            limb_roles=roles,
            outcomes=_outcomes(data["outcomes"], where),
            content_words=str(content.get("words", "")),
            item_words=str(assessed.get("words", "assessed item")),
            content_short=str(content.get("short", content.get("words", ""))),
            test_words=str(data["de_minimis"].get("test_words", "")),
            destinations=_destinations(data["de_minimis"], data.get("country_groups", {}), where),
        )
    except KeyError as exc:
        raise RulePackError(f"{where}: missing entry {exc}") from None
    except (InvalidOperation, TypeError) as exc:
        raise RulePackError(f"{where}: bad value ({exc})") from None


def for_destination(pack, destination: str | None):
    """``pack`` with the threshold that applies to exports to ``destination`` (ISO alpha-2 or ``None``).

    A pack without thresholds by destination is returned as it is, and so is a pack already set
    for a destination when ``destination`` is ``None``. Otherwise, without a destination the
    strictest (lowest) threshold applies, fail closed, and :attr:`Regime.threshold_note` says so.
    """
    regime = pack.regime
    table = regime.destinations
    if table is None or (destination is None and regime.threshold_note):
        return pack  # no thresholds by destination, or already set for one and no other given
    base = regime.base_threshold if regime.base_threshold is not None else pack.threshold
    if destination is None:
        threshold = min([base] + [t for _, t in table.by_group])
        note = (f"no --destination given: the strictest threshold {threshold} applies (fail closed); "
                f"give the destination country to apply its own threshold")
    else:
        country = destination.strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise BomError(f"destination '{destination}' is not an ISO 3166 alpha-2 country code (e.g. DE, CN)")
        threshold, note = table.for_country(country, base)
        destination = country
    regime = dataclasses.replace(regime, destination=destination, threshold_note=note, base_threshold=base)
    return dataclasses.replace(pack, threshold=threshold, regime=regime)


def _has_lines(bom) -> set:
    return set(bom.lines["parent"]) if len(bom.lines) else set()


def project(bom, regime: Regime):
    """``bom`` with its ``annex1`` column holding the roles of ``regime`` (see the module docstring).

    A new BOM; the given one is not changed. Identity when :attr:`Regime.projects` is False.
    """
    if not regime.projects:
        return bom if bom.content_origin == regime.content_origin else bom.with_changes(
            content_origin=regime.content_origin)
    parts = bom.parts.copy()
    parents = _has_lines(bom)
    flags = parts[regime.content_column] if regime.content_column in parts else [None] * len(parts)
    roles, known, assessed_open = [], [], []
    children = set(bom.lines["child"]) if len(bom.lines) else set()
    for part_id, origin, flag, listed, listed_known in zip(parts.index, parts["origin"], flags, parts["annex1"],
                                                           parts.get("annex1_known", [True] * len(parts))):
        if regime.assessed == "listed":
            assessed = listed == "part2"
        else:
            assessed = part_id in parents and origin != regime.content_origin
        if regime.content_column == "annex1":
            content, content_known = listed == "part1", bool(listed_known)
        else:
            # a flag matters only where the origin may be the content origin
            content, content_known = flag is True, flag is not None or origin not in (None, regime.content_origin)
        if assessed and origin is None and flag is not False and part_id in children and regime.content_column != "annex1":
            # of unknown origin inside another item: assessed, and possibly content of the items containing it
            assessed_open.append(part_id)
            roles.append(None)
            known.append(False)
            continue
        roles.append("part2" if assessed else ("part1" if content else None))
        known.append(True if assessed or content else content_known)
    parts["annex1"] = pd.Series(roles, index=parts.index, dtype=object)
    parts["annex1_known"] = pd.Series(known, index=parts.index, dtype=object)
    declarations, issues = bom.declarations, bom.issues
    if regime.content_column != "annex1" and len(declarations):
        # declarations state Annex 1 Part 1 content, not this pack's: the parts' BOMs count instead
        issues += tuple(DataIssue(WARNING, "declaration_not_used", "the supplier declaration states content this rule "
                                  "pack does not count; the part's own BOM lines count instead", part_id=part_id)
                        for part_id in declarations.index)
        declarations = declarations.iloc[0:0]
    return bom.with_changes(parts=parts, declarations=declarations, issues=issues,
                            content_origin=regime.content_origin, status_column=regime.content_column,
                            assessed_open=tuple(assessed_open))
