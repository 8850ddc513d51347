"""The JSON API under /api/: the same answers as the command line, byte for byte."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile

import openpyxl
import pytest

from .conftest import AS_OF, SAMPLES, SERVO, cli, upload

EBIKE = SAMPLES / "ebike_hub_motor"


@pytest.mark.parametrize("scope", ["materials", "assemblies"])
def test_check_answers_exactly_what_the_cli_prints(client, tmp_path, scope):
    response = client.post("/api/check", files=upload(SERVO), data={"as_of": AS_OF, "part2_scope": scope})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    printed = cli(tmp_path, [SERVO], ["check", SERVO.name, "--as-of", AS_OF, "--part2-scope", scope, "--format", "json"])
    assert printed.exit_code == 0
    assert response.text == printed.stdout
    statuses = {item["part_id"]: item["status"] for item in response.json()["items"]}
    assert statuses["MAG-ARC"] == "licence_required" and statuses["TB-OX"] == "indeterminate"


def test_check_with_a_parts_master_and_declarations_matches_the_cli(client, tmp_path):
    files = [("bom", ("bom.csv", (EBIKE / "bom.csv").read_bytes())),
             ("parts", ("parts.csv", (EBIKE / "parts.csv").read_bytes())),
             ("declarations", ("declarations.csv", (EBIKE / "declarations.csv").read_bytes()))]
    response = client.post("/api/check", files=files, data={"as_of": AS_OF})
    assert response.status_code == 200, response.text
    printed = cli(tmp_path, [EBIKE / "bom.csv", EBIKE / "parts.csv", EBIKE / "declarations.csv"],
                  ["check", "bom.csv", "--parts", "parts.csv", "--declarations", "declarations.csv", "--as-of", AS_OF,
                   "--format", "json"])
    assert response.text == printed.stdout
    statuses = {item["part_id"]: item["status"] for item in response.json()["items"]}
    assert statuses["MAG-HALL"] == "licence_required"  # exactly on the 0.1% line
    assert statuses["MAG-SPD"] == "not_required"  # just below it


def test_a_client_file_name_is_never_a_path(client):
    files = [("bom", ("../../etc/..\\servo actuator;rm -rf.xlsx", SERVO.read_bytes()))]
    response = client.post("/api/check", files=files, data={"as_of": AS_OF})
    assert response.status_code == 200, response.text
    assert response.json()["source"] == "servo_actuator_rm_-rf.xlsx"


def test_whatif_takes_the_scenario_vocabulary_as_json_and_matches_the_cli(client, tmp_path):
    scenarios = [{"name": "TB-OX from Japan", "changes": [{"part": "TB-OX", "set": {"origin": "JP"}}]}]
    response = client.post("/api/whatif", files=upload(SERVO), data={"as_of": AS_OF, "scenarios": json.dumps(scenarios)})
    assert response.status_code == 200, response.text
    (tmp_path / "s.toml").write_text('[[scenario]]\nname = "TB-OX from Japan"\n'
                                     'changes = [{ part = "TB-OX", set = { origin = "JP" } }]\n', encoding="utf-8")
    printed = cli(tmp_path, [SERVO, tmp_path / "s.toml"],
                  ["whatif", SERVO.name, "--scenarios", "s.toml", "--as-of", AS_OF, "--format", "json"])
    assert response.text == printed.stdout
    flipped = {i["part_id"]: i["status"] for i in response.json()["scenarios"][0]["items"] if i["flipped"]}
    assert flipped == {"MAG-BRK": "not_required", "TB-OX": "not_required"}


@pytest.mark.parametrize("scenarios, fragment", [
    ("not json", "is not JSON"),
    ("[]", "give a list of scenarios"),
    ('[{"name": "x", "changes": [{"part": "NO-SUCH-PART", "set": {"origin": "JP"}}]}]', "NO-SUCH-PART"),
], ids=["text that is not JSON", "no scenario", "a part not in the BOM"])
def test_a_bad_scenario_is_a_4xx_with_issue_records(client, scenarios, fragment):
    response = client.post("/api/whatif", files=upload(SERVO), data={"as_of": AS_OF, "scenarios": scenarios})
    assert response.status_code in (400, 422)
    assert fragment in response.json()["issues"][0]["message"]


def test_report_returns_the_excel_workbook(client):
    response = client.post("/api/report", files=upload(SERVO), data={"as_of": AS_OF})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert "Summary" in workbook.sheetnames
    summary = "\n".join(str(c) for row in workbook["Summary"].iter_rows(values_only=True) for c in row if c is not None)
    assert "MAG-ARC" in summary and "licence_required" in summary


def test_nothing_uploaded_is_kept(client, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert client.post("/api/check", files=upload(SERVO), data={"as_of": AS_OF}).status_code == 200
    assert client.post("/api/report", files=upload(SERVO), data={"as_of": AS_OF}).status_code == 200
    assert client.post("/api/check", files=upload(SERVO), data={"as_of": "not a date"}).status_code == 400
    assert list(tmp_path.iterdir()) == []


def test_the_api_sends_no_cors_header_and_the_security_headers(client):
    response = client.post("/api/check", files=upload(SERVO), data={"as_of": AS_OF},
                           headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_audit_pack_download_holds_the_result_and_the_inputs(page_client):
    from .conftest import token

    response = page_client.post("/download/pack", files=upload(SERVO), data={"as_of": AS_OF, "form_token": token(page_client)})
    assert response.status_code == 200, response.text
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "audit_pack/result.json" in names and "audit_pack/report.xlsx" in names
    assert any(name.endswith("servo_actuator.xlsx") for name in names)
