"""The per-unit roll-up through every level, computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bomcalc.core.rollup import rollup


def test_shared_subassembly_counts_once_per_path(make_bom):
    # TOP uses ROTOR twice directly and once inside STAGE (which TOP uses 3 times):
    # ROTOR per TOP = 2 + 3 x 1 = 5. ROTOR holds 4 magnets, each with 0.01 kg Dy at 300/kg = 3.
    # Dy value per magnet 3 -> per rotor 12 -> per TOP 60.
    bom = make_bom(
        [
            ("TOP", None, "DE", None),
            ("STAGE", None, "DE", None),
            ("ROTOR", None, "DE", None),
            ("MAG", "part2", "JP", 100),
            ("DY", "part1", "CN", 300),
        ],
        [("TOP", "ROTOR", 2), ("TOP", "STAGE", 3), ("STAGE", "ROTOR", 1), ("ROTOR", "MAG", 4), ("MAG", "DY", "0.01")],
    )
    rolled = rollup(bom)
    assert rolled.at["MAG", "cn_part1_value"] == Decimal("3")
    assert rolled.at["ROTOR", "cn_part1_value"] == Decimal("12")
    assert rolled.at["STAGE", "cn_part1_value"] == Decimal("12")
    assert rolled.at["TOP", "cn_part1_value"] == Decimal("60")
    # value: MAG 100 each; ROTOR = 400, STAGE = 400, TOP = 2 x 400 + 3 x 400 = 2000
    assert rolled.at["TOP", "value"] == Decimal("2000")
    assert rolled.at["TOP", "value_basis"] == "components"


def test_many_paths_are_never_enumerated(make_bom):
    # A ladder of 80 levels where each level uses the next one twice over two lines:
    # 2**80 paths from the top to the Dy at the bottom. The roll-up must be linear.
    levels = 80
    parts = [(f"L{i}", None, "DE", None) for i in range(levels)] + [("DY", "part1", "CN", 1)]
    lines = []
    for i in range(levels - 1):
        lines += [(f"L{i}", f"L{i + 1}", 1), (f"L{i}", f"A{i}", 1)]
        parts.append((f"A{i}", None, "DE", None))
        lines.append((f"A{i}", f"L{i + 1}", 1))
    lines.append((f"L{levels - 1}", "DY", 1))
    rolled = rollup(make_bom(parts, lines))
    assert rolled.at["L0", "cn_part1_value"] == Decimal(2) ** (levels - 1)


def test_china_origin_part1_counts_its_own_value_not_its_inputs(make_bom):
    # A CN Dy-Fe alloy (Part 1) made from CN Dy metal: the alloy's own value counts once.
    bom = make_bom(
        [("MAG", "part2", "DE", 500), ("DYFE", "part1", "CN", 80), ("DY", "part1", "CN", 300)],
        [("MAG", "DYFE", "0.01"), ("DYFE", "DY", "0.2")],
    )
    assert rollup(bom).at["MAG", "cn_part1_value"] == Decimal("0.8")


def test_part1_made_outside_china_passes_chinese_inputs_up(make_bom):
    # A Japanese Dy-Fe alloy made from Chinese Dy: 0.8 kg Dy/kg alloy x 300 = 240 per kg alloy;
    # the magnet holds 0.005 kg alloy -> 1.2.
    bom = make_bom(
        [("MAG", "part2", "DE", 500), ("DYFE", "part1", "JP", 320), ("DY", "part1", "CN", 300)],
        [("MAG", "DYFE", "0.005"), ("DYFE", "DY", "0.8")],
    )
    rolled = rollup(bom)
    assert rolled.at["DYFE", "cn_part1_value"] == Decimal("240")
    assert rolled.at["MAG", "cn_part1_value"] == Decimal("1.2")
    assert rolled.at["MAG", "unknown_origin_part1_value"] == 0


def test_declaration_replaces_the_rollup_below_the_declared_part(make_bom):
    bom = make_bom(
        [("ENC", None, "DE", 80), ("MAG", "part2", "JP", 20), ("TB", "part1", "CN", 1000)],
        [("ENC", "MAG", 2), ("MAG", "TB", "0.001")],
        declarations=[
            {"part_id": "MAG", "cn_part1_value": "0.05", "unknown_origin_part1_value": "0.02", "source": "SD-1"}
        ],
    )
    rolled = rollup(bom)
    assert rolled.at["MAG", "cn_part1_value"] == Decimal("0.05")
    assert rolled.at["MAG", "unknown_origin_part1_value"] == Decimal("0.02")
    assert rolled.at["ENC", "cn_part1_value"] == Decimal("0.10")
    assert rolled.at["ENC", "unknown_origin_part1_value"] == Decimal("0.04")


def test_unknown_origin_part1_bounds(make_bom):
    # Unknown-origin Tb oxide worth 50 per kg, made from CN Tb worth 30 per kg of oxide:
    # if not Chinese, 30 passes up; if Chinese, 50 counts. The magnet holds 0.1 kg oxide.
    bom = make_bom(
        [("MAG", "part2", "JP", 1000), ("TBOX", "part1", None, 50), ("TB", "part1", "CN", 30)],
        [("MAG", "TBOX", "0.1"), ("TBOX", "TB", 1)],
    )
    rolled = rollup(bom)
    assert rolled.at["MAG", "cn_part1_value"] == Decimal("3")
    assert rolled.at["MAG", "cn_part1_upper"] == Decimal("5")
    assert rolled.at["MAG", "unknown_origin_part1_value"] == Decimal("2")


def test_missing_values_propagate_as_unknown(make_bom):
    bom = make_bom(
        [("TOP", None, "DE", None), ("SUB", None, "DE", None), ("LEAF", None, "DE", None), ("OK", None, "DE", 5)],
        [("TOP", "SUB", 1), ("TOP", "OK", 1), ("SUB", "LEAF", 1)],
    )
    rolled = rollup(bom)
    assert rolled.at["TOP", "value"] is None
    assert rolled.at["OK", "value"] == 5
    assert rolled.at["TOP", "cn_part1_value"] == 0


def test_duplicate_lines_are_summed(make_bom):
    bom = make_bom(
        [("MAG", "part2", "JP", 100), ("DY", "part1", "CN", 10)], [("MAG", "DY", "0.01"), ("MAG", "DY", "0.02")]
    )
    assert rollup(bom).at["MAG", "cn_part1_value"] == Decimal("0.3")
    assert [issue.code for issue in bom.issues] == ["duplicate_line"]


ALTERNATE_CASES = [
    # Two alternative magnets for one position: A (JP, 0.02 kg CN Dy at 300 = 6) 60%,
    # B (DE, no Chinese content) 40%. Quantity 2 each.
    ("conservative counts only the alternative with the most Chinese content", "conservative", Decimal("12")),
    ("probability weights each alternative", "probability", Decimal("7.2")),
    ("primary counts the most probable alternative only", "primary", Decimal("12")),
]


@pytest.mark.parametrize("policy, expected", [c[1:] for c in ALTERNATE_CASES], ids=[c[0] for c in ALTERNATE_CASES])
def test_alternates_are_not_double_counted(make_bom, policy, expected):
    bom = make_bom(
        [("ROT", None, "DE", None), ("A", None, "JP", 40), ("B", None, "DE", 50), ("DY", "part1", "CN", 300)],
        [
            {"parent": "ROT", "child": "A", "qty": 2, "alt_group": "P1", "usage_probability": 60},
            {"parent": "ROT", "child": "B", "qty": 2, "alt_group": "P1", "usage_probability": "40%"},
            ("A", "DY", "0.02"),
        ],
    )
    rolled = rollup(bom, policy)
    assert rolled.at["ROT", "cn_part1_value"] == expected
    # value: conservative takes the smaller (2 x 40 = 80); probability 0.6 x 80 + 0.4 x 100 = 88; primary 80
    assert rolled.at["ROT", "value"] == {"conservative": 80, "probability": 88, "primary": 80}[policy]


def test_phantom_assembly_has_no_value_of_its_own(make_bom):
    bom = make_bom(
        [("TOP", None, "DE", None), ("PH", None, "DE", 999, {"phantom": True}), ("X", None, "DE", 5)],
        [("TOP", "PH", 1), ("PH", "X", 2)],
    )
    assert rollup(bom).at["TOP", "value"] == 10
