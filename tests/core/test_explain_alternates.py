"""The explanation of a value rolled up over alternative items says which alternative counts."""

from __future__ import annotations

from decimal import Decimal

import bomcalc
from bomcalc.core.explain import explain
from bomcalc.report.explain_text import explanation_document, format_explanation

PARTS = [
    {"part_id": "ROTOR", "annex1": "part2", "origin": "JP"},
    {"part_id": "MAG-A", "unit_value": "70", "origin": "JP"},
    {"part_id": "MAG-B", "unit_value": "80", "origin": "JP"},
    {"part_id": "SHAFT", "unit_value": "5", "origin": "DE"},
]
LINES = [
    {"parent": "ROTOR", "child": "MAG-A", "qty": 1, "alt_group": "A1", "usage_probability": "0.7"},
    {"parent": "ROTOR", "child": "MAG-B", "qty": 1, "alt_group": "A1", "usage_probability": "0.3"},
    {"parent": "ROTOR", "child": "SHAFT", "qty": 2},
]


def _explained(alternates: str):
    bom = bomcalc.bom_from_records(PARTS, LINES, [{"part_id": "MAG-A", "cn_part1_value": 0, "unknown_origin_part1_value": 0,
                                                   "source": "s"}, {"part_id": "MAG-B", "cn_part1_value": 0,
                                                   "unknown_origin_part1_value": 0, "source": "s"}])
    evaluation = bomcalc.evaluate(bom, as_of="2026-11-11", alternates=alternates)
    return explain(evaluation, "ROTOR"), evaluation


def test_the_conservative_value_counts_the_cheaper_alternative_and_says_so():
    explanation, evaluation = _explained("conservative")
    assert explanation.value == Decimal(80)  # 70 + 2 x 5
    text = format_explanation(explanation, evaluation.currency)
    assert "MAG-A: 1 x 70 = 70; alternative in group A1: counted" in text
    assert "MAG-B: 1 x 80 = 80; alternative in group A1: not counted" in text
    assert sum(qty * value for _, qty, value in explanation.value_parts) == explanation.value
    parts = {p["part"]: p for p in explanation_document(explanation)["value_parts"]}
    assert "not counted" in parts["MAG-B"]["alternative"] and "alternative" not in parts["SHAFT"]


def test_the_probability_policy_shows_the_share_each_alternative_counts():
    explanation, evaluation = _explained("probability")
    assert explanation.value == Decimal("83")  # 0.7 x 70 + 0.3 x 80 + 10
    text = format_explanation(explanation, evaluation.currency)
    assert "counted at 0.3 of 1 (probability policy)" in text
    assert sum(qty * value for _, qty, value in explanation.value_parts) == explanation.value
