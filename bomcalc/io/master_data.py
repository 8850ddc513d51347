"""Material masters (one row per part) read and joined to a BOM by part number (I/O layer)."""

from __future__ import annotations

from ..core.errors import ERROR, DataIssue
from ..core.ledger import MERGED, SKIPPED, USED, RowLedger
from ..core.values import is_blank, to_text
from . import columns as col
from .aliases import Mapping
from .headers import choose_reading
from .price_units import price_text as _price_text, same_unit
from .sheets import Sheet, cell_issues
from .layouts import Structure, part_attributes, unmapped_header_issue
from .sheet_rows import RowOutcomes, parse_numbers, rows_below_header, sheet_number_style
from .part_merge import PART_ATTRIBUTES, place_text, merge_part


def read_master(sheet: Sheet, mapping: Mapping, ledger: RowLedger, issues: list[DataIssue], *,
                decimal: str | None = None) -> dict[str, dict] | None:
    """Part attributes from a material master: one row per part (repeats must agree)."""
    out = RowOutcomes(sheet, issues, ledger)
    mapping, header = choose_reading(sheet.rows, mapping)
    if header is None:
        issues.append(unmapped_header_issue(sheet, mapping, "a material master"))
        return None
    if not col.report_ties(header, out):
        return None
    data = rows_below_header(sheet, header, out)
    issues.extend(cell_issues(sheet, header.columns, header.index, ledger))
    parse_numbers(data, sheet_number_style(data, decimal or mapping.layout.get("decimal"), out))
    if "price_unit" in header.columns:
        col.drop_word_price_units(data, str(header.cells[header.columns["price_unit"]]).strip(), out)
    parts: dict[str, dict] = {}
    for row, cells in data:
        if all(is_blank(c) for c in cells.values()):
            out.mark(row, SKIPPED, "blank row")
            continue
        part_id = to_text(cells.get("part_id"))
        if part_id is None:
            out.mark(row, SKIPPED, "row without a part number")
            continue
        new = merge_part(parts, part_id, part_attributes(cells), (sheet.file, sheet.name, row), issues)
        parts[part_id].setdefault("_rows", []).append(row)
        parts[part_id]["_annex1_column"] = "annex1" in header.columns
        out.mark(row, USED if new else MERGED, "" if new else f"repeats part {part_id}")
    return parts


def join_master(structure: Structure, master: dict[str, dict], issues: list[DataIssue], ledger: RowLedger) -> None:
    """Fill the BOM's parts from a material master; conflicts name both files.

    The master's ``uom`` is the unit its price is per; the BOM's stays the unit of each line's
    quantity, so grams in the BOM and a price per kilogram convert. Master rows for parts not in
    this BOM are skipped and counted.
    """
    for part_id, record in master.items():
        if part_id not in structure.parts:
            for row in record.get("_rows", []):
                ledger.mark(record["file"], record["sheet"], row, SKIPPED, "part not in this BOM", force=True)
            continue
        part = structure.parts[part_id]
        part["_in_master"] = True
        part["_master_annex1"] = part.get("_master_annex1", False) or record.get("_annex1_column", False)
        attributes = {name: record.get(name) for name in PART_ATTRIBUTES if name != "uom"}
        if not is_blank(record.get("uom")):
            if not is_blank(part.get("unit_value")) and not same_unit(part.get("uom"), record["uom"]):
                # the BOM prices the part per its own unit: the master's unit must agree with that price
                if is_blank(record.get("unit_value")):
                    first = part["_where"].get("unit_value", (part["file"], part["sheet"], part["row"]))
                    issues.append(DataIssue(
                        ERROR, "conflicting_attributes",
                        f"part '{part_id}' has its unit as '{str(record['uom']).strip()}' here, but its price "
                        f"{_price_text(part)} at {place_text(first)} is per '{str(part.get('uom')).strip()}'; give the "
                        "price in the master, or make the units agree", record["sheet"], record["row"], part_id,
                        record["file"]))
                    continue
                attributes["uom"] = record["uom"]  # compared with the BOM's price and unit by merge_part
            else:
                part["uom"] = record["uom"]
                part["_where"]["uom"] = (record["file"], record["sheet"], record["row"])
        if not is_blank(part.get("description")):
            attributes.pop("description", None)
        merge_part(structure.parts, part_id, attributes, (record["file"], record["sheet"], record["row"]), issues)
