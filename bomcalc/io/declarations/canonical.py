"""Canonical declaration tables: one row per part with its Part 1 values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ...core.errors import ERROR, WARNING
from ...core.values import is_unknown_word, is_blank, part_id_change, to_bool, to_text
from ..sheets import Sheet
from .records import DeclarationRecord
from .cells import _NOT_APPLICABLE, _currency, _number
from .layout import _Candidate, _body, _key, _say

# --- Canonical tables -------------------------------------------------------------------------


def _read_canonical(sheet: Sheet, start: int, positions, issues, ledger, decimal: str | None = None) -> list[_Candidate]:
    ledger.open(sheet.file, sheet.name)
    out = []
    for row, cells in _body(sheet, start, positions, ledger):
        part_id, note = part_id_change(cells.get("part_id"))
        say = _say(issues, sheet, row, part_id)
        if note is not None:
            say(WARNING, "part_id_normalised", note)
        if part_id is None:
            say(ERROR, "missing_part_id", "part_id is blank; name the part the declaration covers")
        values = {}
        for column, if_blank in (("cn_part1_value", None), ("unknown_origin_part1_value", Decimal(0))):
            cell = cells.get(column)
            text = "" if is_blank(cell) else str(cell).strip().lower()
            if is_unknown_word(text, _NOT_APPLICABLE) or (not text and if_blank is None):
                say(WARNING, "unknown_declared_value", f"{column} is not known; the part stays indeterminate")
                values[column] = None
                continue
            try:
                number = _number(cell, decimal)
            except ValueError as exc:
                say(ERROR, "bad_declaration", f"{column} {exc}")
                continue
            values[column] = if_blank if number is None else number
        try:
            technology = to_bool(cells.get("cn_technology"))
        except ValueError as exc:
            say(WARNING, "bad_technology", f"cn_technology {exc}; read as not known")
            technology = None
        currency = _currency(cells.get("currency"), say)
        if say.errors:
            ledger.mark(*_key(sheet), row, "rejected", force=True)
            continue
        text = to_text(cells.get("source"))
        name = Path(sheet.file).name
        source = f"{text}, {name}" if text else f"{name} row {row}"
        record = DeclarationRecord(
            part_id, values["cn_part1_value"], values["unknown_origin_part1_value"], currency, technology,
            source, sheet.file, sheet.name, row,
        )
        ledger.mark(*_key(sheet), row, "used", force=True)
        out.append(_Candidate(record, [(_key(sheet), row)]))
    return out
