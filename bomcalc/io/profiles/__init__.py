"""Export profiles: what one exporting tool's columns mean, as data (I/O layer).

Each ``*.toml`` file in this package describes one tool's export: the signature headers that
recognise it (several together, never one), the canonical name of each of its headers in
rank order (the first listed wins when two header cells claim one name), the columns to
ignore, what its ambiguous columns mean, and its layout (hierarchy, quantity mode, fill-down
of blank parents, how alternates are marked). A user's own profile or ``--map`` file has the
same keys; see the README section "Reading your export".

Keys of a profile file::

    name = "syteline"                      # how --profile names it
    tool = "Infor SyteLine / CloudSuite Industrial"
    signature = ["Level", "Item", "Qty Per", "Alt Group Rank"]
    min_signature = 3                      # signature headers that must be present (>= 2)
    distinctive = ["Qty Per", "Alt Group"] # optional: one of these must be among them (headers
                                           # generic lists do not have: Level, Quantity are generic)
    title_signature = ["Multi-level"]      # optional words of the title block (evidence)
    priority = 1                           # settles a tie with another profile
    warning = "..."                        # said whenever a file is read with this profile

    [columns]                              # canonical name = header or [headers], best first
    part_id = ["Item"]
    [ignore]
    headers = ["Per", "Bubble"]            # or: [columns] ignore = [...]
    [meanings]                             # documentation of ambiguous columns (shown by --help)
    Per = "quantity basis ('Unit' = per unit of the parent), not a price unit"
    [layout]
    hierarchy = "level"                    # level | path | indent | parent | flat
    quantity = "per_parent"                # per_parent | extended
    fill_down = ["parent"]                 # canonical columns whose blanks repeat the cell above
    alternates = "rank"                    # rank | probability | group | ignore
    designators = true                     # cross-check qty against the designator count
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ...core.errors import InputFileError

LAYOUT_KEYS = {"sheet", "header_row", "hierarchy", "quantity", "path_delimiter", "decimal", "level_base",
               "fill_down", "alternates", "designators"}
TOP_KEYS = {"name", "tool", "source", "signature", "min_signature", "title_signature", "columns", "ignore",
            "meanings", "layout", "description", "priority", "warning", "distinctive"}
HIERARCHIES = ("level", "path", "indent", "parent", "flat")
ALTERNATE_MODES = ("rank", "probability", "group", "ignore", "fitted")


@dataclass(frozen=True)
class Profile:
    """One exporting tool's columns and layout (see the module docstring for the keys)."""

    name: str
    tool: str = ""
    signature: tuple[str, ...] = ()
    min_signature: int = 2
    distinctive: tuple[str, ...] = ()  # one of these headers must be present (none listed: no such need)
    title_signature: tuple[str, ...] = ()
    columns: dict = field(default_factory=dict)  # canonical -> tuple of headers, best first
    ignore: tuple[str, ...] = ()
    meanings: dict = field(default_factory=dict)
    layout: dict = field(default_factory=dict)
    path: str = ""
    priority: int = 0  # settles a tie between profiles that fit one file equally
    warning: str = ""  # said as a warning whenever a file is read with this profile

    @property
    def quantity(self) -> str:
        return self.layout.get("quantity", "per_parent")


def _headers(value) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def parse_profile(data: dict, where: str, known_columns) -> Profile:
    """A profile from parsed TOML; unknown keys and column names are errors naming ``where``."""
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise InputFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(TOP_KEYS))}")
    columns = dict(data.get("columns", {}))
    ignore = list(_headers(columns.pop("ignore", ())))
    extra = data.get("ignore", ())
    ignore += list(_headers(extra.get("headers", ()) if isinstance(extra, dict) else extra))
    for name in columns:
        if name not in known_columns:
            raise InputFileError(f"{where}: [columns] names '{name}', which is not a bomcalc column; use one of "
                                 f"{', '.join(known_columns)} (or ignore = [...])")
    layout = dict(data.get("layout", {}))
    bad = set(layout) - LAYOUT_KEYS
    if bad:
        raise InputFileError(f"{where}: [layout] has unknown key(s) {', '.join(sorted(bad))}; use {', '.join(sorted(LAYOUT_KEYS))}")
    if layout.get("hierarchy") not in (None, *HIERARCHIES):
        raise InputFileError(f"{where}: [layout] hierarchy must be one of {', '.join(HIERARCHIES)}")
    if layout.get("alternates") not in (None, *ALTERNATE_MODES):
        raise InputFileError(f"{where}: [layout] alternates must be one of {', '.join(ALTERNATE_MODES)}")
    if isinstance(layout.get("fill_down"), str):
        layout["fill_down"] = [layout["fill_down"]]
    signature = _headers(data.get("signature", ()))
    minimum = int(data.get("min_signature", min(len(signature), max(2, (len(signature) + 1) // 2))))
    if signature and minimum < 2:
        raise InputFileError(f"{where}: min_signature must be at least 2 (one header never identifies a tool)")
    return Profile(
        name=str(data.get("name") or Path(where).stem), tool=str(data.get("tool", "")), signature=signature,
        min_signature=minimum, distinctive=_headers(data.get("distinctive", ())), title_signature=_headers(data.get("title_signature", ())),
        columns={name: _headers(headers) for name, headers in columns.items()}, ignore=tuple(ignore),
        meanings=dict(data.get("meanings", {})), layout=layout, path=where,
        priority=int(data.get("priority", 0)), warning=str(data.get("warning", "")),
    )


def load_profile_file(path: str | os.PathLike, known_columns) -> Profile:
    """A user's profile or map file (TOML)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(f"{path}: not valid TOML ({exc})") from None
    return parse_profile(data, str(path), known_columns)


_BUILT_IN: dict[str, Profile] | None = None


def built_in_profiles(known_columns) -> dict[str, Profile]:
    """Every profile shipped with bomcalc, by name."""
    global _BUILT_IN
    if _BUILT_IN is None:
        found = {}
        for entry in sorted(resources.files(__package__).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                profile = parse_profile(tomllib.loads(entry.read_text(encoding="utf-8")), f"profiles/{entry.name}", known_columns)
                found[profile.name] = profile
        _BUILT_IN = found
    return _BUILT_IN


GENERIC = "generic"


def find_profile(name_or_path: str, known_columns) -> Profile | None:
    """``--profile NAME`` (a shipped profile) or ``--profile FILE`` (a TOML file).

    ``generic`` means no profile: the built-in column names only, nothing detected.
    """
    if name_or_path == GENERIC:
        return None
    profiles = built_in_profiles(known_columns)
    if name_or_path in profiles:
        return profiles[name_or_path]
    if name_or_path.lower().endswith(".toml") or Path(name_or_path).is_file():
        return load_profile_file(name_or_path, known_columns)
    raise InputFileError(f"no export profile named '{name_or_path}'; available: {', '.join(profiles)}, {GENERIC} "
                         "(or give a TOML file of your own)")
