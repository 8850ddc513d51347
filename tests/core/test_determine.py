"""Legal cases for the determination (Announcement No. 61 Clause 1), computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.rules import rule_pack_from_dict

IN_FORCE_DAY = dt.date(2026, 11, 11)  # the day after the suspension ends

# (id, dy_unit_value, dy_qty, magnet_value, expected status)
# The magnet (Part 2, made in JP) contains qty units of China-origin Dy (Part 1).
BOUNDARY_CASES = [
    ("exactly 0.1% is caught: 3 x 0.7 against 2100", "0.7", "3", "2100", "licence_required"),
    ("one cent below 0.1% is not", "0.7", "3", "2100.01", "not_required"),
    ("just above 0.1% is caught", "0.70001", "3", "2100", "licence_required"),
    ("just below 0.1% is not", "0.69999", "3", "2100", "not_required"),
    ("exactly 0.1% with a fractional quantity", "340", "0.0015", "510", "licence_required"),
    ("a thousandth of a cent below the line is not", "340", "0.0015", "510.00001", "not_required"),
    ("1% is caught", "1", "1", "100", "licence_required"),
    ("zero China-origin content is not", "0", "1", "100", "not_required"),
]


@pytest.mark.parametrize(
    "dy_value, dy_qty, magnet_value, expected",
    [case[1:] for case in BOUNDARY_CASES],
    ids=[case[0] for case in BOUNDARY_CASES],
)
def test_de_minimis_boundary(judge, dy_value, dy_qty, magnet_value, expected):
    items = judge(
        [("MAG", "part2", "JP", Decimal(magnet_value)), ("DY", "part1", "CN", Decimal(dy_value))],
        [("MAG", "DY", Decimal(dy_qty))],
    )
    magnet = items["MAG"]
    assert magnet["status"] == expected
    assert magnet["cn_part1_value"] == Decimal(dy_value) * Decimal(dy_qty)
    assert ("de_minimis" in magnet["reasons"]) == (expected == "licence_required")


def test_float_inputs_do_not_blur_the_line(judge):
    # 3 * 0.7 is 2.0999999999999996 in binary floating point; bomcalc must still see 2.1.
    items = judge([("MAG", "part2", "JP", 2100.0), ("DY", "part1", "CN", 0.7)], [("MAG", "DY", 3.0)])
    assert items["MAG"]["status"] == "licence_required"
    assert items["MAG"]["cn_part1_value"] == Decimal("2.1")
    assert items["MAG"]["ratio"] == Decimal("0.001")


def test_exclusive_rule_pack_does_not_catch_exactly_the_line(judge, tmp_path):
    pack = bomcalc.load_rule_pack()
    data = _pack_dict()
    data["de_minimis"]["inclusive"] = False
    exclusive = rule_pack_from_dict(data, "exclusive")
    assert pack.inclusive
    parts = [("MAG", "part2", "JP", Decimal("2100")), ("DY", "part1", "CN", Decimal("0.7"))]
    assert judge(parts, [("MAG", "DY", 3)], rules=exclusive)["MAG"]["status"] == "not_required"
    assert judge(parts, [("MAG", "DY", 3)], rules=pack)["MAG"]["status"] == "licence_required"


def _pack_dict():
    import tomllib
    from importlib import resources

    return tomllib.loads((resources.files("bomcalc") / "rulepacks" / "mofcom_61_2025.toml").read_text("utf-8"))


LIMB_CASES = [
    # id, magnet origin, cn_technology, expected status, expected reasons
    ("China-origin item is caught by limb 3", "CN", False, "licence_required", ("china_origin",)),
    ("item made with Chinese technology is caught by limb 2", "JP", True, "licence_required", ("chinese_technology",)),
    ("item of unknown origin is indeterminate", None, False, "indeterminate", ()),
    ("item made outside China without Chinese inputs is not caught", "JP", False, "not_required", ()),
]


@pytest.mark.parametrize(
    "origin, technology, expected, reasons", [c[1:] for c in LIMB_CASES], ids=[c[0] for c in LIMB_CASES]
)
def test_origin_and_technology_limbs(judge, origin, technology, expected, reasons):
    items = judge(
        [("MAG", "part2", origin, 100, {"cn_technology": technology}), ("ND", None, "CN", 5)],
        [("MAG", "ND", 1)],  # neodymium is not a Part 1 item: it never counts
    )
    assert items["MAG"]["status"] == expected
    assert items["MAG"]["reasons"] == reasons
    assert items["MAG"]["cn_part1_value"] == 0


def test_part1_items_are_judged_by_origin_and_technology_only(judge):
    items = judge(
        [
            ("DY-CN", "part1", "CN", 340),
            ("DY-JP", "part1", "JP", 360),
            ("DY-TECH", "part1", "VN", 350, {"cn_technology": True}),
            ("DY-UNK", "part1", None, 345),
        ]
    )
    assert items["DY-CN"]["status"] == "licence_required" and items["DY-CN"]["reasons"] == ("china_origin",)
    assert items["DY-JP"]["status"] == "not_required"
    assert items["DY-TECH"]["reasons"] == ("chinese_technology",)
    assert items["DY-UNK"]["status"] == "indeterminate"
    assert items["DY-UNK"]["deciding_inputs"] == ("DY-UNK",)


def test_china_origin_item_is_not_also_judged_made_outside_china(judge):
    items = judge(
        [("MAG", "part2", "CN", 100, {"cn_technology": True}), ("DY", "part1", "CN", 50)], [("MAG", "DY", 1)]
    )
    assert items["MAG"]["reasons"] == ("china_origin",)
    assert items["MAG"]["ratio"] == Decimal("0.5")


UNKNOWN_CASES = [
    # id, unknown-origin Tb value per magnet, expected status
    ("unknown inputs too small to matter: certainly not required", "0.05", "not_required"),
    ("unknown inputs that could reach the line: indeterminate", "0.2", "indeterminate"),
    ("unknown inputs exactly filling the gap to the line: indeterminate", "0.1", "indeterminate"),
]


@pytest.mark.parametrize("tb_value, expected", [c[1:] for c in UNKNOWN_CASES], ids=[c[0] for c in UNKNOWN_CASES])
def test_unknown_origin_inputs(judge, tb_value, expected):
    # Magnet 1000; China-origin Dy 0.9 (0.09%); gap to the line 0.1.
    items = judge(
        [
            ("MAG", "part2", "JP", 1000),
            ("DY", "part1", "CN", Decimal("0.9")),
            ("TB", "part1", None, Decimal(tb_value)),
        ],
        [("MAG", "DY", 1), ("MAG", "TB", 1)],
    )
    magnet = items["MAG"]
    assert magnet["status"] == expected
    assert magnet["cn_part1_value"] == Decimal("0.9")
    assert magnet["unknown_origin_part1_value"] == Decimal(tb_value)
    assert magnet["deciding_inputs"] == (("TB",) if expected == "indeterminate" else ())


def test_unknown_inputs_do_not_matter_when_china_content_already_reaches_the_line(judge):
    items = judge(
        [("MAG", "part2", "JP", 1000), ("DY", "part1", "CN", 1), ("TB", "part1", None, 5)],
        [("MAG", "DY", 1), ("MAG", "TB", 1)],
    )
    assert items["MAG"]["status"] == "licence_required"
    assert items["MAG"]["reasons"] == ("de_minimis",)


def test_value_falls_back_to_components_and_says_so(judge):
    # Magnet with no unit_value: 2 x 0.5 (Dy) + 1 x 99 (NdPr alloy) = 100; Dy 1.0 -> 1%.
    items = judge(
        [("MAG", "part2", "JP", None), ("DY", "part1", "CN", Decimal("0.5")), ("NDPR", None, "CN", 99)],
        [("MAG", "DY", 2), ("MAG", "NDPR", 1)],
    )
    assert items["MAG"]["value"] == 100
    assert items["MAG"]["value_basis"] == "components"
    assert items["MAG"]["status"] == "licence_required"


def test_missing_value_makes_an_item_indeterminate_not_free(judge):
    items = judge(
        [("MAG", "part2", "JP", None), ("DY", "part1", "CN", Decimal("0.5")), ("COATING", None, "DE", None)],
        [("MAG", "DY", 2), ("MAG", "COATING", 1)],
    )
    assert items["MAG"]["status"] == "indeterminate"
    assert items["MAG"]["value"] is None
    assert items["MAG"]["deciding_inputs"] == ("COATING",)


def test_missing_price_of_a_chinese_input_is_indeterminate(judge):
    items = judge([("MAG", "part2", "JP", 100), ("DY", "part1", "CN", None)], [("MAG", "DY", 1)])
    assert items["MAG"]["status"] == "indeterminate"
    assert items["MAG"]["cn_part1_value"] is None
    assert items["MAG"]["deciding_inputs"] == ("DY",)


def test_part2_assemblies_scope_assesses_parts_containing_a_magnet(judge):
    parts = [
        ("MOTOR", None, "DE", 2000),
        ("MAG", "part2", "JP", 50),
        ("DY", "part1", "CN", 340),
    ]
    lines = [("MOTOR", "MAG", 4), ("MAG", "DY", Decimal("0.002"))]
    # Dy per magnet 0.68 (1.36%); per motor 4 x 0.68 = 2.72 of 2000 = 0.136%.
    materials = judge(parts, lines)
    assemblies = judge(parts, lines, part2_scope="assemblies")
    assert "MOTOR" not in materials
    assert assemblies["MOTOR"]["annex1_basis"] == "contains_part2"
    assert assemblies["MOTOR"]["cn_part1_value"] == Decimal("2.72")
    assert assemblies["MOTOR"]["status"] == "licence_required"
    assert assemblies["MAG"]["annex1_basis"] == "listed"


def test_unknown_scope_is_refused(make_bom):
    with pytest.raises(bomcalc.BomError, match="scope"):
        bomcalc.evaluate(make_bom([("MAG", "part2", "JP", 1)]), part2_scope="everything")


# The effective dates, each with the day before and after. Limb 3 (china_origin) from
# 2025-10-09; limbs 1 and 2 from 2025-12-01; all suspended 2025-11-07 through 2026-11-10.
DATE_CASES = [
    ("day before publication: no rule", "2025-10-08", False, False),
    ("publication day: origin limb in force", "2025-10-09", True, False),
    ("last day before the suspension", "2025-11-06", True, False),
    ("first day of the suspension", "2025-11-07", False, False),
    ("day before limbs 1 and 2 take effect, suspended", "2025-11-30", False, False),
    ("limbs 1 and 2 take effect during the suspension", "2025-12-01", False, False),
    ("last day of the suspension", "2026-11-10", False, False),
    ("first day after the suspension", "2026-11-11", True, True),
]


@pytest.mark.parametrize(
    "as_of, origin_in_force, de_minimis_in_force", [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES]
)
def test_in_force_on_every_effective_date(judge, as_of, origin_in_force, de_minimis_in_force):
    items = judge(
        [
            ("MAG-CN", "part2", "CN", 100),
            ("MAG-JP", "part2", "JP", 100),
            ("DY", "part1", "JP", 1),
            ("DY-CN", "part1", "CN", 1),
        ],
        [("MAG-JP", "DY-CN", 1)],
        as_of=dt.date.fromisoformat(as_of),
    )
    assert items["MAG-CN"]["status"] == "licence_required"
    assert items["MAG-CN"]["in_force"] is origin_in_force
    assert items["MAG-JP"]["status"] == "licence_required"
    assert items["MAG-JP"]["reasons"] == ("de_minimis",)
    assert items["MAG-JP"]["in_force"] is de_minimis_in_force
    if not de_minimis_in_force:
        assert items["MAG-JP"]["force_note"].startswith("would be required")


def test_suspended_result_names_the_suspension(judge):
    items = judge(
        [("MAG", "part2", "JP", 100), ("DY", "part1", "CN", 1)], [("MAG", "DY", 1)], as_of=dt.date(2026, 3, 1)
    )
    note = items["MAG"]["force_note"]
    assert "would be required" in note and "suspended until 2026-11-10" in note and "No. 70" in note


def test_results_put_licence_required_first(make_bom):
    bom = make_bom(
        [
            ("A-FREE", "part2", "JP", 100),
            ("B-UNK", "part2", None, 100),
            ("C-REQ", "part2", "CN", 100),
        ],
        declarations=[{"part_id": "A-FREE", "cn_part1_value": 0, "unknown_origin_part1_value": 0, "source": "test"}],
    )
    result = bomcalc.evaluate(bom, as_of="2026-11-11")
    assert list(result.items["status"]) == ["licence_required", "indeterminate", "not_required"]
    assert result.counts() == {"licence_required": 1, "indeterminate": 1, "not_required": 1}


def test_as_of_beyond_the_last_event_warns(make_bom):
    bom = make_bom([("MAG", "part2", "JP", 1)])
    assert bomcalc.evaluate(bom, as_of="2026-11-10").warnings == ()
    (warning,) = bomcalc.evaluate(bom, as_of="2026-11-11").warnings
    assert "2026-11-10" in warning and "later than the rule pack's last recorded event" in warning
