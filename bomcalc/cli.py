"""The ``bomcalc`` command line (interface layer): parse options, call the API, format.

Every :class:`~bomcalc.core.errors.BomError` is caught once, in :class:`_Group`, and printed as
clear lines on standard error with exit status 1; never a traceback (see
:mod:`bomcalc.cli_failures`, which also turns file-system errors and Ctrl-C into one line).
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from ._version import __version__
from . import api
from .api import READING_OPTIONS, ReadOptions, RuleOptions, reading_dict, reading_record
from .core.coverage import coverage_line, coverage_notes
from .core.determine import PART2_SCOPES
from .core.rollup import ALTERNATE_POLICIES
from .core.errors import BomDataError
from .core.extras import require_extra
from .io.writers import csv_text, json_text, write_atomic
from .report.safe_text import terminal_text
from .report.documents import (
    comparison_document,
    failure_document,
    format_comparison,
    format_headroom,
    format_quality,
    format_table,
    format_where_used,
    items_table,
    quality_document,
    result_document,
)

from .cli_failures import EXIT_DATA_ERROR, EXIT_FAIL_ON, EXIT_INTERNAL, EXIT_NOT_VERIFIED  # noqa: E402


class _Group(click.Group):
    """A click group that turns bomcalc errors and file-system errors into messages and exit status 1,
    and Ctrl-C into one line and exit status 130."""

    def invoke(self, ctx):
        from .cli_failures import ctrl_c_noted, report_failure, report_interrupt

        with ctrl_c_noted() as ctrl_c:
            try:
                return super().invoke(ctx)
            except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
                raise
            except BaseException as exc:
                if not (isinstance(exc, KeyboardInterrupt) or ctrl_c.pressed):
                    report_failure(exc)
        report_interrupt()  # Ctrl-C, or an error it caused


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bomcalc")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (shown on standard error, on a terminal only, "
              "for work that takes more than 2 seconds).")
def main(quiet):
    """Which products need a Chinese export licence under MOFCOM Announcement No. 61 (2025).

    bomcalc reads a bill of materials, rolls the China-origin Annex 1 Part 1 value (Dy, Tb, Sm,
    Gd, Lu, Sc, Y metals, alloys and oxides) up through every level, and flags every Annex 1
    item: 0.1% de minimis, Chinese technology and China origin.

    \b
    Example:
      bomcalc check sample_boms/servo_actuator.xlsx

    bomcalc informs a compliance decision; it does not replace legal advice.
    """


def _progress():
    """The progress bar of this command (:mod:`bomcalc.cli_progress`): a context yielding a
    ``progress`` callback, or ``None`` with ``bomcalc --quiet`` or when standard error is not a terminal."""
    from .cli_progress import progress_bar

    return progress_bar(quiet=click.get_current_context().find_root().params.get("quiet", False))


@contextlib.contextmanager
def _native_stdout_silenced():
    """Send what native code writes to file descriptor 1 to the null device meanwhile."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (embedded use): nothing to protect
        yield
        return
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _warn(evaluation) -> None:
    """Say on standard error what every result must carry: the rule pack may be out of date."""
    for warning in evaluation.warnings:
        click.echo(terminal_text(f"WARNING: {warning}"), err=True)
    if not evaluation.coverage.get("complete", True):
        click.echo(f"WARNING: the result is incomplete ({coverage_line(evaluation.coverage)}):", err=True)
        for note in coverage_notes(evaluation.bom, evaluation.items):
            click.echo(terminal_text(f"  - {note}."), err=True)


def _guard_outputs(outputs: dict, bom_path=None, reading: dict | None = None, folders: dict | None = None, **inputs) -> None:
    """Refuse, before any work, an output that would overwrite an input or cannot be written."""
    from .io.outputs import check_outputs, command_inputs

    check_outputs(outputs, command_inputs(bom_path, reading, **inputs), folders)


