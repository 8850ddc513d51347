"""Blank templates: written with openpyxl, read back with the readers users' files go through."""

from __future__ import annotations

import openpyxl
import pytest
import python_calamine

import bomcalc
from bomcalc.io.declarations import read_declarations
from bomcalc.io.templates import (
    BOM_TEMPLATE,
    DECLARATION_FIELDS,
    PRODUCT_LIST_COLUMNS,
    RARE_EARTH_INPUT_COLUMNS,
    write_bom_template,
    write_declaration_template,
)


def sheet_rows(path) -> dict[str, list[list]]:
    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def validations(sheet) -> dict[str, str]:
    """``{first cell of the range: formula}`` of a sheet's data validations."""
    out = {}
    for rule in sheet.data_validations.dataValidation:
        first = str(rule.sqref).split(":")[0]
        out[first] = rule.formula1
    return out


@pytest.fixture(scope="module")
def bom_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("templates") / "bom_template.xlsx"
    write_bom_template(path)
    return path


@pytest.fixture(scope="module")
def declaration_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("templates") / "declaration_template.xlsx"
    write_declaration_template(path)
    return path


def test_bom_template_has_the_canonical_sheets_and_headers(bom_template):
    rows = sheet_rows(bom_template)
    assert list(rows) == ["parts", "bom", "declarations", "fx", "instructions"]
    assert rows["parts"] == [
        ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology", "us_controlled"]
    ]
    assert rows["bom"] == [["parent", "child", "qty", "uom"]]
    assert rows["declarations"] == [["part_id", "cn_part1_value", "unknown_origin_part1_value", "currency", "source"]]
    assert rows["fx"] == [["currency", "rate", "date", "source"]]


def test_bom_template_instructions_explain_every_column(bom_template):
    rows = sheet_rows(bom_template)["instructions"]
    assert rows[0] == ["sheet", "column", "required", "meaning", "units and allowed values", "example"]
    explained = {(row[0], row[1]) for row in rows[1:] if len(row) > 3 and row[3]}
    for sheet, columns in BOM_TEMPLATE.items():
        for column in columns:
            assert (sheet, column.name) in explained
    assert any("no example rows" in str(cell) for row in rows for cell in row)


def test_bom_template_headers_are_bold_frozen_and_wide_enough(bom_template):
    workbook = openpyxl.load_workbook(bom_template)
    for name in BOM_TEMPLATE:
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 12


def test_bom_template_offers_lists_for_annex1_and_cn_technology(bom_template):
    workbook = openpyxl.load_workbook(bom_template)
    parts = validations(workbook["parts"])
    assert parts["G2"] == '"part1,part2"'
    assert parts["H2"] == '"TRUE,FALSE"'
    assert "D2" in parts  # unit_value: a number, 0 or more
    assert "C2" in validations(workbook["bom"])  # qty: a number greater than 0


def test_blank_bom_template_loads_as_an_empty_bom(bom_template):
    bom = bomcalc.read_workbook(bom_template)
    assert len(bom.parts) == 0
    assert len(bom.lines) == 0
    assert [issue for issue in bom.issues if issue.severity == "error"] == []


def test_blank_bom_template_holds_no_declarations(bom_template):
    records, issues, accounts = read_declarations(bom_template, bomcalc.load_rule_pack().part1_items)
    assert records == []
    assert issues == []
    assert [(a.sheet, a.read) for a in accounts] == [("declarations", 0)]


def test_declaration_template_has_its_sheets_and_headers(declaration_template):
    rows = sheet_rows(declaration_template)
    assert list(rows) == ["Declaration", "Product List", "Rare Earth Inputs", "Instructions"]
    assert rows["Declaration"][0] == ["Field", "Value", "How to fill in"]
    assert [row[0] for row in rows["Declaration"][1:]] == [
        "Company name",
        "Declaration scope",
        "Declaration date",
        "Declaration ID",
        "Contact name",
        "Contact email",
        "Authorised by",
        "Currency of values",
    ]
    assert rows["Product List"] == [
        ["Supplier product number", "Supplier product name", "Customer part number", "Country of origin", "Comments"]
    ]
    assert rows["Rare Earth Inputs"] == [
        [
            "Customer part number",
            "Element",
            "Form",
            "Alloy name",
            "Mass per unit of product",
            "Mass unit",
            "Value per unit of product",
            "Currency",
            "Country of mining",
            "Country of separation",
            "Country of metal or alloy production",
            "Country of magnet production",
            "Produced with Chinese rare-earth technology",
            "Evidence",
        ]
    ]


def test_declaration_template_instructions_explain_every_field_and_column(declaration_template):
    rows = sheet_rows(declaration_template)["Instructions"]
    explained = {(row[0], row[1]) for row in rows[1:] if len(row) > 3 and row[3]}
    for sheet, columns in (
        ("Declaration", DECLARATION_FIELDS),
        ("Product List", PRODUCT_LIST_COLUMNS),
        ("Rare Earth Inputs", RARE_EARTH_INPUT_COLUMNS),
    ):
        for column in columns:
            assert (sheet, column.header) in explained


def test_declaration_template_offers_lists_where_answers_are_fixed(declaration_template):
    workbook = openpyxl.load_workbook(declaration_template)
    inputs = validations(workbook["Rare Earth Inputs"])
    assert inputs["C2"] == '"metal,oxide,alloy,magnet,other"'
    assert inputs["F2"] == '"g,kg,mg"'
    assert inputs["M2"] == '"yes,no,unknown"'
    assert inputs["B2"].startswith('"Sm,Dy,Gd,Tb,Lu,Sc,Y,Nd,Pr,Ho')
    assert "Tb-Dy-Fe" in inputs["D2"]
    assert validations(workbook["Declaration"])["B3"] == '"Product list,Company-wide"'
    for name in ("Declaration", "Product List", "Rare Earth Inputs", "Instructions"):
        assert workbook[name].freeze_panes == "A2"
        assert workbook[name]["A1"].font.bold


def test_blank_declaration_template_reads_as_no_declaration(declaration_template):
    records, issues, accounts = read_declarations(declaration_template, bomcalc.load_rule_pack().part1_items)
    assert records == []
    assert {issue.severity for issue in issues} == {"warning"}  # no company name yet
    assert {a.sheet: (a.read, a.used) for a in accounts} == {
        "Declaration": (8, 0),
        "Product List": (0, 0),
        "Rare Earth Inputs": (0, 0),
    }


def test_template_is_written_whole_into_an_existing_folder_only(tmp_path):
    with pytest.raises(bomcalc.InputFileError):
        write_bom_template(tmp_path / "missing" / "template.xlsx")
    assert not (tmp_path / "missing").exists()
