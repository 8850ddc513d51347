"""Build the sample bills of materials in bomcalc's canonical input form.

Run from the repository root (or anywhere):

    python sample_boms/build_samples.py

It writes, next to this file:

- ``servo_actuator.xlsx``     industrial servo actuator (multi-level, shared sub-assemblies)
- ``ebike_hub_motor.xlsx``    e-bike hub motor (cases on both sides of the 0.1% line)
- ``ebike_hub_motor/``        the same hub motor as ``parts.csv``, ``bom.csv``, ``declarations.csv``
- ``sputtering_target.xlsx``  Gd and Sm sputtering targets (origin and technology limbs)

Canonical workbook: sheets ``parts``, ``bom`` and (optional) ``declarations``, header in row 1,
data from row 2. Part ids are written as text cells, numbers as numeric cells, blanks as empty
cells. All prices are illustrative, in USD; ``unit_value`` is the value of one unit of the part
in its ``uom`` and ``qty`` is the quantity of the child per one unit of the parent, in the
child's ``uom``. The expected results for every Annex 1 item are worked out in README.md.

The data below is the single source of every sample: edit it here and run the script again.
"""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

CURRENCY = "USD"

PART_COLUMNS = (
    "part_id",
    "description",
    "origin",
    "unit_value",
    "currency",
    "uom",
    "annex1",
    "cn_technology",
)
BOM_COLUMNS = ("parent", "child", "qty")
DECLARATION_COLUMNS = ("part_id", "cn_part1_value", "unknown_origin_part1_value", "source")

# Fixed document timestamps, so that re-running the script changes nothing but zip metadata.
DOCUMENT_DATE = datetime.datetime(2026, 1, 15, 9, 0, 0)

# Part rows: (part_id, description, origin, unit_value, uom, annex1, cn_technology).
# The currency column is filled with CURRENCY when the sheet is written.
# origin None = blank cell (unknown); "unknown" is written as the word.
# unit_value None = blank (assemblies, or a Part 2 item valued from its components).
# annex1 None = not an Annex 1 item; cn_technology None = blank cell.

