"""Supplier declaration forms: fields, product list and rare-earth inputs, valued into records."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from ...core.errors import ERROR, WARNING
from ...core.values import EXACT, is_unknown_word, is_blank, part_id_change, part_id_text, to_bool, to_country, to_text
from ..aliases import column_lookup, header_key
from ..sheets import Sheet
from ..declaration_form import DECLARATION_SHEET, INPUTS_SHEET, PRODUCT_LIST_SHEET
from ..template_columns import MASS_UNITS
from .records import DeclarationRecord
from .cells import KG_EXPONENT, NOT_APPLICABLE, read_currency, read_date, read_number
from .part1 import kind_of, price_for
from .layout import Candidate, Reporter, body_rows, find_sheet, find_header, sheet_key, report_missing_header, reporter

# --- Supplier declarations --------------------------------------------------------------------


def _read_fields(sheet: Sheet | None, issues, ledger) -> dict:
    """The key/value rows of the Declaration sheet as ``{field name: cell}``.

    With a header row ``Field | Value`` the value is read from the Value column; without one,
    from the first filled cell right of the label.
    """
    fields: dict = {}
    if sheet is None:
        return fields
    ledger.open(sheet.file, sheet.name)
    top = [header_key(cell) for cell in (sheet.rows[0] if sheet.rows else [])]
    has_header = "field" in top and "value" in top
    labels = column_lookup("declaration_fields")
    for index in range(1 if has_header else 0, len(sheet.rows)):
        row, cells = index + 1, sheet.rows[index]
        if has_header:
            label, value = (cells[at] if at < len(cells) else None for at in (top.index("field"), top.index("value")))
        else:
            label, value = ([cell for cell in cells if not is_blank(cell)] + [None, None])[:2]
        name = None if is_blank(label) else labels.get(header_key(label))
        if name is None or is_blank(value):
            ledger.mark(*sheet_key(sheet), row, "skipped", force=True)
        elif name in fields:
            reporter(issues, sheet, row)(WARNING, "repeated_field", f"'{label}' is given again; the first value is used")
            ledger.mark(*sheet_key(sheet), row, "rejected", force=True)
        else:
            fields[name] = value
            ledger.mark(*sheet_key(sheet), row, "used", force=True)
    return fields


def _describe(fields: dict, say: Reporter, file: Path) -> str:
    """The declaration as an auditor would cite it: company, id, date and file name."""
    company = to_text(fields.get("company_name"))
    if company is None:
        say(WARNING, "declaration_field", "the declaration names no company; fill in Company name")
    when = None
    if fields.get("declaration_date") is not None:
        try:
            when = read_date(fields["declaration_date"]).isoformat()
        except ValueError as exc:
            say(WARNING, "declaration_field", f"Declaration date: {exc}")
            when = to_text(fields["declaration_date"])
    scope = to_text(fields.get("declaration_scope"))
    if scope is not None and header_key(scope) not in ("productlist", "companywide"):
        say(WARNING, "declaration_field", f"Declaration scope should be Product list or Company-wide, found '{scope}'")
    words = [company or "supplier", "declaration", to_text(fields.get("declaration_id")) or ""]
    text = " ".join(word for word in words if word) + (f" ({when})" if when else "")
    return f"{text}, {file.name}"


def _read_products(sheet: Sheet | None, issues, ledger, origins: dict | None = None) -> dict[str, list]:
    """Customer part numbers on the Product List, each with the rows naming it; ``origins`` gets
    each product's declared Country of origin (two different ones for one product are an error)."""
    listed: dict[str, list] = {}
    if sheet is None:
        return listed
    ledger.open(sheet.file, sheet.name)
    start, positions = find_header(sheet.rows, column_lookup("declaration_products"), {"customer_part_number"})
    if start is None:
        report_missing_header(sheet, "Customer part number", issues, ledger)
        return listed
    for row, cells in body_rows(sheet, start, positions, ledger):
        part_id, note = part_id_change(cells.get("customer_part_number"))
        if note is not None:
            reporter(issues, sheet, row, part_id)(WARNING, "part_id_normalised", note)
        if part_id is None:
            reporter(issues, sheet, row)(WARNING, "missing_part_id", "customer part number is blank; fill it in")
            ledger.mark(*sheet_key(sheet), row, "rejected", force=True)
            continue
        say = reporter(issues, sheet, row, part_id)
        origin = _country(cells.get("country_of_origin"), say)
        if origins is not None and origin is not None:
            if origins.setdefault(part_id, origin) != origin:
                say(ERROR, "conflicting_origin", f"Country of origin {origin} here but {origins[part_id]} on an earlier "
                    "row for the same product; give one")
                ledger.mark(*sheet_key(sheet), row, "rejected", force=True)
                continue
        ledger.mark(*sheet_key(sheet), row, "merged" if part_id in listed else "used", force=True)
        listed.setdefault(part_id, []).append((sheet_key(sheet), row))
    return listed


