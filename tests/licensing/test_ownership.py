"""Who counts as listed: on a list, or owned 50% or more by listed parties (shares added up,
through chains). Shares are exact; every case is computed by hand in its id."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bomcalc.core.ownership import Holding, listed_parties
from bomcalc.io.licensing_pack import load_licensing

RULE = load_licensing().ownership
ON_LISTS = {"Listed Parent Co": ("control",), "Watched Holdings": ("watch",)}


def _listed(holdings, rule=RULE):
    found = listed_parties(ON_LISTS, [Holding(p, o, Decimal(s)) for p, o, s in holdings], rule)
    return {entry.name for entry in found.values()}


@pytest.mark.parametrize("holdings, listed", [
    ([("Sub A", "Listed Parent Co", "0.5")], True),
    ([("Sub A", "Listed Parent Co", "0.499")], False),
    ([("Sub A", "Listed Parent Co", "0.3"), ("Sub A", "Watched Holdings", "0.2")], True),
    ([("Sub A", "Listed Parent Co", "0.3"), ("Sub A", "Watched Holdings", "0.199")], False),
    ([("Sub A", "Listed Parent Co", "0.25"), ("Sub A", "Someone Else", "0.75")], False),
    ([("Sub A", "Listed Parent Co", "0.6"), ("Sub B", "Sub A", "0.5")], True),
    ([("Sub A", "Listed Parent Co", "0.49"), ("Sub B", "Sub A", "1")], False),
    ([("Sub A", "LISTED PARENT CO.", "0.5")], True),
], ids=["50% owned by a listed party is listed", "49.9% is not", "30% + 20% by two listed parties is listed",
        "30% + 19.9% = 49.9% is not", "25% listed + 75% unlisted is not",
        "100% of a 60%-owned subsidiary is listed (a chain)", "a 49%-owned parent does not pass it on",
        "names match ignoring case and punctuation"])
def test_the_fifty_percent_rule(holdings, listed):
    names = _listed(holdings)
    last = holdings[-1][0]
    assert (last in names) is listed


def test_without_aggregation_one_owner_must_hold_the_threshold_alone():
    from dataclasses import replace

    rule = replace(RULE, aggregate=False)
    holdings = [("Sub A", "Listed Parent Co", "0.3"), ("Sub A", "Watched Holdings", "0.2")]
    assert "Sub A" not in _listed(holdings, rule)
    assert "Sub A" in _listed(holdings)


def test_the_reason_names_the_owners_and_the_total():
    found = listed_parties(ON_LISTS, [Holding("Sub A", "Listed Parent Co", Decimal("0.3")),
                                      Holding("Sub A", "Watched Holdings", Decimal("0.2"))], RULE)
    assert found["sub a"].reason() == "'Sub A' is owned 50% by listed parties (Listed Parent Co 30% + Watched Holdings 20%)"
    assert found["listed parent co"].reason() == "'Listed Parent Co' is on the control list"
