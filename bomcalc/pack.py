"""Audit packs: everything needed to reproduce a determination, and its verification (interface layer).

An audit pack is a folder::

    manifest.json     bomcalc version, options, SHA-256 of every file below and of every input
    inputs/           copies of the input files (or only their hashes, with hash_only)
    rulepack.toml     the rule pack used, as text
    result.json       the result document (byte-identical for identical inputs and options)
    result.csv        the items table
    report.xlsx       the Excel report (its Provenance sheet holds the creation time)
    contributions.csv every contribution of every Part 2 item (the workbook lists the largest)

:func:`make_pack` builds the pack under a temporary name beside its folder and renames it when
complete, so an interrupted run leaves nothing behind. :func:`verify_pack` treats the pack as
untrusted input (:mod:`bomcalc.pack_trust`), recomputes the result from the pack and confirms
it is byte-identical, or lists what differs and why: a changed, missing or unlisted file, a
missing hash, a changed rule pack or report, another bomcalc version, a different result
(which items and fields).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ._version import __version__
from .core.errors import BomError
from .report.audit import contributions_table
from .report.contributions_file import contributions_csv_text
from .report.documents import items_table, result_document
from .pack_trust import (
    MANIFEST,
    PACK_FILES,
    LATER_PACK_FILES,
    PACK_FORMAT,
    PATH_KEYS,
    READING_KEYS,
    ManifestError,
    UnsafeFile,
    check_manifest,
    file_sha256,
    inspect_pack,
    read_small,
)
from .io.writers import atomic_folder, csv_text, json_text, write_atomic

__all__ = ["make_pack", "verify_pack", "Verification", "ManifestError", "PACK_FORMAT", "sha256"]


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


def _run(folder: Path, bom_path: str, options: dict, progress=None):
    """Evaluate from paths relative to ``folder`` (the pack) and return the evaluation."""
    from .api import RuleOptions, evaluate, read_workbook
    from .core.progress import tell
    from .io.rulepack import self_contained_text

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        reading = {k: v for k, v in options["reading"].items() if v not in (None, [], ())}
        self_contained_text(options["rules"])  # an overlay in the pack extends a packaged pack, never a file outside it
        given = RuleOptions(as_of=options["as_of"], rules=options["rules"], part2_scope=options["part2_scope"],
                            alternates=options["alternates"], destination=options.get("destination")).resolved()
        tell(progress, f"reading {Path(bom_path).name}", 0, 1)
        bom = read_workbook(bom_path, rules=given.rules, **reading)
        tell(progress, f"reading {Path(bom_path).name}", 1, 1)
        return evaluate(bom, options=given, progress=progress)
    finally:
        os.chdir(cwd)


def make_pack(folder: str | os.PathLike, bom_path: str | os.PathLike, *, as_of: dt.date | str | None = None,
              rules: str | None = None, part2_scope: str = "materials", alternates: str = "conservative",
              hash_only: bool = False, reading=None, options=None, top: int | None = None, progress=None) -> Path:
    """Write an audit pack for ``bom_path`` into ``folder`` (created; must be new or empty).

    ``options``: the rule options as a :class:`bomcalc.api.RuleOptions` record (``as_of``,
    ``rules``, ``part2_scope`` and ``alternates`` are then ignored); ``rules`` must be a file (a pack, or an
    overlay on a packaged pack) or a packaged pack's id.
    ``reading``: a :class:`~bomcalc.io.readers.ReadOptions` record or a dict of its fields.
    ``top``: contributors listed per item in report.xlsx (every one is in contributions.csv).
    ``progress``: a ``progress(stage, done, total)`` callback (:mod:`bomcalc.core.progress`).

    The pack is built in a temporary folder beside ``folder`` and renamed to ``folder`` when
    complete; on any failure, Ctrl-C included, the temporary folder is removed.
    """
    from .api import RuleOptions, parse_date, reading_dict
    from .io.readers import ReadOptions
    from .io.rulepack import self_contained_text
    from .report.excel import DEFAULT_TOP, write_excel_report

    given = options or RuleOptions(as_of=as_of, rules=rules, part2_scope=part2_scope, alternates=alternates)
    if given.rules is not None and given.rules_file is None:
        raise BomError("an audit pack records the rule pack as a file; give its path, not a loaded pack")
    if given.accept != "none":
        raise BomError("an audit pack records only Annex 1 statuses the user gave, not accepted suggestions: review "
                       "them into a parts master (bomcalc classify BOM --output master.xlsx) and pack with --parts")
    as_of, rules, part2_scope, alternates = parse_date(given.as_of), given.rules_file, given.part2_scope, given.alternates
    if isinstance(reading, ReadOptions):
        reading = reading_dict(reading)
    target = Path(folder)
    with atomic_folder(target) as folder:
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
        write_atomic(folder / "rulepack.toml", self_contained_text(rules).encode("utf-8"))
        options = {"bom": bom_in_pack, "as_of": as_of.isoformat(), "rules": "rulepack.toml", "part2_scope": part2_scope,
                   "alternates": alternates, "reading": packed_reading,
                   **({"destination": given.destination} if given.destination else {})}
        evaluation = _run(folder, bom_in_pack, options, progress)
        write_atomic(folder / "result.json", json_text(result_document(evaluation)).encode("utf-8"))
        write_atomic(folder / "result.csv", csv_text(items_table(evaluation)).encode("utf-8"))
        write_excel_report(folder / "report.xlsx", evaluation, top=DEFAULT_TOP if top is None else top,
                           contributions_csv=folder / "contributions.csv",
                           elsewhere="contributions.csv of this audit pack", progress=progress)
        manifest = {
            "format": PACK_FORMAT,
            "bomcalc_version": __version__,
            "hash_only": hash_only,
            "options": options,
            "originals": originals,
            "inputs": input_hashes,
            "files": {name: sha256(folder / name) for name in PACK_FILES},
        }
        write_atomic(folder / MANIFEST, json_text(manifest).encode("utf-8"))
    return target


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


def _safe_path(folder: Path, relative: str, unsafe: set[str]) -> Path:
    """``folder / relative`` when it is inside the pack with no symbolic link on the way, else UnsafeFile."""
    if any(relative == bad or relative.startswith(bad + "/") for bad in unsafe):
        raise UnsafeFile("was not read (see above)")
    path = folder / relative
    real_folder = Path(os.path.realpath(folder))
    if Path(os.path.realpath(path)) != real_folder / relative:
        raise UnsafeFile("leads out of the pack through a symbolic link; it was not read")
    return path


def _check_inputs(folder: Path, manifest, unsafe: set[str], differences: list[str]) -> bool:
    """Compare every recorded input with its SHA-256; True when one the evaluation reads cannot be used."""
    blocked = False
    for _label, path, recorded in manifest.inputs:
        try:
            if manifest.hash_only:
                digest = file_sha256(Path(path), follow=True)
            else:
                digest = file_sha256(_safe_path(folder, path, unsafe))
        except UnsafeFile as exc:
            present = os.path.lexists(path if manifest.hash_only else folder / path)
            differences.append(f"input {path} {exc}" if present else f"input {path} is missing")
            blocked = True
            continue
        if recorded is None:
            differences.append(f"input {path} has no recorded SHA-256 in the manifest, so it cannot be confirmed")
            blocked |= manifest.hash_only
        elif digest != recorded:
            differences.append(f"input {path} changed (SHA-256 {digest[:12]}..., recorded {recorded[:12]}...)")
            blocked |= manifest.hash_only  # an original outside the pack is read only when it is the one recorded
    return blocked


def verify_pack(folder: str | os.PathLike) -> Verification:
    """Recompute an audit pack's result and compare it with the one stored, byte for byte.

    The pack is untrusted input (:mod:`bomcalc.pack_trust`): a malformed manifest raises
    :class:`~bomcalc.pack_trust.ManifestError`; a missing or changed file, a missing hash,
    a file the manifest does not list, a link, a device or an oversized file is a difference,
    and no such file is ever read. The result is recomputed only from files inside the pack
    (or, for a hash-only pack, from originals whose SHA-256 matches the one recorded).
    """
    given = str(folder)
    folder = Path(os.path.realpath(folder))  # the path the user gave may be a link; nothing inside it may
    if not folder.is_dir():
        raise ManifestError(f"{given}: not an audit pack (not a folder)")
    where = str(Path(given) / MANIFEST)
    try:
        data = json.loads(read_small(folder / MANIFEST).decode("utf-8"))
    except UnsafeFile as exc:
        raise ManifestError(f"{where}: {exc}; not an audit pack") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ManifestError(f"{where}: not valid JSON ({exc}); not an audit pack") from None
    manifest = check_manifest(data, where)
    differences, unsafe = inspect_pack(folder, manifest)
    blocked = False  # True when a file the evaluation reads is unsafe, missing or (outside the pack) changed
    if data["bomcalc_version"] != __version__:
        differences.append(f"made with bomcalc {data['bomcalc_version']}, verified with {__version__}")
    for name in PACK_FILES:
        what = "the rule pack" if name == "rulepack.toml" else name
        recorded = manifest.files.get(name)
        if name in LATER_PACK_FILES and recorded is None and not os.path.lexists(folder / name):
            continue  # a pack made before this file was part of one
        digest = _pack_digest(folder, name, unsafe, differences)
        if digest is None:
            blocked |= name == "rulepack.toml"
        elif recorded is None:
            differences.append(f"{name} has no recorded SHA-256 in the manifest, so it cannot be confirmed")
        elif digest != recorded:
            differences.append(f"{what} changed since the pack was made (SHA-256 {digest[:12]}..., recorded {recorded[:12]}...)")
    blocked |= _check_inputs(folder, manifest, unsafe, differences)
    profile = data["options"]["reading"].get("profile")
    if profile and not any(label == "options.reading.profile" for label, _, _ in manifest.inputs) and \
            os.path.lexists(folder / profile):
        differences.append(f"{profile} in the pack shadows the shipped profile of that name; it was not read")
        blocked = True
    stored_json = _pack_text(folder, "result.json", unsafe)
    stored_csv = _pack_text(folder, "result.csv", unsafe)
    stored_contributions = _pack_text(folder, "contributions.csv", unsafe) if "contributions.csv" in manifest.files else None
    if blocked:
        differences.append("the result was not recomputed, because a file it needs is missing, changed outside the pack, or unsafe")
        return Verification(given, False, tuple(differences))
    try:
        evaluation = _run(folder, data["options"]["bom"], data["options"])
        recomputed = json_text(result_document(evaluation))
    except BomError as exc:
        differences.append(f"the result could not be recomputed: {exc}")
        recomputed = None
    if recomputed is not None and recomputed != (stored_json or ""):
        differences.append("the recomputed result differs from result.json")
        try:
            differences.extend(_item_differences(json.loads(stored_json or "{}"), json.loads(recomputed)))
        except (ValueError, AttributeError, TypeError, KeyError):
            differences.append("result.json is not a valid result document")
    if recomputed is not None and stored_csv is not None and csv_text(items_table(evaluation)) != stored_csv:
        differences.append("the recomputed items table differs from result.csv")
    if recomputed is not None and stored_contributions is not None and \
            contributions_csv_text(contributions_table(evaluation)) != stored_contributions:
        differences.append("the recomputed contributions differ from contributions.csv")
    return Verification(given, not differences, tuple(differences))


def _pack_digest(folder: Path, name: str, unsafe: set[str], differences: list[str]) -> str | None:
    """The SHA-256 of one of the pack's own files, or None (with the difference noted) when missing or unsafe."""
    if name in unsafe:
        return None
    if not os.path.lexists(folder / name):
        differences.append(f"{name} is missing from the pack")
        return None
    try:
        return file_sha256(_safe_path(folder, name, unsafe))
    except UnsafeFile as exc:
        differences.append(f"{name} {exc}")
        return None


def _pack_text(folder: Path, name: str, unsafe: set[str]) -> str | None:
    try:
        return read_small(_safe_path(folder, name, unsafe)).decode("utf-8")
    except (UnsafeFile, UnicodeDecodeError):
        return None
