"""Supplier declaration requests: safe file names, one workbook per supplier, and filled-in forms read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import bomcalc
from bomcalc.io.declaration_form import PRODUCT_LIST_SHEET, INPUTS_SHEET
from bomcalc.io.request_forms import MAX_STEM, REQUESTED_SHEET, file_names, safe_file_stem

SERVO = Path(__file__).resolve().parents[2] / "sample_boms" / "servo_actuator.xlsx"
RULES = bomcalc.RuleOptions(as_of=dt.date(2026, 11, 11))


@pytest.mark.parametrize(
    "name, stem",
    [
        ("Acme Rare Earths", "Acme_Rare_Earths"),
        ("../x", "x"),
        ("..\\..\\windows\\system32", "windows_system32"),
        ("CON", "CON_supplier"),
        ("com1", "com1_supplier"),
        ("=cmd|' /C calc'!A0", "cmd_C_calc_A0"),
        ("a\x00b\x1b[31mc\nd", "a_b_31mc_d"),
        ("~$lock.xlsx", "lock_xlsx"),
        ("...", "supplier"),
        ("", "supplier"),
        ("Müller GmbH & Co. KG", "Müller_GmbH_Co_KG"),
    ],
    ids=["spaces", "parent folder", "backslashes", "reserved CON", "reserved com1", "formula", "control characters",
         "lock file", "only dots", "empty", "umlaut kept"],
)
def test_a_supplier_name_becomes_a_safe_file_name(name, stem):
    assert safe_file_stem(name) == stem


def test_a_very_long_supplier_name_is_bounded():
    assert len(safe_file_stem("A" * 5000)) == MAX_STEM


def test_two_suppliers_with_one_safe_name_get_two_files():
    names = file_names(["A/B", "A:B", "a_b", None, "unknown supplier"], single=False)
    assert names == {"A/B": "A_B.xlsx", "A:B": "A_B-2.xlsx", "a_b": "a_b-3.xlsx", None: "unknown_supplier.xlsx",
                     "unknown supplier": "unknown_supplier-2.xlsx"}
    long = file_names(["x" * 100, "x" * 101], single=False)
    assert len(set(long.values())) == 2 and all(len(name) <= MAX_STEM + 5 for name in long.values())


def fill_form(path: Path, answers: dict[str, str], inputs: list[dict] | None = None) -> None:
    """Answer a request the way a supplier does: company and currency, one Product List row per part."""
    workbook = openpyxl.load_workbook(path)
    declaration = workbook["Declaration"]
    for row in range(2, declaration.max_row + 1):
        label = declaration.cell(row=row, column=1).value
        if label == "Company name":
            declaration.cell(row=row, column=2).value = "Trader Co"
        elif label == "Currency of values":
            declaration.cell(row=row, column=2).value = "USD"
    products = workbook[PRODUCT_LIST_SHEET]
    header = [cell.value for cell in products[1]]
    for part, origin in answers.items():
        row = [None] * len(header)
        row[header.index("Customer part number")] = part
        row[header.index("Country of origin")] = origin
        products.append(row)
    sheet = workbook[INPUTS_SHEET]
    header = [cell.value for cell in sheet[1]]
    for given in inputs or ():
        row = [None] * len(header)
        for key, value in given.items():
            row[header.index(key)] = value
        sheet.append(row)
    workbook.save(path)


def requested_parts(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path)[REQUESTED_SHEET]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[:2] == ["Rank", "Customer part number"])
    return [row[1] for row in rows[start + 1:] if row[0] is not None and str(row[0]).isdigit()]


@pytest.mark.parametrize("origin, brake, oxide", [("JP", "not_required", "not_required"),
                                                  ("CN", "licence_required", "licence_required")],
                         ids=["terbium oxide declared Japanese clears the brake magnet",
                              "terbium oxide declared Chinese catches the brake magnet"])
def test_a_returned_request_decides_the_servo_brake_magnet(tmp_path, origin, brake, oxide):
    folder = tmp_path / "requests"
    result = bomcalc.api.requests(SERVO, None, RULES, output=folder)
    (form,) = result.forms
    assert requested_parts(folder / form.file_name) == ["TB-OX"]
    # untouched, the returned form declares nothing and changes nothing
    untouched = bomcalc.check(SERVO, bomcalc.reading_record(declarations=[str(folder)]), RULES)
    assert untouched.item("MAG-BRK")["status"] == "indeterminate"
    fill_form(folder / form.file_name, {"TB-OX": origin})
    checked = bomcalc.check(SERVO, bomcalc.reading_record(declarations=[str(folder)]), RULES)
    # JP: TB-OX is no China-origin Part 1 item; MAG-BRK holds only the 0.0028 USD of Chinese Dy in DYFE-JP,
    # 0.0716% of 3.9129 USD, under the line. CN: TB-OX counts at 0.05 USD, 0.0528 / 3.9129 = 1.3494% >= 0.1%.
    assert checked.item("MAG-BRK")["status"] == brake
    assert checked.item("TB-OX")["status"] == oxide
    assert checked.item("TB-OX")["origin"] == origin
    assert any(issue.code == "declared_origin" and issue.part_id == "TB-OX" for issue in checked.issues)
    assert checked.item("MAG-BRK")["cn_part1_value"] == {"JP": Decimal("0.0028"), "CN": Decimal("0.0528")}[origin]
    assert checked.item("MAG-BRK")["unknown_origin_part1_value"] == 0


def test_a_declared_origin_that_contradicts_the_bom_stops_the_run(tmp_path):
    folder = tmp_path / "requests"
    folder.mkdir()
    from bomcalc.io.templates import write_declaration_template

    write_declaration_template(folder / "form.xlsx")
    fill_form(folder / "form.xlsx", {"DY-MET": "JP"})  # the BOM says CN
    with pytest.raises(bomcalc.BomDataError) as caught:
        bomcalc.check(SERVO, bomcalc.reading_record(declarations=[str(folder)]), RULES)
    assert any(issue.code == "conflicting_origin" and issue.part_id == "DY-MET" for issue in caught.value.issues)


def supplier_bom(tmp_path: Path, suppliers: dict[str, str | None]) -> Path:
    """An indented export with a Vendor column: magnet MAG-1 (DE, 10 USD) holding three unknown-origin Tb oxides."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BOM"
    sheet.append(["Level", "Part Number", "Description", "Qty", "Unit Price", "Currency", "Country of Origin", "Annex 1",
                  "Vendor"])
    sheet.append([0, "MAG-1", "magnet", 1, 10, "USD", "DE", "part2", None])
    for part, (qty, supplier) in zip(("TB-1", "TB-2", "TB-3"), suppliers.items()):
        sheet.append([1, part, f"terbium oxide {part}", qty, 500, "USD", None, "part1", supplier])
        sheet.cell(row=sheet.max_row, column=9).data_type = "s"  # text, even when it starts with '='

    path = tmp_path / "bom.xlsx"
    workbook.save(path)
    return path


