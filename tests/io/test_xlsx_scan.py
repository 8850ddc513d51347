"""The xlsx extent scan: each quick search it makes says what the plain search it stands for says."""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core.errors import InputFileError
from bomcalc.io import xlsx_scan
from bomcalc.io.xlsx_scan import _fast_extent, _largest, _may_hold_formula, _may_mention_hidden, sheet_extent


def _bytes(part: bytes) -> np.ndarray:
    return np.frombuffer(part, dtype=np.uint8)


FORMULA_PIECES = [b"<", b"f", b":", b"<f", b":f", b"x", b"<x:f>", b"<f>", b" ", b"ff", b"<<", b"::"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FORMULA_PIECES), max_size=30))
def test_a_formula_tag_is_suspected_exactly_where_the_text_says_lt_f_or_colon_f(pieces):
    part = b"".join(pieces)
    assert _may_hold_formula(_bytes(part)) == (b"<f" in part or b":f" in part)


HIDDEN_PIECES = [b"h", b"hid", b"den", b"hidden", b"hidde", b"idden", b"a", b"auto", b"Filter", b"autoFilter",
                 b"u", b"autoFilte", b"utoFilter", b"x", b'="1"', b"<"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HIDDEN_PIECES), max_size=30))
def test_a_hidden_mark_is_suspected_exactly_where_the_text_says_hidden_or_autofilter(pieces):
    part = b"".join(pieces)
    assert _may_mention_hidden(_bytes(part)) == (b"hidden" in part or b"autoFilter" in part)


@pytest.mark.parametrize("part", [b"hidden", b"autoFilter", b"xhidden", b"hiddenx", b"autoFilterx", b"xautoFilter",
                                  b"hidde", b"utoFilter", b"", b"u", b"h"])
def test_a_hidden_mark_at_either_end_of_a_stretch_is_found(part):
    assert _may_mention_hidden(_bytes(part)) == (b"hidden" in part or b"autoFilter" in part)


def _bijective(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("0123456789", min_size=1, max_size=12), min_size=1, max_size=30))
def test_the_largest_row_number_is_that_of_the_numbers_written_leading_zeros_and_all(numbers):
    written = b'"'.join(number.encode() for number in numbers) + b'"'
    begins = np.cumsum([0] + [len(number) + 1 for number in numbers[:-1]])
    lengths = np.array([len(number) for number in numbers], dtype=np.uint8)
    assert _largest(_bytes(written), begins, lengths, 10, 0x30, zeros=True) == max(int(number) for number in numbers)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("ABCXYZ", min_size=1, max_size=7), min_size=1, max_size=30))
def test_the_largest_column_is_that_of_the_letters_written(columns):
    written = b'"'.join(column.encode() for column in columns) + b'"'
    begins = np.cumsum([0] + [len(column) + 1 for column in columns[:-1]])
    lengths = np.array([len(column) for column in columns], dtype=np.uint8)
    assert _largest(_bytes(written), begins, lengths, 26, 0x40, zeros=False) == max(
        _bijective(column.encode()) for column in columns)


@pytest.mark.parametrize("part, extent", [
    (b'<c r="A1"/><c r="B2"/>', (2, 2, 2, 2)),  # self-closing cells count in this scan
    (b'<c r="C3">', (3, 3, 3, 3)),  # the reference at the very end of the stretch
    (b'<c r="ZZZZZZZ999999999999"', (999999999999, 8353082582, 999999999999, 8353082582)),  # longest, at the end
    (b'<c r="A9999999999999">', None),  # thirteen digits
    (b'<c r="A1', None),  # no closing quote before the end
    (b'<c r="A1 ">', None),
    (b'<c r="1A">', None),
    (b'<c r="">', None),
    (b'<c r="a1">', None),
    (b'<c r="A1"><c r="B2"><c>', None),  # one cell without a reference is enough
    (b'<c r="B7"><c r="AA0010"><c r="C8">', (10, 27, 8, 3)),
    (b'<x:c r="XFD1048576">', (0, 0, 0, 0)),  # a prefixed cell tag is not what this scan counts
    (b'<col min="1"/><cols><c r="A2">', (2, 1, 2, 1)),
])
def test_the_fast_extent_of_edge_stretches(part, extent):
    assert _fast_extent(part) == extent


