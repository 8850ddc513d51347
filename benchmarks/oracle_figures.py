"""The brute-force check of the determination, with its figures (not part of the test suite).

Runs the same random small BOMs as ``tests/core/test_rollup_oracle.py`` (hypothesis, derandomised,
so the same BOMs every run) and prints how many BOMs, Part 2 items and assignments of the
unknowns were enumerated, and how many statuses or bounds disagreed with the brute force:

    python benchmarks/oracle_figures.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.core.test_rollup_oracle import BOMS_PER_EXAMPLE, EXAMPLES, _unknowns, cases, mismatches  # noqa: E402

TALLY = {"boms": 0, "part2_items": 0, "assignments": 0, "mismatches": 0, "boms_with_a_mismatch": 0}


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(cases(), min_size=BOMS_PER_EXAMPLE, max_size=BOMS_PER_EXAMPLE))
def _tally(drawn):
    checked, found = mismatches(drawn)
    TALLY["boms"] += len(drawn)
    TALLY["part2_items"] += checked
    for case in drawn:
        TALLY["assignments"] += sum(1 for _ in itertools.product((0, 1), repeat=len(_unknowns(case))))
    TALLY["mismatches"] += len(found)
    TALLY["boms_with_a_mismatch"] += len({line.split(":")[0].split("-")[0] for line in found})


if __name__ == "__main__":
    _tally()
    print(", ".join(f"{name.replace('_', ' ')} {count:,}" for name, count in TALLY.items()))