def _emit(text: str, output: str | None) -> None:
    if output:
        write_atomic(output, text.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


#: The command-line form of every reading option, by :class:`~bomcalc.io.readers.ReadOptions` field.
_READING_FLAGS = {
    "parts": dict(multiple=True, metavar="FILE",
                  help="Material master (part, description, origin, price, currency, uom, annex 1) joined by part number; repeatable."),
    "declarations": dict(multiple=True, metavar="PATH",
                         help="Supplier declarations: a file or a folder of them (bomcalc template makes the form); repeatable."),
    "map": dict(metavar="FILE", help="TOML file mapping your headers to bomcalc's ([columns]) and describing the layout ([layout])."),
    "fx": dict(metavar="FILE", help="Exchange rates: currency, rate into the report currency, date, source."),
    "currency": dict(metavar="CODE", help="Report currency (default: the most common one among the parts)."),
    "units": dict(metavar="FILE", help="Extra units: unit, base, factor (one unit is factor base units)."),
    "prices": dict(metavar="FILE", help="Reference prices per kg (element, form, price_per_kg, currency, date, source) for declarations that give mass only."),
    "decimal": dict(type=click.Choice([".", ","]), help="Decimal separator of text numbers, when the file leaves it ambiguous."),
    "qty_mode": dict(type=click.Choice(["per-parent", "extended"]),
                     help="Quantities per one parent (most PLM/CAD exports) or extended to the list header (SAP CS12). Detected when not given."),
    "sheet": dict(metavar="NAME", help="The sheet holding the BOM (default: the first that looks like one)."),
    "profile": dict(metavar="NAME|FILE", help="Export profile: a shipped one (sap-cs12, syteline, kicad, ...) or "
                    "your TOML file. Detected from the headers when not given."),
    "root": dict(metavar="PART", help="The assembly the list builds: parent of its top-level rows (needed for a single-level list; picks the top of a per-assembly folder)."),
    "hidden": dict(type=click.Choice(["use", "skip"]), default="use", show_default=True, help="Rows and sheets hidden in Excel (xlsx, xlsm; sheets in any workbook): use them, named in the reading notes with a warning, or skip them."),
}
assert set(_READING_FLAGS) == set(READING_OPTIONS), "every reading option needs its command-line form"


def reading_options(command):
    """The options that say how a BOM is read (one per :data:`bomcalc.api.READING_OPTIONS`), shared
    by every command that reads one; the command gets them as ``**reading``."""
    for name in reversed(READING_OPTIONS):
        command = click.option(f"--{name.replace('_', '-')}", name, **_READING_FLAGS[name])(command)
    return command


def _reading(**reading) -> ReadOptions:
    """The :class:`ReadOptions` record of the reading options as parsed."""
    if reading.get("qty_mode"):
        reading["qty_mode"] = reading["qty_mode"].replace("-", "_")
    return reading_record(**reading)


def rule_options(command):
    """--as-of, --rules, --part2-scope and --alternates, shared by every command that evaluates;
    the command gets them as ``**rule`` (see :func:`_rules`)."""
    options = [
        click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Apply the rule as on this date (default: today)."),
        click.option("--rules", metavar="FILE", help="Use this rule-pack TOML file instead of the bundled one."),
        click.option("--part2-scope", type=click.Choice(PART2_SCOPES), default="materials", show_default=True,
                     help="materials: only items marked part2 take the 0.1% test; assemblies: also every part containing one."),
        click.option("--alternates", type=click.Choice(ALTERNATE_POLICIES), default="conservative", show_default=True,
                     help="How alternative items (alt_group) count: the worst one, weighted by usage probability, or the primary one."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _rules(as_of, rules, part2_scope, alternates) -> RuleOptions:
    """The :class:`RuleOptions` record of the rule options as parsed."""
    return RuleOptions(as_of=as_of, rules=rules, part2_scope=part2_scope, alternates=alternates)


@main.command()
@click.argument("bom_paths", metavar="BOM...", nargs=-1, required=True, type=click.Path())
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
    help="table for people, json for programs (decimals as strings), csv for the items table.",
)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (whole or not at all) instead of standard output.")
@click.option(
    "--fail-on", type=click.Choice(list(api.FAIL_ON)), default="never", show_default=True,
    help="Exit with status 3 when an item is licence_required (or, with 'indeterminate', not certainly free, "
         "or the result is incomplete: a part unclassified or missing from the parts data).",
)
@click.option("--explain", "with_trail", is_flag=True, help="With --format json: add the explanation trail of every item.")
@click.option("--products", "as_products", is_flag=True,
              help="BOM is a folder whose every entry (file or sub-folder) is one product: check them as a portfolio.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="Products of a portfolio checked at a time, each in a process of its own (default: the number of CPUs).")
@rule_options
@reading_options
def check(bom_paths, as_of, output_format, output, rules, part2_scope, alternates, fail_on, with_trail, as_products, jobs,
          **reading):
    """Determine the licence status of every Annex 1 item in BOM.

    BOM is a canonical workbook (sheets parts, bom, optionally declarations and fx), a folder
    of the same as CSV files, or a single-sheet export from SAP, a PLM or a CAD tool in xlsx,
    xls, xlsb, ods, CSV or tab-separated text.

    Several BOMs, or a folder with --products, are a portfolio: one product each, checked in
    parallel, with one combined result (the product as a column; JSON: a 'products' list).
    A product whose input is bad is reported by name and the command exits 1; the others'
    results are still written. --fail-on applies over all products.

    \b
    Examples:
      bomcalc check sample_boms/servo_actuator.xlsx
      bomcalc check sample_boms/servo_actuator.xlsx --as-of 2026-03-01
      bomcalc check sample_boms/servo_actuator.xlsx --format json --output result.json
      bomcalc check cs12_export.xlsx --parts material_master.xlsx --declarations supplier_decls/
      bomcalc check plm_export.xlsx --map our_headers.toml
      bomcalc check motor.xlsx pump.xlsx fan/ --format json        # a portfolio of three products
      bomcalc check products/ --products --jobs 4 --fail-on required
    """
    if as_products or len(bom_paths) > 1:
        _check_portfolio(bom_paths, as_products, jobs, output_format, output, fail_on, with_trail,
                         _rules(as_of, rules, part2_scope, alternates), _reading(**reading))
        return
    bom_path = bom_paths[0]
    read_with = _reading(**reading)
    _guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules)
    try:
        with _progress() as progress:
            result = api.check(bom_path, read_with, _rules(as_of, rules, part2_scope, alternates), progress=progress)
    except BomDataError as exc:
        if output_format == "json":  # a program reading standard output gets the problems, not nothing
            click.echo(json_text(failure_document(exc)), nl=False)
        raise
    if output_format == "json":
        document = result_document(result)
        if with_trail:
            document["explanations"] = api.explanations(result)
        text = json_text(document)
    elif output_format == "csv":
        text = csv_text(items_table(result))
    else:
        text = format_table(result)
    _emit(text, output)
    if output_format != "table":
        _warn(result)
    if api.fails(result, fail_on):
        sys.exit(EXIT_FAIL_ON)


def _check_portfolio(bom_paths, as_products, jobs, output_format, output, fail_on, with_trail, given, read_with) -> None:
    """``check`` of several products: one combined result, every failed product named, exit status over all."""
    from .portfolio import check_portfolio, product_entries
    from .report.portfolio import format_portfolio, portfolio_document, portfolio_items_table

    if as_products and len(bom_paths) != 1:
        raise click.UsageError("--products takes one folder, whose every entry is one product")
    paths = [str(p) for p in product_entries(bom_paths[0])] if as_products else list(bom_paths)
    _guard_outputs({"output": output}, paths, reading_dict(read_with), rules=given.rules)
    with _progress() as progress:
        portfolio = check_portfolio(paths, read_with, given, jobs=jobs, with_trail=with_trail, progress=progress)
    if output_format == "json":
        text = json_text(portfolio_document(portfolio))
    elif output_format == "csv":
        text = csv_text(portfolio_items_table(portfolio))
    else:
        text = format_portfolio(portfolio)
    _emit(text, output)
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


def _format_option(choices=("text", "json")):
    return click.option("--format", "output_format", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="text for people, json for programs (decimals as strings).")


@main.command(name="whatif")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--scenarios", "scenario_file", metavar="FILE",
              help="Scenario file: TOML ([[scenario]] name, changes) or a workbook with a 'scenarios' sheet "
                   "(default: the 'scenarios' sheet of the BOM workbook itself).")
@_format_option()
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
@rule_options
@reading_options
def whatif_command(bom_path, scenario_file, output_format, output, as_of, rules, part2_scope, alternates, **reading):
    """Compare what-if sourcing scenarios with the baseline, item by item.

    Each scenario changes a copy of the BOM (origins, values, declarations, substitutions,
    quantities, the as-of date or the threshold); the baseline is never modified. The output
    shows every Annex 1 item before and after, and which flip.

    \b
    Examples:
      bomcalc whatif sample_boms/servo_actuator.xlsx --scenarios sample_boms/servo_scenarios.toml
      bomcalc whatif BOM --scenarios FILE --format json
      bomcalc whatif BOM.xlsx                  # scenarios on the workbook's own 'scenarios' sheet
    """
    read_with = _reading(**reading)
    _guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules, scenarios=scenario_file)
    given = _rules(as_of, rules, part2_scope, alternates).resolved()
    with _progress() as progress:
        comparison = api.whatif(api.read(bom_path, read_with, given, progress=progress), scenario_file or bom_path,
                                options=given, progress=progress)
    text = json_text(comparison_document(comparison)) if output_format == "json" else format_comparison(comparison)
    _emit(text, output)
    _warn(comparison.baseline)


