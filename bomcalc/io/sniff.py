"""What kind of file this is, and delimited text read exactly as written (I/O layer).

Engineers' BOM exports rarely say truthfully what they are: SAP's "Spreadsheet" download is
tab-separated UTF-16 text named ``.xls``, a CSV saved on Windows is Windows-1252, a
"workbook" may be a zipped Word document or a password-protected file. :func:`detect_format`
decides the format from the file's first bytes, never from its name, and refuses files it
cannot read with a message that names the file. :func:`read_text_table` reads delimited text
with its encoding and delimiter detected, keeping every row (blank ones too) so that row
numbers in messages match what the user sees.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..core import column_cells
from ..core.errors import InputFileError
from .limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, check_file_size
from .text_columns import plain_text, split_columns

#: Delimiters :func:`read_text_table` considers, in the order that wins a tie: the characters
#: least likely to appear inside a value first (a comma is also a decimal separator).
DELIMITERS = ("\t", "|", ";", ",")

_DELIMITER_NAMES = {"\t": "tab", "|": "pipe", ";": "semicolon", ",": "comma"}

#: Bytes read to decide a format.
_SAMPLE_BYTES = 64 * 1024

# The csv module refuses cells over 128 KiB by default; a long description is fine to read.
csv.field_size_limit(MAX_CELL_CHARS)

#: Non-blank rows looked at to choose a delimiter.
_SNIFF_ROWS = 50

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_OTHER_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x00\x00\xfe\xff", "UTF-32 text"),
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
)

_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

#: Streams of an OLE2 compound file: the workbook of an .xls, and what other files hold.
_OLE2_WORKBOOK_STREAMS = {"workbook", "book"}
_OLE2_OTHER_STREAMS = {
    "encryptedpackage": "a password-protected or encrypted Office file; save an unprotected copy as .xlsx",
    "worddocument": "a Word document, not a spreadsheet",
    "powerpoint document": "a PowerPoint presentation, not a spreadsheet",
}

#: Content types of a workbook's main part (lower case). An embedded workbook in a Word
#: document shows up only as a default type for its extension, never as a main part.
_XML_WORKBOOK = re.compile(
    rb"(spreadsheetml\.(sheet|template)|ms-excel\.(sheet|template|addin)\.macroenabled)\.main\+xml"
)
_MACRO_WORKBOOK = re.compile(rb"ms-excel\.(sheet|template|addin)\.macroenabled\.main\+xml")
_BINARY_WORKBOOK = re.compile(rb"ms-excel\.sheet\.binary\.macroenabled\.main")

#: Control characters that never occur in text (tab, line breaks, form feed and the old
#: end-of-file mark 0x1A do).
_BINARY_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
_BINARY_BYTE = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
#: Every byte but those :data:`_BINARY_BYTE` matches: deleting them leaves only the binary ones.
_TEXT_BYTES = bytes(byte for byte in range(256) if not _BINARY_BYTE.match(bytes([byte])))
#: One line of text with its line break as ``io.StringIO(text, newline="")`` yields it.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


@dataclass(frozen=True)
class TextTable:
    """Delimited text as read: every row a list of cells, exactly as written.

    ``rows[i]`` is the file's row ``i + 1`` as a spreadsheet program shows it: blank rows are
    kept (as ``[]`` or a list of blank cells), and a quoted cell that spans several lines
    counts as one row. ``encoding`` is the codec that decodes the file (``"utf-8"``,
    ``"utf-8-sig"``, ``"utf-16"`` with a byte-order mark, ``"utf-16-le"`` or ``"utf-16-be"``
    without one, or ``"cp1252"``); ``delimiter`` is one of :data:`DELIMITERS`.
    """

    rows: list[list[str]]
    encoding: str
    delimiter: str


def detect_format(path: str | os.PathLike) -> str:
    """The format of a BOM file, decided from its first bytes, never from its name.

    Returns ``"xlsx"``, ``"xlsm"`` (a workbook with macros), ``"xlsb"``, ``"ods"``, ``"xls"``
    (an Excel 97-2003 compound file) or ``"text"`` (delimited text in any encoding
    :func:`read_text_table` reads, whatever the file is called).

    Raises :class:`~bomcalc.core.errors.InputFileError`, naming the file, when it is missing,
    empty, or something else: a PDF, an image, a zip archive or compound file that holds no
    workbook (a Word document, a password-protected workbook), an HTML page or XML file saved
    under a spreadsheet's name, or binary data.
    """
    path = Path(path)
    head = _read_bytes(path, _SAMPLE_BYTES)
    if not head:
        raise InputFileError(f"{path}: the file is empty")
    if head.startswith(_ZIP_SIGNATURES):
        return _zip_format(path)
    if head.startswith(_OLE2_SIGNATURE):
        return _ole2_format(path)
    for signature, kind in _OTHER_SIGNATURES:
        if head.startswith(signature):
            raise InputFileError(f"{path}: is {kind}, not a spreadsheet or delimited text")
    text, _ = _decode(path, head, complete=len(head) < _SAMPLE_BYTES)
    if not text or text.isspace():  # no copy of the text is made to tell
        raise InputFileError(f"{path}: the file holds only white space; there is nothing to read")
    return "text"


def read_text_table(path: str | os.PathLike, delimiter: str | None = None, columns: bool = False) -> TextTable:
    """Read a delimited text file (CSV, SAP's tab-separated "Spreadsheet" download, ...).

    The encoding is detected: UTF-8 with or without a byte-order mark, UTF-16 with a
    byte-order mark (or without one when NUL bytes make it evident), else Windows-1252. The
    delimiter, unless given, is the one of tab, pipe, semicolon and comma that splits most of
    the first 50 non-blank rows into the same number (more than one) of cells; title lines
    with fewer cells above the header do not disturb it, and a tie goes to the first in
    :data:`DELIMITERS` (tab first). Quoted cells may hold delimiters and line breaks.

    Cells are kept exactly as written (no white space removed) except a stray carriage
    return at the end of a row.

    With ``columns`` true, a text whose lines all split into the same number of cells (no
    quotes; see :func:`bomcalc.io.text_columns.split_columns`) is split straight into columns,
    and ``rows`` is a :class:`~bomcalc.io.text_columns.ColumnRows` that reads as the same rows.

    Raises :class:`~bomcalc.core.errors.InputFileError` when the file is missing, empty, binary,
    in another encoding, markup (HTML or XML), or has a quote that is never closed or is
    followed by more text in the same cell; and when it is over the reading limits of
    :mod:`bomcalc.io.limits` (file size, rows, columns, characters in one cell).
    """
    if delimiter is not None and delimiter not in DELIMITERS:
        names = ", ".join(f"{name} {value!r}" for value, name in _DELIMITER_NAMES.items())
        raise ValueError(f"delimiter must be one of {names}; got {delimiter!r}")
    path = Path(path)
    if path.is_file():
        check_file_size(path, "text")
    data = _read_bytes(path)
    if not data:
        raise InputFileError(f"{path}: the file is empty")
    text, encoding = _decode(path, data, complete=True)
    if not text or text.isspace():  # no copy of the text is made to tell
        raise InputFileError(f"{path}: the file holds only white space; there is nothing to read")
    if delimiter is None:
        delimiter = _sniff_delimiter(text)
    if columns and column_cells.FAST:
        split = split_columns(text, delimiter)
        if split is not None:
            return TextTable(rows=split, encoding=encoding, delimiter=delimiter)
    return TextTable(rows=_parse_rows(path, text, delimiter), encoding=encoding, delimiter=delimiter)


# --- reading and decoding -------------------------------------------------------------------


def _read_bytes(path: Path, limit: int = -1) -> bytes:
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a file")
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None


def _decode(path: Path, data: bytes, complete: bool) -> tuple[str, str]:
    """``data`` as text and the codec that decoded it; ``complete`` is False for a prefix."""
    encoding = _choose_encoding(data)
    candidates = [encoding] if encoding is not None else ["utf-8", "cp1252"]
    if encoding is None:  # UTF-8 and Windows-1252 decode a control character only from the same byte
        _refuse_binary(path, data)
    for candidate in candidates:
        try:
            text = _decode_with(data, candidate, complete)
            break
        except UnicodeDecodeError as exc:
            failure = exc
    else:
        if encoding is not None:
            name = encoding.upper().removesuffix("-SIG")
            raise InputFileError(
                f"{path}: starts as {name} text but is not valid {name}; save it as CSV UTF-8 and try again"
            )
        raise InputFileError(
            f"{path}: is neither UTF-8 nor Windows-1252 text (byte 0x{data[failure.start]:02X} at offset "
            f"{failure.start}); save it as CSV UTF-8 and try again"
        )
    if encoding is not None:
        _refuse_binary(path, text)
    _refuse_markup(path, text)
    return text, candidate


def _choose_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark or NUL bytes make evident; ``None`` when neither does."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    nul_even = sum(1 for byte in sample[0 : 2 * pairs : 2] if byte == 0)
    nul_odd = sum(1 for byte in sample[1 : 2 * pairs : 2] if byte == 0)
    if nul_odd >= 0.4 * pairs and nul_even <= 0.1 * pairs:
        return "utf-16-le"
    if nul_even >= 0.4 * pairs and nul_odd <= 0.1 * pairs:
        return "utf-16-be"
    return None


def _decode_with(data: bytes, encoding: str, complete: bool) -> str:
    """Decode strictly; for a prefix, a character cut off at the end is dropped, not an error."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    return decoder.decode(data, final=complete)


def _refuse_binary(path: Path, content: str | bytes) -> None:
    """Refuse control characters: in bytes before an 8-bit decoding, in text after UTF-16."""
    if isinstance(content, bytes) and not content.translate(None, _TEXT_BYTES):
        return  # the common case, many times faster than the search below
    pattern = _BINARY_BYTE if isinstance(content, bytes) else _BINARY_CHARACTER
    found = pattern.search(content)
    if found is not None:
        code = found.group()[0] if isinstance(content, bytes) else ord(found.group())
        raise InputFileError(
            f"{path}: holds binary data (control character 0x{code:02X} at position {found.start()}), "
            "so it is neither a spreadsheet nor delimited text"
        )


_MARKUP_START = re.compile(r"<(!doctype\s+html|html|head|body|table|meta|\?xml)\b", re.IGNORECASE)


def _refuse_markup(path: Path, text: str) -> None:
    start = text.lstrip("\ufeff \t\r\n")
    match = _MARKUP_START.match(start[:200])
    if match is None:
        return
    if match.group(1).lower() != "?xml":
        raise InputFileError(
            f"{path}: is an HTML page, not a spreadsheet or delimited text; open it in Excel and "
            "save it as .xlsx"
        )
    if "urn:schemas-microsoft-com:office:spreadsheet" in start[:_SAMPLE_BYTES]:
        raise InputFileError(
            f"{path}: is an Excel 2003 XML spreadsheet, which bomcalc does not read; open it in "
            "Excel and save it as .xlsx"
        )
    raise InputFileError(f"{path}: is an XML file, not a spreadsheet or delimited text")


# --- containers -----------------------------------------------------------------------------


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = _small_member(archive, "mimetype").decode("ascii", "replace").strip()
            content_types = _small_member(archive, "[Content_Types].xml").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise InputFileError(f"{path}: is a damaged zip archive ({exc}); save the workbook again") from None
    if mimetype == _ODS_MIMETYPE:
        return "ods"
    if mimetype.startswith("application/vnd.oasis.opendocument."):
        kind = mimetype.rsplit(".", 1)[-1]
        raise InputFileError(f"{path}: is an OpenDocument {kind} file, not a spreadsheet")
    lower_names = {name.lower() for name in names}
    if "xl/workbook.bin" in lower_names or _BINARY_WORKBOOK.search(content_types):
        return "xlsb"
    if "xl/workbook.xml" in lower_names or _XML_WORKBOOK.search(content_types):
        has_macros = "xl/vbaproject.bin" in lower_names or _MACRO_WORKBOOK.search(content_types)
        return "xlsm" if has_macros else "xlsx"
    if "word/document.xml" in lower_names:
        raise InputFileError(f"{path}: is a Word document, not a spreadsheet")
    if "ppt/presentation.xml" in lower_names:
        raise InputFileError(f"{path}: is a PowerPoint presentation, not a spreadsheet")
    raise InputFileError(f"{path}: is a zip archive that holds no workbook; unpack it and give the workbook")


def _small_member(archive: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> bytes:
    """A small metadata member of a zip archive, or ``b""`` when absent (or implausibly big)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > limit:
        return b""
    return archive.read(info)


def _ole2_format(path: Path) -> str:
    """``"xls"`` when the compound file holds a workbook stream; else say what it holds.

    Directory entries of a compound file are 128 bytes long and, as sectors are 512 or 4096
    bytes, always start at a multiple of 128 in the file: the entry name (UTF-16LE, its byte
    length including the terminator at offset 64) and the entry type (offset 66, 2 = stream)
    identify the streams without walking the allocation tables.
    """
    streams: set[str] = set()
    try:
        with open(path, "rb") as handle:
            handle.seek(512)
            while chunk := handle.read(1 << 20):
                for offset in range(0, len(chunk) - 127, 128):
                    name = _directory_entry_name(chunk[offset : offset + 128])
                    if name in _OLE2_WORKBOOK_STREAMS:
                        return "xls"
                    if name is not None:
                        streams.add(name)
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})") from None
    for stream, kind in _OLE2_OTHER_STREAMS.items():
        if stream in streams:
            raise InputFileError(f"{path}: is {kind}")
    raise InputFileError(
        f"{path}: is an Office compound file that holds no workbook; open it in Excel and save it as .xlsx"
    )


def _directory_entry_name(entry: bytes) -> str | None:
    name_bytes = int.from_bytes(entry[64:66], "little")
    if entry[66] != 2 or not 4 <= name_bytes <= 64 or name_bytes % 2:
        return None
    raw = entry[: name_bytes - 2]
    if entry[name_bytes - 2 : name_bytes] != b"\x00\x00":
        return None
    try:
        name = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        return None
    return name.lower() if name.isprintable() else None


# --- delimited text -------------------------------------------------------------------------


def _sniff_delimiter(text: str) -> str:
    best, best_score = DELIMITERS[0], 0
    for candidate in DELIMITERS:
        score = _consistency(text, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _consistency(text: str, delimiter: str) -> int:
    """How many of the first non-blank rows share the commonest cell count above one."""
    counts: dict[int, int] = {}
    seen = 0
    reader = csv.reader(text_lines(text), delimiter=delimiter)  # lazily: a StringIO would copy the whole text
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > 1:
                counts[len(row)] = counts.get(len(row), 0) + 1
            seen += 1
            if seen >= _SNIFF_ROWS:
                break
    except csv.Error:
        pass  # the strict read reports the problem; here the rows so far are evidence enough
    return max(counts.values(), default=0)


def text_lines(text: str):
    """The lines of ``text``, each with its line break (``\\n``, ``\\r\\n`` or ``\\r``), as
    ``io.StringIO(text, newline="")`` yields them, found one at a time without copying the text."""
    return (match.group() for match in _LINE.finditer(text))


def _parse_rows(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """Every row of ``text`` split into cells, the whole file at C speed; a file that breaks a
    limit or cannot be split is read again row by row (:func:`_parse_rows_one_by_one`), whose
    message names the row."""
    rows = _split_plain(text, delimiter) if column_cells.FAST else None
    if rows is None:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        try:
            rows = list(itertools.islice(reader, MAX_ROWS + 1))
        except csv.Error:
            return _parse_rows_one_by_one(path, text, delimiter)
    if len(rows) > MAX_ROWS or (rows and max(map(len, rows)) > MAX_COLUMNS):
        return _parse_rows_one_by_one(path, text, delimiter)
    if "\r" in text and '"' in text:  # a stray carriage return ending a (quoted) last cell is not part of it
        for row in rows:
            if row and row[-1].endswith("\r"):
                row[-1] = row[-1][:-1]
    return rows


def _split_plain(text: str, delimiter: str) -> list[list[str]] | None:
    """The rows of a text without quotes, carriage returns but in line breaks, or NUL characters,
    as the csv module splits them (an empty line is ``[]``), with string methods; ``None`` for
    any other text, or one with more rows than are read or a line longer than a cell can be."""
    text = plain_text(text)
    if text is None:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the line break that ends the last row
    if len(lines) > MAX_ROWS or (len(text) > MAX_CELL_CHARS and max(map(len, lines)) > MAX_CELL_CHARS):
        return None
    return [line.split(delimiter) if line else [] for line in lines]


def _parse_rows_one_by_one(path: Path, text: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if row and row[-1].endswith("\r"):
                row[-1] = row[-1][:-1]
            if len(row) > MAX_COLUMNS:
                raise InputFileError(
                    f"{path}: row {len(rows) + 1} has {len(row):,} cells, more than bomcalc reads ({MAX_COLUMNS:,} "
                    "columns); check the delimiter, or save a copy that holds only the BOM columns")
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise InputFileError(
                    f"{path}: has more than {MAX_ROWS:,} rows, more than bomcalc reads; split the BOM into "
                    "smaller files or save a copy that holds only the BOM data")
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise InputFileError(
                f"{path}: row {len(rows) + 1}: a cell holds more than {MAX_CELL_CHARS:,} characters, more than "
                "bomcalc reads in one cell; a quote that is never closed does this: check the quotes in that row"
            ) from None
        raise InputFileError(
            f"{path}: row {len(rows) + 1}: cannot split into cells ({exc}); a cell that starts with "
            'a double quote must end with one, and a quote inside it must be doubled ("")'
        ) from None
    return rows