DEFAULT_CHUNK = xlsx_scan._CHUNK_BYTES


def _sheet(body: str) -> bytes:
    return (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}'
            '</sheetData></worksheet>').encode()


def _outcome(tmp_path, body: str, chunk: int, monkeypatch):
    """What :func:`sheet_extent` says of a sheet holding ``body``, read ``chunk`` bytes at a time."""
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sheet.xml", _sheet(body))
    monkeypatch.setattr(xlsx_scan, "_CHUNK_BYTES", chunk)
    with zipfile.ZipFile(path) as archive:
        try:
            return sheet_extent("book.xlsx", archive, "sheet.xml", "BOM")
        except InputFileError as error:
            return str(error)


def _rows(count: int, far: str = "", marks: str = "") -> str:
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>{n}</v></c><c r="B{n}"><v>{n}.5</v></c></row>'
                   for n in range(1, count + 1))
    return rows + far + marks


SHEETS = {
    "plain": _rows(300),
    "far cell": _rows(300, '<row r="301"><c r="ALM301"><v>1</v></c></row>'),
    "far row": _rows(300, '<row r="2000001"><c r="A2000001"><v>1</v></c></row>'),
    "too many cells": _rows(300, '<row r="20001"><c r="ALL20001"><v>1</v></c></row>'),
    "far self-closing cell": _rows(300, '<row r="1048576"><c r="XFD1048576" s="1"/></row>'),
    "cells without references": _rows(200) + "<row>" + "<c><v>1</v></c>" * 1001 + "</row>",
    "hidden row and formula at the end": _rows(300, "", '<row r="301" hidden="1"><c r="A301"><f>A1</f></c></row>'),
    "filter": _rows(300, "", '<autoFilter ref="A1:B2"/>'),
    "prefixed formula": _rows(300, "", '<row r="301"><c r="A301"><x:f>A1</x:f><v>1</v></c></row>'),
    "text that says hidden": _rows(300, "", '<row r="301"><c r="A301" t="inlineStr"><is><t>hidden</t></is></c></row>'),
    "declaration": "<!DOCTYPE x>" + _rows(300),
}


@pytest.mark.parametrize("name", sorted(SHEETS))
@pytest.mark.parametrize("chunk", [64, 97, 1000])
def test_the_outcome_of_a_sheet_does_not_depend_on_where_its_reads_end(tmp_path, monkeypatch, name, chunk):
    """Reads end anywhere, inside a reference or a mark too; a stretch is cut before its last '<'."""
    assert _outcome(tmp_path, SHEETS[name], chunk, monkeypatch) == _outcome(
        tmp_path, SHEETS[name], DEFAULT_CHUNK, monkeypatch)


@pytest.mark.parametrize("name, outcome", [
    ("plain", (False, False)),
    ("far cell", "has a cell at ALM301 (1,001 columns x 301 rows)"),
    ("far row", "has a cell at A2000001 (2 columns x 2,000,001 rows)"),
    ("too many cells", "has a cell at ALL20001 (1,000 columns x 20,001 rows)"),
    ("far self-closing cell", (False, False)),
    ("cells without references", "(1,001 columns x 201 rows)"),
    ("hidden row and formula at the end", (True, True)),
    ("filter", (False, True)),
    ("prefixed formula", (True, False)),
    ("text that says hidden", (False, False)),
    ("declaration", "XML bomb"),
])
def test_what_the_scan_says_of_each_sheet(tmp_path, monkeypatch, name, outcome):
    said = _outcome(tmp_path, SHEETS[name], DEFAULT_CHUNK, monkeypatch)
    if isinstance(outcome, str):
        assert re.search(re.escape(outcome), said)
    else:
        assert said == outcome


