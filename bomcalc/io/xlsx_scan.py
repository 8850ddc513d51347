"""What cell values alone do not show in an xlsx/xlsm workbook, streamed from its XML (I/O layer).

A workbook written by a script or an ERP may hold formulas whose values were never computed
and saved: every reader (Excel aside) sees a blank cell. Excel cell indentation, which some
exports use for the BOM hierarchy, lives in the cell's style. Both are read here by streaming
the sheet's XML from the zip with ``iterparse``, never loading the workbook whole.

Before any sheet is read, :func:`scan_sheets` streams each sheet's XML once to find its extent
(the farthest cell that holds something) and refuses, by :mod:`bomcalc.io.limits`, a sheet too
big to read and XML with a document type declaration (the carrier of "XML bombs").
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from xml.etree.ElementTree import iterparse

import numpy as np

from ..core.errors import InputFileError
from .limits import check_extent, column_letter, within_limits

_CELL = re.compile(r"^([A-Z]+)(\d+)$")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
#: A row, cell or dimension start tag, its attributes, and whether it closes itself.
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c|dimension)\b([^>]*?)(/?)>")
_REF = re.compile(rb'\b(?:r|ref)="([^"]*)"')
_PREFIXED = re.compile(rb"<[\w.-]+:(?:row|c)\b")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_CHUNK_BYTES = 4 * 1024 * 1024


def _local(tag: str) -> str:
    """An XML name without its namespace (transitional and strict OOXML use different ones)."""
    return tag.rsplit("}", 1)[-1]



def _where(reference: str | None) -> tuple[int, int] | None:
    """``"E7"`` -> ``(7, 4)``: the 1-based row and 0-based column."""
    match = _CELL.match(reference or "")
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column - 1


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML."""
    targets = {}
    with archive.open("xl/_rels/workbook.xml.rels") as handle:
        for _, element in iterparse(handle):
            if _local(element.tag) == "Relationship":
                target = element.get("Target", "")
                targets[element.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
    members = {}
    with archive.open("xl/workbook.xml") as handle:
        for _, element in iterparse(handle):
            if _local(element.tag) == "sheet":
                member = targets.get(next((v for k, v in element.attrib.items() if _local(k) == "id"), None))
                if member:
                    members[element.get("name")] = member
    return members


def _cells(data, wanted_columns: set[int] | None = None):
    """``(row, column, element)`` for every cell of a sheet's XML, cleared as it goes."""
    for _, element in iterparse(data):
        if _local(element.tag) == "c":
            where = _where(element.get("r"))
            if where is not None and (wanted_columns is None or where[1] in wanted_columns):
                yield where[0], where[1], element
            element.clear()
        elif _local(element.tag) == "row":
            element.clear()


def scan_sheets(path, names: list[str], hidden: set | None = None, measured=None) -> dict[str, set[tuple[int, int]]]:
    """For each named sheet, the cells (row, 0-based column) holding a formula with no cached value;
    the names of the sheets that mark a row hidden or have a filter are added to ``hidden`` (every
    name, when the workbook could not be followed to the end). ``measured(name)``, when given, is
    called as soon as a sheet is known to be within the limits (a reader may start building it).

    Each sheet's XML is first streamed once by :func:`sheet_extent`; a sheet over the reading
    limits, or holding a document type declaration, raises
    :class:`~bomcalc.core.errors.InputFileError` naming the file, the sheet and the cell, before any
    spreadsheet reader builds it. A sheet without any formula is skipped after that pass. A cell counts as uncached when
    it has ``<f>`` and no ``<v>``, or an empty ``<v>`` on a cell that is not a text result
    (openpyxl writes ``<v/>`` for a formula it never computed). A workbook whose structure
    cannot be followed gives no findings here (reading its values reports what is wrong).
    """
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = _sheet_members(archive)
            for name in names:
                member = members.get(name)
                if member is None:
                    continue
                has_formula, mentions_hidden = sheet_extent(path, archive, member, name)
                if measured is not None:
                    measured(name)
                if mentions_hidden and hidden is not None:
                    hidden.add(name)
                if not has_formula:
                    continue
                cells = set()
                with archive.open(member) as handle:
                    for row, column, element in _cells(handle):
                        children = {_local(child.tag): child for child in element}
                        if "f" not in children:
                            continue
                        value = children.get("v")
                        if value is None or (not value.text and element.get("t") not in ("str", "inlineStr")):
                            cells.add((row, column))
                if cells:
                    found[name] = cells
    except (KeyError, zipfile.BadZipFile, OSError, SyntaxError):
        if hidden is not None:  # not every sheet was searched: hidden_rows looks at each for itself
            hidden.update(names)
        return found
    return found


def sheet_extent(path, archive: zipfile.ZipFile, member: str, name: str) -> tuple[bool, bool]:
    """Stream one sheet's XML once: refuse it when too big to read; say whether it holds a formula,
    and whether it marks a row hidden or has a filter (what :func:`hidden_rows` then parses).

    The extent is the farthest row and column of a cell with content (a self-closing ``<c/>``
    holds none, and spreadsheet readers skip it); a cell or row without a reference follows the
    one before it. The ``<dimension>`` the sheet declares is not trusted either way: readers
    ignore it, so a sloppy one is harmless, and the cells decide. Raises
    :class:`~bomcalc.core.errors.InputFileError` for a sheet over the limits of
    :func:`bomcalc.io.limits.check_extent`, for a document type declaration (spreadsheet
    programs never write one; it carries entity-expansion "XML bombs"), and for a member whose
    content does not match its zip directory entry.
    """
    row = column = 0
    last_row = last_column = 0
    has_formula = mentions_hidden = False
    carry = b""
    try:
        with archive.open(member) as handle:
            while True:
                chunk = handle.read(_CHUNK_BYTES)
                data = carry + chunk
                if not chunk:
                    end = len(data)
                else:
                    cut = data.rfind(b"<")
                    end = cut if cut > 0 else len(data)
                    if len(data) - end > _CHUNK_BYTES:  # one endless tag: scan what there is
                        end = len(data)
                part, carry = data[:end], data[end:]
                if b"!" in part and _DOCTYPE.search(part):  # a search for one byte is the quickest
                    raise InputFileError(
                        f"{path}: sheet '{name}' holds an XML document type declaration (<!DOCTYPE or <!ENTITY>), "
                        "which spreadsheet programs never write and which can expand to gigabytes (an 'XML bomb'); "
                        "open the file in Excel and save a copy as .xlsx")
                view = np.frombuffer(part, dtype=np.uint8)
                if not has_formula and _may_hold_formula(view) and _FORMULA.search(part):
                    has_formula = True
                # a part ends before a '<': no mark is cut
                if not mentions_hidden and _may_mention_hidden(view) and _mentions_hidden_in(part):
                    mentions_hidden = True
                # cells written with a namespace prefix (<x:c>, which python-calamine reads too) go cell by cell
                fast = None if (b":c" in part or b":row" in part) and _PREFIXED.search(part) else _fast_extent(part)
                if fast is not None and within_limits(max(fast[0], last_row), max(fast[1], last_column)):
                    last_row, last_column = max(fast[0], last_row), max(fast[1], last_column)
                    if fast[2]:
                        row, column = fast[2], fast[3]
                else:  # cells without references, or a sheet over the limits: cell by cell, to name it
                    for match in _TAG.finditer(part):
                        tag, attributes, closed = match.groups()
                        reference = _REF.search(attributes)
                        if tag == b"row":
                            row = _int(reference.group(1)) if reference else row + 1
                            column = 0
                        elif tag == b"c":
                            where = _where(reference.group(1).decode("ascii", "replace")) if reference else None
                            if where is not None:
                                row, column = where[0], where[1] + 1
                            else:
                                row, column = max(row, 1), column + 1
                            if not closed and (row > last_row or column > last_column):
                                last_row, last_column = max(row, last_row), max(column, last_column)
                                check_extent(path, name, last_row, last_column, f"{column_letter(column - 1)}{row}")
                if not chunk:
                    break
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            f"{path}: sheet '{name}' is damaged or does not match the zip directory ({exc}); "
            "open the file in Excel and save a copy as .xlsx") from None
    return has_formula, mentions_hidden


