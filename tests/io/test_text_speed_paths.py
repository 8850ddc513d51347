"""The fast paths of reading delimited text give what the plain ones give (I/O layer)."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bomcalc.core import column_cells
from bomcalc.core.errors import InputFileError
from bomcalc.io import sniff
from bomcalc.io.sniff import read_text_table, text_lines


@pytest.mark.parametrize(
    "text",
    ["", "a", "a\n", "a\r\nb", "a\rb\r", "\n\n", "\r\n\r\n", 'x,"y\r\nz"\r\n', "a\n\rb", "a\r\r\nb\n"],
    ids=["empty", "no line break", "newline", "CRLF", "lone CR", "blank lines", "blank CRLF lines",
         "quoted line break", "LF then CR", "CR then CRLF"],
)
def test_text_lines_split_as_a_string_stream_does(text):
    assert list(text_lines(text)) == list(io.StringIO(text, newline=""))


@pytest.mark.parametrize(
    "data, position",
    [
        (b"part_id,qty\nA,1\nB\x07,2\n", 17),
        (b"part_id,qty\n\xc3\xa9A\x7f,1\n", 15),  # after a two-byte UTF-8 character: the byte offset
        (b"part_id;qty\n\xe9A\x1b;1\n", 14),  # Windows-1252
    ],
    ids=["bell in UTF-8", "delete after an accent", "escape in Windows-1252"],
)
def test_a_control_character_is_named_with_its_byte_offset(tmp_path, data, position):
    path = tmp_path / "bom.csv"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=rf"binary data \(control character 0x..? at position {position}\)"):
        read_text_table(path)


def test_a_control_character_in_utf16_text_is_refused(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("part_id\tqty\nA\x01\t1\n".encode("utf-16"))
    with pytest.raises(InputFileError, match=r"control character 0x01 at position 13"):
        read_text_table(path)


def test_tabs_line_breaks_and_the_end_of_file_mark_are_text(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"part_id\tqty\r\nA\t1\x0c\r\nB\t2\n\x1a")
    assert read_text_table(path).rows == [["part_id", "qty"], ["A", "1\x0c"], ["B", "2"], ["\x1a"]]


def _rows_or_error(path, fast: bool, monkeypatch):
    monkeypatch.setattr(column_cells, "FAST", fast)
    try:
        return read_text_table(path).rows
    except InputFileError as exc:
        return str(exc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["a", "b", " ", ",", ";", "\t", "|", "\n", "\r\n", "\r\n", "\r", '"', "\x0c", "\u00e9",
                                 "\u2028", "\x1a"]), max_size=40).map("".join))
def test_text_without_quotes_splits_as_the_csv_module_splits_it(tmp_path, monkeypatch, text):
    """Text without quotes or lone carriage returns is split with string methods: the rows (or
    the error) are what the csv module gives, for every mix of delimiters and line breaks."""
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    assert _rows_or_error(path, True, monkeypatch) == _rows_or_error(path, False, monkeypatch)


@pytest.mark.parametrize("text, rows", [
    ("a,b\n\nc,\n", [["a", "b"], [], ["c", ""]]),
    ("a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]),
    ("a;b\n;\n", [["a", "b"], ["", ""]]),
    ("a,b\rc,d", [["a", "b"], ["c", "d"]]),  # a lone carriage return: the csv module's own split
    ('a,"b,c"\n', [["a", "b,c"]]),
], ids=["blank line and empty last cell", "CRLF", "semicolons", "lone CR", "quoted"])
def test_rows_as_written_whichever_way_they_are_split(tmp_path, monkeypatch, text, rows):
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    assert _rows_or_error(path, True, monkeypatch) == _rows_or_error(path, False, monkeypatch) == rows


def test_a_line_longer_than_a_cell_may_be_is_refused_naming_its_row(tmp_path, monkeypatch):
    monkeypatch.setattr(sniff, "MAX_CELL_CHARS", 10)
    path = tmp_path / "bom.csv"
    path.write_bytes(b"part_id,qty\nP1,1\nP2,12345678901\n")
    limit = csv.field_size_limit(10)
    try:
        fast, slow = _rows_or_error(path, True, monkeypatch), _rows_or_error(path, False, monkeypatch)
    finally:
        csv.field_size_limit(limit)
    assert fast == slow and "row 3: a cell holds more than 10 characters" in fast
