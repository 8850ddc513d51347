"""The ``bomcalc`` command group and what its commands share (interface layer).

The group (which turns every :class:`~bomcalc.core.errors.BomError` into clear lines on
standard error and an exit status, never a traceback), the reading and rule options every
command takes, and the helpers that write a command's output. :mod:`bomcalc.cli` adds the
commands.
"""

from __future__ import annotations

import contextlib
import os
import sys

import click

from ._version import __version__
from .api import READING_OPTIONS, ReadOptions, RuleOptions, reading_record
from .core.coverage import warning_lines
from .core.determine import PART2_SCOPES
from .core.rollup import ALTERNATE_POLICIES
from .core.suggestions import ACCEPT_LEVELS
from .io.writers import write_atomic
from .report.safe_text import terminal_text

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
    item: 0.1% de minimis, Chinese technology and China origin. The rules are data: record what
    came later in an overlay (bomcalc rules new), or run the US EAR de minimis test on the same
    BOM with --rules us-ear-de-minimis --destination CC.

    \b
    Example:
      bomcalc check sample_boms/servo_actuator.xlsx
      bomcalc check sample_boms/servo_actuator.xlsx --rules us-ear-de-minimis --destination DE

    bomcalc informs a compliance decision; it does not replace legal advice.
    """


def progress_bar():
    """The progress bar of this command (:mod:`bomcalc.cli_progress`): a context yielding a
    ``progress`` callback, or ``None`` with ``bomcalc --quiet`` or when standard error is not a terminal."""
    from .cli_progress import progress_bar as bar

    return bar(quiet=click.get_current_context().find_root().params.get("quiet", False))


@contextlib.contextmanager
def native_stdout_silenced():
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


def print_warnings(evaluation) -> None:
    """Say on standard error what every result must carry: the rule pack may be out of date."""
    for line in warning_lines(evaluation):
        click.echo(terminal_text(line), err=True)


def guard_outputs(outputs: dict, bom_path=None, reading: dict | None = None, folders: dict | None = None, **inputs) -> None:
    """Refuse, before any work, an output that would overwrite an input or cannot be written."""
    from .io.outputs import check_outputs, command_inputs

    check_outputs(outputs, command_inputs(bom_path, reading, **inputs), folders)


def emit(text: str, output: str | None) -> None:
    """Write a command's text to ``output`` (whole or not at all), or to standard output."""
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


def reading_of(**reading) -> ReadOptions:
    """The :class:`ReadOptions` record of the reading options as parsed."""
    if reading.get("qty_mode"):
        reading["qty_mode"] = reading["qty_mode"].replace("-", "_")
    return reading_record(**reading)


def rule_options(command):
    """--as-of, --rules, --part2-scope, --alternates and --accept, shared by every command that evaluates;
    the command gets them as ``**rule`` (see :func:`rules_of`)."""
    options = [
        click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Apply the rule as on this date (default: today)."),
        click.option("--rules", metavar="FILE|ID", help="Use this rule-pack TOML file (a pack, or an overlay on a packaged one), "
                     "or a packaged pack by id (mofcom-61-2025, the default; us-ear-de-minimis), instead of the default."),
        click.option("--part2-scope", type=click.Choice(PART2_SCOPES), default="materials", show_default=True,
                     help="materials: only items marked part2 take the 0.1% test; assemblies: also every part containing one."),
        click.option("--alternates", type=click.Choice(ALTERNATE_POLICIES), default="conservative", show_default=True,
                     help="How alternative items (alt_group) count: the worst one, weighted by usage probability, or the primary one."),
        click.option("--destination", metavar="CC", expose_value=False, callback=_keep_destination, help="Country of destination (ISO alpha-2), for a pack whose threshold "
                     "depends on it (us-ear-de-minimis: 10% for Country Groups E:1/E:2, else 25%); without it the "
                     "strictest threshold applies."),
        click.option("--accept", type=click.Choice(ACCEPT_LEVELS), default="none", show_default=True,
                     help="high: a part whose annex1 you did not give takes the Annex 1 status suggested with high "
                          "confidence (bomcalc classify); the result names the policy and the parts. A given annex1 is never replaced."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _keep_destination(ctx, _param, value):
    """--destination is kept on the command's context for :func:`rules_of` (commands need not name it)."""
    ctx.meta["bomcalc.destination"] = value
    return value


def rules_of(as_of, rules, part2_scope, alternates, accept="none", destination=None) -> RuleOptions:
    """The :class:`RuleOptions` record of the rule options as parsed (``--destination`` from the context)."""
    if destination is None and click.get_current_context(silent=True) is not None:
        destination = click.get_current_context().meta.get("bomcalc.destination")
    return RuleOptions(as_of=as_of, rules=rules, part2_scope=part2_scope, alternates=alternates, accept=accept,
                       destination=destination)


def format_option(choices=("text", "json")):
    """The ``--format`` option of a command that writes ``choices``."""
    return click.option("--format", "output_format", type=click.Choice(choices), default=choices[0], show_default=True,
                        help="text for people, json for programs (decimals as strings).")
