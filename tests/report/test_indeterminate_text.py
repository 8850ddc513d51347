"""The table's closing lines say why each undecided item is open, in words that match its facts."""

from __future__ import annotations

import datetime as dt

import bomcalc
from bomcalc.report.documents import format_table


def _text(make_bom, parts, lines=()):
    return format_table(bomcalc.evaluate(make_bom(parts, lines), as_of=dt.date(2026, 11, 11)))


def test_a_bought_magnet_with_no_bom_and_no_declaration_is_open_for_its_content_not_its_origin(make_bom):
    text = _text(make_bom, [("MAG", "part2", "US", 3)])
    line = next(line for line in text.splitlines() if line.startswith("MAG is indeterminate"))
    assert "no BOM lines and no supplier declaration" in line and "origin" not in line


def test_a_part1_input_of_unknown_origin_is_open_for_its_origin(make_bom):
    text = _text(make_bom, [("MAG", "part2", "JP", 1000), ("TB", "part1", None, 500)], [("MAG", "TB", "0.004")])
    assert "TB is indeterminate: its own origin is unknown." in text
    assert "MAG is indeterminate: decided by the origin, value or Annex 1 status of TB." in text


def test_a_china_origin_part1_item_without_a_value_is_open_for_its_value(make_bom):
    text = _text(make_bom, [("MAG", "part2", "JP", 1000), ("DY", "part1", "CN", None)], [("MAG", "DY", "0.004")])
    assert "DY is indeterminate" not in text or "its own value is unknown" in text
    assert "MAG is indeterminate: decided by the origin, value or Annex 1 status of DY." in text


def test_items_open_for_the_same_reason_share_one_line_and_none_is_dropped(make_bom):
    magnets = [f"MAG{n}" for n in range(1, 8)]
    parts = [(m, "part2", "JP", 1000) for m in magnets] + [
        ("TB", "part1", None, 500), ("RING", "part2", "JP", 1000), ("HUB", "part2", "JP", 1000), ("DY", "part1", "CN", None)]
    lines = [(m, "TB", "0.004") for m in magnets] + [("RING", "DY", "0.004"), ("HUB", "DY", "0.004")]
    text = _text(make_bom, parts, lines)
    by_tb = [line for line in text.splitlines() if line.endswith("status of TB (bomcalc check BOM --format csv lists "
                                                                     "each item's deciding_inputs).")]
    assert len(by_tb) == 1 and by_tb[0].startswith(", ".join(magnets[:5]) + " and 2 more are indeterminate: decided by")
    assert "HUB, RING are indeterminate: decided by the origin, value or Annex 1 status of DY." in text
    assert "TB is indeterminate: its own origin is unknown." in text
    assert not any(line.startswith(("MAG6", "MAG7")) for line in text.splitlines())