@main.command(name="headroom")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@_format_option()
@click.option("--top", default=5, show_default=True, help="How many contributors to list per item.")
@rule_options
@reading_options
def headroom_command(bom_path, output_format, top, as_of, rules, part2_scope, alternates, **reading):
    """Per Part 2 item: how far from the 0.1% line, and the top contributors.

    \b
    Example:
      bomcalc headroom sample_boms/servo_actuator.xlsx
    """
    result = api.check(bom_path, _reading(**reading), _rules(as_of, rules, part2_scope, alternates))
    if output_format == "json":
        text = json_text(api.headroom_document(result, top=top))
    else:
        text = format_headroom(api.headroom_table(result, top=top), result)
    _emit(text, None)
    _warn(result)


@main.command(name="where-used")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.argument("part")
@click.option("--all", "every_assembly", is_flag=True, help="List every assembly that contains PART, not only Annex 1 items.")
@_format_option()
@reading_options
def where_used_command(bom_path, part, every_assembly, output_format, **reading):
    """Every Annex 1 item (with --all, every assembly) that contains PART, with the paths and
    its extended quantity per unit of each.

    \b
    Example:
      bomcalc where-used sample_boms/servo_actuator.xlsx DY-MET --all
    """
    bom = api.read(bom_path, _reading(**reading))
    table = api.where_used_table(bom, part, every_assembly)
    if output_format == "json":
        text = json_text(api.where_used_document(table, part))
    else:
        text = format_where_used(table, part, bom)
    _emit(text, None)


