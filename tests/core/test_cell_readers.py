"""One date reader and one list of 'not known' words, used by every reader."""

import datetime as dt

import pytest

from bomcalc.api import parse_date
from bomcalc.core.errors import BomError
from bomcalc.core.tables import ANNEX1_UNKNOWN
from bomcalc.core.values import UNKNOWN_WORDS, is_unknown_word, to_country, to_date


@pytest.mark.parametrize("cell, expected", [
    ("2026-03-01", dt.date(2026, 3, 1)),
    ("  2026-03-01 ", dt.date(2026, 3, 1)),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 1)),
    (dt.datetime(2026, 3, 1, 23, 59), dt.date(2026, 3, 1)),
    (None, None),
    ("   ", None),
    (float("nan"), None),
])
def test_to_date_reads_dates_and_iso_text(cell, expected):
    assert to_date(cell) == expected


@pytest.mark.parametrize("cell", ["01/03/2026", "2026-02-30", "March 1", "2026-3-1x"])
def test_to_date_refuses_other_text_and_names_it(cell):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        to_date(cell)


def test_api_parse_date_calls_the_same_reader_and_refuses_blank_text():
    assert parse_date(" 2026-03-01") == dt.date(2026, 3, 1)
    with pytest.raises(BomError, match="YYYY-MM-DD"):
        parse_date("")
    with pytest.raises(BomError, match="YYYY-MM-DD"):
        parse_date("1/3/2026")


def test_one_list_of_unknown_words_serves_annex1_and_origin():
    assert ANNEX1_UNKNOWN is UNKNOWN_WORDS
    for word in ("Unknown", "TBC", "not known", "N/K", "?"):
        assert is_unknown_word(word)
        assert to_country(word) == (None, None)  # unknown origin, no warning needed
    # "n/a" means "not listed" in an annex1 column, but an unknown origin
    assert not is_unknown_word("n/a")
    assert to_country("n/a") == (None, None)
    assert to_country("CN") == ("CN", None)
