"""Outputs never destroy inputs; OS problems are exit 1 with the path; Ctrl-C leaves nothing partial."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bomcalc.cli import main

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_boms"
DAY = ["--as-of", "2026-11-11"]


@pytest.fixture
def bom(tmp_path):
    path = tmp_path / "bom.xlsx"
    shutil.copy(SAMPLES / "servo_actuator.xlsx", path)
    return path


@pytest.fixture
def csv_folder(tmp_path):
    folder = tmp_path / "ebike"
    shutil.copytree(SAMPLES / "ebike_hub_motor", folder)
    return folder


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_output_onto_the_bom_is_refused_before_any_work(bom):
    before = bom.read_bytes()
    outcome = _run("check", bom, "--format", "json", "--output", bom, *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert f"would overwrite the BOM input {bom}" in outcome.output
    assert bom.read_bytes() == before


def test_check_output_through_a_link_to_the_bom_is_refused(bom, tmp_path):
    link = tmp_path / "result.json"
    link.symlink_to(bom)
    before = bom.read_bytes()
    outcome = _run("check", bom, "--format", "json", "--output", link, *DAY)
    assert outcome.exit_code == 1 and "would overwrite the BOM input" in outcome.output
    assert bom.read_bytes() == before


def test_check_output_into_a_csv_folder_input_is_refused(csv_folder):
    before = _snapshot(csv_folder)
    outcome = _run("check", csv_folder, "--format", "csv", "--output", csv_folder / "bom.csv", *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert f"would overwrite the BOM input folder {csv_folder}" in outcome.output
    assert _snapshot(csv_folder) == before


def test_check_output_onto_a_parts_file_is_refused(bom, tmp_path):
    parts = tmp_path / "parts.csv"
    parts.write_text("part_id,description\nX,y\n")
    outcome = _run("check", bom, "--parts", parts, "--format", "json", "--output", parts, *DAY)
    assert outcome.exit_code == 1 and f"would overwrite the parts input {parts}" in outcome.output
    assert parts.read_text() == "part_id,description\nX,y\n"


def test_report_xlsx_onto_the_bom_is_refused(bom):
    before = bom.read_bytes()
    outcome = _run("report", bom, "--output", bom, *DAY)
    assert outcome.exit_code == 1 and "Excel report would overwrite the BOM input" in outcome.output
    assert bom.read_bytes() == before


def test_report_pack_into_a_csv_folder_input_is_refused(csv_folder):
    before = _snapshot(csv_folder)
    outcome = _run("report", csv_folder, "--pack", csv_folder / "pack", *DAY)
    assert outcome.exit_code == 1 and "audit pack would overwrite the BOM input folder" in outcome.output
    assert _snapshot(csv_folder) == before


def test_whatif_output_onto_the_scenarios_is_refused(bom, tmp_path):
    scenarios = tmp_path / "scenarios.toml"
    shutil.copy(SAMPLES / "servo_scenarios.toml", scenarios)
    outcome = _run("whatif", bom, "--scenarios", scenarios, "--output", scenarios, *DAY)
    assert outcome.exit_code == 1 and "would overwrite the scenarios input" in outcome.output
    assert scenarios.read_bytes() == (SAMPLES / "servo_scenarios.toml").read_bytes()


def test_template_outputs_that_are_the_same_file_are_refused(tmp_path):
    outcome = _run("template", "--output", tmp_path / "t.xlsx", "--declaration-output", tmp_path / "t.xlsx")
    assert outcome.exit_code == 1 and "would be the same file" in outcome.output
    assert not (tmp_path / "t.xlsx").exists()


def test_a_read_only_target_is_refused_not_replaced(bom, tmp_path):
    target = tmp_path / "result.json"
    target.write_text("keep me")
    target.chmod(0o444)
    outcome = _run("check", bom, "--format", "json", "--output", target, *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert "read-only" in outcome.output and str(target) in outcome.output
    assert target.read_text() == "keep me"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_output_onto_a_folder_is_exit_1(bom, tmp_path):
    outcome = _run("check", bom, "--format", "json", "--output", tmp_path, *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert "is a folder; give a file name" in outcome.output


def test_output_under_a_regular_file_is_exit_1(bom, tmp_path):
    outcome = _run("check", bom, "--format", "json", "--output", bom / "result.json", *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert "is a file, not a folder" in outcome.output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc, a folder no one can create files in")
def test_output_into_a_folder_that_cannot_be_written_is_exit_1(bom):
    # /proc refuses new files even to root, for whom a chmod'ed folder would be writable
    outcome = _run("check", bom, "--format", "json", "--output", "/proc/result.json", *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert "/proc/result.json" in outcome.output and "Internal error" not in outcome.output


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders regardless")
def test_output_into_a_read_only_folder_is_exit_1(bom, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        outcome = _run("check", bom, "--format", "json", "--output", folder / "r.json", *DAY)
    finally:
        folder.chmod(0o755)
    assert outcome.exit_code == 1 and "cannot be written" in outcome.output


def test_a_full_disk_is_exit_1_with_the_path_and_the_fix(bom, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("bomcalc.io.writers.os.replace", full)
    target = tmp_path / "result.json"
    outcome = _run("check", bom, "--format", "json", "--output", target, *DAY)
    assert outcome.exit_code == 1, outcome.output
    assert str(target) in outcome.output and "the disk is full" in outcome.output
    assert [p.name for p in tmp_path.iterdir()] == ["bom.xlsx"]  # no temporary file left


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def test_ctrl_c_during_report_pack_leaves_no_partial_pack(bom, tmp_path, monkeypatch):
    monkeypatch.setattr("bomcalc.report.excel.write_excel_report", _interrupt)  # the pack is half written by then
    outcome = _run("report", bom, "--pack", tmp_path / "pack", *DAY)
    assert outcome.exit_code == 130, outcome.output
    assert outcome.stderr.strip().count("\n") == 0 and "Interrupted" in outcome.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["bom.xlsx"]


def test_ctrl_c_during_report_html_is_one_line_and_exit_130(bom, tmp_path, monkeypatch):
    monkeypatch.setattr("bomcalc.report.notebook.execute_notebook", _interrupt)
    outcome = _run("report", bom, "--html", tmp_path / "r.html", *DAY)
    assert outcome.exit_code == 130, outcome.output
    assert outcome.stderr.strip().count("\n") == 0 and "Traceback" not in outcome.output
    assert not (tmp_path / "r.html").exists()


def test_ctrl_c_during_check_is_one_line_and_exit_130(bom, tmp_path, monkeypatch):
    monkeypatch.setattr("bomcalc.api._evaluate", _interrupt)
    outcome = _run("check", bom, "--format", "json", "--output", tmp_path / "r.json", *DAY)
    assert outcome.exit_code == 130, outcome.output
    assert outcome.stderr == "Interrupted; no output was left half-written.\n"
    assert not (tmp_path / "r.json").exists()


def test_a_pack_into_an_existing_empty_folder_is_written_whole(bom, tmp_path):
    (tmp_path / "pack").mkdir()
    outcome = _run("report", bom, "--pack", tmp_path / "pack", *DAY)
    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "pack" / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bom.xlsx", "pack"]


def test_an_error_caused_by_ctrl_c_is_still_read_as_ctrl_c(bom, tmp_path, monkeypatch):
    import signal

    def kernel_start_interrupted(*args, **kwargs):
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:  # as the notebook runner does, cleaning up a kernel not yet started
            raise AttributeError("'NoneType' object has no attribute 'cleanup_resources'") from None

    monkeypatch.setattr("bomcalc.report.notebook.execute_notebook", kernel_start_interrupted)
    # a suite started from a background shell inherits Ctrl-C ignored, which bomcalc leaves ignored
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        outcome = _run("report", bom, "--html", tmp_path / "r.html", *DAY)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert outcome.exit_code == 130, outcome.output
    assert outcome.stderr == "Interrupted; no output was left half-written.\n"


def test_ctrl_c_while_the_notebook_kernel_runs_is_read_as_ctrl_c(bom, tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")

    def stopped_by_ctrl_c(self, **kwargs):
        # nbclient's own SIGINT handler shuts the kernel down, and execution then fails with another error
        self._async_cleanup_kernel_future = object()
        raise AssertionError()

    monkeypatch.setattr(nbclient.NotebookClient, "execute", stopped_by_ctrl_c)
    outcome = _run("report", bom, "--html", tmp_path / "r.html", *DAY)
    assert outcome.exit_code == 130, outcome.output
    assert outcome.stderr == "Interrupted; no output was left half-written.\n"
    assert not (tmp_path / "r.html").exists()
