"""The audit report's tables, built from evaluations of the samples and of inline BOMs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import bomcalc
from bomcalc.report.audit import EXACT_SUFFIX, SHEETS, TABLE_COLUMNS, FileFact, report_tables, summary_facts

SAMPLES = Path(__file__).resolve().parent.parent.parent / "sample_boms"


@pytest.fixture(scope="module")
def servo():
    return bomcalc.evaluate(bomcalc.read_workbook(SAMPLES / "servo_actuator.xlsx"), as_of="2026-03-01")


@pytest.fixture(scope="module")
def servo_tables(servo):
    return report_tables(servo)


def _exact_sum(texts) -> Decimal:
    return sum((Decimal(text) for text in texts), Decimal(0))


def test_every_sheet_has_a_table_with_its_documented_columns(servo_tables):
    assert tuple(servo_tables) == SHEETS
    for sheet, table in servo_tables.items():
        assert list(table.columns) == [column.name for column in TABLE_COLUMNS[sheet]], sheet


def test_every_money_and_quantity_column_has_an_exact_twin():
    for sheet, columns in TABLE_COLUMNS.items():
        names = {column.name for column in columns}
        for column in columns:
            if column.kind in ("money", "quantity"):
                assert column.name + EXACT_SUFFIX in names, (sheet, column.name)


def test_summary_gives_the_determination_its_headroom_and_its_input_row(servo_tables):
    summary = servo_tables["Summary"].set_index("part_id")
    arc = summary.loc["MAG-ARC"]
    assert arc["status"] == "licence_required" and arc["reasons"] == "de_minimis"
    assert (arc["cn_part1_value_exact"], arc["value_exact"], arc["line_value_exact"]) == ("0.126", "2.6", "0.0026")
    assert arc["headroom"] == Decimal("-0.1234") and arc["must_shed"] == Decimal("0.1234") and arc["fix_by"] == "DY-MET"
    assert arc["against_line"] == "above" and arc["threshold"] == Decimal("0.001")
    assert (arc["input_sheet"], arc["input_row"]) == ("parts", 10)
    assert arc["in_force"] == "no" and arc["force_note"].startswith("would be required")
    brake = summary.loc["MAG-BRK"]
    assert brake["status"] == "indeterminate" and brake["deciding_inputs"] == "TB-OX" and brake["value_basis"] == "components"
    assert summary.loc["DY-MET", "ratio"] is None and summary.loc["DY-MET", "threshold"] is None  # Part 1: no ratio


def test_contributions_of_every_part2_item_sum_exactly_to_its_china_origin_content(servo_tables):
    summary = servo_tables["Summary"].set_index("part_id")
    contributions = servo_tables["Contributions"]
    for item, rows in contributions.groupby("item"):
        assert _exact_sum(rows["extended_value_exact"]) == Decimal(summary.loc[item, "cn_part1_value_exact"]), item
    arc = contributions[contributions["item"] == "MAG-ARC"].iloc[0]
    assert (arc["source"], arc["extended_qty_exact"], arc["unit_content_exact"], arc["uom"]) == ("DY-MET", "0.00036", "350", "kg")
    assert set(arc["paths"].split("\n")) == {"MAG-ARC > DYFE-JP (x0.0003) > DY-MET (x0.8)", "MAG-ARC > DY-MET (x0.00012)"}
    declared = contributions[contributions["kind"] == "declaration"].iloc[0]
    assert declared["evidence"].startswith("Supplier declaration SD-2026-014")
    assert (declared["input_sheet"], declared["input_row"]) == ("declarations", 2)


def test_exact_columns_keep_what_binary_floats_lose(make_bom):
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point; the exact text sums to 0.3.
    bom = make_bom(
        [("MAG", "part2", "JP", "100"), ("DY", "part1", "CN", "1"), ("TB", "part1", "CN", "1"), ("SUB", None, "JP", "1")],
        [("MAG", "DY", "0.1"), ("MAG", "SUB", "1"), ("SUB", "TB", "0.2")],
    )
    tables = report_tables(bomcalc.evaluate(bom, as_of="2026-11-11"))
    rows = tables["Contributions"]
    assert sum(float(value) for value in rows["extended_value"]) != 0.3
    assert _exact_sum(rows["extended_value_exact"]) == Decimal("0.3")
    assert tables["Summary"].set_index("part_id").at["MAG", "cn_part1_value_exact"] == "0.3"


def test_data_quality_lists_every_problem_and_every_row_not_used(make_bom):
    bom = make_bom([("MAG", "part2", "JP", "100"), ("DY", "part1", "CN", "10")], [("MAG", "DY", "0.1"), ("MAG", "DY", "0.2")])
    tables = report_tables(bomcalc.evaluate(bom, as_of="2026-11-11"))
    quality = tables["Data quality"]
    problem = quality[quality["kind"] == "problem"].iloc[0]
    assert (problem["severity"], problem["code"], problem["sheet"], problem["row"]) == ("warning", "duplicate_line", "bom", 2)
    merged = quality[quality["kind"] == "row"].iloc[0]
    assert (merged["fate"], merged["sheet"], merged["row"], merged["reason"]) == ("merged", "bom", 3, "summed into row 2")
    accounts = tables["Row accounts"].set_index("sheet")
    assert accounts.loc["bom", ["read", "used", "merged"]].tolist() == [2, 1, 1]


def test_skipped_header_rows_are_listed(servo_tables):
    rows = servo_tables["Data quality"]
    assert set(rows["reason"]) == {"header row"} and set(rows["sheet"]) == {"parts", "bom", "declarations"}


def test_provenance_names_the_rule_pack_limbs_policies_and_files(servo, servo_tables):
    facts = (FileFact("servo_actuator.xlsx", 1234, "ab" * 32), FileFact("gone.csv", None, None))
    provenance = report_tables(servo, facts)["Provenance"]
    by_section = provenance.groupby("section")
    assert set(by_section.get_group("limb")["value"]) == {"suspended"}
    assert "de_minimis (Clause 1(1))" in set(by_section.get_group("limb")["name"])
    sources = by_section.get_group("source").set_index("name")
    assert sources.at["mofcom-61", "url"].startswith("https://www.mofcom.gov.cn/")
    assert set(servo.policies) <= set(by_section.get_group("policy")["name"])
    rule_pack = by_section.get_group("rule pack").set_index("name")["value"]
    assert (rule_pack["id"], rule_pack["threshold"], rule_pack["inclusive"]) == ("mofcom-61-2025", "0.001", "yes")
    files = by_section.get_group("input file").set_index("name")
    assert files.at["servo_actuator.xlsx", "value"] == "ab" * 32 and "1234 bytes" in files.at["servo_actuator.xlsx", "note"]
    assert files.at["gone.csv", "value"] is None and "not found" in files.at["gone.csv", "note"]


def test_the_creation_time_appears_in_provenance_only(servo):
    created = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    tables = report_tables(servo, created=created)
    found = [sheet for sheet, table in tables.items() for value in table.to_numpy().ravel() if "2031-01-02" in str(value)]
    assert found == ["Provenance"]
    assert "created" not in set(report_tables(servo)["Provenance"]["name"])  # no time given, none written


def test_summary_facts_give_date_pack_currency_and_counts(servo):
    facts = dict(summary_facts(servo))
    assert facts["as of"] == "2026-03-01" and facts["rule pack"] == "mofcom-61-2025 2026.11.1" and facts["currency"] == "USD"
    assert (facts["licence_required"], facts["indeterminate"], facts["not_required"]) == (2, 2, 2)


def test_the_chart_table_has_every_part2_item_beside_the_threshold(servo_tables):
    ratios = servo_tables["Charts"]
    assert list(ratios["part_id"]) == ["MAG-ARC", "MAG-BRK", "MAG-ENC"]
    assert set(ratios["threshold"]) == {Decimal("0.001")}


def test_assemblies_scope_items_have_their_contributions(make_bom):
    bom = make_bom([("ROT", None, "DE", None), ("MAG", "part2", "JP", "10"), ("DY", "part1", "CN", "1")],
                   [("ROT", "MAG", "2"), ("MAG", "DY", "0.01")])
    tables = report_tables(bomcalc.evaluate(bom, as_of="2026-11-11", part2_scope="assemblies"))
    rotor = tables["Contributions"].set_index("item").loc["ROT"]
    assert (rotor["source"], rotor["extended_qty_exact"], rotor["extended_value_exact"]) == ("DY", "0.02", "0.02")
    assert tables["Summary"].set_index("part_id").at["ROT", "annex1_basis"] == "contains_part2"
