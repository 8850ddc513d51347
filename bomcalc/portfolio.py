"""Portfolios: many products checked in parallel processes, one combined result (interface layer,
beside the audit pack: it calls the api for each product).

A portfolio is a list of BOMs, each one product: the BOM arguments of ``bomcalc check BOM1
BOM2 ...``, or with ``--products`` every entry (file or sub-folder) of one folder, in name
order (:func:`product_entries`; hidden entries are left out). A folder given alone without
``--products`` stays one BOM (a CSV folder or a folder of assemblies): bomcalc never guesses.

:func:`check_portfolio` reads and determines each product in a process of its own
(``concurrent.futures.ProcessPoolExecutor``, ``jobs`` at a time; ``jobs=1`` runs them here, one
after another) with the same reading and rule options, and returns a :class:`Portfolio` in the
order the products were given, whatever order the processes finish in. A product whose input
is bad (or whose process fails) is a :class:`ProductResult` with ``error`` set, naming its file;
the others' results stand beside it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .core.coverage import warning_lines
from .core.errors import BomDataError, BomError
from .core.progress import Progress, tell

__all__ = ["ProductResult", "Portfolio", "check_portfolio", "product_entries", "product_names"]


@dataclass(frozen=True)
class ProductResult:
    """One product of a portfolio: its ``product`` name, the ``path`` read, and either its outputs
    (``document``: the JSON result document; ``items``: the CSV items table; ``table``: the text
    table; ``fails``: ``--fail-on`` level -> whether it fails there; ``warnings``: lines for
    standard error) or ``error`` (what went wrong, naming the file) with ``issues`` (the data
    problems as JSON records, when the input had data errors) and ``issue_lines`` (the same as text)."""

    product: str
    path: str
    document: dict | None = None
    items: pd.DataFrame | None = None
    table: str | None = None
    fails: dict | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    issues: tuple[dict, ...] = ()
    issue_lines: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Portfolio:
    """The products' results, in the order the products were given."""

    products: tuple[ProductResult, ...]

    @property
    def failed(self) -> tuple[ProductResult, ...]:
        """The products whose input could not be read or determined."""
        return tuple(p for p in self.products if not p.ok)

    def fails(self, fail_on: str) -> bool:
        """Whether any product fails at the ``--fail-on`` level (:data:`bomcalc.api.FAIL_ON`)."""
        return any(p.fails and p.fails[fail_on] for p in self.products)


def product_entries(folder: str | os.PathLike) -> list[Path]:
    """Every entry (file or sub-folder) of ``folder`` in name order, hidden ones (``.name``) left out: one product each."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BomError(f"{folder}: --products needs a folder whose every entry (file or sub-folder) is one product")
    entries = sorted((entry for entry in folder.iterdir() if not entry.name.startswith(".")), key=lambda p: p.name)
    if not entries:
        raise BomError(f"{folder}: the folder holds no product; put one BOM file or folder per product in it")
    return entries


def product_names(paths) -> list[str]:
    """The name of each product: its file or folder name, or the path as given when two names are the same."""
    names = [Path(path).name or str(path) for path in paths]
    return [name if names.count(name) == 1 else str(path) for name, path in zip(names, paths)]


def check_product(product: str, path: str, reading, rules, with_trail: bool = False) -> ProductResult:
    """Read and determine one product; every failure becomes the result's ``error``, never an exception.

    Runs in a worker process: ``reading`` and ``rules`` are the records of :mod:`bomcalc.api`
    (the rule pack as a file or ``None``), and only plain data comes back.
    """
    from . import api
    from .report.documents import format_table, issue_record, items_table

    try:
        evaluation = api.check(path, reading, rules)
        document = api.check_document(evaluation, with_trail)
        return ProductResult(product, path, document, items_table(evaluation), format_table(evaluation),
                             {level: api.fails(evaluation, level) for level in api.FAIL_ON}, warning_lines(evaluation))
    except BomDataError as exc:
        return ProductResult(product, path, error=str(exc), issues=tuple(issue_record(i) for i in exc.issues),
                             issue_lines=tuple(str(i) for i in exc.issues))
    except BomError as exc:
        return ProductResult(product, path, error=str(exc))
    except OSError as exc:
        from .io.outputs import os_error_message

        return ProductResult(product, path, error=os_error_message(exc, path))
    except Exception as exc:  # a fault of bomcalc on this product: the others still stand
        return ProductResult(product, path, error=f"internal error: {type(exc).__name__}: {exc}. This is a fault in "
                                                  "bomcalc, not in your data; please report it")


def check_portfolio(paths, reading=None, rules=None, *, jobs: int | None = None, names=None, with_trail: bool = False,
                    progress: Progress | None = None) -> Portfolio:
    """Check every BOM of ``paths`` (one product each) with the same options; ``jobs`` processes at a time
    (default: the number of CPUs; 1: one after another in this process).

    ``reading``: a :class:`~bomcalc.io.readers.ReadOptions` record; ``rules``: a
    :class:`~bomcalc.api.RuleOptions` record (its date is fixed once, so every product is judged on
    the same day). ``names``: the products' names (default :func:`product_names`). ``progress``:
    told ``checking products``, one step per product done.
    """
    from .api import RuleOptions, parse_date
    from .io.readers import ReadOptions

    paths = [str(path) for path in paths]
    names = list(names) if names is not None else product_names(paths)
    reading = reading or ReadOptions()
    rules = rules or RuleOptions()
    if rules.rules is not None and rules.rules_file is None:
        raise BomError("a portfolio is checked in several processes, which read the rule pack from its file; give its path")
    rules = replace(rules, as_of=parse_date(rules.as_of))
    jobs = max(1, jobs or os.cpu_count() or 1)
    results: list[ProductResult | None] = [None] * len(paths)
    tell(progress, "checking products", 0, len(paths))
    if jobs == 1 or len(paths) == 1:
        for index, (name, path) in enumerate(zip(names, paths)):
            results[index] = check_product(name, path, reading, rules, with_trail)
            tell(progress, "checking products", index + 1, len(paths))
        return Portfolio(tuple(results))
    done = 0
    context = multiprocessing.get_context("spawn")  # a fresh interpreter per worker: no state shared by fork
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=context) as pool:
        futures = {pool.submit(check_product, name, path, reading, rules, with_trail): index
                   for index, (name, path) in enumerate(zip(names, paths))}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except BrokenProcessPool:
                results[index] = ProductResult(names[index], paths[index], error="the process checking it stopped "
                                               "(out of memory?); check this product alone, or with fewer --jobs")
            done += 1
            tell(progress, "checking products", done, len(paths))
    return Portfolio(tuple(results))
