"""``--decimal`` reaches every table a user hands over: fx, units, declarations (canonical rows
and supplier forms), reference prices, sourcing options and volumes.

Each table is written with a semicolon delimiter and a decimal comma. With ``--decimal ,`` the
value reads exactly; without it a value that reads either way (``1,250``: 1250 or 1.25) is an
error naming the file and telling the user to pass ``--decimal``, never a guess.
"""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

import bomcalc
from bomcalc.cli import main
from bomcalc.core.errors import BomDataError
from click.testing import CliRunner

_SCRIPT = Path(__file__).parent.parent / "fixtures" / "declarations" / "make_fixtures.py"
_SPEC = importlib.util.spec_from_file_location("declaration_fixtures", _SCRIPT)
fixtures = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fixtures)


def _bom(tmp_path, magnet_currency="USD", magnet_uom="ea", line_uom=""):
    """A canonical folder: TOP (DE) holds 2 MAG (Part 2, DE, 500 each); semicolon CSVs, integers only."""
    parts = tmp_path / "bom"
    parts.mkdir()
    (parts / "parts.csv").write_text(
        "part_id;origin;unit_value;currency;uom;annex1\n"
        "TOP;DE;;USD;ea;\n"
        f"MAG;DE;500;{magnet_currency};{magnet_uom};part2\n", encoding="utf-8")
    (parts / "bom.csv").write_text(f"parent;child;qty;uom\nTOP;MAG;2;{line_uom}\n", encoding="utf-8")
    return parts


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _error_codes(excinfo) -> list[tuple[str, str]]:
    return [(issue.code, issue.message) for issue in excinfo.value.issues if issue.severity == "error"]


def _says_pass_decimal(excinfo, code: str, file_name: str) -> None:
    found = [issue for issue in excinfo.value.issues if issue.severity == "error" and issue.code == code]
    assert found, _error_codes(excinfo)
    assert any((issue.file or "").endswith(file_name) and "--decimal" in issue.message for issue in found), \
        [(i.file, i.message) for i in found]


# --- fx ---------------------------------------------------------------------------------------


def test_an_fx_rate_with_a_decimal_comma_reads_exactly(tmp_path):
    folder = _bom(tmp_path, magnet_currency="EUR")
    fx = tmp_path / "fx.csv"
    fx.write_text("currency;rate;date;source\nEUR;1,125;2026-11-02;ECB\n", encoding="utf-8")
    bom = bomcalc.read_workbook(folder, fx=str(fx), currency="USD", decimal=",")
    (rate,) = bom.fx_rates
    assert rate.rate == Decimal("1.125")
    assert bom.parts.at["MAG", "unit_value"] == Decimal("562.500")  # 500 EUR x 1.125


def test_an_fx_rate_that_reads_either_way_is_an_error_without_decimal(tmp_path):
    folder = _bom(tmp_path, magnet_currency="EUR")
    fx = tmp_path / "fx.csv"
    fx.write_text("currency;rate;date;source\nEUR;1,125;2026-11-02;ECB\n", encoding="utf-8")
    with pytest.raises(BomDataError) as excinfo:
        bomcalc.read_workbook(folder, fx=str(fx), currency="USD")
    _says_pass_decimal(excinfo, "ambiguous_numbers", "fx.csv")


# --- units ------------------------------------------------------------------------------------


def test_a_unit_factor_with_a_decimal_comma_reads_exactly(tmp_path):
    folder = _bom(tmp_path, line_uom="box")
    units = tmp_path / "units.csv"
    units.write_text("unit;base;factor\nbox;ea;1,250\n", encoding="utf-8")
    bom = bomcalc.read_workbook(folder, units=str(units), decimal=",")
    (qty,) = list(bom.lines["qty"])
    assert qty == Decimal("2.500")  # 2 boxes of 1.25 each (not 1250: --decimal , says so)


def test_a_unit_factor_that_reads_either_way_is_an_error_without_decimal(tmp_path):
    folder = _bom(tmp_path, line_uom="box")
    units = tmp_path / "units.csv"
    units.write_text("unit;base;factor\nbox;ea;1,250\n", encoding="utf-8")
    with pytest.raises(BomDataError) as excinfo:
        bomcalc.read_workbook(folder, units=str(units))
    _says_pass_decimal(excinfo, "ambiguous_numbers", "units.csv")


