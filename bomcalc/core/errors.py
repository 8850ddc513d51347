"""Errors and data-problem records (core layer).

Two kinds of failure, kept apart:

* problems in the user's data are :class:`DataIssue` records, collected across a whole input
  and reported together;
* states bomcalc cannot go on from raise a :class:`BomError` subclass. The CLI catches
  ``BomError`` once and prints a clear message, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ledger import RowFates

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class DataIssue:
    """One problem found in the user's data.

    ``severity`` is ``"error"`` (no result can be given) or ``"warning"`` (the result stands,
    read it with this in mind). ``code`` is a stable machine-readable name such as
    ``"duplicate_part"``. ``file``, ``sheet``, ``row`` (the spreadsheet's own row number,
    header = 1) and ``part_id`` say where, when known; ``message`` says what and how to fix it.
    """

    severity: str
    code: str
    message: str
    sheet: str | None = None
    row: int | None = None
    part_id: str | None = None
    file: str | None = None

    def location(self) -> str:
        """Where the problem is, as ``file, sheet 'bom' row 12, part 'X'``."""
        bits = []
        if self.file:
            bits.append(self.file)
        if self.sheet:
            bits.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            bits.append(f"row {self.row}")
        if self.part_id is not None:
            bits.append(f"part '{self.part_id}'")
        return ", ".join(bits)

    def __str__(self) -> str:
        where = self.location()
        return f"{self.severity}: {where}: {self.message}" if where else f"{self.severity}: {self.message}"


class BomError(Exception):
    """Base of every error bomcalc raises on purpose."""


class BomDataError(BomError):
    """The input has data problems of severity ``error``; all of them are in ``issues``."""

    def __init__(self, issues: list[DataIssue], source: str | None = None, accounts=(), row_fates=()):
        self.issues = list(issues)
        self.source = source
        self.accounts = tuple(accounts)
        self.row_fates = row_fates if isinstance(row_fates, RowFates) else tuple(row_fates)  # RowFates: made when read
        errors = [issue for issue in self.issues if issue.severity == ERROR]
        super().__init__(f"{len(errors)} data error(s){_where(source, errors)}; no result was produced")


def _where(source: str | None, errors: list[DataIssue]) -> str:
    """`` in bom.csv``, or the files the errors are in when some are in a file read with it."""
    if not source:
        return ""
    folder = source.rstrip("/\\") + "/"

    def own(file):
        return file in (None, source) or str(file).startswith(folder)

    others = sorted({str(issue.file) for issue in errors if not own(issue.file)})
    if not others:
        return f" in {source}"
    if any(own(issue.file) for issue in errors):
        return f" in {source} and {', '.join(others)}"
    return f" in {', '.join(others)} (read with {source})"


class CycleError(BomDataError):
    """The BOM contains a cycle: a part is, through some path, a component of itself."""


class InputFileError(BomError):
    """An input file cannot be read at all (missing, unreadable, wrong format)."""


class RulePackError(BomError):
    """A rule-pack file is missing, malformed or inconsistent."""


class ScenarioError(BomError):
    """A what-if scenario names something that does not exist or is malformed."""
