"""The ``bomcalc`` command line (interface layer): parse options, call the API, format.

Every :class:`~bomcalc.core.errors.BomError` is caught once, in :class:`_Group`, and printed as
clear lines on standard error with exit status 1; never a traceback (see
:mod:`bomcalc.cli_failures`, which also turns file-system errors and Ctrl-C into one line).
"""

from __future__ import annotations

import sys

import click

from . import api
from .api import RuleOptions, reading_dict
from .core.determine import PART2_SCOPES
from .core.errors import BomDataError
from .core.extras import require_extra
from .io.writers import csv_text, json_text
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
)

from . import cli_rules  # noqa: F401 (adds the rules command group)
from .cli_failures import EXIT_DATA_ERROR, EXIT_FAIL_ON, EXIT_NOT_VERIFIED
from .cli_base import (emit, format_option, guard_outputs, main, native_stdout_silenced, print_warnings, progress_bar,
                       reading_of, reading_options, rule_options, rules_of)


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
def check(bom_paths, as_of, output_format, output, rules, part2_scope, alternates, accept, fail_on, with_trail, as_products,
          jobs, **reading):
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
        from .cli_portfolio import check_portfolio_command

        check_portfolio_command(bom_paths, as_products, jobs, output_format, output, fail_on, with_trail,
                                rules_of(as_of, rules, part2_scope, alternates, accept), reading_of(**reading))
        return
    bom_path = bom_paths[0]
    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules)
    try:
        with progress_bar() as progress:
            result = api.check(bom_path, read_with, rules_of(as_of, rules, part2_scope, alternates, accept), progress=progress)
    except BomDataError as exc:
        if output_format == "json":  # a program reading standard output gets the problems, not nothing
            click.echo(json_text(failure_document(exc)), nl=False)
        raise
    if output_format == "json":
        text = json_text(api.check_document(result, with_trail))
    elif output_format == "csv":
        text = csv_text(items_table(result))
    else:
        text = format_table(result)
    emit(text, output)
    if output_format != "table":
        print_warnings(result)
    if api.fails(result, fail_on):
        sys.exit(EXIT_FAIL_ON)


@main.command(name="whatif")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--scenarios", "scenario_file", metavar="FILE",
              help="Scenario file: TOML ([[scenario]] name, changes) or a workbook with a 'scenarios' sheet "
                   "(default: the 'scenarios' sheet of the BOM workbook itself).")
@format_option()
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
@rule_options
@reading_options
def whatif_command(bom_path, scenario_file, output_format, output, as_of, rules, part2_scope, alternates, accept, **reading):
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
    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules, scenarios=scenario_file)
    given = rules_of(as_of, rules, part2_scope, alternates, accept).resolved()
    with progress_bar() as progress:
        comparison = api.whatif(api.read(bom_path, read_with, given, progress=progress), scenario_file or bom_path,
                                options=given, decimal=read_with.decimal, progress=progress)
    text = json_text(comparison_document(comparison)) if output_format == "json" else format_comparison(comparison)
    emit(text, output)
    print_warnings(comparison.baseline)


@main.command(name="headroom")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@format_option()
@click.option("--top", default=5, show_default=True, help="How many contributors to list per item.")
@rule_options
@reading_options
def headroom_command(bom_path, output_format, top, as_of, rules, part2_scope, alternates, accept, **reading):
    """Per Part 2 item: how far from the 0.1% line, and the top contributors.

    \b
    Example:
      bomcalc headroom sample_boms/servo_actuator.xlsx
    """
    result = api.check(bom_path, reading_of(**reading), rules_of(as_of, rules, part2_scope, alternates, accept))
    if output_format == "json":
        text = json_text(api.headroom_document(result, top=top))
    else:
        text = format_headroom(api.headroom_table(result, top=top), result)
    emit(text, None)
    print_warnings(result)


@main.command(name="where-used")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.argument("part")
@click.option("--all", "every_assembly", is_flag=True, help="List every assembly that contains PART, not only Annex 1 items.")
@format_option()
@reading_options
def where_used_command(bom_path, part, every_assembly, output_format, **reading):
    """Every Annex 1 item (with --all, every assembly) that contains PART, with the paths and
    its extended quantity per unit of each.

    \b
    Example:
      bomcalc where-used sample_boms/servo_actuator.xlsx DY-MET --all
    """
    bom = api.read(bom_path, reading_of(**reading))
    table = api.where_used_table(bom, part, every_assembly)
    if output_format == "json":
        text = json_text(api.where_used_document(table, part))
    else:
        text = format_where_used(table, part, bom)
    emit(text, None)


@main.command(name="mitigate")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--options", "options_path", required=True, metavar="FILE",
              help="Sourcing options (CSV or sheet): part, option, origin, unit_value or cost_delta, cn_part1_value, capacity, source.")
