"""Hierarchy encodings of flat BOM exports into parent links, and CS12 quantities per parent."""

from __future__ import annotations

import random
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bomcalc.io.hierarchy import (
    detect_level_encoding,
    detect_path_delimiter,
    levels_from_dots,
    levels_from_indent,
    levels_from_integers,
    parents_from_levels,
    parents_from_parent_column,
    parents_from_paths,
    per_parent_quantities,
)
from bomcalc.io.level_encodings import ReadOnce, whole_number


def codes(problems):
    return [problem.code for problem in problems]


# --- detection -----------------------------------------------------------------------------

# (id, cells, encoding)
DETECTION_CASES = [
    ("whole numbers are integer levels", [0, 1, 2, 1], "integer"),
    ("spreadsheet floats are integer levels", [1.0, 2.0, 2.0, 1.0], "integer"),
    ("numeric text is integer levels", ["1", "2", " 3 ", "2.0"], "integer"),
    ("dotted SAP levels are dotted", [".1", "..2", "...3", ".1"], "dotted"),
    ("dotted levels with a bare 1 are dotted", ["1", "..2", ".1"], "dotted"),
    ("item-number paths are paths", ["1", "1.1", "1.2", "2"], "path"),
    ("paths with dashes are paths", ["1", "1-1", "1-1-3"], "path"),
    ("blank text rows are ignored", [None, "", ".1", "  ", "..2"], "dotted"),
]


@pytest.mark.parametrize("cells, encoding", [c[1:] for c in DETECTION_CASES], ids=[c[0] for c in DETECTION_CASES])
def test_detect_level_encoding(cells, encoding):
    assert detect_level_encoding(cells) == encoding


# (id, cells, words the message must contain)
DETECTION_ERRORS = [
    ("dotted levels mixed with paths are refused", [".1", "..2", "1.2"], ["'1.2'", "'.1'", "one encoding"]),
    ("a level 2 without dots among dotted levels is refused", [".1", "2"], ["'2'", "'.1'"]),
    ("paths with two delimiters are refused", ["1.1", "1-1"], ["'1-1'", "'1.1'"]),
    ("text that is no level is refused", ["1", "A"], ["'A'", "position 1"]),
    ("a fractional number cell is refused", [1, 1.5], ["1.5"]),
    ("an empty column is refused", [None, " ", ""], ["empty"]),
]


@pytest.mark.parametrize("cells, words", [c[1:] for c in DETECTION_ERRORS], ids=[c[0] for c in DETECTION_ERRORS])
def test_detect_level_encoding_refuses(cells, words):
    with pytest.raises(ValueError) as raised:
        detect_level_encoding(cells)
    for word in words:
        assert word in str(raised.value)


@pytest.mark.parametrize(
    "cells, delimiter",
    [(["1", "1.1"], "."), (["1", "1-1"], "-"), (["1", "1/1", "1/1/2"], "/"), ([1, 2], ".")],
    ids=["dots", "dashes", "slashes", "top-level numbers alone read with the default dot"],
)
def test_detect_path_delimiter(cells, delimiter):
    assert detect_path_delimiter(cells) == delimiter


def test_detect_path_delimiter_refuses_dotted_levels():
    with pytest.raises(ValueError, match="no item-number paths"):
        detect_path_delimiter([".1", "..2"])


# --- integer levels ------------------------------------------------------------------------

# (id, cells, levels, base)
INTEGER_CASES = [
    ("levels from 1 are kept", [1, 2, 2, 1], [1, 2, 2, 1], 1),
    ("levels from 0 with one header row first keep the header at 0", [0, 1, 2, 1], [0, 1, 2, 1], 0),
    ("levels from 0 with several level-0 rows start at 1", [0, 1, 0, 1], [1, 2, 1, 2], 0),
    ("spreadsheet floats and numeric text are read", [1.0, "2", " 2 ", "3.0"], [1, 2, 2, 3], 1),
    ("a blank cell has no level", [1, None, "", 2], [1, None, None, 2], 1),
]


@pytest.mark.parametrize("cells, levels, base", [c[1:] for c in INTEGER_CASES], ids=[c[0] for c in INTEGER_CASES])
def test_levels_from_integers(cells, levels, base):
    assert levels_from_integers(cells) == (levels, base, [])


