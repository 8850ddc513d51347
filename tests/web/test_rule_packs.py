"""The upload page and its API under another rule pack: a packaged id, a destination, an overlay file."""

from __future__ import annotations

import pytest

from ..test_rules_cli import OVERLAY as COUNSEL_OVERLAY
from .conftest import SERVO, cli, token, upload

OVERLAY = COUNSEL_OVERLAY.encode("utf-8")  # all three limbs suspended 2026-11-11 through 2027-11-10


def test_a_packaged_pack_and_a_destination_answer_what_the_cli_prints(client, tmp_path):
    response = client.post("/api/check", files=upload(SERVO),
                           data={"as_of": "2026-12-01", "rules": "us-ear-de-minimis", "destination": "IR"})
    assert response.status_code == 200, response.text
    printed = cli(tmp_path, [SERVO], ["check", SERVO.name, "--as-of", "2026-12-01", "--rules", "us-ear-de-minimis",
                                      "--destination", "IR", "--format", "json"])
    assert response.text == printed.stdout
    document = response.json()
    assert (document["rule_pack"]["id"], document["rule_pack"]["destination"]) == ("us-ear-de-minimis", "IR")
    assert document["rule_pack"]["threshold"] == "0.1"  # IR is in Country Group E:1


def test_an_uploaded_overlay_is_applied_and_named_as_on_the_command_line(client, tmp_path):
    files = upload(SERVO) + [("rule_pack", ("counsel.toml", OVERLAY))]
    response = client.post("/api/check", files=files, data={"as_of": "2026-12-01"})
    assert response.status_code == 200, response.text
    (tmp_path / "counsel.toml").write_bytes(OVERLAY)
    printed = cli(tmp_path, [SERVO, tmp_path / "counsel.toml"],
                  ["check", SERVO.name, "--as-of", "2026-12-01", "--rules", "counsel.toml", "--format", "json"])
    assert response.text == printed.stdout
    document = response.json()
    assert document["rule_pack"]["id"] == "acme-counsel"
    assert [base["id"] for base in document["rule_pack"]["extends"]] == ["mofcom-61-2025"]
    assert not any(limb["in_force"] for limb in document["limbs"])  # suspended by the overlay on 2026-12-01


@pytest.mark.parametrize("data, files, message", [
    ({"rules": "no-such-pack"}, [], "is not a packaged rule pack"),
    ({"destination": "Iran"}, [], "not an ISO 3166 alpha-2"),
    ({"rules": "mofcom-61-2025"}, [("rule_pack", ("counsel.toml", OVERLAY))], "not both"),
    ({}, [("rule_pack", ("counsel.txt", OVERLAY))], "is not a file it takes"),
], ids=["unknown id", "bad destination", "id and file", "not toml"])
def test_a_wrong_rule_pack_field_is_a_4xx_naming_it(client, data, files, message):
    response = client.post("/api/check", files=upload(SERVO) + files, data=data)
    assert 400 <= response.status_code < 500 and message in response.json()["error"]


def test_the_page_offers_every_packaged_pack_and_colours_by_meaning(page_client):
    page = page_client.get("/").text
    assert '<option value="mofcom-61-2025" selected>' in page and '<option value="us-ear-de-minimis">' in page
    answer = page_client.post("/check", files=upload(SERVO), data={
        "form_token": token(page_client), "as_of": "2026-12-01", "rules": "us-ear-de-minimis", "destination": "DE"})
    assert answer.status_code == 200, answer.text
    assert '<tr class="status-not_required" data-status="not_subject"' in answer.text
    assert "<option>subject_to_ear</option>" in answer.text and "destination DE" in answer.text


def test_the_whatif_sentence_uses_the_pack_words(page_client):
    def whatif(data):
        answer = page_client.post("/whatif", files=upload(SERVO), data={
            "form_token": token(page_client), "as_of": "2026-12-01", "whatif_part": "TB-OX", "whatif_set": "origin",
            "whatif_value": "JP", **data})
        assert answer.status_code == 200, answer.text
        return answer.text

    assert "item(s) become subject to the EAR, " in whatif({"rules": "us-ear-de-minimis", "destination": "DE"})
    assert "become not subject to the EAR, " in whatif({"rules": "us-ear-de-minimis", "destination": "DE"})
    default = whatif({})
    assert "item(s) become licence required, " in default and "become not required, " in default