def _may_hold_formula(data: np.ndarray) -> bool:
    """Whether the bytes say ``<f`` or ``:f``, as every formula tag does; found from where ``f``
    is (``<`` is too frequent to search for quickly)."""
    before = np.flatnonzero(data[1:] == 0x66)  # 'f'
    preceding = data[before]
    return bool(((preceding == 0x3C) | (preceding == 0x3A)).any())  # '<', ':'


def _holds(data: np.ndarray, word: bytes, rare: int) -> bool:
    """Whether the bytes hold ``word``, found from where its byte at ``rare`` is (one that sheet
    XML seldom holds: a search for each place it is costs less than a search for the word)."""
    at = np.flatnonzero(data == word[rare]) - rare
    at = at[(at >= 0) & (at <= len(data) - len(word))]
    for place, byte in enumerate(word):
        if place != rare and len(at):
            at = at[data[place:][at] == byte]
    return bool(len(at))


def _may_mention_hidden(data: np.ndarray) -> bool:
    """Whether the bytes say ``hidden`` or ``autoFilter`` (what :func:`_mentions_hidden_in` then looks for)."""
    return _holds(data, b"hidden", 0) or _holds(data, b"autoFilter", 1)


_PADDING = bytes(32)  # zeros after a stretch: no reference read from it runs off its end


