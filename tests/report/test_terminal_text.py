"""Text from a BOM reaches a terminal as visible escapes, never as control codes.

An xlsx cell holding ``_x001B_`` is read as ESC (Excel's own encoding; openpyxl writes the
text as it is). Cells like that must not recolour, clear or retitle the terminal of whoever
runs a text command, nor reorder what follows them (bidi overrides): every text output and
every error and warning line shows them as ``\\x1b``, ``\\x9b``, ``\\u202e``. JSON keeps the
true characters.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.report.safe_text import html_text, terminal_text

from ..conftest import PARTS_HEADER, write_workbook

#: What no terminal output may hold: C0 but tab and newline, DEL, C1, bidi embeddings/overrides/isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

ESC = "_x001B_"  # ESC as Excel stores it in a cell
COLOUR = f"{ESC}[31mRED{ESC}[0m"  # colour
CLEAR = f"{ESC}[2J{ESC}[H"  # clear the screen
TITLE = f"{ESC}]0;owned_x0007_"  # set the window title
C1_CSI = "_x009B_2J"  # the one-byte control sequence introducer
BIDI = "\u202eevil\u202c"  # right-to-left override, pop


@pytest.fixture
def hostile(tmp_path):
    """A magnet, its Chinese Dy (the id itself carries ESC) and a part of unknown origin, each with control codes."""
    dy = f"DY{ESC}[2J"
    bom = write_workbook(tmp_path / "hostile.xlsx", {
        "parts": [PARTS_HEADER,
                  ["TOP", f"Actuator {TITLE}", "DE", None, "USD", "ea", None, None],
                  ["MAG", f"Magnet {COLOUR} {BIDI}", "JP", 250, "USD", "ea", "part2", False],
                  [dy, f"Dysprosium {C1_CSI}", "CN", 340, "USD", "ea", "part1", None],
                  ["UNK", f"Unknown {CLEAR}", f"X{ESC}[5m", 1, "USD", "ea", "part1", None]],
        "bom": [["parent", "child", "qty"], ["TOP", "MAG", 1], ["MAG", dy, 0.0015], ["MAG", "UNK", 0.001]],
    })
    options = write_workbook(tmp_path / "options.xlsx", {
        "options": [["part", "option", "origin", "unit_value", "source"],
                    [dy, f"JP refiner {COLOUR}", "JP", 420, f"Quote {TITLE}"]],
    })
    scenarios = tmp_path / "scenarios.toml"
    scenarios.write_text('[[scenario]]\nname = "Dy from Japan \\u001b[2J \\u202e"\n'
                         'changes = [{ part = "DY\\u001b[2J", set = { origin = "JP" } }]\n', encoding="utf-8")
    bad = write_workbook(tmp_path / "bad.xlsx", {
        "parts": [PARTS_HEADER, ["TOP", "Top", "DE", 10, "USD", "ea", None, None],
                  ["MAG", "Magnet", "JP", 250, "USD", "ea", "part2", False]],
        "bom": [["parent", "child", "qty"], ["TOP", "MAG", f"1{ESC}[2J"]],
    })
    return {"bom": bom, "dy": dy.replace(ESC, "\x1b"), "options": options, "scenarios": scenarios, "bad": bad}


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


COMMANDS = {
    "check": lambda h: ("check", h["bom"]),
    "explain": lambda h: ("explain", h["bom"], "MAG"),
    "where-used": lambda h: ("where-used", h["bom"], h["dy"], "--all"),
    "where-used (a part not in the BOM)": lambda h: ("where-used", h["bom"], "NONE\x1b[2J"),
    "headroom": lambda h: ("headroom", h["bom"]),
    "validate": lambda h: ("validate", h["bom"]),
    "whatif": lambda h: ("whatif", h["bom"], "--scenarios", h["scenarios"]),
    "mitigate": lambda h: ("mitigate", h["bom"], "--options", h["options"], "--as-of", "2026-12-01"),
    "check (data error)": lambda h: ("check", h["bad"]),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_no_control_character_reaches_the_terminal(hostile, command):
    result = _run(*COMMANDS[command](hostile))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    for stream in (result.stdout, result.stderr):
        assert not RAW_CONTROL.findall(stream), stream
    assert "\\x1b" in result.output or "\\x9b" in result.output, result.output  # shown, not dropped


def test_the_visible_escapes_name_each_code(hostile):
    check = _run("check", hostile["bom"]).output
    assert "Magnet \\x1b[31mRED\\x1b[0m \\u202eevil\\u202c" in check  # the description, colour and override visible
    assert "'X\\x1b[5m' is not an ISO 3166-1 country code" in check  # a warning quoting the cell
    explanation = _run("explain", hostile["bom"], "MAG").output
    assert "Dysprosium \\x9b2J" in explanation and "Unknown" not in explanation.split("Dysprosium")[0]
    where = _run("where-used", hostile["bom"], hostile["dy"], "--all").output
    assert "DY\\x1b[2J" in where
    error = _run("check", hostile["bad"])
    assert error.exit_code == 1 and "1\\x1b[2J" in error.stderr


def test_json_keeps_the_true_characters(hostile):
    document = json.loads(_run("check", hostile["bom"], "--format", "json").stdout)
    magnet = next(item for item in document["items"] if item["part_id"] == "MAG")
    assert magnet["description"] == "Magnet \x1b[31mRED\x1b[0m \u202eevil\u202c"


@pytest.mark.parametrize("text, shown", [
    ("a\x1b[31mb", "a\\x1b[31mb"),
    ("\x07\x7f\x9b\x85", "\\x07\\x7f\\x9b\\x85"),
    ("\u202a\u202e\u2066\u2069", "\\u202a\\u202e\\u2066\\u2069"),
    ("C:\\parts\\x1b.xlsx", "C:\\parts\\x1b.xlsx"),  # backslashes stay: a Windows path reads as it is
    ("two\nlines\tand a tab\r", "two\nlines\tand a tab\\r"),
    ("Dy ÄÖü 镝 \u200b", "Dy ÄÖü 镝 \u200b"),  # printable text of any script is left alone
])
def test_terminal_text(text, shown):
    assert terminal_text(text) == shown


def test_a_table_cell_keeps_to_one_line():
    assert terminal_text("a\nb\tc", layout=False) == "a\\nb\\tc"


def test_html_text_escapes_markup_and_controls():
    assert html_text('<img src=x onerror="a()">\x1b') == "&lt;img src=x onerror=&quot;a()&quot;&gt;\\x1b"


def shown_char_by_char(text: str, layout: bool) -> str:
    """The rule written out a character at a time: what a terminal acts on becomes an escape."""
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    out = []
    for char in text:
        code = ord(char)
        acts = code < 0x20 or 0x7F <= code <= 0x9F or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
        if not acts or (layout and char in "\n\t"):
            out.append(char)
        else:
            out.append(named.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0xA0), st.sampled_from("\u202a\u202e\u2066\u2069\u200b镝Ä"))),
       st.booleans())
def test_terminal_text_is_the_rule_for_every_character(text, layout):
    assert terminal_text(text, layout=layout) == shown_char_by_char(text, layout)
