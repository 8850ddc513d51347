"""The US EAR de minimis pack (15 CFR 734.4), computed by hand, through the public API.

A foreign-made item (origin DE, value 100 USD) incorporates a US-origin controlled chip and a
German bolt. The chip's share of the item's value decides: it is subject to the EAR only when
it EXCEEDS 25% (10% for a destination in Country Group E:1 or E:2).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from importlib import resources

import pytest

import bomcalc
from bomcalc.api import fails
from bomcalc.core.errors import BomError
from bomcalc.core.regime import for_destination

DAY = dt.date(2026, 12, 1)
EAR = "us-ear-de-minimis"


def drive(chip_value: str, controlled=True, item_origin="DE", chip_origin="US"):
    """ITEM (100 USD) = 1 CHIP + 1 BOLT (5 USD, DE)."""
    return (
        [("ITEM", None, item_origin, Decimal("100")),
         ("CHIP", None, chip_origin, Decimal(chip_value), {"us_controlled": controlled}),
         ("BOLT", None, "DE", Decimal("5"))],
        [("ITEM", "CHIP", Decimal(1)), ("ITEM", "BOLT", Decimal(1))],
    )


@pytest.fixture
def ear(make_bom):
    def evaluate(parts, lines, destination=None):
        return bomcalc.evaluate(make_bom(parts, lines), as_of=DAY, rules=EAR, destination=destination)

    return evaluate


def status(evaluation, part_id="ITEM"):
    return evaluation.item(part_id)["status"]


CASES = [
    # id, chip value, destination, expected status of ITEM, expected threshold
    ("exactly 25% to France is not subject (the test is 'exceeds')", "25", "FR", "not_subject", "0.25"),
    ("25% plus one cent to France is subject", "25.01", "FR", "subject_to_ear", "0.25"),
    ("25% minus one cent to France is not subject", "24.99", "FR", "not_subject", "0.25"),
    ("exactly 25% to Iran (E:1) is subject at 10%", "25", "IR", "subject_to_ear", "0.10"),
    ("exactly 10% to Iran (E:1) is not subject", "10", "IR", "not_subject", "0.10"),
    ("10% plus one cent to Cuba (E:2) is subject", "10.01", "CU", "subject_to_ear", "0.10"),
    ("exactly 10% to North Korea (E:1) is not subject", "10", "kp", "not_subject", "0.10"),
]


@pytest.mark.parametrize("chip, destination, expected, threshold", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_line_is_strict_and_depends_on_the_destination(ear, chip, destination, expected, threshold):
    result = ear(*drive(chip), destination=destination)
    row = result.item("ITEM")
    assert row["status"] == expected
    assert row["cn_part1_value"] == Decimal(chip)  # the numerator: controlled US-origin content
    assert row["ratio"] == Decimal(chip) / Decimal(100)
    assert result.rule_pack.threshold == Decimal(threshold)
    assert (row["reasons"] == ("de_minimis",)) == (expected == "subject_to_ear")


def test_unknown_us_controlled_is_indeterminate_with_the_range(ear):
    result = ear(*drive("30", controlled=None), destination="FR")
    row = result.item("ITEM")
    assert row["status"] == "indeterminate"
    assert (row["cn_part1_value"], row["unknown_origin_part1_value"]) == (Decimal(0), Decimal(30))
    assert (row["ratio"], row["ratio_upper"]) == (Decimal(0), Decimal("0.3"))
    assert row["open_limbs"] == ("de_minimis",) and row["deciding_inputs"] == ("CHIP",)


def test_unknown_us_controlled_below_the_line_either_way_is_not_subject(ear):
    assert status(ear(*drive("20", controlled=None), destination="FR")) == "not_subject"


def test_a_us_part_not_controlled_does_not_count(ear):
    result = ear(*drive("90", controlled=False), destination="IR")
    assert status(result) == "not_subject" and result.item("ITEM")["cn_part1_value"] == 0


def test_controlled_content_of_another_origin_does_not_count(ear):
    assert status(ear(*drive("90", chip_origin="JP"), destination="IR")) == "not_subject"


def test_an_item_of_us_origin_is_not_assessed(ear):
    result = ear(*drive("90", item_origin="US"), destination="FR")
    assert list(result.items["part_id"]) == []


def test_a_bought_item_with_no_components_is_not_assessed(ear):
    result = ear(*drive("25.01"), destination="FR")
    assert list(result.items["part_id"]) == ["ITEM"]  # neither BOLT (bought, DE) nor CHIP (US) is an item


def test_an_item_of_unknown_origin_is_assessed_and_stays_open_on_its_origin(ear):
    below = ear(*drive("20", item_origin=None), destination="FR").item("ITEM")
    assert below["status"] == "indeterminate"
    assert below["open_limbs"] == ("us_origin",) and below["deciding_inputs"] == ("ITEM",)
    above = ear(*drive("30", item_origin=None), destination="FR").item("ITEM")
    assert above["status"] == "subject_to_ear" and above["reasons"] == ("de_minimis",)


def test_content_flows_through_a_foreign_sub_assembly(ear):
    # ITEM (100) = 2 x SUB (DE, 20 each); SUB = 1 CHIP (US controlled, 13). Content 26 > 25.
    parts = [("ITEM", None, "DE", Decimal("100")), ("SUB", None, "DE", Decimal("20")),
             ("CHIP", None, "US", Decimal("13"), {"us_controlled": True})]
    result = ear(parts, [("ITEM", "SUB", Decimal(2)), ("SUB", "CHIP", Decimal(1))], destination="FR")
    assert result.item("ITEM")["cn_part1_value"] == Decimal(26)
    assert (status(result), status(result, "SUB")) == ("subject_to_ear", "subject_to_ear")  # SUB: 13 / 20 = 65%


def test_without_a_destination_the_strictest_threshold_applies_and_is_said(ear):
    result = ear(*drive("25"))  # 25% > 10%
    assert status(result) == "subject_to_ear"
    assert result.rule_pack.threshold == Decimal("0.10")
    assert any("strictest threshold 0.10 applies (fail closed)" in w for w in result.warnings)


def test_a_destination_that_is_not_a_country_code_is_refused(ear):
    with pytest.raises(BomError, match="not an ISO 3166 alpha-2"):
        ear(*drive("25"), destination="Iran")


def test_fail_on_works_by_meaning_not_by_label(ear):
    subject = ear(*drive("25.01"), destination="FR")
    assert fails(subject, "required") and subject.counts() == {"subject_to_ear": 1, "indeterminate": 0, "not_subject": 0}
    assert not fails(ear(*drive("25"), destination="FR"), "required")
    assert fails(ear(*drive("30", controlled=None), destination="FR"), "indeterminate")


def test_the_mofcom_pack_ignores_us_controlled(judge):
    items = judge([("MAG", "part2", "JP", Decimal("2100"), {"us_controlled": True}),
                   ("DY", "part1", "CN", Decimal("0.7"), {"us_controlled": False})], [("MAG", "DY", Decimal(3))])
    assert items["MAG"]["status"] == "licence_required"


def _pack_text(name: str) -> dict:
    return tomllib.loads((resources.files("bomcalc") / "rulepacks" / name).read_text("utf-8"))


def test_every_number_of_the_ear_pack_names_its_source():
    data = _pack_text("us_ear_de_minimis.toml")
    sources = {s["id"]: s for s in data["sources"]}
    cited = [data["de_minimis"], *data["de_minimis"]["by_destination"], *data["country_groups"].values(),
             data["content"], data["assessed"]]
    assert all(entry["source"] in sources and entry["basis"] in ("text", "report") for entry in cited)
    assert data["de_minimis"]["inclusive"] is False
    assert sources["cfr-740-supp1"]["url"].startswith("https://www.ecfr.gov/")
    assert sources["cfr-734-4"]["url"].startswith("https://www.ecfr.gov/")


def test_each_packaged_pack_declares_its_labels():
    labels = {name: _pack_text(name)["outcomes"] for name in ("mofcom_61_2025.toml", "us_ear_de_minimis.toml")}
    assert [labels["mofcom_61_2025.toml"][m]["label"] for m in ("required", "indeterminate", "not_required")] == [
        "licence_required", "indeterminate", "not_required"]
    assert [labels["us_ear_de_minimis.toml"][m]["label"] for m in ("required", "indeterminate", "not_required")] == [
        "subject_to_ear", "indeterminate", "not_subject"]


def test_no_regime_name_in_the_core():
    core = resources.files("bomcalc") / "core"
    words = ("mofcom", "licence_required", '"ear"', "15 cfr", "subject_to_ear")
    found = [(path.name, word) for path in core.rglob("*.py") for word in words
             if word in path.read_text("utf-8").lower()]
    assert found == []


def test_a_supplier_declaration_of_part1_content_is_not_used_and_said(ear, make_bom):
    parts, lines = drive("25.01")
    declared = [{"part_id": "BOLT", "cn_part1_value": Decimal("50"), "unknown_origin_part1_value": Decimal(0),
                 "source": "SD"}]
    result = bomcalc.evaluate(make_bom(parts, lines, declared), as_of=DAY, rules=EAR, destination="FR")
    assert result.item("ITEM")["cn_part1_value"] == Decimal("25.01")
    assert [(i.code, i.part_id) for i in result.issues if i.code == "declaration_not_used"] == [("declaration_not_used", "BOLT")]


def test_a_what_if_under_the_ear_pack_is_evaluated_in_full(make_bom):
    from bomcalc.core.scenario_changes import Change, Scenario

    parts, lines = drive("25")
    scenario = Scenario("chip dearer", (Change("set", part="CHIP", values=(("unit_value", Decimal("25.01")),)),))
    comparison = bomcalc.whatif(make_bom(parts, lines), [scenario], as_of=DAY, rules=for_destination(bomcalc.load_rule_pack(EAR), "FR"))
    result = comparison.results[0]
    assert result.method == "full evaluation"
    assert result.flips() == {"to_required": 1, "to_free": 0, "other": 0}


def test_a_sub_assembly_of_unknown_origin_inside_an_item_may_count_whole_so_the_item_stays_open(ear):
    # ITEM (100, DE) = 1 SUB (origin unknown, 40) = 1 CHIP (US controlled, 5). SUB foreign: ITEM holds 5 (5%);
    # SUB US origin and controlled: ITEM holds 40 (40% > 25%). Never "not subject" on these data.
    parts = [("ITEM", None, "DE", Decimal("100")), ("SUB", None, None, Decimal("40")),
             ("CHIP", None, "US", Decimal("5"), {"us_controlled": True})]
    lines = [("ITEM", "SUB", Decimal(1)), ("SUB", "CHIP", Decimal(1))]
    item = ear(parts, lines, destination="FR").item("ITEM")
    assert item["status"] == "indeterminate" and item["deciding_inputs"] == ("SUB",)
    assert (item["cn_part1_value"], item["cn_part1_value"] + item["unknown_origin_part1_value"]) == (Decimal(5), Decimal(40))
    sub = ear(parts, lines, destination="FR").item("SUB")  # still assessed itself, open on its origin
    assert (sub["status"], sub["annex1_basis"]) == ("indeterminate", "assessed")
    foreign = ear([parts[0], ("SUB", None, "DE", Decimal("40")), parts[2]], lines, destination="FR")
    assert (foreign.item("ITEM")["status"], foreign.item("ITEM")["cn_part1_value"]) == ("not_subject", Decimal(5))
    not_controlled = ear([parts[0], ("SUB", None, None, Decimal("40"), {"us_controlled": False}), parts[2]], lines,
                         destination="FR")
    assert not_controlled.item("ITEM")["status"] == "not_subject"  # SUB cannot count whole, whatever its origin