@main.command(name="mitigate")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--options", "options_path", required=True, metavar="FILE",
              help="Sourcing options (CSV or sheet): part, option, origin, unit_value or cost_delta, cn_part1_value, capacity, source.")
@click.option("--items", metavar="ID,ID", help="Items to bring below the line (default: every Part 2 item now required or indeterminate).")
@click.option("--volumes", metavar="FILE", help="Annual volumes per finished item (item, annual_volume), to weigh the cost.")
@_format_option()
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
@rule_options
@reading_options
def mitigate_command(bom_path, options_path, items, volumes, output_format, output, as_of, rules, part2_scope, alternates, **reading):
    """The cheapest set of re-sourcing choices that brings the items strictly below the line.

    Solved as a mixed-integer programme; the chosen set is then re-checked exactly on a copy
    of the BOM. When no combination suffices, says which items cannot be fixed and their best
    achievable ratios.

    \b
    Example:
      bomcalc mitigate sample_boms/servo_actuator.xlsx --options sample_boms/servo_sourcing_options.csv --volumes sample_boms/servo_volumes.csv
    """
    require_extra("optimise", "bomcalc mitigate")
    from .report.documents import format_mitigation, mitigation_document

    read_with = _reading(**reading)
    _guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules, options=options_path, volumes=volumes)
    selected = [item.strip() for item in items.split(",") if item.strip()] if items else None
    with _progress() as progress:
        result_before = api.check(bom_path, read_with, _rules(as_of, rules, part2_scope, alternates), progress=progress)
        with _native_stdout_silenced():  # the solver's native code may print to file descriptor 1
            result = api.mitigate(result_before, options_path, volumes, selected, progress=progress)
    text = json_text(mitigation_document(result)) if output_format == "json" else format_mitigation(result, result_before.currency)
    _emit(text, output)
    _warn(result_before)