# --- declarations -----------------------------------------------------------------------------


def _canonical_declaration(tmp_path, value: str) -> Path:
    path = tmp_path / "declarations.csv"
    path.write_text("part_id;cn_part1_value;unknown_origin_part1_value;currency;source\n"
                    f"MAG;{value};0;USD;SD-1\n", encoding="utf-8")
    return path


def test_a_canonical_declaration_with_a_decimal_comma_reads_exactly(tmp_path):
    bom = bomcalc.read_workbook(_bom(tmp_path), declarations=str(_canonical_declaration(tmp_path, "0,51")), decimal=",")
    assert bom.declarations.at["MAG", "cn_part1_value"] == Decimal("0.51")


def test_a_canonical_declaration_with_a_comma_is_an_error_without_decimal(tmp_path):
    with pytest.raises(BomDataError) as excinfo:
        bomcalc.read_workbook(_bom(tmp_path), declarations=str(_canonical_declaration(tmp_path, "0,51")))
    _says_pass_decimal(excinfo, "bad_declaration", "declarations.csv")
    (issue,) = [i for i in excinfo.value.issues if i.code == "bad_declaration"]
    assert (issue.row, issue.part_id) == (2, "MAG") and "cn_part1_value" in issue.message


def _supplier_form(tmp_path, value: str) -> Path:
    fields = {"company_name": "Delta Motors", "declaration_id": "DM-1", "declaration_date": "2026-10-01",
              "currency": "USD"}
    row = fixtures.input_row("MAG", "Dy", "metal", value=value, metal="CN")
    return fixtures.write_supplier_declaration(tmp_path / "supplier.xlsx", fields, (), [row])


def test_a_supplier_form_value_with_a_decimal_comma_reads_exactly(tmp_path):
    bom = bomcalc.read_workbook(_bom(tmp_path), declarations=str(_supplier_form(tmp_path, "0,35")), decimal=",")
    assert bom.declarations.at["MAG", "cn_part1_value"] == Decimal("0.35")


def test_a_supplier_form_value_with_a_comma_is_an_error_without_decimal(tmp_path):
    with pytest.raises(BomDataError) as excinfo:
        bomcalc.read_workbook(_bom(tmp_path), declarations=str(_supplier_form(tmp_path, "0,35")))
    _says_pass_decimal(excinfo, "bad_number", "supplier.xlsx")
    (issue,) = [i for i in excinfo.value.issues if i.code == "bad_number"]
    assert (issue.sheet, issue.row) == ("Rare Earth Inputs", 2) and "value per unit" in issue.message


# --- reference prices -------------------------------------------------------------------------


def _priced(tmp_path, price: str) -> tuple[Path, Path]:
    fields = {"company_name": "Delta Motors", "declaration_id": "DM-1", "declaration_date": "2026-10-01",
              "currency": "USD"}
    row = fixtures.input_row("MAG", "Dy", "metal", mass=1, unit="g", metal="CN")
    form = fixtures.write_supplier_declaration(tmp_path / "supplier.xlsx", fields, (), [row])
    prices = tmp_path / "prices.csv"
    prices.write_text(f"element;form;price_per_kg;currency;date;source\nDy;metal;{price};USD;2026-10-01;quote\n",
                      encoding="utf-8")
    return form, prices


