"""Hostile corpus cases: injected text, hidden content, look-alikes, numbers, graph shapes, encodings, outputs."""

from __future__ import annotations

import codecs
import unicodedata

from .corpus_base import LINES, PARTS, canonical, case, csv_folder, with_description, write, xlsx
from .xlsx_raw import RawSheet


# --- injection: HTML and terminal -----------------------------------------------------------

XSS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "[x](javascript:alert(3))",
       "![t](https://example.invalid/t.png)", "[d](data:text/html;base64,PHNjcmlwdD4=)"]


@case("xss_descriptions_check")
def _(folder):
    parts = [[p[0], XSS[i % len(XSS)], *p[2:]] for i, p in enumerate(PARTS)]
    return xlsx(folder, "xss_check.xlsx", canonical(parts))


@case("xss_descriptions_html")
def _(folder):
    parts = [[p[0], XSS[i % len(XSS)], *p[2:]] for i, p in enumerate(PARTS)]
    return xlsx(folder, "xss_html.xlsx", canonical(parts))


@case("xss_part_id_csv")
def _(folder):
    evil = "<svg onload=alert(1)>"
    parts = [[evil if p[0] == "S" else p[0], *p[1:]] for p in PARTS]
    lines = [[a, evil if b == "S" else b, q] for a, b, q in LINES]
    return csv_folder(folder, "xss_part_id", parts, lines)


@case("terminal_escape_description")
def _(folder):
    return xlsx(folder, "escape_description.xlsx",
                canonical(with_description("_x001B_[2J_x001B_]0;owned_x0007_ Magnet")))


@case("terminal_escape_error_line")
def _(folder):
    lines = [["P", "M", 1], ["M", "A", 1], ["P", "S", "4_x001B_[2J_x001B_]0;owned_x0007_"]]
    return xlsx(folder, "escape_error.xlsx", canonical(PARTS, lines))


@case("terminal_escape_csv_raw")
def _(folder):
    return csv_folder(folder, "escape_raw_csv", with_description("\x1b[2J\x1b]0;owned\x07 Magnet"))


# --- hidden content and look-alikes ---------------------------------------------------------


@case("hidden_row_in_parts")
def _(folder):
    sheets = canonical()
    sheets[0].hidden_rows = frozenset({3})
    return xlsx(folder, "hidden_row.xlsx", sheets)


@case("autofilter_hidden_row")
def _(folder):
    sheets = canonical()
    sheets[1].hidden_rows = frozenset({4})
    sheets[1].autofilter = "A1:C4"
    return xlsx(folder, "autofilter_hidden.xlsx", sheets)


@case("hidden_declarations_sheet")
def _(folder):
    sheets = canonical() + [RawSheet("declarations", [["part_id", "cn_part1_value", "source"],
                                                      ["M", 0, "supplier letter"]], state="hidden")]
    return xlsx(folder, "hidden_declarations.xlsx", sheets)


@case("very_hidden_sheet")
def _(folder):
    sheets = canonical() + [RawSheet("declarations", [["part_id", "cn_part1_value", "source"],
                                                      ["M", 0, "supplier letter"]], state="veryHidden")]
    return xlsx(folder, "very_hidden.xlsx", sheets)


@case("nfc_nfd_part_ids")
def _(folder):
    nfc, nfd = unicodedata.normalize("NFC", "Bürste"), unicodedata.normalize("NFD", "Bürste")
    parts = PARTS + [[nfc, "Brush", "DE", 3, "USD", ""]]
    lines = LINES + [["P", nfd, 2]]
    return xlsx(folder, "nfc_nfd.xlsx", canonical(parts, lines))


@case("zero_width_part_id")
def _(folder):
    lines = [["P", "M\u200b", 1], ["M", "A", 1], ["P", "S", 4]]
    return xlsx(folder, "zero_width.xlsx", canonical(PARTS, lines))


def _look_alike(folder, name, text):
    lines = [["P", "M", 1], ["M", "A", 1], ["P", "S", text]]
    return csv_folder(folder, name, PARTS, lines)


@case("arabic_indic_digits")
def _(folder):
    return _look_alike(folder, "arabic_digits", "١٢٣")


@case("fullwidth_digits")
def _(folder):
    return _look_alike(folder, "fullwidth_digits", "１２")


@case("underscore_number")
def _(folder):
    return _look_alike(folder, "underscore_number", "1_000")


# --- canonical inputs -----------------------------------------------------------------------


@case("canonical_csv_three_decimals")
def _(folder):
    parts = [[p[0], p[1], p[2], f"{v:.3f}", p[4], p[5]] for p, v in
             zip(PARTS, (500.125, 2000.5, 4.168, 1.25))]
    lines = [["P", "M", "1.000"], ["M", "A", "1.000"], ["P", "S", "4.000"]]
    return csv_folder(folder, "canonical_three_decimals", parts, lines)


@case("title_row_above_canonical_parts")
def _(folder):
    sheets = canonical()
    sheets[0].rows.insert(0, ["Servo parts list, revision C"])
    return xlsx(folder, "title_row_parts.xlsx", sheets)


@case("lower_bound_unknown_origin_alloy")
def _(folder):
    parts = [["M", "Magnet", "JP", 2000, "USD", "part2"], ["A", "Alloy", "", 1, "USD", "part1"],
             ["D", "Dy metal", "CN", 10, "USD", "part1"]]
    return csv_folder(folder, "lower_bound", parts, [["M", "A", 1], ["A", "D", 1]])


# --- graph shapes ---------------------------------------------------------------------------


@case("cycle_two_parts")
def _(folder):
    return csv_folder(folder, "cycle", PARTS, LINES + [["A", "M", 1]])


