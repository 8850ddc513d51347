"""Audit packs: make, verify, and detect what changed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.pack import make_pack, verify_pack

SAMPLES = Path(__file__).resolve().parent.parent / "sample_boms"
DAY = dt.date(2026, 11, 11)


def test_pack_then_verify_round_trip(tmp_path):
    pack = make_pack(tmp_path / "pack", SAMPLES / "servo_actuator.xlsx", as_of=DAY)
    names = {p.name for p in pack.iterdir()}
    assert {"manifest.json", "inputs", "rulepack.toml", "result.json", "result.csv", "report.xlsx"} <= names
    outcome = verify_pack(pack)
    assert outcome.ok, outcome.differences
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["options"]["as_of"] == "2026-11-11"
    assert len(manifest["inputs"][0]["sha256"]) == 64


def test_two_packs_of_the_same_inputs_give_byte_identical_results(tmp_path):
    first = make_pack(tmp_path / "a", SAMPLES / "servo_actuator.xlsx", as_of=DAY)
    second = make_pack(tmp_path / "b", SAMPLES / "servo_actuator.xlsx", as_of=DAY)
    for name in ("result.json", "result.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_verify_detects_a_changed_input(tmp_path):
    pack = make_pack(tmp_path / "pack", SAMPLES / "servo_actuator.xlsx", as_of=DAY)
    shutil.copy(SAMPLES / "ebike_hub_motor.xlsx", pack / "inputs" / "servo_actuator.xlsx")
    outcome = verify_pack(pack)
    assert not outcome.ok
    assert any("input inputs/servo_actuator.xlsx changed" in d for d in outcome.differences)
    assert any("item MAG-ARC is no longer in the result" in d for d in outcome.differences)


def test_verify_detects_a_changed_rule_pack(tmp_path):
    pack = make_pack(tmp_path / "pack", SAMPLES / "servo_actuator.xlsx", as_of=DAY)
    text = (pack / "rulepack.toml").read_text()
    (pack / "rulepack.toml").write_text(text.replace('threshold = "0.001"', 'threshold = "0.1"'))
    outcome = verify_pack(pack)
    assert any("the rule pack changed" in d for d in outcome.differences)
    assert any("item MAG-ARC: status was 'licence_required', now 'not_required'" in d for d in outcome.differences)


def test_hash_only_pack_verifies_against_the_originals(tmp_path):
    original = tmp_path / "bom.xlsx"
    shutil.copy(SAMPLES / "servo_actuator.xlsx", original)
    pack = make_pack(tmp_path / "pack", original, as_of=DAY, hash_only=True)
    assert not (pack / "inputs").exists()
    assert verify_pack(pack).ok
    shutil.copy(SAMPLES / "sputtering_target.xlsx", original)
    assert not verify_pack(pack).ok


def test_cli_report_pack_and_verify(tmp_path):
    runner = CliRunner()
    made = runner.invoke(main, ["report", str(SAMPLES / "servo_actuator.xlsx"), "--pack", str(tmp_path / "p"), "--as-of", "2026-11-11"])
    assert made.exit_code == 0, made.output
    ok = runner.invoke(main, ["verify", str(tmp_path / "p")])
    assert ok.exit_code == 0 and "verified" in ok.output
    (tmp_path / "p" / "result.json").write_text("{}")
    bad = runner.invoke(main, ["verify", str(tmp_path / "p")])
    assert bad.exit_code == 4 and "NOT verified" in bad.output
