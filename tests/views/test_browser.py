"""The board in a real browser: Debian's chromium driven by selenium through chromium-driver,
against ``monitor serve`` run as its own process on a database filled through the fixture web
(which also answers a reverse proxy's forwarded headers).

Outside CI a machine without chromium skips these tests and says so; under CI=true (.ci/run
installs the packages) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator

import httpx
import pytest

from .world import HOSTILE_TITLE, PublishWorld

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def _need_browser() -> None:
    if CHROMIUM and DRIVER:
        return
    message = (
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: under CI the browser tests must run")
    pytest.skip(f"{message}; browser tests skipped outside CI")


@pytest.fixture(scope="module")
def served(publish_world: PublishWorld) -> Iterator[str]:
    """``monitor serve`` in a process of its own, on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor",
            "--db",
            str(publish_world.db_path),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                if httpx.get(base + "/changes", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "monitor serve did not start"
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="monitor-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _rows(driver):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, "table#board tbody tr")


def _click_and_wait(driver, element) -> None:  # type: ignore[no-untyped-def]
    """Click a link or button that loads a new page, and wait until the old one is gone."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(expected_conditions.staleness_of(old))


def test_board_shows_stockport_requires_improvement(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(served + "/")
    assert browser.title == "Children's services ratings"
    assert len(_rows(browser)) == 156
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-la-code="356"]')
    cells = row.find_elements(By.TAG_NAME, "td")
    assert cells[0].text.startswith("Stockport")
    assert cells[2].text == "Requires improvement"
    # Colour-coded: the cell's computed background is the requires-improvement amber.
    assert cells[2].value_of_css_property("background-color") == "rgba(251, 226, 184, 1)"
    assert browser.find_element(By.CSS_SELECTOR, "figure.national svg rect").is_displayed()


def test_region_filter_narrows_the_rows(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(served + "/")
    everyone = len(_rows(browser))
    Select(browser.find_element(By.ID, "region")).select_by_visible_text("North West")
    _click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filter button"))
    rows = _rows(browser)
    assert 0 < len(rows) < everyone
    assert {r.get_attribute("data-region") for r in rows} == {"North West"}
    assert "Stockport" in {r.find_element(By.TAG_NAME, "td").text.split("\n")[0] for r in rows}
    assert "region=North+West" in browser.current_url
    # Sorting by grade keeps the filter and puts graded authorities first.
    _click_and_wait(browser, browser.find_element(By.ID, "sort-grade"))
    assert _rows(browser)[0].get_attribute("data-la-code") == "356"
    assert len(_rows(browser)) == len(rows)


def test_council_page_shows_both_inspections(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(served + "/")
    _click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Stockport"))
    assert browser.current_url.endswith("/council/356")
    inspections = browser.find_elements(By.CSS_SELECTOR, "ol#timeline li.inspection")
    assert [i.get_attribute("data-framework") for i in inspections] == ["ILACS", "SIF"]
    assert "Requires improvement to be good" in inspections[0].text
    assert "Adoption performance" in inspections[1].text and "Outstanding" in inspections[1].text
    visits = browser.find_elements(By.CSS_SELECTOR, "ol#timeline li.visit")
    assert len(visits) == 1 and "focused visit" in visits[0].text


def test_hostile_news_title_renders_as_text(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(served + "/council/356")
    titles = [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, ".evidence-news .evidence-title")
    ]
    assert HOSTILE_TITLE in titles
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    assert browser.title == "Stockport: children's services inspections"
    assert browser.execute_script("return document.body.dataset.pwned") is None


def test_served_process_follows_the_reverse_proxy_headers(served: str) -> None:
    # As nginx forwards it: the feed's links name the public https address, not 127.0.0.1.
    headers = {"Host": "ratings.example.org", "X-Forwarded-Proto": "https"}
    feed = httpx.get(served + "/changes.atom", headers=headers, timeout=10).text
    assert '<link href="https://ratings.example.org/changes.atom" rel="self"' in feed
    assert httpx.post(served + "/", timeout=10).status_code == 405
