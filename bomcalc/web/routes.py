"""The routes of the upload page and of its JSON API (interface layer).

``/api/check``, ``/api/whatif`` and ``/api/report`` take plain multipart (no token) and answer
what ``bomcalc check --format json``, ``bomcalc whatif --format json`` and ``bomcalc report
--output`` write. The page's own form posts (``/check``, ``/whatif``, ``/download/...``) carry
a form token that must match the cookie set with the page. Every request saves its uploads in
a private temporary folder, deleted before the answer goes out.
"""

from __future__ import annotations

import hmac
import secrets
import tempfile
from dataclasses import replace
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..io.writers import json_text
from .jobs import Outcome
from .page import render_page
from .uploads import UploadError, job_of, scenarios_of

_FORM_LIMITS = dict(max_files=64, max_fields=64, max_part_size=1024 * 1024)
TOKEN_COOKIE = "bomcalc_form_token"
#: /download/NAME -> (job kind, media type, file name offered)
DOWNLOADS = {
    "json": ("check", "application/json", "bomcalc_result.json"),
    "csv": ("csv", "text/csv; charset=utf-8", "bomcalc_items.csv"),
    "report": ("report", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "bomcalc_report.xlsx"),
    "pack": ("pack", "application/zip", "bomcalc_audit_pack.zip"),
}
_WHATIF_FIELDS = ("whatif_part", "whatif_set", "whatif_value")


def _respond(outcome: Outcome, folder: str, media_type: str = "application/json", filename: str | None = None) -> Response:
    """The response of a job's outcome (a file's bytes are read before the folder goes)."""
    if outcome.status != 200 or outcome.file is None:
        media = media_type if outcome.status == 200 and outcome.text is not None else "application/json"
        headers = {"content-disposition": f'attachment; filename="{filename}"'} if filename and outcome.status == 200 else {}
        return Response(outcome.text, status_code=outcome.status, media_type=media, headers=headers)
    body = (Path(folder) / outcome.file).read_bytes()
    return Response(body, media_type=media_type, headers={"content-disposition": f'attachment; filename="{filename}"'})


async def _run(request: Request, kind: str, respond, page: bool = False, extra_fields: tuple[str, ...] = ()) -> Response:
    """Save the upload into a private folder, run the job and answer ``respond(outcome, folder, asked)``
    (``asked``: the options and route fields given) before the folder is deleted."""
    with tempfile.TemporaryDirectory(prefix="bomcalc-web-") as folder:
        try:
            async with request.form(**_FORM_LIMITS) as form:
                if page:
                    _check_token(request, form.get("form_token"))
                job, extra = await job_of(form, Path(folder), kind, extra_fields + (("form_token",) if page else ()))
                if kind == "whatif" and not page:
                    job = replace(job, scenarios=scenarios_of(extra.get("scenarios", "")))
                elif kind == "page_whatif":
                    job = replace(job, scenarios=(_page_scenario(extra),))
        except UploadError as exc:
            return respond(Outcome(exc.status, text=json_text(exc.document)), folder, {})
        outcome = await run_in_threadpool(request.app.state.worker.run, job)
        return respond(outcome, folder, {**job.rules, **extra})


def _page_scenario(extra: dict) -> dict:
    """The page's what-if panel as one scenario: set a part's origin or unit value, or declare its
    China-origin Part 1 content (the vocabulary of a scenario file)."""
    part, what, value = (extra.get(name, "").strip() for name in _WHATIF_FIELDS)
    if not part or not value:
        raise UploadError(400, "what if: give the part to change and its new value")
    if what == "cn_part1_value":
        change = {"part": part, "declare": {"cn_part1_value": value, "source": "what-if on the upload page"}}
    elif what in ("origin", "unit_value", "annex1"):
        change = {"part": part, "set": {what: value}}
    else:
        raise UploadError(400, f"field 'whatif_set': '{what[:40]}' is not one of origin, unit_value, annex1, cn_part1_value")
    return {"name": f"{part}: {what} {value}"[:120], "changes": [change]}


def _check_token(request: Request, given) -> None:
    expected = request.cookies.get(TOKEN_COOKIE, "")
    if not (expected and isinstance(given, str) and hmac.compare_digest(expected, given)):
        raise UploadError(403, "the form has expired or did not come from this page; reload the page and try again",
                          code="form_token")


async def api_check(request: Request) -> Response:
    return await _run(request, "check", lambda outcome, folder, asked: _respond(outcome, folder))


async def api_whatif(request: Request) -> Response:
    return await _run(request, "whatif", lambda outcome, folder, asked: _respond(outcome, folder),
                      extra_fields=("scenarios",))


async def api_report(request: Request) -> Response:
    _, media_type, filename = DOWNLOADS["report"]
    return await _run(request, "report", lambda outcome, folder, asked: _respond(outcome, folder, media_type, filename))


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in DOWNLOADS:
        return Response(status_code=404)
    kind, media_type, filename = DOWNLOADS[name]
    return await _run(request, kind, lambda outcome, folder, asked: _respond(outcome, folder, media_type, filename),
                      page=True, extra_fields=_WHATIF_FIELDS)  # the what-if panel's fields belong to the form too


def _new_token(request: Request) -> str:
    return request.cookies.get(TOKEN_COOKIE) or secrets.token_urlsafe(32)


def _page_response(request: Request, status: int = 200, **context) -> Response:
    token = _new_token(request)
    response = Response(render_page(token=token, **context), status_code=status, media_type="text/html")
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


async def home(request: Request) -> Response:
    return _page_response(request)


async def page_check(request: Request) -> Response:
    """The page with the result (``/check``), or with the result and the what-if panel's answer (``/whatif``)."""
    return await _run(request, "page" if request.url.path == "/check" else "page_whatif", lambda outcome, folder, asked: _page_response(
        request, outcome.status, outcome=outcome, asked=asked), page=True, extra_fields=_WHATIF_FIELDS)


def routes() -> list[Route]:
    """Every route of the application but the static files."""
    return [
        Route("/", home, methods=["GET"]),
        Route("/check", page_check, methods=["POST"]),
        Route("/whatif", page_check, methods=["POST"]),
        Route("/download/{name}", download, methods=["POST"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/whatif", api_whatif, methods=["POST"]),
        Route("/api/report", api_report, methods=["POST"]),
    ]