@click.option("--items", metavar="ID,ID", help="Items to bring below the line (default: every Part 2 item now required or indeterminate).")
@click.option("--volumes", metavar="FILE", help="Annual volumes per finished item (item, annual_volume), to weigh the cost.")
@format_option()
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
@rule_options
@reading_options
def mitigate_command(bom_path, options_path, items, volumes, output_format, output, as_of, rules, part2_scope, alternates, accept, **reading):
    """The cheapest set of re-sourcing choices that brings the items strictly below the line.

    Solved as a mixed-integer programme; the chosen set is then re-checked exactly on a copy
    of the BOM. When no combination suffices, says which items cannot be fixed and their best
    achievable ratios.

    \b
    Example:
      bomcalc mitigate sample_boms/servo_actuator.xlsx --options sample_boms/servo_sourcing_options.csv --volumes sample_boms/servo_volumes.csv
    """
    require_extra("optimise", "bomcalc mitigate")
    from .report.mitigation_text import format_mitigation, mitigation_document

    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules, options=options_path, volumes=volumes)
    selected = [item.strip() for item in items.split(",") if item.strip()] if items else None
    with progress_bar() as progress:
        result_before = api.check(bom_path, read_with, rules_of(as_of, rules, part2_scope, alternates, accept), progress=progress)
        with native_stdout_silenced():  # the solver's native code may print to file descriptor 1
            result = api.mitigate(result_before, options_path, volumes, selected, read_with.decimal, progress=progress)
    text = json_text(mitigation_document(result)) if output_format == "json" else format_mitigation(result, result_before.currency)
    emit(text, output)
    print_warnings(result_before)


@main.command(name="explain")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.argument("item")
@format_option()
@rule_options
@reading_options
def explain_command(bom_path, item, output_format, as_of, rules, part2_scope, alternates, accept, **reading):
    """The computation behind ITEM's determination, step by step, to check by hand.

    Each path from ITEM to each contributing input with the quantities multiplied along it,
    the values, the sums, the comparison with the threshold, the limb and whether it is in
    force on the as-of date.

    \b
    Example:
      bomcalc explain sample_boms/servo_actuator.xlsx MAG-ARC
    """
    from .report.explain_text import explanation_document, format_explanation

    result = api.check(bom_path, reading_of(**reading), rules_of(as_of, rules, part2_scope, alternates, accept))
    trail = api.explain(result, item)
    text = json_text(explanation_document(trail)) if output_format == "json" else format_explanation(trail, result.currency)
    emit(text, None)
    print_warnings(result)


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
def report_command(bom_path, output, html_output, pack_folder, hash_only, top, as_of, rules, part2_scope, alternates, accept, **reading):
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
    read_with = reading_of(**reading)
    from .report.contributions_file import contributions_csv_path

    guard_outputs({"Excel report": output, "HTML report": html_output,
                   "contributions CSV": contributions_csv_path(output) if output else None}, bom_path, reading_dict(read_with),
                  folders={"audit pack": pack_folder}, rules=rules)
    given = rules_of(as_of, rules, part2_scope, alternates, accept)
    if pack_folder:
        from .pack import make_pack

        with progress_bar() as progress:
            make_pack(pack_folder, bom_path, options=given, hash_only=hash_only, reading=read_with, top=top, progress=progress)
        click.echo(f"Wrote audit pack {pack_folder}; check it with: bomcalc verify {pack_folder}", err=True)
    with progress_bar() as progress:
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
    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with))
    with progress_bar() as progress:
        report = api.validate(bom_path, reading=read_with, progress=progress)
    text = json_text(quality_document(report)) if output_format == "json" else format_quality(report)
    emit(text, output)
    if not report.ok:
        sys.exit(EXIT_DATA_ERROR)


@main.command(name="requests")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--output", "-o", metavar="DIR", required=True,
              help="New (or empty) folder for the request workbooks, one per supplier; created.")
@click.option("--near-line", "near_line", metavar="FACTOR", default="2", show_default=True,
              help="An item decided within this factor of the threshold (0.05% to 0.2% for 2) is near the line and its "
                   "China-origin inputs are asked about too; 1 asks only about indeterminate items.")
@format_option()
@rule_options
@reading_options
def requests_command(bom_path, output, near_line, output_format, as_of, rules, part2_scope, alternates, accept, **reading):
    """Write supplier declaration requests: whom to ask for what, ranked.

    Lists the parts whose origin, value or declaration decides an indeterminate Annex 1 item,
    or gives the content of an item near the line, ranked by how far each can move the item's
    ratio, and writes one supplier declaration form per supplier (the BOM's Supplier or Vendor
    column; one form when there is none) into DIR. The filled-in forms read back with
    --declarations DIR. When nothing is undecided or near the line, nothing is written.

    \b
    Examples:
      bomcalc requests sample_boms/servo_actuator.xlsx --output requests/
      bomcalc check sample_boms/servo_actuator.xlsx --declarations requests/
    """
    from .report.requests_text import format_requests, requests_document

    read_with = reading_of(**reading)
    guard_outputs({}, bom_path, reading_dict(read_with), folders={"requests": output}, rules=rules)
    result = api.requests(bom_path, read_with, rules_of(as_of, rules, part2_scope, alternates, accept), output=output,
                          near_line=near_line)
    text = json_text(requests_document(result)) if output_format == "json" else format_requests(result)
    emit(text, None)
    print_warnings(result.evaluation)


