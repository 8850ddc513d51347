"""Every way a request can be bad: a 4xx (or a clear 5xx) with issue records, never a traceback,
and the server keeps serving. Hostile files come from the hostile corpus (tests/hostile)."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from bomcalc.web.app import Settings, create_app
from bomcalc.web.worker import Limits
from tests.hostile.corpus_base import CASES
from tests.hostile import make_corpus  # noqa: F401  (registers every case)

from .conftest import AS_OF, SERVO, cli, upload


def _still_serving(client) -> None:
    response = client.post("/api/check", files=upload(SERVO), data={"as_of": AS_OF})
    assert response.status_code == 200 and response.json()["summary"]["licence_required"] == 2


def _problems(response) -> list[dict]:
    document = response.json()
    assert document["issues"], document
    assert "Traceback" not in response.text
    return document["issues"]


@pytest.mark.parametrize("case, fragment", [
    ("zip_bomb_sheet", "unpacks from"),
    ("xml_bomb_sheet", None),
    ("xml_external_entity", None),
    ("truncated_xlsx", None),
    ("pdf_named_xlsx", None),
    ("cycle_two_parts", "cycle"),
], ids=["a zip bomb", "an XML bomb (billion laughs)", "an external XML entity", "a truncated zip", "a PDF named .xlsx",
        "a cycle in the BOM"])
def test_a_hostile_file_is_refused_with_the_records_the_cli_prints(client, tmp_path, case, fragment):
    path = CASES[case](tmp_path)
    if path.is_dir():  # a CSV folder: its BOM with its parts as the parts master
        files, arguments = [path / "bom.csv", path / "parts.csv"], ["bom.csv", "--parts", "parts.csv"]
        sent = upload(path / "bom.csv") + upload(path / "parts.csv", field="parts")
    else:
        files, arguments, sent = [path], [path.name], upload(path)
    response = client.post("/api/check", files=sent, data={"as_of": AS_OF})
    assert response.status_code == 422, response.text
    issues = _problems(response)
    printed = cli(tmp_path, files, ["check", *arguments, "--as-of", AS_OF, "--format", "json"])
    assert printed.exit_code == 1
    if printed.stdout:  # data errors: the CLI prints the same document
        assert response.json() == json.loads(printed.stdout)
    else:  # a file error: the CLI's one line
        assert f"Error: {issues[0]['message']}" in printed.stderr
    if fragment:
        assert fragment in response.text.lower()
    _still_serving(client)


@pytest.mark.parametrize("files, data, status, fragment", [
    ([], {"as_of": AS_OF}, 400, "no BOM"),
    ([("bom", ("", b""))], {}, 400, "no BOM"),
    ([("bill", ("servo.xlsx", b"x"))], {}, 400, "unknown field 'bill'"),
    ([], {"bom": "servo_actuator.xlsx"}, 400, "field 'bom' takes a file"),
    ([("as_of", ("d.txt", b"2026-11-11"))], {}, 400, "field 'as_of' takes text"),
    ([("bom", ("servo.exe", b"MZ"))], {}, 415, "'servo.exe' is not a file it takes"),
    ([("bom", ("servo", b"x"))], {}, 415, "'servo' is not a file it takes"),
    ([("map", ("map.xlsx", b"x"))], {}, 415, "give a .toml file"),
    ([("bom", ("a.xlsx", b"x")), ("bom", ("b.xlsx", b"x"))], {}, 400, "takes one file"),
    ([], {"as_of": "11/11/2026"}, 400, "not a date"),
    ([], {"part2_scope": "everything"}, 400, "'everything' is not one of materials, assemblies"),
    ([], {"profile": "../../etc/profile"}, 400, "shipped export profile"),
], ids=["no BOM", "an empty file input", "a wrong field", "text for a file", "a file for text", "an executable",
        "no extension", "a map that is no TOML", "two BOMs", "a date not ISO", "an unknown scope", "a profile path"])
def test_a_wrong_field_is_a_4xx_naming_it(client, files, data, status, fragment):
    if not any(name == "bom" for name, _ in files) and "bom" not in data and "no BOM" not in fragment:
        files = files + upload(SERVO)
    response = client.post("/api/check", files=files or None, data=data)
    assert response.status_code == status, response.text
    assert fragment in _problems(response)[0]["message"]


def test_a_malformed_multipart_body_is_a_400(client):
    response = client.post("/api/check", content=b"--x\r\nContent-Disposition: form-data\r\n\r\nbroken",
                           headers={"content-type": "multipart/form-data; boundary=x"})
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text
    _still_serving(client)


@pytest.fixture(scope="module")
def small_client():
    with TestClient(create_app(Settings(max_upload=50_000))) as test_client:
        yield test_client


def test_an_upload_declaring_more_than_the_limit_gets_413_unread(small_client):
    read = []

    def body():
        read.append(1)
        yield b"x" * 60_000

    response = small_client.post("/api/check", content=body(), headers={"content-type": "multipart/form-data; boundary=x",
                                                                          "content-length": "60000"})
    assert response.status_code == 413
    assert "larger than this server takes (50,000 bytes)" in _problems(response)[0]["message"]


def test_an_upload_streaming_past_the_limit_gets_413(small_client):
    def body():  # no Content-Length: counted as it streams
        yield b"--x\r\nContent-Disposition: form-data; name=\"bom\"; filename=\"b.csv\"\r\n\r\n"
        for _ in range(20):
            yield b"y" * 10_000

    response = small_client.post("/api/check", content=body(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert response.status_code == 413
    assert _problems(response)[0]["code"] == "too_large"
    _still_serving(small_client)  # the servo workbook is under 50,000 bytes


def test_a_job_over_the_time_limit_is_stopped_with_504_and_the_server_keeps_serving(client):
    with TestClient(create_app(Settings(limits=Limits(seconds=0.05)))) as slow:
        response = slow.post("/api/check", files=upload(SERVO), data={"as_of": AS_OF})
    assert response.status_code == 504
    assert "took longer than the server allows (0.05 s)" in _problems(response)[0]["message"]
    _still_serving(client)


#: A flat BOM of 100,000 lines (a few MB): reading it needs far more than 16 MiB.
BIG_CSV = ("parent,child,qty,unit_value,origin\n" + "".join(f"P,C{i},1,1,DE\n" for i in range(100_000))).encode()


def test_a_job_over_the_memory_limit_is_stopped_with_a_clear_error(client):
    with TestClient(create_app(Settings(limits=Limits(memory=16 * 1024 ** 2)))) as small:
        response = small.post("/api/check", files=[("bom", ("big.csv", BIG_CSV))], data={"as_of": AS_OF})
    assert response.status_code in (503, 507), response.text
    assert "memory" in _problems(response)[0]["message"]
    _still_serving(client)


class _EndsTheWorker:
    """A value whose unpickling ends the process that unpickles it, at once and without a word: a
    worker killed by the system (out of memory, a signal) before it could answer looks the same."""

    def __reduce__(self):
        import os

        return os._exit, (9,)


def test_a_worker_that_dies_before_answering_is_a_503_and_the_next_job_runs(client, tmp_path):
    from bomcalc.web.jobs import Job
    from bomcalc.web.worker import Worker

    worker = Worker(Limits(seconds=60))
    outcome = worker.run(Job(kind="whatif", folder=str(tmp_path), bom="bom.csv", scenarios=(_EndsTheWorker(),)))
    assert outcome.status == 503
    problem = json.loads(outcome.text)["issues"][0]
    assert problem["code"] == "worker_stopped" and "exit code 9" in problem["message"]
    assert "the server is still running" in problem["message"] and "Traceback" not in outcome.text
    (tmp_path / "servo.xlsx").write_bytes(SERVO.read_bytes())
    answer = worker.run(Job(kind="check", folder=str(tmp_path), bom="servo.xlsx", rules={"as_of": AS_OF}))
    assert answer.status == 200 and json.loads(answer.text)["summary"]["licence_required"] == 2
    _still_serving(client)
