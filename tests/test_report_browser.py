"""The report from the seeds in a real browser: Debian's headless Chromium, network blocked.

The page must load with no console error and ask for nothing but itself; plotly must have drawn
one network node per term found and one heatmap row per document. A screenshot of the window
(summary and network) is saved beside the test's files, and to $POLICYTERMS_SCREENSHOT when that
is set: docs/report.png is made so.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

import browser
from conftest import SEEDS

from policyterms import report

pytestmark = pytest.mark.needs_browser

LOCAL_SCHEMES = {"file", "data", "blob", "about"}
SEED_FILES = sorted(path.name for path in SEEDS.glob("*.txt"))  # the five seeds
# their articles (README, "Articles inside pages"): 000 3, 001 4, 002 3, 003 whole, 004 2
ARTICLES_PER_SEED = dict(zip(SEED_FILES, (3, 4, 3, 1, 2)))
SEED_DOCUMENTS = [name if n == 1 else f"{name}#{i}" for name, n in ARTICLES_PER_SEED.items() for i in range(1, n + 1)]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """(driver, report data, page URL, screenshot path), the seeds' report loaded; one browser
    for the whole module (starting Chromium and compiling plotly.js are most of the time)."""
    assert browser.available(), f"Chromium is not installed: {browser.INSTALL_HINT}"
    directory = tmp_path_factory.mktemp("report")
    data = report.collect([SEEDS], settings=report.Settings(kwic_lines=2))
    target = directory / "report.html"
    report.write_report(data, target)
    with browser.headless_chromium(width=1300, height=1400) as driver:
        driver.get(target.as_uri())
        driver.execute_async_script(  # the page's fonts loaded and one frame drawn after plotly's
            "const done = arguments[arguments.length - 1];"
            "document.fonts.ready.then(() => requestAnimationFrame(() => done(true)));"
        )
        shot = directory / "report.png"
        driver.save_screenshot(str(shot))
        if os.environ.get("POLICYTERMS_SCREENSHOT"):
            shutil.copy(shot, os.environ["POLICYTERMS_SCREENSHOT"])
        yield driver, data, target.as_uri(), shot


def test_no_console_errors(page):
    driver, _, _, _ = page
    problems = [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert problems == []


def test_no_request_leaves_the_page(page):
    driver, _, url, _ = page
    urls = browser.requested_urls(driver, url)
    assert url in urls, "the performance log did not even see the page itself: it is not being read"
    assert [url for url in urls if urlparse(url).scheme not in LOCAL_SCHEMES] == []


def test_one_network_node_per_term_found(page):
    driver, data, _, _ = page
    found = list(data.result.totals.loc[data.result.totals["count"] > 0, "term"])
    # The data plotly drew (node traces are tagged meta="terms", one per category) …
    drawn = driver.execute_script(
        "return document.getElementById('network-plot').data"
        ".filter(t => t.meta === 'terms').flatMap(t => Array.from(t.text))"
    )
    assert sorted(drawn) == sorted(found)
    # … and what is on screen: one text label per node in the SVG.
    labels = driver.execute_script(
        "return Array.from(document.querySelectorAll('#network-plot g.textpoint text')).map(e => e.textContent)"
    )
    assert sorted(labels) == sorted(found)


def test_one_heatmap_row_per_document(page):
    driver, _, _, _ = page
    rows = driver.execute_script("return Array.from(document.getElementById('heatmap-plot').data[0].y)")
    assert [Path(row).name for row in rows] == SEED_DOCUMENTS
    ticks = driver.execute_script(
        "return Array.from(document.querySelectorAll('#heatmap-plot .ytick text')).map(e => e.textContent)"
    )
    assert sorted(Path(tick).name for tick in ticks) == SEED_DOCUMENTS


def test_tables_sort_by_a_click(page):
    driver, _, _, _ = page
    heading = driver.execute_script(
        "return Array.from(document.querySelectorAll('#frequency-table th')).find(th => th.textContent === 'count')"
    )
    heading.click()  # descending first
    first = driver.execute_script("return document.querySelector('#frequency-table tbody tr td').textContent")
    assert first == "未来产业"  # the most hits: grep -o → 26 + 40 + 33 + 36 (37, less 003's front matter) + 90 = 225


def test_kwic_lines_and_the_screenshot(page):
    driver, data, _, shot = page
    summaries = driver.execute_script("return document.querySelectorAll('#kwic details').length")
    assert summaries == int((data.result.totals["count"] > 0).sum())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def test_the_request_log_would_see_a_request_leave(page, tmp_path):
    """The check above can fail: a page that asks for a remote image shows up in the log (the
    request itself goes to the closed proxy on 127.0.0.1:9 and fails). Runs last: it leaves the report."""
    driver, _, _, _ = page
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><img src="http://policyterms.invalid/x.png">', encoding="utf-8")
    driver.get(leaky.as_uri())
    assert "http://policyterms.invalid/x.png" in browser.requested_urls(driver, leaky.as_uri())
