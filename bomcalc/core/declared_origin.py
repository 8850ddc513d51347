"""A part's own origin as its supplier declares it (core layer).

A supplier declaration may give the country of origin of the declared part itself (the
``Country of origin`` column of the supplier form's Product List, or an ``origin`` column of a
canonical declarations table). This is how a bought Annex 1 Part 1 raw material of unknown
origin (a terbium oxide from a trader) is settled: its own origin decides whether it is a
China-origin Part 1 item, which no declared content can say.

* The BOM gives no origin: the declared origin is used, with a ``declared_origin`` warning
  naming the declaration.
* The BOM gives the same origin: nothing changes.
* The BOM gives another origin: a ``conflicting_origin`` error naming both; bomcalc never
  picks one of two contradicting facts that may decide a licence.
"""

from __future__ import annotations

from .errors import ERROR, WARNING, DataIssue


def take_declared_origin(decl_records: dict, part_records: dict, issues: list[DataIssue]) -> None:
    """Fill each declared part's unknown ``origin`` from its declaration; report a contradiction.

    ``decl_records`` and ``part_records`` are the validated records by ``part_id`` (a
    declaration record's ``origin`` is an ISO 3166-1 alpha-2 code or ``None``); ``part_records``
    is updated in place.
    """
    for part_id, record in decl_records.items():
        declared = record.get("origin")
        if declared is None:
            continue
        part = part_records[part_id]
        source = record.get("source") or "no source given"
        if part["origin"] is None:
            part["origin"] = declared
            issues.append(DataIssue(
                WARNING, "declared_origin",
                f"the supplier declaration ({source}) gives the part's origin as {declared}; the BOM gave none, "
                f"so {declared} is used", record["sheet"], record["row"], part_id, record["file"]))
        elif part["origin"] != declared:
            issues.append(DataIssue(
                ERROR, "conflicting_origin",
                f"the supplier declaration ({source}) gives the part's origin as {declared} but the BOM gives "
                f"{part['origin']}; correct whichever is wrong", record["sheet"], record["row"], part_id, record["file"]))