@pytest.mark.parametrize(
    "cell, shown", [("x", "'x'"), (1.5, "1.5"), (-1, "-1"), (True, "True"), ("1,5", "'1,5'")],
    ids=["text", "a fraction", "a negative number", "a boolean", "a decimal comma"],
)
def test_a_bad_integer_level_is_a_problem_naming_it(cell, shown):
    levels, _, problems = levels_from_integers([1, cell, 2])
    assert levels == [1, None, 2]
    assert codes(problems) == ["bad_level"]
    assert problems[0].index == 1
    assert shown in problems[0].message


def test_levels_from_0_and_from_1_give_the_same_parents():
    # Two products in one export, each with its own assembly row, in both counting styles.
    from_zero = [0, 1, 2, 2, 1, 0, 1]
    from_one = [level + 1 for level in from_zero]
    parents_zero = parents_from_levels(levels_from_integers(from_zero)[0])
    parents_one = parents_from_levels(levels_from_integers(from_one)[0])
    assert parents_zero == parents_one == ([None, 0, 1, 1, 0, None, 5], [])


# --- parents from levels -------------------------------------------------------------------

# (id, levels, parents)
PARENT_CASES = [
    ("siblings share their parent", [1, 2, 2], [None, 0, 0]),
    ("a header row is the parent of the top-level components", [0, 1, 1, 2], [None, 0, 0, 2]),
    ("going up several levels returns to the right ancestor", [1, 2, 3, 4, 2], [None, 0, 1, 2, 0]),
    ("several top-level rows have no parent", [1, 2, 1, 2], [None, 0, None, 2]),
    ("rows without a level are skipped and never parents", [1, None, 2], [None, None, 0]),
]


@pytest.mark.parametrize("levels, parents", [c[1:] for c in PARENT_CASES], ids=[c[0] for c in PARENT_CASES])
def test_parents_from_levels(levels, parents):
    assert parents_from_levels(levels) == (parents, [])


# (id, levels, cells, parents, code, words the message must contain)
LEVEL_PROBLEMS = [
    ("a level jump from 1 to 3 is an error", [1, 3], None, [None, 0], "level_jump", ["level 1", "level 3"]),
    ("a jump quotes the cells as written", [1, 3], [".1", "...3"], [None, 0], "level_jump", ["'.1'", "'...3'"]),
    ("a first row at level 2 is an error", [2, 3], None, [None, 0], "first_row_not_top", ["level 2"]),
    ("a jump from a header row is an error", [0, 2], None, [None, 0], "level_jump", ["level 0", "level 2"]),
    ("a level that is not a whole number is a bad level", [1, "2"], None, [None, None], "bad_level", ["'2'"]),
]


@pytest.mark.parametrize(
    "levels, cells, parents, code, words", [c[1:] for c in LEVEL_PROBLEMS], ids=[c[0] for c in LEVEL_PROBLEMS]
)
def test_level_problems(levels, cells, parents, code, words):
    found, problems = parents_from_levels(levels, cells)
    assert found == parents
    assert codes(problems) == [code]
    for word in words:
        assert word in problems[0].message


def test_a_jump_is_reported_once_and_its_siblings_keep_the_same_parent():
    parents, problems = parents_from_levels([1, 3, 3, 4, 2, 3])
    assert parents == [None, 0, 0, 2, 0, 4]
    assert [(problem.index, problem.code) for problem in problems] == [(1, "level_jump")]


def test_a_first_row_too_deep_is_reported_once_for_it_and_its_siblings():
    parents, problems = parents_from_levels([2, 3, 2, 1, 2])
    assert parents == [None, 0, None, None, 3]
    assert [(problem.index, problem.code) for problem in problems] == [(0, "first_row_not_top")]


# --- dotted levels -------------------------------------------------------------------------