def _fast_extent(part: bytes) -> tuple[int, int, int, int] | None:
    """``(last row, last column, row, column of the final cell)`` of a stretch of sheet XML in which
    every cell is written ``<c r="..."`` (as every known writer does); ``None`` otherwise.

    Found with array operations over the bytes, so the usual sheet costs a fraction of its read.
    A reference is matched exactly as ``<c r="([A-Z]{1,7})([0-9]{1,12})"`` would match it. Empty
    self-closing cells count here too; a stretch that looks over the limits, or is written
    otherwise, is looked at cell by cell.
    """
    size = len(part)
    data = np.frombuffer(part + _PADDING, dtype=np.uint8)
    opens = np.flatnonzero((data[:size] == 0x3C) & (data[1:size + 1] == 0x63))  # '<c'
    after, then = data[opens + 2], data[opens + 3]
    written = int(np.count_nonzero(after == 0x20) + np.count_nonzero(after == 0x3E)
                  + np.count_nonzero((after == 0x2F) & (then == 0x3E)))  # '<c ', '<c>', '<c/>'
    starts = opens[(after == 0x20) & (then == 0x72) & (data[opens + 4] == 0x3D) & (data[opens + 5] == 0x22)]
    if len(starts) != written:  # a cell not written '<c r="': no need to read the others
        return None
    if not written:
        return 0, 0, 0, 0
    begins = starts + 6
    letter_count = _run_lengths(data, begins, 0x41, 26, 8)  # A-Z; eight letters are too many
    if not ((letter_count >= 1) & (letter_count <= 7)).all():
        return None
    digit_count = _run_lengths(data, begins + letter_count, 0x30, 10, 13)  # 0-9; thirteen are too many
    if not ((digit_count >= 1) & (digit_count <= 12)).all():
        return None
    if not (data[begins + letter_count + digit_count] == 0x22).all():  # '"' right after the digits
        return None
    final = part[begins[-1]:begins[-1] + letter_count[-1] + digit_count[-1]].decode("ascii")
    row, column = _where(final)
    return (_largest(data, begins + letter_count, digit_count, 10, 0x30, zeros=True),
            _largest(data, begins, letter_count, 26, 0x40, zeros=False), row, column + 1)


def _run_lengths(data: np.ndarray, begins: np.ndarray, first: int, count: int, most: int) -> np.ndarray:
    """How many bytes in a row from each of ``begins`` are among the ``count`` bytes from ``first``
    (counting to ``most`` at most), read a place at a time until every run has ended."""
    lengths = np.zeros(len(begins), dtype=np.uint8)
    running = np.ones(len(begins), dtype=bool)
    for place in range(most):
        running &= (data[place:][begins] - first) < count  # unsigned: a byte below ``first`` wraps round
        if not running.any():
            break
        lengths += running
    return lengths


def _largest(data: np.ndarray, begins: np.ndarray, lengths: np.ndarray, base: int, zero: int, *, zeros: bool) -> int:
    """The largest number written at ``begins`` in ``lengths`` digits of ``base`` (``zero`` the byte of
    digit 0; letters A-Z count from 1), read a length at a time. Unless ``zeros`` (digits that may
    lead with a 0) and one does, only the longest numbers can hold it. Among numbers of one length
    the largest is the one whose digits are the largest from the first on, so only those are kept."""
    if zeros and (data[begins] == zero).any():
        read = np.flatnonzero(np.bincount(lengths)).tolist()
    else:
        read = [int(lengths.max())]
    largest = 0
    for length in read:
        at = begins if length == lengths.min() == lengths.max() else begins[lengths == length]
        for place in range(length):
            digits = data[place:][at]
            at = at[digits == digits.max()]
        value = 0
        for digit in data[at[0]:at[0] + length].tolist():
            value = value * base + digit - zero
        largest = max(largest, value)
    return largest


