"""An audit pack is untrusted input: its manifest's schema and safe access to its files (interface layer).

A pack may come from anyone, so :func:`~bomcalc.pack.verify_pack` believes nothing in it:

* :func:`check_manifest` validates ``manifest.json`` against the schema of pack format
  :data:`PACK_FORMAT`: known keys only, each with its type; every path relative, inside the
  pack, without ``..``; every path the evaluation reads is one of the pack's hashed inputs.
  A manifest that breaks it raises :class:`ManifestError` (exit status 1) naming the key.
  A manifest without ``format`` was not written by ``bomcalc report --pack`` (every version
  has written ``"format": 1``) and is refused the same way, as is a newer format.
* :func:`inspect_pack` walks the pack without following symbolic links. Every entry must be a
  regular file no larger than :data:`MAX_FILE_BYTES` (or a folder holding such files); a
  symbolic link, a device, a FIFO or a socket is never opened and is a difference, as is a
  file the manifest does not list.
* :func:`file_sha256` and :func:`read_small` open a file without following a symbolic link and
  without blocking, confirm it is a regular file under the limit, and read at most the limit.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .core.errors import BomError
from .core.values import to_date
from .io.readers import READING_OPTIONS

MANIFEST = "manifest.json"
#: The pack format this bomcalc writes and reads.
PACK_FORMAT = 1
#: The largest file a pack may hold, or a hash-only pack may name [bytes] (200 MB).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: The most files an input folder in a pack may hold.
MAX_FOLDER_FILES = 10_000
#: The files a pack holds besides its manifest and inputs, each with its SHA-256 in ``files``.
PACK_FILES = ("rulepack.toml", "result.json", "result.csv", "report.xlsx", "contributions.csv")
#: Pack files that packs made by earlier bomcalc versions lack (absent and unrecorded: not a difference).
LATER_PACK_FILES = ("contributions.csv",)
#: The reading options a manifest may record: the fields of the reading-options record.
READING_KEYS = READING_OPTIONS
#: Reading options that name files, in the order their inputs are listed in the manifest.
PATH_KEYS = ("parts", "declarations", "map", "fx", "units", "prices")
_LIST_KEYS = ("parts", "declarations")
_TOP_KEYS = {"format": int, "bomcalc_version": str, "hash_only": bool, "options": dict, "originals": dict, "inputs": list,
             "files": dict}
_OPTION_KEYS = {"bom": str, "as_of": str, "rules": str, "part2_scope": str, "alternates": str, "reading": dict}
_CHOICES = {"part2_scope": ("materials", "assemblies"), "alternates": ("conservative", "probability", "primary"),
            "decimal": (".", ","), "qty_mode": ("per_parent", "extended")}
_HEX = re.compile(r"[0-9a-f]{64}")
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


class ManifestError(BomError):
    """An audit pack's manifest is missing, malformed or names paths outside the pack."""


class UnsafeFile(Exception):
    """A pack entry that must not be read: why, in words."""


def _type_name(kind) -> str:
    return {int: "a whole number", str: "text", bool: "true or false", dict: "a table ({...})", list: "a list ([...])"}[kind]


def _require(table: dict, keys: dict, where: str, path: str) -> None:
    unknown = sorted(set(table) - set(keys))
    if unknown:
        raise ManifestError(f"{where}: unknown key '{path}{unknown[0]}'; a pack manifest has only "
                            f"{', '.join(path + k for k in keys)}")
    for key, kind in keys.items():
        if key not in table:
            raise ManifestError(f"{where}: the key '{path}{key}' is missing; make the pack again with bomcalc report --pack")
        value = table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ManifestError(f"{where}: '{path}{key}' must be {_type_name(kind)}, not {type(value).__name__}")


def _inside(value: str, where: str, key: str) -> str:
    """``value`` if it is a relative path inside the pack (no ``..``, not absolute), else a ManifestError."""
    pure = PurePosixPath(value)
    if not value or "\\" in value or "\0" in value or pure.is_absolute() or ".." in pure.parts or value.startswith("~"):
        raise ManifestError(f"{where}: '{key}' names a path outside the pack ({value!r}); "
                            "a pack names only relative paths inside itself")
    return value


@dataclass
class Manifest:
    """A validated manifest: what the evaluation reads, and what was recorded."""

    data: dict
    hash_only: bool
    #: (label, path, recorded SHA-256 or None) of every input the evaluation reads, in order.
    inputs: list = field(default_factory=list)
    #: Recorded SHA-256 of each of :data:`PACK_FILES` (a missing one is absent).
    files: dict = field(default_factory=dict)


def _reading_paths(reading: dict) -> list[tuple[str, str]]:
    out = []
    for key in PATH_KEYS:
        value = reading.get(key)
        for item in (value if isinstance(value, list) else [value] if value else []):
            out.append((f"options.reading.{key}", item))
    return out


