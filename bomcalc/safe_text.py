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
    pattern = _CONTROLS_BUT_LAYOUT if layout else _CONTROLS
    return pattern.sub(_visible, str(text))


def html_text(text) -> str:
    """``text`` for an HTML page: ``& < > " '`` as entities and control characters visible.

    Safe inside an element and inside a quoted attribute value. Markdown is never rendered
    from it: ``[x](javascript:...)`` stays those characters.
    """
    return html.escape(terminal_text(text), quote=True)
