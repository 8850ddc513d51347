"""Which row is the header, which export profile fits, and which cell means what (I/O layer).

:func:`choose_header` scores the first rows of a sheet: how many known headers a row holds
and whether the rows beneath it read as data under that reading (part numbers present,
numbers in the quantity and value columns, plausible levels). A data row that happens to hold
"Material" and "Unit" therefore loses to the real header above it. :func:`choose_reading`
first recognises the exporting tool by its signature headers (several together) and then
chooses the header under that tool's profile. Both say what they chose, and the runner-up when
it was close, in notes that reach the reading notes of the BOM.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..core.values import is_blank
from .aliases import ALIASES, IGNORED_HEADERS, PROFILE_ONLY, Header, Mapping, header_key
from .numbers import AmbiguousNumbers, parse_number

#: The order in which canonical names take their cell: the part number first (so a better
#: part column leaves "Item" to the position), positions last.
PRIORITY = ("part_id", "parent", "level", "qty") + tuple(
    n for n in (*ALIASES, *PROFILE_ONLY) if n not in ("part_id", "parent", "level", "qty", "position", "find_number")
) + ("find_number", "position")

SCAN_ROWS = 40
EVIDENCE_ROWS = 20
CLOSE = 1.5  # a runner-up within this many points is named in the notes
_LEVEL = re.compile(r"^\s*(\.*\s*\d+|\d+(\.\d+)*)\s*$")


def resolve(cells: list, mapping: Mapping) -> tuple[dict[str, int], list[str], list[tuple]]:
    """Canonical name -> column for one header row, notes on ranked choices, and ties.

    Every canonical name takes the best-ranked cell still free; a cell is used once. Two cells
    with the same rank (the same header twice) are a tie: neither is used, and the tie is
    returned so the caller can report it.
    """
    claims: dict[str, list[tuple[int, int, str]]] = {}
    ignored = []
    for position, cell in enumerate(cells):
        if is_blank(cell):
            continue
        key = header_key(cell)
        if key in mapping.ignore:
            ignored.append(str(cell).strip())
            continue
        for rank, name in mapping.claims.get(key, ()):
            claims.setdefault(name, []).append((rank, position, str(cell).strip()))
    columns: dict[str, int] = {}
    notes: list[str] = []
    ties: list[tuple] = []
    used: set[int] = set()
    for name in PRIORITY:
        candidates = sorted(c for c in claims.get(name, ()) if c[1] not in used)
        if not candidates:
            continue
        best = candidates[0]
        tied = [c for c in candidates if c[0] == best[0]]
        if len(tied) > 1:
            ties.append((name, tuple(f"'{c[2]}' (column {c[1] + 1})" for c in tied)))
            used.update(c[1] for c in tied)
            continue
        columns[name] = best[1]
        used.add(best[1])
        others = [c for c in candidates[1:]]
        if others:
            notes.append(f"{name} read from '{best[2]}' (ranked above {', '.join(repr(c[2]) for c in others)})")
    suggested = [h for h in ignored if header_key(h) in {header_key(name) for name in IGNORED_HEADERS}]
    ignored = [h for h in ignored if h not in suggested]
    if suggested:
        notes.append(f"column(s) ignored: {', '.join(map(repr, suggested))} (never read: a parts master "
                     "bomcalc writes holds its Annex 1 suggestions under these headers)")
    if ignored:
        notes.append(f"column(s) ignored as the profile or map says: {', '.join(repr(h) for h in ignored)}")
    return columns, notes, ties


def _plausible_number(cell) -> bool:
    if isinstance(cell, bool):
        return False
    try:
        parse_number(cell, None)
        return True
    except AmbiguousNumbers:
        return True
    except (ValueError, TypeError, ArithmeticError):
        return False


def _plausible_level(cell) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float)):
        return float(cell) == int(cell) and 0 <= cell < 50
    return bool(_LEVEL.match(str(cell)))


def evidence(rows: list[list], index: int, columns: dict[str, int], mapping: Mapping) -> tuple[float, int]:
    """Share of checks the rows beneath ``index`` pass under this reading, and rows looked at.

    A data row read as a header holds known words (its part column holds "Material", its unit
    column "Unit"): rows beneath it that repeat header words, or carry text where numbers
    belong, count against it.
    """
    checks = passed = looked = 0
    for row in rows[index + 1:]:
        if looked >= EVIDENCE_ROWS:
            break
        if all(is_blank(c) for c in row):
            continue
        looked += 1

        def cell(name):
            position = columns.get(name)
            return row[position] if position is not None and position < len(row) else None

        part = cell("part_id")
        checks += 1
        passed += not is_blank(part) and header_key(part) not in mapping.claims
        for name in ("qty", "unit_value"):
            if name in columns and not is_blank(cell(name)):
                checks += 1
                passed += _plausible_number(cell(name))
        if "level" in columns and not is_blank(cell("level")):
            checks += 1
            passed += _plausible_level(cell("level"))
    return (passed / checks if checks else 0.0), looked


def _score(rows, index, columns, mapping) -> float:
    share, looked = evidence(rows, index, columns, mapping)
    return len(columns) + 4 * share * (1 if looked >= 2 else 0.5 if looked == 1 else 0)


def choose_header(rows: list[list], mapping: Mapping, scan: int = SCAN_ROWS, row: int | None = None) -> Header | None:
    """The best-scoring header row among the first ``scan`` (``row``, 1-based, forces one).

    A candidate must name a part column and at least two known columns. Its score is the
    number of known columns plus up to 4 points for the share of checks the rows beneath pass
    (half as much with one row beneath, none with none).
    """
    candidates = [row - 1] if row else range(min(scan, len(rows)))
    scored = []
    for index in candidates:
        if index >= len(rows):
            continue
        columns, notes, ties = resolve(rows[index], mapping)
        tied = {name for name, _ in ties}
        if "part_id" not in set(columns) | tied and not row:
            continue
        if len(columns) + len(tied) < 2 and not row:
            continue
        scored.append((_score(rows, index, columns, mapping), -index, columns, notes, ties))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    score, negative, columns, notes, ties = scored[0]
    index = -negative
    said = [f"header row {index + 1} chosen ({len(columns)} known columns, score {score:.1f})"]
    if len(scored) > 1 and score - scored[1][0] <= CLOSE:
        said.append(f"row {-scored[1][1] + 1} was close (score {scored[1][0]:.1f}); force one with "
                    "[layout] header_row in a --map file")
    return Header(index, columns, list(rows[index]), tuple(said + notes), tuple(ties), score)


def signature_key(text) -> str:
    """A header as a signature compares it: case and spacing ignored, punctuation kept
    (SolidWorks writes "QTY.", a generic list "Qty")."""
    return " ".join(str(text).split()).lower()


def _signature_matches(rows: list[list], profile, scan: int) -> tuple[list[str], int]:
    """The profile's signature headers found together in one row (the row with the most).

    A profile that lists ``distinctive`` headers fits only a row holding one of them: "Level",
    "Part Number", "Quantity" and "Description" are any list's words, not a tool's signature.
    """
    wanted = {signature_key(h): h for h in profile.signature}
    distinctive = {signature_key(h) for h in profile.distinctive}
    best: tuple[list[str], int] = ([], -1)
    for index, row in enumerate(rows[:scan]):
        keys = {signature_key(c) for c in row if not is_blank(c)}
        if distinctive and not distinctive & keys:
            continue
        matched = [header for key, header in wanted.items() if key in keys]
        if len(matched) > len(best[0]):
            best = (matched, index)
    return best


def _title_matches(rows: list[list], profile, header_index: int) -> list[str]:
    text = " ".join(str(c) for row in rows[:header_index] for c in row if not is_blank(c)).lower()
    return [words for words in profile.title_signature if words.lower() in text]


def choose_reading(rows: list[list], mapping: Mapping, scan: int = SCAN_ROWS) -> tuple[Mapping, Header | None]:
    """The export profile and header row for one sheet; the notes say which and why.

    With the profile given (``--profile``) only the header is chosen. Otherwise every shipped
    profile whose signature headers (at least ``min_signature`` of them, in one row) are
    present (and one of its ``distinctive`` headers, when it lists some) is a candidate; the
    most signature headers wins, and near-ties (one header apart) are settled by the title
    block, the evidence of the rows beneath, then the profile's ``priority``. When the winner
    and an equally fitting runner-up read quantities differently (SAP CS11 per parent, CS12
    extended) and only the rows beneath or the priority chose between them, the header carries
    both in ``undecided``: the reader then asks for ``--qty-mode`` rather than guess. With no
    candidate the built-in aliases are used; a candidate under which no row names a part
    column is returned with no header, so that the error can name the tool.
    """
    forced_row = mapping.layout.get("header_row")
    if not mapping.auto or mapping.profile is not None:
        header = choose_header(rows, mapping, scan, forced_row)
        if header is not None:
            name = mapping.profile.name if mapping.profile is not None else "generic"
            meanings = _meanings(mapping.profile, header) if mapping.profile is not None else ()
            header = replace(header, notes=(f"profile {name} (as given)",) + header.notes + meanings)
        return mapping, header
    from .aliases import known_columns
    from .profiles import built_in_profiles

    found = []
    for profile in built_in_profiles(known_columns()).values():
        matched, _ = _signature_matches(rows, profile, scan)
        if len(matched) >= max(2, profile.min_signature):
            found.append((profile, matched))
    if not found:
        return mapping, _generic(choose_header(rows, mapping, scan, forced_row))
    most = max(len(m) for _, m in found)
    close = [(p, m) for p, m in found if len(m) >= most - 1]
    ranked = []
    for profile, matched in close:
        candidate = mapping.with_profile(profile, auto=False)
        header = choose_header(rows, candidate, scan, forced_row)
        if header is None:
            continue
        titles = _title_matches(rows, profile, header.index)
        ranked.append(((len(matched) + len(titles), round(header.score, 6), profile.priority), profile, matched, titles, candidate, header))
    if not ranked:
        best = max(close, key=lambda c: (len(c[1]), c[0].priority))
        return mapping.with_profile(best[0], auto=False), None
    ranked.sort(key=lambda r: r[0], reverse=True)
    _, profile, matched, titles, candidate, header = ranked[0]
    undecided = tuple(r[1].name for r in ranked[1:] if r[0][0] == ranked[0][0][0] and r[1].quantity != profile.quantity)
    why = f"profile {profile.name}: headers {', '.join(matched)} matched"
    if titles:
        why += f"; title block names {', '.join(repr(t) for t in titles)}"
    notes = [why]
    if len(ranked) > 1:
        runner = ranked[1]
        if len(runner[2]) != len(matched):
            how = "more signature headers" if len(matched) > len(runner[2]) else "its title block"
        elif runner[0][0] != ranked[0][0][0]:
            how = "its title block"
        elif runner[0][1] != ranked[0][0][1]:
            how = "the evidence of the rows beneath"
        else:
            how = "profile priority"
        notes.append(f"profile {runner[1].name} also fitted ({', '.join(runner[2])}); {profile.name} chosen by {how}; "
                     "force one with --profile NAME")
    undecided = (profile.name, *undecided) if undecided else ()
    return candidate, replace(header, notes=tuple(notes) + header.notes + _meanings(profile, header), undecided=undecided)


def missing_part_column(mapping: Mapping) -> str | None:
    """Why a sheet whose headers are a known tool's has no header row: it names no part column.

    EDA BOMs without a manufacturer part number column are the common case (KiCad's default
    BOM: Reference, Quantity, Value, Footprint, Description): the values and descriptions
    there name kinds of part ("Resistor"), and two different parts share them, so they are
    never taken as part ids.
    """
    profile = mapping.profile
    if profile is None:
        return None
    wanted = ", ".join(profile.columns.get("part_id", ())) or "a part number"
    return (f"read with profile {profile.name} ({profile.tool}), but no header row in the first {SCAN_ROWS} names a "
            f"part-number column ({wanted}); descriptions and values are not part ids (different parts share them). Add a part-number "
            "column to the export (in an EDA tool: a field such as MPN), or name the column that holds part numbers "
            "with --map FILE ([columns] part_id = \"Your header\")")


def _meanings(profile, header: Header) -> tuple[str, ...]:
    """What the profile says about the ambiguous columns this header holds."""
    present = {header_key(c) for c in header.cells if not is_blank(c)}
    return tuple(f"column '{name}': {meaning}" for name, meaning in profile.meanings.items() if header_key(name) in present)


def _generic(header: Header | None) -> Header | None:
    if header is None:
        return None
    return replace(header, notes=("profile generic: no export profile's signature headers fitted; "
                                  "built-in column names used",) + header.notes)


class UndecidedQuantities(ValueError):
    """The profiles that fit a header read its quantities differently, and nothing chose one."""

    code = "ambiguous_qty_mode"


def undecided_message(header: Header) -> str:
    """The error for a header whose profiles disagree on the quantity mode (SAP CS11 or CS12)."""
    names = " or ".join(f"--profile {name}" for name in header.undecided)
    return (f"the headers fit profiles {', '.join(header.undecided)} equally and no title above row {header.index + 1} "
            "names one of them (SAP CS11 writes 'Level by Level', CS12 'Multi-level'); they read the quantities "
            "differently (per parent, or extended to the required quantity), which changes every content share. Say "
            f"which: pass --qty-mode per-parent or --qty-mode extended (or {names})")


def find_header(rows: list[list], mapping: Mapping, scan: int = 40, row: int | None = None) -> Header | None:
    """The header row among the first ``scan`` (see :func:`choose_header`)."""
    return choose_header(rows, mapping, scan=scan, row=row)
