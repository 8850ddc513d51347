"""An audit pack is untrusted input: hostile and malformed packs, one quirk each.

Each test starts from a genuine pack (made once per module and copied) and changes one thing,
as someone handing over a pack could.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.pack import make_pack

SAMPLES = Path(__file__).resolve().parent.parent / "sample_boms"
SECRET = "TOPSECRET-4711"


@pytest.fixture(scope="module")
def genuine(tmp_path_factory):
    return make_pack(tmp_path_factory.mktemp("genuine") / "pack", SAMPLES / "servo_actuator.xlsx", as_of=dt.date(2026, 11, 11))


@pytest.fixture
def pack(genuine, tmp_path):
    copy = tmp_path / "pack"
    shutil.copytree(genuine, copy)
    return copy


def _manifest(pack: Path) -> dict:
    return json.loads((pack / "manifest.json").read_text())


def _rewrite(pack: Path, manifest: dict) -> None:
    (pack / "manifest.json").write_text(json.dumps(manifest))


def _verify(pack: Path):
    return CliRunner().invoke(main, ["verify", str(pack)])


def _secret_beside(pack: Path) -> Path:
    """A file outside the pack whose content must never be read or shown."""
    secret = pack.parent / "secret.csv"
    secret.write_text(f"part_id,description\n{SECRET},{SECRET}\n")
    return secret


def test_a_genuine_pack_verifies(pack):
    outcome = _verify(pack)
    assert outcome.exit_code == 0, outcome.output


def test_a_path_with_dot_dot_is_refused_and_never_read(pack):
    _secret_beside(pack)
    manifest = _manifest(pack)
    manifest["inputs"][0]["copy"] = manifest["options"]["bom"] = "../secret.csv"
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 1, outcome.output
    assert "inputs[0].copy" in outcome.output and "outside the pack" in outcome.output
    assert SECRET not in outcome.output


def test_an_absolute_path_is_refused_and_never_read(pack):
    secret = _secret_beside(pack)
    manifest = _manifest(pack)
    manifest["inputs"][0]["copy"] = manifest["options"]["bom"] = str(secret)
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 1, outcome.output
    assert "outside the pack" in outcome.output and SECRET not in outcome.output


def test_a_symbolic_link_out_of_the_pack_is_a_difference_even_to_an_identical_file(pack):
    outside = pack.parent / "elsewhere.xlsx"
    shutil.copy(SAMPLES / "servo_actuator.xlsx", outside)  # same bytes: only the link gives it away
    (pack / "inputs" / "servo_actuator.xlsx").unlink()
    (pack / "inputs" / "servo_actuator.xlsx").symlink_to(outside)
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "inputs/servo_actuator.xlsx is a symbolic link leading out of the pack" in outcome.output


def test_a_linked_inputs_folder_is_never_followed(pack, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(pack / "inputs", elsewhere)
    (pack / "inputs").symlink_to(elsewhere)
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "inputs is a symbolic link" in outcome.output


def test_a_link_to_dev_zero_is_never_read(pack):
    (pack / "rulepack.toml").unlink()
    (pack / "rulepack.toml").symlink_to("/dev/zero")
    outcome = _verify(pack)  # before, this read /dev/zero without end
    assert outcome.exit_code == 4, outcome.output
    assert "rulepack.toml is a symbolic link leading out of the pack" in outcome.output
    assert "not recomputed" in outcome.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_in_place_of_a_file_is_never_opened(pack):
    (pack / "result.csv").unlink()
    os.mkfifo(pack / "result.csv")  # opening it to read would wait for a writer for ever
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "result.csv is a FIFO (named pipe); it was not read" in outcome.output


def test_removed_file_hashes_are_differences(pack):
    manifest = _manifest(pack)
    manifest["files"] = {}
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    for name in ("rulepack.toml", "result.json", "result.csv", "report.xlsx"):
        assert f"{name} has no recorded SHA-256" in outcome.output


def test_a_removed_input_hash_is_a_difference(pack):
    manifest = _manifest(pack)
    del manifest["inputs"][0]["sha256"]
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "input inputs/servo_actuator.xlsx has no recorded SHA-256" in outcome.output


def test_an_edited_report_is_a_difference(pack):
    data = (pack / "report.xlsx").read_bytes()
    (pack / "report.xlsx").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "report.xlsx changed since the pack was made" in outcome.output


def test_a_missing_report_is_a_difference(pack):
    (pack / "report.xlsx").unlink()
    outcome = _verify(pack)
    assert outcome.exit_code == 4 and "report.xlsx is missing from the pack" in outcome.output


def test_a_file_the_manifest_does_not_list_is_a_difference(pack):
    (pack / "inputs" / "extra_declarations.csv").write_text("part_id\nX\n")
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "inputs/extra_declarations.csv is in the pack but not in the manifest" in outcome.output


def _drop_as_of(m):
    del m["options"]["as_of"]


def _null_files(m):
    m["files"] = None


def _unknown_reading_key(m):
    m["options"]["reading"]["evil"] = 1


def _null_options(m):
    m["options"] = None


def _as_of_not_a_date(m):
    m["options"]["as_of"] = "yesterday"


def _input_not_a_table(m):
    m["inputs"][0] = "inputs/servo_actuator.xlsx"


def _no_format(m):
    del m["format"]


def _unknown_top_key(m):
    m["run_first"] = "rm -rf /"


@pytest.mark.parametrize("breakage, key", [
    (_drop_as_of, "options.as_of"),
    (_null_files, "files"),
    (_unknown_reading_key, "options.reading.evil"),
    (_null_options, "options"),
    (_as_of_not_a_date, "options.as_of"),
    (_input_not_a_table, "inputs[0]"),
    (_no_format, "format"),
    (_unknown_top_key, "run_first"),
], ids=["missing as_of", "null files", "unknown reading key", "null options", "as_of not a date", "input not a table",
        "no format version", "unknown top-level key"])
def test_a_malformed_manifest_is_exit_1_naming_the_key(pack, breakage, key):
    manifest = _manifest(pack)
    breakage(manifest)
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 1, outcome.output
    assert f"'{key}'" in outcome.output
    assert "Internal error" not in outcome.output and "Traceback" not in outcome.output


def test_a_manifest_that_is_not_an_object_is_exit_1(pack):
    (pack / "manifest.json").write_text("[1, 2]")
    outcome = _verify(pack)
    assert outcome.exit_code == 1 and "must be a JSON object" in outcome.output


def test_an_option_path_that_is_not_a_recorded_input_is_refused(pack):
    manifest = _manifest(pack)
    manifest["options"]["reading"]["fx"] = "result.csv"  # a pack file, but not a hashed input
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 1, outcome.output
    assert "every file the options name must be a recorded input" in outcome.output


def test_a_hash_only_pack_naming_a_device_is_a_difference(tmp_path):
    original = tmp_path / "bom.xlsx"
    shutil.copy(SAMPLES / "servo_actuator.xlsx", original)
    pack = make_pack(tmp_path / "pack", original, as_of=dt.date(2026, 11, 11), hash_only=True)
    manifest = _manifest(pack)
    manifest["options"]["bom"] = "/dev/zero"
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "input /dev/zero is a device; it was not read" in outcome.output


def test_a_missing_input_is_a_difference_and_nothing_is_recomputed(pack):
    (pack / "inputs" / "servo_actuator.xlsx").unlink()
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert "input inputs/servo_actuator.xlsx is missing" in outcome.output
    assert "the result was not recomputed" in outcome.output


def test_a_deeply_nested_manifest_is_exit_1(pack):
    (pack / "manifest.json").write_text("[" * 100_000 + "]" * 100_000)
    outcome = _verify(pack)
    assert outcome.exit_code == 1 and "not valid JSON" in outcome.output, outcome.output


def test_a_pack_reached_through_a_link_verifies(pack, tmp_path):
    (tmp_path / "link").symlink_to(pack)
    outcome = _verify(tmp_path / "link")
    assert outcome.exit_code == 0, outcome.output


def test_a_hash_only_pack_never_reads_an_original_whose_hash_differs(tmp_path):
    original = tmp_path / "bom.xlsx"
    shutil.copy(SAMPLES / "servo_actuator.xlsx", original)
    pack = make_pack(tmp_path / "pack", original, as_of=dt.date(2026, 11, 11), hash_only=True)
    secret = _secret_beside(pack)
    manifest = _manifest(pack)
    manifest["options"]["bom"] = str(secret)
    _rewrite(pack, manifest)
    outcome = _verify(pack)
    assert outcome.exit_code == 4, outcome.output
    assert f"input {secret} changed" in outcome.output and "the result was not recomputed" in outcome.output
    assert SECRET not in outcome.output