@case("self_loop")
def _(folder):
    return csv_folder(folder, "self_loop", PARTS, LINES + [["S", "S", 1]])


@case("depth_2000")
def _(folder):
    parts = [["L0", "Product", "JP", 100000, "USD", "part2"]]
    parts += [[f"L{n}", f"level {n}", "JP", 1, "USD", ""] for n in range(1, 2000)]
    parts += [["DY", "Dy oxide", "CN", 50, "USD", "part1"]]
    lines = [[f"L{n}", f"L{n + 1}", 1] for n in range(1999)] + [["L1999", "DY", 1]]
    return csv_folder(folder, "depth_2000", parts, lines)


@case("fan_out_100k")
def _(folder):
    path = folder / "fan_out_100k"
    path.mkdir()
    parts = ["part_id,description,origin,unit_value,currency,annex1", "TOP,Assembly,JP,1000000,USD,part2",
             "DY,Dy oxide,CN,50,USD,part1"]
    parts += [f"C{n:06d},component,DE,1,USD," for n in range(99_999)]
    lines = ["parent,child,qty", "TOP,DY,1"] + [f"TOP,C{n:06d},1" for n in range(99_999)]
    (path / "parts.csv").write_text("\n".join(parts) + "\n")
    (path / "bom.csv").write_text("\n".join(lines) + "\n")
    return path


@case("duplicate_part_ids")
def _(folder):
    return csv_folder(folder, "duplicates", PARTS + [["S", "Screw again", "DE", 2, "USD", ""]], LINES)


@case("unknown_child")
def _(folder):
    return csv_folder(folder, "unknown_child", PARTS, LINES + [["P", "GHOST", 1]])


# --- numbers --------------------------------------------------------------------------------


def _bad_value(folder, name, value, column=3):
    parts = [[*p[:column], value, *p[column + 1:]] if p[0] == "S" else p for p in PARTS]
    return csv_folder(folder, name, parts)


@case("nan_unit_value")
def _(folder):
    return _bad_value(folder, "nan_value", "NaN")


@case("inf_unit_value")
def _(folder):
    return _bad_value(folder, "inf_value", "inf")


@case("huge_exponent_unit_value")
def _(folder):
    return _bad_value(folder, "huge_exponent", "1e999999999")


@case("text_quantity")
def _(folder):
    return csv_folder(folder, "text_qty", PARTS, [["P", "M", 1], ["M", "A", 1], ["P", "S", "four"]])


@case("negative_quantity")
def _(folder):
    return csv_folder(folder, "negative_qty", PARTS, [["P", "M", 1], ["M", "A", 1], ["P", "S", -4]])


@case("nan_inf_xlsx_cells")
def _(folder):
    parts = [[*p[:3], "NaN" if p[0] == "S" else p[3], *p[4:]] for p in PARTS]
    return xlsx(folder, "nan_cells.xlsx", canonical(parts, [["P", "M", 1], ["M", "A", 1], ["P", "S", "inf"]]))


@case("date_in_unit_value_xlsx")
def _(folder):
    import datetime as dt
    parts = [[*p[:3], dt.date(2026, 3, 4) if p[0] == "S" else p[3], *p[4:]] for p in PARTS]
    return xlsx(folder, "date_value.xlsx", canonical(parts))


@case("uncached_formula_xlsx")
def _(folder):
    sheets = canonical()
    sheets[1].extra_cells = '<row r="5"><c r="A5" t="inlineStr"><is><t>P</t></is></c>' \
                            '<c r="B5" t="inlineStr"><is><t>A</t></is></c><c r="C5"><f>1+1</f></c></row>'
    return xlsx(folder, "uncached_formula.xlsx", sheets)


# --- encodings ------------------------------------------------------------------------------


@case("cp1252_csv")
def _(folder):
    return csv_folder(folder, "cp1252", with_description("Ölpumpe für Getriebe, 5 € Rabatt"), encoding="cp1252")


@case("utf16_bom_csv")
def _(folder):
    return csv_folder(folder, "utf16", with_description("Магнит 磁铁"), encoding="utf-16")


@case("utf8_bom_csv")
def _(folder):
    path = csv_folder(folder, "utf8_bom", with_description("磁铁 Magnet"))
    for name in ("parts.csv", "bom.csv"):
        (path / name).write_bytes(codecs.BOM_UTF8 + (path / name).read_bytes())
    return path


@case("utf16_sap_tab_named_xls")
def _(folder):
    text = "Level\tComponent\tDescription\tQty\n0\tP\tServo\t1\n.1\tM\tMagnet\t1\n..2\tA\tDy alloy\t1\n"
    return write(folder, "sap_download.xls", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


# --- outputs and packs ----------------------------------------------------------------------


@case("output_over_input_xlsx")
def _(folder):
    return xlsx(folder, "output_over_input.xlsx", canonical())


@case("output_into_csv_folder_input")
def _(folder):
    return csv_folder(folder, "output_into_folder")


@case("pack_manifest_files_null")
def _(folder):
    path = folder / "pack_null_files"
    path.mkdir()
    (path / "manifest.json").write_text('{"format": 1, "files": null}')
    return path


@case("pack_manifest_path_outside")
def _(folder):
    path = folder / "pack_outside"
    path.mkdir()
    (path / "manifest.json").write_text(
        '{"format": 1, "bomcalc_version": "0", "as_of": "2026-11-11", "input": "../../../../etc/passwd", '
        '"files": {"../../../../etc/passwd": "0000", "/etc/hostname": "0000"}, "unknown_key": 1}')
    return path


@case("clean_canonical_xlsx")
def _(folder):
    return xlsx(folder, "clean.xlsx", canonical())
