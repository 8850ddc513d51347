"""Benchmark: processor time of each stage of `bomcalc check` on one folder or file.

Not part of the test suite. Processor time (user + system of this process) is far less
disturbed than wall-clock time by other work on the machine. Each stage's function is wrapped
with a timer; nothing is profiled, so the figures are those of a plain run. Run:

    python benchmarks/bench_stages.py FOLDER                  # e.g. a folder bench_scale.py generates
    python benchmarks/bench_stages.py --generate 900000 /tmp/bom900k   # write that folder first

A stage called more than once (one call per file) is summed.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: (module, function, label) of every stage timed, in the order they run.
STAGES = (
    ("bomcalc.io.sniff", "read_text_table", "CSV read and split into rows"),
    ("bomcalc.io.readers", "table_from_rows", "table and number text"),
    ("bomcalc.io.layouts", "_read_rows", "export: rows read, numbers parsed, rows skipped"),
    ("bomcalc.io.layouts", "rows_below_header", "export: of which rows as dicts"),
    ("bomcalc.io.layouts", "sheet_number_style", "export: of which number style"),
    ("bomcalc.io.layouts", "_parent_indices", "export: hierarchy"),
    ("bomcalc.io.layouts", "_merge_occurrences", "export: parts merged, lines made"),
    ("bomcalc.io.readers", "_structure_tables", "export: parts and lines tables"),
    ("bomcalc.core.tables", "parse_parts", "parse_parts"),
    ("bomcalc.core.model", "_checked_lines", "lines parse, convert, merge"),
    ("bomcalc.core.line_columns", "convert_line_units", "of which lines in their child's unit"),
    ("bomcalc.core.model", "_frames", "parts and lines frames"),
    ("bomcalc.core.graph", "order_lines", "order_lines"),
    ("bomcalc.core.arrays", "compile_arrays", "compile_arrays"),
    ("bomcalc.report.documents", "format_table", "text table"),
)


def processor_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def wrap_stages(spent: collections.Counter) -> None:
    """Replace each stage's function, wherever a bomcalc module holds it, by one that times it."""
    import bomcalc.cli  # noqa: F401 (every module that holds a stage is loaded)

    for module, name, label in STAGES:
        original = getattr(importlib.import_module(module), name)

        def timed(*args, _function=original, _label=label, **kwargs):
            start = processor_seconds()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[_label] += processor_seconds() - start

        for loaded in list(sys.modules.values()):
            if getattr(loaded, "__name__", "").startswith("bomcalc") and getattr(loaded, name, None) is original:
                setattr(loaded, name, timed)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--generate", type=int, metavar="LINES", help="first write a generated folder of LINES lines")
    parser.add_argument("--as-of", default="2026-11-11")
    args = parser.parse_args(argv)
    if args.generate:
        from bench_check import write_folder
        from bench_scale import generate

        write_folder(args.path, *generate(args.generate))
    spent: collections.Counter = collections.Counter()
    wrap_stages(spent)
    from bomcalc.cli import main as cli

    start = processor_seconds()
    try:
        cli(["check", str(args.path), "--as-of", args.as_of], standalone_mode=False)
    except SystemExit:
        pass
    total = processor_seconds() - start
    print("\n| stage | processor time |\n|---|---|", file=sys.stderr)
    for _, _, label in STAGES:
        print(f"| {label} | {spent[label]:.2f} s |", file=sys.stderr)
    print(f"| everything after import | {total:.2f} s |", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
