"""The page in a real headless Chromium (Debian's, driven by Selenium through its chromedriver):
upload the servo sample, see MAG-ARC need a licence, open its trail, flip TB-OX to Japan in the
what-if panel, download the report. Screenshots of each view go to tests/output/screenshots/.

These tests never skip: without Chromium (``apt-get install chromium chromium-driver``, as
.ci/run does) they fail.
"""

from __future__ import annotations

import base64
import socket
import threading
from pathlib import Path

import openpyxl
import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from bomcalc.web.app import Settings, create_app

from .conftest import AS_OF, ROOT, SERVO

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = ROOT / "tests" / "output" / "screenshots"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """uvicorn serving the page on a free port of this machine, in a thread."""
    port = _free_port()
    running = uvicorn.Server(uvicorn.Config(create_app(Settings()), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    WebDriverWait(None, 30, poll_frequency=0.05).until(lambda _: running.started)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def _shot(driver, name: str, height: int = 900) -> None:
    driver.set_window_size(1280, height)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def _wait(driver, seconds: int = 60):
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def test_upload_explain_whatif_and_download_in_a_real_browser(server, browser, tmp_path):
    browser.get(server + "/")
    assert browser.find_element(By.ID, "bom").get_attribute("type") == "file"
    _shot(browser, "01_upload")

    browser.find_element(By.ID, "bom").send_keys(str(SERVO))
    browser.execute_script("document.getElementById('as_of').value = arguments[0]", AS_OF)
    browser.find_element(By.ID, "check").click()
    row = _wait(browser).until(ready.presence_of_element_located((By.CSS_SELECTOR, '#items tr[data-part="MAG-ARC"]')))
    assert row.find_elements(By.TAG_NAME, "td")[0].text == "licence required"
    assert "4.8462%" in row.text
    assert browser.current_url.rstrip("/") == server  # answered in place: the files stay chosen
    browser.execute_script("window.scrollTo(0, 0)")
    _shot(browser, "02_result", 1400)
    printed = base64.b64decode(browser.print_page())  # the print style sheet: results only, no form
    assert printed.startswith(b"%PDF")
    (SCREENSHOTS / "02_result_printed.pdf").write_bytes(printed)

    row.find_element(By.CSS_SELECTOR, "a.explain-link").click()
    trail = browser.find_element(By.CSS_SELECTOR, 'details.explanation[data-part="MAG-ARC"]')
    _wait(browser).until(lambda _: trail.get_attribute("open") is not None)
    assert "MAG-ARC" in trail.find_element(By.TAG_NAME, "pre").text
    _shot(browser, "03_explanation")

    browser.find_element(By.ID, "filter").send_keys("NdFeB")
    shown = [r.get_attribute("data-part") for r in browser.find_elements(By.CSS_SELECTOR, "#items tbody tr") if r.is_displayed()]
    assert shown == ["MAG-ARC", "MAG-BRK", "MAG-ENC"]
    browser.find_element(By.ID, "filter").clear()

    browser.find_element(By.ID, "whatif_part").send_keys("TB-OX")
    Select(browser.find_element(By.ID, "whatif_set")).select_by_value("origin")
    browser.find_element(By.ID, "whatif_value").send_keys("JP")
    browser.find_element(By.ID, "whatif-run").click()
    _wait(browser).until(ready.presence_of_element_located((By.ID, "whatif-items")))
    flipped = {r.get_attribute("data-part"): r.find_element(By.CSS_SELECTOR, "td.after").text
               for r in browser.find_elements(By.CSS_SELECTOR, '#whatif-items tr[data-flipped="yes"]')}
    assert flipped == {"MAG-BRK": "not required", "TB-OX": "not required"}
    _shot(browser, "04_whatif")

    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.ID, "download-report").click()
    report = tmp_path / "bomcalc_report.xlsx"
    _wait(browser).until(lambda _: report.is_file() and not list(tmp_path.glob("*.crdownload")))
    assert browser.current_url.rstrip("/") == server  # the download left the page as it was
    assert "Summary" in openpyxl.load_workbook(report, read_only=True).sheetnames

    problems = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert problems == []  # no script error, nothing the Content-Security-Policy refused
