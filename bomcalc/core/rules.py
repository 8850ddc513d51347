"""Rule packs: the legal parameters as data, and which limb is in force on a date (core layer).

A rule pack holds the threshold, the limbs of the rule, the Annex 1 item lists and dated
events, each with its source. :func:`rule_pack_from_dict` turns the parsed TOML document into
a :class:`RulePack`; reading the file is the I/O layer's job (:mod:`bomcalc.io.rulepack`).

"In force on date D": a limb is in force when its latest ``in_force`` event is on or before D,
no later ``repeal`` event is on or before D, and no ``suspend`` event covers D (from its
``date`` through its ``until``, both inclusive). Before a limb's first event there is no rule.

"Reaches the line" (Clause 1(1), the de minimis test): China-origin Part 1 content reaches the
line of an item of value V when it is at least ``threshold x V`` (more than, for a pack whose line
is not inclusive). :func:`line_value` and :func:`reaches_line` are the one definition of that
test, exact in :data:`~bomcalc.core.values.EXACT`; :meth:`RulePack.reaches` applies the pack's own
threshold and inclusiveness. Which limbs an item is judged under, and whether any of them is in
force, is :meth:`RulePack.considered_limbs` and :func:`any_in_force`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .classify_vocabulary import Vocabulary
from .errors import RulePackError
from .overlays import PackRef
from .regime import Regime, regime_from_dict
from .values import EXACT, given_date

ACTIONS = ("in_force", "suspend", "repeal")


@dataclass(frozen=True)
class Source:
    """A legal or documentary source cited by the pack."""

    id: str
    title: str
    url: str = ""
    short: str = ""


@dataclass(frozen=True)
class Limb:
    """One limb of the rule (e.g. Clause 1(1), the de minimis test)."""

    id: str
    clause: str
    title: str
    applies_to: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Event:
    """A dated change to one or more limbs: ``in_force``, ``suspend`` (through ``until``) or ``repeal``."""

    date: dt.date
    action: str
    limbs: tuple[str, ...]
    source: str
    until: dt.date | None = None
    note: str = ""
    recorded_in: str = ""  # the id of the pack that recorded it (an overlay's own events name the overlay)


@dataclass(frozen=True)
class LimbState:
    """Whether a limb is in force on a date, and why, in words for a report."""

    limb: str
    on: dt.date
    in_force: bool
    state: str  # "in_force", "suspended", "not_yet_in_force", "repealed"
    note: str


def line_value(threshold: Decimal, value: Decimal) -> Decimal:
    """The de minimis line of an item: ``threshold x value`` [currency], exact (Clause 1(1))."""
    return EXACT.multiply(threshold, value)


def reaches_line(content: Decimal, line: Decimal, inclusive: bool = True) -> bool:
    """Whether China-origin Part 1 ``content`` [currency] reaches the de minimis ``line`` [currency].

    Announcement No. 61 Clause 1(1): "0.1% or more" is caught, so an inclusive line is reached
    at ``content >= line``; a pack whose line is not inclusive is reached only above it.
    """
    return content >= line if inclusive else content > line


def side_of_line(content: Decimal, line: Decimal) -> str:
    """Where ``content`` [currency] lies against the de minimis ``line``: ``above``, ``on`` or ``below``.

    A description for auditors; whether ``on`` is caught is :func:`reaches_line`'s to say.
    """
    if content > line:
        return "above"
    return "on" if content == line else "below"


def any_in_force(limbs, states: dict[str, LimbState]) -> bool:
    """Whether at least one of ``limbs`` is in force, given the ``states`` of :meth:`RulePack.limb_states`."""
    return any(states[limb].in_force for limb in limbs)


@dataclass(frozen=True)
class RulePack:
    """The legal parameters bomcalc applies, each traceable to a source."""

    id: str
    version: str
    title: str
    threshold: Decimal
    inclusive: bool
    limbs: tuple[Limb, ...]
    events: tuple[Event, ...]
    sources: tuple[Source, ...]
    part1_items: tuple[dict, ...] = ()
    part2_items: tuple[dict, ...] = ()
    humanitarian_report_days: int | None = None
    origin: str = ""
    vocabulary: Vocabulary | None = None  # the [classification] section: Annex 1 suggestion words, or None
    extends: tuple[PackRef, ...] = ()  # an overlay's base packs, nearest first (:mod:`bomcalc.core.overlays`)

    @property
    def label(self) -> str:
        """The pack's id and version, with the packs it is an overlay on, for sentences and footers."""
        bases = "".join(f" (overlay on {base.id} {base.version}" for base in self.extends)
        return f"{self.id} {self.version}{bases}{')' * len(self.extends)}"
    regime: Regime | None = None  # what counts, who is assessed, the outcome labels (:mod:`bomcalc.core.regime`)

    def limb(self, limb_id: str) -> Limb:
        """The limb with this id."""
        for limb in self.limbs:
            if limb.id == limb_id:
                return limb
        raise KeyError(limb_id)

    def line(self, value: Decimal) -> Decimal:
        """The de minimis line of an item of ``value`` [currency]: ``threshold x value``, exact."""
        return line_value(self.threshold, value)

    def reaches(self, content: Decimal, value: Decimal) -> bool:
        """Whether ``content`` [currency] reaches this pack's line for an item of ``value`` (Clause 1(1))."""
        return reaches_line(content, self.line(value), self.inclusive)

    def applicable_limbs(self, annex1: str) -> tuple[str, ...]:
        """The ids of the limbs that apply to an Annex 1 ``annex1`` item (``"part1"`` or ``"part2"``)."""
        return tuple(limb.id for limb in self.limbs if annex1 in limb.applies_to)

    def considered_limbs(self, annex1: str, reasons=(), open_limbs=()) -> tuple[str, ...]:
        """The limbs an item's status rests on: the limbs met, else those left open, else all that apply."""
        return tuple(reasons) or tuple(open_limbs) or self.applicable_limbs(annex1)

    def source(self, source_id: str) -> Source | None:
        """The source with this id, or ``None``."""
        return next((s for s in self.sources if s.id == source_id), None)

    @property
    def last_event_date(self) -> dt.date:
        """The latest date the pack records anything about (an event or a suspension's end)."""
        dates = [event.date for event in self.events] + [e.until for e in self.events if e.until]
        return max(dates)

    def is_beyond_last_event(self, on: dt.date) -> bool:
        """True when ``on`` is later than anything the pack records: it may be out of date."""
        return on > self.last_event_date

    def staleness_warning(self, on: dt.date) -> str | None:
        """One line for every output when ``on`` lies beyond the pack's last recorded event."""
        if not self.is_beyond_last_event(on):
            return None
        last = max(self.events, key=lambda e: e.until or e.date)
        what = f"{last.action} of {', '.join(last.limbs)}"
        if last.until:
            what += f" through {last.until.isoformat()}"
        return (
            f"The as-of date {on.isoformat()} is later than the rule pack's last recorded event "
            f"({what}, {self.source_title(last.source)}); later announcements may have changed the rule. "
            f"Check for newer announcements and record them in an overlay (bomcalc rules new)."
        )

    def source_title(self, source_id: str) -> str:
        """The short name of a source (else its title, else its id), for sentences."""
        source = self.source(source_id)
        return (source.short or source.title) if source else source_id

    def limb_state(self, limb_id: str, on: dt.date) -> LimbState:
        """Whether ``limb_id`` is in force on ``on``, with a sentence saying why."""
        self.limb(limb_id)  # unknown limb -> KeyError
        events = [e for e in self.events if limb_id in e.limbs]
        starts = sorted((e for e in events if e.action in ("in_force", "repeal")), key=lambda e: e.date)
        position = bisect.bisect_right([e.date for e in starts], on)
        if position == 0:
            first = next((e for e in starts if e.action == "in_force"), None)
            when = f" (enters into force {first.date.isoformat()})" if first else ""
            return LimbState(limb_id, on, False, "not_yet_in_force", f"not yet in force on {on.isoformat()}{when}")
        latest = starts[position - 1]
        if latest.action == "repeal":
            return LimbState(
                limb_id, on, False, "repealed", f"repealed from {latest.date.isoformat()} by {self.source_title(latest.source)}"
            )
        for event in events:
            if event.action == "suspend" and event.date <= on and (event.until is None or on <= event.until):
                until = f" until {event.until.isoformat()}" if event.until else ""
                return LimbState(
                    limb_id, on, False, "suspended", f"suspended{until} by {self.source_title(event.source)}"
                )
        ended = [e for e in events if e.action == "suspend" and e.until is not None and e.until < on]
        note = f"in force since {latest.date.isoformat()}"
        if ended:
            last = max(ended, key=lambda e: e.until)
            note += f"; the suspension by {self.source_title(last.source)} ended {last.until.isoformat()}"
        return LimbState(limb_id, on, True, "in_force", note)

    def limb_states(self, on: dt.date) -> dict[str, LimbState]:
        """The state of every limb on ``on``."""
        return {limb.id: self.limb_state(limb.id, on) for limb in self.limbs}


