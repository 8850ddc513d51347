"""Rule-pack overlays: what an overlay adds and amends, and which limb is in force on each date."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from importlib import resources

import pytest

from bomcalc.core.errors import RulePackError
from bomcalc.core.overlays import PackRef, merge_overlay
from bomcalc.core.rules import rule_pack_from_dict

LIMBS = ["de_minimis", "chinese_technology", "china_origin"]
BASE_REF = (PackRef("mofcom-61-2025", "2026.11.1", "bomcalc/rulepacks/mofcom_61_2025.toml"),)


def _base() -> dict:
    return tomllib.loads((resources.files("bomcalc") / "rulepacks" / "mofcom_61_2025.toml").read_text("utf-8"))


#: Counsel reads the suspension by Announcement No. 70 as extended by one year.
EXTENSION = {
    "id": "acme-counsel", "version": "2026-12-01", "extends": "mofcom-61-2025",
    "sources": [{"id": "counsel-memo", "short": "Counsel memo 2026-11-20", "title": "Outside counsel memo"}],
    "events": [{"date": dt.date(2026, 11, 11), "action": "suspend", "until": dt.date(2027, 11, 10), "limbs": LIMBS,
                "source": "counsel-memo"}],
}


def _overlaid(overlay=EXTENSION):
    return rule_pack_from_dict(merge_overlay(_base(), overlay, "counsel.toml"), "counsel.toml", BASE_REF)


# Suspension end dates are inclusive: No. 70 covers 2026-11-10, the overlay 2026-11-11 through 2027-11-10.
STATE_CASES = [
    ("the last day of No. 70's suspension is still suspended by No. 70", dt.date(2026, 11, 10), "suspended", "Announcement No. 70"),
    ("the overlay's first day is suspended by counsel's memo", dt.date(2026, 11, 11), "suspended", "Counsel memo 2026-11-20"),
    ("2026-12-01 lies inside the extension", dt.date(2026, 12, 1), "suspended", "until 2027-11-10"),
    ("the extension's last day is still suspended", dt.date(2027, 11, 10), "suspended", "until 2027-11-10"),
    ("the day after the extension every limb is back in force", dt.date(2027, 11, 11), "in_force", "ended 2027-11-10"),
]


@pytest.mark.parametrize("on, state, note", [case[1:] for case in STATE_CASES], ids=[case[0] for case in STATE_CASES])
def test_an_extended_suspension_decides_every_limb_on_both_sides_of_each_boundary(on, state, note):
    states = _overlaid().limb_states(on)
    assert {limb: s.state for limb, s in states.items()} == dict.fromkeys(LIMBS, state)
    assert all(note in s.note for s in states.values())
    assert all(s.in_force == (state == "in_force") for s in states.values())


def test_without_the_overlay_the_limbs_are_back_in_force_on_2026_11_11_and_the_pack_may_be_out_of_date():
    base = rule_pack_from_dict(_base(), "base")
    assert {s.state for s in base.limb_states(dt.date(2026, 11, 11)).values()} == {"in_force"}
    assert "later than the rule pack's last recorded event" in base.staleness_warning(dt.date(2026, 12, 1))


def test_a_suspension_running_past_the_as_of_date_is_no_out_of_date_warning():
    pack = _overlaid()
    assert pack.last_event_date == dt.date(2027, 11, 10)
    assert pack.staleness_warning(dt.date(2026, 12, 1)) is None
    assert pack.staleness_warning(dt.date(2027, 11, 10)) is None
    later = pack.staleness_warning(dt.date(2027, 11, 11))
    assert "through 2027-11-10" in later and "Counsel memo 2026-11-20" in later


def test_the_overlay_keeps_its_own_id_and_names_the_pack_it_extends():
    pack = _overlaid()
    assert (pack.id, pack.version) == ("acme-counsel", "2026-12-01")
    assert pack.label == "acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1)"
    assert [e.recorded_in for e in pack.events] == ["mofcom-61-2025"] * 3 + ["acme-counsel"]
    assert len(pack.sources) == len(_base()["sources"]) + 1
    assert len(pack.part1_items) == 13 and pack.vocabulary is not None  # everything else is the base's


def test_the_base_document_is_not_changed():
    base = _base()
    merge_overlay(base, {**EXTENSION, "de_minimis": {"threshold": "0.002"}}, "counsel.toml")
    assert base == _base()


def test_an_overlay_overrides_the_threshold_alone():
    pack = _overlaid({**EXTENSION, "de_minimis": {"threshold": "0.002"}})
    assert pack.threshold == Decimal("0.002") and pack.inclusive
    # 0.2% of 100 is 0.2: 0.19 stays below the line, exactly 0.2 is caught (inclusive).
    assert pack.line(Decimal("100")) == Decimal("0.200")
    assert not pack.reaches(Decimal("0.19"), Decimal("100"))
    assert pack.reaches(Decimal("0.2"), Decimal("100"))


def test_entries_with_a_known_id_are_amended_key_by_key_and_new_ids_added():
    overlay = {**EXTENSION, "sources": [{"id": "mofcom-gac-70", "url": "https://example.org/70"}],
               "limbs": [{"id": "de_minimis", "title": "Counsel's wording"}],
               "annex1": {"part1": {"items": [{"id": "ho-metal", "name": "holmium metal", "element": "Ho"},
                                              {"id": "tb-oxide", "control_code": "1C904.x"}]}},
               "events": []}
    pack = _overlaid(overlay)
    assert pack.source("mofcom-gac-70").url == "https://example.org/70"
    assert pack.source("mofcom-gac-70").short == "Announcement No. 70"
    assert pack.limb("de_minimis").title == "Counsel's wording" and pack.limb("de_minimis").applies_to == ("part2",)
    items = {item["id"]: item for item in pack.part1_items}
    assert len(items) == 14 and items["ho-metal"]["name"] == "holmium metal"
    assert items["tb-oxide"] == {**items["tb-oxide"], "name": "terbium oxide", "control_code": "1C904.x"}


MERGE_ERRORS = [
    ("a misspelt section is not ignored", {"event": [{}]}, "unknown key 'event'"),
    ("a misspelt key inside a table", {"de_minimis": {"treshold": "0.002"}}, "unknown key 'de_minimis.treshold'"),
    ("a value where the base has a table", {"de_minimis": "0.002"}, "'de_minimis' is a table in the base pack"),
    ("a source without an id", {"sources": [{"title": "memo"}]}, "'sources' entry 1 has no 'id'"),
    ("the id of the pack it extends", {"id": "mofcom-61-2025"}, "'id' is 'mofcom-61-2025'"),
]


@pytest.mark.parametrize("change, message", [case[1:] for case in MERGE_ERRORS], ids=[case[0] for case in MERGE_ERRORS])
def test_a_merge_problem_names_the_file_and_the_key(change, message):
    with pytest.raises(RulePackError, match="^counsel.toml: ") as error:
        merge_overlay(_base(), {**EXTENSION, **change}, "counsel.toml")
    assert message in str(error.value)


@pytest.mark.parametrize("missing", ["id", "version"])
def test_an_overlay_needs_its_own_id_and_version(missing):
    overlay = {key: value for key, value in EXTENSION.items() if key != missing}
    with pytest.raises(RulePackError, match=f"counsel.toml: missing entry '{missing}'"):
        merge_overlay(_base(), overlay, "counsel.toml")


EVENT_ERRORS = [
    ("an unknown limb", {"limbs": ["de_minimus"]}, "[[events]] #1, key 'limbs': unknown limb(s) de_minimus"),
    ("an unknown source", {"source": "memo"}, "[[events]] #1, key 'source': unknown source 'memo'"),
    ("a date that is no date", {"date": "2026-02-30"}, "[[events]] #1, key 'date': '2026-02-30' is not a date"),
    ("an end before the start", {"until": dt.date(2026, 11, 1)}, "key 'until': 2026-11-01 is before the event's date 2026-11-11"),
    ("an end date on a repeal", {"action": "repeal"}, "key 'until': only a suspend event has an end date"),
    ("an unknown action", {"action": "lift"}, "key 'action': 'lift' is not an action"),
    ("limbs as one text", {"limbs": "de_minimis"}, "key 'limbs': give a list of limb ids"),
]


@pytest.mark.parametrize("change, message", [case[1:] for case in EVENT_ERRORS], ids=[case[0] for case in EVENT_ERRORS])
def test_a_bad_overlay_event_is_named_by_file_number_and_key(change, message):
    overlay = {**EXTENSION, "events": [{**EXTENSION["events"][0], **change}]}
    with pytest.raises(RulePackError) as error:
        _overlaid(overlay)
    assert str(error.value).startswith("counsel.toml: [[events]] #1")
    assert message in str(error.value)


def test_a_packaged_pack_document_changed_by_one_caller_is_read_afresh_by_the_next():
    from bomcalc.io.rulepack import load_rule_pack, rule_pack_document

    first, origin = rule_pack_document("mofcom-61-2025")
    rule = dict(first["de_minimis"])
    first["de_minimis"]["threshold"] = "0.5"  # a caller's own copy: the shipped text is parsed once, then copied
    first.clear()
    again, again_origin = rule_pack_document("mofcom-61-2025")
    assert again_origin == origin and again["de_minimis"] == rule and "sources" in again
    assert str(load_rule_pack("mofcom-61-2025").threshold) == str(load_rule_pack().threshold)
