"""A real browser on the real server: every page opens on the demo database and shows its charts.

The server runs open (no accounts file) on a fresh database file; conftest.py starts it and the browser.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import needs_browser, screenshot, serve

# url path -> charts the page must show on the demo data (at its default filters)
PAGES = {"": 3, "proactive": 1, "applications": 1, "appeals": 1, "trends": 1, "quality": 0, "agency": 0,
         "explore": 1, "upload": 0, "import_report": 0}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Open mode (no accounts file), on a fresh file: the app builds the demo data when it starts."""
    folder = tmp_path_factory.mktemp("browser")
    with serve(folder / "demo.duckdb", folder / "no-accounts.toml") as url:
        yield url


@needs_browser
@pytest.mark.parametrize("path, charts", PAGES.items(), ids=lambda x: str(x) or "overview")
def test_every_page_opens_in_a_browser_and_shows_its_charts(server, browser, path, charts):
    page = browser.new_page()
    try:
        page.goto(f"{server}/{path}")
        page.wait_for_selector("h1", timeout=60_000)
        if charts:
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        screenshot(page, path or "overview")
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".js-plotly-plot").count() >= charts
        assert "示例数据" in page.inner_text("section[data-testid='stSidebar']")
    finally:
        page.close()


@needs_browser
def test_clicking_an_agency_in_a_chart_opens_its_detail_page(server, browser):
    page = browser.new_page()
    try:
        page.goto(server)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        bar = page.locator(".js-plotly-plot").first.locator("g.point path").last  # the ranking's top bar
        bar.scroll_into_view_if_needed()
        box = bar.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly's drag layer is on top
        page.wait_for_url(lambda url: "/agency" in url, timeout=30_000)
        page.wait_for_selector("h1:has-text('单位详情')", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@needs_browser
def test_selecting_a_table_row_opens_that_agency_s_detail_page(server, browser):
    page = browser.new_page()
    try:
        page.goto(server)
        grid = page.locator(".st-key-overview_table [data-testid='stDataFrameResizable']")
        grid.wait_for(timeout=60_000)
        row = 2  # 0-based: an agency 单位详情 would not show anyway (it opens on 示例县人民政府)
        agency = grid.get_by_test_id(f"glide-cell-1-{row}").inner_text()  # the canvas grid's accessible copy
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        # the canvas takes no DOM clicks: hit the row's checkbox (marker column ≈ 33 px, header and rows 35 px)
        page.mouse.click(box["x"] + 17, box["y"] + 35 * (row + 1) + 17)
        page.wait_for_url(lambda url: "/agency" in url, timeout=30_000)
        page.wait_for_selector("h1:has-text('单位详情')", timeout=60_000)
        # the form's caption names the agency on show, and only that one: "<agency> <year>年度政府信息公开…"
        page.get_by_text(re.compile(rf"^{re.escape(agency)} \d{{4}}年度政府信息公开")).wait_for(timeout=60_000)
        screenshot(page, "agency_from_table")
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@needs_browser
def test_a_table_downloads_as_csv_that_excel_reads_as_chinese(server, browser):
    """Downloads are written when clicked (a callable behind the button), as UTF-8 with BOM."""
    page = browser.new_page()
    try:
        page.goto(server)
        button = page.locator(".st-key-overview_download_csv button")
        button.wait_for(timeout=60_000)
        button.scroll_into_view_if_needed()
        with page.expect_download(timeout=30_000) as info:
            button.click()
        download = info.value
        data = Path(download.path()).read_bytes()
        assert download.suggested_filename.startswith("总览-") and download.suggested_filename.endswith(".csv")
        assert data.startswith(b"\xef\xbb\xbf") and data[3:].decode("utf-8").startswith("单位,类型,地区")
    finally:
        page.close()
