"""Fixtures of the upload page's tests: the application under starlette's test client, and how
the command line answers the same files (run in a folder holding them under the same names)."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web extra is installed for the test suite (setup.cfg: test)")

from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from bomcalc.cli import main  # noqa: E402
from bomcalc.web.app import Settings, create_app  # noqa: E402
from bomcalc.web.routes import TOKEN_COOKIE  # noqa: E402
from bomcalc.web.worker import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "sample_boms"
SERVO = SAMPLES / "servo_actuator.xlsx"
AS_OF = "2026-11-11"


@pytest.fixture(scope="session")
def client():
    with TestClient(create_app(Settings(max_upload=20 * 1000 ** 2, limits=Limits(seconds=120)))) as test_client:
        yield test_client


@pytest.fixture
def page_client(client):
    """The client with the page's form token (from GET /)."""
    response = client.get("/")
    assert response.status_code == 200
    return client


def token(client) -> str:
    return client.cookies.get(TOKEN_COOKIE)


def upload(*paths: Path, field: str = "bom") -> list:
    """Multipart file entries (field, (name, bytes)) for ``paths``."""
    return [(field, (path.name, path.read_bytes())) for path in paths]


@contextmanager
def inside(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def cli(tmp_path: Path, files: list[Path], arguments: list[str]):
    """Run ``bomcalc ARGUMENTS`` in a folder holding ``files`` under their names (as the server does)."""
    folder = tmp_path / "cli"
    folder.mkdir(exist_ok=True)
    for path in files:
        shutil.copy(path, folder / path.name)
    with inside(folder):
        return CliRunner().invoke(main, arguments)


def json_of(text: str):
    return json.loads(text)