def check_manifest(data, where: str) -> Manifest:
    """Validate a parsed manifest against the schema of pack format :data:`PACK_FORMAT`."""
    if not isinstance(data, dict):
        raise ManifestError(f"{where}: the manifest must be a JSON object, not {type(data).__name__}")
    if "format" not in data:
        raise ManifestError(f"{where}: the key 'format' is missing, so this is not an audit pack written by bomcalc "
                            "report --pack; make the pack again")
    if data["format"] != PACK_FORMAT:
        raise ManifestError(f"{where}: pack format {data['format']!r} is not known to this bomcalc "
                            f"(it reads format {PACK_FORMAT}); verify it with the bomcalc that made it")
    _require(data, _TOP_KEYS, where, "")
    options = data["options"]
    _require({k: v for k, v in options.items() if k != "destination"}, _OPTION_KEYS, where, "options.")
    if not isinstance(options.get("destination", ""), str):
        raise ManifestError(f"{where}: 'options.destination' must be a country code (text)")
    try:
        if to_date(options["as_of"]) is None:
            raise ValueError
    except ValueError:
        raise ManifestError(f"{where}: 'options.as_of' must be a date YYYY-MM-DD, not {options['as_of']!r}") from None
    for key in ("part2_scope", "alternates"):
        if options[key] not in _CHOICES[key]:
            raise ManifestError(f"{where}: 'options.{key}' must be one of {', '.join(_CHOICES[key])}")
    if options["rules"] != "rulepack.toml":
        raise ManifestError(f"{where}: 'options.rules' must be 'rulepack.toml', the rule pack inside the pack")
    reading = options["reading"]
    _check_reading(reading, where)
    files = data["files"]
    for name, digest in files.items():
        if name not in PACK_FILES:
            raise ManifestError(f"{where}: unknown key 'files.{name}'; a pack records {', '.join(PACK_FILES)}")
        if not isinstance(digest, str) or not _HEX.fullmatch(digest):
            raise ManifestError(f"{where}: 'files.{name}' must be a SHA-256 (64 hexadecimal digits)")
    for key, value in data["originals"].items():
        if not isinstance(value, (str, list)):
            raise ManifestError(f"{where}: 'originals.{key}' must be text or a list of text")
    manifest = Manifest(data, data["hash_only"], files=dict(files))
    reads = [("options.bom", options["bom"]), *_reading_paths(reading)]
    profile = reading.get("profile")
    if profile and not _PROFILE_NAME.fullmatch(profile):
        reads.append(("options.reading.profile", profile))
    entries = data["inputs"]
    if len(entries) != len(reads):
        raise ManifestError(f"{where}: 'inputs' lists {len(entries)} input(s) but the options read {len(reads)}; "
                            "every file the options name must be a recorded input")
    for index, ((label, path), entry) in enumerate(zip(reads, entries)):
        manifest.inputs.append((label, path, _check_input(entry, index, label, path, manifest.hash_only, where)))
    return manifest


def _check_reading(reading: dict, where: str) -> None:
    for key, value in reading.items():
        if key not in READING_KEYS:
            raise ManifestError(f"{where}: unknown key 'options.reading.{key}'; known: {', '.join(READING_KEYS)}")
        if value is None:
            continue
        if key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ManifestError(f"{where}: 'options.reading.{key}' must be a list of paths")
        elif not isinstance(value, str):
            raise ManifestError(f"{where}: 'options.reading.{key}' must be text, not {type(value).__name__}")
        elif key in _CHOICES and value not in _CHOICES[key]:
            raise ManifestError(f"{where}: 'options.reading.{key}' must be one of {', '.join(_CHOICES[key])}")


def _check_input(entry, index: int, label: str, path: str, hash_only: bool, where: str) -> str | None:
    key = f"inputs[{index}]"
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: '{key}' must be a table ({{...}})")
    unknown = sorted(set(entry) - {"original", "sha256", "copy"})
    if unknown:
        raise ManifestError(f"{where}: unknown key '{key}.{unknown[0]}'; an input has original, sha256 and copy")
    if not isinstance(entry.get("original"), str):
        raise ManifestError(f"{where}: '{key}.original' must be text")
    digest = entry.get("sha256")
    if digest is not None and (not isinstance(digest, str) or not _HEX.fullmatch(digest)):
        raise ManifestError(f"{where}: '{key}.sha256' must be a SHA-256 (64 hexadecimal digits)")
    if hash_only:
        if "copy" in entry:
            raise ManifestError(f"{where}: '{key}.copy' in a hash-only pack, which holds no copies")
        if not os.path.isabs(path):
            raise ManifestError(f"{where}: '{label}' must be the absolute path of the original in a hash-only pack")
        return digest
    copy = entry.get("copy")
    if not isinstance(copy, str):
        raise ManifestError(f"{where}: '{key}.copy' is missing or not text; the pack holds copies of its inputs")
    _inside(copy, where, f"{key}.copy")
    if PurePosixPath(copy).parts[0] != "inputs" or len(PurePosixPath(copy).parts) != 2:
        raise ManifestError(f"{where}: '{key}.copy' must name a file or folder directly in inputs/, not {copy!r}")
    if path != copy:
        raise ManifestError(f"{where}: '{label}' names {path!r}, but the input recorded in its place is {copy!r}")
    return digest


