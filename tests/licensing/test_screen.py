"""Screening shipments of the servo sample: each policy of Clauses 2-4, combined with each item's
determination on the shipment date. The sample's items (bomcalc check on 2026-12-01): MAG-ARC
licence required (de minimis, 4.85%), DY-MET licence required (China-origin Part 1), MAG-BRK
indeterminate, MAG-ENC not required, SHAFT-100 not an Annex 1 item."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from bomcalc import licensing_api
from bomcalc.core.errors import BomDataError

SERVO = str(Path(__file__).resolve().parents[2] / "sample_boms" / "servo_actuator.xlsx")
HEADER = ["shipment", "item", "consignee", "end user", "country", "end use", "end-user type", "export date",
          "node_nm", "layers"]
#: (shipment, item, consignee, end user, country, end use, end-user type, date, node_nm, layers) -> outcome
CASES = [
    ("civil", "MAG-ARC", "Alpha GmbH", "", "DE", "civil", "commercial", "2026-12-01", "", "", "licence_application"),
    ("military end user", "MAG-ARC", "Alpha GmbH", "", "DE", "civil", "armed forces", "2026-12-01", "", "", "denied_in_principle"),
    ("listed consignee", "MAG-ARC", "Listed Parent Co", "", "SG", "civil", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("listed end user", "MAG-ARC", "Alpha GmbH", "watched holdings", "SG", "civil", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("50% subsidiary", "MAG-ARC", "Sub Fifty", "", "SG", "civil", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("49.9% subsidiary", "MAG-ARC", "Sub FortyNine", "", "SG", "civil", "commercial", "2026-12-01", "", "", "licence_application"),
    ("aggregate 30+20", "MAG-ARC", "Sub Joint", "", "SG", "civil", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("wmd", "MAG-ARC", "Alpha GmbH", "", "DE", "Weapons of Mass Destruction", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("terrorism", "MAG-ARC", "Alpha GmbH", "", "DE", "terrorism", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("military end use", "MAG-ARC", "Alpha GmbH", "", "DE", "military end use", "commercial", "2026-12-01", "", "", "denied_in_principle"),
    ("logic at 14 nm", "MAG-ARC", "Fab Co", "", "KR", "logic chips", "company", "2026-12-01", "14", "", "case_by_case"),
    ("logic at 16 nm", "MAG-ARC", "Fab Co", "", "KR", "logic chips", "company", "2026-12-01", "16", "", "licence_application"),
    ("logic, no node", "MAG-ARC", "Fab Co", "", "KR", "logic chips", "company", "2026-12-01", "", "", "indeterminate"),
    ("memory 256 layers", "MAG-ARC", "Fab Co", "", "KR", "memory chips", "company", "2026-12-01", "", "256", "case_by_case"),
    ("memory 255 layers", "MAG-ARC", "Fab Co", "", "KR", "memory chips", "company", "2026-12-01", "", "255", "licence_application"),
    ("military ai", "MAG-ARC", "Lab Co", "", "US", "military AI", "research institute", "2026-12-01", "", "", "case_by_case"),
    ("humanitarian", "DY-MET", "Relief Org", "", "FR", "humanitarian relief", "civil", "2026-09-30", "", "", "not_in_force"),
    ("humanitarian in force", "DY-MET", "Relief Org", "", "FR", "emergency medical care", "civil", "2026-11-30", "", "", "humanitarian_exemption"),
    ("indeterminate item", "MAG-BRK", "Alpha GmbH", "", "DE", "civil", "commercial", "2026-12-01", "", "", "indeterminate"),
    ("indeterminate item, military", "MAG-BRK", "Alpha GmbH", "", "DE", "civil", "military", "2026-12-01", "", "", "indeterminate"),
    ("not required, military", "MAG-ENC", "Army Depot", "", "US", "civil", "military", "2026-12-01", "", "", "no_licence_needed"),
    ("not annex 1", "SHAFT-100", "Alpha GmbH", "", "DE", "civil", "commercial", "2026-12-01", "", "", "no_licence_needed"),
    ("unknown end use", "MAG-ARC", "Alpha GmbH", "", "DE", "toys", "commercial", "2026-12-01", "", "", "indeterminate"),
    ("blank end-user type", "MAG-ARC", "Alpha GmbH", "", "DE", "civil", "", "2026-12-01", "", "", "indeterminate"),
    ("suspended", "MAG-ARC", "Alpha GmbH", "", "DE", "civil", "commercial", "2026-03-01", "", "", "not_in_force"),
]


def _write(path: Path, header, rows) -> str:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screen")
    listed = _write(folder / "listed.csv", ["party", "list"], [["Listed Parent Co", "control"], ["Watched Holdings", "关注名单"]])
    owners = _write(folder / "owners.csv", ["party", "owner", "share"], [
        ["Sub Fifty", "Listed Parent Co", "50%"], ["Sub FortyNine", "Listed Parent Co", "49.9%"],
        ["Sub Joint", "Listed Parent Co", "0.3"], ["Sub Joint", "Watched Holdings", "0.2"]])
    shipments = _write(folder / "shipments.csv", HEADER, [case[:10] for case in CASES])
    return shipments, listed, owners


@pytest.fixture(scope="module")
def screened(files):
    shipments, listed, owners = files
    return licensing_api.screen(shipments, SERVO, listed=listed, ownership=owners)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case[0] for case in CASES])
def test_each_policy_gives_its_outcome(screened, index):
    row = screened.table.iloc[index]
    assert row["shipment"] == CASES[index][0]
    assert row["outcome"] == CASES[index][-1], row["notes"]


def _row(screened, name):
    return screened.table.set_index("shipment").loc[name]


def test_the_humanitarian_report_is_due_ten_working_days_after_export(screened):
    # Mon 30 Nov 2026: 1-4 Dec (1-4), 7-11 Dec (5-9), Mon 14 Dec (10)
    row = _row(screened, "humanitarian in force")
    assert row["report_due"] == dt.date(2026, 12, 14)
    assert "report to MOFCOM by 2026-12-14 (10 working days after export)" in row["notes"]
    assert _row(screened, "humanitarian")["report_due"] is None  # suspended on 30 Sep: nothing to report


def test_the_ownership_reason_and_the_chip_line_are_in_the_notes(screened):
    assert "consignee: 'Sub Joint' is owned 50% by listed parties (Listed Parent Co 30% + Watched Holdings 20%)" \
        in _row(screened, "aggregate 30+20")["notes"]
    assert any("node_nm 16 is beyond the line" in note for note in _row(screened, "logic at 16 nm")["notes"])
    assert any("give node_nm" in note for note in _row(screened, "logic, no node")["notes"])


def test_an_indeterminate_item_is_never_an_all_clear(screened):
    row = _row(screened, "indeterminate item, military")
    assert row["item_status"] == "indeterminate"
    assert "if a licence is required: denied in principle" in row["notes"]


def test_a_party_found_on_an_item_needing_no_licence_is_still_reported(screened):
    assert "an overseas military end user (end-user-type 'military')" in _row(screened, "not required, military")["notes"]


def test_the_row_accounts_add_up(screened):
    shipments = next(a for a in screened.accounts if a.file.endswith("shipments.csv"))
    assert (shipments.read, shipments.used, shipments.skipped, shipments.rejected) == (len(CASES) + 1, len(CASES), 1, 0)


def test_a_humanitarian_export_outside_the_calendar_is_refused(tmp_path):
    shipments = _write(tmp_path / "s.csv", HEADER, [
        ["late", "DY-MET", "Relief Org", "", "FR", "humanitarian relief", "civil", "2026-12-24", "", ""]])
    with pytest.raises(BomDataError) as caught:
        licensing_api.screen(shipments, SERVO)
    issue = caught.value.issues[0]
    assert issue.code == "calendar_not_covered" and issue.row == 2 and "2027-01-01 is outside" in issue.message


def test_bad_rows_are_rejected_with_every_problem_at_once(tmp_path):
    shipments = _write(tmp_path / "s.csv", HEADER, [
        ["a", "NO-SUCH", "X", "", "DE", "civil", "commercial", "2026-12-01", "", ""],
        ["b", "MAG-ARC", "X", "", "DE", "civil", "commercial", "1 Dec 2026", "", ""],
        ["c", "MAG-ARC", "X", "", "DE", "civil", "commercial", "2026-12-01", "", ""]])
    with pytest.raises(BomDataError) as caught:
        licensing_api.screen(shipments, SERVO)
    assert [(i.code, i.row) for i in caught.value.issues] == [("unknown_item", 2), ("bad_date", 3)]
    account = caught.value.accounts[0]
    assert (account.read, account.used, account.skipped, account.rejected) == (4, 1, 1, 2)


def test_a_share_of_fifty_without_a_percent_sign_is_refused(tmp_path):
    owners = _write(tmp_path / "o.csv", ["party", "owner", "share"], [["Sub", "Parent", "50"]])
    shipments = _write(tmp_path / "s.csv", HEADER, [CASES[0][:10]])
    with pytest.raises(BomDataError, match="data error") as caught:
        licensing_api.screen(shipments, SERVO, ownership=owners)
    assert caught.value.issues[0].code == "bad_share" and "write 0.5 or 50%" in caught.value.issues[0].message


def test_dates_with_the_same_limb_states_share_one_determination(screened):
    evaluations = screened.evaluations
    assert evaluations[dt.date(2026, 12, 1)] is evaluations[dt.date(2026, 11, 30)]  # both after the suspension
    assert evaluations[dt.date(2026, 3, 1)] is evaluations[dt.date(2026, 9, 30)]  # both suspended
    assert evaluations[dt.date(2026, 3, 1)] is not evaluations[dt.date(2026, 12, 1)]


def test_the_sample_shipments_give_the_outcomes_worked_out_in_the_samples_readme():
    samples = Path(SERVO).parent
    result = licensing_api.screen(samples / "servo_shipments.csv", SERVO, listed=samples / "servo_listed_parties.csv",
                                  ownership=samples / "servo_ownership.csv")
    outcomes = dict(zip(result.table["shipment"], result.table["outcome"]))
    assert outcomes == {"SH-001": "licence_application", "SH-002": "denied_in_principle", "SH-003": "not_in_force",
                        "SH-004": "humanitarian_exemption", "SH-005": "case_by_case", "SH-006": "indeterminate",
                        "SH-007": "no_licence_needed"}
    assert result.table.set_index("shipment").loc["SH-004", "report_due"] == dt.date(2026, 12, 14)
    assert "epsilon sensors ltd" not in result.listed and "beta motion pte ltd" in result.listed


def test_a_shipment_while_suspended_carries_no_policy_advice_and_no_letter_duty(screened):
    notes = _row(screened, "humanitarian")["notes"]
    assert not any(note.startswith("if a licence is required") or "Compliance Notification" in note for note in notes)
    assert "would be required; china_origin: suspended until 2026-11-10 by Announcement No. 70" in notes


def test_a_name_close_to_a_listed_party_is_left_open_not_cleared(tmp_path):
    listed = _write(tmp_path / "l.csv", ["party", "list"], [["Listed Parent Co", "control"]])
    shipments = _write(tmp_path / "s.csv", HEADER, [
        ["typo", "MAG-ARC", "Listed Parnet Co", "", "SG", "civil", "commercial", "2026-12-01", "", ""],
        ["other", "MAG-ARC", "Alpha GmbH", "", "SG", "civil", "commercial", "2026-12-01", "", ""]])
    result = licensing_api.screen(shipments, SERVO, listed=listed)
    assert list(result.table["outcome"]) == ["indeterminate", "licence_application"]
    assert ("open: the consignee 'Listed Parnet Co' is not listed, but its name is close to 'Listed Parent Co' (listed); "
            "check whether they are one party") in result.table.iloc[0]["notes"]


def test_a_required_part1_item_carries_the_letter_duty_and_keeps_its_pack_label(screened):
    row = _row(screened, "humanitarian in force")
    assert row["item_status"] == "licence_required"  # the pack's label, while the policy reads its meaning
    assert any(note.startswith("a Part 1 item: declare the final destination") for note in row["notes"])
    assert not any("a Part 1 item" in note for note in _row(screened, "civil")["notes"])  # MAG-ARC is Part 2
