"""Listed parties and the parties they own: who counts as listed (core layer).

Announcement No. 61 denies in principle exports to importers and end users on China's export
control list or watch list, "including subsidiaries and branches they own 50% or more of".
:func:`listed_parties` applies that test exactly (``Decimal`` shares, the line from the pack's
:class:`~bomcalc.core.licensing.Ownership`):

* a party on a list is listed;
* a party counts as listed when the shares held in it by listed parties add up to the
  threshold or more (``aggregate``: several listed owners' shares count together; without it,
  one owner must hold the threshold alone);
* a party that counts as listed counts as an owner in turn (a subsidiary's own subsidiaries),
  until nothing changes.

Names are matched by :func:`~bomcalc.core.licensing.text_key` (case, width and punctuation
ignored), never by similarity.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .licensing import Ownership, text_key


@dataclass(frozen=True)
class Holding:
    """``owner`` holds ``share`` [0-1] of ``party``; ``row`` is the source row (for messages)."""

    party: str
    owner: str
    share: Decimal
    row: int | None = None


@dataclass(frozen=True)
class ListedParty:
    """Why a party counts as listed: on a list (``lists``) or owned by listed parties (``owners``:
    ``((owner, share), ...)`` adding up to ``share`` [0-1])."""

    name: str
    lists: tuple[str, ...] = ()
    share: Decimal | None = None
    owners: tuple[tuple[str, Decimal], ...] = ()

    def reason(self) -> str:
        """In words, for a report."""
        if self.lists:
            return f"'{self.name}' is on the {' and '.join(self.lists)} list"
        held = " + ".join(f"{owner} {_percent(share)}" for owner, share in self.owners)
        return f"'{self.name}' is owned {_percent(self.share)} by listed parties ({held})"


def _percent(share: Decimal) -> str:
    text = format(share * 100, "f")
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def listed_parties(on_lists: dict[str, tuple[str, ...]], holdings, rule: Ownership) -> dict[str, ListedParty]:
    """Every party that counts as listed, keyed by :func:`text_key` of its name.

    ``on_lists``: party name -> the lists it is on (``("control",)``, ``("watch",)``).
    ``holdings``: :class:`Holding` records. ``rule``: the pack's ownership rule.
    """
    listed: dict[str, ListedParty] = {}
    for name, lists in on_lists.items():
        listed[text_key(name)] = ListedParty(name, tuple(lists))
    by_party: dict[str, list[Holding]] = {}
    for holding in holdings:
        by_party.setdefault(text_key(holding.party), []).append(holding)
    changed = True
    while changed:  # each pass can only add parties, so it ends
        changed = False
        for key, held in by_party.items():
            if key in listed:
                continue
            owners = tuple((h.owner, h.share) for h in held if text_key(h.owner) in listed)
            if not owners:
                continue
            share = sum((s for _, s in owners), Decimal(0)) if rule.aggregate else max(s for _, s in owners)
            if rule.reaches(share):
                listed[key] = ListedParty(held[0].party, (), share, owners)
                changed = True
    return listed
