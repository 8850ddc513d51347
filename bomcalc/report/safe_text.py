"""User text made harmless where it is shown: on a terminal and in an HTML page (pure).

Text read from a BOM (part ids, descriptions, sheet and file names, cell text quoted in a
message) is untrusted. The core keeps it as it is; JSON and CSV outputs carry it unchanged.
Only where text is shown to a person is it made safe, by the two functions here:

* :func:`terminal_text` for everything printed on a terminal: control characters become
  visible escapes (``\\x1b``, ``\\u202e``), so a cell cannot recolour the screen, clear it,
  set the window title or reverse the order of what follows it;
* :func:`html_text` for text inside an HTML page: markup characters become entities, so a
  cell cannot add an element, an attribute or a link.
"""

from __future__ import annotations

import html
import re

#: Characters a terminal acts on rather than shows: C0 controls, DEL, C1 controls (0x80-0x9F,
#: among them the one-byte CSI 0x9B) and the bidirectional embeddings, overrides and isolates
#: (U+202A-U+202E, U+2066-U+2069) that reorder the text after them.
CONTROL_CHARACTERS = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"

_CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}]")
_CONTROLS_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # tab, newline kept
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _visible(match: re.Match) -> str:
    if match.group() in _NAMED:
        return _NAMED[match.group()]
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text, layout: bool = True) -> str:
    """``text`` with every control character shown as a visible escape (``\\x1b``, ``\\u202e``, ``\\r``).

    With ``layout`` (the default, for whole lines and documents) newlines and tabs stay as
    they are, since they lay the text out; without it (for one cell of a table, one value in
    a line) they are shown as ``\\n`` and ``\\t`` too. Backslashes are left alone, so Windows
    paths stay readable.
    """
    text = str(text)
    if text.isascii() and text.isprintable():  # U+0020-U+007E: no character a terminal acts on
        return text
    pattern = _CONTROLS_BUT_LAYOUT if layout else _CONTROLS
    return pattern.sub(_visible, text)


def html_text(text) -> str:
    """``text`` for an HTML page: ``& < > " '`` as entities and control characters visible.

    Safe inside an element and inside a quoted attribute value. Markdown is never rendered
    from it: ``[x](javascript:...)`` stays those characters.
    """
    return html.escape(terminal_text(text), quote=True)


#: The Content-Security-Policy of every HTML page bomcalc writes: nothing is fetched or run;
#: inline styles (the page's own CSS) and ``data:`` images (its own charts) are all it may use.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                           "base-uri 'none'; form-action 'none'")

_ACTIVE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "link",
                    "svg", "math", "portal"}
_URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "background", "xlink:href", "ping", "data"}
_OWN_IMAGE = "data:image/png;base64,"
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def html_hazards(page: str) -> list[str]:
    """What in ``page`` could run, navigate or fetch when it is opened: an empty list for a safe page.

    Flags script-capable and embedding elements, ``on*`` event attributes, URLs in links and
    sources other than in-page anchors and embedded PNG images, stylesheets that import or
    fetch anything but embedded data, and a meta refresh. Used to refuse writing a report that
    would hold any of them.
    """
    from html.parser import HTMLParser

    found: list[str] = []

    def check_css(css: str, where: str) -> None:
        if "@import" in css.lower() or "expression(" in css.lower():
            found.append(f"an @import or expression() in {where}")
        for url in _CSS_URL.findall(css):
            if not url.lower().startswith("data:"):
                found.append(f"url({url}) in {where}")

    class Scanner(HTMLParser):
        in_style = False

        def handle_starttag(self, tag, attrs):
            if tag in _ACTIVE_ELEMENTS:
                found.append(f"a <{tag}> element")
            for name, value in attrs:
                value = value or ""
                plain = re.sub(r"[\x00-\x20]", "", value).lower()
                if name.startswith("on"):
                    found.append(f"an event attribute {name} on <{tag}>")
                elif name in _URL_ATTRIBUTES and not (plain.startswith("#") or (
                        tag == "img" and name == "src" and plain.startswith(_OWN_IMAGE))):
                    found.append(f"{name}={value[:60]!r} on <{tag}>")
                elif name == "style":
                    check_css(value, f"the style of <{tag}>")
                elif tag == "meta" and name == "http-equiv" and plain == "refresh":
                    found.append("a meta refresh")
            self.in_style = tag == "style"

        def handle_endtag(self, tag):
            self.in_style = False

        def handle_data(self, data):
            if self.in_style:
                check_css(data, "a <style> element")

    scanner = Scanner(convert_charrefs=True)
    scanner.feed(page)
    scanner.close()
    return found
