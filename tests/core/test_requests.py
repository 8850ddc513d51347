"""Which parts to ask suppliers about, and how far each can move an item's ratio (hand-computed, exact)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import bomcalc
from bomcalc.core.errors import BomError
from bomcalc.core.requests import NEAR_LINE, OWN_ORIGIN, UNBOUNDED, is_near_line, plan_requests

SERVO = Path(__file__).resolve().parents[2] / "sample_boms" / "servo_actuator.xlsx"
AS_OF = dt.date(2026, 11, 11)


def test_servo_asks_first_for_the_origin_of_the_terbium_oxide_that_decides_the_brake_magnet():
    plan = plan_requests(bomcalc.check(SERVO, rules=bomcalc.RuleOptions(as_of=AS_OF)))
    assert [request.part_id for request in plan.requests] == ["TB-OX"]
    top = plan.requests[0]
    assert top.decisive
    brake, own = top.reasons
    # MAG-BRK is worth 3.9129 USD (rolled up) and holds 0.00005 kg of TB-OX at 1000 USD/kg: 0.05 USD whose
    # origin is unknown, on top of 0.0028 USD of Chinese Dy: 0.0716% to 1.3494%, so TB-OX moves it 1.2778 points.
    assert brake.item == "MAG-BRK" and brake.kind == "content"
    assert brake.reach == Decimal("0.05") and brake.item_value == Decimal("3.9129")
    assert brake.share == Fraction(5, 100) / Fraction(39129, 10000)
    assert brake.points == Decimal("1.2778")
    assert brake.text == "decides MAG-BRK: can move its ratio by up to 1.2778 percentage points (0.0716% to 1.3494%)"
    assert own.item == "TB-OX" and own.kind == OWN_ORIGIN
    assert any("country of origin" in ask for ask in top.asks)
    assert plan.indeterminate_items == ("MAG-BRK", "TB-OX") and plan.near_line_items == ()


def magnet(dy_value, extra_parts=(), extra_lines=()):
    """A German magnet worth 1000 holding Chinese Dy metal worth ``dy_value`` per magnet (1 kg line)."""
    parts = [("MAG", "part2", "DE", Decimal(1000), {"supplier": "Magnet Works"}),
             ("DY", "part1", "CN", Decimal(dy_value), {"supplier": "Dy Metals"}), *extra_parts]
    return parts, [("MAG", "DY", 1), *extra_lines]


def test_the_input_that_can_move_the_ratio_most_is_asked_first(make_bom):
    # Two terbium oxides of unknown origin: A (0.01 kg x 100 = 1 USD, 0.1 points), B (0.02 kg x 100 = 2 USD,
    # 0.2 points); Chinese Dy 0.5 USD (0.05%). The magnet is 0.05% to 0.35%: indeterminate.
    parts, lines = magnet("0.5", [("TB-A", "part1", None, Decimal(100)), ("TB-B", "part1", None, Decimal(100))],
                          [("MAG", "TB-A", Decimal("0.01")), ("MAG", "TB-B", Decimal("0.02"))])
    result = bomcalc.evaluate(make_bom(parts, lines), as_of=AS_OF)
    plan = plan_requests(result)
    assert [r.part_id for r in plan.requests] == ["TB-B", "TB-A"]
    reach = {r.part_id: r.reasons[0] for r in plan.requests}
    assert reach["TB-B"].reach == Decimal(2) and reach["TB-B"].points == Decimal("0.2000")
    assert reach["TB-A"].reach == Decimal(1) and reach["TB-A"].points == Decimal("0.1000")
    # each oxide is also an indeterminate Part 1 item in its own right, decided by its own origin
    by_part = {r.part_id: r for r in plan.requests}
    assert [(reason.item, reason.kind) for reason in by_part["TB-B"].reasons] == [("MAG", "content"), ("TB-B", OWN_ORIGIN)]


def test_a_magnet_bought_without_bom_or_declaration_is_asked_first_with_no_bound(make_bom):
    parts, lines = magnet("0.5", [("TB-A", "part1", None, Decimal(100)), ("SUB", "part2", "DE", Decimal(10))],
                          [("MAG", "TB-A", Decimal("0.01")), ("MAG", "SUB", 1)])
    plan = plan_requests(bomcalc.evaluate(make_bom(parts, lines), as_of=AS_OF))
    first = plan.requests[0]
    assert first.part_id == "SUB" and first.top_reason.kind == UNBOUNDED
    assert "no BOM and no supplier declaration" in first.top_reason.text
    assert any("rare-earth inputs" in ask for ask in first.asks)
    # the magnet's upper bound is unknown, yet TB-A still has a bound of its own: 0.01 kg x 100 = 1 of 1000
    oxide = next(r for r in plan.requests if r.part_id == "TB-A").reasons[0]
    assert (oxide.item, oxide.kind, oxide.reach, oxide.points) == ("MAG", "content", Decimal(1), Decimal("0.1000"))


@pytest.mark.parametrize(
    "dy_value, near, side",
    [
        ("0.9", True, "0.0100 points below"),  # 0.09%: not required, inside 0.05%..0.2%
        ("1.5", True, "0.0500 points above"),  # 0.15%: required, inside
        ("0.5", True, "0.0500 points below"),  # exactly 0.05% = 0.1% / 2: inside (inclusive)
        ("2", True, "0.1000 points above"),  # exactly 0.2% = 0.1% x 2: inside (inclusive)
        ("0.49", False, None),  # 0.049%: outside
        ("2.01", False, None),  # 0.201%: outside
    ],
    ids=["0.09% is near", "0.15% is near", "exactly half the line is near", "exactly twice the line is near",
         "0.049% is not near", "0.201% is not near"],
)
def test_near_the_line_within_a_factor_of_two(make_bom, dy_value, near, side):
    parts, lines = magnet(dy_value)
    plan = plan_requests(bomcalc.evaluate(make_bom(parts, lines), as_of=AS_OF))
    assert bool(plan.requests) is near
    if near:
        (request,) = plan.requests
        reason = request.top_reason
        assert request.part_id == "DY" and request.supplier == "Dy Metals" and not request.decisive
        assert reason.kind == NEAR_LINE and reason.reach == Decimal(dy_value)
        assert side in reason.text and "the 0.1% line" in reason.text
        assert reason.text.endswith(f"this input gives {reason.points} points of it")


def test_the_near_line_factor_is_a_policy_that_can_be_changed(make_bom):
    parts, lines = magnet("0.3")  # 0.03%: near with a factor of 4, not with 2, never with 1
    result = bomcalc.evaluate(make_bom(parts, lines), as_of=AS_OF)
    assert plan_requests(result).requests == ()
    assert [r.part_id for r in plan_requests(result, Decimal(4)).requests] == ["DY"]
    assert plan_requests(result, Decimal(1)).requests == ()
    assert "within a factor of 4" in plan_requests(result, Decimal(4)).policy
    with pytest.raises(BomError, match="1 or more"):
        plan_requests(result, Decimal("0.5"))


def test_is_near_line_is_exact_at_both_ends():
    line = Decimal("0.001")
    assert is_near_line(Fraction(5, 10000), line, Decimal(2))
    assert not is_near_line(Fraction(5, 10000) - Fraction(1, 10**30), line, Decimal(2))
    assert is_near_line(Fraction(2, 1000), line, Decimal(2))
    assert not is_near_line(Fraction(2, 1000) + Fraction(1, 10**30), line, Decimal(2))


def test_nothing_to_ask_when_everything_is_decided_far_from_the_line(make_bom):
    parts, lines = magnet("10")  # 1%: required, five times the line
    assert plan_requests(bomcalc.evaluate(make_bom(parts, lines), as_of=AS_OF)).requests == ()
