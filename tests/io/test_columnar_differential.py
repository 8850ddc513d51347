"""The column paths give what reading every line and cell one by one gives, on every fixture.

Every export and layout fixture, every sample BOM and every case of the hostile corpus (up to a
few MB) is checked twice in one process: with the column paths (:data:`bomcalc.core.column_cells.FAST`
on: cells of a column read at once, BOM lines kept as columns through unit conversion and the
merging of repeated lines) and with every cell and line read one at a time (``FAST`` off). The
JSON of ``check`` (statuses, figures as strings, coverage, row accounts, issues) and of
``validate`` (every row's fate) and the exit code must be the same, for results and for errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.core import column_cells

from ..hostile.make_corpus import make_corpus

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = [path for folder in ("tests/fixtures/exports", "tests/fixtures/layouts", "tests/fixtures/layouts/errors")
            for path in sorted((ROOT / folder).glob("*")) if path.suffix.lower() in (".xlsx", ".xls", ".csv", ".txt", ".ods")]
SAMPLES = sorted((ROOT / "sample_boms").glob("*.xlsx")) + [ROOT / "sample_boms" / "ebike_hub_motor"]
#: Hostile cases larger than this are left to the corpus test (they test limits, not cells).
LARGEST = 4 * 1024 * 1024


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def _both_ways(monkeypatch, args: list[str]) -> tuple[tuple, tuple]:
    """``(exit code, output)`` of the command with the column paths, then one cell at a time."""
    results = []
    for fast in (True, False):
        monkeypatch.setattr(column_cells, "FAST", fast)
        done = CliRunner().invoke(main, args, catch_exceptions=False)
        results.append((done.exit_code, done.output))
    return results[0], results[1]


def _same_both_ways(monkeypatch, path: Path, name: str = "") -> None:
    for args in (["check", str(path), "--as-of", "2026-11-11", "--format", "json"], ["validate", str(path), "--format", "json"]):
        fast, slow = _both_ways(monkeypatch, args)
        assert fast == slow, f"{name or path.name}: {args[0]} with the column paths differs from one cell at a time"


@pytest.mark.parametrize("path", FIXTURES + SAMPLES, ids=lambda p: p.name)
def test_fixtures_and_samples_read_the_same_both_ways(monkeypatch, path):
    _same_both_ways(monkeypatch, path)


def test_the_fixture_list_is_not_empty():
    assert len(FIXTURES) >= 20 and all(path.exists() for path in SAMPLES)


PARTS = """part_id,description,origin,unit_value,currency,uom,annex1
TOP,top,DE,,USD,ea,
SUB,sub,DE,,USD,ea,
MAG,magnet,JP,12.5,USD,ea,part2
DY,dysprosium,CN,340,USD,kg,part1
TB,terbium,CN,1000,USD,kg,part1
SCREW,screw,VN,0.01,USD,ea,
"""
LINES = """parent,child,qty,uom
TOP,SUB,2,
TOP,SCREW,4,
SUB,MAG,1,ea
MAG,DY,0.00025,
MAG,DY,250,mg
MAG,TB,0.10,g
MAG,TB,0.10,g
TOP,SCREW,1.0,
,,,
SUB,MAG,1,
TOP,SUB,3,EA
"""


@pytest.mark.parametrize("extra", ["", "MAG,TB,2,m\n", "SUB,GHOST,1,\nSUB,SCREW,1 kg,\n"], ids=["merged", "units", "messy"])
def test_repeated_and_converted_lines_read_the_same_both_ways(monkeypatch, tmp_path, extra):
    """Lines given twice (in the same and in other units), a blank row, and errors: the same either way."""
    (tmp_path / "parts.csv").write_text(PARTS, encoding="utf-8")
    (tmp_path / "bom.csv").write_text(LINES + extra, encoding="utf-8")
    _same_both_ways(monkeypatch, tmp_path)
    fast, _ = _both_ways(monkeypatch, ["check", str(tmp_path), "--as-of", "2026-11-11", "--format", "json"])
    assert (fast[0] == 0) == (extra == "")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return make_corpus(tmp_path_factory.mktemp("hostile"))


def test_hostile_corpus_reads_the_same_both_ways(monkeypatch, corpus):
    compared = 0
    for name, path in corpus.items():
        path = Path(path)
        if not path.exists() or _size(path) > LARGEST:
            continue
        _same_both_ways(monkeypatch, path, name)
        compared += 1
    assert compared >= 40


def _many_lines(messy: bool) -> str:
    """A bom with 40 lines given two or three times (more than are deleted in place), some in
    other units; with ``messy`` also lines read one cell at a time that repeat clean ones (a
    part id written decomposed, a padded id, a probability), blank rows and rejected lines."""
    rows = ["parent,child,qty,uom,usage_probability"]
    for i in range(40):
        rows += [f"TOP,S{i},1,,", f"TOP,S{i},2,,"] + ([f"TOP,S{i},0.5,EA,"] if i % 4 == 0 else [])
    rows += ["MAG,DY,0.001,,", "MAG,DY,250,mg,", "MAG,DY,0.5,g,", "SUB,MAG,1,,", "TOP,SUB,1,,"]
    if messy:
        rows += ["TOP,MAG-E\u0301,1,,", "TOP,MAG-\u00c9,2,,", " TOP , S1 ,3,,", "TOP,S2,1,,60%", ",,,,",
                 "TOP,GHOST,1,,", "SUB,SUB,1,,", "TOP,S3,-1,,", "TOP,S4,1,m,", ",,,,", "TOP,S5,,,"]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("messy", [False, True], ids=["clean", "messy"])
def test_many_repeated_lines_and_messy_ones_read_the_same_both_ways(monkeypatch, tmp_path, messy):
    parts = PARTS + "".join(f"S{i},screw {i},VN,0.01,USD,ea,\n" for i in range(40)) + "MAG-\u00c9,magnet,JP,3,USD,ea,\n"
    (tmp_path / "parts.csv").write_text(parts, encoding="utf-8")
    (tmp_path / "bom.csv").write_text(_many_lines(messy), encoding="utf-8")
    _same_both_ways(monkeypatch, tmp_path)
    monkeypatch.setattr(column_cells, "FAST", True)
    done = CliRunner().invoke(main, ["validate", str(tmp_path), "--format", "json"])
    assert done.output.count('"duplicate_line"') == 41 + messy  # 40 screws and DY; MAG-É when messy (S1, S2 join theirs)
    assert "line MAG -> DY appears on rows 92, 93, 94; the quantities are summed to 0.001750" in done.output  # kg + mg + g
    if messy:
        assert "line TOP -> S1 appears on rows 5, 6, 99; the quantities are summed to 6" in done.output
        (account,) = [a for a in json.loads(done.output)["accounts"] if a["sheet"] == "bom"]
        assert [account[k] for k in ("read", "used", "merged", "skipped", "rejected")] == [107, 44, 55, 3, 5]


def test_lines_in_a_masters_unit_read_the_same_both_ways(monkeypatch, tmp_path):
    """Lines without a unit whose child's unit comes from a parts master (assumed, warned about),
    given twice, next to lines in a unit: the same either way."""
    import openpyxl

    (tmp_path / "bom.csv").write_text("ITEM NO.,PART NUMBER,DESCRIPTION,QTY.\n1,MAG-A,Magnet,1\n1.1,DY-MET,Dy,0.2\n"
                                      "1.2,DY-MET,Dy,0.3\n1.3,TB-MET,Tb,0.1\n2,MAG-B,Magnet,2\n2.1,DY-MET,Dy,0.4\n",
                                      encoding="utf-8")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Material", "Country of Origin", "Standard price", "Currency", "Base Unit of Measure", "Annex 1"])
    for row in (["MAG-A", "JP", 70, "USD", "EA", "part2"], ["MAG-B", "JP", 50, "USD", "PCS", "part2"],
                ["DY-MET", "CN", 350, "USD", "KG", "part1"], ["TB-MET", "CN", 1000, "USD", "G", "part1"]):
        sheet.append(row)
    workbook.save(tmp_path / "master.xlsx")
    for args in (["check", str(tmp_path / "bom.csv"), "--parts", str(tmp_path / "master.xlsx"), "--root", "MOTOR",
                  "--as-of", "2026-11-11", "--format", "json"],
                 ["validate", str(tmp_path / "bom.csv"), "--parts", str(tmp_path / "master.xlsx"), "--root", "MOTOR",
                  "--format", "json"]):
        fast, slow = _both_ways(monkeypatch, args)
        assert fast == slow
        assert "unit_assumed" in fast[1] and "duplicate_line" in fast[1]
