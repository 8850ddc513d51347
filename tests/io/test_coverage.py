"""Readers say which parts an Annex 1 column and the parts master covered, and blame the right file."""

from __future__ import annotations

import datetime as dt

import pytest

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.report.documents import format_table

from ..conftest import write_workbook

IN_FORCE_DAY = dt.date(2026, 11, 11)


def _bom_csv(tmp_path, header: str, *rows: str):
    path = tmp_path / "bom.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _master(tmp_path, rows, header=("Material", "Standard price", "Currency", "Country of Origin", "Annex 1")):
    return write_workbook(tmp_path / "master.xlsx", {"Master": [list(header), *rows]})


def test_parts_missing_from_the_master_are_unclassified_and_counted(tmp_path):
    bom_path = _bom_csv(tmp_path, "Level,Part Number,Qty", "0,TOP,1", "1,MAG,1", "2,DY,0.01", "1,SCREW,4")
    master = _master(tmp_path, [["TOP", 100, "USD", "DE", None], ["MAG", 20, "USD", "JP", "part2"],
                                ["DY", 300, "USD", "CN", "part1"]])
    bom = bomcalc.read_workbook(bom_path, parts=[str(master)])
    assert bom.parts["annex1_known"].to_dict() == {"TOP": True, "MAG": True, "DY": True, "SCREW": False}
    assert bom.parts["in_parts_data"].to_dict() == {"TOP": True, "MAG": True, "DY": True, "SCREW": False}
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    assert result.coverage == {"parts": 4, "annex1_known": 3, "origin_known": 3, "value_known": 3, "in_parts_data": 3,
                               "complete": False}
    text = format_table(result)
    assert "1 part(s) are not in the parts master: SCREW" in text
    # the magnet is decided by its own inputs: 0.01 x 300 = 3 >= 0.02
    assert result.item("MAG")["status"] == "licence_required"


def test_a_bom_annex1_value_counts_for_a_part_the_master_lacks(tmp_path):
    bom_path = _bom_csv(tmp_path, "Level,Part Number,Qty,Annex 1", "0,TOP,1,", "1,MAG,1,part2", "1,SCREW,4,")
    master = _master(tmp_path, [["TOP", 100, "USD", "DE", None]])
    bom = bomcalc.read_workbook(bom_path, parts=[str(master)])
    # MAG: the BOM says part2; SCREW: blank in the BOM and missing from the master, so unknown
    assert bom.parts["annex1_known"].to_dict() == {"TOP": True, "MAG": True, "SCREW": False}
    assert bom.parts["in_parts_data"].to_dict() == {"TOP": True, "MAG": False, "SCREW": False}


def test_a_bom_annex1_column_classifies_its_parts_without_a_master(tmp_path):
    bom_path = _bom_csv(tmp_path, "Level,Part Number,Qty,Annex 1", "0,TOP,1,", "1,MAG,1,part2", "1,SCREW,4,?")
    bom = bomcalc.read_workbook(bom_path)
    assert bom.parts["annex1_known"].to_dict() == {"TOP": True, "MAG": True, "SCREW": False}
    assert bom.parts["in_parts_data"].all()


def test_no_annex1_column_in_bom_or_master_leaves_every_part_unclassified(tmp_path):
    bom_path = _bom_csv(tmp_path, "Level,Part Number,Qty", "0,TOP,1", "1,MAG,1")
    master = _master(tmp_path, [["TOP", 100, "USD", "DE"], ["MAG", 20, "USD", "JP"]],
                     header=("Material", "Standard price", "Currency", "Country of Origin"))
    result = bomcalc.evaluate(bomcalc.read_workbook(bom_path, parts=[str(master)]), as_of=IN_FORCE_DAY)
    assert result.coverage["annex1_known"] == 0 and result.coverage["in_parts_data"] == 2
    text = format_table(result)
    assert "2 part(s) have no Annex 1 status (no input has an annex1 column, or every annex1 cell says unknown): TOP, MAG" in text
    assert "No part is known to be an Annex 1 item, but 2 part(s) are unclassified" in text