def test_a_reference_price_with_a_decimal_comma_reads_exactly(tmp_path):
    form, prices = _priced(tmp_path, "340,5")
    result = _run("check", _bom(tmp_path), "--declarations", form, "--prices", prices, "--decimal", ",",
                 "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    items = {item["part_id"]: item for item in json.loads(result.stdout)["items"]}
    assert items["MAG"]["cn_part1_value"] == "0.3405"  # 1 g at 340.5 USD/kg


def test_a_reference_price_with_a_comma_is_an_error_without_decimal(tmp_path):
    form, prices = _priced(tmp_path, "340,5")
    with pytest.raises(BomDataError) as excinfo:
        bomcalc.read_workbook(_bom(tmp_path), declarations=str(form), prices=str(prices))
    _says_pass_decimal(excinfo, "bad_price", "prices.csv")


# --- sourcing files (mitigate) ----------------------------------------------------------------


def test_sourcing_options_and_volumes_with_a_decimal_comma_read_exactly(tmp_path):
    from bomcalc.io.sourcing import read_sourcing_options, read_volumes

    options = tmp_path / "options.csv"
    options.write_text("part;option;origin;unit_value;source\nMAG;JP magnet;JP;512,5;quote\n", encoding="utf-8")
    volumes = tmp_path / "volumes.csv"
    volumes.write_text("item;annual_volume\nTOP;1,5\n", encoding="utf-8")
    assert [o.unit_value for o in read_sourcing_options(options, decimal=",")] == [Decimal("512.5")]
    assert read_volumes(volumes, decimal=",").as_dict() == {"TOP": Decimal("1.5")}


def test_sourcing_options_that_read_either_way_are_an_error_without_decimal(tmp_path):
    from bomcalc.io.sourcing import read_sourcing_options

    options = tmp_path / "options.csv"
    options.write_text("part;option;origin;unit_value;source\nMAG;JP magnet;JP;512,500;quote\n", encoding="utf-8")
    with pytest.raises(BomDataError) as excinfo:
        read_sourcing_options(options)
    _says_pass_decimal(excinfo, "ambiguous_numbers", "options.csv")
    assert [o.unit_value for o in read_sourcing_options(options, decimal=",")] == [Decimal("512.500")]


def test_mitigate_passes_decimal_to_its_files(tmp_path):
    pytest.importorskip("scipy")
    folder = _bom(tmp_path)
    declarations = _canonical_declaration(tmp_path, "0.6")  # 0.6 of 500 = 0.12%: required
    evaluation = bomcalc.check(folder, bomcalc.ReadOptions(declarations=(str(declarations),)),
                               bomcalc.RuleOptions(as_of="2026-11-11"))
    options = tmp_path / "options.csv"
    options.write_text("part;option;origin;cost_delta;cn_part1_value;source\nMAG;clean;DE;12,5;0;quote\n",
                       encoding="utf-8")
    volumes = tmp_path / "volumes.csv"
    volumes.write_text("item;annual_volume\nTOP;1000\n", encoding="utf-8")
    result = bomcalc.mitigate(evaluation, str(options), str(volumes), decimal=",")
    assert result.annual_cost == Decimal("25000.0")  # 2 magnets a TOP x 1000 TOPs x 12.5


# --- scenario sheets --------------------------------------------------------------------------


def _scenario_sheet(tmp_path) -> Path:
    path = tmp_path / "scenarios.csv"
    path.write_text("scenario;change;part;field;value;cn_part1_value;threshold\n"
                    "declared;declare;MAG;;;0,6;\n"
                    "dearer;set;MAG;unit_value;512,5;;\n"
                    "stricter;threshold;;;;;0,0005\n", encoding="utf-8")
    return path


def test_a_scenario_sheet_with_decimal_commas_reads_exactly(tmp_path):
    declared, dearer, stricter = bomcalc.read_scenarios(_scenario_sheet(tmp_path), decimal=",")
    assert declared.changes[0].cn_part1_value == Decimal("0.6")
    assert dict(dearer.changes[0].values) == {"unit_value": Decimal("512.5")}
    assert stricter.threshold == Decimal("0.0005")


def test_a_scenario_sheet_with_a_comma_is_an_error_without_decimal(tmp_path):
    from bomcalc.core.errors import ScenarioError

    with pytest.raises(ScenarioError) as excinfo:
        bomcalc.read_scenarios(_scenario_sheet(tmp_path))
    message = str(excinfo.value)
    assert "scenarios.csv" in message and "row 2, column cn_part1_value" in message and "--decimal" in message


def test_whatif_passes_decimal_to_a_scenario_sheet(tmp_path):
    sheet = tmp_path / "scenarios.csv"
    sheet.write_text("scenario;change;part;cn_part1_value\ndeclared;declare;MAG;0,6\n", encoding="utf-8")
    result = _run("whatif", _bom(tmp_path), "--scenarios", sheet, "--decimal", ",",
                  "--as-of", "2026-11-11", "--format", "json")
    assert result.exit_code == 0, result.output
    (scenario,) = json.loads(result.stdout)["scenarios"]
    assert scenario["name"] == "declared"
    # 0.6 of 500 = 0.12%: at or over 0.1%, the magnet now needs a licence (it read 0.6, not 6)
    assert [row["status"] for row in scenario["items"] if row["part_id"] == "MAG"] == ["licence_required"]
