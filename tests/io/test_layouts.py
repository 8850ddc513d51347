"""Real-world BOM layouts: each fixture describes the product of canonical.xlsx and must give
exactly its parts, lines and determination; each error fixture has one quirk, reported where it is."""

from __future__ import annotations

import random
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bomcalc
from bomcalc.core.errors import BomDataError
from bomcalc.core.ledger import SKIPPED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "layouts"
MANIFEST = tomllib.loads((FIXTURES / "layouts.toml").read_text(encoding="utf-8"))
ERRORS = tomllib.loads((FIXTURES / "errors" / "errors.toml").read_text(encoding="utf-8"))
TOP = MANIFEST["top"]
RULE_SKIPS = {"text item", "document item", "do not populate", "text row without a part number"}


def _options(args: list[str], folder: Path) -> dict:
    names = {"--parts": "parts", "--qty-mode": "qty_mode", "--decimal": "decimal", "--map": "map", "--fx": "fx",
             "--declarations": "declarations", "--units": "units", "--currency": "currency", "--root": "root"}
    options: dict = {}
    for flag, value in zip(args[::2], args[1::2]):
        name = names[flag]
        if name in ("parts", "declarations", "map", "fx", "units"):
            value = str(folder / value)
        if name == "qty_mode":
            value = value.replace("-", "_")
        if name in ("parts", "declarations"):
            options.setdefault(name, []).append(value)
        else:
            options[name] = value
    return options


def _shape(bom, drop_top: bool):
    """Parts with their values as numbers, and lines, comparable across layouts."""
    parts = {}
    for part_id, row in bom.parts.iterrows():
        if drop_top and part_id == TOP:
            continue
        value = row["unit_value"]
        parts[part_id] = (row["origin"], value.normalize() if value is not None else None, row["annex1"], row["currency"])
    lines = {
        (parent, child): qty.normalize()
        for parent, child, qty in bom.graph.edges(data="qty")
        if not (drop_top and parent == TOP)
    }
    return parts, lines


@pytest.fixture(scope="module")
def canonical():
    return bomcalc.read_workbook(FIXTURES / "canonical.xlsx")


LAYOUTS = [layout for layout in MANIFEST["layout"] if layout["file"] != "canonical.xlsx"]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout["file"] for layout in LAYOUTS])
def test_layout_reads_as_the_canonical_workbook(layout, canonical):
    bom = bomcalc.read_workbook(FIXTURES / layout["file"], **_options(layout["options"], FIXTURES))
    drop_top = layout["top_in_file"] == "absent"  # no layout is read without its top any more
    if layout["top_in_file"] == "root":  # named by --root: its lines are read, its attributes are not in the file
        bom_parts, bom_lines = _shape(bom, False)
        canonical_parts, canonical_lines = _shape(canonical, False)
        assert bom_lines == canonical_lines
        assert bom_parts[TOP] == (None, None, None, None)
        drop_top = True
    assert _shape(bom, drop_top) == _shape(canonical, drop_top)
    skipped_by_rule = [f for f in bom.row_fates if f.fate == SKIPPED and f.reason in RULE_SKIPS]
    assert len(skipped_by_rule) == layout["expected_skipped"]
    for account in bom.accounts:
        assert account.used + account.merged + account.skipped + account.rejected == account.read


@pytest.mark.parametrize("layout", LAYOUTS, ids=[layout["file"] for layout in LAYOUTS])
def test_layout_gives_the_canonical_determination(layout, canonical):
    bom = bomcalc.read_workbook(FIXTURES / layout["file"], **_options(layout["options"], FIXTURES))

    def answers(b):
        items = bomcalc.evaluate(b, as_of="2026-11-11").items
        return {r.part_id: (r.status, r.reasons, r.cn_part1_value, r.value) for r in items.itertuples()}

    assert answers(bom) == answers(canonical)
    # hand-computed (fixtures README): MAG-R12 0.00015 kg Dy x 380 = 0.057 of 3.20
    assert answers(bom)["MAG-R12"][:3] == ("licence_required", ("de_minimis",), Decimal("0.057"))
    assert answers(bom)["MAG-HS"][0] == "not_required"


def test_sap_extended_quantities_become_per_parent(canonical):
    bom = bomcalc.read_workbook(FIXTURES / "sap_cs12.xlsx", parts=[str(FIXTURES / "sap_material_master.xlsx")])
    # extended for 2 motors: 0.0024 kg Dy under 16 magnets -> 0.00015 kg per magnet
    assert bom.graph.edges["MAG-R12", "DY-MET"]["qty"] == Decimal("0.00015")
    assert any("extended" in note for note in bom.notes)  # detected from the SAP header, and said so


