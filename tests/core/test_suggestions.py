"""The accept-high policy on a BOM built inline, with suggestions given by hand (no classifier)."""

from __future__ import annotations

import pandas as pd
import pytest

from bomcalc.core.classify import Suggestion
from bomcalc.core.coverage import coverage
from bomcalc.core.errors import BomError
from bomcalc.core.model import bom_from_records
from bomcalc.core.suggestions import accept_suggestions, acceptance_text, given_status


@pytest.fixture
def bom():
    parts = [
        {"part_id": "TOP", "origin": "DE", "annex1": "unknown"},
        {"part_id": "MAG", "origin": "DE", "unit_value": "700", "annex1": "unknown"},
        {"part_id": "DY", "origin": "CN", "unit_value": "0.7", "annex1": "unknown"},
        {"part_id": "GIVEN", "origin": "DE", "unit_value": "1", "annex1": "part1"},
        {"part_id": "BLANK", "origin": "DE", "unit_value": "1", "annex1": None},
    ]
    return bom_from_records(parts, [("TOP", "MAG", 1), ("MAG", "DY", 1), ("TOP", "GIVEN", 1), ("TOP", "BLANK", 1)])


def _suggest(part_id, suggestion, confidence="high"):
    return Suggestion(part_id, suggestion, confidence, ("by hand",))


def test_high_suggestions_fill_only_unknown_statuses(bom):
    suggestions = [_suggest("MAG", "part2"), _suggest("DY", "part1"), _suggest("GIVEN", "part2"),
                   _suggest("BLANK", "part2"), _suggest("TOP", "review")]
    taken = accept_suggestions(bom, suggestions, "high")
    assert taken.accepted_suggestions == ("MAG", "DY")
    assert taken.parts.at["MAG", "annex1"] == "part2" and bool(taken.parts.at["MAG", "annex1_known"])
    assert taken.parts.at["GIVEN", "annex1"] == "part1"  # given: never replaced
    assert pd.isna(taken.parts.at["BLANK", "annex1"]) or taken.parts.at["BLANK", "annex1"] is None  # given blank: kept
    assert not bool(taken.parts.at["TOP", "annex1_known"])  # review is never accepted
    assert not bool(bom.parts.at["MAG", "annex1_known"])  # the BOM read is not changed
    assert given_status(taken, "MAG") is None and given_status(taken, "GIVEN") == "part1"
    assert acceptance_text(taken).startswith("accept high: 2 parts (MAG, DY)")


def test_medium_suggestions_and_the_none_level_change_nothing(bom):
    assert accept_suggestions(bom, [_suggest("MAG", "part2", "medium")], "high") is bom
    assert accept_suggestions(bom, [_suggest("MAG", "part2")], "none") is bom
    assert acceptance_text(bom) is None
    with pytest.raises(BomError, match="accept level"):
        accept_suggestions(bom, [], "medium")


def test_coverage_counts_and_names_the_parts_known_by_suggestion(bom):
    taken = accept_suggestions(bom, [_suggest("MAG", "part2"), _suggest("DY", "part1"), _suggest("TOP", "none")], "high")
    record = coverage(taken, pd.DataFrame({"status": ["not_required"]}))
    assert record["annex1_known"] == 5 and record["annex1_by_suggestion"] == 3
    assert record["annex1_by_suggestion_parts"] == ["MAG", "DY", "TOP"]
    assert "annex1_by_suggestion" not in coverage(bom, pd.DataFrame({"status": []}))
