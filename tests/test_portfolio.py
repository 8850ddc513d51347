"""Portfolios: several products checked in parallel processes, one combined result, in the order given.

Three small generated products, each a CSV folder with a magnet MAG (part2, JP, value 100) holding
China-origin Dy metal at 10 per kg:

* on_line: 0.01 kg of Dy, 0.1 of China-origin content in 100: exactly 0.1%, caught (inclusive line);
* below: 0.0099999 kg, 0.099999 in 100: 0.099999%, just below the line, not required;
* broken: a value 'abc' and a quantity 'x': bad input, reported by its file, no result.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bomcalc.cli import main
from bomcalc.portfolio import product_entries, product_names

PARTS_HEADER = "part_id,description,origin,unit_value,currency,uom,annex1,cn_technology\n"
AS_OF = ["--as-of", "2026-11-11"]


def _product(folder: Path, parts: str, lines: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "parts.csv").write_text(PARTS_HEADER + parts, encoding="utf-8")
    (folder / "bom.csv").write_text("parent,child,qty\n" + lines, encoding="utf-8")
    return folder


def _magnet(folder: Path, dy_kg: str) -> Path:
    return _product(folder, "MAG,magnet,JP,100,USD,ea,part2,\nDY,Dy metal,CN,10,USD,kg,part1,\n", f"MAG,DY,{dy_kg}\n")


@pytest.fixture
def portfolio(tmp_path) -> Path:
    folder = tmp_path / "products"
    _magnet(folder / "on_line", "0.01")
    _magnet(folder / "below", "0.0099999")
    _product(folder / "broken", "MAG,magnet,JP,abc,USD,ea,part2,\n", "MAG,DY,x\n")
    (folder / ".DS_Store").write_text("hidden: not a product")
    return folder


def _run(*args):
    return CliRunner().invoke(main, ["check", *args, *AS_OF])


def _magnet_status(entry: dict) -> tuple[str, str]:
    item = next(i for i in entry["result"]["items"] if i["part_id"] == "MAG")
    return item["status"], item["ratio"]


def test_each_product_is_judged_as_by_hand_and_the_bad_one_is_named(portfolio):
    result = _run(str(portfolio), "--products", "--format", "json", "--jobs", "2")
    assert result.exit_code == 1  # a product was not checked: the run cannot pass
    document = json.loads(result.stdout)
    assert [p["product"] for p in document["products"]] == ["below", "broken", "on_line"]  # sorted entries, hidden left out
    by_name = {p["product"]: p for p in document["products"]}
    assert _magnet_status(by_name["on_line"]) == ("licence_required", "0.001")  # exactly on the line is caught
    assert _magnet_status(by_name["below"]) == ("not_required", "0.00099999")  # just below it is not
    broken = by_name["broken"]
    assert broken["ok"] is False and "result" not in broken and document["failed"] == ["broken"]
    assert {Path(issue["file"]).name for issue in broken["issues"]} == {"parts.csv", "bom.csv"}
    assert any("expected a number, found 'abc'" in issue["message"] for issue in broken["issues"])
    assert "Error: product broken was not checked" in result.stderr and "parts.csv" in result.stderr


@pytest.mark.parametrize("output_format", ["json", "csv", "table"])
def test_one_job_and_two_jobs_give_the_same_output(portfolio, output_format):
    one = _run(str(portfolio), "--products", "--format", output_format, "--jobs", "1")
    two = _run(str(portfolio), "--products", "--format", output_format, "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout and one.stdout


def test_several_bom_arguments_are_a_portfolio_in_argument_order_and_fail_on_spans_them(portfolio):
    below, on_line = str(portfolio / "below"), str(portfolio / "on_line")
    result = _run(on_line, below, "--format", "csv", "--fail-on", "required")
    assert result.exit_code == 3  # on_line needs a licence
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [(r["product"], r["part_id"], r["status"]) for r in rows if r["part_id"] == "MAG"] == \
        [("on_line", "MAG", "licence_required"), ("below", "MAG", "not_required")]
    assert _run(on_line, below, "--fail-on", "never").exit_code == 0
    clean = [str(_product(portfolio.parent / name, "MAG,magnet,JP,100,USD,ea,part2,\nDY,Dy metal,JP,10,USD,kg,part1,\n",
                          "MAG,DY,0.01\n")) for name in ("clean1", "clean2")]
    assert _run(*clean, "--fail-on", "required").exit_code == 0  # no product needs a licence
    assert _run(*clean, on_line, "--fail-on", "required").exit_code == 3  # one does: the portfolio fails


def test_a_failed_product_keeps_a_line_in_the_csv(portfolio):
    result = _run(str(portfolio), "--products", "--format", "csv")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    broken = [r for r in rows if r["product"] == "broken"]
    assert len(broken) == 1 and broken[0]["part_id"] == "" and "data error" in broken[0]["product_error"]


def test_a_folder_alone_is_still_one_bom_never_a_guessed_portfolio(portfolio):
    single = _run(str(portfolio / "on_line"), "--format", "json")
    assert single.exit_code == 0 and "products" not in json.loads(single.stdout)
    assert json.loads(single.stdout)["summary"]["licence_required"] == 2
    folder = _run(str(portfolio), "--format", "json")  # a folder of products without --products: not a BOM
    assert folder.exit_code != 0 and "products" not in json.loads(folder.stdout)
    wrong = _run(str(portfolio), str(portfolio), "--products")
    assert wrong.exit_code == 2 and "--products takes one folder" in wrong.output


def test_product_names_are_shown_escaped_on_a_terminal(tmp_path):
    evil = _magnet(tmp_path / "p" / "m\x1b[2Jx", "0.01")
    plain = _magnet(tmp_path / "p" / "plain", "0.01")
    result = _run(str(evil), str(plain))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "== m\\x1b[2Jx ==" in result.stdout
    assert product_names([evil, plain]) == ["m\x1b[2Jx", "plain"]
    assert product_names(["a/bom.xlsx", "b/bom.xlsx"]) == ["a/bom.xlsx", "b/bom.xlsx"]  # the same name twice: the paths
    assert [p.name for p in product_entries(tmp_path / "p")] == ["m\x1b[2Jx", "plain"]


def test_the_closing_lines_say_which_products_are_incomplete(tmp_path):
    complete = _magnet(tmp_path / "complete", "0.01")
    # the same magnet with Dy of unknown origin: 0 to 0.1%, so the product is incomplete
    unknown = _product(tmp_path / "unknown", "MAG,magnet,JP,100,USD,ea,part2,\nDY,Dy metal,,10,USD,kg,part1,\n", "MAG,DY,0.01\n")
    result = _run(str(complete), str(unknown))
    closing = result.stdout.split("2 product(s):")[1].splitlines()
    assert closing[1].strip() == "complete: 2 licence_required, 0 indeterminate, 0 not_required; complete"
    assert closing[2].strip().startswith("unknown: 0 licence_required, 2 indeterminate, 0 not_required; INCOMPLETE")