# --------------------------------------------------------------------------------------------
# 1. Industrial servo actuator SRV-100
# --------------------------------------------------------------------------------------------
SERVO_PARTS = [
    ("SRV-100", "Industrial servo actuator, 1.5 kW, 48:1 planetary output", "DE", 1480.00, "ea", None, None),
    ("MOT-100", "Servo motor assembly, 1.5 kW, 3000 rpm", "DE", None, "ea", None, None),
    ("STA-100", "Stator assembly, 12 slots, wound and impregnated", "DE", None, "ea", None, None),
    ("LAM-STA", "Stator lamination stack, M270-35A, 60 mm", "CZ", 38.50, "ea", None, None),
    ("WIRE-CU", "Enamelled copper magnet wire, grade 2, 0.8 mm", "DE", 12.40, "kg", None, None),
    ("ROT-100", "Rotor assembly, 10 poles, surface-mounted magnets", "DE", None, "ea", None, None),
    ("SHAFT-100", "Rotor shaft, 42CrMo4, ground", "DE", 21.00, "ea", None, None),
    ("LAM-ROT", "Rotor lamination stack, M270-35A", "CZ", 16.80, "ea", None, None),
    ("MAG-ARC", "NdFeB arc magnet segment, grade 42SH, 24 g, Dy grain-boundary diffused", "JP", 2.60, "ea", "part2", False),
    ("NDPR-MET", "Praseodymium-neodymium (PrNd) metal, 99.5%", "CN", 85.00, "kg", None, None),
    ("FE-ELEC", "Electrolytic iron, 99.9%", "SE", 1.20, "kg", None, None),
    ("FEB-ALY", "Ferro-boron, 18% B", "JP", 3.50, "kg", None, None),
    ("DYFE-JP", "Dysprosium-iron alloy, 80% Dy", "JP", 290.00, "kg", "part1", False),
    ("DY-MET", "Dysprosium metal, 99.5%", "CN", 350.00, "kg", "part1", False),
    ("SLV-CF", "Carbon-fibre magnet retention sleeve", "DE", 9.60, "ea", None, None),
    ("BRK-100", "Permanent-magnet holding brake, 24 V, 4.5 N·m", "DE", None, "ea", None, None),
    ("MAG-BRK", "NdFeB ring magnet for holding brake, 62 g, Ni-Cu-Ni plated", "DE", None, "ea", "part2", False),
    ("NDFEB-POW", "NdFeB alloy powder, Dy-free grade", "VN", 55.00, "kg", None, None),
    ("TB-OX", "Terbium oxide, 99.99%, bought from a trader, origin not documented", None, 1000.00, "kg", "part1", False),
    ("NI-PLATE", "Ni-Cu-Ni plating, per ring magnet", "DE", 0.45, "ea", None, None),
    ("BRK-COIL", "Brake coil, 24 V", "DE", 14.20, "ea", None, None),
    ("BRK-ARM", "Brake armature disc", "DE", 6.30, "ea", None, None),
    ("ENC-100", "Magnetic absolute encoder kit, 19 bit", "DE", None, "ea", None, None),
    ("MAG-ENC", "NdFeB diametric disc magnet, 6 x 2.5 mm, for encoder", "DE", 1.80, "ea", "part2", False),
    ("FERRITE-ENC", "Hard ferrite diametric disc magnet, 6 x 2.5 mm (alternative to MAG-ENC)", "IN", 0.35, "ea", None, False),
    ("PCB-ENC", "Encoder sensor board, assembled", "DE", 27.50, "ea", None, None),
    ("HUB-ENC", "Encoder magnet hub, stainless steel", "DE", 3.20, "ea", None, None),
    ("BRG-6205", "Deep-groove ball bearing 6205-2RS", "IT", 4.10, "ea", None, None),
    ("BRG-6204", "Deep-groove ball bearing 6204-2RS", "IT", 3.60, "ea", None, None),
    ("HSG-MOT", "Motor housing, aluminium die casting, machined", "CZ", 46.00, "ea", None, None),
    ("GBX-100", "Planetary gearbox, 2-stage, 48:1, with output-side encoder", "DE", None, "ea", None, None),
    ("GEAR-SET", "Planetary gear set, 2-stage", "DE", 142.00, "ea", None, None),
    ("BRG-XRB", "Crossed roller output bearing", "JP", 88.00, "ea", None, None),
    ("DRV-100", "Integrated drive electronics, 48 V", "DE", None, "ea", None, None),
    ("PCB-DRV", "Drive control board, assembled", "DE", 96.00, "ea", None, None),
    ("PWR-MOD", "MOSFET power stage module, 48 V 60 A", "MY", 34.00, "ea", None, None),
    ("CBL-PWR", "Hybrid power and feedback cable", "DE", 6.80, "m", None, None),
    ("CON-M23", "M23 circular connector, 9-pin", "DE", 11.50, "ea", None, None),
    ("100234", "Socket head cap screw M5 x 16, A2-70", "unknown", 0.06, "ea", None, None),
]

# BOM lines: (parent, child, qty per one parent, in the child's uom).
# ENC-100 is used under MOT-100 and under GBX-100; DYFE-JP under MAG-ARC and MAG-BRK;
# DY-MET under MAG-ARC and DYFE-JP: the structure is a DAG, not a tree.
SERVO_BOM = [
    ("SRV-100", "MOT-100", 1),
    ("SRV-100", "GBX-100", 1),
    ("SRV-100", "DRV-100", 1),
    ("SRV-100", "CBL-PWR", 1.5),
    ("SRV-100", "CON-M23", 2),
    ("SRV-100", "100234", 16),
    ("MOT-100", "STA-100", 1),
    ("MOT-100", "ROT-100", 1),
    ("MOT-100", "BRK-100", 1),
    ("MOT-100", "ENC-100", 1),
    ("MOT-100", "BRG-6205", 1),
    ("MOT-100", "BRG-6204", 1),
    ("MOT-100", "HSG-MOT", 1),
    ("STA-100", "LAM-STA", 1),
    ("STA-100", "WIRE-CU", 0.85),
    ("ROT-100", "SHAFT-100", 1),
    ("ROT-100", "LAM-ROT", 1),
    ("ROT-100", "MAG-ARC", 10),
    ("ROT-100", "SLV-CF", 1),
    ("MAG-ARC", "NDPR-MET", 0.0070),
    ("MAG-ARC", "FE-ELEC", 0.0158),
    ("MAG-ARC", "FEB-ALY", 0.0006),
    ("MAG-ARC", "DYFE-JP", 0.0003),
    ("MAG-ARC", "DY-MET", 0.00012),
    ("DYFE-JP", "DY-MET", 0.8),
    ("DYFE-JP", "FE-ELEC", 0.2),
    ("BRK-100", "MAG-BRK", 1),
    ("BRK-100", "BRK-COIL", 1),
    ("BRK-100", "BRK-ARM", 1),
    ("MAG-BRK", "NDFEB-POW", 0.062),
    ("MAG-BRK", "TB-OX", 0.00005),
    ("MAG-BRK", "DYFE-JP", 0.00001),
    ("MAG-BRK", "NI-PLATE", 1),
    ("ENC-100", "MAG-ENC", 1),
    ("ENC-100", "PCB-ENC", 1),
    ("ENC-100", "HUB-ENC", 1),
    ("GBX-100", "GEAR-SET", 1),
    ("GBX-100", "BRG-XRB", 1),
    ("GBX-100", "ENC-100", 1),
    ("DRV-100", "PCB-DRV", 1),
    ("DRV-100", "PWR-MOD", 1),
]

