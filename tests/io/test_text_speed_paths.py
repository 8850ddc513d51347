"""The fast paths of reading delimited text give what the plain ones give (I/O layer)."""

import io

import pytest

from bomcalc.core.errors import InputFileError
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