# (id, cells, levels)
DOTTED_CASES = [
    ("dotted SAP levels", [".1", "..2", "...3", "..2", ".1"], [1, 2, 3, 2, 1]),
    ("a bare 1 is level 1", ["1", "..2", 1, 1.0], [1, 2, 1, 1]),
    ("a bare 0 is a header row", ["0", ".1", "..2"], [0, 1, 2]),
    ("spaces are ignored", [" .1", ". .2 ", "  ...3"], [1, 2, 3]),
    ("a blank cell has no level", [".1", None, " ", "..2"], [1, None, None, 2]),
]


@pytest.mark.parametrize("cells, levels", [c[1:] for c in DOTTED_CASES], ids=[c[0] for c in DOTTED_CASES])
def test_levels_from_dots(cells, levels):
    assert levels_from_dots(cells) == (levels, [])


@pytest.mark.parametrize(
    "cell, words",
    [("..3", ["'..3'", "2 dot(s)", "'...3'"]), ("2", ["'2'", "'..2'"]), (2, ["2", "'..2'"]), ("x", ["'x'"])],
    ids=["two dots saying level 3", "a bare 2", "the number 2", "text"],
)
def test_a_bad_dotted_level_is_a_problem_naming_it(cell, words):
    levels, problems = levels_from_dots([".1", cell])
    assert levels == [1, None]
    assert codes(problems) == ["bad_level"]
    for word in words:
        assert word in problems[0].message


# --- item-number paths ---------------------------------------------------------------------

# (id, paths, delimiter, parents)
PATH_CASES = [
    ("paths in file order", ["1", "1.1", "1.2", "1.2.1", "2"], ".", [None, 0, 0, 2, None]),
    ("paths in any order", ["1.2.1", "2", "1.2", "1", "1.1"], ".", [2, None, 3, None, 3]),
    ("paths with dashes", ["1", "1-1", "1-1-1"], "-", [None, 0, 1]),
    ("paths with slashes", ["1/1", "1"], "/", [1, None]),
    ("whole-number cells are top-level paths", [1, 2.0, "2.1"], ".", [None, None, 1]),
    ("spaces around the parts are ignored", [" 1 ", "1 . 2"], ".", [None, 0]),
    ("a blank cell is skipped", ["1", None, "1.1"], ".", [None, None, 0]),
    ("parts are compared as text", ["10", "1.1", "1", "10.1"], ".", [None, 2, None, 0]),
]


@pytest.mark.parametrize("paths, delimiter, parents", [c[1:] for c in PATH_CASES], ids=[c[0] for c in PATH_CASES])
def test_parents_from_paths(paths, delimiter, parents):
    assert parents_from_paths(paths, delimiter) == (parents, [])


# (id, paths, parents, [(index, code)], words the first message must contain)
PATH_PROBLEMS = [
    ("a path whose parent is missing", ["1", "2.1"], [None, None], [(1, "missing_parent_path")], ["'2.1'", "'2'"]),
    ("a duplicate path is an error", ["1", "1.1", "1.1"], [None, 0, 0], [(2, "duplicate_path")], ["'1.1'"]),
    (
        "children of a duplicate path go to its first row",
        ["1", "1.1", "1.1", "1.1.1"],
        [None, 0, 0, 1],
        [(2, "duplicate_path")],
        ["'1.1'"],
    ),
    ("an empty part is an error", ["1", "1..2"], [None, None], [(1, "bad_path")], ["'1..2'"]),
    ("a fractional number cell is an error", ["1", 1.1], [None, None], [(1, "bad_path")], ["1.1", "text"]),
]


@pytest.mark.parametrize(
    "paths, parents, problems, words", [c[1:] for c in PATH_PROBLEMS], ids=[c[0] for c in PATH_PROBLEMS]
)
def test_path_problems(paths, parents, problems, words):
    found, found_problems = parents_from_paths(paths)
    assert found == parents
    assert [(problem.index, problem.code) for problem in found_problems] == problems
    for word in words:
        assert word in found_problems[0].message


# --- indentation ---------------------------------------------------------------------------

