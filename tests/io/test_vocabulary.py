"""One alias table: every reader that matches headers resolves them through
:data:`bomcalc.io.aliases.VOCABULARY`.

Each test adds a header nobody uses ("Zzz ...") to one column of one table kind for the test's
duration and checks that the reader of that kind of file now recognises it: a reader with a
second, private table of headers would not.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import bomcalc
from bomcalc.io.aliases import VOCABULARY, column_lookup, header_key

_SCRIPT = Path(__file__).parent.parent / "fixtures" / "declarations" / "make_fixtures.py"
_SPEC = importlib.util.spec_from_file_location("declaration_fixtures", _SCRIPT)
fixtures = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fixtures)

KINDS = ("bom", "canonical_parts", "canonical_bom", "declarations", "fx", "units", "options", "volumes",
         "declaration_inputs", "declaration_products", "declaration_fields", "prices", "scenarios", "purchase_list",
         "package_prices", "extended_quantity")
FIELDS = {"company_name": "Delta Motors", "declaration_id": "DM-1", "declaration_date": "2026-10-01", "currency": "USD"}


@pytest.fixture
def alias(monkeypatch):
    """Add ``header`` to the headers of ``column`` in table ``kind`` for this test only."""

    def add(kind: str, column: str, header: str) -> None:
        monkeypatch.setitem(VOCABULARY[kind], column, (*VOCABULARY[kind][column], header))

    return add


def _folder(tmp_path, parts="part_id,origin,unit_value,currency,annex1", bom="parent,child,qty", qty="2",
            fx=None) -> Path:
    """A canonical CSV folder: TOP holds MAG (Part 2, DE, 500 USD)."""
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "parts.csv").write_text(f"{parts}\nTOP,DE,,USD,\nMAG,DE,500,USD,part2\n", encoding="utf-8")
    (folder / "bom.csv").write_text(f"{bom}\nTOP,MAG,{qty}\n", encoding="utf-8")
    return folder


def test_every_table_kind_is_in_the_one_table():
    assert set(KINDS) <= set(VOCABULARY)
    assert bomcalc.io.aliases.ALIASES is VOCABULARY["bom"]  # the README's BOM glossary is a view of it


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "bom"])
def test_no_header_means_two_columns_within_one_kind(kind):
    claimed: dict[str, str] = {}
    for name, headers in VOCABULARY[kind].items():
        for header in (name, *headers):
            assert claimed.setdefault(header_key(header), name) == name, (kind, header)
    assert column_lookup(kind) == claimed


def test_the_bom_reader_uses_the_table(alias, tmp_path):
    alias("bom", "part_id", "Zzz Part")
    (tmp_path / "bom.csv").write_text("Parent,Zzz Part,Quantity,Unit Price,Currency,COO,Annex 1\n"
                                      ",TOP,1,,USD,DE,\nTOP,MAG,2,500,USD,DE,Part 2\n", encoding="utf-8")
    assert set(bomcalc.read_workbook(tmp_path / "bom.csv").parts.index) == {"TOP", "MAG"}


def test_the_canonical_parts_reader_uses_the_table(alias, tmp_path):
    alias("canonical_parts", "origin", "Zzz Origin")
    bom = bomcalc.read_workbook(_folder(tmp_path, parts="part_id,Zzz Origin,unit_value,currency,annex1"))
    assert bom.parts.at["MAG", "origin"] == "DE"


def test_the_canonical_bom_reader_uses_the_table(alias, tmp_path):
    alias("canonical_bom", "qty", "Zzz Qty")
    bom = bomcalc.read_workbook(_folder(tmp_path, bom="parent,child,Zzz Qty", qty="3"))
    assert list(bom.lines["qty"]) == [Decimal(3)]


def test_the_canonical_declarations_reader_uses_the_table(alias, tmp_path):
    alias("declarations", "cn_part1_value", "Zzz CN Value")
    path = tmp_path / "declarations.csv"
    path.write_text("part_id,Zzz CN Value,unknown_origin_part1_value,currency,source\nMAG,0.51,0,USD,SD-1\n",
                    encoding="utf-8")
    bom = bomcalc.read_workbook(_folder(tmp_path), declarations=str(path))
    assert bom.declarations.at["MAG", "cn_part1_value"] == Decimal("0.51")


def test_the_fx_reader_uses_the_table(alias, tmp_path):
    alias("fx", "rate", "Zzz Rate")
    folder = _folder(tmp_path)
    (folder / "parts.csv").write_text("part_id,origin,unit_value,currency,annex1\nTOP,DE,,USD,\nMAG,DE,500,EUR,part2\n",
                                      encoding="utf-8")
    (tmp_path / "fx.csv").write_text("currency,Zzz Rate\nEUR,1.1\n", encoding="utf-8")
    bom = bomcalc.read_workbook(folder, fx=str(tmp_path / "fx.csv"), currency="USD")
    assert bom.parts.at["MAG", "unit_value"] == Decimal("550.0")


def test_the_units_reader_uses_the_table(alias, tmp_path):
    alias("units", "factor", "Zzz Factor")
    folder = _folder(tmp_path, bom="parent,child,qty,uom", qty="2,box")
    (folder / "parts.csv").write_text("part_id,origin,unit_value,currency,annex1,uom\nTOP,DE,,USD,,ea\n"
                                      "MAG,DE,500,USD,part2,ea\n", encoding="utf-8")
    (tmp_path / "units.csv").write_text("unit,base,Zzz Factor\nbox,ea,10\n", encoding="utf-8")
    bom = bomcalc.read_workbook(folder, units=str(tmp_path / "units.csv"))
    assert list(bom.lines["qty"]) == [Decimal(20)]


def test_the_options_reader_uses_the_table(alias, tmp_path):
    from bomcalc.io.sourcing import read_sourcing_options

    alias("options", "option", "Zzz Option")
    (tmp_path / "options.csv").write_text("part,Zzz Option,origin\nMAG,JP magnet,JP\n", encoding="utf-8")
    assert [o.name for o in read_sourcing_options(tmp_path / "options.csv")] == ["JP magnet"]


def test_the_volumes_reader_uses_the_table(alias, tmp_path):
    from bomcalc.io.sourcing import read_volumes

    alias("volumes", "annual_volume", "Zzz Volume")
    (tmp_path / "volumes.csv").write_text("item,Zzz Volume\nTOP,1000\n", encoding="utf-8")
    assert read_volumes(tmp_path / "volumes.csv").as_dict() == {"TOP": Decimal(1000)}


def _supplier_form(tmp_path, sheet: str | None = None, old: str | None = None, new: str | None = None,
                   products=()) -> Path:
    """A supplier form declaring 0.35 USD of China-origin Dy metal in MAG; one header cell renamed."""
    row = fixtures.input_row("MAG", "Dy", "metal", value=0.35, metal="CN")
    path = fixtures.write_supplier_declaration(tmp_path / "supplier.xlsx", FIELDS, products, [row])
    if sheet is not None:
        workbook = openpyxl.load_workbook(path)
        cells = [cell for line in workbook[sheet].iter_rows() for cell in line if cell.value == old]
        assert cells, (sheet, old)
        cells[0].value = new
        workbook.save(path)
    return path


def _declared(tmp_path, form: Path):
    return bomcalc.read_workbook(_folder(tmp_path), declarations=str(form)).declarations


def test_the_supplier_inputs_reader_uses_the_table(alias, tmp_path):
    from bomcalc.io.declaration_form import INPUTS_SHEET, RARE_EARTH_INPUT_COLUMNS

    alias("declaration_inputs", "value_per_unit", "Zzz Value")
    (column,) = [c for c in RARE_EARTH_INPUT_COLUMNS if c.name == "value_per_unit"]
    declared = _declared(tmp_path, _supplier_form(tmp_path, INPUTS_SHEET, column.header, "Zzz Value"))
    assert declared.at["MAG", "cn_part1_value"] == Decimal("0.35")


def test_the_supplier_product_list_reader_uses_the_table(alias, tmp_path):
    from bomcalc.io.declaration_form import PRODUCT_LIST_COLUMNS, PRODUCT_LIST_SHEET

    alias("declaration_products", "customer_part_number", "Zzz Our Part")
    (column,) = [c for c in PRODUCT_LIST_COLUMNS if c.name == "customer_part_number"]
    form = _supplier_form(tmp_path, PRODUCT_LIST_SHEET, column.header, "Zzz Our Part",
                          products=[(None, None, "MAG"), (None, None, "SPARE")])
    _, issues, _ = bomcalc.io.declarations.read_declarations(form, bomcalc.load_rule_pack().part1_items)
    # SPARE is listed with no inputs: only a product list read through the alias says so
    assert [(i.code, i.part_id) for i in issues if i.code == "no_inputs_declared"] == [("no_inputs_declared", "SPARE")]


def test_the_supplier_declaration_fields_reader_uses_the_table(alias, tmp_path):
    from bomcalc.io.declaration_form import DECLARATION_FIELDS, DECLARATION_SHEET

    alias("declaration_fields", "currency", "Zzz Money")
    (field,) = [f for f in DECLARATION_FIELDS if f.name == "currency"]
    form = _supplier_form(tmp_path, DECLARATION_SHEET, field.header, "Zzz Money")
    records, _, _ = bomcalc.io.declarations.read_declarations(form, bomcalc.load_rule_pack().part1_items)
    assert [r.currency for r in records] == ["USD"]  # the value has no currency of its own: the field's


def test_the_price_reader_uses_the_table(alias, tmp_path):
    from bomcalc.io.declarations import read_price_table

    alias("prices", "price_per_kg", "Zzz Per Kilo")
    path = tmp_path / "prices.csv"
    path.write_text("element,form,Zzz Per Kilo,currency,date,source\nDy,metal,340,USD,2026-10-01,quote\n",
                    encoding="utf-8")
    entries, issues = read_price_table(path)
    assert [e.price_per_kg for e in entries] == [Decimal(340)] and issues == []


def test_the_scenario_sheet_reader_uses_the_table(alias, tmp_path):
    alias("scenarios", "cn_part1_value", "Zzz Declared")
    path = tmp_path / "scenarios.csv"
    path.write_text("scenario,change,part,Zzz Declared\ndeclared,declare,MAG,0.6\n", encoding="utf-8")
    (scenario,) = bomcalc.read_scenarios(path)
    assert scenario.changes[0].cn_part1_value == Decimal("0.6")


def test_the_purchase_list_reader_uses_the_table(alias, tmp_path):
    alias("purchase_list", "name", "Zzz Thing")
    alias("bom", "part_id", "Zzz Thing")  # the name column is read as the part id
    (tmp_path / "list.csv").write_text("Zzz Thing,Qty,Unit Price,COO\nResistor,2,0.5,DE\n", encoding="utf-8")
    bom = bomcalc.read_workbook(tmp_path / "list.csv", root="KIT")
    assert "Resistor" in bom.parts.index
    assert any("part ids are the values in column 'Zzz Thing'" in note for note in bom.notes)


def test_the_extended_quantity_headers_are_the_tables(alias, tmp_path):
    alias("bom", "qty", "Zzz Total Qty")
    alias("extended_quantity", "qty", "Zzz Total Qty")
    (tmp_path / "bom.csv").write_text("Level,Part Number,Zzz Total Qty,Unit Price,Currency,COO,Annex 1\n"
                                      "0,TOP,1,,USD,DE,\n1,MAG,2,500,USD,DE,Part 2\n2,DY,6,1,USD,CN,Part 1\n",
                                      encoding="utf-8")
    bom = bomcalc.read_workbook(tmp_path / "bom.csv")
    qty = {(p, c): q for p, c, q in zip(bom.lines["parent"], bom.lines["child"], bom.lines["qty"])}
    assert qty[("MAG", "DY")] == Decimal(3)  # 6 in all over 2 magnets: 3 per magnet, read as extended


def test_the_package_price_headers_are_the_tables(alias, tmp_path):
    from ..conftest import write_workbook

    alias("package_prices", "package_price", "Zzz Box Price")
    write_workbook(tmp_path / "Parts List.xlsx", {"Parts": [["PN", "Name", "Cost", "Pkg QTY", "Zzz Box Price"],
                                                             ["MAG-1", "Magnet", None, 10, 150]]})
    write_workbook(tmp_path / "TR-01.xlsx", {"Truck": [["PN", "QTY"], ["MAG-1", 2]]})
    bom = bomcalc.read_workbook(tmp_path)
    assert bom.parts.loc["MAG-1", "unit_value"] == Decimal(15)  # blank Cost: 150 per package of 10


@pytest.mark.parametrize("header, key", [
    ("Qty 数量", "qty"),  # a bilingual header reads by its ASCII words, as it always has
    ("Währung", "whrung"),
    ("数量", "数量"),  # no ASCII letter or digit: its own letters, so two such headers stay apart
    ("物料编码", "物料编码"),
    ("ＰＮ", "pn"),  # full-width Latin reads as its ASCII letters
    ("（单价）", "单价"),
    ("—", ""),
])
def test_header_keys_by_hand(header, key):
    assert header_key(header) == key


def test_chinese_headers_are_read_through_a_map_file(tmp_path):
    # MAG (JP, 10) holds 0.01 kg Dy (CN, 300/kg) = 3, which is 30% of 10: licence required.
    (tmp_path / "bom.csv").write_text("物料编码,上级物料,数量,单价,原产国,附件1\nTOP,,1,100,DE,\nMAG,TOP,1,10,JP,part2\n"
                                      "DY,MAG,0.01,300,CN,part1\n", encoding="utf-8")
    (tmp_path / "map.toml").write_text('[columns]\npart_id = "物料编码"\nparent = "上级物料"\nqty = "数量"\n'
                                       'unit_value = "单价"\norigin = "原产国"\nannex1 = "附件1"\n', encoding="utf-8")
    result = bomcalc.check(tmp_path / "bom.csv", bomcalc.ReadOptions(map=str(tmp_path / "map.toml")),
                           bomcalc.RuleOptions(as_of="2026-11-11"))
    assert dict(zip(result.items["part_id"], result.items["status"])) == {"MAG": "licence_required", "DY": "licence_required"}
    assert result.items.set_index("part_id").at["MAG", "cn_part1_value"] == Decimal("3")