def test_one_workbook_per_supplier_and_one_for_parts_without_a_supplier(tmp_path):
    hostile = "=cmd|' /C calc'!A0"
    bom = supplier_bom(tmp_path, {"0.001": "Acme Rare Earths", "0.002": hostile, "0.0001": None})
    folder = tmp_path / "out"
    result = bomcalc.api.requests(bom, None, RULES, output=folder)
    # MAG-1 is worth 10; TB-2 0.002 x 500 = 1 USD (10 points), TB-1 0.5 USD (5 points), TB-3 0.05 USD (0.5 points)
    assert [r.part_id for r in result.plan.requests] == ["TB-2", "TB-1", "TB-3"]
    assert [r.top_reason.points for r in result.plan.requests] == [Decimal("10.0000"), Decimal("5.0000"),
                                                                   Decimal("0.5000")]
    written = {form.file_name: (form.supplier, form.parts) for form in result.forms}
    assert written == {"cmd_C_calc_A0.xlsx": (hostile, ("TB-2",)), "Acme_Rare_Earths.xlsx": ("Acme Rare Earths", ("TB-1",)),
                       "unknown_supplier.xlsx": (None, ("TB-3",))}
    assert sorted(path.name for path in folder.iterdir()) == sorted(written)
    sheet = openpyxl.load_workbook(folder / "cmd_C_calc_A0.xlsx")[REQUESTED_SHEET]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == hostile)
    assert cell.data_type == "s"  # written as text, never a formula
    unknown = openpyxl.load_workbook(folder / "unknown_supplier.xlsx")[REQUESTED_SHEET]
    assert any("names no supplier" in str(c.value) for row in unknown.iter_rows() for c in row)


def test_the_supplier_column_flows_into_the_parts_table_without_changing_the_result(tmp_path):
    bom = supplier_bom(tmp_path, {"0.001": "Acme", "0.002": "Beta", "0.0001": None})
    read = bomcalc.read_workbook(bom)
    assert read.parts["supplier"].to_dict() == {"MAG-1": None, "TB-1": "Acme", "TB-2": "Beta", "TB-3": None}
    master = tmp_path / "master.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Material", "Lieferant"])
    workbook.active.append(["MAG-1", "Magnet GmbH"])
    workbook.save(master)
    joined = bomcalc.read_workbook(bom, parts=[str(master)])
    assert joined.parts.at["MAG-1", "supplier"] == "Magnet GmbH"


def test_text_a_cell_cannot_hold_is_written_as_visible_escapes(tmp_path):
    from bomcalc.core.requests import PartRequest, RequestReason
    from bomcalc.io.request_forms import request_workbook

    reason = RequestReason("MAG", "own_origin", None, None, None, "decides MAG")
    request = PartRequest("=P\x07", "bell\x07 and =SUM(A1)", "S", ("its origin",), (reason,))
    path = tmp_path / "form.xlsx"
    path.write_bytes(request_workbook("S", [request], {"ranks": {"=P\x07": 1}}))
    cells = [c for row in openpyxl.load_workbook(path)[REQUESTED_SHEET].iter_rows() for c in row if c.value]
    texts = {c.value: c.data_type for c in cells}
    assert texts["=P\\x07"] == "s" and texts["bell\\x07 and =SUM(A1)"] == "s"


def test_a_canonical_declaration_may_give_the_origin(make_bom):
    parts = [("MAG", "part2", "DE", Decimal(1000)), ("TB", "part1", None, Decimal(100))]
    declarations = [{"part_id": "TB", "cn_part1_value": 0, "origin": "Japan", "source": "trader letter"}]
    bom = make_bom(parts, [("MAG", "TB", Decimal("0.02"))], declarations)
    result = bomcalc.evaluate(bom, as_of=dt.date(2026, 11, 11))
    assert bom.parts.at["TB", "origin"] == "JP"  # a country name is read with a warning, as for a part's origin
    assert result.item("MAG")["status"] == "not_required" and result.item("TB")["status"] == "not_required"
    assert {"country_code", "declared_origin"} <= {issue.code for issue in bom.issues if issue.part_id == "TB"}
