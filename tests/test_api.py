"""The facade: the two option records, and the command logic that lives in the api, not the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from bomcalc import api
from bomcalc.cli import main
from bomcalc.core.errors import BomError
from bomcalc.io.readers import ReadOptions

SAMPLES = Path(__file__).resolve().parent.parent / "sample_boms"
SERVO = SAMPLES / "servo_actuator.xlsx"


def test_every_list_of_reading_options_is_the_records_fields():
    from bomcalc import pack_trust
    from bomcalc.report import notebook

    names = tuple(f.name for f in fields(ReadOptions) if f.name != "part1_items")
    assert api.READING_OPTIONS == names
    assert pack_trust.READING_KEYS == names and notebook.READING_OPTIONS == names
    check = main.commands["check"]
    assert {p.name for p in check.params} >= set(names)
    assert "--qty-mode" in CliRunner().invoke(main, ["check", "--help"]).output


def test_a_reading_record_takes_one_path_as_a_list_and_refuses_an_unknown_option():
    record = api.reading_record(parts="master.xlsx", declarations=None, hidden="skip")
    assert record.parts == ("master.xlsx",) and record.declarations == () and record.hidden == "skip"
    with pytest.raises(BomError, match="unknown reading option.*part_master"):
        api.reading_record(part_master="m.xlsx")


def test_the_reading_dict_leaves_out_a_valued_default_and_the_rule_packs_items():
    assert "hidden" not in api.reading_dict(ReadOptions())
    assert api.reading_dict(ReadOptions(hidden="skip"))["hidden"] == "skip"
    assert "part1_items" not in api.reading_dict(ReadOptions())
    assert api.reading_dict(ReadOptions())["parts"] == ()


def test_the_rule_pack_is_loaded_once_per_check(monkeypatch):
    loads = []
    real = api.load_rule_pack
    monkeypatch.setattr(api, "load_rule_pack", lambda rules=None: loads.append(rules) or real(rules))
    result = api.check(SERVO, ReadOptions(), api.RuleOptions(as_of="2026-03-01", part2_scope="assemblies"))
    assert len(loads) == 1
    assert result.as_of == dt.date(2026, 3, 1) and result.part2_scope == "assemblies"


def test_rule_options_resolve_the_date_and_the_pack():
    resolved = api.RuleOptions(as_of="2026-03-01").resolved()
    assert resolved.as_of == dt.date(2026, 3, 1) and resolved.rules.threshold is not None
    assert resolved.rules_file is None and api.RuleOptions(rules="x.toml").rules_file == "x.toml"
    with pytest.raises(BomError, match="not a date"):
        api.RuleOptions(as_of="1 March").resolved()


def _evaluation(statuses, complete=True):
    return SimpleNamespace(items=pd.DataFrame({"status": list(statuses)}), coverage={"complete": complete})


@pytest.mark.parametrize("statuses, complete, level, fails", [
    (["licence_required"], True, "never", False),
    (["licence_required", "not_required"], True, "required", True),
    (["indeterminate", "not_required"], True, "required", False),
    (["indeterminate"], True, "indeterminate", True),
    (["not_required"], False, "indeterminate", True),
    (["not_required"], False, "required", False),
    (["not_required"], True, "indeterminate", False),
])
def test_fail_on_levels(statuses, complete, level, fails):
    assert api.fails(_evaluation(statuses, complete), level) is fails


def test_an_unknown_fail_on_level_is_an_error():
    with pytest.raises(BomError, match="fail-on level"):
        api.fails(_evaluation(["not_required"]), "sometimes")


def test_where_used_lists_annex1_items_or_every_assembly_and_refuses_an_unknown_part():
    bom = api.read(SERVO)
    items = api.where_used_table(bom, "DY-MET")
    assert "MAG-ARC" in set(items["part_id"]) and set(items["annex1"].dropna()) == set(items["annex1"])
    every = api.where_used_table(bom, "DY-MET", every_assembly=True)
    assert set(items["part_id"]) <= set(every["part_id"])
    document = api.where_used_document(items, "DY-MET")
    assert document["part"] == "DY-MET" and {r["part_id"] for r in document["used_in"]} == set(items["part_id"])
    with pytest.raises(BomError, match="part 'NO-SUCH' is not in"):
        api.where_used_table(bom, "NO-SUCH")


def test_the_headroom_document_holds_the_date_currency_and_every_part2_item():
    result = api.check(SERVO, rules=api.RuleOptions(as_of="2026-03-01"))
    document = api.headroom_document(result, top=2)
    part2 = set(result.items.loc[result.items["annex1"] == "part2", "part_id"])
    assert document["as_of"] == "2026-03-01" and document["currency"] == "USD"
    assert {item["part_id"] for item in document["items"]} == part2


def test_report_writes_the_workbook_from_one_evaluation(tmp_path):
    target = tmp_path / "r.xlsx"
    result = api.report(SERVO, rules=api.RuleOptions(as_of="2026-03-01", alternates="primary"), output=target)
    assert result.as_of == dt.date(2026, 3, 1) and result.alternates == "primary"
    assert "Summary" in openpyxl.load_workbook(target, read_only=True).sheetnames


def test_an_audit_pack_refuses_a_rule_pack_given_as_a_loaded_record(tmp_path):
    from bomcalc.pack import make_pack

    loaded = api.RuleOptions(as_of="2026-03-01").resolved()
    with pytest.raises(BomError, match="rule pack as a file"):
        make_pack(tmp_path / "pack", SERVO, options=loaded)
    assert not (tmp_path / "pack").exists()
