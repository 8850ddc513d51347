"""The explanation shows each quantity as the BOM gave it, its unit and the factor to the part's unit."""

from __future__ import annotations

from decimal import Decimal

import bomcalc
from bomcalc.core.explain import explain
from bomcalc.report.explain_text import explanation_document, format_explanation


def _wire_bom(line_uom="FT", qty="0.17"):
    # MAG (Part 2, JP, 100 USD per EA) holds 2 ASSY; each ASSY holds 0.17 FT of China-origin wire priced per inch:
    # 0.17 FT = 2.04 IN; 2 x 2.04 = 4.08 IN x 0.5 USD per IN = 2.04 USD >= 0.1 (0.1% of 100).
    parts = [
        {"part_id": "MAG", "annex1": "part2", "origin": "JP", "unit_value": Decimal(100), "currency": "USD", "uom": "EA"},
        {"part_id": "ASSY", "annex1": None, "origin": "JP", "unit_value": None, "currency": "USD", "uom": "EA"},
        {"part_id": "WIRE", "annex1": "part1", "origin": "CN", "unit_value": Decimal("0.5"), "currency": "USD", "uom": "IN"},
    ]
    lines = [{"parent": "MAG", "child": "ASSY", "qty": 2, "uom": "EA"},
             {"parent": "ASSY", "child": "WIRE", "qty": Decimal(qty), "uom": line_uom}]
    return bomcalc.bom_from_records(parts, lines)


def test_a_quantity_in_feet_for_a_part_priced_per_inch_is_shown_converted():
    result = bomcalc.evaluate(_wire_bom(), as_of="2026-11-11")
    trail = explain(result, "MAG")
    assert trail.cn_part1_value == Decimal("2.04")
    text = format_explanation(trail, result.currency)
    assert "unit value 0.5 USD per IN" in text
    assert "MAG > ASSY > WIRE: 2 x [0.17 FT = 2.04 IN (x 12)] = 4.08 IN" in text
    assert "extended quantity 4.08 IN x 0.5 USD per IN = 2.04 USD" in text
    line = trail.line("ASSY", "WIRE")
    assert (line.given_qty, line.given_uom, line.factor, line.qty, line.uom) == (
        Decimal("0.17"), "FT", Decimal(12), Decimal("2.04"), "IN")
    document = explanation_document(trail)
    assert {"parent": "ASSY", "child": "WIRE", "qty": "2.04", "uom": "IN", "given_qty": "0.17", "given_uom": "FT",
            "factor": "12"} in document["lines"]
    assert document["sources"][0]["uom"] == "IN"


def test_a_quantity_already_in_the_parts_unit_shows_no_conversion():
    result = bomcalc.evaluate(_wire_bom(line_uom="IN", qty="2.04"), as_of="2026-11-11")
    text = format_explanation(explain(result, "MAG"), result.currency)
    assert "MAG > ASSY > WIRE: 2 x 2.04 = 4.08 IN" in text
    assert "(x 12)" not in text


def test_the_trail_names_what_an_unclassified_part_could_add():
    parts = [
        {"part_id": "MAG", "annex1": "part2", "origin": "JP", "unit_value": Decimal(2000), "currency": "USD"},
        {"part_id": "X", "annex1": "unknown", "origin": None, "unit_value": None, "currency": "USD"},
    ]
    result = bomcalc.evaluate(bomcalc.bom_from_records(parts, [("MAG", "X", 1)]), as_of="2026-11-11")
    text = format_explanation(explain(result, "MAG"), result.currency)
    assert "possible Part 1 content of unknown origin or Annex 1 status: unknown, a value is missing" in text
    assert "Determination: indeterminate; open: de_minimis (decided by X)" in text