@dataclass
class _Input:
    row: int
    counted: str | None = None  # "cn" or "unknown" for a Part 1 input that counts
    value: Decimal | None = None
    currency: str | None = None
    note: str | None = None
    technology: bool | None = None


def _technology(cell, say) -> bool | None:
    if is_blank(cell) or is_unknown_word(str(cell), NOT_APPLICABLE):
        return None
    try:
        return to_bool(cell)
    except ValueError:
        say(WARNING, "bad_technology", f"Chinese technology is yes, no or unknown, not '{cell}'; read as unknown")
        return None


def _country(cell, say) -> str | None:
    code, note = to_country(cell)
    if note:
        say(WARNING, "country_code", note)
    if code in ("HK", "MO"):
        say(WARNING, "origin_hk_mo", f"{code} is read as not China; whether it is China origin is open, ask counsel")
    return code


def _read_input(cells, kinds, prices, default_currency, say, decimal: str | None = None) -> tuple[_Input | None, bool]:
    """One input row: ``(input, or None when it cannot be classified; whether it is Part 1)``."""
    try:
        kind, label = kind_of(cells, kinds, say)
    except ValueError as exc:
        say(ERROR, "bad_input", f"{exc}; the row cannot be classified against Annex 1 Part 1")
        return None, True
    item = _Input(say.row, technology=_technology(cells.get("cn_technology"), say))
    numbers = {}
    for column in ("value_per_unit", "mass_per_unit"):
        try:
            numbers[column] = read_number(cells.get(column), decimal)
        except ValueError as exc:
            say(ERROR if kind else WARNING, "bad_number", f"{column.replace('_', ' ')}: {exc}")
            numbers[column] = None
    if kind is None:
        return item, False
    stage = "country_of_separation" if kind.form == "oxide" else "country_of_metal_production"
    origin = _country(cells.get(stage), say)
    if origin not in (None, "CN"):
        if kind.form != "oxide" and to_country(cells.get("country_of_separation"))[0] == "CN":
            say(
                WARNING,
                "china_upstream",
                f"{label} made in {origin} from rare earths separated in CN is counted as {origin} origin (the "
                "stage that made it); if a China-origin oxide in it should count, ask for it as its own row",
            )
        return item, True
    item.counted = "cn" if origin == "CN" else "unknown"
    value, mass = numbers["value_per_unit"], numbers["mass_per_unit"]
    item.currency = read_currency(cells.get("currency"), say) or default_currency
    if value is not None:
        if item.currency is None:
            say(ERROR, "missing_currency", "value without a currency; fill in Currency or the Currency of values")
        item.value = value
        return item, True
    unit = (to_text(cells.get("mass_unit")) or "").lower()
    if mass is not None and unit not in KG_EXPONENT:
        say(ERROR, "bad_mass_unit", f"mass unit must be one of {', '.join(MASS_UNITS)}, found '{unit}'")
        return item, True
    price = price_for(kind, prices)
    if mass is not None and price is not None:
        item.value = EXACT.multiply(mass.scaleb(KG_EXPONENT[unit], EXACT), price.price_per_kg)
        item.currency = price.currency
        item.note = (
            f"{label} on row {say.row} valued from its mass at {price.price_per_kg} {price.currency}/kg "
            f"({price.source}, {price.date.isoformat()})"
        )
        return item, True
    lack = "no value and no reference price" if mass is not None else "no value and no mass"
    fix = "a reference price for it to the price table" if mass is not None else "its mass and a reference price"
    say(
        WARNING,
        "unvalued_input",
        f"{label} of {'China' if origin == 'CN' else 'unknown'} origin has {lack}, so the part stays "
        f"indeterminate; add its value per unit of product, or {fix}",
    )
    item.currency = None
    return item, True