@main.command(name="explain")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.argument("item")
@_format_option()
@rule_options
@reading_options
def explain_command(bom_path, item, output_format, as_of, rules, part2_scope, alternates, **reading):
    """The computation behind ITEM's determination, step by step, to check by hand.

    Each path from ITEM to each contributing input with the quantities multiplied along it,
    the values, the sums, the comparison with the threshold, the limb and whether it is in
    force on the as-of date.

    \b
    Example:
      bomcalc explain sample_boms/servo_actuator.xlsx MAG-ARC
    """
    from .report.explain_text import explanation_document, format_explanation

    result = api.check(bom_path, _reading(**reading), _rules(as_of, rules, part2_scope, alternates))
    trail = api.explain(result, item)
    text = json_text(explanation_document(trail)) if output_format == "json" else format_explanation(trail, result.currency)
    _emit(text, None)
    _warn(result)


@main.command(name="report")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--output", "-o", metavar="FILE", help="Write the Excel report (.xlsx) here.")
@click.option("--html", "html_output", metavar="FILE", help="Execute the audit notebook on BOM and write it as HTML (code hidden).")
@click.option("--pack", "pack_folder", metavar="DIR", help="Write an audit pack: inputs, rule pack, options, JSON and CSV results, Excel report.")
@click.option("--hash-only", is_flag=True, help="With --pack: record the inputs' SHA-256 instead of copying them.")
@click.option("--top", type=click.IntRange(min=0), default=25, show_default=True, metavar="N",
              help="Contributors listed per item on the Contributions sheet; every one is in the contributions CSV "
                   "written beside the workbook (FILE_contributions.csv) and in the audit pack (contributions.csv).")
