"""Shared fixtures: BOMs built inline from tuples, and small files written on the fly."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

import bomcalc

PART_KEYS = ("part_id", "annex1", "origin", "unit_value")


def parts_from_tuples(parts):
    """``(part_id, annex1, origin, unit_value[, extra dict])`` tuples to part records."""
    records = []
    for entry in parts:
        record = dict(zip(PART_KEYS, entry[:4]))
        if len(entry) > 4:
            record.update(entry[4])
        record.setdefault("currency", "USD")
        records.append(record)
    return records


@pytest.fixture
def make_bom():
    """Build a Bom from part tuples, ``(parent, child, qty)`` lines and declaration dicts."""

    def factory(parts, lines=(), declarations=None):
        return bomcalc.bom_from_records(parts_from_tuples(parts), list(lines), declarations)

    return factory


@pytest.fixture
def judge(make_bom):
    """Evaluate an inline BOM and return ``{part_id: item row}``."""

    def factory(parts, lines=(), declarations=None, as_of=dt.date(2026, 11, 11), **options):
        result = bomcalc.evaluate(make_bom(parts, lines, declarations), as_of=as_of, **options)
        return {row["part_id"]: row for _, row in result.items.iterrows()}

    return factory


def write_workbook(path, sheets: dict[str, list[list]]):
    """Write ``{sheet name: rows}`` to an .xlsx file; the first row is the header."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


PARTS_HEADER = ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology"]


@pytest.fixture
def small_workbook(tmp_path):
    """A valid four-part workbook: magnet MAG (part2, JP, 250) with 0.0015 kg CN Dy at 340/kg."""

    def factory(parts=None, bom=None, declarations=None, name="small.xlsx"):
        sheets = {
            "parts": [PARTS_HEADER]
            + (
                parts
                if parts is not None
                else [
                    ["TOP", "Actuator", "DE", None, "USD", "ea", None, None],
                    ["MAG", "NdFeB magnet", "JP", 250, "USD", "ea", "part2", False],
                    ["DY", "Dysprosium metal", "CN", 340, "USD", "kg", "part1", None],
                    ["HSG", "Housing", "DE", 40, "USD", "ea", None, None],
                ]
            ),
            "bom": [["parent", "child", "qty"]]
            + (bom if bom is not None else [["TOP", "MAG", 2], ["TOP", "HSG", 1], ["MAG", "DY", 0.0015]]),
        }
        if declarations is not None:
            sheets["declarations"] = [["part_id", "cn_part1_value", "unknown_origin_part1_value", "source"]] + declarations
        return write_workbook(tmp_path / name, sheets)

    return factory
