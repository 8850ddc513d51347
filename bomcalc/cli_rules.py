"""``bomcalc rules``: show, check and start rule packs and overlays (interface layer)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from . import api
from .cli_base import emit, format_option, guard_outputs, main
from .io.writers import json_text, write_atomic
from .report.rule_pack_text import format_pack, overlay_template, pack_document
from .report.safe_text import terminal_text


@main.group()
def rules():
    """Show, check and start rule packs: the legal parameters bomcalc applies, each dated and sourced.

    An overlay is a small pack with extends = "mofcom-61-2025": it records what came after the
    packaged pack's last event (a new announcement, counsel's reading) without editing bomcalc.

    \b
    Example:
      bomcalc rules new --extends mofcom-61-2025 --output counsel.toml
      bomcalc rules check counsel.toml
      bomcalc rules show counsel.toml --as-of 2026-12-01
      bomcalc check BOM.xlsx --rules counsel.toml
    """


@rules.command("show")
@click.argument("pack", metavar="[PACK]", required=False)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Say what is in force on this date (default: today).")
@format_option()
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
def show_command(pack, as_of, output_format, output):
    """List a pack's limbs (and which is in force on a date), its dated timeline, sources and Annex 1 items.

    PACK is a packaged pack's id or a rule-pack file (an overlay too); default: the packaged pack.

    \b
    Example:
      bomcalc rules show --as-of 2026-12-01
      bomcalc rules show counsel.toml --format json
    """
    guard_outputs({"output": output}, rules=pack)
    loaded, on = api.load_rule_pack(pack), api.parse_date(as_of)
    text = json_text(pack_document(loaded, on)) if output_format == "json" else format_pack(loaded, on) + "\n"
    emit(text, output)


@rules.command("check")
@click.argument("pack_file", metavar="FILE", type=click.Path())
def check_command(pack_file):
    """Check a rule pack or overlay: every problem is named with the file and the key; exit status 1 on one.

    \b
    Example:
      bomcalc rules check counsel.toml
    """
    pack = api.load_rule_pack(pack_file)
    click.echo(terminal_text(
        f"{pack_file}: a valid rule pack, {pack.label}: {len(pack.limbs)} limbs, {len(pack.events)} events, "
        f"{len(pack.sources)} sources; last recorded event {pack.last_event_date.isoformat()}."))


@rules.command("new")
@click.option("--extends", "extends", required=True, metavar="PACK", help="The id of the packaged pack the overlay extends.")
@click.option("--output", "-o", required=True, metavar="FILE", help="The overlay file to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new_command(extends, output, force):
    """Write a commented overlay to fill in: your sources and dated events on top of a packaged pack.

    The file is valid as written (its example entries are commented out); FILE is never
    overwritten without --force.

    \b
    Example:
      bomcalc rules new --extends mofcom-61-2025 --output counsel.toml
    """
    if Path(output).exists() and not force:
        raise click.ClickException(f"{output} exists; choose another file, or add --force to overwrite it")
    base = api.load_rule_pack(extends)
    if Path(extends).is_file():
        raise click.UsageError(f"--extends takes a packaged pack's id, e.g. mofcom-61-2025, not a file ({extends})")
    write_atomic(output, overlay_template(base, base.id, dt.date.today()).encode("utf-8"))
    click.echo(terminal_text(f"Wrote {output}: an overlay on {base.label}. Fill it in, then: bomcalc rules check {output}"),
               err=True)
