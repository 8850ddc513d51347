"""``bomcalc rules show/check/new`` and overlays given to ``--rules``: outputs, errors, audit packs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import bomcalc
from bomcalc.core.errors import RulePackError
from bomcalc.pack import make_pack, verify_pack

from .test_cli import run  # noqa: F401 (the command-line runner fixture)

SERVO = str(Path(__file__).resolve().parent.parent / "sample_boms" / "servo_actuator.xlsx")
LIMBS = ("de_minimis", "chinese_technology", "china_origin")

OVERLAY = """id = "acme-counsel"
version = "2026-12-01"
extends = "mofcom-61-2025"

[[sources]]
id = "counsel-memo"
short = "Counsel memo 2026-11-20"
title = "Outside counsel memo of 2026-11-20"

[[events]]
date = 2026-11-11
action = "suspend"
until = 2027-11-10
limbs = ["de_minimis", "chinese_technology", "china_origin"]
source = "counsel-memo"
"""


@pytest.fixture
def overlay(tmp_path):
    path = tmp_path / "counsel.toml"
    path.write_text(OVERLAY, encoding="utf-8")
    return path


def test_check_with_an_overlay_puts_every_limb_out_of_force_and_names_both_packs(run, overlay):
    result = run("check", SERVO, "--rules", overlay, "--as-of", "2026-12-01", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["rule_pack"]["id"] == "acme-counsel" and document["rule_pack"]["version"] == "2026-12-01"
    assert [base["id"] for base in document["rule_pack"]["extends"]] == ["mofcom-61-2025"]
    assert document["rule_pack"]["last_event"] == "2027-11-10" and not document["rule_pack"]["as_of_beyond_last_event"]
    assert {limb["id"]: limb["in_force"] for limb in document["limbs"]} == dict.fromkeys(LIMBS, False)
    assert not any(item["in_force"] for item in document["items"])
    assert "later than the rule pack's last recorded event" not in result.output


def test_the_table_footer_names_the_overlay_and_its_base(run, overlay):
    result = run("check", SERVO, "--rules", overlay, "--as-of", "2027-11-11")
    assert result.exit_code == 0, result.output
    assert "Rule pack acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1); as of 2027-11-11" in result.stdout
    assert "de_minimis (Clause 1(1)): in force since 2025-12-01; the suspension by Counsel memo 2026-11-20 ended 2027-11-10" in result.stdout
    assert "later than the rule pack's last recorded event (suspend of de_minimis" in result.output  # beyond 2027-11-10


def test_the_packaged_pack_alone_warns_on_2026_12_01(run):
    result = run("check", SERVO, "--as-of", "2026-12-01")
    assert "later than the rule pack's last recorded event" in result.output
    assert "bomcalc rules new" in result.output


def test_an_audit_pack_records_the_overlay_and_verify_reproduces_the_result(tmp_path, overlay):
    folder = make_pack(tmp_path / "pack", SERVO, as_of="2026-12-01", rules=str(overlay))
    assert (folder / "rulepack.toml").read_text(encoding="utf-8") == OVERLAY
    result = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    assert result["rule_pack"]["id"] == "acme-counsel" and result["rule_pack"]["extends"][0]["id"] == "mofcom-61-2025"
    outcome = verify_pack(folder)
    assert outcome.ok, outcome.differences


def test_an_audit_pack_refuses_an_overlay_that_extends_another_file(tmp_path, overlay):
    second = tmp_path / "second.toml"
    second.write_text('id = "second"\nversion = "1"\nextends = "counsel.toml"\n', encoding="utf-8")
    assert bomcalc.load_rule_pack(second).label == ("second 1 (overlay on acme-counsel 2026-12-01 "
                                                   "(overlay on mofcom-61-2025 2026.11.1))")
    with pytest.raises(RulePackError, match="second.toml: key 'extends': an audit pack records one rule-pack file"):
        make_pack(tmp_path / "pack", SERVO, as_of="2026-12-01", rules=str(second))
    assert not (tmp_path / "pack").exists()


def test_rules_show_lists_limbs_timeline_sources_and_items_with_what_is_in_force(run, overlay):
    result = run("rules", "show", overlay, "--as-of", "2026-11-10")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Rule pack acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1)\n")
    assert "extends mofcom-61-2025 2026.11.1 (bomcalc/rulepacks/mofcom_61_2025.toml)" in text
    assert "de minimis threshold: 0.1% of the item's value (inclusive" in text
    limbs = text.split("Limbs on 2026-11-10:\n")[1].split("\n\n")[0].splitlines()
    assert [line.split()[:4] for line in limbs] == [
        ["de_minimis", "Clause", "1(1)", "part2"], ["chinese_technology", "Clause", "1(2)", "part1,"],
        ["china_origin", "Clause", "1(3)", "part1,"]]
    assert all("suspended until 2026-11-10 by Announcement No. 70" in line for line in limbs)
    timeline = text.split("Timeline (suspension end dates inclusive):\n")[1].split("Last recorded event")[0].splitlines()
    assert [line.split()[:2] for line in timeline] == [["2025-10-09", "in_force"], ["2025-11-07", "suspend"],
                                                       ["2025-12-01", "in_force"], ["2026-11-11", "suspend"]]
    assert timeline[-1].endswith("Counsel memo 2026-11-20  recorded in acme-counsel")
    assert "Last recorded event: 2027-11-10." in text and "Warning:" not in text
    assert "counsel-memo" in text and "Annex 1 Part 1 items (13):" in text and "Annex 1 Part 2 items (2):" in text


def test_rules_show_of_the_packaged_pack_as_json(run):
    result = run("rules", "show", "mofcom-61-2025", "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert (document["id"], document["extends"], document["threshold"], document["inclusive"]) == ("mofcom-61-2025", [], "0.001", True)
    assert {limb["id"]: limb["in_force"] for limb in document["limbs"]} == dict.fromkeys(LIMBS, True)
    assert document["as_of_beyond_last_event"] and "2026-11-10" in document["warning"]
    assert [(e["date"], e["action"], e["until"]) for e in document["events"]] == [
        ("2025-10-09", "in_force", None), ("2025-11-07", "suspend", "2026-11-10"), ("2025-12-01", "in_force", None)]
    assert len(document["annex1"]["part1"]) == 13 and len(document["sources"]) == 6


def test_rules_show_without_a_pack_shows_the_packaged_one(run):
    result = run("rules", "show", "--as-of", "2025-10-08")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Rule pack mofcom-61-2025 2026.11.1\n")
    assert "not yet in force on 2025-10-08 (enters into force 2025-10-09)" in result.stdout


def test_rules_check_accepts_a_valid_overlay(run, overlay):
    result = run("rules", "check", overlay)
    assert result.exit_code == 0, result.output
    assert "a valid rule pack, acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1): 3 limbs, 4 events" in result.stdout


def _event(**change) -> str:
    fields = {"date": "2026-11-11", "action": '"suspend"', "until": "2027-11-10", "limbs": '["de_minimis"]',
              "source": '"counsel-memo"', **change}
    return "[[events]]\n" + "".join(f"{key} = {value}\n" for key, value in fields.items() if value is not None)


HEAD = 'id = "acme-counsel"\nversion = "1"\nextends = "mofcom-61-2025"\n[[sources]]\nid = "counsel-memo"\n'
CHECK_ERRORS = [
    ("an unknown pack id", 'id = "a"\nversion = "1"\nextends = "mofcom-99"\n', "key 'extends': unknown pack id 'mofcom-99'"),
    ("extends that is not a text", 'id = "a"\nversion = "1"\nextends = 61\n', "key 'extends' must be the id of a pack"),
    ("an overlay extending itself", 'id = "a"\nversion = "1"\nextends = "counsel.toml"\n', "key 'extends': the overlays extend each other in a cycle"),
    ("an event naming an unknown limb", HEAD + _event(limbs='["de_minimus"]'), "[[events]] #1, key 'limbs': unknown limb(s) de_minimus"),
    ("an event naming an unknown source", HEAD + _event(source='"memo"'), "[[events]] #1, key 'source': unknown source 'memo'"),
    ("a date that is not a date", HEAD + _event(date='"2026-11-31"'), "[[events]] #1, key 'date': '2026-11-31' is not a date"),
    ("a suspension ending before it starts", HEAD + _event(until="2026-11-01"), "key 'until': 2026-11-01 is before the event's date"),
    ("an event without a date", HEAD + _event(date=None), "[[events]] #1: missing key 'date'"),
    ("an unknown action", HEAD + _event(action='"lift"'), "key 'action': 'lift' is not an action"),
    ("a misspelt section", HEAD + "[[event]]\ndate = 2026-11-11\n", "unknown key 'event'"),
    ("a misspelt threshold key", HEAD + "[de_minimis]\ntreshold = \"0.002\"\n", "unknown key 'de_minimis.treshold'"),
    ("a threshold that is no number", HEAD + "[de_minimis]\nthreshold = \"0.1%\"\n", "key 'de_minimis.threshold': '0.1%' is not a number"),
    ("a threshold of 100%", HEAD + "[de_minimis]\nthreshold = \"1\"\n", "threshold must be a share between 0 and 1"),
    ("an overlay without a version", 'id = "a"\nextends = "mofcom-61-2025"\n', "missing entry 'version'"),
    ("a TOML syntax error", 'id = "a\n', "not valid TOML"),
    ("a plain pack without limbs", 'id = "a"\nversion = "1"\n[de_minimis]\nthreshold = "0.001"\n', "missing entry 'limbs'"),
]


@pytest.mark.parametrize("text, message", [case[1:] for case in CHECK_ERRORS], ids=[case[0] for case in CHECK_ERRORS])
def test_rules_check_names_the_file_and_the_key_and_exits_non_zero(run, tmp_path, text, message):
    path = tmp_path / "counsel.toml"
    path.write_text(text, encoding="utf-8")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert str(path) in result.output and message in result.output


def test_rules_check_of_two_overlays_extending_each_other_names_the_cycle(run, tmp_path):
    (tmp_path / "a.toml").write_text('id = "a"\nversion = "1"\nextends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('id = "b"\nversion = "1"\nextends = "a.toml"\n', encoding="utf-8")
    result = run("rules", "check", tmp_path / "a.toml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "key 'extends': the overlays extend each other in a cycle" in result.output
    assert "a.toml -> " in result.output and "b.toml -> " in result.output


def test_rules_check_of_a_missing_file(run, tmp_path):
    result = run("rules", "check", tmp_path / "nope.toml")
    assert result.exit_code == 1 and "nope.toml: cannot be read" in result.output and "Traceback" not in result.output


def test_rules_new_writes_an_overlay_that_passes_rules_check_as_written(run, tmp_path):
    target = tmp_path / "counsel.toml"
    result = run("rules", "new", "--extends", "mofcom-61-2025", "--output", target)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert 'extends = "mofcom-61-2025"' in text and "# [[events]]" in text and "\n[[events]]" not in text
    checked = run("rules", "check", target)
    assert checked.exit_code == 0, checked.output
    assert "(overlay on mofcom-61-2025 2026.11.1): 3 limbs, 3 events, 6 sources; last recorded event 2026-11-10" in checked.stdout


def test_the_examples_of_rules_new_uncommented_extend_the_suspension(run, tmp_path):
    target = tmp_path / "counsel.toml"
    run("rules", "new", "--extends", "mofcom-61-2025", "--output", target)
    lines = target.read_text(encoding="utf-8").splitlines()
    start = lines.index("# [[sources]]")
    end = lines.index("# 3. Only if counsel says the line itself changed:")
    filled = lines[:start] + [line[2:] if line.startswith("# ") and not line.startswith("# 2.") else line
                              for line in lines[start:end]]
    target.write_text("\n".join(filled) + "\n", encoding="utf-8")
    pack = bomcalc.load_rule_pack(target)
    assert pack.last_event_date.isoformat() == "2027-11-10"
    assert {state.state for state in pack.limb_states(bomcalc.parse_date("2026-12-01")).values()} == {"suspended"}


def test_rules_new_never_overwrites_without_force(run, tmp_path):
    target = tmp_path / "counsel.toml"
    target.write_text("mine", encoding="utf-8")
    result = run("rules", "new", "--extends", "mofcom-61-2025", "--output", target)
    assert result.exit_code == 1 and "exists" in result.output and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "mine"
    forced = run("rules", "new", "--extends", "mofcom-61-2025", "--output", target, "--force")
    assert forced.exit_code == 0 and target.read_text(encoding="utf-8").startswith("# bomcalc rule-pack overlay")


def test_rules_new_of_an_unknown_pack(run, tmp_path):
    result = run("rules", "new", "--extends", "mofcom-99", "--output", tmp_path / "x.toml")
    assert result.exit_code == 1 and "mofcom-99" in result.output and not (tmp_path / "x.toml").exists()


def test_the_readme_example_overlay_is_valid_and_does_what_the_readme_says(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("An example: counsel reads the suspension as extended by one year.\n\n```toml\n")[1].split("```")[0]
    path = tmp_path / "counsel.toml"
    path.write_text(example, encoding="utf-8")
    pack = bomcalc.load_rule_pack(path)
    assert pack.label == "acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1)"
    state = {day: {s.state for s in pack.limb_states(bomcalc.parse_date(day)).values()}
             for day in ("2026-11-10", "2026-11-11", "2027-11-10", "2027-11-11")}
    assert state == {"2026-11-10": {"suspended"}, "2026-11-11": {"suspended"}, "2027-11-10": {"suspended"},
                     "2027-11-11": {"in_force"}}
    assert pack.staleness_warning(bomcalc.parse_date("2026-12-01")) is None


@pytest.mark.parametrize("command", ["show", "check", "new"])
def test_every_rules_command_has_help_with_an_example(run, command):
    result = run("rules", command, "--help")
    assert result.exit_code == 0 and "Example:" in result.output


def test_rules_show_never_writes_over_the_pack_it_shows(run, overlay):
    result = run("rules", "show", overlay, "--output", overlay)
    assert result.exit_code == 1 and "would overwrite the rules input" in result.output
    assert overlay.read_text(encoding="utf-8") == OVERLAY


@pytest.mark.parametrize("command", [("explain", SERVO, "MAG-ARC"), ("classify", SERVO)], ids=["explain", "classify"])
def test_other_commands_taking_rules_take_an_overlay_and_name_it(run, overlay, command):
    result = run(*command, "--rules", overlay, *(["--as-of", "2026-12-01"] if command[0] == "explain" else []))
    assert result.exit_code == 0, result.output
    assert "Rule pack acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1)" in result.stdout
    if command[0] == "explain":
        assert "de_minimis (Clause 1(1)): not in force on 2026-12-01: suspended until 2027-11-10 by Counsel memo" in result.stdout


def test_rules_check_of_entries_that_are_not_tables(run, tmp_path):
    path = tmp_path / "pack.toml"
    path.write_text('id = "x"\nversion = "1"\nlimbs = ["de_minimis"]\nevents = []\n[de_minimis]\nthreshold = "0.001"\n',
                    encoding="utf-8")
    result = run("rules", "check", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{path}: key 'limbs': write each entry as a [[limbs]] table" in result.output


def test_verify_never_reads_a_rule_pack_outside_the_audit_pack(tmp_path, overlay):
    folder = make_pack(tmp_path / "pack", SERVO, as_of="2026-12-01", rules=str(overlay))
    (tmp_path / "outside.toml").write_text(OVERLAY.replace('"acme-counsel"', '"outside"'), encoding="utf-8")
    (folder / "rulepack.toml").write_text(OVERLAY.replace('"mofcom-61-2025"', '"../outside.toml"', 1), encoding="utf-8")
    outcome = verify_pack(folder)
    assert not outcome.ok and any("the rule pack changed" in difference for difference in outcome.differences)
    assert any("could not be recomputed: rulepack.toml: key 'extends': an audit pack records one rule-pack file"
               in difference for difference in outcome.differences)
