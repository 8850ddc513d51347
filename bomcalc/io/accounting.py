"""Reading with an honest account: rows a read never reached are not read, never forgotten (I/O layer).

Readers say how many rows every sheet has (:meth:`~bomcalc.core.ledger.RowLedger.expect`).
:func:`read_accounted` runs a read; when it stops at a data error, the rows it did not reach
are marked rejected as not read, with the reason, and the error carries that account; when it
succeeds but left rows without a fate, the run is an error rather than an account that looks
complete.
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.errors import ERROR, BomDataError, DataIssue
from ..core.ledger import RowLedger
from ..core.model import Bom


def read_accounted(read: Callable[[], Bom], ledger: RowLedger, source: str) -> Bom:
    """``read()`` with every expected row of ``ledger`` given a fate."""
    try:
        bom = read()
    except BomDataError as exc:
        raise stopped(exc, ledger) from None
    unread = ledger.unread()
    if unread:
        ledger.close("no reader accounted for this row")
        issues = list(bom.issues) + [
            DataIssue(ERROR, "rows_not_accounted", f"{len(rows)} row(s) of this sheet were read but not accounted for "
                      "(a fault in bomcalc); no result is given", sheet, rows[0], None, file)
            for (file, sheet), rows in unread.items()]
        raise BomDataError(issues, source, ledger.accounts(), ledger.fates())
    return bom


def stopped(exc: BomDataError, ledger: RowLedger) -> BomDataError:
    """The error again, with every row the read did not reach marked as not read."""
    last = next((issue for issue in reversed(exc.issues) if issue.severity == ERROR), None)  # the one it stopped at
    reason = f"the read stopped at an error ({last.code})" if last is not None else "the read stopped"
    ledger.close(reason)
    own = {(a.file, a.sheet) for a in ledger.accounts()}
    accounts = ledger.accounts() + tuple(a for a in exc.accounts if (a.file, a.sheet) not in own)
    return type(exc)(without_consequences(exc.issues), exc.source, accounts, ledger.fates())


#: Problems that reject a row as read: what else is found on that row follows from them.
ROW_REJECTING = ("malformed_row", "uncached_formula")


def without_consequences(issues) -> list[DataIssue]:
    """The issues without those on a row already rejected as malformed or as holding an unsaved formula
    (a shifted cell read as the quantity, a formula read as a blank quantity)."""
    rejected = {(i.file, i.sheet, i.row) for i in issues if i.code in ROW_REJECTING and i.row is not None}
    return [i for i in issues if i.code in ROW_REJECTING or (i.file, i.sheet, i.row) not in rejected]
