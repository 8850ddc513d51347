"""Rule packs: loading, checks, and the in-force state of each limb on each date."""

from __future__ import annotations

import datetime as dt

import pytest

import bomcalc
from bomcalc.core.errors import RulePackError


@pytest.fixture(scope="module")
def pack():
    return bomcalc.load_rule_pack()


def test_bundled_pack_records_the_rule(pack):
    assert pack.id == "mofcom-61-2025"
    assert str(pack.threshold) == "0.001" and pack.inclusive
    assert {limb.id for limb in pack.limbs} == {"de_minimis", "chinese_technology", "china_origin"}
    assert len(pack.part1_items) == 13
    assert {item["element"] for item in pack.part1_items} >= {"Sm", "Dy", "Gd", "Tb", "Lu", "Sc", "Y"}
    assert all(pack.source(limb.source) is not None for limb in pack.limbs)
    assert all(pack.source(event.source) is not None for event in pack.events)
    assert pack.humanitarian_report_days == 10
    assert pack.last_event_date == dt.date(2026, 11, 10)


STATE_CASES = [
    ("de_minimis", "2025-10-09", "not_yet_in_force"),
    ("de_minimis", "2025-11-06", "not_yet_in_force"),
    ("de_minimis", "2025-11-30", "not_yet_in_force"),
    ("de_minimis", "2025-12-01", "suspended"),
    ("de_minimis", "2026-11-10", "suspended"),
    ("de_minimis", "2026-11-11", "in_force"),
    ("chinese_technology", "2025-12-01", "suspended"),
    ("chinese_technology", "2026-11-11", "in_force"),
    ("china_origin", "2025-10-08", "not_yet_in_force"),
    ("china_origin", "2025-10-09", "in_force"),
    ("china_origin", "2025-11-06", "in_force"),
    ("china_origin", "2025-11-07", "suspended"),
    ("china_origin", "2026-11-10", "suspended"),
    ("china_origin", "2026-11-11", "in_force"),
]


@pytest.mark.parametrize("limb, on, state", STATE_CASES, ids=[f"{c[0]} on {c[1]} is {c[2]}" for c in STATE_CASES])
def test_limb_state(pack, limb, on, state):
    result = pack.limb_state(limb, dt.date.fromisoformat(on))
    assert result.state == state
    assert result.in_force is (state == "in_force")


def test_repeal_ends_a_limb(pack):
    import tomllib
    from importlib import resources

    data = tomllib.loads((resources.files("bomcalc") / "rulepacks" / "mofcom_61_2025.toml").read_text("utf-8"))
    data["events"].append({"date": dt.date(2027, 1, 1), "action": "repeal", "limbs": ["de_minimis"], "source": "mofcom-61"})
    repealed = bomcalc.core.rules.rule_pack_from_dict(data, "test")
    assert repealed.limb_state("de_minimis", dt.date(2026, 12, 31)).in_force
    assert repealed.limb_state("de_minimis", dt.date(2027, 1, 1)).state == "repealed"


def test_another_pack_can_be_loaded_from_a_file(tmp_path):
    text = """
id = "test-pack"
version = "1"
[de_minimis]
threshold = "0.05"
[[limbs]]
id = "de_minimis"
applies_to = ["part2"]
[[limbs]]
id = "chinese_technology"
applies_to = ["part1", "part2"]
[[limbs]]
id = "china_origin"
applies_to = ["part1", "part2"]
[[events]]
date = 2020-01-01
action = "in_force"
limbs = ["de_minimis", "chinese_technology", "china_origin"]
"""
    path = tmp_path / "pack.toml"
    path.write_text(text)
    pack = bomcalc.load_rule_pack(path)
    assert pack.id == "test-pack" and str(pack.threshold) == "0.05"
    assert pack.limb_state("de_minimis", dt.date(2020, 1, 1)).in_force


@pytest.mark.parametrize(
    "text, message",
    [
        ("id = 'x'", "missing entry"),
        ("not toml [", "not valid TOML"),
    ],
    ids=["a pack without a threshold is refused", "a file that is not TOML is refused"],
)
def test_bad_packs_are_refused(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(RulePackError, match=message):
        bomcalc.load_rule_pack(path)


def test_missing_pack_file_is_a_clear_error(tmp_path):
    with pytest.raises(RulePackError, match="cannot be read"):
        bomcalc.load_rule_pack(tmp_path / "nope.toml")


# The line test (Clause 1(1)): one definition, exact, inclusive or strict from the pack.
@pytest.mark.parametrize(
    "content, inclusive, reached",
    [
        ("0.1", True, True),  # exactly 0.1% of 100 is caught by an inclusive line
        ("0.1", False, False),  # ... and not by a strict one
        ("0.0999999999999999999999999999999", True, False),  # just below is never caught
        ("0.1000000000000000000000000000001", False, True),  # just above is always caught
    ],
    ids=["exactly on an inclusive line is caught", "exactly on a strict line is not caught",
         "a hair below is clear", "a hair above a strict line is caught"],
)
def test_reaches_the_line_on_both_sides(pack, content, inclusive, reached):
    import dataclasses
    from decimal import Decimal

    from bomcalc.core.rules import line_value, reaches_line

    value = Decimal("100")
    assert line_value(Decimal("0.001"), value) == Decimal("0.1")
    assert reaches_line(Decimal(content), Decimal("0.1"), inclusive) is reached
    strict_or_not = dataclasses.replace(pack, threshold=Decimal("0.001"), inclusive=inclusive)
    assert strict_or_not.reaches(Decimal(content), value) is reached


def test_considered_limbs_are_those_met_else_open_else_applicable(pack):
    applicable = pack.applicable_limbs("part2")
    assert applicable == tuple(limb.id for limb in pack.limbs if "part2" in limb.applies_to) and applicable
    assert pack.considered_limbs("part2", ("de_minimis",), ("china_origin",)) == ("de_minimis",)
    assert pack.considered_limbs("part2", (), ("china_origin",)) == ("china_origin",)
    assert pack.considered_limbs("part2") == applicable
