"""A file's number style decided at once (every cell plain or a clear decimal point) is the one
decided cell by cell (I/O layer)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bomcalc.core import column_cells
from bomcalc.io.numbers import AmbiguousNumbers, detect_number_style


def _style_or_error(cells, fast: bool, monkeypatch):
    monkeypatch.setattr(column_cells, "FAST", fast)
    try:
        return detect_number_style(cells)
    except AmbiguousNumbers as exc:
        return str(exc), exc.examples


NUMBER_CELLS = [["12", "0.5"], ["12", "7"], [], ["-0.125", "1234.567", ".5", "5.", "0.000253"], ["1.234"], ["1.250", "0.5"],
                ["12.500", "1,5"], ["0.5", "1,5"], ["1,234", "0.5"], ["-", "."], [" 0.5", "1"], ["0.5", 7, 1.5], ["\u0661.5"],
                ["(0.5)", "2"], ["1e3", "0.5"], ["-1.5", "+1.5"], ["", "1.5"], ["", "2"], ["2.6e-05", "1"], ["1.234e5"],
                ["5.e3", ".5E+2", "2e-05"], ["1.234e5", "1,5"], ["e5", "1.5"], [".e5"], ["1.234", "2.6e-05"]]


@pytest.mark.parametrize("cells", NUMBER_CELLS, ids=lambda cells: " ".join(map(str, cells)) or "none")
def test_a_numbers_style_decided_at_once_is_the_one_read_cell_by_cell(monkeypatch, cells):
    assert _style_or_error(cells, True, monkeypatch) == _style_or_error(cells, False, monkeypatch)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="0123456789.,- +eE", max_size=8), max_size=5))
def test_any_numbers_style_decided_at_once_is_the_one_read_cell_by_cell(monkeypatch, cells):
    assert _style_or_error(cells, True, monkeypatch) == _style_or_error(cells, False, monkeypatch)
