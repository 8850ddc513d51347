"""The progress bar: on a terminal only, after two seconds, never with --quiet, never on stdout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from bomcalc import cli_progress
from bomcalc.cli import main
from bomcalc.cli_progress import progress_bar
from bomcalc.core.progress import counted

SERVO = Path(__file__).resolve().parent.parent / "sample_boms" / "servo_actuator.xlsx"


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class FakeClock:
    """Seconds that move only when the test says so (or by ``step`` at each reading)."""

    def __init__(self, step: float = 0.0):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_the_bar_appears_on_a_terminal_only_once_two_seconds_have_passed():
    terminal, clock = FakeTerminal(), FakeClock()
    with progress_bar(stream=terminal, clock=clock, ticking=False) as progress:
        progress("reading bom.csv", 0, 1)
        clock.now = 1.9
        progress("reading bom.csv", 1, 1)
        progress("rolling up", 0, 1)
        assert terminal.getvalue() == ""  # small work: no flicker
        clock.now = 2.1
        progress("tracing contributions", 3, 10)
        shown = terminal.getvalue()
        assert "tracing contributions" in shown and "3/10" in shown
        progress.tick()  # the background redraw: the latest stage again
        assert terminal.getvalue().count("tracing contributions") >= 2


def test_the_time_shown_is_the_commands_not_the_stages():
    terminal, clock = FakeTerminal(), FakeClock()
    with progress_bar(stream=terminal, clock=clock, ticking=False) as progress:
        progress("reading bom.csv", 0, 1)
        clock.now = 65
        progress.tick()
        assert terminal.getvalue().endswith("0/1 [01:05]")
        progress("rolling up", 0, 1)  # a new stage: the bar is reset, the time goes on
        clock.now = 66
        progress.tick()
        assert terminal.getvalue().endswith("rolling up:   0%|          | 0/1 [01:06]")


def test_a_file_name_in_a_stage_is_shown_as_text_never_acted_on():
    terminal, clock = FakeTerminal(), FakeClock()
    with progress_bar(stream=terminal, clock=clock, ticking=False) as progress:
        clock.now = 3
        progress("reading \x1b]0;owned\x07.csv", 0, 1)
    assert "\x1b]0;" not in terminal.getvalue() and "\\x1b]0;owned\\x07.csv" in terminal.getvalue()


@pytest.mark.parametrize("stream, quiet", [(io.StringIO(), False), (FakeTerminal(), True)], ids=["not a terminal", "quiet"])
def test_no_bar_when_stderr_is_not_a_terminal_or_with_quiet(stream, quiet):
    with progress_bar(quiet=quiet, stream=stream, clock=FakeClock(step=5)) as progress:
        assert progress is None
    assert stream.getvalue() == ""


def test_counted_tells_each_step():
    told = []
    assert list(counted(lambda *a: told.append(a), "items", "abc", 3)) == ["a", "b", "c"]
    assert told == [("items", 0, 3), ("items", 1, 3), ("items", 2, 3), ("items", 3, 3)]


def _check(monkeypatch, *options):
    terminal = FakeTerminal()
    monkeypatch.setattr(cli_progress, "_stderr", lambda: terminal)
    monkeypatch.setattr(cli_progress, "_clock", FakeClock(step=1.0))  # every reading of the clock: one more second
    result = CliRunner().invoke(main, [*options, "check", str(SERVO), "--as-of", "2026-11-11", "--format", "json"])
    return result, terminal.getvalue()


def test_check_on_a_terminal_draws_the_stages_and_leaves_stdout_as_it_is(monkeypatch):
    shown, bar = _check(monkeypatch)
    assert shown.exit_code == 0, shown.output
    assert "rolling up" in bar and "servo_actuator.xlsx" in bar
    quiet, nothing = _check(monkeypatch, "--quiet")
    assert quiet.exit_code == 0 and nothing == ""
    assert shown.stdout == quiet.stdout and shown.stdout.startswith("{")
    piped = CliRunner().invoke(main, ["check", str(SERVO), "--as-of", "2026-11-11", "--format", "json"])
    assert piped.stdout == shown.stdout and "rolling up" not in piped.stderr


def test_report_on_a_terminal_draws_the_report_stages(monkeypatch, tmp_path):
    terminal = FakeTerminal()
    monkeypatch.setattr(cli_progress, "_stderr", lambda: terminal)
    monkeypatch.setattr(cli_progress, "_clock", FakeClock(step=1.0))
    result = CliRunner().invoke(main, ["report", str(SERVO), "--output", str(tmp_path / "r.xlsx"), "--as-of", "2026-11-11"])
    assert result.exit_code == 0, result.output
    assert all(stage in terminal.getvalue() for stage in ("reading servo_actuator.xlsx", "rolling up",
                                                          "tracing contributions", "writing report"))
