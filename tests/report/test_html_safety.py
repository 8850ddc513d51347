"""Every HTML page bomcalc writes stays inert whatever text the BOM holds.

The only HTML bomcalc writes is the audit report (``bomcalc report BOM --html FILE``, the
audit notebook run and exported); the what-if notebook goes through the same exporter. A BOM
carries a payload list in part ids, descriptions, cells quoted in data-problem messages,
a sheet name and its file name. Each page is parsed with :mod:`html.parser`: no ``<script>``
or other active element, no ``on*`` attribute, no ``javascript:``/``data:``/remote URL in an
``href`` or ``src`` (but the report's own charts: PNG images embedded as ``data:image/png``),
no Markdown rendered from the payloads, and a strict Content-Security-Policy. The payloads
must still be there to read, as text.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import nbformat
import pytest
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.report.notebook import execute_notebook, notebook_html

from ..conftest import PARTS_HEADER, write_workbook
from .test_notebooks import WHATIF

#: Text a hostile BOM may hold: markup, Markdown links and images, embedded styles, template
#: and math syntax, control codes (``_x001B_`` is ESC in an xlsx cell).
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "[x](javascript:alert(4))",
    "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)",
    "![t](https://example.com/6.png)",
    '<a href="javascript:alert(7)">a</a>',
    '<iframe src="https://example.com/8"></iframe>',
    "<style>@import url(https://example.com/9.css)</style>",
    "<https://example.com/10>",
    "[r][ref]\n\n[ref]: javascript:alert(11)",
    "$\\frac{1}{0}$ {{ 7*7 }} <!--",
    "_x001B_]0;title_x0007_ _x001B_[31mred",
)
#: Payloads a file name or a sheet name can hold (no slash; a sheet name has at most 31 characters and no []:*?/\).
FILE_NAME = "<img src=x onerror=alert(20)>[x](javascript:alert(21)).xlsx"
SHEET_NAME = "<img src=x onerror=alert(30)>"

REMOTE = re.compile(r"^(https?:|//|ftp:)", re.IGNORECASE)
SCRIPTED = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
ACTIVE = {"script", "iframe", "frame", "object", "embed", "applet", "base", "form", "link", "svg", "math"}


class Page(HTMLParser):
    """Every element, attribute and piece of text of a page."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def hazards(page: str, charts: int) -> list[str]:
    """What in the page could run, navigate or fetch."""
    parsed = Page(page)
    found = [f"<{tag}>" for tag, _ in parsed.tags if tag in ACTIVE]
    found += [f"{name} on <{tag}>" for tag, attrs in parsed.tags for name in attrs if name.startswith("on")]
    images = 0
    for tag, attrs in parsed.tags:
        for name in ("href", "src", "srcset", "action", "xlink:href", "poster"):
            value = re.sub(r"\s", "", attrs.get(name, ""))
            if not value:
                continue
            if tag == "img" and name == "src" and value.startswith("data:image/png;base64,"):
                assert base64.b64decode(value.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
                images += 1
            elif SCRIPTED.match(value) or REMOTE.match(value) or not value.startswith("#"):
                found.append(f"{name}={value[:50]} on <{tag}>")
    for css in parsed.styles + [attrs.get("style", "") for _, attrs in parsed.tags]:
        found += [f"url({url}) in a style" for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css) if not url.startswith("data:")]
        found += ["@import in a style"] * css.count("@import")
    if images != charts:
        found.append(f"{images} embedded images, not the {charts} charts the report draws")
    policies = [attrs.get("content", "") for tag, attrs in parsed.tags
                if tag == "meta" and attrs.get("http-equiv", "").lower() == "content-security-policy"]
    if len(policies) != 1 or "default-src 'none'" not in policies[0] or "script-src" in policies[0]:
        found.append(f"no strict Content-Security-Policy: {policies}")
    return found


def hostile_workbook(path, payloads=PAYLOADS, sheet_name=SHEET_NAME):
    """Per payload: a magnet, its Chinese Dy and a Part 1 part of unknown origin, ids and descriptions
    carrying the payload, and a part whose origin cell is the payload (quoted in a data problem)."""
    parts, lines = [PARTS_HEADER, ["TOP", "Top", "DE", None, "USD", "ea", None, None]], [["parent", "child", "qty"]]
    for number, payload in enumerate(payloads):
        magnet, dy, unknown, other = (f"{kind}{number} {payload}" for kind in ("M", "D", "U", "X"))
        parts += [[magnet, payload, "JP", 100, "USD", "ea", "part2", False],
                  [dy, payload, "CN", 10, "USD", "ea", "part1", None],
                  [unknown, payload, None, 10, "USD", "ea", "part1", None],
                  [other, payload, payload[:40], 1, "USD", "ea", None, None]]
        lines += [["TOP", magnet, 1], [magnet, dy, 1], [magnet, unknown, 1], ["TOP", other, 1]]
    return write_workbook(path, {"parts": parts, "bom": lines, sheet_name: [[payload] for payload in payloads]})


