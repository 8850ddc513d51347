"""Delimited text split straight into columns reads as the rows split one by one (I/O layer).

:func:`bomcalc.io.text_columns.split_columns` takes only text whose lines all have the same
number of cells and no quotes, lone carriage returns or NUL characters; every other text is
read row by row. The rows, and the ``check`` and ``validate`` output of a canonical CSV folder,
are compared three ways: columns, rows with the other column paths, and every cell one by one.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bomcalc.cli import main
from bomcalc.core import column_cells
from bomcalc.core.errors import InputFileError
from bomcalc.io import sniff
from bomcalc.io.sheets import malformed_row_issues, read_sheets, rows_frame
from bomcalc.io.sniff import read_text_table
from bomcalc.io.text_columns import ColumnRows, split_columns


def _read(path, columns: bool, fast: bool, monkeypatch):
    monkeypatch.setattr(column_cells, "FAST", fast)
    try:
        table = read_text_table(path, columns=columns)
    except InputFileError as exc:
        return str(exc), None
    return [list(row) for row in table.rows], type(table.rows)


EQUAL_WIDTH = {
    "comma": "part_id,qty\nA,1\nB,2\n",
    "no final line break": "part_id,qty\nA,1\nB,2",
    "CRLF": "part_id;qty\r\nA;1\r\nB;2\r\n",
    "tab": "part_id\tqty\tuom\nA\t1\t\nB\t\t\n",
    "blank cells row": "part_id,qty\n,\nA,1\n",
    "accents and spaces": "part_id,description\nÉ-1, a \u00a0b \n",
    "form feed and end of file mark": "a,b\n\x0c,\x1a\n",
}
ROW_BY_ROW = {
    "quote": 'part_id,qty\n"A,1",2\n',
    "lone CR": "part_id,qty\rA,1\r",
    "CR then CRLF": "a,b\r\r\nc,d\n",
    "blank line": "part_id,qty\n\nA,1\n",
    "blank line at the end": "part_id,qty\nA,1\n\n",
    "ragged: longer row": "part_id,qty\nA,1,x\n",
    "ragged: shorter row": "part_id,qty,uom\nA,1\n",
    "title row": "Parts list\npart_id,qty\nA,1\n",
    "one column": "part_id\nA\nB\n",
}


@pytest.mark.parametrize("text", EQUAL_WIDTH.values(), ids=EQUAL_WIDTH.keys())
def test_equal_width_lines_are_split_into_columns_as_rows_would_be(tmp_path, monkeypatch, text):
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    rows, kind = _read(path, True, True, monkeypatch)
    assert kind is ColumnRows
    assert rows == _read(path, False, True, monkeypatch)[0] == _read(path, True, False, monkeypatch)[0]


@pytest.mark.parametrize("text", ROW_BY_ROW.values(), ids=ROW_BY_ROW.keys())
def test_other_text_is_read_row_by_row(tmp_path, monkeypatch, text):
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    rows, kind = _read(path, True, True, monkeypatch)
    assert kind is list
    assert rows == _read(path, False, True, monkeypatch)[0] == _read(path, False, False, monkeypatch)[0]


def test_nul_and_lines_over_the_limits_are_not_split_into_columns(monkeypatch):
    from bomcalc.io import text_columns

    assert split_columns("a,b\nc,\x00\n", ",") is None
    monkeypatch.setattr(text_columns, "MAX_CELL_CHARS", 5)
    assert split_columns("a,b\nc,123456\n", ",") is None
    assert split_columns("a,b\nc,12\n", ",") is not None  # a line, and so every cell, within the limit
    monkeypatch.setattr(text_columns, "MAX_ROWS", 2)
    assert split_columns("a,b\nc,d\ne,f\n", ",") is None
    monkeypatch.setattr(text_columns, "MAX_COLUMNS", 2)
    assert split_columns("a,b,c\n", ",") is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["a", "b", " ", ",", ";", "\t", "|", "\n", "\n", "\r\n", "\r", '"', "\u00e9", "\u2028"]),
                max_size=40).map("".join))
def test_any_text_reads_the_same_split_into_columns_or_rows(tmp_path, monkeypatch, text):
    path = tmp_path / "bom.csv"
    path.write_bytes(text.encode("utf-8"))
    assert _read(path, True, True, monkeypatch)[0] == _read(path, False, False, monkeypatch)[0]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([",", ";", "\t", "|"]), st.integers(2, 4),
       st.lists(st.lists(st.sampled_from(["a", "Z9", " ", "~", "", "\t", "\u00e9", "\u200b", "\x0c", "\x7f", "\u00a0"]),
                         max_size=3).map("".join), min_size=2, max_size=24))
def test_columns_are_printable_exactly_when_every_cell_is_printable_ascii(delimiter, width, cells):
    cells = [cell.replace(delimiter, "") for cell in cells][: len(cells) // width * width]
    text = "\n".join(delimiter.join(cells[i:i + width]) for i in range(0, len(cells), width)) + "\n"
    split = split_columns(text, delimiter)
    if split is None:  # an empty line (one cell of a one-column row): read row by row
        return
    every = [cell for column in range(split.width) for cell in split.column(column)]
    assert split.printable == all(cell.isascii() and cell.isprintable() for cell in every)
    assert split[1:].printable == split.printable and split[1:][:1].printable == split.printable


def test_column_rows_read_as_a_list_of_rows():
    rows = [["h1", "h2"], ["a", "1"], ["b", "2"], ["c", "3"]]
    split = split_columns("h1,h2\na,1\nb,2\nc,3\n", ",")
    assert split == rows and len(split) == 4 and split.width == 2
    assert split[0] == ["h1", "h2"] and split[-1] == ["c", "3"] and list(split) == rows
    body = split[1:]
    assert isinstance(body, ColumnRows) and body == rows[1:] and body.column(1) == ["1", "2", "3"]
    assert split[1:3][1:] == [["b", "2"]] and split[:40] == rows and split[5:] == [] and split[::2] == rows[::2]
    with pytest.raises(IndexError):
        split[4]
    frame = rows_frame(body, ["qty", "part_id"], [1, 0])
    assert frame.equals(rows_frame(rows[1:], ["qty", "part_id"], [1, 0]))
    assert list(frame.dtypes) == [object, object]


def test_a_text_sheet_split_into_columns_has_no_malformed_rows(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("part_id,qty\nA,1\n", encoding="utf-8")
    (sheet,) = read_sheets(path, columns=True)
    assert isinstance(sheet.rows, ColumnRows) and malformed_row_issues(sheet, 0) == []


PARTS = "part_id,description,origin,unit_value,currency,uom,annex1\nTOP,top,DE,,USD,ea,\nMAG,magnet,JP,12.5,USD,ea,part2\n" \
        "DY,dysprosium,CN,340,USD,kg,part1\nTB,terbium,CN,1000,USD,kg,part1\nSCREW,screw,VN,0.01,USD,ea,\n"
LINES = "parent,child,qty\nTOP,MAG,1\nMAG,DY,0.00025\nMAG,TB,0.10\nTOP,SCREW,4\nMAG,DY,0.0001\n"

FOLDERS = {
    "plain": (PARTS, LINES),
    "CRLF": (PARTS.replace("\n", "\r\n"), LINES.replace("\n", "\r\n")),
    "semicolons and decimal commas": (PARTS.replace(",", ";").replace("12.5", "12,5").replace("0.01", "0,01"),
                                      LINES.replace(",", ";").replace("0.", "0,")),
    "blank cells row": (PARTS + ",,,,,,\n", LINES + ",,\n"),
    "blank line": (PARTS + "\n", LINES.replace("TOP,SCREW", "\nTOP,SCREW")),
    "ragged rows": (PARTS + "X,x,CN,1,USD,ea,,extra\n", LINES + "TOP,TB\nTOP,DY,1,\n"),
    "title rows": ("Parts list,,,,,,\n" + PARTS, "BOM of TOP\n" + LINES),
    "duplicate headers": (PARTS.replace("annex1\n", "annex1,origin\n").replace(",part1\n", ",part1,US\n")
                          .replace(",\n", ",,\n").replace(",part2\n", ",part2,\n"),
                          LINES.replace("qty\n", "qty,qty\n").replace("\n", ",9\n").replace("qty,9", "qty")),
    "quotes": (PARTS.replace("magnet", '"magnet, NdFeB"'), LINES.replace("TOP,SCREW", '"TOP",SCREW')),
    "odd numbers": (PARTS.replace(",", ";").replace("340", "1,234.5").replace("1000", "(12)"),
                    LINES.replace(",", ";").replace("0.10", "1.250").replace(";4\n", ";4-\n")),
    "ambiguous numbers": (PARTS.replace(",", ";").replace("340", "1,234"), LINES.replace(",", ";")),
    "either-way numbers with the decimal point settled": (PARTS.replace(",", ";").replace("1000", "1,000"),
                                                          LINES.replace(",", ";")),
    "text in numbers": (PARTS.replace("340", "n/a"), LINES.replace("0.10", "0.1 kg")),
    "look-alike ids and other digits": (PARTS.replace("DY,dys", "D\u200bY,dys"),
                                        LINES.replace("TOP,MAG", "TOP,MA\u200bG").replace("0.10", "\u0660.10")),
    "a tab and an accent in cells": (PARTS.replace("magnet", "mag\tnet").replace("screw", "écrou"), LINES),
}


def _outputs(folder, monkeypatch) -> list:
    outputs = []
    for args in (["check", str(folder), "--as-of", "2026-11-11", "--format", "json"], ["validate", str(folder), "--format", "json"]):
        done = CliRunner().invoke(main, args, catch_exceptions=False)
        outputs.append((done.exit_code, done.output))
    return outputs


@pytest.mark.parametrize("parts, lines", FOLDERS.values(), ids=FOLDERS.keys())
def test_a_csv_folder_reads_the_same_split_into_columns_or_rows(tmp_path, monkeypatch, parts, lines):
    (tmp_path / "parts.csv").write_text(parts, encoding="utf-8")
    (tmp_path / "bom.csv").write_text(lines, encoding="utf-8")
    columns = _outputs(tmp_path, monkeypatch)
    monkeypatch.setattr(sniff, "split_columns", lambda text, delimiter: None)
    rows = _outputs(tmp_path, monkeypatch)
    monkeypatch.setattr(column_cells, "FAST", False)
    assert columns == rows == _outputs(tmp_path, monkeypatch)



def test_a_table_made_from_columns_leaves_the_sheet_as_read(tmp_path):
    from bomcalc.core.ledger import RowLedger
    from bomcalc.io.readers import table_from_rows

    path = tmp_path / "bom.csv"
    path.write_text("parent,child,qty\nTOP,A\u200b1,\u0661\u0662\nTOP,B,0.5\n", encoding="utf-8")  # a zero-width space, Arabic-Indic digits
    (sheet,) = read_sheets(path, columns=True)
    assert isinstance(sheet.rows, ColumnRows)
    issues = []
    table = table_from_rows("bom", sheet.rows, str(path), "bom", issues, RowLedger())
    assert table.frame["child"].tolist() == ["A1", "B"] and [str(q) for q in table.frame["qty"]] == ["12", "0.5"]
    assert [issue.code for issue in issues] == ["part_id_normalised", "non_ascii_digits"]
    assert list(sheet.rows[1]) == ["TOP", "A\u200b1", "\u0661\u0662"]  # the rows read are not rewritten
    whole = ColumnRows([["a", "b"], ["1", "2"]])  # rows not sliced from a sheet: their columns are copied too
    from bomcalc.io.sheets import rows_columns

    (first,) = rows_columns(whole, [0])
    first[0] = "z"
    assert whole[0] == ["a", "1"] and whole.column(0, copy=True) is not whole.column(0)
