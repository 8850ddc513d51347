"""Supplier declarations: canonical tables, filled-in supplier templates, folders, prices.

The main fixture's expected values are worked out by hand in
``tests/fixtures/declarations/make_fixtures.py``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

import bomcalc
from bomcalc.io.declarations import DeclarationRecord, PriceEntry, read_declarations, read_price_table

_SCRIPT = Path(__file__).parent.parent / "fixtures" / "declarations" / "make_fixtures.py"
_SPEC = importlib.util.spec_from_file_location("declaration_fixtures", _SCRIPT)
fixtures = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fixtures)
entry = fixtures.input_row

PART1 = bomcalc.load_rule_pack().part1_items
FIELDS = {"company_name": "Delta Motors", "declaration_id": "DM-1", "declaration_date": "2026-10-01", "currency": "USD"}
D = Decimal


def accounted(accounts):
    """Every account adds up; returns ``{sheet: (read, used, merged, skipped, rejected)}``."""
    for account in accounts:
        assert account.used + account.merged + account.skipped + account.rejected == account.read
    return {a.sheet: (a.read, a.used, a.merged, a.skipped, a.rejected) for a in accounts}


def codes(issues, severity=None):
    return [issue.code for issue in issues if severity is None or issue.severity == severity]


def by_part(records):
    return {record.part_id: record for record in records}


@pytest.fixture
def prices(tmp_path):
    entries, issues = read_price_table(fixtures.write_price_table(tmp_path / "prices.csv"))
    assert issues == []
    return entries


@pytest.fixture
def supplier(tmp_path):
    """Write a supplier declaration from input dicts, read it, return (records by part, issues, accounts)."""

    def factory(inputs, products=(), fields=FIELDS, prices=None, name="supplier.xlsx"):
        path = fixtures.write_supplier_declaration(tmp_path / name, fields, products, inputs)
        records, issues, accounts = read_declarations(path, PART1, prices)
        return by_part(records), issues, accounted(accounts)

    return factory


# --- The filled supplier template -------------------------------------------------------------


@pytest.fixture
def acme(tmp_path, prices):
    path = fixtures.write_acme_declaration(tmp_path / "acme_declaration.xlsx")
    records, issues, accounts = read_declarations(path, PART1, prices)
    return path, by_part(records), issues, accounts


def test_china_origin_part1_inputs_are_summed_exactly(acme):
    _, records, _, _ = acme
    assert records["MAG-100"].cn_part1_value == D("1.05")  # Dy metal 0.7 + Tb metal 0.35
    assert records["MAG-100"].currency == "USD"


def test_unknown_origin_oxide_is_counted_apart(acme):
    _, records, _, _ = acme
    assert records["MAG-100"].unknown_origin_part1_value == D("0.45")


def test_ndpr_and_magnet_rows_are_not_part1(acme):
    _, records, _, _ = acme
    assert records["MAG-100"].cn_part1_value == D("1.05")  # NdPr metal 2.4 not added


def test_alloy_made_in_japan_from_chinese_oxide_is_not_china_origin(acme):
    _, records, issues, _ = acme
    assert records["MAG-200"].cn_part1_value == D("0.51")  # the Dy-Fe alloy's 1.2 is not added
    upstream = [issue for issue in issues if issue.code == "china_upstream"]
    assert [(issue.row, issue.part_id, issue.severity) for issue in upstream] == [(7, "MAG-200", "warning")]


def test_mass_only_input_is_valued_at_the_latest_price_and_says_so(acme):
    _, records, _, _ = acme
    record = records["MAG-200"]
    assert record.cn_part1_value == D("0.0015") * D("340")
    assert "340 USD/kg" in record.source
    assert "Rare Earth Price Index Q3, 2026-09-15" in record.source


def test_mass_only_input_without_a_price_is_unknown_never_zero(acme):
    _, records, issues, _ = acme
    assert records["MAG-200"].unknown_origin_part1_value is None
    unvalued = [issue for issue in issues if issue.code == "unvalued_input"]
    assert len(unvalued) == 1
    assert (unvalued[0].severity, unvalued[0].row, unvalued[0].part_id) == ("warning", 9, "MAG-200")
    assert "Tb metal" in unvalued[0].message and "price" in unvalued[0].message


def test_chinese_technology_is_true_when_any_row_says_yes(acme):
    _, records, _, _ = acme
    assert records["MAG-200"].cn_technology is True
    assert records["MAG-100"].cn_technology is False


def test_record_names_the_declaration_file_sheet_and_first_row(acme):
    path, records, _, _ = acme
    record = records["MAG-100"]
    assert record.source == "Acme Magnetics declaration AM-2026-07 (2026-09-30), acme_declaration.xlsx"
    assert (record.file, record.sheet, record.row) == (str(path), "Rare Earth Inputs", 2)
    assert isinstance(record, DeclarationRecord)


def test_acme_gives_only_warnings_and_accounts_for_every_row(acme):
    _, records, issues, accounts = acme
    assert sorted(records) == ["MAG-100", "MAG-200"]
    assert codes(issues, "error") == []
    assert accounted(accounts) == {
        "Declaration": (8, 8, 0, 0, 0),
        "Product List": (2, 2, 0, 0, 0),
        "Rare Earth Inputs": (9, 2, 7, 0, 0),
    }


def test_without_prices_the_mass_only_china_input_makes_the_part_indeterminate(tmp_path):
    path = fixtures.write_acme_declaration(tmp_path / "acme.xlsx")
    records, issues, _ = read_declarations(path, PART1)
    assert by_part(records)["MAG-200"].cn_part1_value is None
    assert codes(issues).count("unvalued_input") == 2


# --- Classification, origin and values --------------------------------------------------------


@pytest.mark.parametrize(
    "row, counted",
    [
        pytest.param(
            entry("P", "Dy", "oxide", value=1, separation="CN", metal="JP"),
            D(1),
            id="an oxide's origin is its separation",
        ),
        pytest.param(
            entry("P", "Dy", "metal", value=1, separation="CN", metal="JP"),
            D(0),
            id="a metal's origin is its smelting",
        ),
        pytest.param(
            entry("P", "Tb", "alloy", alloy="Tb-Dy-Fe", value=1, metal="CN"),
            D(1),
            id="Tb-Dy-Fe alloy is Part 1",
        ),
        pytest.param(
            entry("P", "Sm", "alloy", alloy="SmCo5", value=1, metal="CN"),
            D(1),
            id="SmCo5 reads as samarium-cobalt alloy",
        ),
        pytest.param(
            entry("P", "Nd", "alloy", alloy="Nd-Fe-B", value=1, metal="CN"),
            D(0),
            id="an NdFeB alloy is not Part 1",
        ),
        pytest.param(entry("P", "Ho", "metal", value=1, metal="CN"), D(0), id="holmium metal is not Part 1"),
        pytest.param(entry("P", "Nd", "oxide", value=1, separation="CN"), D(0), id="neodymium oxide is not Part 1"),
        pytest.param(entry("P", "Dy", "magnet", value=1, magnet="CN"), D(0), id="a magnet is not itself Part 1"),
        pytest.param(
            entry("P", "dysprosium", "Metals", value=1, metal="China"),
            D(1),
            id="element names and plural forms are read",
        ),
        pytest.param(
            entry("P", "Y", "metal", mass=250, unit="mg", value=None, metal="CN"),
            None,
            id="no price leaves the value unknown",
        ),
    ],
)
def test_input_rows_are_classified_by_element_form_and_stage(supplier, row, counted):
    records, issues, _ = supplier([row])
    assert codes(issues, "error") == []
    assert records["P"].cn_part1_value == counted


def test_alloy_without_a_name_is_read_as_the_part1_alloy_with_a_warning(supplier):
    records, issues, _ = supplier([entry("P", "Dy", "alloy", value="0.3", metal="CN")])
    assert records["P"].cn_part1_value == D("0.3")
    assert codes(issues) == ["alloy_assumed"]


def test_milligrams_are_converted_exactly(supplier, prices):
    records, issues, _ = supplier([entry("P", "Tb", "oxide", mass=0.1, unit="mg", separation="CN")], prices=prices)
    assert records["P"].cn_part1_value == D("0.0000001") * D("900")
    assert codes(issues) == []


def test_alloy_is_priced_by_its_composition(supplier, prices):
    records, _, _ = supplier([entry("P", "Dy", "alloy", alloy="Dy-Fe", mass=2, unit="g", metal="CN")], prices=prices)
    assert records["P"].cn_part1_value == D("0.520")


def test_declared_value_wins_over_mass(supplier, prices):
    records, _, _ = supplier([entry("P", "Dy", "metal", mass=1, unit="kg", value="0.1", metal="CN")], prices=prices)
    assert records["P"].cn_part1_value == D("0.1")
    assert "valued from its mass" not in records["P"].source


def test_row_currency_overrides_the_declaration_currency(supplier):
    records, _, _ = supplier([entry("P", "Dy", "metal", value=5, currency="eur", metal="CN")])
    assert records["P"].currency == "EUR"


def test_unknown_technology_answer_without_any_yes_is_unknown(supplier):
    rows = [
        entry("P", "Dy", "metal", value=1, metal="CN", technology="no"),
        entry("P", "Nd", "magnet", magnet="VN", technology="unknown"),
    ]
    records, _, _ = supplier(rows)
    assert records["P"].cn_technology is None


def test_product_listed_without_inputs_is_declared_free_of_rare_earths(supplier):
    records, issues, accounts = supplier([], products=[("S-1", "Bracket", "BRK-1", "")])
    assert records["BRK-1"].cn_part1_value == 0
    assert records["BRK-1"].unknown_origin_part1_value == 0
    assert (records["BRK-1"].sheet, records["BRK-1"].row) == ("Product List", 2)
    assert codes(issues) == ["no_inputs_declared"]


def test_hong_kong_stage_is_not_china_with_a_warning(supplier):
    records, issues, _ = supplier([entry("P", "Dy", "metal", value=1, metal="HK")])
    assert records["P"].cn_part1_value == 0
    assert codes(issues) == ["origin_hk_mo"]


# --- Data problems ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row, code",
    [
        pytest.param(
            entry("P", "Dy", "metal", value="1,5", metal="CN"),
            "bad_number",
            id="a decimal comma is refused",
        ),
        pytest.param(
            entry("P", "Dy", "metal", value="1_000", metal="CN"),
            "bad_number",
            id="an underscore in a number is refused",
        ),
        pytest.param(entry("P", "Dy", "metal", value=-1, metal="CN"), "bad_number", id="a negative value is refused"),
        pytest.param(
            entry("P", "Dy", "metal", mass="abc", unit="g", metal="CN"),
            "bad_number",
            id="a mass that is not a number is refused",
        ),
        pytest.param(
            entry("P", "Dy", "metal", mass=1, unit="lb", metal="CN"),
            "bad_mass_unit",
            id="an unknown mass unit is refused",
        ),
        pytest.param(entry("P", "Xx", "metal", value=1, metal="CN"), "bad_input", id="an unknown element is refused"),
        pytest.param(
            entry("P", "Fe", "metal", value=1, metal="CN"),
            "bad_input",
            id="an element that is not a rare earth is refused",
        ),
        pytest.param(entry("P", "Dy", "powder", value=1, metal="CN"), "bad_input", id="an unknown form is refused"),
        pytest.param(
            entry("P", "Sm", "alloy", alloy="Dy-Fe", value=1, metal="CN"),
            "bad_input",
            id="an element missing from its alloy is refused",
        ),
        pytest.param(
            entry(None, "Dy", "metal", value=1, metal="CN"),
            "missing_part_id",
            id="a Part 1 row needs a customer part number",
        ),
    ],
)
def test_bad_part1_rows_are_errors_with_their_place(supplier, row, code):
    records, issues, accounts = supplier([row])
    errors = [issue for issue in issues if issue.severity == "error"]
    assert [issue.code for issue in errors] == [code]
    assert (errors[0].file.endswith("supplier.xlsx"), errors[0].sheet, errors[0].row) == (True, "Rare Earth Inputs", 2)
    assert errors[0].part_id == row["customer_part_number"]
    assert records == {}
    assert accounts["Rare Earth Inputs"] == (1, 0, 0, 0, 1)


def test_a_bad_row_rejects_its_whole_product_but_not_the_others(supplier):
    rows = [
        entry("P", "Dy", "metal", value=1, metal="CN"),
        entry("P", "Tb", "metal", value="x", metal="CN"),
        entry("Q", "Tb", "metal", value=2, metal="CN"),
    ]
    records, issues, accounts = supplier(rows)
    assert sorted(records) == ["Q"]
    assert codes(issues, "error") == ["bad_number"]
    assert accounts["Rare Earth Inputs"] == (3, 1, 0, 0, 2)


def test_non_part1_row_problems_are_warnings(supplier):
    rows = [
        entry("P", "Dy", "metal", value=1, metal="CN"),
        entry("P", "Nd", "metal", value="n/a?", metal="CN"),
        entry(None, "Nd", "magnet", magnet="VN"),
    ]
    records, issues, accounts = supplier(rows)
    assert records["P"].cn_part1_value == 1
    assert codes(issues) == ["bad_number", "missing_part_id"]
    assert codes(issues, "error") == []
    assert accounts["Rare Earth Inputs"] == (3, 1, 1, 0, 1)


def test_mixed_currencies_within_one_product_are_an_error(supplier, prices):
    rows = [
        entry("P", "Dy", "metal", value=1, currency="EUR", metal="CN"),
        entry("P", "Tb", "oxide", value=1, separation="unknown"),
    ]
    records, issues, accounts = supplier(rows)
    mixed = [issue for issue in issues if issue.code == "mixed_currency"]
    assert [(m.severity, m.row, m.part_id) for m in mixed] == [("error", 2, "P")]
    assert "EUR, USD" in mixed[0].message
    assert records == {}
    assert accounts["Rare Earth Inputs"] == (2, 0, 0, 0, 2)


def test_value_without_any_currency_is_an_error(supplier):
    _, issues, _ = supplier([entry("P", "Dy", "metal", value=1, metal="CN")], fields={"company_name": "Delta"})
    assert codes(issues, "error") == ["missing_currency"]


def test_blank_rows_are_skipped_and_counted(tmp_path):
    path = fixtures.write_supplier_declaration(
        tmp_path / "gaps.xlsx",
        FIELDS,
        (),
        [entry("P", "Dy", "metal", value=1, metal="CN"), {}, entry("P", "Tb", "metal", value=2, metal="CN")],
    )
    records, _, accounts = read_declarations(path, PART1)
    assert by_part(records)["P"].cn_part1_value == 3
    assert by_part(records)["P"].row == 2
    assert accounted(accounts)["Rare Earth Inputs"] == (3, 1, 1, 1, 0)


# --- Canonical tables, folders, conflicts -----------------------------------------------------


def test_canonical_csv_is_read_with_its_sources(tmp_path):
    path = fixtures.write_canonical_declarations(tmp_path / "declarations.csv")
    records, issues, accounts = read_declarations(path, PART1)
    assert issues == []
    assert [(r.part_id, r.cn_part1_value, r.unknown_origin_part1_value, r.currency, r.row) for r in records] == [
        ("COIL-7", D("0.12"), D(0), "USD", 2),
        ("SENS-3", D("0.003"), D(0), "USD", 4),
    ]
    assert records[0].source == "Beta Coils declaration BC-12 (2026-08-01), declarations.csv"
    assert accounted(accounts) == {"declarations": (3, 2, 0, 1, 0)}


def test_canonical_headers_are_matched_ignoring_case_spaces_and_underscores(tmp_path):
    path = fixtures.write_csv(tmp_path / "d.csv", [["Part ID", "CN Part1 Value", "Currency"], ["X-1", "0.5", "usd"]])
    records, issues, _ = read_declarations(path, PART1)
    assert (records[0].part_id, records[0].cn_part1_value, records[0].currency) == ("X-1", D("0.5"), "USD")
    assert records[0].source == "d.csv row 2"
    assert issues == []


def test_canonical_unknown_value_is_none_with_a_warning(tmp_path):
    path = fixtures.write_csv(tmp_path / "d.csv", [["part_id", "cn_part1_value", "source"], ["X-1", "unknown", "call"]])
    records, issues, _ = read_declarations(path, PART1)
    assert records[0].cn_part1_value is None
    assert codes(issues) == ["unknown_declared_value"]


def test_canonical_bad_number_is_an_error(tmp_path):
    path = fixtures.write_csv(tmp_path / "d.csv", [["part_id", "cn_part1_value"], ["X-1", "0,5"]])
    records, issues, accounts = read_declarations(path, PART1)
    assert records == []
    assert [(i.code, i.severity, i.row, i.part_id) for i in issues] == [("bad_declaration", "error", 2, "X-1")]
    assert accounted(accounts) == {"d": (1, 0, 0, 0, 1)}


def test_folder_is_read_recursively_in_name_order_skipping_lock_files(tmp_path, prices):
    folder = fixtures.write_declaration_folder(tmp_path / "declarations")
    records, issues, accounts = read_declarations(folder, PART1, prices)
    assert [r.part_id for r in records] == ["MAG-100", "MAG-200", "COIL-7", "SENS-3"]
    assert codes(issues, "error") == []
    assert [(Path(a.file).name, a.sheet) for a in accounts] == [
        ("acme_declaration.xlsx", "Declaration"),
        ("acme_declaration.xlsx", "Product List"),
        ("acme_declaration.xlsx", "Rare Earth Inputs"),
        ("beta_gamma.csv", "beta_gamma"),
    ]
    accounted(accounts)


def test_two_declarations_for_one_part_conflict(tmp_path, prices):
    folder = fixtures.write_declaration_folder(tmp_path / "declarations")
    zeta = [["part_id", "cn_part1_value", "source"], ["MAG-100", "0.9", "Zeta letter Z-4"]]
    fixtures.write_csv(folder / "zeta.csv", zeta)
    records, issues, accounts = read_declarations(folder, PART1, prices)
    conflicts = [issue for issue in issues if issue.code == "conflicting_declarations"]
    assert len(conflicts) == 1
    assert conflicts[0].severity == "error"
    assert "Acme Magnetics declaration AM-2026-07" in conflicts[0].message
    assert "Zeta letter Z-4" in conflicts[0].message
    assert (Path(conflicts[0].file).name, conflicts[0].row, conflicts[0].part_id) == ("zeta.csv", 2, "MAG-100")
    assert by_part(records)["MAG-100"].cn_part1_value == D("1.05")
    assert accounted(accounts)["zeta"] == (1, 0, 0, 0, 1)


def test_two_rows_for_one_part_in_a_canonical_table_conflict(tmp_path):
    path = fixtures.write_csv(tmp_path / "d.csv", [["part_id", "cn_part1_value"], ["X", "1"], ["X", "1"]])
    _, issues, accounts = read_declarations(path, PART1)
    assert codes(issues) == ["conflicting_declarations"]
    assert accounted(accounts) == {"d": (2, 1, 0, 0, 1)}


def test_a_file_that_is_no_declaration_is_an_error_naming_its_sheets(tmp_path):
    from tests.conftest import write_workbook

    sheets = {"parts": [["part_id", "unit_value"]], "bom": [["parent", "child", "qty"]]}
    path = write_workbook(tmp_path / "bom.xlsx", sheets)
    records, issues, accounts = read_declarations(path, PART1)
    assert records == [] and accounts == []
    assert [(i.code, i.severity, i.file) for i in issues] == [("not_a_declaration", "error", str(path))]
    assert "'parts', 'bom'" in issues[0].message


def test_an_unreadable_file_in_a_folder_is_reported_with_the_rest(tmp_path):
    fixtures.write_canonical_declarations(tmp_path / "a.csv")
    (tmp_path / "b.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # a PDF saved under a workbook name
    records, issues, _ = read_declarations(tmp_path, PART1)
    assert len(records) == 2
    assert codes(issues) == ["unreadable_file"]


def test_a_missing_path_raises(tmp_path):
    with pytest.raises(bomcalc.InputFileError):
        read_declarations(tmp_path / "nowhere", PART1)


def test_an_empty_folder_warns(tmp_path):
    records, issues, accounts = read_declarations(tmp_path, PART1)
    assert (records, codes(issues), accounts) == ([], ["no_declarations"], [])


# --- Price tables -----------------------------------------------------------------------------


def test_price_table_reads_exact_prices(prices):
    assert prices[1] == PriceEntry("Dy", "metal", D("340"), "USD", dt.date(2026, 9, 15), "Rare Earth Price Index Q3")
    assert prices[3].element == "Dy-Fe" and prices[3].form == "alloy"


def test_price_table_reports_bad_rows_and_keeps_the_good(tmp_path):
    from tests.conftest import write_workbook

    path = write_workbook(
        tmp_path / "prices.xlsx",
        {
            "notes": [["read me"]],
            "prices": [
                ["Element", "Form", "Price per kg", "Currency", "Date", "Source"],
                ["Tb", "metal", 1200.5, "usd", dt.date(2026, 9, 1), "Index"],
                ["Tb", "metal", "1,200", "USD", "2026-09-01", "Index"],
                ["Qq", "metal", 10, "USD", "2026-09-01", "Index"],
                ["Tb", "metal", 10, "USD", "01/09/2026", "Index"],
                ["Tb", "metal", 1300, "USD", dt.date(2026, 9, 1), "Other index"],
            ],
        },
    )
    entries, issues = read_price_table(path)
    assert entries == [PriceEntry("Tb", "metal", D("1200.5"), "USD", dt.date(2026, 9, 1), "Index")]
    found = [(i.code, i.row) for i in issues]
    assert found == [("bad_price", 3), ("bad_price", 4), ("bad_price", 5), ("duplicate_price", 6)]


def test_declaration_date_typed_as_a_date_is_cited_as_yyyy_mm_dd(supplier):
    fields = {**FIELDS, "declaration_date": dt.datetime(2026, 10, 1)}
    records, issues, _ = supplier([entry("P", "Dy", "metal", value=1, metal="CN")], fields=fields)
    assert records["P"].source == "Delta Motors declaration DM-1 (2026-10-01), supplier.xlsx"
    assert issues == []


def test_declarations_sheet_of_a_bom_workbook_is_a_canonical_table(small_workbook):
    path = small_workbook(declarations=[["MAG", 0.51, None, "Acme letter"]])
    records, issues, accounts = read_declarations(path, PART1)
    assert [(r.part_id, r.cn_part1_value, r.unknown_origin_part1_value, r.sheet) for r in records] == [
        ("MAG", D("0.51"), D(0), "declarations")
    ]
    assert records[0].source == "Acme letter, small.xlsx"
    assert issues == []
    assert accounted(accounts) == {"declarations": (1, 1, 0, 0, 0)}
