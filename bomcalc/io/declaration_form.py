"""The supplier declaration form: its sheets, fields, product list and rare-earth input columns, and notes (I/O layer)."""

from __future__ import annotations

from .template_columns import Column, DECLARATION_SCOPES, FORMS, MASS_UNITS, PART1_ALLOY_NAMES, RARE_EARTH_ELEMENTS, TECHNOLOGY_ANSWERS, COUNTRY_HELP


# --- The supplier declaration ------------------------------------------------------------

DECLARATION_SHEET = "Declaration"
PRODUCT_LIST_SHEET = "Product List"
INPUTS_SHEET = "Rare Earth Inputs"
INSTRUCTIONS_SHEET = "Instructions"

DECLARATION_FIELDS: tuple[Column, ...] = (
    Column(
        "company_name",
        "Company name",
        "Legal name of the declaring company.",
        "text",
        "Acme Magnetics Co., Ltd.",
        required=True,
    ),
    Column(
        "declaration_scope",
        "Declaration scope",
        "Whether the declaration covers the products on the Product List sheet or everything the company supplies"
        " to you.",
        "Product list or Company-wide",
        "Product list",
        required=True,
        choices=DECLARATION_SCOPES,
    ),
    Column(
        "declaration_date",
        "Declaration date",
        "Date the declaration was completed.",
        "date, YYYY-MM-DD",
        "2026-09-30",
        required=True,
    ),
    Column(
        "declaration_id",
        "Declaration ID",
        "Your reference for this declaration, quoted in the customer's reports.",
        "text",
        "AM-2026-07",
    ),
    Column("contact_name", "Contact name", "Person to ask about the declaration.", "text", "Jane Doe"),
    Column("contact_email", "Contact email", "Email address of the contact.", "text", "jane.doe@example.com"),
    Column(
        "authorised_by",
        "Authorised by",
        "Name and title of the person who authorised the declaration.",
        "text",
        "John Roe, Compliance Manager",
    ),
    Column(
        "currency",
        "Currency of values",
        "Currency of every value on the Rare Earth Inputs sheet unless a row names another.",
        "ISO 4217 code (USD, EUR, JPY, CNY, ...)",
        "USD",
        required=True,
    ),
)

PRODUCT_LIST_COLUMNS: tuple[Column, ...] = (
    Column("supplier_product_number", "Supplier product number", "Your product number.", "text", "NM-48H-220"),
    Column(
        "supplier_product_name",
        "Supplier product name",
        "Your product name.",
        "text",
        "Sintered NdFeB arc magnet 48H",
    ),
    Column(
        "customer_part_number",
        "Customer part number",
        "The customer's part number for the product, as on their purchase order.",
        "text, exactly as the customer writes it",
        "MAG-0042",
        required=True,
    ),
    Column(
        "country_of_origin",
        "Country of origin",
        "Where the product itself originates. Needed when the customer asks for it (a rare-earth metal, alloy or "
        "oxide you sell as it is: the country of the stage that produced it, separation for an oxide, metal or "
        "alloy production for a metal or alloy). A product listed here with no Rare Earth Inputs rows is read "
        "as holding none.",
        COUNTRY_HELP,
        "JP",
    ),
    Column("comments", "Comments", "Anything the customer should know about the product.", "text", ""),
)

RARE_EARTH_INPUT_COLUMNS: tuple[Column, ...] = (
    Column(
        "customer_part_number",
        "Customer part number",
        "The customer's part number of the product this input is in (as on the Product List).",
        "text",
        "MAG-0042",
        required=True,
    ),
    Column(
        "element",
        "Element",
        "The rare-earth element of the input. For an alloy with two rare earths give either; the alloy name says "
        "the rest.",
        "chemical symbol: " + ", ".join(RARE_EARTH_ELEMENTS),
        "Dy",
        required=True,
        choices=tuple(RARE_EARTH_ELEMENTS),
        strict=False,
    ),
    Column(
        "form",
        "Form",
        "The form in which the element enters the product. List each metal, oxide or alloy on its own row; a "
        "magnet row only answers the technology question, its rare-earth inputs need their own rows.",
        ", ".join(FORMS),
        "metal",
        required=True,
        choices=FORMS,
    ),
    Column(
        "alloy_name",
        "Alloy name",
        "The alloy, when the form is alloy.",
        "elements joined by dashes: " + ", ".join(PART1_ALLOY_NAMES) + ", ...",
        "Dy-Fe",
        choices=PART1_ALLOY_NAMES,
        strict=False,
    ),
    Column(
        "mass_per_unit",
        "Mass per unit of product",
        "Mass of this input in one unit of the product. Needed when no value is given.",
        "decimal number, 0 or more, dot as decimal separator",
        "1.5",
        number="non_negative",
    ),
    Column("mass_unit", "Mass unit", "Unit of the mass.", ", ".join(MASS_UNITS), "g", choices=MASS_UNITS),
    Column(
        "value_per_unit",
        "Value per unit of product",
        "Value of this input in one unit of the product (what the input cost you).",
        "decimal number, 0 or more [currency per unit of product]",
        "0.52",
        number="non_negative",
    ),
    Column(
        "currency",
        "Currency",
        "Currency of the value, when it differs from the currency on the Declaration sheet.",
        "ISO 4217 code; blank = Currency of values",
        "USD",
    ),
    Column("country_of_mining", "Country of mining", "Where the rare-earth ore was mined.", COUNTRY_HELP, "AU"),
    Column(
        "country_of_separation",
        "Country of separation",
        "Where the rare earths were separated into oxides. This is the origin of an oxide input.",
        COUNTRY_HELP,
        "CN",
    ),
    Column(
        "country_of_metal_production",
        "Country of metal or alloy production",
        "Where the metal or alloy was produced (smelted, alloyed). This is the origin of a metal or alloy input.",
        COUNTRY_HELP,
        "JP",
    ),
    Column(
        "country_of_magnet_production",
        "Country of magnet production",
        "Where the magnet was made, for magnet rows.",
        COUNTRY_HELP,
        "VN",
    ),
    Column(
        "cn_technology",
        "Produced with Chinese rare-earth technology",
        "Whether this input or the product was made with Chinese rare-earth mining, separation, smelting, "
        "magnet-making or recycling technology.",
        ", ".join(TECHNOLOGY_ANSWERS),
        "no",
        choices=TECHNOLOGY_ANSWERS,
    ),
    Column(
        "evidence",
        "Evidence",
        "Reference of the document that supports the row (smelter certificate, invoice, audit report).",
        "text",
        "Smelter certificate SC-2291",
    ),
)

DECLARATION_NOTES: tuple[str, ...] = (
    "This declaration reports the rare-earth content of the products you supply, for the customer's assessment "
    "under MOFCOM Announcement No. 61 (2025).",
    "Declaration: fill in the Value column of every field. Product List: one row per product covered. Rare Earth "
    "Inputs: one row per rare-earth input per product.",
    "Every row below a header is read as data: there are no example rows in the data sheets. The example column "
    "above shows what a filled-in cell looks like.",
    "Give the value per unit of product where you can. If you cannot, give the mass and its unit: the customer "
    "will value it at a reference price and say so.",
    "Origin of an input is the country of the stage that produced it: separation for oxides, metal or alloy "
    "production for metals and alloys. An alloy made in Japan from oxide separated in China is of Japanese "
    "origin; list the oxide as its own row with its value if it should be reported.",
    "Numbers use a dot as decimal separator. Countries are ISO alpha-2 codes. Write 'unknown' rather than guessing.",
)
