"""The ``bomcalc`` command line (interface layer): parse options, call the API, format.

Every :class:`~bomcalc.errors.BomError` is caught once, in :class:`_Group`, and printed as
clear lines on standard error with exit status 1; never a traceback.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .api import evaluate, parse_date, read_workbook
from .determine import INDETERMINATE, PART2_SCOPES, REQUIRED
from .errors import BomDataError, BomError
from .io.writers import csv_text, json_text, write_atomic
from .report import format_table, items_table, result_document

EXIT_DATA_ERROR = 1
EXIT_FAIL_ON = 3


class _Group(click.Group):
    """A click group that turns bomcalc errors into messages and exit status 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BomDataError as exc:
            for issue in exc.issues:
                click.echo(str(issue), err=True)
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_DATA_ERROR)
        except BomError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_DATA_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bomcalc")
def main():
    """Which products need a Chinese export licence under MOFCOM Announcement No. 61 (2025).

    bomcalc reads a bill of materials, rolls the China-origin Annex 1 Part 1 value (Dy, Tb, Sm,
    Gd, Lu, Sc, Y metals, alloys and oxides) up through every level, and flags every Annex 1
    item: 0.1% de minimis, Chinese technology and China origin.

    \b
    Example:
      bomcalc check sample_boms/servo_actuator.xlsx

    bomcalc informs a compliance decision; it does not replace legal advice.
    """


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Apply the rule as on this date (default: today).")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
    help="table for people, json for programs (decimals as strings), csv for the items table.",
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (whole or not at all) instead of standard output.")
@click.option("--rules", metavar="FILE", help="Use this rule-pack TOML file instead of the bundled one.")
@click.option(
    "--part2-scope", type=click.Choice(PART2_SCOPES), default="materials", show_default=True,
    help="materials: only items marked part2 take the 0.1% test; assemblies: also every part containing one.",
)
@click.option(
    "--fail-on", type=click.Choice(["never", "required", "indeterminate"]), default="never", show_default=True,
    help="Exit with status 3 when an item is licence_required (or, with 'indeterminate', not certainly free).",
)
def check(bom_path, as_of, output_format, output, rules, part2_scope, fail_on):
    """Determine the licence status of every Annex 1 item in BOM.

    BOM is an .xlsx workbook with sheets parts, bom and optionally declarations, or a folder
    with parts.csv, bom.csv and optionally declarations.csv.

    \b
    Examples:
      bomcalc check sample_boms/servo_actuator.xlsx
      bomcalc check sample_boms/servo_actuator.xlsx --as-of 2026-03-01
      bomcalc check sample_boms/servo_actuator.xlsx --format json --output result.json
    """
    date = parse_date(as_of)
    bom = read_workbook(bom_path)
    result = evaluate(bom, as_of=date, rules=rules, part2_scope=part2_scope)
    if output_format == "json":
        text = json_text(result_document(result))
    elif output_format == "csv":
        text = csv_text(items_table(result))
    else:
        text = format_table(result)
    _emit(text, output)
    if output_format != "table":
        for warning in result.warnings:
            click.echo(f"WARNING: {warning}", err=True)
    statuses = set(result.items["status"])
    failing = {"required": {REQUIRED}, "indeterminate": {REQUIRED, INDETERMINATE}}.get(fail_on, set())
    if statuses & failing:
        sys.exit(EXIT_FAIL_ON)


if __name__ == "__main__":  # pragma: no cover
    main()