# (id, indents, levels)
INDENT_CASES = [
    ("indent of two spaces", [0, 2, 4, 2, 0, 2], [1, 2, 3, 2, 1, 2]),
    ("indent of four spaces", [0, 4, 8, 0], [1, 2, 3, 1]),
    ("Excel indent levels", [0, 1, 2, 1, 0], [1, 2, 3, 2, 1]),
    ("one first row at the shallowest indent is the header at level 0", [0, 2, 4, 2], [0, 1, 2, 1]),
    ("indents are measured from the shallowest", [2, 4, 2, 4], [1, 2, 1, 2]),
    ("a blank indent has no level", [0, None, 2, 0], [1, None, 2, 1]),
    ("one row alone is a header", [3], [0]),
]


@pytest.mark.parametrize("indents, levels", [c[1:] for c in INDENT_CASES], ids=[c[0] for c in INDENT_CASES])
def test_levels_from_indent(indents, levels):
    assert levels_from_indent(indents) == (levels, [])


def test_uneven_indent_is_an_error():
    levels, problems = levels_from_indent([0, 2, 4, 3, 0])
    assert levels == [1, 2, 3, None, 1]
    assert [(problem.index, problem.code) for problem in problems] == [(3, "uneven_indent")]
    assert "indent 3" in problems[0].message and "2" in problems[0].message


def test_a_negative_indent_is_a_bad_level():
    levels, problems = levels_from_indent([0, -2, 2])
    assert codes(problems) == ["bad_level"] and levels[1] is None


# --- parent column -------------------------------------------------------------------------


def test_a_parent_column_in_any_order_with_a_part_used_twice():
    parents, problems = parents_from_parent_column(
        ["BOLT", "ROTOR", "MOTOR", "BOLT", "STATOR", 1234.0],
        ["ROTOR", "MOTOR", None, "STATOR", " MOTOR ", ""],
    )
    assert parents == ["ROTOR", "MOTOR", None, "STATOR", "MOTOR", None]
    assert problems == []


@pytest.mark.parametrize(
    "part_ids, parent_ids, code, words",
    [
        (["A", "B"], [None, "X"], "missing_parent_part", ["'X'", "'B'"]),
        (["A", "B"], [None, "B"], "own_parent", ["'B'"]),
    ],
    ids=["a parent that is no part is an error", "a part that is its own parent is an error"],
)
def test_parent_column_problems(part_ids, parent_ids, code, words):
    parents, problems = parents_from_parent_column(part_ids, parent_ids)
    assert parents == [None, None]
    assert [(problem.index, problem.code) for problem in problems] == [(1, code)]
    for word in words:
        assert word in problems[0].message


# --- quantities per parent -----------------------------------------------------------------

D = Decimal
# (id, extended, parents, per parent)
QUANTITY_CASES = [
    ("extended 8 under parent 2 is 4 per parent", [D(2), D(8)], [None, 0], [D(2), D(4)]),
    ("top-level rows keep their extended quantity", [D("2.5"), D(3)], [None, None], [D("2.5"), D(3)]),
    ("three levels divide each by its own parent", [D(3), D(6), D(24)], [None, 0, 1], [D(3), D(2), D(4)]),
    ("a quarter is exact", [D(4), D(1)], [None, 0], [D(4), D("0.25")]),
    ("a missing quantity stays missing", [D(4), None], [None, 0], [D(4), None]),
    ("zero under a parent is zero", [D(4), D(0)], [None, 0], [D(4), D(0)]),
    (
        "an exact quotient longer than 34 digits stays exact",
        [D(2**120), D(1)],
        [None, 0],
        [D(2**120), D(f"{5**120}E-120")],
    ),
]


@pytest.mark.parametrize(
    "extended, parents, expected", [c[1:] for c in QUANTITY_CASES], ids=[c[0] for c in QUANTITY_CASES]
)
def test_per_parent_quantities(extended, parents, expected):
    quantities, problems = per_parent_quantities(extended, parents)
    assert problems == []
    assert quantities == expected


def test_an_exact_quotient_longer_than_34_digits_is_exact_to_the_last_digit():
    (_, quotient), _ = per_parent_quantities([D(2**120), D(1)], [None, 0])
    assert quotient.as_tuple().exponent == -120
    assert quotient * D(2**120) == 1


