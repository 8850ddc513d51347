"""Quantities per parent from the extended quantities of a multi-level explosion (I/O layer)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, Inexact

from ..core.errors import WARNING
from ..core.values import exact_quotient
from .level_encodings import HierarchyProblem

#: Significant digits kept when a per-parent quantity is not a finite decimal.
QUOTIENT_DIGITS = 34


def per_parent_quantities(
    extended: list[Decimal | None], parents: list[int | None]
) -> tuple[list[Decimal | None], list[HierarchyProblem]]:
    """Turn SAP CS12 extended quantities into quantities per one unit of the parent row.

    A multi-level explosion gives each component's quantity for the required quantity of the
    list header [child uom]. The per-parent quantity is the row's extended quantity divided by
    its parent row's [child uom per parent uom]; top-level rows (parent ``None``) keep their
    extended quantity (per one header unit when the required quantity is 1). ``parents`` comes
    from the functions above. The division is exact; a quotient that is no finite decimal (1/3)
    is rounded to 34 significant digits and reported as ``"inexact_quantity"`` (a warning). A
    zero or missing parent quantity gives ``None`` and ``"bad_parent_quantity"``; a missing
    quantity stays ``None``.
    """
    if len(extended) != len(parents):
        raise ValueError(f"{len(extended)} quantities but {len(parents)} parent links; pass one of each per row")
    context = Context(prec=QUOTIENT_DIGITS, rounding=ROUND_HALF_EVEN)
    quantities: list[Decimal | None] = []
    problems: list[HierarchyProblem] = []
    for index, (quantity, parent) in enumerate(zip(extended, parents)):
        if parent is None or quantity is None:
            quantities.append(quantity)
            continue
        parent_quantity = extended[parent]
        if parent_quantity is None or not parent_quantity.is_finite() or parent_quantity == 0:
            shown = "blank" if parent_quantity is None else f"{parent_quantity}"
            problems.append(
                HierarchyProblem(
                    index,
                    "bad_parent_quantity",
                    f"the parent row's extended quantity is {shown}, so the quantity {quantity} cannot "
                    "be turned into a quantity per parent; give the parent row a non-zero quantity",
                )
            )
            quantities.append(None)
            continue
        context.clear_flags()
        quotient = context.divide(quantity, parent_quantity)
        if context.flags[Inexact]:
            exact = exact_quotient(quantity, parent_quantity)
            if exact is not None:
                quotient = exact
            else:
                problems.append(
                    HierarchyProblem(
                        index,
                        "inexact_quantity",
                        f"extended quantity {quantity} over the parent's {parent_quantity} is not a "
                        f"finite decimal; rounded to {QUOTIENT_DIGITS} significant digits ({quotient}). "
                        "Check both quantities, or give the quantity per parent directly",
                        WARNING,
                    )
                )
        quantities.append(quotient)
    return quantities, problems
