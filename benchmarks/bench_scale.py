"""Benchmark: bomcalc at scale against a bare read of the same files, as ratios from one run.

Not part of the test suite. Run (each row can be chosen; the default runs all):

    python benchmarks/bench_scale.py                          # the whole table (minutes)
    python benchmarks/bench_scale.py --rows check-csv --lines 90000
    python benchmarks/bench_scale.py --rows check-csv --lines 900000 --rows check-xlsx --xlsx-lines 90000
    PYTHONPATH=/tmp/old python benchmarks/bench_scale.py  # another version (git archive REV | tar -x -C /tmp/old)

Rows:
  check-csv    `bomcalc check` (read + evaluate) on a CSV folder against pandas ``read_csv`` of the same files
  check-xlsx   the same from one .xlsx workbook against python-calamine reading every sheet
  validate     `bomcalc validate` (read + data-quality account)
  report       `bomcalc report --output` (read, evaluate, write the Excel workbook)
  scenarios    1,000 what-if scenarios on a 10k-line BOM (shared roll-up)
  check-error  `bomcalc check` on the CSV folder of check-csv with one quantity that is not a number:
               the read stops at that error with every row's fate listed
  export       `bomcalc validate` on a single-sheet export (Level from 0, attributes on every row,
               as ``bench_check.write_levels_csv`` writes it) of ``--export-lines`` rows

The generated BOM is a DAG shaped like a machine's: about one part per four lines, ten levels,
sub-assemblies shared between assemblies, magnets holding China-origin Part 1 inputs, some of
unknown origin. Peak memory is the peak resident set (VmHWM) of a child process that runs only
that row, so the rows do not inherit each other's peaks. The check rows and their bare reads are
run ``--repeat`` times in turn: the table shows the median seconds of each, and the median of the
ratios of each pair. Every row times the work on the files, after the libraries it uses were
imported (a child imports nothing else); start-up is given on its own below the table: the import
of bomcalc's command line, of pandas and of python-calamine, each in a fresh process.

bomcalc's modules are byte-compiled first, as pip does when it installs a package: the libraries
of the bare reads were compiled when they were installed, while an editable install run with
PYTHONDONTWRITEBYTECODE set would compile every bomcalc module again in every process (about
0.6 s a start on this machine). ``--no-compile`` measures that case.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LEVELS = 10
INPUTS = [("DY-MET", "CN", 340), ("TB-MET", "CN", 1000), ("DYFE", "JP", 280), ("TB-OX", "", 900), ("SM-MET", "CN", 60)]


def generate(lines: int, seed: int = 61) -> tuple[list[list], list[list]]:
    """Parts and ``parent, child, qty`` rows of a ten-level DAG with ``lines`` BOM lines."""
    rng = random.Random(seed)
    part_count = max(60, lines // 4)
    leaf_count = int(part_count * 0.55)
    magnet_count = max(5, part_count // 50)
    assembly_count = part_count - leaf_count - magnet_count - len(INPUTS)
    # assemblies per level grow towards the leaves: level 0 holds the products
    weights = [2 ** level for level in range(LEVELS - 1)]
    per_level = [max(1, assembly_count * w // sum(weights)) for w in weights]
    parts, bom = [], []
    for part_id, origin, price in INPUTS:
        parts.append([part_id, f"{part_id} input", origin, price, "USD", "kg", "part1", False])
    leaves = [f"L{i:07d}" for i in range(leaf_count)]
    for leaf in leaves:
        parts.append([leaf, "purchased part", rng.choice(["DE", "JP", "US", "CN", "VN"]), round(rng.uniform(0.01, 50), 2),
                      "USD", "ea", None, None])
    magnets = [f"MAG{i:06d}" for i in range(magnet_count)]
    for magnet in magnets:
        parts.append([magnet, "NdFeB magnet", rng.choice(["JP", "DE", "VN"]), round(rng.uniform(1, 30), 2), "USD", "ea",
                      "part2", False])
        for child in rng.sample([name for name, _, _ in INPUTS], 2):
            bom.append([magnet, child, round(rng.uniform(0.00001, 0.0005), 6)])
    levels = [[f"A{level}-{j:06d}" for j in range(size)] for level, size in enumerate(per_level)]
    for level, names in enumerate(levels):
        for name in names:
            parts.append([name, f"assembly level {level}", "DE", None, "USD", "ea", None, None])
    bottom = magnets + leaves
    budget = lines - len(bom)
    assemblies = [name for names in levels for name in names]
    per_assembly = max(2, budget // max(1, len(assemblies)))
    for level, names in enumerate(levels):
        below = levels[level + 1] if level + 1 < len(levels) else bottom
        deeper = bottom
        for index, name in enumerate(names):
            # every part of the level below is used at least once: deal them out, then share at random
            children = below[index::len(names)][:per_assembly]
            while len(children) < per_assembly:
                children.append(rng.choice(below) if rng.random() < 0.8 else rng.choice(deeper))
            for child in dict.fromkeys(children):
                bom.append([name, child, rng.randint(1, 4)])
    products = levels[0]
    while len(bom) < lines:
        bom.append([rng.choice(products), rng.choice(bottom), 1])
    return parts, bom[:lines] if len(bom) > lines else bom


# --- one measurement per child process -------------------------------------------------------

def _child(kind: str, path: str, out: str) -> dict:
    """Run one measurement in this process and return its seconds (and figures).

    The libraries a measurement uses are imported before its clock starts: the rows compare the
    work on the files. Start-up is measured on its own (``import-*`` kinds: the import alone).
    """
    if kind.startswith("import-"):
        start = time.perf_counter()
        importlib.import_module(kind.removeprefix("import-"))
        return {"seconds": time.perf_counter() - start}
    if kind == "bare-csv":
        import pandas as pd

        start = time.perf_counter()
        for name in ("parts.csv", "bom.csv"):
            pd.read_csv(Path(path) / name, dtype=str, keep_default_na=False)
    elif kind == "bare-xlsx":
        from python_calamine import CalamineWorkbook

        start = time.perf_counter()
        book = CalamineWorkbook.from_path(path)
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    elif kind == "check-error":
        import bomcalc
        from bomcalc.core.errors import BomDataError

        start = time.perf_counter()
        try:
            bomcalc.read_workbook(path)
        except BomDataError as exc:
            return {"seconds": time.perf_counter() - start, "fates": len(exc.row_fates)}
        raise SystemExit(f"{path}: read without the error it was given")
    elif kind in ("check", "check-xlsx"):
        import bomcalc

        start = time.perf_counter()
        result = bomcalc.evaluate(bomcalc.read_workbook(path), as_of="2026-11-11")
        return {"seconds": time.perf_counter() - start, "items": len(result.items)}
    elif kind == "validate":
        from bomcalc import api

        start = time.perf_counter()
        api.validate(path)
    elif kind == "report":
        from bomcalc import api

        start = time.perf_counter()
        api.report(path, output=out)
    elif kind == "scenarios":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import datetime as dt

        import bench_whatif

        import bomcalc
        from bomcalc.core.scenarios import compare

        bom = bomcalc.read_workbook(path)
        pack = bomcalc.load_rule_pack()
        day = dt.date(2026, 11, 11)
        baseline = bomcalc.evaluate(bom, as_of=day)
        scenarios = bench_whatif.scenarios_for(bom, 1000)
        start = time.perf_counter()
        comparison = compare(bom, scenarios, pack, day, baseline=baseline)
        comparison.table(), comparison.summary()  # what `bomcalc whatif` writes
    return {"seconds": time.perf_counter() - start}


def peak_mb() -> float:
    """This process's peak resident memory [MB]: VmHWM, which starts afresh at exec (``ru_maxrss``
    would carry the parent's peak over into the child)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, path: Path, out: Path | None = None) -> dict:
    """Seconds and peak resident memory [MB] of one measurement, run in a fresh process.

    The process starts in this folder, not in the caller's: started in a checkout, it would import
    that checkout's bomcalc before one that ``PYTHONPATH`` names (to measure another version)."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[4]); import bench_scale; "
            "r = bench_scale._child(sys.argv[1], sys.argv[2], sys.argv[3]); "
            "r['peak_mb'] = bench_scale.peak_mb(); print(json.dumps(r))")
    done = subprocess.run([sys.executable, "-c", code, kind, str(path), str(out or ""), str(Path(__file__).resolve().parent)],
                          capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parent)
    if done.returncode != 0:
        raise SystemExit(f"{kind} on {path} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_pair(ours: str, bare: str, path: Path, repeat: int) -> tuple[dict, dict]:
    """``ours`` and ``bare`` measured ``repeat`` times each, one right after the other: the median
    seconds of each, the largest peak memory, and (``ours["ratio"]``) the median of the ratios of
    each pair, which a slow spell of a shared machine touches less than the ratio of two medians."""
    runs: dict[str, list[dict]] = {ours: [], bare: []}
    for _ in range(repeat):
        for kind in (ours, bare):
            runs[kind].append(measure(kind, path))
    found = tuple({"seconds": statistics.median(r["seconds"] for r in runs[kind]),
                   "peak_mb": max(r["peak_mb"] for r in runs[kind])} for kind in (ours, bare))
    found[0]["ratio"] = statistics.median(a["seconds"] / b["seconds"] for a, b in zip(runs[ours], runs[bare]))
    return found


def with_bad_quantity(folder: Path, target: Path) -> Path:
    """A copy of a generated folder whose row 501 of bom.csv has ``abc`` for a quantity."""
    target.mkdir()
    shutil.copy(folder / "parts.csv", target / "parts.csv")
    lines = (folder / "bom.csv").read_bytes().split(b"\n")  # the line breaks as written
    parent, child, _ = lines[500].rstrip(b"\r").split(b",")
    lines[500] = parent + b"," + child + b",abc" + (b"\r" if lines[500].endswith(b"\r") else b"")
    (target / "bom.csv").write_bytes(b"\n".join(lines))
    return target


def byte_compile() -> None:
    """Write the bytecode of every bomcalc module (``__pycache__``, ignored by git), as ``pip install`` does."""
    import compileall

    import bomcalc

    compileall.compile_dir(str(Path(bomcalc.__file__).resolve().parent), quiet=1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", action="append",
                        choices=["check-csv", "check-xlsx", "validate", "report", "scenarios", "check-error", "export"])
    parser.add_argument("--lines", type=int, default=900_000, help="lines for check-csv (default 900000)")
    parser.add_argument("--xlsx-lines", type=int, default=90_000, help="lines for check-xlsx (default 90000)")
    parser.add_argument("--validate-lines", type=int, default=200_000)
    parser.add_argument("--report-lines", type=int, default=200_000)
    parser.add_argument("--export-lines", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each check row and its bare read, and of each start-up (default 5)")
    parser.add_argument("--no-compile", action="store_true", help="do not byte-compile bomcalc first (see above)")
    args = parser.parse_args(argv)
    if not args.no_compile:
        byte_compile()
    from bench_check import write_folder, write_levels_csv, write_xlsx  # the same files as the other benchmarks

    rows = args.rows or ["check-csv", "check-xlsx", "validate", "report", "scenarios", "check-error", "export"]
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def folder(lines: int) -> Path:
            target = tmp / f"csv{lines}"
            if not target.exists():
                write_folder(target, *generate(lines))
            return target

        if "check-csv" in rows:
            path = folder(args.lines)
            ours, bare = measure_pair("check", "bare-csv", path, args.repeat)
            table.append((f"`check` on {args.lines:,} lines (CSV)", ours, bare, "pandas `read_csv`"))
        if "check-xlsx" in rows:
            path = write_xlsx(tmp / f"bom{args.xlsx_lines}.xlsx", *generate(args.xlsx_lines))
            ours, bare = measure_pair("check-xlsx", "bare-xlsx", path, args.repeat)
            table.append((f"`check` on {args.xlsx_lines:,} lines (xlsx)", ours, bare, "python-calamine"))
        if "validate" in rows:
            path = folder(args.validate_lines)
            table.append((f"`validate` on {args.validate_lines:,} lines (CSV)", measure("validate", path), None, ""))
        if "report" in rows:
            path = folder(args.report_lines)
            table.append((f"`report --output` on {args.report_lines:,} lines (CSV)",
                          measure("report", path, tmp / "report.xlsx"), None, ""))
        if "scenarios" in rows:
            path = folder(10_000)
            table.append(("1,000 scenarios on 10,000 lines", measure("scenarios", path), None, ""))
        if "check-error" in rows:
            path = with_bad_quantity(folder(args.lines), tmp / f"bad{args.lines}")
            table.append((f"`check` on {args.lines:,} lines (CSV) that stops at one bad quantity",
                          measure("check-error", path), None, ""))
        if "export" in rows:
            path = write_levels_csv(tmp / f"export{args.export_lines}.csv", args.export_lines)
            table.append((f"`validate` on a {args.export_lines:,}-row single-sheet export (CSV)", measure("validate", path), None, ""))
    print("| work | bomcalc | peak memory | bare read of the same files | ratio |")
    print("|---|---|---|---|---|")
    for label, ours, bare, how in table:
        bare_text = f"{how} {bare['seconds']:.2f} s, {bare['peak_mb']:.0f} MB" if bare else ""
        ratio = f"{ours['ratio']:.1f}x (median of {args.repeat} pairs)" if bare else ""
        print(f"| {label} | {ours['seconds']:.2f} s | {ours['peak_mb']:.0f} MB | {bare_text} | {ratio} |")
    startup = {name: statistics.median(measure(f"import-{name}", Path("."))["seconds"] for _ in range(args.repeat))
               for name in ("bomcalc.cli", "pandas", "python_calamine")}
    print("\nStart-up, not in the rows above (median of fresh processes importing only that): "
          + ", ".join(f"`import {name}` {seconds:.2f} s" for name, seconds in startup.items()) + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
