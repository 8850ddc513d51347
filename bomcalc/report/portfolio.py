"""A portfolio's combined result as JSON, CSV and text (report layer).

Every product appears in the order given, with its name: its result when it was checked, or
the error that stopped it (an input that could not be read is never left out, so a missing
product cannot pass for a product with nothing to declare).
"""

from __future__ import annotations

import pandas as pd

from .._version import __version__
from .documents import CSV_COLUMNS
from .safe_text import terminal_text

#: Columns of the combined CSV: the product, the items table's columns, and the error of a product that failed.
PORTFOLIO_CSV_COLUMNS = ("product", *CSV_COLUMNS, "product_error")


def portfolio_document(portfolio) -> dict:
    """``{"products": [...], "failed": [...]}``: each product's name, path and result document
    (``ok`` true), or its ``error`` and data ``issues`` (``ok`` false); ``failed`` names the latter."""
    products = []
    for product in portfolio.products:
        entry = {"product": product.product, "path": product.path, "ok": product.ok}
        if product.ok:
            entry["result"] = product.document
        else:
            entry["error"] = product.error
            entry["issues"] = list(product.issues)
        products.append(entry)
    return {"bomcalc_version": __version__, "products": products, "failed": [p.product for p in portfolio.failed]}


def portfolio_items_table(portfolio) -> pd.DataFrame:
    """Every item of every product, the product first; a product that failed is one line with its ``product_error``."""
    frames = []
    for product in portfolio.products:
        if product.ok:
            frame = product.items.copy()
            frame.insert(0, "product", product.product)
        else:
            frame = pd.DataFrame([{"product": product.product, "product_error": product.error}])
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=list(PORTFOLIO_CSV_COLUMNS))
    return pd.concat(frames, ignore_index=True).reindex(columns=list(PORTFOLIO_CSV_COLUMNS))


def format_portfolio(portfolio) -> str:
    """The products' tables one after another, each under its name, and a closing line per product."""
    blocks, summary = [], []
    for product in portfolio.products:
        name = terminal_text(product.product, layout=False)
        if product.ok:
            blocks.append(f"== {name} ==\n{product.table.rstrip()}\n")
            counts = product.document["summary"]
            complete = product.document["coverage"].get("complete", False)
            summary.append(f"  {name}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                           + ("; complete" if complete else "; INCOMPLETE: what is missing is listed under its table"))
        else:
            blocks.append(f"== {name}: NOT CHECKED ==\n{terminal_text(product.error)}\n")
            summary.append(f"  {name}: NOT CHECKED, {terminal_text(product.error, layout=False)}")
    failed = len(portfolio.failed)
    head = f"{len(portfolio.products)} product(s)" + (f", {failed} not checked:" if failed else ":")
    return "\n".join(blocks) + "\n" + "\n".join([head, *summary]) + "\n"