@pytest.fixture(scope="module")
def audit_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    bom = hostile_workbook(folder / FILE_NAME)
    result = CliRunner().invoke(main, ["report", str(bom), "--html", str(folder / "report.html"), "--as-of", "2026-03-01"])
    assert result.exit_code == 0, result.output
    return (folder / "report.html").read_text(encoding="utf-8")


def test_the_audit_report_holds_nothing_active(audit_page):
    assert hazards(audit_page, charts=2) == []


def test_the_audit_report_shows_every_payload_as_text(audit_page):
    text = "".join(Page(audit_page).text)
    for payload in PAYLOADS[:-1]:
        first_line = payload.split("\n")[0]
        assert f"M{PAYLOADS.index(payload)} {first_line}" in text  # the part id, to read as it is
    assert "\\x1b]0;title\\x07 \\x1b[31mred" in text  # control codes visible, not turned into colour
    assert FILE_NAME in text and SHEET_NAME in text


def test_no_markdown_is_rendered_from_the_payloads(audit_page):
    parsed = Page(audit_page)
    assert not [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert all(attrs.get("src", "").startswith("data:image/png;base64,") for tag, attrs in parsed.tags if tag == "img")
    assert "[x](javascript:alert(4))" in "".join(parsed.text)


def test_the_whatif_notebook_exported_holds_nothing_active(tmp_path):
    bom = hostile_workbook(tmp_path / "bom.xlsx", PAYLOADS[:4], sheet_name="extra")
    scenarios = tmp_path / "scenarios.toml"
    scenarios.write_text('[[scenario]]\nname = "<img src=x onerror=alert(40)> [x](javascript:alert(41))"\n'
                         'changes = [{ part = "D0 <script>alert(1)</script>", set = { origin = "JP" } }]\n', encoding="utf-8")
    options = write_workbook(tmp_path / "options.xlsx", {"options": [
        ["part", "option", "origin", "unit_value", "source"],
        ["D0 <script>alert(1)</script>", "<img src=x onerror=alert(50)>", "JP", 12, "[q](javascript:alert(51))"]]})
    executed = execute_notebook(WHATIF, {"bom_path": str(bom), "scenarios_path": str(scenarios), "as_of": "2026-03-01",
                                         "sourcing_options_path": str(options), "volumes_path": None}, working_dir=tmp_path)
    page = notebook_html(executed)
    charts = sum("image/png" in output.get("data", {}) for cell in executed.cells for output in cell.get("outputs", []))
    assert charts >= 2 and hazards(page, charts) == []
    text = "".join(Page(page).text)
    assert "<img src=x onerror=alert(40)>" in text and "Cannot be brought below it: M0 <script>alert(1)</script>" in text
    nbformat.validate(executed)


def _notebook_with_outputs(*outputs):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("shown()")
    cell.outputs = list(outputs)
    notebook.cells = [nbformat.v4.new_markdown_cell("# Report"), cell]
    return notebook


def test_script_outputs_are_left_out_and_markdown_outputs_shown_as_text():
    page = notebook_html(_notebook_with_outputs(
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(60)", "text/plain": "js"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "[x](javascript:alert(61)) ![t](https://example.com/62.png)"}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg onload='alert(63)'></svg>"}),
        nbformat.v4.new_output("stream", name="stdout", text="\x1b[31mred\x1b[0m \u202eevil\n"),
    ))
    assert hazards(page, charts=0) == []
    text = "".join(Page(page).text)
    assert "[x](javascript:alert(61))" in text and "\\x1b[31mred\\x1b[0m \\u202eevil" in text
    assert "alert(60)" not in page and "alert(63)" not in page


@pytest.mark.parametrize("markup", [
    "<script>alert(70)</script>",
    "<img src=x onerror=alert(71)>",
    '<a href="javascript:alert(72)">a</a>',
    '<a href=" JaVaScRiPt:alert(73)">a</a>',
    '<img src="https://example.com/74.png">',
    '<div style="background: url(//example.com/75.png)">x</div>',
    "<style>@import 'https://example.com/76.css';</style>",
    '<meta http-equiv="refresh" content="0; url=https://example.com/77">',
])
def test_a_page_that_would_still_hold_active_content_is_refused(markup):
    from bomcalc import BomError

    notebook = _notebook_with_outputs(nbformat.v4.new_output("display_data", data={"text/html": markup}))
    with pytest.raises(BomError, match="active content"):
        notebook_html(notebook)
