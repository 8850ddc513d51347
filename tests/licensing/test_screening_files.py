"""The shipments, parties and ownership readers: headers through the one alias table, every row accounted for."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from bomcalc.core.errors import BomDataError
from bomcalc.io.aliases import VOCABULARY
from bomcalc.io.licensing_pack import load_licensing
from bomcalc.io.screening_files import read_listed_parties, read_ownership, read_shipments

BASE = {"item": "MAG-ARC", "consignee": "Alpha", "country": "DE", "end_use": "civil", "end_user_type": "commercial",
        "date": "2026-12-01", "end_user": "Omega", "shipment": "S-1", "node_nm": "7", "layers": "232"}


@pytest.mark.parametrize("column, header", [(c, h) for c, headers in VOCABULARY["shipments"].items() for h in headers])
def test_every_shipments_header_in_the_table_is_read(tmp_path, column, header):
    headers = [header if name == column else name for name in BASE]
    path = tmp_path / "s.csv"
    path.write_text(",".join(f'"{h}"' for h in headers) + "\n" + ",".join(BASE.values()) + "\n", encoding="utf-8")
    shipment = read_shipments(path).records[0]
    value = {"item": shipment.item, "consignee": shipment.consignee, "country": shipment.country,
             "end_use": shipment.end_use, "end_user_type": shipment.end_user_type, "date": shipment.date.isoformat(),
             "end_user": shipment.end_user, "shipment": shipment.reference,
             "node_nm": str(shipment.figures.get("node_nm")), "layers": str(shipment.figures.get("layers"))}[column]
    assert value == BASE[column]


def test_a_workbook_with_a_title_row_accounts_for_every_row(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Shipments, December 2026"])
    sheet.append(["Item", "Customer", "Destination", "End use", "End-user type", "Ship date"])
    sheet.append(["MAG-ARC", "Alpha", "Germany", "civil", "commercial", "2026-12-01"])
    sheet.append([])
    sheet.append(["DY-MET", "Beta", "FR", "civil", "commercial", "2026-12-02"])
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    read = read_shipments(path, {"MAG-ARC", "DY-MET"})
    assert [s.item for s in read.records] == ["MAG-ARC", "DY-MET"]
    assert read.records[0].country == "DE"
    account = read.accounts[0]
    assert (account.read, account.used, account.skipped, account.rejected) == (5, 2, 3, 0)


def test_a_file_without_the_columns_names_what_it_expects(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        read_shipments(path)
    assert caught.value.issues[0].code == "missing_column" and "item, date" in caught.value.issues[0].message
    assert caught.value.accounts[0].rejected == 2


def test_parties_on_both_lists_and_an_unknown_list(tmp_path):
    rule = load_licensing().ownership
    path = tmp_path / "p.csv"
    path.write_text("party,list\nA,管控名单\nA,watch\nB,sanctions\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        read_listed_parties(path, rule)
    assert [(i.code, i.row) for i in caught.value.issues] == [("unknown_list", 4)]
    path.write_text("party,list\nA,管控名单\nA,watch\n", encoding="utf-8")
    assert read_listed_parties(path, rule).records[0] == {"A": ("control", "watch")}


def test_ownership_shares_are_exact_and_may_not_exceed_the_whole(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("party,owner,share\nS,P,49.9%\nS,Q,0.501\n", encoding="utf-8")
    assert [h.share for h in read_ownership(path).records] == [Decimal("0.499"), Decimal("0.501")]
    path.write_text("party,owner,share\nS,P,60%\nS,Q,0.5\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        read_ownership(path)
    assert caught.value.issues[0].code == "shares_over_100" and caught.value.issues[0].row == 3
