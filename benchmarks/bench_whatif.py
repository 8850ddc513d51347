"""Benchmark: many what-if scenarios on one generated BOM; shared roll-up against full evaluation.

Not part of the test suite. Run:

    python benchmarks/bench_whatif.py                       # 1,000 scenarios on a 10,000-line BOM
    python benchmarks/bench_whatif.py --lines 10000 --scenarios 1000 --full 50

Scenarios change the origin and price of Part 1 inputs and magnets (the procurement
questions); ``--full N`` also times N of them evaluated in full, to give the ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_check  # noqa: E402

import bomcalc  # noqa: E402
from bomcalc.core.scenarios import compare, parse_scenarios  # noqa: E402


def scenarios_for(bom, count: int, seed: int = 70):
    rng = random.Random(seed)
    inputs = [p for p in bom.parts.index if bom.parts.at[p, "annex1"] == "part1"]
    magnets = [p for p in bom.parts.index if bom.parts.at[p, "annex1"] == "part2"]
    entries = []
    for number in range(count):
        part = rng.choice(inputs if number % 2 == 0 else magnets)
        change = {"part": part, "set": {"origin": rng.choice(["JP", "CN", "VN"]), "unit_value": rng.randint(100, 5000) / 10}}
        entries.append({"name": f"scenario {number}", "changes": [change]})
    return parse_scenarios(entries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--scenarios", type=int, default=1_000)
    parser.add_argument("--full", type=int, default=50, help="how many scenarios to also time in full evaluation")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        parts, lines = bench_check.generate(args.lines)
        bom = bomcalc.read_workbook(bench_check.write_folder(Path(tmp) / "bom", parts, lines))
    pack = bomcalc.load_rule_pack()
    day = dt.date(2026, 11, 11)
    baseline = bomcalc.evaluate(bom, as_of=day)
    scenarios = scenarios_for(bom, args.scenarios)
    start = time.perf_counter()
    comparison = compare(bom, scenarios, pack, day, baseline=baseline)
    shared_seconds = time.perf_counter() - start
    methods = comparison.summary()["method"].value_counts().to_dict()
    rows = len(comparison.table())
    print(f"{args.scenarios} scenarios on {args.lines} lines ({len(bom.parts)} parts, {len(baseline.items)} Annex 1 items): "
          f"{shared_seconds:.2f} s ({methods}), {rows} item rows")
    if args.full:
        subset = scenarios[: args.full]
        start = time.perf_counter()
        full = compare(bom, subset, pack, day, baseline=baseline, shared=False)
        full_seconds = time.perf_counter() - start
        per_full = full_seconds / len(subset)
        per_shared = shared_seconds / len(scenarios)
        same = full.table()[["status", "cn_part1_value"]].values.tolist() == \
            comparison.table()[comparison.table()["scenario"].isin([s.name for s in subset])][["status", "cn_part1_value"]].values.tolist()
        print(f"full evaluation: {full_seconds:.2f} s for {len(subset)} ({per_full * 1000:.1f} ms each) against "
              f"{per_shared * 1000:.2f} ms each shared: x{per_full / per_shared:.0f}; identical results: {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
