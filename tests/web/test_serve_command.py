"""``bomcalc serve``: its options, the warning when bound beyond this machine, and the extra it needs."""

from __future__ import annotations

import importlib.machinery
import sys
import types

import pytest
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.cli_serve import byte_count


@pytest.fixture
def started(monkeypatch):
    """A stand-in for uvicorn: records what the server would have been started with."""
    calls = []
    fake = types.ModuleType("uvicorn")
    fake.__spec__ = importlib.machinery.ModuleSpec("uvicorn", None)
    fake.run = lambda app, **options: calls.append((app, options))
    monkeypatch.setitem(sys.modules, "uvicorn", fake)
    return calls


def test_serve_binds_this_machine_by_default_without_a_warning(started):
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0, result.output
    (app, options), = started
    assert options["host"] == "127.0.0.1" and options["port"] == 8765
    assert app.max_upload == 100_000_000
    assert "WARNING" not in result.stderr and "http://127.0.0.1:8765/" in result.stderr


def test_serve_warns_when_bound_beyond_this_machine(started):
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "9000", "--max-upload", "2MiB",
                                       "--timeout", "30", "--max-memory", "1GiB"])
    assert result.exit_code == 0, result.output
    assert "WARNING: bomcalc serve is bound to 0.0.0.0" in result.stderr and "no log-in" in result.stderr
    (app, options), = started
    assert options["host"] == "0.0.0.0" and app.max_upload == 2 * 1024 ** 2


@pytest.mark.parametrize("text, count", [("100MB", 100_000_000), ("2GiB", 2 * 1024 ** 3), ("500000", 500_000),
                                         ("1.5 kb", 1500)])
def test_sizes_are_read_with_their_units(text, count):
    assert byte_count(text) == count


def test_a_size_that_is_not_one_is_a_usage_error(started):
    result = CliRunner().invoke(main, ["serve", "--max-upload", "lots"])
    assert result.exit_code == 2 and "'lots' is not a size" in result.output
    assert started == []


def test_serve_without_the_web_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "starlette", None)
    monkeypatch.setattr("bomcalc.core.extras._installed", lambda module: module != "starlette")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: bomcalc serve needs the web packages: pip install 'bomcalc[web]'"
