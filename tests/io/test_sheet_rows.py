"""A sheet's rows below its header: rows that are not parts told by their cells, the number style
settled from the number columns, and only the columns that can hold look-alikes searched for them.

Each quick path is held against the rule written out in full."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.core.values import is_blank, to_text
from bomcalc.io.aliases import header_key
from bomcalc.io.lookalikes import ID_COLUMNS, unusual_columns
from bomcalc.io.numbers import AmbiguousNumbers, choose_number_style, columns_number_style
from bomcalc.io.sheet_rows import MARKED, NOT_POPULATED, SKIPPED_CATEGORIES, skip_reason
from bomcalc.io.summary_rows import summary_reason

SEPARATOR = re.compile(r"^[-=_|+*~.:\s]+$")


def reason_in_full(cells: dict) -> str | None:
    """Why a row is not a part, every test made on every row in order."""
    if all(is_blank(cell) for cell in cells.values()):
        return "blank row"
    if all(is_blank(cell) or (isinstance(cell, str) and SEPARATOR.match(cell)) for cell in cells.values()):
        return "separator row"
    category = to_text(cells.get("item_category"))
    if category and header_key(category) in SKIPPED_CATEGORIES:
        return SKIPPED_CATEGORIES[header_key(category)]
    if not is_blank(cells.get("dnp")) and header_key(cells["dnp"]) in MARKED:
        return "do not populate"
    if not is_blank(cells.get("populate")) and header_key(cells["populate"]) in NOT_POPULATED:
        return "do not populate"
    return summary_reason(cells) or (None if to_text(cells.get("part_id")) is not None else "text row without a part number")


PART_CELLS = st.sampled_from([None, "", " ", "\t", "\xa0", "MAG-100", " MAG-100 ", "---", "- -", "====", "...", "--\n",
                              "Total", "Total (USD)", "Note: prices as of Q3", "SUM100", 1234.0, 7, Decimal("12"), float("nan")])
OTHER_CELLS = st.sampled_from([None, "", " ", "---", "x", "T", "DNP", "no", "1", "2", Decimal("2"), 0.0, "Magnet", "Total"])
ROWS = st.fixed_dictionaries({"part_id": PART_CELLS},
                             optional={name: OTHER_CELLS for name in ("description", "qty", "level", "item_category", "dnp",
                                                                      "populate", "find_number", "origin")})


@settings(max_examples=600, deadline=None)
@given(ROWS)
def test_a_row_is_skipped_for_the_reason_the_full_rule_gives(cells):
    assert skip_reason(cells) == reason_in_full(cells)


@pytest.mark.parametrize("cells, reason", [
    ({"part_id": "---", "qty": "==="}, "separator row"),
    ({"part_id": "  ", "qty": None}, "blank row"),
    ({"part_id": "MAG-100", "item_category": "T"}, "text item"),
    ({"part_id": "MAG-100", "dnp": "x", "qty": "2"}, "do not populate"),
    ({"part_id": "Total", "description": "all"}, "total row"),
    ({"part_id": None, "description": "Note: prices as of Q3"}, "note row"),
    ({"part_id": None, "description": "Magnet", "qty": "2"}, "text row without a part number"),
    ({"part_id": "MAG-100", "qty": "2"}, None),
])
def test_rows_that_are_not_parts(cells, reason):
    assert skip_reason(cells) == reason


NUMBER_TEXTS = st.sampled_from([None, "", "12", "-0.5", "0.125", "1234.567", "2.6e-05", "1,234", "1.234", "0,75", "1.234,5",
                                "1,234.5", "1.234.567", "155,22-", "(12.5)", "abc", "12 kg", 3, 2.5, Decimal("1.5")])


def row_by_row(columns):
    return [cell for row in zip(*columns) for cell in row if isinstance(cell, str)]


@settings(max_examples=600, deadline=None)
@given(st.integers(1, 3).flatmap(lambda width: st.lists(st.lists(NUMBER_TEXTS, min_size=width, max_size=width),
                                                        max_size=12)),
       st.sampled_from([None, ".", ","]))
def test_the_number_style_of_columns_is_that_of_their_texts_row_by_row(rows, decimal):
    """The style, or the ambiguity and its message (which names example cells in the order met),
    are those of the texts taken row by row, as the sheet gives them."""
    columns = [list(column) for column in zip(*rows)] if rows else []

    def outcome(function, texts):
        try:
            return function(texts, decimal)
        except AmbiguousNumbers as exc:
            return str(exc)

    assert outcome(columns_number_style, columns) == outcome(choose_number_style, row_by_row(columns))


def test_only_columns_with_text_other_than_printable_ascii_are_searched():
    columns = {"part_id": ["MAG-100", "DY-100", "TB\t100"], "parent": ["ASSY\u200b1", "ASSY1", "ASSY1"],
               "qty": ["2", "\u0661\u0662", "1"], "child": [12.0, None, "x"], "unit_value": []}
    assert unusual_columns({name: columns[name] for name in ID_COLUMNS if name in columns}) == ["part_id", "parent"]
    assert unusual_columns({name: columns[name] for name in ("qty", "unit_value")}) == ["qty"]  # an empty column holds none
    assert unusual_columns({}) == []


def test_look_alike_ids_and_other_digits_in_an_export_are_still_read_and_named(tmp_path):
    """The export reader searches only the unusual columns: a zero-width space in one part id and
    Arabic-Indic digits in one quantity, among plain rows, are still found and reported by row."""
    from bomcalc.api import validate

    path = tmp_path / "export.csv"
    path.write_text("Level,Part Number,Description,Qty,UoM,Unit Price,Currency,COO\n"
                    "0,ASSY,Assembly,1,EA,,USD,DE\n"
                    "1,MAG\u200b-1,Magnet,2,EA,3.5,USD,JP\n"
                    "1,MAG-1,Magnet,\u0662,EA,3.5,USD,JP\n", encoding="utf-8")
    report = validate(path)
    assert report.ok  # the two rows are one line of one part, their quantities summed
    found = sorted((issue.code, issue.row, issue.message.split(":")[0]) for issue in report.issues
                   if issue.code in ("part_id_normalised", "non_ascii_digits"))
    assert found == [("non_ascii_digits", 4, "row 4 (qty)"), ("part_id_normalised", 3, "row 3 (part_id)")]