def _int(text: bytes) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def style_indents(path, name: str, columns: set[int]) -> dict[tuple[int, int], int]:
    """The Excel indent level of the cells of ``columns`` in sheet ``name`` that have one."""
    try:
        with zipfile.ZipFile(path) as archive:
            indents = _xf_indents(archive)
            if not any(indents.values()):
                return {}
            member = _sheet_members(archive).get(name)
            if member is None:
                return {}
            out = {}
            with archive.open(member) as handle:
                for row, column, element in _cells(handle, columns):
                    indent = indents.get(int(element.get("s", "0") or 0), 0)
                    if indent:
                        out[(row, column)] = indent
            return out
    except (KeyError, zipfile.BadZipFile, OSError, SyntaxError, ValueError):
        return {}


def _xf_indents(archive: zipfile.ZipFile) -> dict[int, int]:
    """Cell format index -> its alignment indent."""
    indents: dict[int, int] = {}
    try:
        handle = archive.open("xl/styles.xml")
    except KeyError:
        return indents
    with handle:
        depth_in_xfs = False
        index = 0
        for event, element in iterparse(handle, events=("start", "end")):
            if _local(element.tag) == "cellXfs":
                depth_in_xfs = event == "start"
            elif depth_in_xfs and _local(element.tag) == "xf" and event == "end":
                alignment = next((child for child in element if _local(child.tag) == "alignment"), None)
                try:
                    indents[index] = int(alignment.get("indent", "0")) if alignment is not None else 0
                except ValueError:
                    indents[index] = 0
                index += 1
    return indents


#: A row marked hidden as the parser in :func:`hidden_rows` reads one (``1`` or ``true``, any case, the
#: blanks an XML boolean may carry around it), or a filter. At most 45 bytes long.
_HIDDEN_MARK = re.compile(rb"""hidden\s{0,8}=\s{0,8}["']\s{0,8}(?:1|true)\s{0,8}["']|autoFilter""", re.IGNORECASE)


def _mentions_hidden_in(data: bytes) -> bool:
    return (b"hidden" in data or b"autoFilter" in data) and _HIDDEN_MARK.search(data) is not None


def _mentions_hidden(handle, chunk: int = 1 << 20) -> bool:
    """Whether a sheet's XML has a hidden row or a filter at all, searched in chunks (no XML parse)."""
    tail = b""
    while True:
        data = handle.read(chunk)
        if not data:
            return False
        window = tail + data
        if _mentions_hidden_in(window):
            return True
        tail = window[-64:]  # a mark cut between two chunks is found whole in the next window


def hidden_rows(path, names: list[str], mentioned: set | None = None) -> dict[str, tuple[frozenset[int], bool]]:
    """For each named sheet with hidden rows: the 1-based rows marked ``hidden`` and whether the
    sheet has an ``autoFilter`` (rows a filter hides carry the same mark). ``mentioned``: the
    sheets :func:`scan_sheets` found to mention either, when it has searched them already.

    Rows hidden by hand, by a filter or inside a collapsed outline group all carry
    ``hidden="1"`` on their ``<row>``. The XML is first searched without parsing; a sheet
    that never says ``hidden`` or ``autoFilter`` is not parsed. A workbook whose structure
    cannot be followed gives no findings here.
    """
    found: dict[str, tuple[frozenset[int], bool]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members = _sheet_members(archive)
            for name in names:
                member = members.get(name)
                if member is None:
                    continue
                if mentioned is not None:
                    if name not in mentioned:
                        continue
                else:
                    with archive.open(member) as handle:
                        if not _mentions_hidden(handle):
                            continue
                rows: set[int] = set()
                filtered = False
                previous = 0
                with archive.open(member) as handle:
                    for event, element in iterparse(handle, events=("start", "end")):
                        tag = _local(element.tag)
                        if event == "start":
                            if tag == "row":
                                number = element.get("r")
                                previous = int(number) if number and number.isdigit() else previous + 1
                                if (element.get("hidden") or "").strip().lower() in ("1", "true"):
                                    rows.add(previous)
                            elif tag == "autoFilter":
                                filtered = True
                        elif tag in ("c", "row"):
                            element.clear()
                if rows:
                    found[name] = (frozenset(rows), filtered)
    except (KeyError, zipfile.BadZipFile, OSError, SyntaxError, ValueError):
        return found
    return found
