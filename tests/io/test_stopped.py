"""A read that stops early still accounts for every row, and says it stopped."""

from __future__ import annotations

import bomcalc
from bomcalc.cli import main
from bomcalc.core.ledger import REJECTED, SKIPPED
from click.testing import CliRunner


def test_rows_after_an_undecodable_level_column_are_rejected_as_not_read(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text("Level,Part Number,Qty\n1,A,1\nx,B,2\n2,C,3\n", encoding="utf-8")
    report = bomcalc.validate(path)
    assert not report.ok
    (account,) = report.accounts
    assert (account.read, account.skipped, account.rejected) == (4, 1, 3)
    assert "bad_level" in account.stopped
    fates = {f.row: (f.fate, f.reason) for f in report.row_fates}
    assert fates[1][0] == SKIPPED
    assert all(fates[row][0] == REJECTED and fates[row][1].startswith("not read") for row in (2, 3, 4))


def test_validate_says_the_read_stopped_and_shows_every_row(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Column1,Column2\na,1\nb,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "the read stopped early" in result.output
    assert "every one is used" not in result.output
    assert result.output.count("rejected (not read: ") == 3


def test_a_sheet_of_a_canonical_workbook_that_is_no_table_is_skipped_not_forgotten(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    parts = workbook.active
    parts.title = "parts"
    for row in (["part_id", "unit_value"], ["TOP", None], ["A", 1]):
        parts.append(row)
    bom = workbook.create_sheet("bom")
    for row in (["parent", "child", "qty"], ["TOP", "A", 2]):
        bom.append(row)
    notes = workbook.create_sheet("notes")
    notes.append(["made by hand"])
    workbook.save(tmp_path / "bom.xlsx")
    read = bomcalc.read_workbook(tmp_path / "bom.xlsx")
    (account,) = [a for a in read.accounts if a.sheet == "notes"]
    assert (account.read, account.skipped) == (1, 1)


def test_rows_a_reader_left_without_a_fate_make_the_read_an_error():
    import pytest

    from bomcalc.core.errors import BomDataError
    from bomcalc.io.accounting import read_accounted
    from bomcalc.core.ledger import RowLedger
    from bomcalc.core.model import bom_from_records

    ledger = RowLedger()
    ledger.expect("f.csv", "f", 3)
    ledger.mark("f.csv", "f", 1, SKIPPED, "header row")
    with pytest.raises(BomDataError) as caught:
        read_accounted(lambda: bom_from_records([{"part_id": "A"}], []), ledger, "f.csv")
    assert [(i.code, i.row) for i in caught.value.issues] == [("rows_not_accounted", 2)]
    (account,) = [a for a in caught.value.accounts if a.file == "f.csv"]
    assert (account.read, account.rejected) == (3, 2)