# Declarations: (part_id, cn_part1_value, unknown_origin_part1_value, source), per one unit.
SERVO_DECLARATIONS = [
    ("MAG-ENC", 0.0006, 0, "Supplier declaration SD-2026-014, 2026-09-30"),
]

# --------------------------------------------------------------------------------------------
# 2. E-bike hub motor HUB-250
# --------------------------------------------------------------------------------------------
EBIKE_PARTS = [
    ("HUB-250", "E-bike rear hub motor, 36 V 250 W, direct drive, integrated controller", "PL", 185.00, "ea", None, None),
    ("STA-250", "Stator assembly, 51 slots, wound", "PL", None, "ea", None, None),
    ("LAM-250", "Stator lamination stack, 0.35 mm silicon steel", "CN", 14.50, "ea", None, None),
    ("CU-WIRE", "Enamelled copper wire, 0.5 mm", "CN", 11.80, "kg", None, None),
    ("004711", "Slot insulation paper, aramid, set per stator", "US", 1.90, "ea", None, None),
    ("HALL-PCB", "Hall sensor board, 3 sensors + NTC", "PL", None, "ea", None, None),
    ("HALL-IC", "Bipolar latching Hall-effect sensor", "PH", 0.38, "ea", None, None),
    ("PCB-HALL", "Hall board, bare PCB with NTC", "PL", 0.55, "ea", None, None),
    ("ROT-250", "Rotor assembly, 46 poles, steel back-iron ring in hub shell", "PL", None, "ea", None, None),
    ("SHELL-250", "Hub shell, die-cast aluminium with steel back-iron ring", "PL", 22.00, "ea", None, None),
    ("MAG-HUB", "NdFeB block magnet 30 x 12 x 2.5 mm, grade 38UH, Dy grain-boundary diffused", "VN", 0.62, "ea", "part2", False),
    ("NDFEB-ALY", "NdFeB strip-cast alloy, Dy-free", "VN", 0.052, "g", None, None),
    ("DY-MET", "Dysprosium metal for grain-boundary diffusion, 99.5%", "CN", 0.35, "g", "part1", False),
    ("COAT-MAG", "Epoxy coating, per magnet", "VN", 0.03, "ea", None, None),
    ("MAG-HALL", "Bonded NdFeB multipole ring magnet for Hall commutation, 46 poles", "TW", 2.10, "ea", "part2", False),
    ("NDFEB-BND", "Bonded NdFeB compound, PA12 binder", "TW", 0.045, "g", None, None),
    ("TB-MET", "Terbium metal, 99.9%", "CN", 0.70, "g", "part1", False),
    ("MAG-SPD", "NdFeB disc magnet Ø8 x 3 mm for wheel-speed Hall sensor", "TW", 0.90, "ea", "part2", False),
    ("CTRL-36V", "Motor controller, 36 V 15 A, sine-wave, assembled", "PL", None, "ea", None, None),
    ("PCB-CTRL", "Controller board, assembled", "PL", 16.40, "ea", None, None),
    ("MOSFET", "N-channel MOSFET 75 V, TO-220", "MY", 0.48, "ea", None, None),
    ("CASE-CTRL", "Controller case, extruded aluminium", "CN", 3.20, "ea", None, None),
    ("AXLE-250", "Axle, 12 mm, hollow for cable exit", "TW", 5.60, "ea", None, None),
    ("BRG-6001", "Deep-groove ball bearing 6001-2RS", "CN", 0.85, "ea", None, None),
    ("CBL-9P", "Motor cable, 9-pin waterproof connector, 1.2 m", "CN", 4.30, "ea", None, None),
    ("SCR-M4", "Pan head screw M4 x 10, stainless", "unknown", 0.03, "ea", None, None),
]