@rule_options
@reading_options
def report_command(bom_path, output, html_output, pack_folder, hash_only, top, as_of, rules, part2_scope, alternates, **reading):
    """Write the audit report of BOM: an Excel workbook, an HTML notebook, or an audit pack.

    The workbook has a Summary, the Contributions of every Part 2 item with their paths, the
    Data quality account, the Provenance (rule pack, sources, policies, input files and their
    SHA-256) and Charts. An audit pack can be re-run with `bomcalc verify`.

    \b
    Examples:
      bomcalc report sample_boms/servo_actuator.xlsx --output servo_report.xlsx
      bomcalc report sample_boms/servo_actuator.xlsx --html servo_report.html
      bomcalc report sample_boms/servo_actuator.xlsx --pack audit_2026-11/
    """
    if not (output or html_output or pack_folder):
        raise click.UsageError("say what to write: --output FILE.xlsx, --html FILE.html or --pack DIR")
    if html_output:
        require_extra("notebooks", "bomcalc report --html")
    read_with = _reading(**reading)
    from .report.contributions_file import contributions_csv_path

    _guard_outputs({"Excel report": output, "HTML report": html_output,
                    "contributions CSV": contributions_csv_path(output) if output else None}, bom_path, reading_dict(read_with),
                   folders={"audit pack": pack_folder}, rules=rules)
    given = _rules(as_of, rules, part2_scope, alternates)
    if pack_folder:
        from .pack import make_pack

        with _progress() as progress:
            make_pack(pack_folder, bom_path, options=given, hash_only=hash_only, reading=read_with, top=top, progress=progress)
        click.echo(f"Wrote audit pack {pack_folder}; check it with: bomcalc verify {pack_folder}", err=True)
    with _progress() as progress:
        api.report(bom_path, read_with, given, output=output, html=html_output, top=top, progress=progress)
    if output:
        click.echo(f"Wrote {output} and {contributions_csv_path(output)}", err=True)
    if html_output:
        click.echo(f"Wrote {html_output}", err=True)


@main.command(name="verify")
@click.argument("pack_folder", metavar="PACK", type=click.Path())
def verify_command(pack_folder):
    """Re-run an audit pack and confirm the result is identical, or list what differs and why.

    Exit status 0 when identical, 4 when anything differs.

    \b
    Example:
      bomcalc verify audit_2026-11/
    """
    from .pack import verify_pack

    outcome = verify_pack(pack_folder)
    if outcome.ok:
        click.echo(f"{pack_folder}: verified; the inputs, the rule pack and the result are identical.")
        return
    click.echo(f"{pack_folder}: NOT verified:")
    for difference in outcome.differences:
        click.echo(terminal_text(f"  - {difference}"))
    sys.exit(EXIT_NOT_VERIFIED)


@main.command(name="validate")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
@reading_options
def validate_command(bom_path, output_format, output, **reading):
    """Report the data quality of BOM only: what became of every input row, and every problem.

    The counts of each file and sheet add up to the rows read: used, merged with another,
    skipped by rule (title, header, blank, text or document rows) or rejected with a reason.
    Exit status 1 when there is an error.

    \b
    Examples:
      bomcalc validate sample_boms/servo_actuator.xlsx
      bomcalc validate cs12_export.xlsx --parts material_master.xlsx --format json
    """
    read_with = _reading(**reading)
    _guard_outputs({"output": output}, bom_path, reading_dict(read_with))
    with _progress() as progress:
        report = api.validate(bom_path, reading=read_with, progress=progress)
    text = json_text(quality_document(report)) if output_format == "json" else format_quality(report)
    _emit(text, output)
    if not report.ok:
        sys.exit(EXIT_DATA_ERROR)


@main.command()
@click.option("--output", "-o", metavar="FILE", required=True, help="Where to write the blank canonical workbook (.xlsx).")
@click.option("--declaration-output", metavar="FILE",
              help="Where to write the supplier declaration template (default: next to --output, named *_supplier_declaration.xlsx).")
def template(output, declaration_output):
    """Write a blank canonical BOM workbook and a supplier declaration template.

    \b
    Example:
      bomcalc template --output blank_bom.xlsx
    """
    from pathlib import Path

    from .io.templates import write_bom_template, write_declaration_template

    target = Path(output)
    declaration = Path(declaration_output) if declaration_output else target.with_name(f"{target.stem}_supplier_declaration.xlsx")
    _guard_outputs({"BOM template": target, "declaration template": declaration})
    write_bom_template(target)
    write_declaration_template(declaration)
    click.echo(f"Wrote {target} and {declaration}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
