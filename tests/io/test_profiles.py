"""Export profiles and header choice: each test reads a small file with one quirk of a real export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.cli import main
from bomcalc.core.errors import BomDataError, InputFileError
from bomcalc.io.aliases import load_mapping
from bomcalc.io.columns import count_designators
from bomcalc.io.headers import choose_reading
from bomcalc.io.profiles import built_in_profiles
from bomcalc.io.aliases import known_columns


def _csv(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _notes(bom):
    return " | ".join(bom.notes)


# 1. the header row is chosen on evidence ------------------------------------------------------

SYTELINE_LIKE = [
    "Indented BOM report,,,,,",
    ",,,,,",
    "Level,Item,Description,Qty Per,Type,Per",
    "0,TOP,Top assembly,1,Other,Unit",
    "1,MAG,Magnet,2,Material,Unit",
    "2,DY,Dy metal,0.000003,Material,Unit",
    "1,HSG,Housing,1,Material,Unit",
]


def test_a_data_row_holding_material_and_unit_is_not_taken_for_the_header(tmp_path):
    # under the built-in names row 5 claims part_id ("Material") and uom ("Unit"); the real
    # header (row 3) names its part column "Item". Evidence of the rows beneath decides.
    path = _csv(tmp_path, "bom.csv", SYTELINE_LIKE)
    bom = bomcalc.read_workbook(path, profile="generic")
    assert "header row 3 chosen" in _notes(bom)
    assert set(bom.parts.index) == {"TOP", "MAG", "DY", "HSG"}
    assert bom.graph.edges["MAG", "DY"]["qty"] == Decimal("0.000003")
    used = [f for f in bom.row_fates if f.fate == "used"]
    assert len(used) == 4


def test_the_runner_up_header_row_is_named_when_close(tmp_path):
    rows = ["Part Number,Description,Qty", "Part Number,Description,Qty", "A,Top,1", "B,Child,2"]
    mapping = load_mapping(None, "generic")
    _, header = choose_reading([r.split(",") for r in rows], mapping)
    assert header.index == 1  # the second row: rows beneath it read as data
    assert any("row 1 was close" in note for note in header.notes)


# 2. two columns, one meaning: ranks decide, never column order ------------------------------

@pytest.mark.parametrize("profile", [None, "generic"])
@pytest.mark.parametrize("order", ["position first", "material first"])
def test_sap_component_number_outranks_the_item_number_position(tmp_path, order, profile):
    head = ["Explosion level", "Item Number", "Component number", "Object description", "Comp. Qty (BUn)", "BUn"]
    data = [[".1", "0010", "MAG-1", "Magnet", "2", "PC"], ["..2", "0010", "DY-1", "Dy metal", "0.006", "G"],
            [".1", "0020", "HSG-1", "Housing", "1", "PC"]]
    swap = (lambda r: [r[0], r[2], r[1], *r[3:]]) if order == "material first" else (lambda r: r)
    # the title names the list (CS11 and CS12 share their headers; without it the quantity mode is asked for)
    lines = ["Multi-level BOM", "Material: ACT-1 Actuator", "Required qty 1 PC", ""] + [",".join(swap(r)) for r in [head] + data]
    bom = bomcalc.read_workbook(_csv(tmp_path, "cs12.csv", lines), profile=profile)
    assert {"MAG-1", "DY-1", "HSG-1"} <= set(bom.parts.index)
    assert "0010" not in bom.parts.index
    if profile is None:
        assert "profile sap-cs12" in _notes(bom)
        assert "column 'Item Number': the BOM position" in _notes(bom)
    else:
        assert "part_id read from 'Component number' (ranked above 'Item Number')" in _notes(bom)


def test_the_same_header_twice_is_an_error_not_a_guess(tmp_path):
    path = _csv(tmp_path, "bom.csv", ["Level,Part Number,Qty,Part Number", "0,A,1,X", "1,B,2,Y"])
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(path, profile="generic")
    assert [i.code for i in caught.value.issues] == ["ambiguous_column"]


def test_generic_item_is_the_part_number_only_without_a_better_column(tmp_path):
    with_part = bomcalc.read_workbook(_csv(tmp_path, "a.csv", ["Level,Item,Part Number,Qty", "0,1,TOP,1", "1,2,B,2"]), profile="generic")
    assert set(with_part.parts.index) == {"TOP", "B"}
    alone = bomcalc.read_workbook(_csv(tmp_path, "b.csv", ["Level,Item,Qty", "0,TOP,1", "1,B,2"]), profile="generic")
    assert set(alone.parts.index) == {"TOP", "B"}


# 3. alternates that are not alternates --------------------------------------------------------

SYTELINE_HEAD = "Level,Item,Description,Qty Per,UM,Per,Unit Cost,COO,Annex 1,Alt Group,Alt Group Rank"


def _syteline(tmp_path, rank_dy, rank_tb, name="sl.csv"):
    # MAG 2.00 EUR: DY 0.000003 kg x 400 = 0.0012 and TB 0.000001 kg x 1000 = 0.0010
    return _csv(tmp_path, name, [
        SYTELINE_HEAD,
        "0,ACT ,Actuator,1,EA,Unit,,DE,,,",
        "1,MAG ,Magnet,1,EA,Unit,2.00,DE,part2,1,0",
        f"2,DY ,Dy metal,0.000003,KG,Unit,400,CN,part1,1,{rank_dy}",
        f"2,TB ,Tb metal,0.000001,KG,Unit,1000,CN,part1,1,{rank_tb}",
    ])


def _mag(result):
    items = result.items.set_index("part_id")
    return items.at["MAG", "status"], items.at["MAG", "ratio"]


def test_syteline_rank_zero_lines_sharing_a_group_are_both_fitted(tmp_path):
    bom = bomcalc.read_workbook(_syteline(tmp_path, 0, 0))
    assert "profile syteline" in _notes(bom)
    assert "all fitted" in _notes(bom)
    status, ratio = _mag(bomcalc.evaluate(bom))
    assert ratio == Decimal("0.0011")  # (0.0012 + 0.0010) / 2.00, not 0.0006
    assert status == "licence_required"


def test_syteline_members_with_different_ranks_are_alternatives_rank_zero_primary(tmp_path):
    bom = bomcalc.read_workbook(_syteline(tmp_path, 1, 0))
    primary = bomcalc.evaluate(bom, alternates="primary")
    assert _mag(primary) == ("not_required", Decimal("0.0005"))  # TB (rank 0) alone: 0.0010 / 2.00
    conservative = bomcalc.evaluate(bom)
    assert _mag(conservative) == ("not_required", Decimal("0.0006"))  # the worse member: DY


def test_a_group_column_without_ranks_or_probabilities_is_ignored_with_a_note(tmp_path):
    path = _csv(tmp_path, "plm.csv", [
        "Level,Part Number,Description,Qty,UoM,Unit Price,COO,Annex 1,Alt Group",
        "0,ACT,Actuator,1,EA,,DE,,",
        "1,MAG,Magnet,1,EA,2.00,DE,part2,1",
        "2,DY,Dy metal,0.000003,KG,400,CN,part1,1",
        "2,TB,Tb metal,0.000001,KG,1000,CN,part1,1",
    ])
    bom = bomcalc.read_workbook(path)
    assert "read as plain positions" in _notes(bom)
    assert _mag(bomcalc.evaluate(bom)) == ("licence_required", Decimal("0.0011"))


def test_a_profile_may_say_a_group_means_alternatives(tmp_path):
    profile = tmp_path / "ours.toml"
    profile.write_text('name = "ours"\n[layout]\nalternates = "group"\n', encoding="utf-8")
    path = _csv(tmp_path, "plm.csv", [
        "Level,Part Number,Description,Qty,UoM,Unit Price,COO,Annex 1,Alt Group",
        "0,ACT,Actuator,1,EA,,DE,,", "1,MAG,Magnet,1,EA,2.00,DE,part2,1",
        "2,DY,Dy metal,0.000003,KG,400,CN,part1,1", "2,TB,Tb metal,0.000001,KG,1000,CN,part1,1",
    ])
    bom = bomcalc.read_workbook(path, profile=str(profile))
    assert _mag(bomcalc.evaluate(bom)) == ("not_required", Decimal("0.0006"))


# 10. a column can be ignored; a price unit of words is refused --------------------------------

def test_syteline_per_holding_unit_is_not_a_price_unit(tmp_path):
    bom = bomcalc.read_workbook(_syteline(tmp_path, 0, 0))
    assert not [i for i in bom.issues if i.code == "price_unit_not_numeric"]
    assert "'Per'" in _notes(bom)  # named among the ignored columns


PLAIN_PER = ["Level,Part Number,Qty,Unit Price,Per,COO,Annex 1", "0,ACT,1,,Unit,DE,", "1,MAG,1,2.00,Unit,DE,part2",
             "2,DY,0.000003,400,Unit,CN,part1"]


def test_a_price_unit_column_of_words_is_dropped_with_a_warning(tmp_path):
    bom = bomcalc.read_workbook(_csv(tmp_path, "b.csv", PLAIN_PER), profile="generic")
    warned = [i for i in bom.issues if i.code == "price_unit_not_numeric"]
    assert len(warned) == 1 and "'Unit'" in warned[0].message
    assert bom.parts.at["MAG", "unit_value"] == Decimal("2.00")


def test_ignore_in_a_map_file_silences_the_column(tmp_path):
    map_file = tmp_path / "map.toml"
    map_file.write_text('[columns]\nignore = ["Per"]\n', encoding="utf-8")
    bom = bomcalc.read_workbook(_csv(tmp_path, "b.csv", PLAIN_PER), map=str(map_file))
    assert not [i for i in bom.issues if i.code == "price_unit_not_numeric"]
    assert "ignored as the profile or map says: 'Per'" in _notes(bom)


def test_words_among_numeric_price_units_are_errors(tmp_path):
    lines = [PLAIN_PER[0], "0,ACT,1,,,DE,"] + ["1,MAG,1,200,100,DE,part2", "2,DY,0.000003,400,EA,CN,part1"]
    with pytest.raises(BomDataError) as caught:
        bomcalc.read_workbook(_csv(tmp_path, "b.csv", lines), profile="generic")
    bad = [i for i in caught.value.issues if i.code == "bad_price_unit"]
    assert [(i.row, i.part_id) for i in bad] == [(4, "DY")]


# profiles: detection, --profile, fill-down, designators ----------------------------------------

def test_every_shipped_profile_has_several_signature_headers():
    profiles = built_in_profiles(known_columns())
    assert len(profiles) >= 18
    for profile in profiles.values():
        assert profile.min_signature >= 2 and len(profile.signature) >= profile.min_signature, profile.name


def test_unknown_profile_name_lists_the_available_ones(tmp_path):
    path = _csv(tmp_path, "b.csv", SYTELINE_LIKE)
    result = CliRunner().invoke(main, ["validate", str(path), "--profile", "nosuch"])
    assert result.exit_code != 0
    assert "syteline" in result.output and "sap-cs12" in result.output


def test_check_names_the_profile_in_table_and_json(tmp_path):
    path = _syteline(tmp_path, 0, 0)
    table = CliRunner().invoke(main, ["check", str(path)])
    assert "profile syteline: headers" in table.output
    document = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert "profile syteline: headers" in document.output


def test_forced_profile_overrides_detection(tmp_path):
    bom = bomcalc.read_workbook(_syteline(tmp_path, 0, 0), profile="generic")
    assert "profile generic (as given)" in _notes(bom)


def test_odoo_parent_named_once_per_bom_is_filled_down(tmp_path):
    path = _csv(tmp_path, "odoo.csv", [
        "Product,Quantity,BoM Lines/Component,BoM Lines/Quantity,BoM Lines/Product Unit of Measure",
        "ACT,1,MAG,2,Units", ",,HSG,1,Units", "MAG,1,DY,0.000003,kg",
    ])
    bom = bomcalc.read_workbook(path)
    assert "profile odoo" in _notes(bom)
    assert set(bom.graph.edges) == {("ACT", "MAG"), ("ACT", "HSG"), ("MAG", "DY")}


def test_eda_quantity_is_cross_checked_against_designators(tmp_path):
    path = _csv(tmp_path, "kicad.csv", [
        "Assembly: PCB-1 Sensor board", "",
        "Reference,Quantity,Value,Footprint,MPN", '"R1, R2, R3",3,10k,R0603,RC0603-10K',
        '"C1-C4",3,100n,C0603,CL10-100N',
    ])
    bom = bomcalc.read_workbook(path)
    warned = [(i.code, i.part_id) for i in bom.issues if i.code == "designator_count"]
    assert warned == [("designator_count", "CL10-100N")]
    assert bom.graph.edges["PCB-1", "CL10-100N"]["qty"] == Decimal("3")


@pytest.mark.parametrize("cell, count", [("C1, C17, C28", 3), ("R1-R4", 4), ("U1", 1), ("", None), ("R1;R2 R3", 3)])
def test_designators_are_counted(cell, count):
    assert count_designators(cell) == count


def test_a_profile_file_with_an_unknown_column_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\npartnumber = "PN"\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="not a bomcalc column"):
        load_mapping(None, str(bad))


def test_the_structure_carries_the_profile_name_or_the_users_file(tmp_path):
    from bomcalc.io.layouts import read_structure
    from bomcalc.io.sheets import read_sheets
    from bomcalc.core.ledger import RowLedger

    path = _syteline(tmp_path, 0, 0)
    (sheet,) = read_sheets(path)
    structure = read_structure(sheet, load_mapping(None), RowLedger(), [])
    assert structure.profile == "syteline"
    own = tmp_path / "own.toml"
    own.write_text('name = "own"\n[columns]\npart_id = "Item"\nalt_rank = "Alt Group Rank"\n', encoding="utf-8")
    assert read_structure(sheet, load_mapping(None, str(own)), RowLedger(), []).profile == str(own)


def test_the_sheet_with_the_better_header_is_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    for row in [["Description", "Part Number"], ["read me", "see BOM sheet"]]:
        notes.append(row)
    bom = workbook.create_sheet("BOM")
    for row in [["Level", "Part Number", "Description", "Qty"], [0, "TOP", "Top", 1], [1, "B", "Child", 2]]:
        bom.append(row)
    workbook.save(tmp_path / "two.xlsx")
    read = bomcalc.read_workbook(tmp_path / "two.xlsx")
    assert set(read.parts.index) == {"TOP", "B"}


def test_an_audit_pack_keeps_a_users_profile_file(tmp_path):
    import datetime as dt
    import json

    from bomcalc.pack import make_pack, verify_pack

    own = tmp_path / "own.toml"
    own.write_text('name = "own"\nsignature = ["Item", "Qty Per"]\n[columns]\npart_id = "Item"\n'
                   'alt_rank = "Alt Group Rank"\n[layout]\nalternates = "rank"\n', encoding="utf-8")
    pack = make_pack(tmp_path / "pack", _syteline(tmp_path, 0, 0), as_of=dt.date(2026, 11, 11),
                     reading={"profile": str(own)})
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["options"]["reading"]["profile"].startswith("inputs")
    assert verify_pack(pack).ok


@pytest.mark.parametrize("seed", range(4))
def test_column_order_never_changes_what_is_read(tmp_path, seed):
    import random

    # a Windchill-like export with a second part-like column ("Item Number") the profile does not name
    rows = [["Level", "Number", "Name", "Find Number", "Line Number", "Quantity", "Unit", "Item Number"],
                    ["0", "ACT", "Actuator", "", "", "1", "ea", "A-1"], ["1", "MAG", "Magnet", "10", "10", "2", "ea", "A-2"],
                    ["2", "DY", "Dy metal", "10", "10", "0.000006", "kg", "A-3"]]
    order = list(range(len(rows[0])))
    random.Random(seed).shuffle(order)
    shuffled = [[row[i] for i in order] for row in rows]
    path = _csv(tmp_path, "wc.csv", [",".join(r) for r in shuffled])
    bom = bomcalc.read_workbook(path)
    assert set(bom.graph.edges(data="qty")) == {("ACT", "MAG", Decimal("2")), ("MAG", "DY", Decimal("0.000006"))}
