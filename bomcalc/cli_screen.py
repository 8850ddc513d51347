"""The ``screen`` and ``notice`` commands: the licensing policy of Clauses 2-4 (interface layer).

Registered on the ``bomcalc`` group of :mod:`bomcalc.cli_base`; each parses its options, calls
:mod:`bomcalc.licensing_api` and formats the result.
"""

from __future__ import annotations

import click

from . import licensing_api
from .api import RuleOptions, reading_dict
from .cli_base import (emit, guard_outputs, main, print_warnings, progress_bar, reading_of, reading_options, rule_options,
                       rules_of)
from .core.coverage import warning_lines
from .core.determine import PART2_SCOPES
from .io.writers import json_text, write_atomic
from .report.safe_text import terminal_text
from .report.screening import format_screening, screening_csv, screening_document, write_screening_xlsx


def _screen_format(output_format, output) -> str:
    if output_format:
        return output_format
    suffix = str(output or "").lower().rpartition(".")[2]
    return {"xlsx": "xlsx", "csv": "csv", "json": "json"}.get(suffix, "table") if output else "table"


@main.command(name="screen")
@click.argument("shipments", metavar="SHIPMENTS", type=click.Path())
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--listed", metavar="FILE", help="Parties on China's export control list or watch list: party, list (control or watch).")
@click.option("--ownership", metavar="FILE", help="Who owns whom: party, owner, share (0.5 or 50%); parties owned 50% or "
              "more by listed parties, together, count as listed.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv", "xlsx"]), default=None,
              help="table for people, json for programs, csv or xlsx for a spreadsheet (xlsx needs --output). "
                   "Default: from the --output suffix, else table.")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (whole or not at all) instead of standard output.")
@click.option("--rules", metavar="FILE", help="Use this rule-pack TOML file (its [licensing] section) instead of the bundled one.")
@click.option("--part2-scope", type=click.Choice(PART2_SCOPES), default="materials", show_default=True,
              help="materials: only items marked part2 take the 0.1% test; assemblies: also every part containing one.")
@reading_options
def screen_command(shipments, bom_path, listed, ownership, output_format, output, rules, part2_scope, **reading):
    """Screen shipments of BOM items against the licensing policy of Announcement No. 61.

    SHIPMENTS (CSV or a workbook) has one row per shipment: item, consignee, country, end use,
    end-user type, date; optionally end user, shipment, node_nm and layers (the chip lines).
    Each item is determined on its shipment's date (as bomcalc check), then the policy of
    Clauses 2-4 applies: denied in principle (military end users, listed parties and those
    they own 50% or more of, WMD, terrorism or military end uses), case by case (logic chips
    at 14 nm or below, memory of 256 layers or more, military AI), or the humanitarian
    exemption, with the report's due date counted in Chinese working days (adjusted working
    days included; a date outside the official calendar's years is refused).

    \b
    Examples:
      bomcalc screen shipments.csv sample_boms/servo_actuator.xlsx --listed parties.csv --ownership owners.csv
      bomcalc screen shipments.xlsx BOM.xlsx --format json
      bomcalc screen shipments.csv BOM.xlsx --output screening.xlsx
    """
    output_format = _screen_format(output_format, output)
    if output_format == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a workbook: give --output screening.xlsx")
    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules, shipments=shipments,
                  listed=listed, ownership=ownership)
    with progress_bar() as progress:
        result = licensing_api.screen(shipments, bom_path, read_with, RuleOptions(rules=rules, part2_scope=part2_scope),
                                      listed=listed, ownership=ownership, progress=progress)
    if output_format == "xlsx":
        write_screening_xlsx(output, result)
        click.echo(f"Wrote {output}", err=True)
        _print_screening_warnings(result)
        return
    text = {"json": lambda: json_text(screening_document(result)), "csv": lambda: screening_csv(result),
            "table": lambda: format_screening(result)}[output_format]()
    emit(text, output)
    _print_screening_warnings(result)


def _print_screening_warnings(result) -> None:
    """The warnings of every determination the screening used (a stale rule pack, an incomplete
    result), each line once, on standard error."""
    lines = dict.fromkeys(line for evaluation in {id(e): e for e in result.evaluations.values()}.values()
                          for line in warning_lines(evaluation))
    for line in lines:
        click.echo(terminal_text(line), err=True)


@main.command(name="notice")
@click.argument("bom_path", metavar="BOM", type=click.Path())
@click.option("--recipient", required=True, metavar="NAME", help="The importer or end user the letter goes to.")
@click.option("--items", metavar="ID,ID", help="The items shipped (default: every Annex 1 item of BOM).")
@click.option("--template", metavar="FILE", help="Your Jinja2 template (rendered in a sandbox); default: the packaged one.")
@click.option("--format", "output_format", type=click.Choice(["md", "html", "docx"]), default=None,
              help="md, html or docx (needs --output). Default: from the --output suffix, else md.")
@click.option("--output", "-o", metavar="FILE", help="Write to FILE (whole or not at all) instead of standard output.")
@rule_options
@reading_options
def notice_command(bom_path, recipient, items, template, output_format, output, as_of, rules, part2_scope, alternates,
                   accept, **reading):
    """Write a Compliance Notification Letter for RECIPIENT from an editable template.

    Lists the items shipped with their Annex 1 status and content figures, and the pass-on
    statement: the letter goes on to each next recipient. The official wording of the letter
    was not found; the packaged template says so and uses only the rule pack's statements.

    \b
    Examples:
      bomcalc notice sample_boms/servo_actuator.xlsx --recipient "Example GmbH"
      bomcalc notice BOM.xlsx --recipient "Example GmbH" --items MAG-ARC --output notice.html
      bomcalc notice BOM.xlsx --recipient "Example GmbH" --template my_letter.md.j2 --output letter.docx
    """
    if output_format is None:
        suffix = str(output or "").lower().rpartition(".")[2]
        output_format = suffix if output and suffix in ("html", "docx") else "md"
    if output_format == "docx" and not output:
        raise click.UsageError("--format docx writes a Word document: give --output letter.docx")
    read_with = reading_of(**reading)
    guard_outputs({"output": output}, bom_path, reading_dict(read_with), rules=rules, template=template)
    chosen = [item.strip() for item in items.split(",") if item.strip()] if items else None
    letter = licensing_api.notice(bom_path, recipient, read_with, rules_of(as_of, rules, part2_scope, alternates, accept),
                                items=chosen, template=template, output_format=output_format)
    if output:
        write_atomic(output, letter.data)
        click.echo(f"Wrote {output}", err=True)
    else:
        emit(letter.data.decode("utf-8"), None)
    print_warnings(letter.evaluation)
