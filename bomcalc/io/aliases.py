"""One vocabulary: vendor column headers mapped to bomcalc's canonical names (I/O layer).

:data:`VOCABULARY` is the one alias table: table kind (``"bom"``, ``"options"``,
``"volumes"``, ``"declaration_inputs"``, ``"prices"``, ``"fx"``, ``"units"``, ...) -> canonical
column -> headers. Every reader matches headers through it (:func:`column_lookup`; BOM exports
through :func:`build_mapping`), so every header bomcalc recognises is in this one table;
:data:`ALIASES` (the BOM columns, documented in the README glossary) is a view of it. Matching ignores
case, spaces and punctuation, so ``"Comp. Qty (BUn)"``, ``"comp qty bun"`` and
``"COMP_QTY_BUN"`` are one header. A user mapping file (``--map FILE``, TOML) adds to or
overrides the table and can describe the layout::

    [columns]                    # canonical name = header in the file (or a list of them)
    part_id = "Teilenummer"
    qty = ["Menge", "Qty/Asm"]

    ignore = ["Per", "Bubble"]   # headers never read (also: [ignore] headers = [...])

    [layout]
    sheet = "BOM"                # which sheet of a workbook
    header_row = 5               # 1-based; found automatically when absent
    hierarchy = "level"          # level | path | indent | parent | flat
    quantity = "extended"        # per_parent | extended
    path_delimiter = "-"
    decimal = ","                # "." or ","
    fill_down = ["parent"]       # blank cells repeat the one above (Odoo, ERPNext)
    alternates = "rank"          # rank | probability | group | ignore | fitted

A map file has the keys of an export profile (:mod:`bomcalc.io.profiles`); ``--profile``
chooses a shipped profile or a file, and without it the profile is detected from the headers.
When two header cells claim one canonical name, the better-ranked one is used (a map file's
headers, then the profile's in the order listed, then the built-in table's) and the choice is
noted; column order never decides.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field

from ..core.tables import SCHEMA
from ..core.values import is_blank
from .declaration_form import DECLARATION_FIELDS, PRODUCT_LIST_COLUMNS, RARE_EARTH_INPUT_COLUMNS

#: BOM columns: canonical name -> headers seen in SAP, PLM, CAD and ERP exports.
_BOM: dict[str, tuple[str, ...]] = {
    "level": ("Level", "Explosion level", "BOM Level", "Lvl", "Lev", "Stufe", "Indent Level"),
    "find_number": ("ITEM NO.", "Find No.", "Find Number", "FindNum", "Item No", "Item Path", "Pos. path"),
    "position": ("Item", "Pos", "Position", "Item Position", "Line", "Item Number"),
    "part_id": (
        "part_id", "Component number", "Component", "Material", "Part Number", "PART NUMBER", "Item Number",
        "Item Code", "Number", "Part No", "Part No.", "P/N", "PN", "Child", "Component Part", "Material Number",
        "Article", "Article Number", "Teilenummer", "Sachnummer",
        "Item",  # last: a part number only when no better part column is there (SAP's Item is a position)
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
    "uom": ("uom", "Base Unit of Measure", "UoM", "Unit", "BUn", "Unit of Measure", "Component UoM", "Un", "ME", "Basismengeneinheit", "UM", "U/M"),
    "origin": ("origin", "Country of Origin", "COO", "Origin", "Origin Country", "Country of origin (COO)", "Ursprungsland"),
    "unit_value": (
        "unit_value", "Unit Price", "Standard price", "Price", "Cost", "Unit Cost", "Moving Average Price", "Moving price",
        "Unit Value", "Preis",
    ),
    "price_unit": ("price_unit", "Price unit", "Price Unit", "Per", "Preiseinheit"),
    "currency": ("currency", "Currency", "Crcy", "Curr.", "Waehrung", "Währung"),
    "annex1": ("annex1", "Annex 1", "Annex 1 Part", "MOFCOM Annex 1", "Annex I", "Annex1 Part"),
    "hs_code": ("hs_code", "HS Code", "HS", "Commodity Code", "Tariff No.", "Tariff Number", "Zolltarifnummer",
                "Customs tariff number"),
    "cn_technology": ("cn_technology", "Chinese technology", "CN Technology", "Made with Chinese technology"),
    "us_controlled": ("us_controlled", "US controlled", "US-controlled", "EAR controlled", "Controlled US content",
                      "US controlled content"),
    "item_category": ("ICt", "Item category", "Item Cat.", "Item Type", "Line Type", "PosTyp"),
    "alt_group": ("alt_group", "AltItemGp", "AltItGp", "Alternative item group", "Alt. Group", "Alt Group", "Alternate Group"),
    "usage_probability": ("usage_probability", "Usage probability", "Usage prob.", "UsageProb", "Use prob", "Usage %"),
    "phantom": ("phantom", "Phantom", "Phantom item", "Phantom Assembly", "Phantom Flag"),
    "dnp": ("DNP", "Do Not Populate", "Not Fitted", "NF"),
    "populate": ("Populate", "Fitted", "Mounted", "Assembled"),
    "supplier": ("supplier", "Supplier", "Vendor", "Kreditor", "Supplier Name", "Vendor Name", "Lieferant", "Fournisseur"),
}

#: Declaration forms: headers recognised for the customer part number besides the template's own.
_DECLARATION_PART_HEADERS = ("part_id", "customer part", "customer part no", "part number")


def _form_columns(columns, extra: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """A supplier form's columns: each column's template header, then the extra headers recognised."""
    return {column.name: (column.header, *extra.get(column.name, ())) for column in columns}


def _columns(names) -> dict[str, tuple[str, ...]]:
    """Columns recognised by their own name only (canonical tables bomcalc writes)."""
    return {name: () for name in names}


#: THE alias table: table kind -> canonical column -> headers recognised besides the column's own
#: name. Every reader looks headers up here, through :func:`column_lookup` (or, for BOM exports,
#: :func:`build_mapping`, which ranks these against an export profile and a user's map file).
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "bom": _BOM,
    # the canonical workbook (or CSV folder): sheets parts, bom, declarations, fx; and the --units file
    "canonical_parts": _columns(SCHEMA["parts"][0] + SCHEMA["parts"][1]),
    "canonical_bom": _columns(SCHEMA["bom"][0] + SCHEMA["bom"][1]),
    "declarations": _columns(("part_id", "cn_part1_value", "unknown_origin_part1_value", "currency", "source",
                              "cn_technology")),
    "fx": _columns(("currency", "rate", "date", "source")),
    "units": _columns(("unit", "base", "factor")),
    # sourcing files of `mitigate`
    "options": {
        "part": ("part_id", "part number", "part no", "material", "component", "P/N"),
        "option": ("option name", "sourcing option", "alternative", "supplier option"),
        "origin": ("new origin", "country of origin", "COO", "origin country"),
        "unit_value": ("new unit value", "unit value", "unit price", "new unit price", "price"),
        "cost_delta": ("cost delta", "extra cost", "extra cost per unit", "price delta", "delta cost"),
        "cn_part1_value": ("cn part1 value", "declared cn_part1_value", "china-origin part 1 value"),
        "capacity": ("annual capacity", "max annual units", "capacity per year"),
        "currency": ("crcy", "curr."),
        "source": ("evidence", "reference", "quote"),
    },
    "volumes": {
        "item": ("part_id", "part", "finished item", "product", "material", "part number"),
        "annual_volume": ("annual volume", "volume", "units per year", "annual quantity", "forecast"),
    },
    # supplier declaration forms (the template bomcalc writes, filled in by a supplier)
    "declaration_inputs": _form_columns(RARE_EARTH_INPUT_COLUMNS, {
        "customer_part_number": _DECLARATION_PART_HEADERS,
        "element": ("rare earth element",),
        "alloy_name": ("alloy",),
        "mass_per_unit": ("mass", "mass per unit"),
        "value_per_unit": ("value", "value per unit"),
        "country_of_metal_production": ("country of metal production", "country of alloy production"),
        "cn_technology": ("chinese technology", "chinese rare earth technology", "cn technology"),
    }),
    "declaration_products": _form_columns(PRODUCT_LIST_COLUMNS, {"customer_part_number": _DECLARATION_PART_HEADERS}),
    "declaration_fields": _form_columns(DECLARATION_FIELDS, {"currency": ("currency",),
                                                             "declaration_id": ("declaration number",)}),
    # reference prices (--prices)
    "prices": {"element": (), "form": (), "price_per_kg": ("price", "price per kg", "price/kg"), "currency": (),
               "date": (), "source": ()},
    # a workbook's scenarios sheet (whatif)
    "scenarios": _columns(("scenario", "change", "part", "field", "value", "cn_part1_value",
                           "unknown_origin_part1_value", "source", "with", "under", "parent", "child", "qty", "date",
                           "threshold")),
    # lists without part numbers: the name column (best first), line totals, remarks
    "purchase_list": {
        "name": ("item", "itemname", "name", "part", "partname", "component", "description", "itemdescription"),
        "extended_price": ("extendedprice", "extendedcost", "extprice", "extcost", "lineprice", "linetotal",
                           "totalprice", "total"),
        "remark": ("notes", "note", "comment", "comments", "remark", "remarks", "link", "url"),
    },
    # parts lists of one-file-per-assembly folders: a package price per package quantity
    "package_prices": {"package_price": ("pkgprice", "packageprice", "packprice"),
                       "package_qty": ("pkgqty", "packageqty", "packagequantity", "packqty", "pkgquantity")},
    # screen: shipments (item, parties, end use, date), listed parties and their ownership
    "shipments": {
        "item": ("part_id", "part", "part number", "material", "product", "item number"),
        "consignee": ("importer", "customer", "ship-to", "ship to party", "buyer"),
        "end_user": ("end user", "end-user", "ultimate consignee"),
        "country": ("destination", "destination country", "country of destination", "ship-to country"),
        "end_use": ("end use", "end-use", "intended use", "application"),
        "end_user_type": ("end-user type", "end user type", "end user category", "customer type"),
        "date": ("export date", "ship date", "shipping date", "shipment date"),
        "shipment": ("shipment id", "shipment no", "delivery", "order", "reference"),
        "node_nm": ("process node", "node nm", "node (nm)", "technology node"),
        "layers": ("memory layers", "layer count", "layers"),
    },
    "listed_parties": {"party": ("name", "entity", "party name"), "list": ("list name", "listed on"),
                       "source": ("reference", "announcement")},
    "ownership": {"party": ("subsidiary", "company", "owned party"), "owner": ("shareholder", "parent", "owned by"),
                  "share": ("ownership", "share held", "shareholding", "percent owned", "stake")},
    # BOM quantity headers that mean "extended to the list header" (SAP's multi-level explosion)
    "extended_quantity": {"qty": ("Comp. Qty (BUn)", "Comp. Qty (CUn)")},
}

#: The BOM columns (a view of ``VOCABULARY["bom"]``, documented in the README glossary).
ALIASES = VOCABULARY["bom"]
#: The columns of the canonical price table, in order.
PRICE_COLUMNS = tuple(VOCABULARY["prices"])


def column_lookup(*kinds: str) -> dict[str, str]:
    """Header key (see :func:`header_key`) -> canonical column, for tables of ``kinds`` (keys of
    :data:`VOCABULARY`): each column's own name and every header listed for it. Read at call
    time, so the lookup is always the table's."""
    lookup: dict[str, str] = {}
    for kind in kinds:
        for name, headers in VOCABULARY[kind].items():
            for header in (name, *headers):
                lookup.setdefault(header_key(header), name)
    return lookup