@pytest.mark.parametrize(
    "bad_row, code",
    [
        (["MAG", "ten", "USD", "JP", "part2"], "bad_unit_value"),
        (["MAG", 20, "USD", "JP", "part 3"], "bad_annex1"),
    ],
    ids=["a bad price in the master", "a bad annex1 in the master"],
)
def test_errors_in_master_rows_name_the_master(tmp_path, bad_row, code):
    bom_path = write_workbook(tmp_path / "bom.xlsx", {"BOM": [
        ["Level", "Part Number", "Qty"], [0, "TOP", 1], [1, "MAG", 1],
    ]})
    master = _master(tmp_path, [["TOP", 100, "USD", "DE", None], bad_row])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(bom_path, parts=[str(master)])
    (issue,) = [i for i in caught.value.issues if i.code == code]
    assert issue.file.endswith("master.xlsx")
    assert issue.sheet == "Master" and issue.row == 3 and issue.part_id == "MAG"


def test_provenance_lists_every_input_with_its_role_including_the_map(tmp_path):
    import hashlib

    import openpyxl

    from bomcalc.report.excel import write_excel_report

    bom_path = _bom_csv(tmp_path, "Lvl,Teilenummer,Menge", "0,TOP,1", "1,MAG,1")
    mapping = tmp_path / "headers.toml"
    mapping.write_text('[columns]\npart_id = "Teilenummer"\nqty = "Menge"\n', encoding="utf-8")
    master = _master(tmp_path, [["TOP", 100, "USD", "DE", None], ["MAG", 20, "USD", "JP", "part2"]])
    bom = bomcalc.read_workbook(bom_path, parts=[str(master)], map=str(mapping))
    assert bom.inputs == (("bom", str(bom_path)), ("map", str(mapping)), ("parts", str(master)))
    result = bomcalc.evaluate(bom, as_of=IN_FORCE_DAY)
    assert bomcalc.result_document(result)["inputs"] == [
        {"role": "bom", "path": str(bom_path)}, {"role": "map", "path": str(mapping)}, {"role": "parts", "path": str(master)},
    ]
    write_excel_report(tmp_path / "report.xlsx", result)
    sheet = openpyxl.load_workbook(tmp_path / "report.xlsx")["Provenance"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]
    assert header[:3] == ("section", "name", "value")
    roles = {(row["name"], row["value"]) for row in body if row["section"] == "input"}
    assert roles == {("bom", str(bom_path)), ("map", str(mapping)), ("parts", str(master))}
    hashed = {row["name"]: row for row in body if row["section"] == "input file"}
    assert hashed[str(mapping)]["value"] == hashlib.sha256(mapping.read_bytes()).hexdigest()
    assert hashed[str(mapping)]["note"].startswith("map; ")
    coverage = {row["name"]: row["value"] for row in body if row["section"] == "coverage"}
    # MAG is a bought Part 2 magnet with no BOM and no declaration: its content is unknown
    assert coverage["complete"] == "no" and coverage["parts"] == "2"


def test_a_missing_rate_for_a_master_currency_names_the_master_row(tmp_path):
    bom_path = write_workbook(tmp_path / "bom.xlsx", {"BOM": [
        ["Level", "Part Number", "Qty"], [0, "TOP", 1], [1, "MAG", 1], [1, "NUT", 1],
    ]})
    master = _master(tmp_path, [["TOP", 100, "USD", "DE", None], ["NUT", 1, "USD", "DE", None],
                                ["MAG", 20, "JPY", "JP", "part2"]])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(bom_path, parts=[str(master)])
    (issue,) = [i for i in caught.value.issues if i.code == "missing_fx_rate"]
    assert issue.file.endswith("master.xlsx") and issue.sheet == "Master" and issue.row == 4
