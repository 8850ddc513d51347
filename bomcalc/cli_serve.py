"""``bomcalc serve``: the upload page (interface layer; the page itself is :mod:`bomcalc.web`)."""

from __future__ import annotations

import re

import click

from .cli_base import main
from .core.extras import require_extra

_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3}


def byte_count(text: str) -> int:
    """``100MB``, ``2GiB``, ``500kb`` or a plain number of bytes, as bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text or "")
    if not match or match.group(2).lower() not in _UNITS:
        raise click.BadParameter(f"'{text}' is not a size; write e.g. 100MB, 2GiB or 500000")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


@main.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine (127.0.0.1) is warned about: the page has no log-in.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
@click.option("--max-upload", default="100MB", show_default=True, metavar="SIZE",
              help="Largest upload (all files of one request); larger ones get 413 before they are read.")
@click.option("--timeout", default=300.0, show_default=True, metavar="SECONDS", type=click.FloatRange(min=1),
              help="Longest one request may work.")
@click.option("--max-memory", default="2GiB", show_default=True, metavar="SIZE", help="Memory one request may use.")
def serve_command(host, port, open_browser, max_upload, timeout, max_memory):
    """Serve the upload page: drop a BOM in a browser and get the answer, with the trail.

    Each request works in a private temporary folder, deleted afterwards, and in a worker
    process with a time and memory limit; nothing uploaded is kept. The page's JSON API is
    described in the README (POST /api/check, /api/whatif, /api/report).

    \b
    Examples:
      bomcalc serve --open
      bomcalc serve --port 9000 --max-upload 250MB
    """
    require_extra("web", "bomcalc serve")
    from .web.server import serve
    from .web.worker import Limits

    serve(host, port, open_browser=open_browser, max_upload=byte_count(max_upload),
          limits=Limits(seconds=timeout, memory=byte_count(max_memory)))
