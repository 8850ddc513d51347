"""Rows and sheets hidden in Excel: read and named, or skipped (I/O layer).

A row hidden by hand or by a filter, a hidden sheet and a "very hidden" sheet (visible only
to macros) do not show on screen, yet they are in the file: a hidden ``declarations`` sheet
can turn an item from licence required to not required without anyone seeing why. So
nothing hidden is used without a word. Policy ``use`` (the default) reads it and names it in
the reading notes, with a warning; policy ``skip`` leaves it out and counts its rows as
skipped. Hidden rows are known for xlsx and xlsm (other formats keep no row state readable
here); hidden sheets for every workbook format.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..core.errors import WARNING, DataIssue, InputFileError
from ..core.ledger import SKIPPED, RowLedger
from ..core.values import is_blank

HIDDEN_POLICIES = ("use", "skip")
_STATES = {"hidden": "hidden", "veryhidden": "veryHidden"}


def sheet_states(workbook) -> dict[str, str]:
    """Sheet name -> ``"visible"``, ``"hidden"`` or ``"veryHidden"`` for a python-calamine workbook."""
    states = {}
    for meta in getattr(workbook, "sheets_metadata", ()) or ():
        word = str(getattr(meta, "visible", "")).rsplit(".", 1)[-1].lower()
        states[meta.name] = _STATES.get(word, "visible")
    return states


@dataclass(frozen=True)
class HiddenContent:
    """What one sheet hides: the sheet itself (``state``) and/or rows with content (``rows``)."""

    file: str
    sheet: str
    state: str
    rows: tuple[int, ...]
    filtered: bool

    def where(self) -> str:
        return (f"{self.file}: " if self.file else "") + f"sheet '{self.sheet}'"


def find_hidden(sheets) -> list[HiddenContent]:
    """The hidden sheets, and the hidden rows holding anything, of the sheets read from one file."""
    found = []
    for sheet in sheets:
        rows = tuple(sorted(row for row in sheet.hidden_rows
                            if row <= len(sheet.rows) and not all(is_blank(cell) for cell in sheet.rows[row - 1])))
        hidden_sheet = sheet.state != "visible" and any(not all(is_blank(c) for c in row) for row in sheet.rows)
        if rows or hidden_sheet:
            found.append(HiddenContent(sheet.file, sheet.name, sheet.state if hidden_sheet else "visible", rows,
                                       sheet.filtered))
    return found


def apply_hidden(sheets, policy: str | None, ledger: RowLedger) -> tuple[list, list[HiddenContent]]:
    """The sheets to read under ``policy``, and what they hide.

    ``use`` (or ``None``) returns the sheets as they are. ``skip`` drops hidden sheets (every
    row counted as skipped) and blanks hidden rows (counted as skipped, "hidden row"), so no
    reader sees them; row numbers stay as in the file. Raises
    :class:`~bomcalc.core.errors.InputFileError` when every sheet with content is hidden.
    """
    found = find_hidden(sheets)
    if (policy or "use") == "use" or not found:
        return list(sheets), found
    if policy not in HIDDEN_POLICIES:
        raise ValueError(f"hidden-content policy must be one of {', '.join(HIDDEN_POLICIES)}; got {policy!r}")
    by_sheet = {item.sheet: item for item in found}
    kept = []
    for sheet in sheets:
        item = by_sheet.get(sheet.name)
        if item is None:
            kept.append(sheet)
            continue
        if item.state != "visible":
            ledger.expect(sheet.file, sheet.name, len(sheet.rows))
            for row in range(1, len(sheet.rows) + 1):
                ledger.mark(sheet.file, sheet.name, row, SKIPPED, f"{item.state.replace('veryH', 'very h')} sheet, not read (--hidden skip)")
            continue
        rows = [list(row) for row in sheet.rows]
        for row in item.rows:
            rows[row - 1] = [None] * len(rows[row - 1])
            ledger.mark(sheet.file, sheet.name, row, SKIPPED, "hidden row")
        kept.append(dataclasses.replace(sheet, rows=rows))
    if not kept and sheets:
        names = ", ".join(f"'{sheet.name}'" for sheet in sheets)
        raise InputFileError(f"{sheets[0].file}: the sheet(s) to read ({names}) are hidden in Excel and --hidden skip "
                             "leaves them out; unhide the sheet that holds the data, or read with --hidden use")
    return kept, found


def hidden_messages(found: list[HiddenContent], policy: str | None, read=lambda item: True) -> tuple[list[str], list[DataIssue]]:
    """Reading notes (and, under ``use``, a warning each) for what was hidden.

    ``read(item)`` says whether the sheet was read at all (a hidden sheet no reader uses is not
    worth a word under ``use``).
    """
    notes, issues = [], []
    skip = (policy or "use") == "skip"
    for item in found:
        if not skip and not read(item):
            continue
        if item.state != "visible":
            what = (f"is {_state_words(item.state)} and "
                    + ("was not read (--hidden skip)" if skip else "was read; unhide it to check it, or read with --hidden skip to leave it out"))
            subject, first = "sheet", None
        else:
            one = len(item.rows) == 1
            how = "hidden in Excel" + (" (the sheet has a filter)" if item.filtered else "")
            what = (f"{'is' if one else 'are'} {how} and "
                    + (f"{'was' if one else 'were'} not read (--hidden skip)" if skip else
                       f"{'was' if one else 'were'} read; check {'it' if one else 'them'}, or read with --hidden skip to leave "
                       f"{'it' if one else 'them'} out"))
            subject, first = rows_phrase(item.rows), item.rows[0]
        notes.append(f"{item.where()} {what}" if first is None else f"{item.where()}: {subject} {what}")
        if not skip:
            issues.append(DataIssue(WARNING, "hidden_sheet" if first is None else "hidden_rows",
                                    f"the {subject} {what}" if first is None else f"{subject} {what}", item.sheet, first,
                                    None, item.file))
    return notes, issues


def rows_phrase(rows) -> str:
    """``[12, 13, 14, 40]`` -> ``"rows 12-14, 40"``; long lists end with ``... (N rows)``."""
    ranges: list[list[int]] = []
    for row in sorted(rows):
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    parts = [f"{a}-{b}" if b > a else str(a) for a, b in ranges]
    shown = ", ".join(parts[:12]) + (f", ... ({len(rows)} rows)" if len(parts) > 12 else "")
    return ("row " if len(rows) == 1 else "rows ") + shown


def _state_words(state: str) -> str:
    return "very hidden in Excel (visible only to macros)" if state == "veryHidden" else "hidden in Excel"
