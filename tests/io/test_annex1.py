"""The Annex 1 Part 1 words of declaration forms come from the rule pack, not from the code."""

from bomcalc.io.annex1 import part1_alloy_names, part1_summary
from bomcalc.io.declaration_form import RARE_EARTH_INPUT_COLUMNS
from bomcalc.io.template_columns import PART1_ALLOY_NAMES


def test_the_shipped_pack_names_the_four_part1_alloys():
    assert set(part1_alloy_names()) == {"Sm-Co", "Tb-Fe", "Dy-Fe", "Tb-Dy-Fe"}
    assert PART1_ALLOY_NAMES == part1_alloy_names()
    alloy_column = next(c for c in RARE_EARTH_INPUT_COLUMNS if c.name == "alloy_name")
    assert alloy_column.choices == part1_alloy_names()


def test_a_pack_with_other_items_gives_other_words():
    items = (
        {"id": "x-metal", "element": "Ho", "form": "metal"},
        {"id": "x-alloy", "element": "Ho", "form": "alloy", "alloy": "Ho-Fe"},
        {"id": "y-alloy", "element": "Er", "form": "alloy"},  # no supplier name: not offered
    )
    assert part1_alloy_names(items) == ("Ho-Fe",)
    assert part1_summary(items) == "Ho metals, Ho-Fe and Er alloys"
    assert "Dy" not in part1_summary(items)
