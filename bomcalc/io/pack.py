"""Audit packs: everything needed to reproduce a determination, and its verification (I/O layer).

An audit pack is a folder::

    manifest.json     bomcalc version, options, SHA-256 of every file below and of every input
    inputs/           copies of the input files (or only their hashes, with hash_only)
    rulepack.toml     the rule pack used, as text
    result.json       the result document (byte-identical for identical inputs and options)
    result.csv        the items table
    report.xlsx       the Excel report (its Provenance sheet holds the creation time)

:func:`verify_pack` recomputes the result from the pack and confirms it is byte-identical,
or lists what differs and why: a changed or missing input, a changed rule pack, another
bomcalc version, a different result (which items and fields).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import BomError
from ..report import items_table, result_document
from .writers import csv_text, json_text, write_atomic

MANIFEST = "manifest.json"
PACK_FORMAT = 1
READING_KEYS = ("parts", "declarations", "map", "fx", "units", "prices", "currency", "decimal", "qty_mode", "sheet", "profile",
                "root")
READING_KEYS += ("hidden",)
PATH_KEYS = ("parts", "declarations", "map", "fx", "units", "prices")


def sha256(path: Path) -> str:
    """The SHA-256 of a file, or of every file of a folder (names and contents, in order)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(str(member.relative_to(path)).encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(member.read_bytes()).digest())
        return digest.hexdigest()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify_pack`: ``ok`` when the result is reproduced byte for byte."""

    pack: str
    ok: bool
    differences: tuple[str, ...]


def _copy_input(source: Path, inputs: Path, taken: set[str]) -> str:
    name = source.name
    while name in taken:
        name = f"_{name}"
    taken.add(name)
    target = inputs / name
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)
    return f"inputs/{name}"


def _run(folder: Path, bom_path: str, options: dict):
    """Evaluate from paths relative to ``folder`` (the pack) and return the evaluation."""
    from ..api import evaluate, read_workbook

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        reading = {k: v for k, v in options["reading"].items() if v not in (None, [], ())}
        rules = options["rules"]
        bom = read_workbook(bom_path, rules=rules, **reading)
        return evaluate(bom, as_of=options["as_of"], rules=rules, part2_scope=options["part2_scope"],
                        alternates=options["alternates"])
    finally:
        os.chdir(cwd)


def make_pack(folder: str | os.PathLike, bom_path: str | os.PathLike, *, as_of: dt.date, rules: str | None = None,
              part2_scope: str = "materials", alternates: str = "conservative", hash_only: bool = False,
              reading: dict | None = None) -> Path:
    """Write an audit pack for ``bom_path`` into ``folder`` (created; must be new or empty)."""
    from ..io.rulepack import DEFAULT_PACK
    from .excel import write_excel_report

    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BomError(f"{folder}: the audit pack folder exists and is not empty; give a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    reading = {k: v for k, v in (reading or {}).items() if k in READING_KEYS}
    inputs_folder = folder / "inputs"
    taken: set[str] = set()
    originals = {"bom": str(bom_path), **{k: reading.get(k) for k in PATH_KEYS if reading.get(k)}}
    input_hashes = []

    def place(path) -> str:
        source = Path(path)
        if not source.exists():
            raise BomError(f"{source}: no such file or folder")
        input_hashes.append({"original": str(source), "sha256": sha256(source)})
        if hash_only:
            return str(source.resolve())
        inputs_folder.mkdir(exist_ok=True)
        relative = _copy_input(source, inputs_folder, taken)
        input_hashes[-1]["copy"] = relative
        return relative

    bom_in_pack = place(bom_path)
    packed_reading = dict(reading)
    for key in PATH_KEYS:
        value = reading.get(key)
        if not value:
            continue
        packed_reading[key] = [place(v) for v in value] if isinstance(value, (list, tuple)) else place(value)
    if reading.get("profile") and Path(reading["profile"]).is_file():  # a user's profile file, not a shipped name
        packed_reading["profile"] = place(reading["profile"])
    rule_text = (Path(rules).read_text(encoding="utf-8") if rules else
                 (Path(__file__).resolve().parent.parent / "rulepacks" / DEFAULT_PACK).read_text(encoding="utf-8"))
    write_atomic(folder / "rulepack.toml", rule_text.encode("utf-8"))
    options = {"bom": bom_in_pack, "as_of": as_of.isoformat(), "rules": "rulepack.toml", "part2_scope": part2_scope,
               "alternates": alternates, "reading": packed_reading}
    evaluation = _run(folder, bom_in_pack, options)
    write_atomic(folder / "result.json", json_text(result_document(evaluation)).encode("utf-8"))
    write_atomic(folder / "result.csv", csv_text(items_table(evaluation)).encode("utf-8"))
    write_excel_report(folder / "report.xlsx", evaluation)
    manifest = {
        "format": PACK_FORMAT,
        "bomcalc_version": __version__,
        "hash_only": hash_only,
        "options": options,
        "originals": originals,
        "inputs": input_hashes,
        "files": {name: sha256(folder / name) for name in ("rulepack.toml", "result.json", "result.csv", "report.xlsx")},
    }
    write_atomic(folder / MANIFEST, json_text(manifest).encode("utf-8"))
    return folder


def _item_differences(expected: dict, actual: dict) -> list[str]:
    out = []
    before = {item["part_id"]: item for item in expected.get("items", [])}
    after = {item["part_id"]: item for item in actual.get("items", [])}
    for part_id in sorted(set(before) | set(after)):
        if part_id not in after:
            out.append(f"item {part_id} is no longer in the result")
        elif part_id not in before:
            out.append(f"item {part_id} is new in the result")
        else:
            for key in sorted(set(before[part_id]) | set(after[part_id])):
                if before[part_id].get(key) != after[part_id].get(key):
                    out.append(f"item {part_id}: {key} was {before[part_id].get(key)!r}, now {after[part_id].get(key)!r}")
    for key in sorted(set(expected) | set(actual)):
        if key != "items" and expected.get(key) != actual.get(key):
            out.append(f"{key} differs")
    return out


def verify_pack(folder: str | os.PathLike) -> Verification:
    """Recompute an audit pack's result and compare it with the one stored, byte for byte."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BomError(f"{folder}: not an audit pack (no readable {MANIFEST}: {exc})") from None
    differences: list[str] = []
    if manifest.get("bomcalc_version") != __version__:
        differences.append(f"made with bomcalc {manifest.get('bomcalc_version')}, verified with {__version__}")
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists():
            differences.append(f"{name} is missing from the pack")
        elif name != "report.xlsx" and sha256(path) != digest:
            what = "the rule pack" if name == "rulepack.toml" else name
            differences.append(f"{what} changed since the pack was made (SHA-256 {sha256(path)[:12]}..., recorded {digest[:12]}...)")
    for entry in manifest.get("inputs", []):
        path = folder / entry["copy"] if "copy" in entry else Path(entry["original"])
        if not path.exists():
            differences.append(f"input {entry.get('copy', entry['original'])} is missing")
        elif sha256(path) != entry["sha256"]:
            differences.append(f"input {entry.get('copy', entry['original'])} changed (SHA-256 {sha256(path)[:12]}..., "
                               f"recorded {entry['sha256'][:12]}...)")
    stored = (folder / "result.json").read_text(encoding="utf-8") if (folder / "result.json").exists() else ""
    try:
        evaluation = _run(folder, manifest["options"]["bom"], manifest["options"])
        recomputed = json_text(result_document(evaluation))
    except BomError as exc:
        differences.append(f"the result could not be recomputed: {exc}")
        recomputed = None
    if recomputed is not None and recomputed != stored:
        try:
            differences.append("the recomputed result differs from result.json")
            differences.extend(_item_differences(json.loads(stored), json.loads(recomputed)))
        except ValueError:
            differences.append("result.json is not valid JSON")
    if recomputed is not None and (folder / "result.csv").exists():
        if csv_text(items_table(evaluation)) != (folder / "result.csv").read_text(encoding="utf-8"):
            differences.append("the recomputed items table differs from result.csv")
    return Verification(str(folder), not differences, tuple(differences))