def _describe(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open_regular(path: Path, follow: bool = False) -> tuple[int, int]:
    """An open descriptor and the size of ``path``, a regular file under the limit, or UnsafeFile."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        before = os.stat(path, follow_symlinks=follow)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(before.st_mode):
        raise UnsafeFile(f"is {_describe(before.st_mode)}; it was not read")
    if before.st_size > MAX_FILE_BYTES:
        raise UnsafeFile(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; it was not read")
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read ({exc.strerror or exc})") from None
    after = os.fstat(handle)
    if not stat.S_ISREG(after.st_mode) or after.st_size > MAX_FILE_BYTES:
        os.close(handle)
        raise UnsafeFile(f"is {_describe(after.st_mode)} or too large; it was not read")
    return handle, after.st_size


def read_small(path: Path, follow: bool = False) -> bytes:
    """The bytes of ``path``, a regular file under :data:`MAX_FILE_BYTES` (never more), or UnsafeFile."""
    handle, _ = _open_regular(path, follow)
    chunks, total = [], 0
    with os.fdopen(handle, "rb") as stream:
        while total <= MAX_FILE_BYTES:
            block = stream.read(1 << 20)
            if not block:
                break
            chunks.append(block)
            total += len(block)
    if total > MAX_FILE_BYTES:
        raise UnsafeFile(f"grew larger than {MAX_FILE_BYTES // (1024 * 1024)} MB while read; it was not used")
    return b"".join(chunks)


def _members(folder: Path, follow_top: bool) -> list[Path]:
    """The files of ``folder`` in :func:`~bomcalc.pack.sha256`'s order; UnsafeFile for anything else."""
    top = Path(os.path.realpath(folder)) if follow_top else folder
    if not top.is_dir() or (not follow_top and folder.is_symlink()):
        raise UnsafeFile("is not a folder")
    found = []
    for root, folders, names in os.walk(top, followlinks=False):
        for name in folders + names:
            entry = Path(root) / name
            mode = os.lstat(entry).st_mode
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                raise UnsafeFile(f"holds {entry.relative_to(top)}, which is {_describe(mode)}; it was not read")
            found.append(entry)
            if len(found) > MAX_FOLDER_FILES:
                raise UnsafeFile(f"holds more than {MAX_FOLDER_FILES} files; it was not read")
    return [top / member for member in sorted(p.relative_to(top) for p in found)]


def file_sha256(path: Path, follow: bool = False) -> str:
    """The SHA-256 of a file or folder as :func:`~bomcalc.pack.sha256` computes it, read safely.

    ``follow`` follows a symbolic link at ``path`` itself (a hash-only pack's original), never
    inside a folder. Raises UnsafeFile for anything but regular files under the limit.
    """
    if os.path.isdir(path) and (follow or not os.path.islink(path)):
        digest = hashlib.sha256()
        top = Path(os.path.realpath(path)) if follow else path
        for member in _members(path, follow):
            digest.update(str(member.relative_to(top)).encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(read_small(member)).digest())
        return digest.hexdigest()
    return hashlib.sha256(read_small(path, follow)).hexdigest()


def inspect_pack(folder: Path, manifest: Manifest) -> tuple[list[str], set[str]]:
    """Walk the pack without following links: the differences found and the unsafe entries' names.

    Every entry must be the manifest, one of :data:`PACK_FILES` or an input copy (a regular
    file, or a folder of regular files); anything else is a difference, never read.
    """
    expected = {MANIFEST, *PACK_FILES}
    copies = set() if manifest.hash_only else {path for _, path, _ in manifest.inputs}
    differences, unsafe = [], set()
    for root, folders, names in os.walk(folder, followlinks=False):
        for name in sorted(folders + names):
            entry = Path(root) / name
            relative = entry.relative_to(folder).as_posix()
            mode = os.lstat(entry).st_mode
            inside_copy = any(relative == c or relative.startswith(c + "/") for c in copies)
            if stat.S_ISDIR(mode):
                if relative != "inputs" and not inside_copy:
                    differences.append(f"{relative}/ is in the pack but not in the manifest")
                    folders.remove(name)
                continue
            if stat.S_ISLNK(mode):
                inside = Path(os.path.realpath(entry)).is_relative_to(os.path.realpath(folder))
                where = "inside" if inside else "leading out of"
                differences.append(f"{relative} is a symbolic link {where} the pack; a pack holds plain files, so it was not read")
                unsafe.add(relative)
            elif not stat.S_ISREG(mode):
                differences.append(f"{relative} is {_describe(mode)}; it was not read")
                unsafe.add(relative)
            elif os.lstat(entry).st_size > MAX_FILE_BYTES:
                differences.append(f"{relative} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; it was not read")
                unsafe.add(relative)
            if relative not in expected and not inside_copy:
                differences.append(f"{relative} is in the pack but not in the manifest")
    return differences, {name.split("/")[0] if not name.startswith("inputs/") else "/".join(name.split("/")[:2])
                         for name in unsafe}
