"""What every case of the hostile corpus is built from: a small product, the case registry, writers.

The cases themselves are in :mod:`tests.hostile.corpus_files` (containers, bombs, stray cells,
disguised and truncated files) and :mod:`tests.hostile.corpus_data` (injection, hidden content,
look-alikes, numbers, graph shapes, encodings, outputs and packs).
"""

from __future__ import annotations

from pathlib import Path

from .xlsx_raw import RawSheet, write_xlsx

PARTS_HEADER = ["part_id", "description", "origin", "unit_value", "currency", "annex1"]
BOM_HEADER = ["parent", "child", "qty"]

#: A small product: magnet M (Part 2) with Chinese Dy alloy A; M is licence_required (10/2000 = 0.5%).
PARTS = [
    ["P", "Servo", "JP", 500, "USD", ""],
    ["M", "Magnet", "JP", 2000, "USD", "part2"],
    ["A", "Dy alloy", "CN", 10, "USD", "part1"],
    ["S", "Screw", "DE", 1, "USD", ""],
]
LINES = [["P", "M", 1], ["M", "A", 1], ["P", "S", 4]]

CASES: dict = {}


def case(name: str):
    """Register ``function(folder) -> path`` as the writer of case ``name``."""
    def register(function):
        CASES[name] = function
        return function
    return register


# --- helpers --------------------------------------------------------------------------------


def canonical(parts=PARTS, lines=LINES, **sheet_options) -> list[RawSheet]:
    return [RawSheet("parts", [PARTS_HEADER] + [list(p) for p in parts], **sheet_options.get("parts", {})),
            RawSheet("bom", [BOM_HEADER] + [list(l) for l in lines], **sheet_options.get("bom", {}))]


def xlsx(folder: Path, name: str, sheets: list[RawSheet], **options) -> Path:
    path = folder / name
    write_xlsx(path, sheets, **options)
    return path


def csv_text(rows) -> str:
    out = []
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if any(ch in text for ch in ',"\n\r'):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def csv_folder(folder: Path, name: str, parts=PARTS, lines=LINES, encoding="utf-8",
               parts_header=PARTS_HEADER, bom_header=BOM_HEADER) -> Path:
    path = folder / name
    path.mkdir()
    (path / "parts.csv").write_bytes(csv_text([parts_header] + list(parts)).encode(encoding))
    (path / "bom.csv").write_bytes(csv_text([bom_header] + list(lines)).encode(encoding))
    return path


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def with_description(description: str, part: str = "M"):
    return [[p[0], description if p[0] == part else p[1], *p[2:]] for p in PARTS]
