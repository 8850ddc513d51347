"""The bundled samples give the results worked out by hand in sample_boms/README.md."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import bomcalc

SAMPLES = Path(__file__).resolve().parent.parent / "sample_boms"
D = Decimal

# part_id: (status, reasons, cn_part1_value, unknown_origin_part1_value, value, value_basis)
SERVO = {
    # 0.0003 kg DYFE-JP x 280 + 0.00012 kg DY-MET x 350 = 0.084 + 0.042 = 0.126 of 2.60
    "MAG-ARC": ("licence_required", ("de_minimis",), D("0.126"), D(0), D("2.60"), "unit_value"),
    # value 0.062 x 55 + 0.00005 x 1000 + 0.00001 x 290 + 0.45 = 3.9129; cn 0.00001 x 280 = 0.0028;
    # unknown TB-OX 0.00005 x 1000 = 0.05 -> (0.0028 + 0.05) / 3.9129 >= 0.1%
    "MAG-BRK": ("indeterminate", (), D("0.0028"), D("0.05"), D("3.9129"), "components"),
    # declared 0.0006 of 1.80 = 0.0333%
    "MAG-ENC": ("not_required", (), D("0.0006"), D(0), D("1.80"), "unit_value"),
    "DY-MET": ("licence_required", ("china_origin",), D(350), D(0), D(350), "unit_value"),
    # 0.8 kg DY-MET x 350 = 280 per kg passed up
    "DYFE-JP": ("not_required", (), D(280), D(0), D(290), "unit_value"),
    "TB-OX": ("indeterminate", (), D(0), D(1000), D(1000), "unit_value"),
}

EBIKE = {
    # 0.034 g x 0.35 = 0.0119 of 0.62
    "MAG-HUB": ("licence_required", ("de_minimis",), D("0.0119"), D(0), D("0.62"), "unit_value"),
    # 0.003 g x 0.70 = 0.0021 of 2.10: exactly 0.1%
    "MAG-HALL": ("licence_required", ("de_minimis",), D("0.0021"), D(0), D("2.10"), "unit_value"),
    # declared 0.000899 of 0.90: 0.0999%, just below
    "MAG-SPD": ("not_required", (), D("0.000899"), D(0), D("0.90"), "unit_value"),
    "DY-MET": ("licence_required", ("china_origin",), D("0.35"), D(0), D("0.35"), "unit_value"),
    "TB-MET": ("licence_required", ("china_origin",), D("0.70"), D(0), D("0.70"), "unit_value"),
}

TARGETS = {
    "TGT-GD-01": ("licence_required", ("chinese_technology",), D(0), D(0), D(1850), "unit_value"),
    "TGT-GD-02": ("not_required", (), D(0), D(0), D(1720), "unit_value"),
    # bought finished, no BOM lines and no declaration: content at least 0, at most unknown (None)
    "TGT-SM-01": ("licence_required", ("china_origin",), D(0), None, D(1350), "unit_value"),
    # 0.24 kg SM-MET-CN x 420 = 100.80 of 1480
    "TGT-SM-02": ("licence_required", ("de_minimis",), D("100.80"), D(0), D(1480), "unit_value"),
    "TGT-SM-03": ("not_required", (), D(0), D(0), D(1560), "unit_value"),
    "GD-MET-MY": ("not_required", (), D(0), D(0), D(950), "unit_value"),
    "GD-MET-JP": ("not_required", (), D(0), D(0), D(1010), "unit_value"),
    "SM-MET-CN": ("licence_required", ("china_origin",), D(420), D(0), D(420), "unit_value"),
    "SM-MET-VN": ("licence_required", ("chinese_technology",), D(0), D(0), D(510), "unit_value"),
}

CASES = [
    ("servo_actuator.xlsx", SERVO),
    ("ebike_hub_motor.xlsx", EBIKE),
    ("ebike_hub_motor", EBIKE),
    ("sputtering_target.xlsx", TARGETS),
]


@pytest.mark.parametrize("name, expected", CASES, ids=[c[0] for c in CASES])
def test_sample_matches_hand_computation(name, expected):
    result = bomcalc.evaluate(bomcalc.read_workbook(SAMPLES / name), as_of="2026-11-11")
    items = {row["part_id"]: row for _, row in result.items.iterrows()}
    assert set(items) == set(expected)
    for part_id, (status, reasons, cn, unknown, value, basis) in expected.items():
        row = items[part_id]
        got = (row["status"], row["reasons"], row["cn_part1_value"], row["unknown_origin_part1_value"], row["value"], row["value_basis"])
        assert got == (status, reasons, cn, unknown, value, basis), part_id


def test_servo_rollup_to_the_top_assembly():
    # Two encoders per actuator (ENC-100 is shared), ten arc magnets, one brake magnet:
    # 10 x 0.126 + 0.0028 + 2 x 0.0006 = 1.264; unknown 0.05.
    rolled = bomcalc.core.rollup.rollup(bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx"))
    assert rolled.at["SRV-100", "cn_part1_value"] == D("1.264")
    assert rolled.at["SRV-100", "unknown_origin_part1_value"] == D("0.05")


def test_csv_folder_keeps_leading_zeros_and_matches_the_workbook():
    folder = bomcalc.read_workbook(SAMPLES / "ebike_hub_motor")
    workbook = bomcalc.read_workbook(SAMPLES / "ebike_hub_motor.xlsx")
    assert "004711" in folder.parts.index and "004711" in workbook.parts.index
    assert folder.parts.drop(columns=["row", "file", "sheet"]).equals(workbook.parts.drop(columns=["row", "file", "sheet"]))
    assert sorted(folder.graph.edges(data="qty")) == sorted(workbook.graph.edges(data="qty"))