EBIKE_BOM = [
    ("HUB-250", "STA-250", 1),
    ("HUB-250", "ROT-250", 1),
    ("HUB-250", "CTRL-36V", 1),
    ("HUB-250", "AXLE-250", 1),
    ("HUB-250", "BRG-6001", 2),
    ("HUB-250", "CBL-9P", 1),
    ("HUB-250", "MAG-SPD", 1),
    ("HUB-250", "SCR-M4", 12),
    ("STA-250", "LAM-250", 1),
    ("STA-250", "CU-WIRE", 0.62),
    ("STA-250", "004711", 1),
    ("STA-250", "HALL-PCB", 1),
    ("HALL-PCB", "HALL-IC", 3),
    ("HALL-PCB", "PCB-HALL", 1),
    ("ROT-250", "SHELL-250", 1),
    ("ROT-250", "MAG-HUB", 46),
    ("ROT-250", "MAG-HALL", 1),
    ("MAG-HUB", "NDFEB-ALY", 6.9),
    ("MAG-HUB", "DY-MET", 0.034),
    ("MAG-HUB", "COAT-MAG", 1),
    ("MAG-HALL", "NDFEB-BND", 12),
    ("MAG-HALL", "TB-MET", 0.003),
    ("CTRL-36V", "PCB-CTRL", 1),
    ("CTRL-36V", "MOSFET", 6),
    ("CTRL-36V", "CASE-CTRL", 1),
]

EBIKE_DECLARATIONS = [
    ("MAG-SPD", 0.000899, None, "Supplier declaration MS-0457, 2026-08-12"),
]

# --------------------------------------------------------------------------------------------
# 3. Rare-earth sputtering targets, set KIT-PVD-01
# --------------------------------------------------------------------------------------------
SPUTTERING_PARTS = [
    ("KIT-PVD-01", "Rare-earth sputtering target set for a magnetic thin-film line", "US", None, "ea", None, None),
    ("TGT-GD-01", "Gadolinium sputtering target 3 in x 0.25 in, In-bonded to Cu backing plate, cast with a licensed Chinese rare-earth metal-smelting process", "US", 1850.00, "ea", "part2", True),
    ("TGT-GD-02", "Gadolinium sputtering target 3 in x 0.25 in, In-bonded to Cu backing plate", "KR", 1720.00, "ea", "part2", False),
    ("TGT-SM-01", "Samarium sputtering target 3 in x 0.25 in, bonded, bought finished", "CN", 1350.00, "ea", "part2", False),
    ("TGT-SM-02", "Samarium sputtering target 3 in x 0.25 in, In-bonded to Cu backing plate", "KR", 1480.00, "ea", "part2", False),
    ("TGT-SM-03", "Samarium sputtering target 3 in x 0.25 in, In-bonded to Cu backing plate", "US", 1560.00, "ea", "part2", False),
    ("GD-MET-MY", "Gadolinium metal, 99.95%", "MY", 950.00, "kg", "part1", False),
    ("GD-MET-JP", "Gadolinium metal, 99.95%", "JP", 1010.00, "kg", "part1", False),
    ("SM-MET-CN", "Samarium metal, 99.9%", "CN", 420.00, "kg", "part1", False),
    ("SM-MET-VN", "Samarium metal, 99.9%, smelted with a licensed Chinese process", "VN", 510.00, "kg", "part1", True),
    ("CU-BP", "Oxygen-free copper backing plate, 3 in", "US", 85.00, "ea", None, None),
    ("IN-BOND", "Indium bonding solder", "CA", 380.00, "kg", None, None),
]

