"""The explanation trail, on hand-computed cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.explain import explain, total_of
from bomcalc.report.explain_text import explanation_document, format_explanation


@pytest.fixture
def diamond(make_bom):
    # MAG (JP, value from components) uses SUB twice and SUB-B once; both hold Dy:
    # paths MAG > SUB (x2) > DY (x0.001) = 0.002 and MAG > SUB-B (x1) > DY (x0.003) = 0.003:
    # extended 0.005 kg x 400 = 2.0. Value: 2 x 300 + 1 x 400 = 1000 -> 0.2%.
    return make_bom(
        [("MAG", "part2", "JP", None), ("SUB", None, "JP", 300), ("SUB-B", None, "JP", 400), ("DY", "part1", "CN", 400)],
        [("MAG", "SUB", 2), ("MAG", "SUB-B", 1), ("SUB", "DY", "0.001"), ("SUB-B", "DY", "0.003")],
    )


def test_trail_multiplies_quantities_along_every_path(diamond):
    trail = explain(bomcalc.evaluate(diamond, as_of="2026-11-11"), "MAG")
    (source,) = trail.sources
    assert sorted(step.quantity for step in source.paths) == [Decimal("0.002"), Decimal("0.003")]
    assert source.extended_qty == Decimal("0.005") and source.extended_value == Decimal("2.0")
    assert total_of(trail.sources) == trail.cn_part1_value == Decimal("2.0")
    assert trail.value == Decimal("1000") and trail.value_basis == "components"
    assert trail.line_value == Decimal("1.000")
    assert trail.status == "licence_required" and trail.reasons == ("de_minimis",)


def test_text_trail_shows_the_arithmetic_and_the_force(diamond):
    result = bomcalc.evaluate(diamond, as_of="2026-03-01")
    text = format_explanation(explain(result, "MAG"), result.currency)
    assert "MAG > SUB > DY: 2 x 0.001 = 0.002" in text
    assert "MAG > SUB-B > DY: 1 x 0.003 = 0.003" in text
    assert "extended quantity 0.005 x 400 USD = 2 USD" in text
    assert "2 >= 1: yes (ratio 0.2000%)" in text
    assert "Would be required" in text and "suspended until 2026-11-10" in text


def test_trail_document_round_trips_through_json(diamond):
    import json

    document = json.loads(json.dumps(explanation_document(explain(bomcalc.evaluate(diamond, as_of="2026-11-11"), "MAG"))))
    assert document["cn_part1_value"] == "2" and document["line_value"] == "1"
    assert len(document["sources"][0]["paths"]) == 2


def test_explaining_a_part_that_is_not_an_annex1_item_is_a_clear_error(diamond):
    result = bomcalc.evaluate(diamond, as_of="2026-11-11")
    with pytest.raises(bomcalc.BomError, match="not an Annex 1 item"):
        explain(result, "SUB")
    with pytest.raises(bomcalc.BomError, match="not in the BOM"):
        explain(result, "NOPE")
