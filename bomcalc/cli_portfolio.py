"""``bomcalc check`` of a portfolio: several products, one combined result (interface layer)."""

from __future__ import annotations

import sys

import click

from .api import reading_dict
from .cli_base import emit, guard_outputs, progress_bar
from .cli_failures import EXIT_DATA_ERROR, EXIT_FAIL_ON
from .io.writers import csv_text, json_text
from .report.safe_text import terminal_text


def check_portfolio_command(bom_paths, as_products, jobs, output_format, output, fail_on, with_trail, given,
                            read_with) -> None:
    """``check`` of several products: one combined result, every failed product named, exit status over all."""
    from .portfolio import check_portfolio, product_entries
    from .report.portfolio import format_portfolio, portfolio_document, portfolio_items_table

    if as_products and len(bom_paths) != 1:
        raise click.UsageError("--products takes one folder, whose every entry is one product")
    paths = [str(p) for p in product_entries(bom_paths[0])] if as_products else list(bom_paths)
    guard_outputs({"output": output}, paths, reading_dict(read_with), rules=given.rules)
    with progress_bar() as progress:
        portfolio = check_portfolio(paths, read_with, given, jobs=jobs, with_trail=with_trail, progress=progress)
    if output_format == "json":
        text = json_text(portfolio_document(portfolio))
    elif output_format == "csv":
        text = csv_text(portfolio_items_table(portfolio))
    else:
        text = format_portfolio(portfolio)
    emit(text, output)
    for product in portfolio.products:
        name = terminal_text(product.product, layout=False)
        if output_format != "table":
            for line in product.warnings:
                click.echo(f"{name}: {terminal_text(line)}", err=True)
        if not product.ok:
            for line in product.issue_lines:
                click.echo(f"{name}: {terminal_text(line)}", err=True)
            click.echo(f"Error: product {name} was not checked: {terminal_text(product.error)}", err=True)
    if portfolio.failed:
        sys.exit(EXIT_DATA_ERROR)
    if portfolio.fails(fail_on):
        sys.exit(EXIT_FAIL_ON)