def find_header_row(rows, kind: str, required, search: int = 10) -> tuple[int | None, dict[str, int]]:
    """The first of the first ``search`` rows holding every ``required`` column of ``kind``:
    ``(0-based index, {canonical column: 0-based position})``, or ``(None, {})``. The leftmost
    cell claiming a column wins."""
    lookup = column_lookup(kind)
    for index, row in enumerate(rows[:search]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            name = None if is_blank(cell) else lookup.get(header_key(cell))
            if name is not None and name not in columns:
                columns[name] = position
        if set(required) <= columns.keys():
            return index, columns
    return None, {}


def header_keys(kind: str, column: str) -> tuple[str, ...]:
    """The header keys listed for one column of ``kind``, in the table's order (best first)."""
    return tuple(header_key(header) for header in VOCABULARY[kind][column])


#: Headers never read unless a map file or profile claims them: the suggestion columns of the
#: parts master that ``bomcalc classify`` writes (a suggestion is never an Annex 1 status).
IGNORED_HEADERS = ("suggested_annex1", "confidence", "reason")

#: Columns that carry numbers and are parsed with the file's number style.
NUMERIC_COLUMNS = ("qty", "unit_value", "price_unit", "usage_probability", "alt_rank", "qty_basis")

#: Columns a profile or map file may name besides :data:`ALIASES` (no built-in headers: their
#: headers mean different things in different tools, so only a profile gives them).
PROFILE_ONLY = ("alt_rank", "qty_basis", "designators", "parent_qty")


def header_key(text) -> str:
    """A header reduced for matching: lower case, ASCII letters and digits only.

    A header with no ASCII letter or digit (Chinese ``数量``, full-width ``ＰＮ``) keeps its own
    letters and digits instead (NFKC, case-folded): such headers stay apart from each other, a
    map file can name them, and full-width Latin reads as its ASCII letters.
    """
    text = str(text if text is not None else "")
    key = re.sub(r"[^0-9a-z%]+", "", text.lower())
    if key or text.isascii():
        return key
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum() or ch == "%")


