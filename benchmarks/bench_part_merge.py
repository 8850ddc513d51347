"""Benchmark: a part named on many rows of an export, its rows merged one after another.

Not part of the test suite. Run:

    python benchmarks/bench_part_merge.py                       # 300,000 rows naming 75,000 parts, 5 runs
    python benchmarks/bench_part_merge.py --rows 300000 --parts 75000 --runs 5
    PYTHONPATH=/tmp/old python benchmarks/bench_part_merge.py   # another version (git archive REV bomcalc | tar -x -C /tmp/old)

Each row gives a part's attributes as a single-sheet export repeats them on every assembly that
holds the part (the same origin, price, currency and unit each time). The rows are merged as the
export reader merges them: each row's cells through ``merge_row`` with the ``settled`` record it
keeps (a version without ``merge_row``: a dict of the row's attributes made and given to
``merge_part``, as its reader did). The figure is processor time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal

from bomcalc.io.part_merge import PART_ATTRIBUTES, merge_part

try:
    from bomcalc.io.part_merge import merge_row
except ImportError:  # a version before merge_row

    def merge_row(parts, part_id, cells, where, issues, settled):
        merge_part(parts, part_id, dict(zip(PART_ATTRIBUTES, map(cells.get, PART_ATTRIBUTES))), where, issues, settled)

    merge_row.__name__ = "merge_part"


def rows_for(rows: int, parts: int, seed: int = 61) -> list[tuple[str, dict]]:
    """``(part_id, attributes)`` of ``rows`` rows naming ``parts`` parts, each part's rows alike."""
    rng = random.Random(seed)
    attributes = {}
    for i in range(parts):
        attributes[f"P{i:06d}"] = dict.fromkeys(PART_ATTRIBUTES) | {
            "description": "purchased part", "origin": rng.choice(["DE", "JP", "CN", "US"]),
            "unit_value": Decimal(rng.randint(1, 50_000)) / 100, "currency": "USD", "uom": "EA"}
    return [(part, dict(attributes[part])) for part in rng.choices(list(attributes), k=rows)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--parts", type=int, default=75_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = rows_for(args.rows, args.parts)
    spent = []
    for _ in range(args.runs):
        parts, issues, settled = {}, [], {}
        start = time.process_time()
        for number, (part, attributes) in enumerate(rows, start=2):
            merge_row(parts, part, attributes, ("export.csv", "export", number), issues, settled)
        spent.append(time.process_time() - start)
        if issues or len(parts) > args.parts:
            raise SystemExit(f"unexpected: {len(issues)} issue(s), {len(parts)} part(s)")
    print(f"{merge_row.__name__} on {args.rows:,} rows of {len(parts):,} parts: median {statistics.median(spent):.2f} s "
          f"processor time (runs {', '.join(f'{s:.2f}' for s in spent)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
