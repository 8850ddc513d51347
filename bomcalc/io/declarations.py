"""Supplier declarations of rare-earth content into one record per declared part (I/O layer).

Two kinds of file are read, alone or from a folder:

* a **canonical declarations table**: a sheet or CSV file with ``part_id``, ``cn_part1_value``
  and optionally ``unknown_origin_part1_value``, ``currency``, ``source`` and
  ``cn_technology`` (headers matched ignoring case, spaces and punctuation), one row per part,
  values already summed by whoever filled it in;
* a **supplier declaration** filled in from
  :func:`bomcalc.io.templates.write_declaration_template` (recognised by its
  ``Rare Earth Inputs`` sheet): one row per rare-earth input per product, which this module
  classifies against Annex 1 Part 1 of MOFCOM Announcement No. 61 (2025), values, and sums per
  customer part number.

How a supplier's input row is read:

* **Part 1 or not.** The element, form and (for alloys) the alloy name are compared with the
  rule pack's Part 1 list: Dy, Tb, Sm, Gd, Lu, Sc, Y metals, Dy-Fe, Tb-Fe, Tb-Dy-Fe and Sm-Co
  alloys, Dy and Tb oxides. Nd, Pr, Ho, ... are not listed, and a magnet is not itself a Part 1
  item: its Part 1 inputs are their own rows.
* **Origin** is the country of the stage that produced the Part 1 item: metal or alloy
  production for metals and alloys, separation for oxides; blank or ``unknown`` is an unknown
  origin. Mining makes no Part 1 item, so it never decides. A Dy-Fe alloy made in Japan from
  oxide separated in China is therefore of Japanese origin and adds nothing to
  ``cn_part1_value``: the row values the alloy, and the oxide inside it has no value of its own
  in the declaration. A warning asks for the oxide as its own row if it should count (it then
  counts like any China-origin input of a BOM).
* **Value** per unit of the customer's part: the declared value; if blank, the mass (in kg)
  times the reference price for the item (the latest-dated entry of the price table, named in
  the record's ``source``); if neither can be had the value is unknown, the part's sum becomes
  ``None`` (indeterminate, never zero) and a warning says how to fix it.
* **Chinese technology** for the part: ``True`` when any of its rows says yes, ``None`` when
  none says yes and any says unknown or is blank, else ``False``.

A product on the Product List with no rare-earth input row at all is declared free of rare
earths: its record carries zero values, with a warning to confirm this with the supplier. A
part with a rejected input row gets no record (the error stops the run anyway).

Numbers are exact: spreadsheet floats through their shortest representation, text with a dot
as decimal separator only. Every row below the header of every sheet read is counted in a
:class:`~bomcalc.core.model.RowAccount`: the first row of a record is ``used``, further rows of the
same record ``merged``, blank or unused rows ``skipped``, rows with a problem (or belonging to
a part that got no record) ``rejected``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..core.errors import ERROR, WARNING, DataIssue, InputFileError, RulePackError
from ..core.ledger import RowAccount, RowLedger
from ..core.values import EXACT, NOT_APPLICABLE_WORDS, is_unknown_word, is_blank, is_currency_code, part_id_change, part_id_text, to_bool, to_country, to_date, to_decimal, to_text
from .aliases import (CANONICAL_DECLARATION_COLUMNS, DECLARATION_FIELD_HEADERS, DECLARATION_INPUT_HEADERS,
                      DECLARATION_PRODUCT_HEADERS, PRICE_COLUMNS, PRICE_HEADERS, header_key)
from .hidden import apply_hidden, hidden_messages
from .sheets import Sheet, read_sheets
from .templates import (
    DECLARATION_FIELDS,
    DECLARATION_SHEET,
    FORMS,
    INPUTS_SHEET,
    MASS_UNITS,
    PRODUCT_LIST_COLUMNS,
    PRODUCT_LIST_SHEET,
    RARE_EARTH_ELEMENTS,
    RARE_EARTH_INPUT_COLUMNS,
)

#: File types read from a folder; a single file may also be ``.xls``, ``.xlsb`` or ``.ods``.
FOLDER_SUFFIXES = (".xlsx", ".xlsm", ".csv")
FILE_SUFFIXES = FOLDER_SUFFIXES + (".xls", ".xlsb", ".ods")


@dataclass(frozen=True)
class DeclarationRecord:
    """What one declaration says about one part, per unit of the part.

    ``cn_part1_value`` is the China-origin Annex 1 Part 1 content [currency per unit of the
    part]; ``None`` means some China-origin input could not be valued (indeterminate, never
    zero). ``unknown_origin_part1_value`` is the Part 1 content whose origin is unknown
    [currency per unit], ``None`` when it could not be valued. ``cn_technology`` says whether
    the declaration reports Chinese rare-earth technology (``None``: not known). ``source``
    names the declaration for an auditor; ``file``, ``sheet`` and ``row`` (first row, header = 1)
    say where it was read.
    """

    part_id: str
    cn_part1_value: Decimal | None
    unknown_origin_part1_value: Decimal | None
    currency: str | None
    cn_technology: bool | None
    source: str
    file: str
    sheet: str
    row: int | None


@dataclass(frozen=True)
class PriceEntry:
    """A reference price for one rare-earth element (or alloy) in one form [currency per kg]."""

    element: str
    form: str
    price_per_kg: Decimal
    currency: str
    date: dt.date
    source: str


# --- Vocabulary -------------------------------------------------------------------------------

_ALLOYING_METALS = {
    "Fe": "iron", "Co": "cobalt", "Ni": "nickel", "Cu": "copper", "Zr": "zirconium", "B": "boron",
    "Al": "aluminium", "Ga": "gallium", "Nb": "niobium", "Ti": "titanium", "Mg": "magnesium", "Si": "silicon",
}
_SYMBOLS = {**RARE_EARTH_ELEMENTS, **_ALLOYING_METALS}
_NAMES = {name: symbol for symbol, name in _SYMBOLS.items()} | {"aluminum": "Al"}
_NOISE_WORDS = {"alloy", "metal", "oxide", "and"}
#: Mass units as powers of ten of a kilogram.
_KG_EXPONENT = {"kg": 0, "kilogram": 0, "kilograms": 0, "g": -3, "gram": -3, "grams": -3}
_KG_EXPONENT |= {"mg": -6, "milligram": -6, "milligrams": -6}
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
#: "n/a" in a declaration reads as unknown; "none" may mean zero, so it is refused rather than guessed.
_NOT_APPLICABLE = NOT_APPLICABLE_WORDS - {"none"}


def _aliases(columns, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {}
    for column in columns:
        for text in (column.header, column.name, *extra.get(column.name, ())):
            table[header_key(text)] = column.name
    return table


_INPUT_ALIASES = _aliases(RARE_EARTH_INPUT_COLUMNS, DECLARATION_INPUT_HEADERS)
_PRODUCT_ALIASES = _aliases(PRODUCT_LIST_COLUMNS, DECLARATION_PRODUCT_HEADERS)
_FIELD_ALIASES = _aliases(DECLARATION_FIELDS, DECLARATION_FIELD_HEADERS)
_CANONICAL_ALIASES = {header_key(name): name for name in CANONICAL_DECLARATION_COLUMNS}
_PRICE_ALIASES = {header_key(name): name for name in PRICE_COLUMNS}
_PRICE_ALIASES |= {header_key(text): name for name, texts in PRICE_HEADERS.items() for text in texts}


def _symbols(text: str) -> tuple[str, ...]:
    """Element symbols in ``text`` ("Dy", "Tb-Dy-Fe", "NdPr", "dysprosium-iron", "SmCo5")."""
    found: list[str] = []
    for token in re.split(r"[\s,;/+\-\u2013()]+", text.strip()):
        bare = re.sub(r"[\d.]+", "", token)
        if not bare or bare.lower() in _NOISE_WORDS:
            continue
        if bare.lower() in _NAMES:
            found.append(_NAMES[bare.lower()])
        elif bare.capitalize() in _SYMBOLS:
            found.append(bare.capitalize())
        else:
            pieces = re.findall(r"[A-Z][a-z]?", bare)
            if "".join(pieces) != bare or not all(piece in _SYMBOLS for piece in pieces):
                raise ValueError(f"'{token}' is not an element symbol or name")
            found.extend(pieces)
    if not found:
        raise ValueError(f"no element found in '{text}'")
    return tuple(dict.fromkeys(found))


def _form(cell) -> str | None:
    text = to_text(cell)
    if text is None:
        return None
    for form in FORMS:
        if text.lower() in (form, form + "s"):
            return form
    raise ValueError(f"form must be one of {', '.join(FORMS)}, found '{text}'")


def _number(cell) -> Decimal | None:
    """A cell as an exact decimal, 0 or more; ``None`` when blank. Text needs a dot as separator
    (declarations are canonical cells, read by :func:`~bomcalc.core.values.to_decimal`)."""
    if isinstance(cell, str) and cell.strip():
        text = cell.strip()
        if not _PLAIN_NUMBER.fullmatch(text) or not text.isascii():  # \d also matches ١٢٣ and １２
            raise ValueError(f"expected a number with a dot as decimal separator, found '{cell}'")
    number = to_decimal(cell)
    if number is not None and number < 0:
        raise ValueError(f"must be 0 or more, found {cell}")
    return number


def _date(cell) -> dt.date:
    try:
        date = to_date(cell)
    except ValueError:
        date = None
    if date is None:
        raise ValueError(f"expected a date as YYYY-MM-DD, found '{cell}'") from None
    return date


def _currency(cell, say) -> str | None:
    text = to_text(cell)
    if text is None:
        return None
    if not is_currency_code(text.upper()):
        say(WARNING, "currency_code", f"'{text}' is not an ISO 4217 currency code")
    return text.upper()


# --- Annex 1 Part 1 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part1Kind:
    name: str
    form: str
    rare_earths: frozenset
    constituents: frozenset | None  # alloys: every element of the alloy, when its name says


def _part1_kinds(items) -> list[_Part1Kind]:
    kinds = []
    for item in items:
        try:
            form = str(item["form"]).strip().lower()
            rare = frozenset(_symbols(str(item["element"])))
            name = str(item.get("name") or f"{item['element']} {form}")
        except (KeyError, ValueError) as exc:
            raise RulePackError(f"Annex 1 Part 1 item {dict(item)} cannot be read ({exc})") from None
        constituents = None
        if form == "alloy":
            try:
                constituents = frozenset(_symbols(name)) | rare
            except ValueError:
                pass
        kinds.append(_Part1Kind(name, form, rare, constituents))
    return kinds


def _classify(kinds, rare: frozenset, form: str, alloy: frozenset | None):
    """``(Part 1 kind or None, whether the alloy had to be assumed)`` of an input."""
    if form == "alloy":
        alloys = [kind for kind in kinds if kind.form == "alloy"]
        if alloy is not None:
            for kind in alloys:
                if kind.constituents == alloy or (kind.constituents is None and kind.rare_earths == rare):
                    return kind, False
            return None, False
        candidates = [kind for kind in alloys if kind.rare_earths == rare]
        return (candidates[0], True) if len(candidates) == 1 else (None, False)
    return next((kind for kind in kinds if kind.form == form and kind.rare_earths == rare), None), False


def _kind_of(cells, kinds, say):
    """``(Part 1 kind or None, label)`` of an input row; ``ValueError`` when it cannot be classified."""
    form = _form(cells.get("form"))
    if form is None:
        raise ValueError(f"form is blank; give one of {', '.join(FORMS)}")
    element = to_text(cells.get("element"))
    rare = frozenset(_symbols(element)) if element else frozenset()
    if rare - RARE_EARTH_ELEMENTS.keys():
        raise ValueError(f"element '{element}' is not a rare earth ({', '.join(RARE_EARTH_ELEMENTS)})")
    alloy_name = to_text(cells.get("alloy_name")) if form == "alloy" else None
    alloy = None
    if alloy_name:
        alloy = frozenset(_symbols(alloy_name))
        if not rare <= alloy:
            raise ValueError(f"element '{element}' is not in alloy '{alloy_name}'")
        rare = alloy & RARE_EARTH_ELEMENTS.keys()
    if not rare and form in ("metal", "oxide", "alloy"):
        raise ValueError("element is blank; give the rare-earth element of the input")
    kind, assumed = _classify(kinds, rare, form, alloy)
    if assumed:
        say(WARNING, "alloy_assumed", f"alloy name is blank; read as {kind.name} (Part 1); give the alloy name")
    return kind, f"{alloy_name or element or ''} {form}".strip()


def _price_index(prices) -> dict:
    """``{(element symbols, form): the latest-dated price}``; the first listed wins a tie."""
    best: dict = {}
    for entry in prices:
        key = (frozenset(_symbols(entry.element)), entry.form.strip().lower())
        if key not in best or entry.date > best[key].date:
            best[key] = entry
    return best


def _price_for(kind: _Part1Kind, prices: dict) -> PriceEntry | None:
    """The reference price of a Part 1 kind: an alloy by its composition, else by its rare earths."""
    keys = [(kind.constituents, kind.form)] if kind.constituents else []
    keys.append((kind.rare_earths, kind.form))
    return next((prices[key] for key in keys if key in prices), None)


# --- Files, sheets, row accounts ------------------------------------------------------------


def _files(path: Path) -> list[Path]:
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


def _key(sheet: Sheet) -> tuple[str, str]:
    return (sheet.file, sheet.name)


class _Say:
    """Adds issues for one sheet, row and part; counts the errors it added."""

    def __init__(self, issues: list[DataIssue], file: str, sheet: str | None, row=None, part_id=None):
        self.issues, self.file, self.sheet, self.row, self.part_id = issues, file, sheet, row, part_id
        self.errors = 0

    def __call__(self, severity: str, code: str, message: str) -> None:
        self.errors += severity == ERROR
        self.issues.append(DataIssue(severity, code, message, self.sheet, self.row, self.part_id, self.file))


def _say(issues, sheet: Sheet, row=None, part_id=None) -> _Say:
    return _Say(issues, sheet.file, sheet.name, row, part_id)


def _header(rows: list[list], aliases: dict[str, str], required: set[str], search: int = 10):
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


def _body(sheet: Sheet, start: int, positions: dict[str, int], ledger: RowLedger):
    """``(row number, {name: cell})`` below the header; blank rows are counted as skipped."""
    for index in range(start + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if all(is_blank(cell) for cell in cells):
            ledger.mark(*_key(sheet), index + 1, "skipped", force=True)
            continue
        yield index + 1, {name: (cells[p] if p < len(cells) else None) for name, p in positions.items()}


def _missing_header(sheet: Sheet, wanted: str, issues, ledger) -> None:
    first = ", ".join(str(cell) for cell in (sheet.rows[0] if sheet.rows else []) if not is_blank(cell)) or "none"
    _say(issues, sheet, 1)(
        ERROR, "missing_column", f"no header row with the columns {wanted} (first row: {first}); restore the header"
    )
    for index, cells in enumerate(sheet.rows):
        ledger.mark(*_key(sheet), index + 1, "skipped" if all(is_blank(c) for c in cells) else "rejected", force=True)


def _find_sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    return next((s for s in sheets if header_key(s.name) == header_key(name)), None)


# --- Candidates and conflicts ----------------------------------------------------------------


@dataclass
class _Candidate:
    record: DeclarationRecord
    rows: list[tuple[tuple[str, str], int]] = field(default_factory=list)


def _settle(candidates: list[_Candidate], issues: list[DataIssue], ledger: RowLedger) -> list[DeclarationRecord]:
    """Keep the first declaration of every part; every later one is an error naming both."""
    kept: dict[str, _Candidate] = {}
    for candidate in candidates:
        record = candidate.record
        first = kept.setdefault(record.part_id, candidate).record
        if first is record:
            continue
        _Say(issues, record.file, record.sheet, record.row, record.part_id)(
            ERROR,
            "conflicting_declarations",
            f"conflicting declarations for '{record.part_id}': {first.source} ({first.file}, sheet "
            f"'{first.sheet}' row {first.row}) and {record.source}; keep one declaration per part",
        )
        for key, row in candidate.rows:
            ledger.mark(*key, row, "rejected", force=True)
    return [candidate.record for candidate in kept.values()]


# --- Canonical tables -------------------------------------------------------------------------


def _read_canonical(sheet: Sheet, start: int, positions, issues, ledger) -> list[_Candidate]:
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
                number = _number(cell)
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
    for index in range(1 if has_header else 0, len(sheet.rows)):
        row, cells = index + 1, sheet.rows[index]
        if has_header:
            label, value = (cells[at] if at < len(cells) else None for at in (top.index("field"), top.index("value")))
        else:
            label, value = ([cell for cell in cells if not is_blank(cell)] + [None, None])[:2]
        name = None if is_blank(label) else _FIELD_ALIASES.get(header_key(label))
        if name is None or is_blank(value):
            ledger.mark(*_key(sheet), row, "skipped", force=True)
        elif name in fields:
            _say(issues, sheet, row)(WARNING, "repeated_field", f"'{label}' is given again; the first value is used")
            ledger.mark(*_key(sheet), row, "rejected", force=True)
        else:
            fields[name] = value
            ledger.mark(*_key(sheet), row, "used", force=True)
    return fields


def _describe(fields: dict, say: _Say, file: Path) -> str:
    """The declaration as an auditor would cite it: company, id, date and file name."""
    company = to_text(fields.get("company_name"))
    if company is None:
        say(WARNING, "declaration_field", "the declaration names no company; fill in Company name")
    when = None
    if fields.get("declaration_date") is not None:
        try:
            when = _date(fields["declaration_date"]).isoformat()
        except ValueError as exc:
            say(WARNING, "declaration_field", f"Declaration date: {exc}")
            when = to_text(fields["declaration_date"])
    scope = to_text(fields.get("declaration_scope"))
    if scope is not None and header_key(scope) not in ("productlist", "companywide"):
        say(WARNING, "declaration_field", f"Declaration scope should be Product list or Company-wide, found '{scope}'")
    words = [company or "supplier", "declaration", to_text(fields.get("declaration_id")) or ""]
    text = " ".join(word for word in words if word) + (f" ({when})" if when else "")
    return f"{text}, {file.name}"


def _read_products(sheet: Sheet | None, issues, ledger) -> dict[str, list]:
    """Customer part numbers on the Product List, each with the rows naming it."""
    listed: dict[str, list] = {}
    if sheet is None:
        return listed
    ledger.open(sheet.file, sheet.name)
    start, positions = _header(sheet.rows, _PRODUCT_ALIASES, {"customer_part_number"})
    if start is None:
        _missing_header(sheet, "Customer part number", issues, ledger)
        return listed
    for row, cells in _body(sheet, start, positions, ledger):
        part_id, note = part_id_change(cells.get("customer_part_number"))
        if note is not None:
            _say(issues, sheet, row, part_id)(WARNING, "part_id_normalised", note)
        if part_id is None:
            _say(issues, sheet, row)(WARNING, "missing_part_id", "customer part number is blank; fill it in")
            ledger.mark(*_key(sheet), row, "rejected", force=True)
            continue
        ledger.mark(*_key(sheet), row, "merged" if part_id in listed else "used", force=True)
        listed.setdefault(part_id, []).append((_key(sheet), row))
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
    if is_blank(cell) or is_unknown_word(str(cell), _NOT_APPLICABLE):
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


def _read_input(cells, kinds, prices, default_currency, say) -> tuple[_Input | None, bool]:
    """One input row: ``(input, or None when it cannot be classified; whether it is Part 1)``."""
    try:
        kind, label = _kind_of(cells, kinds, say)
    except ValueError as exc:
        say(ERROR, "bad_input", f"{exc}; the row cannot be classified against Annex 1 Part 1")
        return None, True
    item = _Input(say.row, technology=_technology(cells.get("cn_technology"), say))
    numbers = {}
    for column in ("value_per_unit", "mass_per_unit"):
        try:
            numbers[column] = _number(cells.get(column))
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
    item.currency = _currency(cells.get("currency"), say) or default_currency
    if value is not None:
        if item.currency is None:
            say(ERROR, "missing_currency", "value without a currency; fill in Currency or the Currency of values")
        item.value = value
        return item, True
    unit = (to_text(cells.get("mass_unit")) or "").lower()
    if mass is not None and unit not in _KG_EXPONENT:
        say(ERROR, "bad_mass_unit", f"mass unit must be one of {', '.join(MASS_UNITS)}, found '{unit}'")
        return item, True
    price = _price_for(kind, prices)
    if mass is not None and price is not None:
        item.value = EXACT.multiply(mass.scaleb(_KG_EXPONENT[unit], EXACT), price.price_per_kg)
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


def _read_inputs(sheet: Sheet, kinds, prices, default_currency, issues, ledger):
    """``({part: inputs}, parts with a rejected row)``, or ``None`` when the header is missing."""
    ledger.open(sheet.file, sheet.name)
    start, positions = _header(sheet.rows, _INPUT_ALIASES, {"customer_part_number", "element", "form"})
    if start is None:
        _missing_header(sheet, "Customer part number, Element, Form", issues, ledger)
        return None
    products: dict[str, list[_Input]] = {}
    dropped: set[str] = set()
    for row, cells in _body(sheet, start, positions, ledger):
        part_id = part_id_text(cells.get("customer_part_number"))
        say = _say(issues, sheet, row, part_id)
        item, is_part1 = _read_input(cells, kinds, prices, default_currency, say)
        if part_id is None:
            severity = ERROR if is_part1 else WARNING
            say(severity, "missing_part_id", "customer part number is blank, so the input has no part; fill it in")
        if part_id is None or item is None or say.errors:
            ledger.mark(*_key(sheet), row, "rejected", force=True)
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
        _say(issues, sheet, items[0].row, part_id)(
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


def _read_supplier(file: Path, sheets: list[Sheet], kinds, prices, issues, ledger) -> list[_Candidate]:
    header_sheet = _find_sheet(sheets, DECLARATION_SHEET)
    fields = _read_fields(header_sheet, issues, ledger)
    say = _say(issues, header_sheet) if header_sheet else _Say(issues, str(file), DECLARATION_SHEET)
    source = _describe(fields, say, file)
    default_currency = _currency(fields.get("currency"), say)
    list_sheet = _find_sheet(sheets, PRODUCT_LIST_SHEET)
    listed = _read_products(list_sheet, issues, ledger)
    sheet = _find_sheet(sheets, INPUTS_SHEET)
    found = _read_inputs(sheet, kinds, prices, default_currency, issues, ledger)
    if found is None:
        return []
    products, dropped = found
    out = []
    for part_id, items in products.items():
        rows = [(_key(sheet), item.row) for item in items] + listed.get(part_id, [])
        record = None
        if part_id not in dropped:
            record = _product_record(part_id, items, sheet, source, default_currency, issues)
        if record is None:
            for key, row in rows:
                ledger.mark(*key, row, "rejected", force=True)
            continue
        for position, item in enumerate(items):
            ledger.mark(*_key(sheet), item.row, "merged" if position else "used", force=True)
        out.append(_Candidate(record, rows))
    for part_id, rows in listed.items():
        if part_id not in products:
            row = rows[0][1]
            _say(issues, list_sheet, row, part_id)(
                WARNING,
                "no_inputs_declared",
                "listed with no rare-earth input, so its Part 1 content is taken as 0 as declared; confirm "
                "with the supplier, or add its inputs on the Rare Earth Inputs sheet",
            )
            record = DeclarationRecord(
                part_id, Decimal(0), Decimal(0), default_currency, None, source, str(file), list_sheet.name, row
            )
            out.append(_Candidate(record, rows))
    return out


# --- Public functions ---------------------------------------------------------------------


def read_declarations(
    path: str | os.PathLike, part1_items, prices: list[PriceEntry] | None = None, hidden: str = "use"
) -> tuple[list[DeclarationRecord], list[DataIssue], list[RowAccount]]:
    """Read supplier declarations from a file or a folder (read recursively, in name order).

    ``part1_items`` is the rule pack's Annex 1 Part 1 list (``RulePack.part1_items``: mappings
    with ``element``, ``form`` and ``name``). ``prices`` values inputs declared by mass only
    [currency per kg]; for each element and form the latest-dated entry is used.

    Returns one :class:`DeclarationRecord` per declared part, every data problem as a
    :class:`~bomcalc.core.errors.DataIssue` (a file that is neither a declarations table nor a
    supplier declaration, a bad number, an unknown element or form, mixed currencies in one
    product, two declarations for one part, ...) and one :class:`~bomcalc.core.model.RowAccount`
    per sheet read, whose counts add up to the rows read. Files in a folder that cannot be read
    are reported as issues; excel lock files (``~$name.xlsx``) and hidden files are skipped.
    Raises :class:`~bomcalc.core.errors.InputFileError` when ``path`` does not exist or is a file of
    an unsupported type.
    """
    path = Path(path)
    files = _files(path)
    kinds = _part1_kinds(part1_items)
    index = _price_index(prices or ())
    issues: list[DataIssue] = []
    ledger = RowLedger()
    candidates: list[_Candidate] = []
    if not files:
        issues.append(DataIssue(WARNING, "no_declarations", "no .xlsx, .xlsm or .csv file here", file=str(path)))
    for file in files:
        try:
            sheets, found = apply_hidden(read_sheets(file), hidden, ledger)  # rows and sheets hidden in Excel
            issues.extend(hidden_messages(found, hidden)[1])
        except InputFileError as exc:
            issues.append(DataIssue(ERROR, "unreadable_file", str(exc), file=str(file)))
            continue
        if _find_sheet(sheets, INPUTS_SHEET) is not None:
            candidates.extend(_read_supplier(file, sheets, kinds, index, issues, ledger))
            continue
        tables = [(sheet, *_header(sheet.rows, _CANONICAL_ALIASES, {"part_id", "cn_part1_value"})) for sheet in sheets]
        tables = [table for table in tables if table[1] is not None]
        if not tables:
            names = ", ".join(f"'{sheet.name}'" for sheet in sheets) or "none"
            message = (
                f"{file.name} is neither a declarations table (columns part_id, cn_part1_value, "
                f"unknown_origin_part1_value, currency, source) nor a supplier declaration (sheet "
                f"'{INPUTS_SHEET}'); sheets found: {names}"
            )
            issues.append(DataIssue(ERROR, "not_a_declaration", message, file=str(file)))
        for sheet, start, positions in tables:
            candidates.extend(_read_canonical(sheet, start, positions, issues, ledger))
    return _settle(candidates, issues, ledger), issues, list(ledger.accounts())


def read_price_table(path: str | os.PathLike) -> tuple[list[PriceEntry], list[DataIssue]]:
    """Read reference prices from a CSV file or the first fitting sheet of a workbook.

    Columns ``element`` (symbol, or the alloy such as ``Dy-Fe``), ``form`` (metal, oxide,
    alloy, ...), ``price_per_kg`` [currency per kg], ``currency``, ``date`` (YYYY-MM-DD) and
    ``source``. Rows with a problem are left out and reported; a second price for the same
    element and form on the same date is left out with a warning. Raises
    :class:`~bomcalc.core.errors.InputFileError` when the file is missing or cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    sheets = read_sheets(path)
    required = set(PRICE_COLUMNS) - {"source"}
    found = [(sheet, *_header(sheet.rows, _PRICE_ALIASES, required)) for sheet in sheets]
    found = [item for item in found if item[1] is not None]
    if not found:
        names = ", ".join(f"'{sheet.name}'" for sheet in sheets) or "none"
        message = f"no sheet with the columns {', '.join(PRICE_COLUMNS)} (sheets found: {names})"
        return [], [DataIssue(ERROR, "missing_column", message, file=str(path))]
    sheet, start, positions = found[0]
    issues: list[DataIssue] = []
    entries: list[PriceEntry] = []
    first: dict = {}
    for row, cells in _body(sheet, start, positions, RowLedger()):
        say = _say(issues, sheet, row)
        try:
            symbols = _symbols(to_text(cells.get("element")) or "")
            if not set(symbols) & RARE_EARTH_ELEMENTS.keys():
                raise ValueError(f"element '{cells.get('element')}' names no rare earth")
            form = _form(cells.get("form"))
            price = _number(cells.get("price_per_kg"))
            currency = _currency(cells.get("currency"), say)
            if form is None or not price or currency is None:
                raise ValueError("form, a price_per_kg greater than 0 and currency are all needed")
            date = _date(cells.get("date"))
        except ValueError as exc:
            say(ERROR, "bad_price", f"{exc}; correct the row or remove it")
            continue
        source = to_text(cells.get("source")) or f"{path.name} row {row}"
        entry = PriceEntry("-".join(symbols), form, price, currency, date, source)
        key = (frozenset(symbols), form, date)
        if key in first:
            message = f"another price for {entry.element} {form} on {date}; row {first[key]} is used"
            say(WARNING, "duplicate_price", message)
            continue
        first[key] = row
        entries.append(entry)
    return entries, issues
