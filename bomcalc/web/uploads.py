"""Turn a multipart request into a job: check the fields, save the files (interface layer).

No path comes from the client. A file is saved in the request's private folder under a name
the server makes from the client's file name: its last component, letters, digits, ``.``,
``-`` and ``_`` only, with an extension the field accepts, never hidden (the outputs go into a
sub-folder, which no upload can name); the client's name is used for nothing else. The options are checked as the command
line's are (the same choices), so a wrong one is a 400 naming the field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from starlette.datastructures import UploadFile

from ..core.determine import PART2_SCOPES
from ..core.rollup import ALTERNATE_POLICIES
from ..core.suggestions import ACCEPT_LEVELS
from .jobs import Job, problem

_TABLES = ("xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv", "txt")
#: file field -> (several files allowed, the extensions it accepts)
FILE_FIELDS = {
    "bom": (False, _TABLES),
    "parts": (True, _TABLES),
    "declarations": (True, _TABLES),
    "map": (False, ("toml",)),
    "rule_pack": (False, ("toml",)),  # a rule pack or an overlay on a packaged one (``--rules FILE``)
    "fx": (False, _TABLES),
    "units": (False, _TABLES),
    "prices": (False, _TABLES),
}
#: text field -> the values it takes (``None``: free text, checked where it is used)
TEXT_FIELDS = {
    "as_of": None, "part2_scope": PART2_SCOPES, "alternates": ALTERNATE_POLICIES, "accept": ACCEPT_LEVELS,
    "currency": None, "sheet": None, "root": None, "profile": None,
    "decimal": (".", ","), "qty_mode": ("per-parent", "extended"), "hidden": ("use", "skip"),
    "rules": None,  # a packaged pack's id (``--rules ID``); checked against the packs shipped
    "destination": None,  # ISO alpha-2 (``--destination``)
}
_RULE_FIELDS = ("as_of", "part2_scope", "alternates", "accept", "rules", "destination")
_LONGEST_NAME = 80
_CHUNK = 1024 * 1024


class UploadError(Exception):
    """A request the server refuses before any work: ``status`` and the failure document."""

    def __init__(self, status: int, message: str, **where):
        super().__init__(message)
        self.status, self.document = status, problem(message, **where)


def safe_name(client_name: str | None, field: str, extensions: tuple[str, ...]) -> str:
    """The name a file is saved under: the last component of ``client_name``, letters, digits,
    ``.``, ``-`` and ``_`` only; :class:`UploadError` when its extension is not one of ``extensions``."""
    base = PureWindowsPath(PurePosixPath(client_name or "").name).name
    stem, dot, extension = base.rpartition(".")
    extension = extension.lower() if dot else ""
    if extension not in extensions:
        raise UploadError(415, f"field '{field}': {_shown(base)} is not a file it takes; give a "
                          f"{', '.join('.' + e for e in extensions)} file", file=_shown(base))
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:_LONGEST_NAME] or field
    return f"{stem}.{extension}"


def _shown(name: str) -> str:
    """A client's file name as messages show it: printable, at most 100 characters."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in name)[:100]
    return f"'{printable}'" if printable else "a file without a name"


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{number}_{name}"
    taken.add(candidate.lower())
    return candidate


async def _save(upload: UploadFile, folder: Path, name: str) -> None:
    with open(folder / name, "xb") as target:
        while chunk := await upload.read(_CHUNK):
            target.write(chunk)


def _check_text(field: str, value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    choices = TEXT_FIELDS[field]
    if choices is not None and value not in choices:
        raise UploadError(400, f"field '{field}': '{value[:40]}' is not one of {', '.join(choices)}")
    if field == "profile" and not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", value):
        raise UploadError(400, "field 'profile': give the name of a shipped export profile (sap-cs12, kicad, ...); "
                          "a profile file goes in the 'map' field")
    if field == "rules":
        from ..io.rulepack import packaged_packs

        if value not in packaged_packs():
            raise UploadError(400, f"field 'rules': '{value[:40]}' is not a packaged rule pack; give one of "
                              f"{', '.join(sorted(packaged_packs()))}, or upload a pack file as 'rule_pack'")
    if field == "destination" and not re.fullmatch(r"[A-Za-z]{2}", value):
        raise UploadError(400, f"field 'destination': '{value[:40]}' is not an ISO 3166 alpha-2 country code (e.g. DE)")
    if field == "as_of":
        from ..api import parse_date

        try:
            parse_date(value)
        except Exception as exc:  # noqa: BLE001  (a BomError: one clear line)
            raise UploadError(400, f"field 'as_of': {exc}") from None
    return value


async def job_of(form, folder: Path, kind: str, extra_fields: tuple[str, ...] = ()) -> tuple[Job, dict]:
    """The job a parsed multipart ``form`` asks for, its files saved in ``folder``; also returns the
    ``extra_fields`` (fields of the route, not of reading) as text. :class:`UploadError` when a
    field is unknown, of the wrong kind, or missing."""
    reading, rules, extra, taken = {}, {}, {}, set()
    for field, value in form.multi_items():
        if field in FILE_FIELDS:
            if not isinstance(value, UploadFile):
                if not value:
                    continue  # a file input left empty, as some clients send it
                raise UploadError(400, f"field '{field}' takes a file, not text")
            if not value.filename and not value.size:
                continue  # a file input left empty
            several, extensions = FILE_FIELDS[field]
            if not several and field in reading:
                raise UploadError(400, f"field '{field}' takes one file; several were given")
            name = _unique(safe_name(value.filename, field, extensions), taken)
            await _save(value, folder, name)
            reading[field] = (*reading.get(field, ()), name) if several else name
        elif field in TEXT_FIELDS or field in extra_fields:
            if isinstance(value, UploadFile):
                raise UploadError(400, f"field '{field}' takes text, not a file")
            if field in extra_fields:
                extra[field] = value
            elif (checked := _check_text(field, value)) is not None:
                (rules if field in _RULE_FIELDS else reading)[field] = checked
        else:
            raise UploadError(400, f"unknown field '{field[:40]}'; the files go in {', '.join(FILE_FIELDS)} "
                              f"and the options are {', '.join(TEXT_FIELDS)}")
    if "bom" not in reading:
        raise UploadError(400, "no BOM: give the bill of materials as the file field 'bom'")
    bom = reading.pop("bom")
    if "rule_pack" in reading:
        if "rules" in rules:
            raise UploadError(400, "give the rule pack once: a packaged id in 'rules' or a file in 'rule_pack', not both")
        rules["rules"] = reading.pop("rule_pack")
    if "qty_mode" in reading:
        reading["qty_mode"] = reading["qty_mode"].replace("-", "_")
    return Job(kind, str(folder), bom, reading, rules), extra


def scenarios_of(text: str) -> tuple:
    """What-if scenarios from the JSON of the ``scenarios`` field: a list of scenarios
    (``{"name": ..., "changes": [...]}``, the vocabulary of a scenario file) or one such object."""
    try:
        entries = json.loads(text)
    except ValueError as exc:
        raise UploadError(400, f"field 'scenarios' is not JSON: {exc}") from None
    entries = [entries] if isinstance(entries, dict) else entries
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise UploadError(400, "field 'scenarios': give a list of scenarios, each {\"name\": ..., \"changes\": [...]}, "
                          "as in a scenario file (bomcalc whatif --scenarios)")
    return tuple(entries)