def _date(value, where: str) -> dt.date:
    date = given_date(value)
    if date is None:
        raise RulePackError(f"{where}: '{value}' is not a date (use YYYY-MM-DD)") from None
    return date


def _tables(data: dict, key: str, where: str, required: bool = True) -> list[dict]:
    """The ``[[key]]`` tables of a pack document (a missing entry when ``required``, else none); anything
    else is an error naming the key."""
    entries = data[key] if required else data.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise RulePackError(f"{where}: key '{key}': write each entry as a [[{key}]] table")
    return entries


def _events(data: dict, where: str, limb_ids: set, source_ids: set) -> list[Event]:
    """The dated events, each checked; an overlay's events are numbered among its own."""
    events, counts = [], {}
    for event in _tables(data, "events", where):
        recorded_in = str(event.get("recorded_in", data["id"]))
        counts[recorded_in] = number = counts.get(recorded_in, 0) + 1
        at = f"{where}: [[events]] #{number}" + ("" if recorded_in == str(data["id"]) else f" of pack {recorded_in}")
        for key in ("date", "action", "limbs"):
            if key not in event:
                raise RulePackError(f"{at}: missing key '{key}'")
        action = event["action"]
        if action not in ACTIONS:
            raise RulePackError(f"{at}, key 'action': '{action}' is not an action; use one of {', '.join(ACTIONS)}")
        if isinstance(event["limbs"], str) or not event["limbs"]:
            raise RulePackError(f"{at}, key 'limbs': give a list of limb ids, e.g. [\"de_minimis\"]")
        unknown = sorted(set(event["limbs"]) - limb_ids)
        if unknown:
            raise RulePackError(f"{at}, key 'limbs': unknown limb(s) {', '.join(unknown)}; the pack's limbs are {', '.join(sorted(limb_ids))}")
        source = event.get("source", "")
        if source and source not in source_ids:
            raise RulePackError(f"{at}, key 'source': unknown source '{source}'; add it as a [[sources]] entry "
                                f"or use one of {', '.join(sorted(source_ids))}")
        date = _date(event["date"], f"{at}, key 'date'")
        until = _date(event["until"], f"{at}, key 'until'") if "until" in event else None
        if until is not None and action != "suspend":
            raise RulePackError(f"{at}, key 'until': only a suspend event has an end date")
        if until is not None and until < date:
            raise RulePackError(f"{at}, key 'until': {until.isoformat()} is before the event's date {date.isoformat()}")
        events.append(Event(date=date, action=action, limbs=tuple(event["limbs"]), source=source, until=until,
                            note=str(event.get("note", "")), recorded_in=recorded_in))
    return events