def test_one_third_is_flagged_inexact():
    quantities, problems = per_parent_quantities([D(3), D(1)], [None, 0])
    assert quantities[1] == D("0." + "3" * 34)
    assert [(problem.index, problem.code, problem.severity) for problem in problems] == [
        (1, "inexact_quantity", "warning")
    ]
    assert "1" in problems[0].message and "3" in problems[0].message


@pytest.mark.parametrize(
    "parent_quantity, shown", [(D(0), "0"), (None, "blank")], ids=["a zero parent quantity", "a missing one"]
)
def test_a_bad_parent_quantity_is_an_error(parent_quantity, shown):
    quantities, problems = per_parent_quantities([parent_quantity, D(5)], [None, 0])
    assert quantities == [parent_quantity, None]
    assert codes(problems) == ["bad_parent_quantity"]
    assert shown in problems[0].message and "5" in problems[0].message


# --- size ----------------------------------------------------------------------------------

ROWS = 100_000


def test_a_chain_of_100000_levels():
    levels, base, problems = levels_from_integers(list(range(1, ROWS + 1)))
    assert base == 1 and problems == []
    parents, problems = parents_from_levels(levels)
    assert problems == []
    assert parents[0] is None and parents[-1] == ROWS - 2
    assert all(parents[index] == index - 1 for index in range(1, ROWS))


def test_a_tree_of_100000_rows_in_every_encoding():
    depths, expected, paths = _random_tree(random.Random(61), ROWS, widest=12, deepest=8)
    assert parents_from_levels(levels_from_integers(depths)[0]) == (expected, [])
    assert parents_from_levels(levels_from_dots(["." * (d + 1) + str(d + 1) for d in depths])[0]) == (expected, [])
    assert parents_from_levels(levels_from_indent([4 * d for d in depths])[0]) == (expected, [])
    assert parents_from_paths(paths) == (expected, [])
    rng = random.Random(70)
    per_parent = [D(rng.randint(1, 5)) for _ in range(ROWS)]
    extended = []
    for index, parent in enumerate(expected):
        extended.append(per_parent[index] if parent is None else extended[parent] * per_parent[index])
    assert per_parent_quantities(extended, expected) == (per_parent, [])


def _random_tree(rng, rows, widest, deepest):
    """A random forest in file order: depths (0 = top), parent positions and item-number paths."""
    depths, parents, paths, children = [], [], [], []
    open_rows: list[int] = []  # ancestors of the next row, deepest last
    tops = 0
    for index in range(rows):
        while open_rows and (
            len(open_rows) >= deepest or children[open_rows[-1]] >= widest or rng.random() < 0.3
        ):
            open_rows.pop()
        parent = open_rows[-1] if open_rows else None
        if parent is None:
            tops += 1
            paths.append(str(tops))
        else:
            children[parent] += 1
            paths.append(f"{paths[parent]}.{children[parent]}")
        depths.append(0 if parent is None else depths[parent] + 1)
        parents.append(parent)
        children.append(0)
        open_rows.append(index)
    return depths, parents, paths


# --- every encoding decodes to the same structure ------------------------------------------


@st.composite
def trees(draw):
    """Depths of a random forest in file order: the first row is at 0, each next row at most one deeper."""
    depths = [0]
    for _ in range(draw(st.integers(0, 40))):
        depths.append(draw(st.integers(0, depths[-1] + 1)))
    return depths


def _expected_parents(depths):
    """The nearest earlier row one level up, found by looking back (slow and obvious)."""
    parents = []
    for index, depth in enumerate(depths):
        above = [j for j in range(index) if depths[j] == depth - 1]
        parents.append(above[-1] if depth else None)
    return parents


def _paths(depths, parents, delimiter):
    paths, counts = [], {}
    for index, parent in enumerate(parents):
        counts[parent] = counts.get(parent, 0) + 1
        prefix = "" if parent is None else paths[parent] + delimiter
        paths.append(f"{prefix}{counts[parent]}")
    return paths


