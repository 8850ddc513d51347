"""Benchmark: read and evaluate generated BOMs of growing size; report times and ratios.

Not part of the test suite. Run:

    python benchmarks/bench_check.py                 # 10k, 100k lines; CSV folders and .xlsx
    python benchmarks/bench_check.py --lines 10000 --lines 100000 --lines 300000 --no-xlsx

A generated BOM is a DAG: products use modules, modules use sub-assemblies shared between
modules, sub-assemblies use magnets, magnets use Part 1 inputs. Every level shares children
with its siblings, so the number of paths grows far faster than the number of lines; a
roll-up that enumerated paths would not finish.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

import bomcalc

PARTS_HEADER = ["part_id", "description", "origin", "unit_value", "currency", "uom", "annex1", "cn_technology"]


def generate(lines: int, seed: int = 61) -> tuple[list[list], list[list]]:
    """Parts and BOM rows for a DAG with about ``lines`` BOM lines."""
    rng = random.Random(seed)
    parts: list[list] = []
    bom: list[list] = []
    inputs = []
    for i, (name, origin) in enumerate([("DY", "CN"), ("TB", "CN"), ("DYFE", "JP"), ("TBOX", None), ("SM", "CN")]):
        part_id = f"{name}-{i}"
        parts.append([part_id, f"{name} input", origin or "", rng.choice([300, 340, 1000, 420]), "USD", "kg", "part1", False])
        inputs.append(part_id)
    leaves = [f"L{i:06d}" for i in range(max(50, lines // 20))]
    for leaf in leaves:
        parts.append([leaf, "purchased part", rng.choice(["DE", "JP", "US", "CN", "VN"]), round(rng.uniform(0.01, 50), 2), "USD", "ea", None, None])
    magnets = [f"MAG{i:05d}" for i in range(max(10, lines // 200))]
    for magnet in magnets:
        parts.append([magnet, "NdFeB magnet", rng.choice(["JP", "DE", "VN"]), round(rng.uniform(1, 30), 2), "USD", "ea", "part2", False])
        for child in rng.sample(inputs, 2):
            bom.append([magnet, child, round(rng.uniform(0.00001, 0.0005), 6)])
    level_sizes = [max(20, lines // 40), max(10, lines // 400), max(5, lines // 4000)]
    below = magnets + leaves
    for depth, size in enumerate(level_sizes):
        names = [f"A{depth}-{j:05d}" for j in range(size)]
        for name in names:
            parts.append([name, f"assembly level {depth}", "DE", None, "USD", "ea", None, None])
        pool = below
        per_parent = max(2, (lines // len(level_sizes)) // size)
        for name in names:
            for child in rng.sample(pool, min(per_parent, len(pool))):
                bom.append([name, child, rng.randint(1, 4)])
        below = names + rng.sample(leaves, min(len(leaves), 20))
    first_level = [f"A0-{j:05d}" for j in range(level_sizes[0])]
    while len(bom) < lines:
        bom.append([rng.choice(first_level), rng.choice(leaves), 1])
    return parts, bom[:lines]


def write_folder(folder: Path, parts, bom) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "parts.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PARTS_HEADER)
        writer.writerows([["" if c is None else c for c in row] for row in parts])
    with open(folder / "bom.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["parent", "child", "qty"])
        writer.writerows(bom)
    return folder


def write_xlsx(path: Path, parts, bom) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("parts")
    sheet.append(PARTS_HEADER)
    for row in parts:
        sheet.append(row)
    sheet = workbook.create_sheet("bom")
    sheet.append(["parent", "child", "qty"])
    for row in bom:
        sheet.append(row)
    workbook.save(path)
    return path


def write_levels_csv(path: Path, lines: int, seed: int = 62) -> Path:
    """A PLM-style single-sheet export (Level from 0, attributes on every row) of about ``lines`` rows.

    A tree: 0 product, 1 modules, 2 sub-assemblies and magnets, 3 purchased parts and Part 1
    inputs. Every row but the first is one BOM line.
    """
    rng = random.Random(seed)
    rows = [["Level", "Part Number", "Description", "Qty Per", "UoM", "Unit Price", "Currency", "COO", "Annex 1"],
            [0, "PRODUCT", "Product", 1, "EA", "", "USD", "DE", ""]]
    count = 0
    module = 0
    while count < lines:
        module += 1
        rows.append([1, f"M{module:05d}", "Module", rng.randint(1, 3), "EA", "", "USD", "DE", ""])
        count += 1
        for sub in range(20):
            if sub % 5 == 0:
                rows.append([2, f"MAG{module:05d}-{sub:02d}", "NdFeB magnet", rng.randint(1, 8), "EA", round(rng.uniform(1, 30), 2), "USD", "JP", "Part 2"])
                rows.append([3, "DY-MET", "Dy metal", round(rng.uniform(0.00001, 0.0005), 6), "KG", 340, "USD", "CN", "Part 1"])
                count += 2
            else:
                rows.append([2, f"S{module:05d}-{sub:02d}", "Sub-assembly", rng.randint(1, 4), "EA", "", "USD", "DE", ""])
                count += 1
                for leaf in range(3):
                    rows.append([3, f"L{rng.randrange(lines // 10 + 1):06d}", "Purchased part", rng.randint(1, 10), "EA", 1.25, "USD", "VN", ""])
                    count += 1
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def measure(path: Path, repeat: int) -> tuple[float, float, int, int]:
    """Best-of-``repeat`` seconds for reading and for evaluating; numbers of Annex 1 items and parts."""
    best_read = best_eval = float("inf")
    items = parts = 0
    for _ in range(repeat):
        start = time.perf_counter()
        bom = bomcalc.read_workbook(path)
        middle = time.perf_counter()
        result = bomcalc.evaluate(bom, as_of="2026-11-11")
        end = time.perf_counter()
        best_read, best_eval = min(best_read, middle - start), min(best_eval, end - middle)
        items, parts = len(result.items), len(bom.parts)
    return best_read, best_eval, items, parts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, action="append", help="BOM lines (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-xlsx", action="store_true", help="skip the .xlsx variant")
    args = parser.parse_args(argv)
    sizes = args.lines or [10_000, 100_000]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            parts, bom = generate(size)
            variants = [("csv", write_folder(Path(tmp) / f"bom{size}", parts, bom))]
            if not args.no_xlsx:
                variants.append(("xlsx", write_xlsx(Path(tmp) / f"bom{size}.xlsx", parts, bom)))
            variants.append(("levels", write_levels_csv(Path(tmp) / f"levels{size}.csv", size)))
            for kind, path in variants:
                read, evaluate, items, part_count = measure(path, args.repeat)
                rows.append((kind, size, part_count, read, evaluate, items))
                print(f"{kind:6} {size:>8} lines {part_count:>7} parts  read {read:7.3f} s  evaluate {evaluate:7.3f} s  "
                      f"total {read + evaluate:7.3f} s  ({items} Annex 1 items)", flush=True)
    for kind in ("csv", "xlsx", "levels"):
        runs = [r for r in rows if r[0] == kind]
        for small, large in zip(runs, runs[1:]):
            size_ratio = large[1] / small[1]
            print(f"{kind}: {large[1]} / {small[1]} lines = x{size_ratio:.0f}: evaluate x{large[4] / small[4]:.1f}, "
                  f"read+evaluate x{(large[3] + large[4]) / (small[3] + small[4]):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
