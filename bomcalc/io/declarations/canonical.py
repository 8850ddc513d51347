"""Canonical declaration tables: one row per part with its Part 1 values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ...core.errors import ERROR, WARNING
from ...core.values import is_unknown_word, is_blank, part_id_change, to_bool, to_text
from ..sheets import Sheet
from .records import DeclarationRecord
from .cells import NOT_APPLICABLE, read_currency, read_number
from .layout import Candidate, body_rows, sheet_key, reporter

# --- Canonical tables -------------------------------------------------------------------------


def read_canonical(sheet: Sheet, start: int, positions, issues, ledger, decimal: str | None = None) -> list[Candidate]:
    """The declarations of one canonical table (``part_id``, ``cn_part1_value``, ...) below its header row ``start`` [0-based], one candidate per row read; ``decimal`` is ``--decimal``."""
    ledger.open(sheet.file, sheet.name)
    out = []
    for row, cells in body_rows(sheet, start, positions, ledger):
        part_id, note = part_id_change(cells.get("part_id"))
        say = reporter(issues, sheet, row, part_id)
        if note is not None:
            say(WARNING, "part_id_normalised", note)
        if part_id is None:
            say(ERROR, "missing_part_id", "part_id is blank; name the part the declaration covers")
        values = {}
        for column, if_blank in (("cn_part1_value", None), ("unknown_origin_part1_value", Decimal(0))):
            cell = cells.get(column)
            text = "" if is_blank(cell) else str(cell).strip().lower()
            if is_unknown_word(text, NOT_APPLICABLE) or (not text and if_blank is None):
                say(WARNING, "unknown_declared_value", f"{column} is not known; the part stays indeterminate")
                values[column] = None
                continue
            try:
                number = read_number(cell, decimal)
            except ValueError as exc:
                say(ERROR, "bad_declaration", f"{column} {exc}")
                continue
            values[column] = if_blank if number is None else number
        try:
            technology = to_bool(cells.get("cn_technology"))
        except ValueError as exc:
            say(WARNING, "bad_technology", f"cn_technology {exc}; read as not known")
            technology = None
        currency = read_currency(cells.get("currency"), say)
        if say.errors:
            ledger.mark(*sheet_key(sheet), row, "rejected", force=True)
            continue
        text = to_text(cells.get("source"))
        name = Path(sheet.file).name
        source = f"{text}, {name}" if text else f"{name} row {row}"
        record = DeclarationRecord(
            part_id, values["cn_part1_value"], values["unknown_origin_part1_value"], currency, technology,
            source, sheet.file, sheet.name, row,
        )
        ledger.mark(*sheet_key(sheet), row, "used", force=True)
        out.append(Candidate(record, [(sheet_key(sheet), row)]))
    return out