@settings(max_examples=200, deadline=None)
@given(
    depths=trees(),
    step=st.sampled_from([1, 2, 4]),
    delimiter=st.sampled_from([".", "-", "/"]),
    order=st.randoms(use_true_random=False),
)
def test_every_encoding_gives_the_same_parents(depths, step, delimiter, order):
    expected = _expected_parents(depths)

    from_zero = levels_from_integers(depths)
    from_one = levels_from_integers([str(depth + 1) for depth in depths])
    dotted = levels_from_dots(["." * (depth + 1) + str(depth + 1) for depth in depths])
    indented = levels_from_indent([step * depth for depth in depths])
    for levels, *rest in (from_zero, from_one, dotted, indented):
        assert rest[-1] == []
        assert parents_from_levels(levels) == (expected, [])

    # Paths, shuffled: decode, then map the positions back to file order.
    paths = _paths(depths, expected, delimiter)
    if max(depths):
        assert detect_level_encoding(paths) == "path"
        assert detect_path_delimiter(paths) == delimiter
    shuffled = list(range(len(paths)))
    order.shuffle(shuffled)
    found, problems = parents_from_paths([paths[i] for i in shuffled], delimiter)
    assert problems == []
    unshuffled = [None] * len(paths)
    for position, original in enumerate(shuffled):
        unshuffled[original] = None if found[position] is None else shuffled[found[position]]
    assert unshuffled == expected

    # An explicit parent column, shuffled the same way.
    part_ids = [f"P{i}" for i in range(len(depths))]
    parent_ids = [None if parent is None else f"P{parent}" for parent in expected]
    found, problems = parents_from_parent_column([part_ids[i] for i in shuffled], [parent_ids[i] for i in shuffled])
    assert problems == []
    assert found == [parent_ids[i] for i in shuffled]


@settings(max_examples=100, deadline=None)
@given(
    depths=trees(),
    data=st.data(),
)
def test_per_parent_quantities_undo_the_cs12_explosion(depths, data):
    parents = _expected_parents(depths)
    per_parent = [
        data.draw(st.decimals(min_value="0.001", max_value="50", places=3).map(lambda q: q.normalize()))
        for _ in depths
    ]
    extended = []
    with localcontext(prec=1000):  # the explosion itself is exact
        for index, parent in enumerate(parents):
            extended.append(per_parent[index] if parent is None else extended[parent] * per_parent[index])
    quantities, problems = per_parent_quantities(extended, parents)
    assert problems == []
    assert quantities == per_parent


LEVEL_CELLS = st.one_of(st.sampled_from([0, 1, 2, 1.0, 2.5, -1, True, False, None, "", " ", "1", " 2 ", "1 0", "..3", ".1", "1.2.3",
                                         "x", float("nan"), 0.0, -0.0, Decimal("2"), Decimal("2.0"), Decimal("-0"), Decimal("NaN"),
                                         Decimal("sNaN"), "\u0661"]),
                        st.integers(-3, 12), st.text(alphabet="0123. ", max_size=4))


def _answer(read, cell):
    try:
        return ("read", type(read(cell)), read(cell))
    except ValueError as exc:
        return ("refused", exc.args)


@settings(max_examples=300, deadline=None)
@given(st.lists(LEVEL_CELLS, max_size=40))
def test_a_level_column_read_once_per_value_reads_as_each_cell_does(cells):
    """Equal cells of one type are read once; True is not 1, 2.0 is not 2, and a refusal names the cell
    as written (Decimal 2 and 2.0, float 0.0 and -0.0 are equal but shown apart)."""
    def refusing(cell):  # a refusal naming the cell as written, as the dotted-level reader's does
        if (isinstance(cell, str) and "." in cell) or not isinstance(cell, (str, int, type(None))):
            raise ValueError(f"not a level: {cell!r}")
        return whole_number(cell)

    for read in (whole_number, refusing):
        once = ReadOnce(read)
        assert [_answer(once, cell) for cell in cells] == [_answer(read, cell) for cell in cells]


def test_equal_dotted_levels_written_apart_are_named_as_written():
    _, problems = levels_from_dots([Decimal("5"), Decimal("5.0"), 5.0, 5.0, "5", "5"])
    assert [p.message.split(" has ")[0] for p in problems] == [
        "dotted level Decimal('5')", "dotted level Decimal('5.0')", "dotted level 5.0", "dotted level 5.0",
        "dotted level '5'", "dotted level '5'"]
