"""The page and its own form posts: the form, the token, the result with its trail, the what-if
panel, the downloads, escaping."""

from __future__ import annotations

import html
import io
import re

import openpyxl

from bomcalc import api
from bomcalc.report.explain_text import format_explanation
from tests.hostile.corpus_base import CASES
from tests.hostile import make_corpus  # noqa: F401  (registers every case)

from .conftest import AS_OF, SERVO, cli, token, upload


def _post(client, path: str, data: dict | None = None, files=None):
    return client.post(path, files=files or upload(SERVO), data={"as_of": AS_OF, "form_token": token(client), **(data or {})})


def test_the_page_has_a_file_input_the_token_and_strict_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<input type="file" id="bom" name="bom"' in response.text
    assert re.search(r'name="form_token" value="[\w-]{20,}"', response.text)
    assert "<script>" not in response.text and 'src="/static/page.js"' in response.text  # no inline script
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "httponly" in response.headers["set-cookie"].lower() and "samesite=strict" in response.headers["set-cookie"].lower()


def test_the_static_files_ship_with_the_package(client):
    for name, media in (("page.js", "javascript"), ("page.css", "text/css")):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and media in response.headers["content-type"]


def test_a_form_post_without_the_token_is_refused(client):
    client.get("/")
    response = client.post("/check", files=upload(SERVO), data={"as_of": AS_OF, "form_token": "forged"})
    assert response.status_code == 403
    assert "did not come from this page" in response.text
    response = client.post("/download/report", files=upload(SERVO), data={"as_of": AS_OF})
    assert response.status_code == 403


def test_the_result_shows_the_status_the_trail_the_account_and_the_coverage(page_client):
    response = _post(page_client, "/check")
    assert response.status_code == 200, response.text
    page = response.text
    row = re.search(r'<tr class="status-required" data-status="licence_required" data-part="MAG-ARC">(.*?)</tr>',
                    page, re.S)
    assert row and "licence required" in row.group(1) and "4.8462%" in row.group(1)
    evaluation = api.check(str(SERVO), rules=api.RuleOptions(as_of=AS_OF))
    trail = format_explanation(api.explain(evaluation, "MAG-ARC"), evaluation.currency)
    shown = re.search(r'data-part="MAG-ARC">\s*<summary>.*?</summary>\s*<pre>(.*?)</pre>', page, re.S).group(1)
    assert html.unescape(shown) == trail  # the same text as bomcalc explain
    assert "Row account" in page and re.search(r"<td>servo_actuator.xlsx</td><td>parts</td><td>\d+</td>", page)
    assert "Annex 1 status known for 39, origin for 37" in page


def test_the_whatif_panel_shows_which_items_flip(page_client):
    response = _post(page_client, "/whatif", {"whatif_part": "TB-OX", "whatif_set": "origin", "whatif_value": "JP"})
    assert response.status_code == 200, response.text
    flipped = re.findall(r'data-part="([\w-]+)" data-flipped="yes"', response.text)
    assert flipped == ["MAG-BRK", "TB-OX"]
    declared = _post(page_client, "/whatif", {"whatif_part": "MAG-ARC", "whatif_set": "cn_part1_value", "whatif_value": "0"})
    assert re.findall(r'data-part="([\w-]+)" data-flipped="yes"', declared.text) == ["MAG-ARC"]


def test_a_whatif_without_a_part_or_on_an_unknown_part_says_so(page_client):
    response = _post(page_client, "/whatif", {"whatif_part": "", "whatif_set": "origin", "whatif_value": "JP"})
    assert response.status_code == 400 and "give the part to change" in response.text
    response = _post(page_client, "/whatif", {"whatif_part": "NO-SUCH", "whatif_set": "origin", "whatif_value": "JP"})
    assert response.status_code == 422 and "NO-SUCH" in response.text


def test_bad_input_is_shown_on_the_page_with_its_records(page_client, tmp_path):
    path = CASES["truncated_xlsx"](tmp_path)
    response = _post(page_client, "/check", files=upload(path))
    assert response.status_code == 422
    assert "The files could not be checked" in response.text and "Traceback" not in response.text


def test_user_text_is_escaped(page_client, tmp_path):
    path = CASES["xss_descriptions_check"](tmp_path)
    response = _post(page_client, "/check", files=upload(path))
    assert response.status_code == 200, response.text
    page = response.text.replace('<script src="/static/page.js" defer></script>', "")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in page  # the magnet's description, as text


def test_the_downloads_are_the_cli_outputs(page_client, tmp_path):
    json_file = _post(page_client, "/download/json")
    printed = cli(tmp_path, [SERVO], ["check", SERVO.name, "--as-of", AS_OF, "--format", "json"])
    assert json_file.status_code == 200 and json_file.text == printed.stdout
    assert 'filename="bomcalc_result.json"' in json_file.headers["content-disposition"]
    csv_file = _post(page_client, "/download/csv")
    printed = cli(tmp_path, [SERVO], ["check", SERVO.name, "--as-of", AS_OF, "--format", "csv"])
    assert csv_file.text == printed.stdout
    report = _post(page_client, "/download/report")
    assert "Summary" in openpyxl.load_workbook(io.BytesIO(report.content), read_only=True).sheetnames
    assert _post(page_client, "/download/nothing").status_code == 404
