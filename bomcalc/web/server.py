"""Start the upload page's server (interface layer): ``bomcalc serve``."""

from __future__ import annotations

import ipaddress
import sys
import threading
import webbrowser

from .app import Settings, create_app
from .worker import Limits

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def exposed(host: str) -> bool:
    """Whether binding ``host`` lets other machines reach the server."""
    if host in LOCAL_HOSTS:
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def serve(host: str = "127.0.0.1", port: int = 8765, *, open_browser: bool = False, max_upload: int | None = None,
          limits: Limits | None = None) -> None:
    """Serve the page on ``host``:``port`` until Ctrl-C; warn on standard error when ``host`` is
    reachable from other machines (the page has no log-in)."""
    import uvicorn

    settings = Settings(limits=limits or Limits())
    if max_upload is not None:
        settings.max_upload = max_upload
    app = create_app(settings)
    if exposed(host):
        print(f"WARNING: bomcalc serve is bound to {host}: anyone who can reach this machine on port {port} can "
              "upload files and see the results; the page has no log-in. Bind 127.0.0.1 unless this network "
              "is trusted.", file=sys.stderr)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    print(f"bomcalc: the upload page is at {url} (Ctrl-C stops it)", file=sys.stderr)
    threading.Thread(target=app.worker.warm_up, daemon=True).start()  # the first answer comes as fast as the next
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