SPUTTERING_BOM = [
    ("KIT-PVD-01", "TGT-GD-01", 1),
    ("KIT-PVD-01", "TGT-GD-02", 1),
    ("KIT-PVD-01", "TGT-SM-01", 1),
    ("KIT-PVD-01", "TGT-SM-02", 1),
    ("KIT-PVD-01", "TGT-SM-03", 1),
    ("TGT-GD-01", "GD-MET-MY", 0.26),
    ("TGT-GD-01", "CU-BP", 1),
    ("TGT-GD-01", "IN-BOND", 0.015),
    ("TGT-GD-02", "GD-MET-JP", 0.26),
    ("TGT-GD-02", "CU-BP", 1),
    ("TGT-GD-02", "IN-BOND", 0.015),
    ("TGT-SM-02", "SM-MET-CN", 0.24),
    ("TGT-SM-02", "CU-BP", 1),
    ("TGT-SM-02", "IN-BOND", 0.015),
    ("TGT-SM-03", "SM-MET-VN", 0.24),
    ("TGT-SM-03", "CU-BP", 1),
    ("TGT-SM-03", "IN-BOND", 0.015),
]

# No declarations sheet: the sheet is optional.
SPUTTERING_DECLARATIONS = None

# (file stem, parts, bom, declarations, also write a CSV folder)
SAMPLES = [
    ("servo_actuator", SERVO_PARTS, SERVO_BOM, SERVO_DECLARATIONS, False),
    ("ebike_hub_motor", EBIKE_PARTS, EBIKE_BOM, EBIKE_DECLARATIONS, True),
    ("sputtering_target", SPUTTERING_PARTS, SPUTTERING_BOM, SPUTTERING_DECLARATIONS, False),
]


def part_rows(parts):
    """Expand part tuples to full canonical rows (currency inserted after unit_value)."""
    return [
        (part_id, description, origin, unit_value, CURRENCY, uom, annex1, cn_technology)
        for part_id, description, origin, unit_value, uom, annex1, cn_technology in parts
    ]


def check_sample(name, parts, bom, declarations):
    """Fail early on a sample that is not in canonical form."""
    ids = [row[0] for row in parts]
    duplicates = sorted({part_id for part_id in ids if ids.count(part_id) > 1})
    if duplicates:
        raise ValueError(f"{name}: duplicate part ids {duplicates}")
    known = set(ids)
    for parent, child, qty in bom:
        if parent not in known or child not in known:
            raise ValueError(f"{name}: BOM line {parent} -> {child} names an unknown part")
        if not qty > 0:
            raise ValueError(f"{name}: BOM line {parent} -> {child} has qty {qty}")
    for part_id, *_ in declarations or []:
        if part_id not in known:
            raise ValueError(f"{name}: declaration for unknown part {part_id}")


def _write_sheet(workbook, title, columns, rows, text_columns):
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        if column in text_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
        width = max(len(str(value)) for value in [column, *(row[index - 1] for row in rows)] if value is not None)
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def write_workbook(path, parts, bom, declarations):
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "bomcalc sample_boms/build_samples.py"
    workbook.properties.title = path.stem
    workbook.properties.created = DOCUMENT_DATE
    workbook.properties.modified = DOCUMENT_DATE
    _write_sheet(workbook, "parts", PART_COLUMNS, part_rows(parts), {"part_id"})
    _write_sheet(workbook, "bom", BOM_COLUMNS, bom, {"parent", "child"})
    if declarations is not None:
        _write_sheet(workbook, "declarations", DECLARATION_COLUMNS, declarations, {"part_id"})
    workbook.save(path)


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _write_csv(path, columns, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])


def write_csv_folder(folder, parts, bom, declarations):
    folder.mkdir(exist_ok=True)
    _write_csv(folder / "parts.csv", PART_COLUMNS, part_rows(parts))
    _write_csv(folder / "bom.csv", BOM_COLUMNS, bom)
    _write_csv(folder / "declarations.csv", DECLARATION_COLUMNS, declarations or [])


def main():
    for stem, parts, bom, declarations, with_csv in SAMPLES:
        check_sample(stem, parts, bom, declarations)
        workbook_path = HERE / f"{stem}.xlsx"
        write_workbook(workbook_path, parts, bom, declarations)
        print(f"wrote {workbook_path.relative_to(HERE.parent)}")
        if with_csv:
            write_csv_folder(HERE / stem, parts, bom, declarations)
            print(f"wrote {(HERE / stem).relative_to(HERE.parent)}/{{parts,bom,declarations}}.csv")


if __name__ == "__main__":
    main()
