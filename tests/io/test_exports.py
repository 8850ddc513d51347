"""Every export-profile fixture, read through the CLI, gives its hand-computed determination."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from bomcalc.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "exports"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))


def _check(entry: dict) -> dict:
    options = [str(FIXTURES / o) if (FIXTURES / o).is_file() else o for o in entry["options"]]
    result = CliRunner().invoke(main, ["check", str(FIXTURES / entry["file"]), "--format", "json",
                                       "--as-of", EXPECTED["as_of"], *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _same(found: str | None, expected: str) -> bool:
    if "/" in expected:  # a ratio without a finite decimal: exact to the 28 digits computed
        return abs(Fraction(Decimal(found)) - Fraction(expected)) < Fraction(1, 10**25)
    return Decimal(found) == Decimal(expected)


@pytest.mark.parametrize("entry", EXPECTED["fixture"], ids=[e["file"] for e in EXPECTED["fixture"]])
def test_export_fixture_gives_its_hand_computed_determination(entry):
    document = _check(entry)
    assert any(note.split(": ", 1)[-1].startswith(f"profile {entry['profile']}:") for note in document["reading_notes"]), \
        document["reading_notes"]
    items = {item["part_id"]: item for item in document["items"]}
    codes = {issue["code"] for issue in document["issues"]}
    for part_id, expected in entry["items"].items():
        item = items[part_id]
        assert item["status"] == expected["status"], part_id
        for key in ("cn_part1_value", "value", "ratio"):
            if key in expected:
                assert _same(item[key], expected[key]), (part_id, key, item[key])
        assert set(expected.get("warnings", ())) <= codes
    assert not [i for i in document["issues"] if i["severity"] == "error"]


def test_the_generator_is_deterministic(tmp_path):
    import runpy

    script = runpy.run_path(str(FIXTURES / "make_exports.py"))
    script["HERE"] = tmp_path
    for name in ("kicad.csv", "purchase_list.csv", "odoo.csv", "sap_cs12_text.xls"):
        assert (FIXTURES / name).exists()
    text_writers = {"kicad.csv": "eda", "purchase_list.csv": "purchase_list", "odoo.csv": "odoo", "sap_cs12_text.xls": "sap_text"}
    for name, function in text_writers.items():
        script[function].__globals__["HERE"] = tmp_path
        script[function]()
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name