def test_repeated_subassembly_rows_are_merged_not_summed():
    bom = bomcalc.read_workbook(FIXTURES / "plm_levels0.csv")
    merged = [f for f in bom.row_fates if f.fate == "merged"]
    assert merged and all("repeats the structure of FIX-KIT" in f.reason for f in merged)


ERROR_CASES = ERRORS["error"]


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case["code"] for case in ERROR_CASES])
def test_one_quirk_errors_are_reported_where_they_are(case):
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(FIXTURES / "errors" / case["file"], **_options(case["options"], FIXTURES / "errors"))
    found = [issue for issue in caught.value.issues if issue.code == case["code"]]
    assert found, [str(i) for i in caught.value.issues]
    issue = found[0]
    if "part" in case:
        assert issue.part_id == case["part"]
    if case["code"] not in ("ambiguous_numbers", "unmapped_header"):
        assert issue.row == case["row"]
    for row in case.get("rows", []):
        assert str(row) in issue.message or issue.row == row
    for header in case.get("headers_found", []):
        assert header in issue.message
    if "currency" in case:
        assert case["currency"] in issue.message


def test_map_file_names_unknown_headers(tmp_path):
    (tmp_path / "bom.csv").write_text(
        "Stufe;Teil;Benennung;Anzahl;Preis;Land;Anhang\n"
        "0;TOP;Motor;1;;DE;\n"
        "1;MAG;Magnet;2;10,50;JP;part2\n"
        "2;DY;Dysprosium;0,001;350,00;CN;part1\n",
        encoding="utf-8",
    )
    (tmp_path / "map.toml").write_text(
        '[columns]\npart_id = "Teil"\nqty = "Anzahl"\norigin = "Land"\nannex1 = "Anhang"\n', encoding="utf-8"
    )
    with pytest.raises(BomDataError):
        bomcalc.read_workbook(tmp_path / "bom.csv")  # "Teil" is nobody's part number column
    bom = bomcalc.read_workbook(tmp_path / "bom.csv", map=str(tmp_path / "map.toml"))
    assert bom.graph.edges["MAG", "DY"]["qty"] == Decimal("0.001")
    assert bom.parts.at["MAG", "unit_value"] == Decimal("10.50")


def _parent_column_rows():
    text = (FIXTURES / "parent_column.csv").read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    return header, rows


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_shuffling_a_parent_column_file_changes_nothing(tmp_path_factory, rng: random.Random):
    header, rows = _parent_column_rows()
    shuffled = list(rows)
    rng.shuffle(shuffled)
    path = tmp_path_factory.mktemp("shuffled") / "parent_column.csv"
    path.write_text("\n".join([header] + shuffled) + "\n", encoding="utf-8")
    original = bomcalc.read_workbook(FIXTURES / "parent_column.csv")
    again = bomcalc.read_workbook(path)
    assert _shape(again, False) == _shape(original, False)


def test_dnp_rows_are_skipped_and_alternates_and_phantoms_are_read(tmp_path):
    (tmp_path / "pcb.csv").write_text(
        "Level,Part Number,Description,Qty,Unit Price,COO,Annex 1,DNP,AltItemGp,Usage probability,Phantom\n"
        "0,DRV,Drive,1,,DE,,,,,\n"
        "1,KIT,Magnet kit (phantom),1,99,DE,,,,,X\n"
        "2,MAG-A,Magnet A,2,10,JP,part2,,A1,70,\n"
        "3,DY,Dy metal,0.01,300,CN,part1,,,,\n"
        "2,MAG-B,Magnet B,2,12,DE,part2,,A1,30,\n"
        "1,R1,Resistor not fitted,1,0.01,CN,,DNP,,,\n",
        encoding="utf-8",
    )
    bom = bomcalc.read_workbook(tmp_path / "pcb.csv")
    assert "R1" not in bom.parts.index
    assert [f.reason for f in bom.row_fates if f.row == 7] == ["do not populate"]
    assert bom.graph.edges["KIT", "MAG-A"]["alt_group"] == "A1"
    assert bom.graph.edges["KIT", "MAG-B"]["usage_probability"] == Decimal("0.3")
    assert bool(bom.parts.at["KIT", "phantom"]) is True
    rolled = bomcalc.core.rollup.rollup(bom)
    # conservative: only MAG-A (2 x 0.01 x 300 = 6) counts; the phantom's own 99 is not its value
    assert rolled.at["KIT", "cn_part1_value"] == Decimal("6")
    assert rolled.at["KIT", "value"] == Decimal("20")  # the cheaper alternative: 2 x 10