def _prefixed(tmp_path, cell: str, value: int):
    """A workbook whose one sheet is written with prefixed tags (<x:c>): part_id in A1, ``value`` at ``cell`` on row 5."""
    from tests.hostile.xlsx_raw import RawSheet, write_xlsx

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    xml = (f'<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>part_id'
           f'</x:t></x:is></x:c></x:row><x:row r="5"><x:c r="{cell}"><x:v>{value}</x:v></x:c></x:row></x:sheetData>'
           '</x:worksheet>')
    path = tmp_path / "prefixed.xlsx"
    write_xlsx(path, [RawSheet("BOM", [["part_id"]])], replace={"xl/worksheets/sheet1.xml": xml.encode()})
    return path


def test_a_far_cell_written_with_prefixed_tags_is_refused(tmp_path):
    """python-calamine reads cells written <x:c> as well, so the scan counts them too."""
    from bomcalc.io.sheets import read_sheets

    with pytest.raises(InputFileError, match="has a cell at ALM5"):
        read_sheets(_prefixed(tmp_path, "ALM5", 1))


def test_a_sheet_written_with_prefixed_tags_within_the_limits_is_read(tmp_path):
    from bomcalc.io.sheets import read_sheets

    (sheet,) = read_sheets(_prefixed(tmp_path, "C5", 7))
    assert sheet.rows[0][0] == "part_id" and len(sheet.rows) == 5 and sheet.rows[4][2] == 7


def _two_sheets(tmp_path, far_second: bool):
    from tests.hostile.xlsx_raw import RawSheet, write_xlsx

    far = '<row r="7"><c r="XFD1048576"><v>1</v></c></row>' if far_second else ""
    path = tmp_path / "two.xlsx"
    write_xlsx(path, [RawSheet("parts", [["part_id", "origin"], ["A", "DE"]]),
                      RawSheet("bom", [["parent", "child", "qty"], ["A", "B", 2]], extra_cells=far)])
    return path


@pytest.mark.parametrize("far_second", [False, True])
def test_a_sheet_is_built_only_after_the_scan_found_it_within_the_limits(tmp_path, monkeypatch, far_second):
    from bomcalc.io import sheet_builds
    from bomcalc.io.sheets import read_sheets

    events = []
    real_extent, real_build = xlsx_scan.sheet_extent, sheet_builds.SheetBuilds._build
    monkeypatch.setattr(xlsx_scan, "sheet_extent", lambda path, archive, member, name: (
        events.append(("measure", name)), real_extent(path, archive, member, name))[1])
    monkeypatch.setattr(sheet_builds.SheetBuilds, "_build", lambda self, name: (
        events.append(("build", name)), real_build(self, name))[1])
    path = _two_sheets(tmp_path, far_second)
    if far_second:
        with pytest.raises(InputFileError, match="sheet 'bom'.*XFD1048576"):
            read_sheets(path)
        assert ("build", "bom") not in events  # the far sheet never reaches python-calamine's grid
    else:
        sheets = read_sheets(path)
        assert [s.rows for s in sheets] == [[["part_id", "origin"], ["A", "DE"]], [["parent", "child", "qty"], ["A", "B", 2]]]
    for name in ("parts", "bom"):
        if ("build", name) in events:
            assert events.index(("measure", name)) < events.index(("build", name))


def test_an_error_building_a_sheet_is_raised_after_every_sheet_was_measured(tmp_path, monkeypatch):
    from bomcalc.io import sheet_builds
    from bomcalc.io.sheets import read_sheets

    def broken(self, name):
        raise ValueError("damaged sheet")

    monkeypatch.setattr(sheet_builds.SheetBuilds, "_build", broken)
    path = _two_sheets(tmp_path, far_second=True)
    with pytest.raises(InputFileError, match="XFD1048576"):  # the limit, not the damaged first sheet
        read_sheets(path)
    with pytest.raises(InputFileError, match="cannot be read as a xlsx workbook .damaged sheet"):
        read_sheets(_two_sheets(tmp_path / "ok", far_second=False) if (tmp_path / "ok").mkdir() is None else None)
