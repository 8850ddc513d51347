"""One vocabulary: vendor column headers mapped to bomcalc's canonical names (I/O layer).

:data:`ALIASES` is the single alias table (documented in the README glossary). Matching ignores
case, spaces and punctuation, so ``"Comp. Qty (BUn)"``, ``"comp qty bun"`` and
``"COMP_QTY_BUN"`` are one header. A user mapping file (``--map FILE``, TOML) adds to or
overrides the table and can describe the layout::

    [columns]                    # canonical name = header in the file (or a list of them)
    part_id = "Teilenummer"
    qty = ["Menge", "Qty/Asm"]

    [layout]
    sheet = "BOM"                # which sheet of a workbook
    header_row = 5               # 1-based; found automatically when absent
    hierarchy = "level"          # level | path | indent | parent
    quantity = "extended"        # per_parent | extended
    path_delimiter = "-"
    decimal = ","                # "." or ","
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputFileError

#: canonical name -> headers seen in SAP, PLM, CAD and ERP exports.
ALIASES: dict[str, tuple[str, ...]] = {
    "level": ("Level", "Explosion level", "BOM Level", "Lvl", "Lev", "Stufe", "Indent Level"),
    "find_number": ("ITEM NO.", "Find No.", "Find Number", "FindNum", "Item No", "Item Path", "Pos. path"),
    "position": ("Item", "Pos", "Position", "Item Position", "Line"),
    "part_id": (
        "part_id", "Component number", "Component", "Material", "Part Number", "PART NUMBER", "Item Number",
        "Item Code", "Number", "Part No", "Part No.", "P/N", "PN", "Child", "Component Part", "Material Number",
        "Article", "Article Number", "Teilenummer", "Sachnummer",
    ),
    "parent": ("parent", "Parent", "Parent Part", "Parent Number", "Parent Part Number", "Parent Item", "Assembly", "Higher-level item"),
    "description": (
        "description", "Object description", "Description", "Item Name", "Material Description", "Component description",
        "Name", "Part Description", "Part Name", "Benennung", "Bezeichnung",
    ),
    "qty": (
        "qty", "Comp. Qty (BUn)", "Comp. Qty (CUn)", "Component quantity", "Quantity", "QTY.", "Qty", "Qty Per",
        "Quantity Per", "Qty/Assy", "Menge",
    ),
    "uom": ("uom", "Base Unit of Measure", "UoM", "Unit", "BUn", "Unit of Measure", "Component UoM", "Un", "ME", "Basismengeneinheit"),
    "origin": ("origin", "Country of Origin", "COO", "Origin", "Origin Country", "Country of origin (COO)", "Ursprungsland"),
    "unit_value": (
        "unit_value", "Unit Price", "Standard price", "Price", "Cost", "Unit Cost", "Moving Average Price", "Moving price",
        "Unit Value", "Preis",
    ),
    "price_unit": ("price_unit", "Price unit", "Price Unit", "Per", "Preiseinheit"),
    "currency": ("currency", "Currency", "Crcy", "Curr.", "Waehrung", "Währung"),
    "annex1": ("annex1", "Annex 1", "Annex 1 Part", "MOFCOM Annex 1", "Annex I", "Annex1 Part"),
    "cn_technology": ("cn_technology", "Chinese technology", "CN Technology", "Made with Chinese technology"),
    "item_category": ("ICt", "Item category", "Item Cat.", "Item Type", "Line Type", "PosTyp"),
    "alt_group": ("alt_group", "AltItemGp", "AltItGp", "Alternative item group", "Alt. Group", "Alt Group", "Alternate Group"),
    "usage_probability": ("usage_probability", "Usage probability", "Usage prob.", "UsageProb", "Use prob", "Usage %"),
    "phantom": ("phantom", "Phantom", "Phantom item", "Phantom Assembly", "Phantom Flag"),
    "dnp": ("DNP", "Do Not Populate", "Not Fitted", "NF"),
    "populate": ("Populate", "Fitted", "Mounted", "Assembled"),
}

#: Columns that carry numbers and are parsed with the file's number style.
NUMERIC_COLUMNS = ("qty", "unit_value", "price_unit", "usage_probability")


def header_key(text) -> str:
    """A header reduced for matching: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z%]+", "", str(text if text is not None else "").lower())


@dataclass(frozen=True)
class Mapping:
    """The alias table in use (built-in plus the user's) and the layout hints of a map file."""

    lookup: dict[str, str]
    layout: dict = field(default_factory=dict)
    origin: str = "built-in aliases"

    def canonical(self, header) -> str | None:
        """The canonical name for a header cell, or ``None``."""
        return self.lookup.get(header_key(header))

    def expected(self) -> list[str]:
        """The canonical names with a few example headers each, for error messages."""
        return [f"{name} ({', '.join(ALIASES.get(name, ())[1:4])})" for name in ALIASES]


def default_mapping() -> Mapping:
    """The built-in alias table."""
    lookup = {}
    for name, headers in ALIASES.items():
        lookup[header_key(name)] = name
        for header in headers:
            lookup.setdefault(header_key(header), name)
    return Mapping(lookup)


LAYOUT_KEYS = {"sheet", "header_row", "hierarchy", "quantity", "path_delimiter", "decimal", "level_base"}


def load_mapping(path: str | os.PathLike | None) -> Mapping:
    """The built-in table extended by a TOML map file (``[columns]`` and ``[layout]``)."""
    base = default_mapping()
    if path is None:
        return base
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"{path}: not valid TOML ({exc})") from None
    lookup = dict(base.lookup)
    for name, headers in data.get("columns", {}).items():
        if name not in ALIASES:
            raise InputFileError(f"{path}: [columns] names '{name}', which is not a bomcalc column; use one of {', '.join(ALIASES)}")
        for header in [headers] if isinstance(headers, str) else headers:
            lookup[header_key(header)] = name
    layout = data.get("layout", {})
    unknown = set(layout) - LAYOUT_KEYS
    if unknown:
        raise InputFileError(f"{path}: [layout] has unknown key(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(LAYOUT_KEYS))}")
    return Mapping(lookup, dict(layout), str(path))


@dataclass(frozen=True)
class Header:
    """Where the header is and which column holds which canonical name."""

    index: int  # 0-based position of the header row
    columns: dict[str, int]  # canonical name -> 0-based column
    cells: list  # the header row as read


def find_header(rows: list[list], mapping: Mapping, scan: int = 40, row: int | None = None) -> Header | None:
    """The row among the first ``scan`` that best matches known column names.

    The best row names a part column and the most canonical columns (at least two). Title
    blocks, blank rows and separator rows above it are ignored. ``row`` (1-based) forces it.
    """
    candidates = [row - 1] if row else range(min(scan, len(rows)))
    best: Header | None = None
    for index in candidates:
        if index >= len(rows):
            continue
        columns: dict[str, int] = {}
        for position, cell in enumerate(rows[index]):
            if cell is None or str(cell).strip() == "":
                continue
            name = mapping.canonical(cell)
            if name and name not in columns:
                columns[name] = position
        if "part_id" not in columns and not row:
            continue
        if len(columns) >= 2 and (best is None or len(columns) > len(best.columns)):
            best = Header(index, columns, list(rows[index]))
    return best
