"""How the command line reports a failure and Ctrl-C (interface layer).

:class:`bomcalc.cli._Group` runs every command inside :func:`ctrl_c_noted` and hands any
failure to :func:`report_failure`:

* a :class:`~bomcalc.core.errors.BomError` (data problems, bad files, refused outputs) is printed as
  clear lines, exit status 1;
* an ``OSError`` (permissions, a full disk, a missing folder) is one line with the path and the
  fix, exit status 1;
* anything else is a fault of bomcalc: one line, exit status 70 (the traceback with
  ``BOMCALC_DEBUG=1``).

Ctrl-C is one line and exit status 130, also when an error it caused on its way out (a
notebook kernel stopped half-way) reaches the command first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import types

import click

from .core.errors import BomDataError, BomError
from .report.safe_text import terminal_text

#: Exit statuses of the CLI.
EXIT_DATA_ERROR = 1
EXIT_FAIL_ON = 3
EXIT_NOT_VERIFIED = 4
EXIT_INTERNAL = 70

EXIT_INTERRUPTED = 130


@contextlib.contextmanager
def ctrl_c_noted():
    """Note a Ctrl-C meanwhile, so that an error it causes on its way out is still read as Ctrl-C."""
    noted = types.SimpleNamespace(pressed=False)

    before = signal.getsignal(signal.SIGINT) if threading.current_thread() is threading.main_thread() else None

    def note(signum, frame):
        noted.pressed = True
        if callable(before) and before is not signal.default_int_handler:
            before(signum, frame)  # a handler someone else installed (an embedding program) still runs
        raise KeyboardInterrupt

    # Ctrl-C is noted whatever handler was there, unless the process ignores it (SIG_IGN) or this
    # is not the main thread (where only the main thread may set handlers).
    installed = before is not None and before is not signal.SIG_IGN
    previous = signal.signal(signal.SIGINT, note) if installed else None
    try:
        yield noted
    finally:
        if installed:
            signal.signal(signal.SIGINT, previous)


def report_failure(exc: BaseException) -> None:
    """Print a failure as clear lines and exit 1 (bomcalc or file-system error) or 70 (a fault of bomcalc)."""
    if isinstance(exc, BomDataError):
        for issue in exc.issues:
            click.echo(terminal_text(issue), err=True)
        click.echo(terminal_text(f"Error: {exc}"), err=True)
        sys.exit(EXIT_DATA_ERROR)
    if isinstance(exc, BomError):
        click.echo(terminal_text(f"Error: {exc}"), err=True)
        sys.exit(EXIT_DATA_ERROR)
    if isinstance(exc, OSError):  # the file system, not bomcalc: say where and what to do
        from .io.outputs import os_error_message

        click.echo(terminal_text(f"Error: {os_error_message(exc)}"), err=True)
        sys.exit(EXIT_DATA_ERROR)
    if not isinstance(exc, Exception) or os.environ.get("BOMCALC_DEBUG"):
        raise exc
    click.echo(f"Internal error: {type(exc).__name__}: {terminal_text(exc)}. This is a fault in bomcalc, not in your data; "
               "run again with BOMCALC_DEBUG=1 for the details and report them.", err=True)
    sys.exit(EXIT_INTERNAL)


def report_interrupt() -> None:
    """One line for Ctrl-C and exit status 130: every output is written whole or not at all.

    What a stopped notebook runner leaves behind (asyncio tasks failing as the process ends) is
    not reported: the user pressed Ctrl-C and was told so.
    """
    logging.getLogger("asyncio").disabled = True
    click.echo("Interrupted; no output was left half-written.", err=True)
    sys.exit(EXIT_INTERRUPTED)