#: Rank bands: a user's map file beats the profile, which beats the built-in table.
USER_RANK, PROFILE_RANK, BUILT_IN_RANK = -1000, 0, 1000


@dataclass(frozen=True)
class Mapping:
    """The headers in use (built-in, a profile's, the user's) with ranks, and layout hints.

    ``claims`` maps a header key to ``((rank, canonical), ...)``: a lower rank wins when two
    header cells claim one canonical name. ``ignore`` holds header keys never read.
    ``profile`` is the export profile in force (``None`` = built-in aliases only) and
    ``auto`` says whether it may still be chosen from the file's headers.
    """

    claims: dict
    layout: dict = field(default_factory=dict)
    origin: str = "built-in aliases"
    ignore: frozenset = frozenset()
    profile: object = None
    user: object = None
    auto: bool = True

    @property
    def lookup(self) -> dict[str, str]:
        """Header key -> its best-ranked canonical name."""
        return {key: min(claims)[1] for key, claims in self.claims.items() if claims}

    def canonical(self, header) -> str | None:
        """The best-ranked canonical name for a header cell, or ``None``."""
        claims = self.claims.get(header_key(header))
        return min(claims)[1] if claims else None

    def expected(self) -> list[str]:
        """The canonical names with a few example headers each, for error messages."""
        return [f"{name} ({', '.join(VOCABULARY['bom'].get(name, ())[1:4])})" for name in VOCABULARY["bom"]]

    def with_profile(self, profile, auto: bool = False) -> "Mapping":
        """The same user map over another profile."""
        return build_mapping(profile, self.user, auto=auto)


