"""Sheets of an xlsx workbook built while the next one is still being measured (I/O layer).

python-calamine releases the interpreter lock while it builds a sheet, so one background thread
builds each sheet as soon as :func:`bomcalc.io.xlsx_scan.scan_sheets` has found it within the
reading limits, while the scan goes on with the next sheet. Nothing else touches the workbook
while a build runs (a python-calamine workbook is not to be shared between threads), a sheet is
never built before it is measured, and an error of a build is raised only when its rows are
asked for, after every sheet was measured: the same errors, in the same order, as one sheet
after the other.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor


class SheetBuilds:
    """The builds of one workbook's sheets, in one background thread; use it as a context manager."""

    def __init__(self, workbook):
        self._workbook = workbook
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bomcalc-sheet")
        self._builds: dict[str, Future] = {}

    def start(self, name: str) -> None:
        """Begin building sheet ``name`` (measured and found within the limits), unless begun already."""
        if name not in self._builds:
            self._builds[name] = self._pool.submit(self._build, name)

    def rows(self, name: str) -> list[list]:
        """The cells of sheet ``name`` as rows, built now if they were not begun."""
        self.start(name)
        return self._builds[name].result()

    def _build(self, name: str) -> list[list]:
        return self._workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)

    def __enter__(self) -> "SheetBuilds":
        return self

    def __exit__(self, *exc) -> None:
        # a build under way ends (it was measured: it is within the limits); one not begun never begins
        self._pool.shutdown(wait=True, cancel_futures=True)