def test_master_and_bom_disagreeing_is_an_error_naming_both_files(tmp_path):
    (tmp_path / "bom.csv").write_text("Level,Part Number,Qty,Unit Price,COO\n0,TOP,1,,DE\n1,MAG,2,10,JP\n", encoding="utf-8")
    (tmp_path / "master.csv").write_text("Material,Standard price,Country of Origin\nMAG,10,CN\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(tmp_path / "bom.csv", parts=[str(tmp_path / "master.csv")])
    (issue,) = [i for i in caught.value.issues if i.code == "conflicting_attributes"]
    assert issue.file.endswith("master.csv") and issue.row == 2 and issue.part_id == "MAG"
    assert "bom.csv" in issue.message and "row 3" in issue.message and "origin" in issue.message


def test_fx_sheet_converts_a_canonical_workbook(tmp_path):
    from ..conftest import PARTS_HEADER, write_workbook

    path = write_workbook(tmp_path / "fx.xlsx", {
        "parts": [PARTS_HEADER, ["MAG", "magnet", "JP", 100, "USD", "ea", "part2", None],
                  ["DY", "Dy", "CN", 300, "EUR", "kg", "part1", None]],
        "bom": [["parent", "child", "qty"], ["MAG", "DY", "0.001"]],
        "fx": [["currency", "rate", "date", "source"], ["EUR", "1.1", "2026-11-02", "ECB reference rate"]],
    })
    with pytest.raises(BomDataError):  # EUR and USD once each: EUR would be the report currency, no USD rate
        bomcalc.read_workbook(path)
    bom = bomcalc.read_workbook(path, currency="USD")
    assert bom.parts.at["DY", "unit_value"] == Decimal("330.0")
    (rate,) = bom.fx_rates
    assert (rate.currency, rate.source, str(rate.date)) == ("EUR", "ECB reference rate", "2026-11-02")


def test_separator_rows_of_list_output_are_skipped_and_counted(tmp_path):
    (tmp_path / "list.txt").write_text(
        "Multi-level BOM list\n"
        "Level\tPart Number\tQty\tUnit Price\tCOO\tAnnex 1\n"
        "-----\t-----------\t---\t----------\t---\t-------\n"
        "0\tTOP\t1\t\tDE\t\n"
        "1\tMAG\t2\t10\tJP\tpart2\n"
        "=====\t===========\t===\t==========\t===\t=======\n"
        "2\tDY\t0.001\t350\tCN\tpart1\n",
        encoding="utf-8",
    )
    bom = bomcalc.read_workbook(tmp_path / "list.txt")
    assert sorted(bom.parts.index) == ["DY", "MAG", "TOP"]
    assert [f.row for f in bom.row_fates if f.reason == "separator row"] == [3, 6]
    assert bom.graph.edges["MAG", "DY"]["qty"] == Decimal("0.001")


@pytest.mark.parametrize("decimal, expected", [(",", Decimal("1.25")), (".", Decimal("1250"))])
def test_decimal_option_also_decides_a_canonical_csv_folder(tmp_path, decimal, expected):
    (tmp_path / "parts.csv").write_text("part_id;unit_value;annex1;origin\nMAG;1,250;part2;JP\nDY;340;part1;CN\n", encoding="utf-8")
    (tmp_path / "bom.csv").write_text("parent;child;qty\nMAG;DY;1\n", encoding="utf-8")
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(tmp_path)
    assert [i.code for i in caught.value.issues] == ["ambiguous_numbers"]
    assert bomcalc.read_workbook(tmp_path, decimal=decimal).parts.at["MAG", "unit_value"] == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(alphabet="ab 1-", max_size=3), st.integers(0, 9)), max_size=6), max_size=12),
       st.lists(st.integers(0, 5), min_size=1, max_size=4, unique=True))
def test_rows_below_the_header_take_each_named_column_and_blank_past_a_short_row(body, positions):
    """Rows as long as the header's columns and rows shorter (a CSV row that stops early) give the
    cell of each named column, blank where the row ends, and the row numbers of the file."""
    from bomcalc.io.aliases import Header
    from bomcalc.io.sheet_rows import RowOutcomes, rows_below_header
    from bomcalc.io.sheets import Sheet

    names = ["part_id", "qty", "description", "origin"][:len(positions)]
    columns = dict(zip(names, positions))
    sheet = Sheet("f.csv", "f", [["header"]] + body, "csv")
    issues: list = []
    data = rows_below_header(sheet, Header(0, columns, ["header"]), RowOutcomes(sheet, issues, bomcalc.core.ledger.RowLedger()))
    expected = [(i + 2, {name: (row[col] if col < len(row) else None) for name, col in columns.items()}) for i, row in enumerate(body)]
    assert [(row, dict(cells)) for row, cells in data] == expected and issues == []