def build_mapping(profile=None, user=None, auto: bool = True) -> Mapping:
    """Built-in aliases, overridden by a profile's columns, overridden by a user's map file.

    A header a profile (or the user) names takes only the meaning given there: SAP's "Item
    Number" is the BOM position, never the part number.
    """
    claims: dict[str, list] = {}
    for name, headers in VOCABULARY["bom"].items():
        claims.setdefault(header_key(name), []).append((BUILT_IN_RANK, name))
        for rank, header in enumerate(headers):
            claims.setdefault(header_key(header), []).append((BUILT_IN_RANK + 1 + rank, name))
    ignore: set[str] = {header_key(header) for header in IGNORED_HEADERS}
    layout: dict = {}
    for source, base in ((profile, PROFILE_RANK), (user, USER_RANK)):
        if source is None:
            continue
        replaced: set[str] = set()
        for name, headers in source.columns.items():
            for rank, header in enumerate(headers):
                key = header_key(header)
                if key not in replaced:
                    claims[key] = []
                    replaced.add(key)
                    ignore.discard(key)
                claims[key].append((base + rank, name))
        for header in source.ignore:
            ignore.add(header_key(header))
            claims.pop(header_key(header), None)
        # a profile's hierarchy is a fallback (see layouts); a user's map file decides
        layout.update({k: v for k, v in source.layout.items() if source is user or k != "hierarchy"})
    origin = " + ".join(s.path or s.name for s in (profile, user) if s is not None) or "built-in aliases"
    best: dict[str, tuple] = {}
    for key, found in claims.items():
        ranks: dict[str, int] = {}
        for rank, name in found:
            ranks[name] = min(rank, ranks.get(name, rank))
        best[key] = tuple(sorted((rank, name) for name, rank in ranks.items()))
    return Mapping(best, layout, origin, frozenset(ignore), profile, user, auto)


def default_mapping() -> Mapping:
    """The built-in alias table (export profiles detected from the headers)."""
    return build_mapping()


def known_columns() -> tuple[str, ...]:
    return tuple(VOCABULARY["bom"]) + PROFILE_ONLY


def load_mapping(path: str | os.PathLike | None, profile: str | None = None) -> Mapping:
    """The built-in table, an export profile (``profile``: a name or a TOML file; detected
    from the headers when ``None``) and a TOML map file (``[columns]``, ``ignore``, ``[layout]``:
    the keys of a profile)."""
    from .profiles import find_profile, load_profile_file

    user = load_profile_file(path, known_columns()) if path is not None else None
    chosen = find_profile(profile, known_columns()) if profile else None
    return build_mapping(chosen, user, auto=not profile)


@dataclass(frozen=True)
class Header:
    """Where the header is and which column holds which canonical name."""

    index: int  # 0-based position of the header row
    columns: dict[str, int]  # canonical name -> 0-based column
    cells: list  # the header row as read
    notes: tuple = ()  # how columns were chosen (ranks, ignored columns, the runner-up row)
    ambiguous: tuple = ()  # (canonical, headers) claimed by equally ranked cells: none was used
    score: float = 0.0
    undecided: tuple = ()  # profiles that fit equally well but read quantities differently (sap-cs11, sap-cs12)