def rule_pack_from_dict(data: dict, origin: str = "", extends: tuple[PackRef, ...] = ()) -> RulePack:
    """Build and check a :class:`RulePack` from a parsed rule-pack document.

    Raises :class:`~bomcalc.core.errors.RulePackError` naming the first missing or inconsistent
    entry. ``origin`` names where the document came from, for messages and reports; ``extends``
    the packs an overlay's document was merged onto (:func:`bomcalc.core.overlays.merge_overlay`).
    """
    where = origin or "rule pack"
    try:
        minimis = data["de_minimis"]
        try:
            threshold = Decimal(str(minimis["threshold"]))
        except InvalidOperation:
            raise RulePackError(f"{where}: key 'de_minimis.threshold': '{minimis['threshold']}' is not a number; "
                                "write the share as text, e.g. \"0.001\" for 0.1%") from None
        limbs = tuple(
            Limb(
                id=limb["id"],
                clause=limb.get("clause", ""),
                title=limb.get("title", ""),
                applies_to=tuple(limb["applies_to"]),
                source=limb.get("source", ""),
            )
            for limb in _tables(data, "limbs", where)
        )
        limb_ids = {limb.id for limb in limbs}
        sources = tuple(
            Source(id=s["id"], title=s.get("title", s["id"]), url=s.get("url", ""), short=s.get("short", "")) for s in _tables(data, "sources", where, required=False)
        )
        events = _events(data, where, limb_ids, {source.id for source in sources})
        if not events:
            raise RulePackError(f"{where}: no events; a rule pack needs at least one dated event")
        regime = regime_from_dict(data, where)
        missing = {limb for limb in regime.limb_roles.values() if limb} - limb_ids
        if missing or not regime.limb_roles["de_minimis"]:
            raise RulePackError(f"{where}: [limb_roles] must name a de_minimis limb and only limbs the pack lists"
                                f"{' (not ' + ', '.join(sorted(missing)) + ')' if missing else ''}")
        annex = data.get("annex1", {})
        pack = RulePack(
            id=str(data["id"]),
            version=str(data["version"]),
            title=str(data.get("title", "")),
            threshold=threshold,
            inclusive=bool(minimis.get("inclusive", True)),
            limbs=limbs,
            events=tuple(sorted(events, key=lambda e: e.date)),
            sources=sources,
            part1_items=tuple(annex.get("part1", {}).get("items", ())),
            part2_items=tuple(annex.get("part2", {}).get("items", ())),
            humanitarian_report_days=data.get("humanitarian_exemption", {}).get("report_within_working_days"),
            origin=origin,
            vocabulary=(Vocabulary.from_dict(data["classification"], {s.id for s in sources}, where)
                        if "classification" in data else None),
            extends=tuple(extends),
            regime=regime,
        )
    except KeyError as exc:
        raise RulePackError(f"{where}: missing entry {exc}") from None
    except (InvalidOperation, TypeError, AttributeError) as exc:
        raise RulePackError(f"{where}: bad value ({exc})") from None
    if not (0 < pack.threshold < 1):
        raise RulePackError(f"{where}: threshold must be a share between 0 and 1, found {pack.threshold}")
    return pack
