"""Declaration files and sheets: finding headers and bodies, row accounts, and settling two declarations of one part."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import ERROR, DataIssue, InputFileError
from ...core.ledger import RowLedger
from ...core.values import is_blank
from ..aliases import header_key
from ..sheets import Sheet
from .records import DeclarationRecord, FILE_SUFFIXES, FOLDER_SUFFIXES

# --- Files, sheets, row accounts ------------------------------------------------------------


def declaration_files(path: Path) -> list[Path]:
    """The declaration files at ``path``: the file itself, or every .xlsx, .xlsm and .csv file of a folder (recursively, in name order; lock and hidden files skipped)."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix.lower() not in FILE_SUFFIXES:
            raise InputFileError(f"{path}: unsupported file type '{path.suffix}'; give .xlsx, .xlsm or .csv files")
        return [path]
    found = [
        p for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES and not p.name.startswith(("~$", "."))
    ]
    return sorted(found, key=lambda p: p.relative_to(path).as_posix())


def sheet_key(sheet: Sheet) -> tuple[str, str]:
    """``(file, sheet name)``: the key of a sheet in the row ledger."""
    return (sheet.file, sheet.name)


class Reporter:
    """Adds issues for one sheet, row and part; counts the errors it added."""

    def __init__(self, issues: list[DataIssue], file: str, sheet: str | None, row=None, part_id=None):
        self.issues, self.file, self.sheet, self.row, self.part_id = issues, file, sheet, row, part_id
        self.errors = 0

    def __call__(self, severity: str, code: str, message: str) -> None:
        self.errors += severity == ERROR
        self.issues.append(DataIssue(severity, code, message, self.sheet, self.row, self.part_id, self.file))


def reporter(issues, sheet: Sheet, row=None, part_id=None) -> Reporter:
    """A :class:`Reporter` for issues on ``sheet`` (at ``row`` and ``part_id`` when given)."""
    return Reporter(issues, sheet.file, sheet.name, row, part_id)


def find_header(rows: list[list], aliases: dict[str, str], required: set[str], search: int = 10):
    """``(header row index, {name: column position})`` of the first row naming ``required``."""
    for index, row in enumerate(rows[:search]):
        positions = {}
        for position, cell in enumerate(row):
            name = None if is_blank(cell) else aliases.get(header_key(cell))
            if name is not None and name not in positions:
                positions[name] = position
        if required <= positions.keys():
            return index, positions
    return None, {}


def body_rows(sheet: Sheet, start: int, positions: dict[str, int], ledger: RowLedger):
    """``(row number, {name: cell})`` below the header; blank rows are counted as skipped."""
    for index in range(start + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if all(is_blank(cell) for cell in cells):
            ledger.mark(*sheet_key(sheet), index + 1, "skipped", force=True)
            continue
        yield index + 1, {name: (cells[p] if p < len(cells) else None) for name, p in positions.items()}


def report_missing_header(sheet: Sheet, wanted: str, issues, ledger) -> None:
    """Report a sheet without the header row ``wanted``; every non-blank row of it is rejected in the ledger."""
    first = ", ".join(str(cell) for cell in (sheet.rows[0] if sheet.rows else []) if not is_blank(cell)) or "none"
    reporter(issues, sheet, 1)(
        ERROR, "missing_column", f"no header row with the columns {wanted} (first row: {first}); restore the header"
    )
    for index, cells in enumerate(sheet.rows):
        ledger.mark(*sheet_key(sheet), index + 1, "skipped" if all(is_blank(c) for c in cells) else "rejected", force=True)


def find_sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    """The sheet named ``name`` (ignoring case, spaces and punctuation), or ``None``."""
    return next((s for s in sheets if header_key(s.name) == header_key(name)), None)


# --- Candidates and conflicts ----------------------------------------------------------------


@dataclass
class Candidate:
    """A declaration record read, with the (sheet key, row) of every row it came from."""
    record: DeclarationRecord
    rows: list[tuple[tuple[str, str], int]] = field(default_factory=list)


def settle(candidates: list[Candidate], issues: list[DataIssue], ledger: RowLedger) -> list[DeclarationRecord]:
    """Keep the first declaration of every part; every later one is an error naming both."""
    kept: dict[str, Candidate] = {}
    for candidate in candidates:
        record = candidate.record
        first = kept.setdefault(record.part_id, candidate).record
        if first is record:
            continue
        Reporter(issues, record.file, record.sheet, record.row, record.part_id)(
            ERROR,
            "conflicting_declarations",
            f"conflicting declarations for '{record.part_id}': {first.source} ({first.file}, sheet "
            f"'{first.sheet}' row {first.row}) and {record.source}; keep one declaration per part",
        )
        for key, row in candidate.rows:
            ledger.mark(*key, row, "rejected", force=True)
    return [candidate.record for candidate in kept.values()]