def _read_inputs(sheet: Sheet, kinds, prices, default_currency, issues, ledger, decimal: str | None = None):
    """``({part: inputs}, parts with a rejected row)``, or ``None`` when the header is missing."""
    ledger.open(sheet.file, sheet.name)
    start, positions = find_header(sheet.rows, column_lookup("declaration_inputs"), {"customer_part_number", "element", "form"})
    if start is None:
        report_missing_header(sheet, "Customer part number, Element, Form", issues, ledger)
        return None
    products: dict[str, list[_Input]] = {}
    dropped: set[str] = set()
    for row, cells in body_rows(sheet, start, positions, ledger):
        part_id = part_id_text(cells.get("customer_part_number"))
        say = reporter(issues, sheet, row, part_id)
        item, is_part1 = _read_input(cells, kinds, prices, default_currency, say, decimal)
        if part_id is None:
            severity = ERROR if is_part1 else WARNING
            say(severity, "missing_part_id", "customer part number is blank, so the input has no part; fill it in")
        if part_id is None or item is None or say.errors:
            ledger.mark(*sheet_key(sheet), row, "rejected", force=True)
            if part_id is not None:
                dropped.add(part_id)
                products.setdefault(part_id, [])
            continue
        products.setdefault(part_id, []).append(item)
    return products, dropped


def _total(items: list[_Input], counted: str) -> Decimal | None:
    total = Decimal(0)
    for item in items:
        if item.counted == counted:
            if item.value is None:
                return None
            total = EXACT.add(total, item.value)
    return total


def _product_record(part_id, items, sheet, source, default_currency, issues) -> DeclarationRecord | None:
    """One part's record from its input rows; ``None`` (with an error) for mixed currencies."""
    counted = [item for item in items if item.counted]
    currencies = sorted({item.currency for item in counted if item.currency})
    if len(currencies) > 1:
        reporter(issues, sheet, items[0].row, part_id)(
            ERROR,
            "mixed_currency",
            f"the Part 1 inputs of '{part_id}' are valued in {', '.join(currencies)} (a value from the price "
            "table is in the price's currency); give them in one currency",
        )
        return None
    answers = [item.technology for item in items]
    technology = True if True in answers else (None if None in answers else False)
    return DeclarationRecord(
        part_id,
        _total(counted, "cn"),
        _total(counted, "unknown"),
        currencies[0] if currencies else default_currency,
        technology,
        "; ".join([source] + [item.note for item in items if item.note]),
        sheet.file,
        sheet.name,
        items[0].row,
    )


def read_supplier(file: Path, sheets: list[Sheet], kinds, prices, issues, ledger, decimal: str | None = None) -> list[Candidate]:
    """The declarations of one filled-in supplier form (declaration, product list and rare-earth inputs sheets), one candidate per part; ``decimal`` is ``--decimal``."""
    header_sheet = find_sheet(sheets, DECLARATION_SHEET)
    fields = _read_fields(header_sheet, issues, ledger)
    say = reporter(issues, header_sheet) if header_sheet else Reporter(issues, str(file), DECLARATION_SHEET)
    source = _describe(fields, say, file)
    default_currency = read_currency(fields.get("currency"), say)
    list_sheet = find_sheet(sheets, PRODUCT_LIST_SHEET)
    origins: dict[str, str] = {}
    listed = _read_products(list_sheet, issues, ledger, origins)
    sheet = find_sheet(sheets, INPUTS_SHEET)
    found = _read_inputs(sheet, kinds, prices, default_currency, issues, ledger, decimal)
    if found is None:
        return []
    products, dropped = found
    out = []
    for part_id, items in products.items():
        rows = [(sheet_key(sheet), item.row) for item in items] + listed.get(part_id, [])
        record = None
        if part_id not in dropped:
            record = _product_record(part_id, items, sheet, source, default_currency, issues)
        if record is None:
            for key, row in rows:
                ledger.mark(*key, row, "rejected", force=True)
            continue
        for position, item in enumerate(items):
            ledger.mark(*sheet_key(sheet), item.row, "merged" if position else "used", force=True)
        out.append(Candidate(replace(record, origin=origins.get(part_id)), rows))
    for part_id, rows in listed.items():
        if part_id not in products:
            row = rows[0][1]
            reporter(issues, list_sheet, row, part_id)(
                WARNING,
                "no_inputs_declared",
                "listed with no rare-earth input, so its Part 1 content is taken as 0 as declared; confirm "
                "with the supplier, or add its inputs on the Rare Earth Inputs sheet",
            )
            record = DeclarationRecord(
                part_id, Decimal(0), Decimal(0), default_currency, None, source, str(file), list_sheet.name, row,
                origins.get(part_id),
            )
            out.append(Candidate(record, rows))
    return out