@main.command(name="classify")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["table", "json", "xlsx"]), default=None,
              help="table for people, json for programs, xlsx for the parts master to review (needs --output). "
                   "Default: xlsx when --output ends in .xlsx, else table.")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (whole or not at all); with xlsx, the parts master.")
@click.option("--rules", metavar="FILE", help="Use this rule-pack TOML file (and its classification vocabulary) instead of the bundled one.")
@click.option("--part2-scope", type=click.Choice(PART2_SCOPES), default="materials", show_default=True,
              help="materials: only rare-earth magnet and target materials are Part 2; assemblies: also what contains them.")
@reading_options
def classify_command(bom_path, output_format, output, rules, part2_scope, **reading):
    """Suggest an Annex 1 status (part1, part2, not listed, review) for every part of BOM.

    For a raw BOM export with no annex1 column. Suggestions come from descriptions and HS
    codes and never change a determination by themselves: review them in the parts master
    that --output master.xlsx writes (one row per part, the cells to fill highlighted, the
    suggestion beside your annex1 column), then check with it.

    \b
    Examples:
      bomcalc classify plm_export.xlsx
      bomcalc classify plm_export.xlsx --output master.xlsx
      bomcalc check plm_export.xlsx --parts master.xlsx     # after reviewing master.xlsx
      bomcalc classify plm_export.xlsx --format json
    """
    from .report.classification import format_classification

    if output_format is None:
        output_format = "xlsx" if output and str(output).lower().endswith(".xlsx") else "table"
    if output_format == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes the parts master to a file: give --output master.xlsx")
    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules)
    given = RuleOptions(rules=rules, part2_scope=part2_scope)
    try:
        result = api.classify(bom_path, read_with, given, output=output if output_format == "xlsx" else None)
    except BomDataError as exc:
        if output_format == "json":  # a program reading standard output gets the problems, not nothing
            click.echo(json_text(failure_document(exc)), nl=False)
        raise
    if output_format == "json":
        emit(json_text(api.classification_document(result)), output)
        return
    text = format_classification(result.bom, result.suggestions, result.rule_pack, bom_path,
                                 output if output_format == "xlsx" else None)
    if output_format == "xlsx":
        click.echo(text, nl=False)
        click.echo(terminal_text(f"Wrote {output}"), err=True)
    else:
        emit(text, output)



@main.command()
@click.option("--output", "-o", metavar="FILE", required=True, help="Where to write the blank canonical workbook (.xlsx).")
@click.option("--declaration-output", metavar="FILE",
              help="Where to write the supplier declaration template (default: next to --output, named *_supplier_declaration.xlsx).")
@click.option("--from", "from_bom", metavar="BOM", help="Write instead the parts master of this BOM: every part, the facts "
              "known, the cells to fill highlighted and the suggested Annex 1 status (as bomcalc classify --output).")
@click.option("--part2-scope", type=click.Choice(PART2_SCOPES), default="materials", show_default=True,
              help="With --from: the Part 2 scope of the suggestions.")
@click.option("--rules", metavar="FILE", help="With --from: the rule pack whose vocabulary suggests statuses.")
@reading_options
def template(output, declaration_output, from_bom, part2_scope, rules, **reading):
    """Write a blank canonical BOM workbook and a supplier declaration template, or with --from,
    the parts master of a BOM to fill in.

    \b
    Examples:
      bomcalc template --output blank_bom.xlsx
      bomcalc template --from plm_export.xlsx --output master.xlsx
      bomcalc check plm_export.xlsx --parts master.xlsx        # once master.xlsx is filled in
    """
    from pathlib import Path

    from .io.templates import write_bom_template, write_declaration_template

    if from_bom:
        read_with = reading_of(**reading)
        guard_outputs({"parts master": output}, from_bom, reading_dict(read_with), rules=rules)
        result = api.classify(from_bom, read_with, RuleOptions(rules=rules, part2_scope=part2_scope), output=output)
        click.echo(terminal_text(f"Wrote {output}: {len(result.bom.parts)} parts; fill the highlighted cells, then "
                                 f"bomcalc check {from_bom} --parts {output}"), err=True)
        return
    given = [name for name, value in reading.items() if value not in (None, (), "use")]
    if given or rules or part2_scope != "materials":
        raise click.UsageError("reading options, --rules and --part2-scope go with --from BOM")

    target = Path(output)
    declaration = Path(declaration_output) if declaration_output else target.with_name(f"{target.stem}_supplier_declaration.xlsx")
    guard_outputs({"BOM template": target, "declaration template": declaration})
    write_bom_template(target)
    write_declaration_template(declaration)
    click.echo(f"Wrote {target} and {declaration}", err=True)

from . import cli_serve  # noqa: E402,F401  (registers bomcalc serve)


from . import cli_screen  # noqa: E402,F401  (registers screen and notice)

if __name__ == "__main__":  # pragma: no cover
    main()
