"""Rows and sheets hidden in Excel are never used without a word: read and named (default), or
skipped with ``--hidden skip`` and counted."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.cli import main
from bomcalc.io.hidden import rows_phrase
from bomcalc.io.sheets import read_sheets
from bomcalc.core.ledger import SKIPPED

from ..conftest import PARTS_HEADER

AS_OF = dt.date(2026, 11, 11)
EXPORT = [
    ["Parent", "Component", "Description", "Quantity", "Cost", "Origin"],
    [None, "TOP", "motor", None, None, "DE"],
    ["TOP", "MAG-1", "magnet", 4, 2, "JP"],
    ["TOP", "BRK-1", "bracket", 2, 1.5, "DE"],
    ["TOP", "OLD-1", "old bracket", 2, 1.5, "DE"],
    ["TOP", "OLD-2", "old screw", 8, 0.1, "DE"],
    ["TOP", "HSG-1", "housing", 1, 10, "DE"],
]


def _export(tmp_path, hidden_rows=(), autofilter=False):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "BOM"
    for row in EXPORT:
        sheet.append(row)
    for row in hidden_rows:
        sheet.row_dimensions[row].hidden = True
    if autofilter:
        sheet.auto_filter.ref = f"A1:F{len(EXPORT)}"
        sheet.auto_filter.add_filter_column(2, ["motor", "magnet", "bracket", "housing"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    return path


def _canonical(tmp_path, declarations_state=None, extra_sheet_state=None):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    sheets = {
        "parts": [PARTS_HEADER, ["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
                  ["MAG", "NdFeB magnet", "JP", 250, "USD", "ea", "part2", False],
                  ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None]],
        "bom": [["parent", "child", "qty"], ["TOP", "MAG", 2], ["MAG", "DY", 0.0015]],
    }
    if declarations_state is not None:
        sheets["declarations"] = [["part_id", "cn_part1_value", "source"], ["MAG", 0, "supplier letter"]]
    if extra_sheet_state is not None:
        sheets["notes"] = [["anything"], ["here"]]
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if declarations_state is not None:
        workbook["declarations"].sheet_state = declarations_state
    if extra_sheet_state is not None:
        workbook["notes"].sheet_state = extra_sheet_state
    path = tmp_path / "canonical.xlsx"
    workbook.save(path)
    return path


def _status(bom, part):
    items = bomcalc.evaluate(bom, as_of=AS_OF).items.set_index("part_id")
    return items.loc[part, "status"]


def test_rows_phrase_joins_runs():
    assert rows_phrase([12, 13, 14, 40]) == "rows 12-14, 40"
    assert rows_phrase([7]) == "row 7"


def test_the_sheet_record_names_hidden_rows_states_and_filters(tmp_path):
    (sheet,) = read_sheets(_export(tmp_path, hidden_rows=(5, 6), autofilter=True))
    assert sheet.hidden_rows == frozenset({5, 6}) and sheet.filtered and sheet.state == "visible"
    (declarations,) = [s for s in read_sheets(_canonical(tmp_path, "veryHidden")) if s.name == "declarations"]
    assert declarations.state == "veryHidden"


def test_hidden_rows_are_read_and_named_in_the_notes_with_a_warning(tmp_path):
    bom = bomcalc.read_workbook(_export(tmp_path, hidden_rows=(5, 6)))
    assert {"OLD-1", "OLD-2"} <= set(bom.parts.index)
    (note,) = [n for n in bom.notes if "hidden in Excel" in n]
    assert "sheet 'BOM'" in note and "rows 5-6 are hidden in Excel and were read" in note
    (issue,) = [i for i in bom.issues if i.code == "hidden_rows"]
    assert (issue.severity, issue.sheet, issue.row) == ("warning", "BOM", 5)


def test_hidden_rows_are_skipped_and_counted_with_hidden_skip(tmp_path):
    bom = bomcalc.read_workbook(_export(tmp_path, hidden_rows=(5, 6)), hidden="skip")
    assert not {"OLD-1", "OLD-2"} & set(bom.parts.index)
    assert {"MAG-1", "BRK-1", "HSG-1"} <= set(bom.parts.index)
    fates = {f.row: (f.fate, f.reason) for f in bom.row_fates if f.sheet == "BOM"}
    assert fates[5] == (SKIPPED, "hidden row") and fates[6] == (SKIPPED, "hidden row")
    assert not [i for i in bom.issues if i.code.startswith("hidden")]
    assert any("rows 5-6 are hidden in Excel and were not read" in n for n in bom.notes)


def test_rows_a_filter_hides_are_named_as_filtered(tmp_path):
    bom = bomcalc.read_workbook(_export(tmp_path, hidden_rows=(5, 6), autofilter=True))
    (note,) = [n for n in bom.notes if "hidden in Excel" in n]
    assert "rows 5-6 are hidden in Excel (the sheet has a filter) and were read" in note


def test_no_hidden_content_no_word(tmp_path):
    bom = bomcalc.read_workbook(_export(tmp_path))
    assert not [n for n in bom.notes if "hidden in Excel" in n]
    assert not [i for i in bom.issues if i.code.startswith("hidden")]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_declarations_sheet_is_named_and_with_hidden_skip_not_used(tmp_path, state):
    # MAG: 0.0015 kg of CN Dy at 340/kg = 0.51 per magnet, 0.204% of 250: licence required,
    # unless the declaration (cn_part1_value 0) on the hidden sheet is used.
    assert _status(bomcalc.read_workbook(_canonical(tmp_path)), "MAG") == "licence_required"
    path = _canonical(tmp_path, declarations_state=state)
    used = bomcalc.read_workbook(path)
    assert _status(used, "MAG") == "not_required"
    words = "very hidden in Excel (visible only to macros)" if state == "veryHidden" else "hidden in Excel"
    (note,) = [n for n in used.notes if "hidden in Excel" in n]
    assert note.startswith(f"{path}: sheet 'declarations' is {words} and was read")
    (issue,) = [i for i in used.issues if i.code == "hidden_sheet"]
    assert (issue.severity, issue.sheet) == ("warning", "declarations")
    skipped = bomcalc.read_workbook(path, hidden="skip")
    assert _status(skipped, "MAG") == "licence_required"
    fates = {f.row: f for f in skipped.row_fates if f.sheet == "declarations"}
    assert set(fates) == {1, 2} and all(f.fate == SKIPPED and "not read (--hidden skip)" in f.reason for f in fates.values())


def test_a_hidden_sheet_no_reader_uses_is_not_worth_a_warning(tmp_path):
    bom = bomcalc.read_workbook(_canonical(tmp_path, extra_sheet_state="hidden"))
    assert not [i for i in bom.issues if i.code.startswith("hidden")]


def test_hidden_skip_from_the_command_line_changes_the_answer_and_validate_warns(tmp_path):
    path = _canonical(tmp_path, declarations_state="hidden")
    runner = CliRunner()
    used = runner.invoke(main, ["check", str(path), "--as-of", "2026-11-11", "--format", "json"])
    skipped = runner.invoke(main, ["check", str(path), "--as-of", "2026-11-11", "--format", "json", "--hidden", "skip"])
    assert used.exit_code == 0 and skipped.exit_code == 0, used.output + skipped.output
    status = {doc: {i["part_id"]: i["status"] for i in json.loads(out.stdout)["items"]}["MAG"]
              for doc, out in (("used", used), ("skipped", skipped))}
    assert status == {"used": "not_required", "skipped": "licence_required"}
    report = runner.invoke(main, ["validate", str(path)])
    assert "hidden in Excel" in report.output


def test_a_hidden_row_of_a_canonical_bom_sheet_is_skipped_and_its_line_not_used(tmp_path):
    path = _canonical(tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook["bom"].row_dimensions[3].hidden = True  # MAG -> DY
    workbook.save(path)
    assert _status(bomcalc.read_workbook(path), "MAG") == "licence_required"
    skipped = bomcalc.read_workbook(path, hidden="skip")
    assert len(skipped.lines) == 1
    # without its one line the magnet has no BOM and no declaration: its content is unknown
    assert _status(skipped, "MAG") == "indeterminate"
    fates = {f.row: (f.fate, f.reason) for f in skipped.row_fates if f.sheet == "bom"}
    assert fates[3] == (SKIPPED, "hidden row")


def test_a_hidden_row_in_one_workbook_of_an_assembly_folder_is_named_or_skipped(tmp_path):
    header = ["PN", "Name", "Description", "Cost", "Item", "Supplier", "Supplier PN", "Pkg QTY", "Pkg Price"]
    books = {"Parts List": [header, ["WHL-1", "Wheel", "wheel", 2.5, 1, None, None, None, None],
                            ["MAG-1", "Magnet", "magnet", 15, 2, None, None, None, None]],
             "TR-01": [["PN", "QTY"], ["WHL-1", 4], ["MAG-1", 2]]}
    for name, rows in books.items():
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        for row in rows:
            sheet.append(row)
        if name == "TR-01":
            sheet.row_dimensions[3].hidden = True  # the magnet line
        workbook.save(tmp_path / f"{name}.xlsx")
    used = bomcalc.read_workbook(tmp_path)
    assert ("TR-01", "MAG-1") in set(used.graph.edges)
    (issue,) = [i for i in used.issues if i.code == "hidden_rows"]
    assert issue.file.endswith("TR-01.xlsx") and issue.row == 3
    skipped = bomcalc.read_workbook(tmp_path, hidden="skip")
    assert ("TR-01", "MAG-1") not in set(skipped.graph.edges)
    fates = {(f.file.rsplit("/", 1)[-1], f.row): (f.fate, f.reason) for f in skipped.row_fates}
    assert fates[("TR-01.xlsx", 3)] == (SKIPPED, "hidden row")


def test_hidden_rows_in_a_parts_master_and_a_declarations_file_are_named(tmp_path):
    master = openpyxl.Workbook()
    sheet = master.active
    for row in [["Material", "Material Description", "Standard price", "Currency", "Country of origin"],
                ["MAG-1", "magnet", 2, "USD", "JP"], ["HSG-1", "housing", 10, "USD", "DE"]]:
        sheet.append(row)
    sheet.row_dimensions[2].hidden = True
    master.save(tmp_path / "master.xlsx")
    declarations = openpyxl.Workbook()
    sheet = declarations.active
    for row in [["part_id", "cn_part1_value", "source"], ["MAG", 0, "letter"]]:
        sheet.append(row)
    sheet.row_dimensions[2].hidden = True
    declarations.save(tmp_path / "decl.xlsx")
    bom = bomcalc.read_workbook(_export(tmp_path), parts=[tmp_path / "master.xlsx"])
    assert [(i.file.rsplit("/", 1)[-1], i.row) for i in bom.issues if i.code == "hidden_rows"] == [("master.xlsx", 2)]
    bom = bomcalc.read_workbook(_canonical(tmp_path), declarations=[tmp_path / "decl.xlsx"])
    assert [(i.file.rsplit("/", 1)[-1], i.row) for i in bom.issues if i.code == "hidden_rows"] == [("decl.xlsx", 2)]
    skipped = bomcalc.read_workbook(_canonical(tmp_path), declarations=[tmp_path / "decl.xlsx"], hidden="skip")
    assert "MAG" not in skipped.declarations.index


def test_the_extent_scan_names_the_sheets_with_hidden_rows_and_only_those_are_parsed(tmp_path):
    from bomcalc.io.xlsx_scan import hidden_rows, scan_sheets

    workbook = openpyxl.Workbook()
    plain, marked, filtered = workbook.active, workbook.create_sheet("marked"), workbook.create_sheet("filtered")
    plain.title = "plain"
    for sheet in (plain, marked, filtered):
        for row in EXPORT:
            sheet.append(row)
    marked.row_dimensions[4].hidden = True
    filtered.auto_filter.ref = "A1:F7"
    path = tmp_path / "three.xlsx"
    workbook.save(path)
    mentioned: set = set()
    scan_sheets(path, ["plain", "marked", "filtered"], mentioned)
    assert mentioned == {"marked", "filtered"}
    by_scan = hidden_rows(path, ["plain", "marked", "filtered"], mentioned)
    assert by_scan == hidden_rows(path, ["plain", "marked", "filtered"]) == {"marked": (frozenset({4}), False)}
    assert hidden_rows(path, ["marked"], set()) == {}  # what the scan did not find is not parsed again


@pytest.mark.parametrize("mark", ['hidden="TRUE"', 'hidden=" 1"', "hidden = 'true' ", 'hidden="True"'])
def test_rows_marked_hidden_in_any_spelling_an_xml_boolean_allows_are_named(tmp_path, mark):
    import zipfile

    plain = _export(tmp_path, hidden_rows=(5, 6))
    path = tmp_path / "respelled.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                assert b'hidden="1"' in data
                data = data.replace(b'hidden="1"', mark.encode())
            target.writestr(item, data)
    (sheet,) = read_sheets(path)
    assert sheet.hidden_rows == frozenset({5, 6})
    bom = bomcalc.read_workbook(path)
    (note,) = [n for n in bom.notes if "hidden in Excel" in n]
    assert "rows 5-6 are hidden in Excel and were read" in note
