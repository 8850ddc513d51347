"""Unit conversion and duplicate lines together: exact quantities, the given unit kept, rows accounted for."""

from decimal import Decimal

from bomcalc.core.model import bom_from_records


def _bom():
    parts = [dict(part_id=p, uom=u, unit_value=Decimal(1), origin="US") for p, u in
             [("A", "ea"), ("B", "kg"), ("C", "m"), ("D", "ea"), ("E", "kg")]]
    lines = [
        dict(parent="A", child="B", qty=Decimal(500), uom="g"),     # row 2
        dict(parent="A", child="E", qty=Decimal(2), uom=None),      # row 3, given once
        dict(parent="A", child="B", qty=Decimal("0.5"), uom="kg"),  # row 4, another unit than row 2
        dict(parent="A", child="C", qty=Decimal(3), uom="mm"),      # row 5
        dict(parent="A", child="C", qty=Decimal(2), uom="mm"),      # row 6, the same unit as row 5
        dict(parent="A", child="D", qty=Decimal(2), uom=None),      # row 7
        dict(parent="A", child="B", qty=Decimal(1), uom="g"),       # row 8
    ]
    return bom_from_records(parts, lines)


def test_converted_duplicates_are_summed_in_the_childs_unit():
    bom = _bom()
    got = [(r["child"], r["qty"], r["given_qty"], r["given_uom"], r["factor"], r["row"]) for r in bom.lines.to_dict("records")]
    assert got == [
        ("B", Decimal("1.001"), None, "g", Decimal("0.001"), 2),  # 0.5 kg + 0.5 kg + 0.001 kg; units differ, no given_qty
        ("E", Decimal(2), Decimal(2), None, Decimal(1), 3),
        ("C", Decimal("0.005"), Decimal(5), "mm", Decimal("0.001"), 5),  # 3 mm + 2 mm
        ("D", Decimal(2), Decimal(2), None, Decimal(1), 7),
    ]


def test_each_duplicate_is_reported_once_in_the_order_first_given_and_merged_rows_say_where():
    bom = _bom()
    assert [(i.code, i.row, i.part_id) for i in bom.issues] == [
        ("duplicate_line", 2, "B"), ("duplicate_line", 5, "C")]
    assert "rows 2, 4, 8" in bom.issues[0].message and "summed to 1.001" in bom.issues[0].message
    fates = {f.row: (f.fate, f.reason) for f in bom.ledger.fates() if f.sheet == "bom"}
    assert fates == {2: ("used", ""), 3: ("used", ""), 4: ("merged", "summed into row 2"), 5: ("used", ""),
                     6: ("merged", "summed into row 5"), 7: ("used", ""), 8: ("merged", "summed into row 2")}
