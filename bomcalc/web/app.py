"""The Starlette application of ``bomcalc serve`` (interface layer).

:func:`create_app` builds it: the page and its form posts, the JSON API under ``/api/``, the
static files shipped with the package, and :class:`Guard`, which every request passes through:

* an upload over ``max_upload`` bytes gets 413 before its body is read: at once when its
  Content-Length says so, else as soon as the bytes streamed in pass the limit;
* every response carries a strict Content-Security-Policy (``default-src 'self'``, no inline
  script, ``frame-ancestors 'none'``), ``X-Content-Type-Options: nosniff``, no referrer and
  no caching; no CORS header is ever sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..io.writers import json_text
from .jobs import problem
from .worker import Limits, Worker

HERE = Path(__file__).resolve().parent
#: The default largest upload (all files of one request together) [bytes].
DEFAULT_MAX_UPLOAD = 100 * 1000 ** 2

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


@dataclass
class Settings:
    """How the server runs: the largest upload (all files of one request) [bytes] and each job's limits."""

    max_upload: int = DEFAULT_MAX_UPLOAD
    limits: Limits = field(default_factory=Limits)


class UploadTooLarge(Exception):
    """The body of a request passed the upload limit while it streamed in."""


def json_problem(status: int, message: str, code: str = "bad_request") -> Response:
    """A JSON failure document (``{"error": ..., "issues": [...]}``) with ``status``."""
    return Response(json_text(problem(message, code=code)), status_code=status, media_type="application/json")


def _too_large(limit: int) -> Response:
    return json_problem(413, f"the upload is larger than this server takes ({limit:,} bytes); check the file on the "
                        "command line (bomcalc check), or start the server with a larger --max-upload", code="too_large")


class Guard:
    """ASGI middleware: the upload limit and the security headers (see the module's docstring)."""

    def __init__(self, app, max_upload: int):
        self.app, self.max_upload = app, max_upload

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_secured(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_upload:
            return await _too_large(self.max_upload)(scope, receive, send_secured)
        received = 0

        async def receive_counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_upload:
                raise UploadTooLarge
            return message

        try:
            await self.app(scope, receive_counted, send_secured)
        except UploadTooLarge:
            if not started:
                await _too_large(self.max_upload)(scope, receive, send_secured)


async def _http_problem(request, exc: HTTPException) -> Response:
    return json_problem(exc.status_code, str(exc.detail))


async def _upload_too_large(request, exc: UploadTooLarge) -> Response:
    return _too_large(request.app.state.settings.max_upload)


def create_app(settings: Settings | None = None) -> Starlette:
    """The application: routes of :mod:`bomcalc.web.routes` over one :class:`~bomcalc.web.worker.Worker`."""
    from .routes import routes

    settings = settings or Settings()
    app = Starlette(routes=[*routes(), Mount("/static", StaticFiles(directory=HERE / "static"), name="static")],
                    exception_handlers={HTTPException: _http_problem, UploadTooLarge: _upload_too_large})
    app.state.settings = settings
    app.state.worker = Worker(settings.limits)
    guarded = Guard(app, settings.max_upload)
    guarded.worker = app.state.worker
    return guarded


__all__ = ["create_app", "Settings", "Limits"]
