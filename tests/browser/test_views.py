"""The view state in a real browser (issue 15): the shared sidebar selection holds from page to page through the
top-row menus, survives a reload, walks back and forward one press per page, opens the same in a fresh browser
from a copied link (单位详情 too), says so when a link asks for what is not there, and fits above the fold.

The server runs open (no accounts file) on a fresh database file with the demo county; each test opens its own
browser context at 1440×900 (a new context has no cookies and no session).
"""
from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import pytest

from tests.browser.conftest import CHROMIUM, needs_browser, screenshot, serve, sync_playwright

COUNTY = "示例省/示例市/示例县"
CITY = "示例省/示例市"
YEAR = 2023  # not the default (the latest year), so a dropped year shows
VIEWPORT = {"width": 1440, "height": 900}
# the 分析 menu's pages in menu order: title -> url path
ANALYSIS = {"总览": "", "领导简报": "briefing", "主动公开": "proactive", "依申请公开": "applications",
            "复议诉讼": "appeals", "趋势对比": "trends", "年度对比": "compare_years", "数据质量": "quality",
            "单位详情": "agency", "数据探索": "explore"}
MANAGEMENT = {"数据上传": "upload", "报告导入": "import_report"}
# pages whose caption names the year in focus; the others name the trend range (from–to) instead
NAMES_YEAR = {"总览", "主动公开", "依申请公开", "复议诉讼"}
NOT_RUNNING = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Open mode (no accounts file), on a fresh file: the app builds the demo data when it starts."""
    folder = tmp_path_factory.mktemp("views")
    with serve(folder / "demo.duckdb", folder / "no-accounts.toml") as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """A launched browser; each test opens its own context (own cookies, own Streamlit session)."""
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=VIEWPORT)
    tab = context.new_page()
    yield tab
    context.close()


# ---------------------------------------------------------------- helpers


def settle(page) -> None:
    """Wait for the run to finish (the status widget gone), then a moment for the last elements to draw."""
    page.wait_for_timeout(600)
    page.wait_for_function(NOT_RUNNING, timeout=60_000)
    page.wait_for_timeout(900)


def open_url(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    page.locator("[data-testid=stSidebar] .st-key-filter_year input").wait_for(timeout=60_000)
    settle(page)


def shown_region(page) -> str:
    return page.locator("[data-testid=stSidebar] .st-key-filter_region input").input_value()


def shown_year(page) -> str:
    return page.locator("[data-testid=stSidebar] .st-key-filter_year input").input_value()


def title(page) -> str:
    return page.locator("[data-testid=stMain] h1").first.inner_text().strip()


def url_params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def path_of(page) -> str:
    return urlsplit(page.url).path.strip("/")


def pick(page, key: str, option: str) -> None:
    """Choose an option of a sidebar selectbox."""
    page.locator(f"[data-testid=stSidebar] .st-key-{key}").click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def go_to(page, section: str, page_title: str) -> None:
    """Through the top row's menu: open the section's popover, click the page's link."""
    page.locator(".st-key-page_menu button", has_text=section).first.click()
    link = page.locator("[data-testid=stPageLink-NavLink]", has_text=page_title).first
    link.wait_for(timeout=10_000)
    link.click()
    page.locator("[data-testid=stMain] h1", has_text=page_title).wait_for(timeout=60_000)
    settle(page)


def captions(page) -> list[str]:
    return page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").all_inner_texts()


def notices(page) -> list[str]:
    """The warnings about a link's values that could not be shown (drawn above the page, with a link_off icon)."""
    return [a.inner_text() for a in page.locator("[data-testid=stMain] [data-testid=stAlert]").all()
            if a.locator("[data-testid=stAlertDynamicIcon]", has_text="link_off").count()]


def kinds(page) -> list[str]:
    """The 单位类型 chosen, as the multiselect's tags show them."""
    tags = page.locator("[data-testid=stSidebar] .st-key-filter_kinds [data-tag]")
    return [tag.get_attribute("aria-label") for tag in tags.all()]


def no_exception(page) -> None:
    errors = page.locator("[data-testid=stException]")
    assert errors.count() == 0, errors.first.inner_text()


def assert_view(page, page_title: str, region: str = COUNTY, year: int = YEAR) -> None:
    """The sidebar, the URL and the page itself all show the selection."""
    assert title(page) == page_title
    assert path_of(page) == ANALYSIS.get(page_title, MANAGEMENT.get(page_title))
    assert shown_region(page) == region.replace("/", " / ")
    assert shown_year(page) == f"{year}年"
    params = url_params(page)
    assert params.get("region") == [region] and params.get("year") == [str(year)], page.url
    no_exception(page)
    if page_title == "单位详情":
        # the form shown is the sidebar year's: "<agency> 2023年度政府信息公开工作年度报告 · …"
        assert page.locator(".st-key-agency_year input").input_value() == f"{year}年"
        assert any(re.match(rf"^\S+ {year}年度政府信息公开工作年度报告", c) for c in captions(page)), captions(page)
    elif page_title in ("领导简报", "年度对比"):  # the year in focus against another: named on the page
        text = page.locator("[data-testid=stMain]").inner_text()
        assert region.rsplit("/", 1)[-1] in text and f"{year}年" in text, text[:300]
    elif page_title in NAMES_YEAR:
        assert captions(page)[0].startswith(f"{region} · {year}年"), captions(page)[0]
    else:  # 趋势对比, 数据质量, 数据探索: the region and the trend range the URL carries
        span = f"{url_params(page)['from'][0]}–{url_params(page)['to'][0]}年"
        assert captions(page)[0].startswith(f"{region} · {span}"), captions(page)[0]


def choose_county_and_year(page, server: str) -> None:
    open_url(page, server)
    pick(page, "filter_region", COUNTY.replace("/", " / "))
    pick(page, "filter_year", f"{YEAR}年")
    assert_view(page, "总览")


# ---------------------------------------------------------------- the tests


@needs_browser
def test_the_selection_holds_on_every_page_of_the_analysis_menu(server, page):
    choose_county_and_year(page, server)
    for page_title in list(ANALYSIS)[1:] + ["总览"]:
        go_to(page, "分析", page_title)
        assert_view(page, page_title)


@needs_browser
def test_reload_keeps_the_view_and_back_and_forward_walk_the_pages_one_press_each(server, page):
    choose_county_and_year(page, server)
    visited = ["总览"]
    for page_title in list(ANALYSIS)[1:]:
        go_to(page, "分析", page_title)
        visited.append(page_title)
    page.reload()
    page.wait_for_selector("h1", timeout=60_000)
    settle(page)
    assert_view(page, visited[-1])
    for page_title, here in reversed(list(pairwise(visited))):
        page.go_back()
        settle(page)
        assert title(page) == page_title, f"one 'back' from {here} shows {title(page)}: {unquote(page.url)}"
        assert_view(page, page_title)
    for here, page_title in pairwise(visited):
        page.go_forward()
        settle(page)
        assert title(page) == page_title, f"one 'forward' from {here} shows {title(page)}: {unquote(page.url)}"
        assert_view(page, page_title)


@needs_browser
def test_a_copied_link_opens_the_same_view_in_a_fresh_browser(server, chromium, page):
    open_url(page, server)
    pick(page, "filter_region", CITY.replace("/", " / "))  # not the default region
    pick(page, "filter_year", f"{YEAR}年")
    go_to(page, "分析", "复议诉讼")
    assert_view(page, "复议诉讼", region=CITY)
    copied = page.url

    fresh = chromium.new_context(viewport=VIEWPORT)
    try:
        other = fresh.new_page()
        open_url(other, copied)
        assert_view(other, "复议诉讼", region=CITY)
        assert notices(other) == []  # nothing the link asked for is missing
    finally:
        fresh.close()


@needs_browser
def test_a_copied_agency_link_opens_that_agency_year_and_tab_in_a_fresh_browser(server, page):
    query = urlencode({"region": COUNTY, "year": YEAR, "unit": "石门镇", "unit_region": COUNTY, "unit_year": 2022,
                       "tab": "问题记录"}, quote_via=quote)
    open_url(page, f"{server}/agency?{query}")
    assert title(page) == "单位详情"
    no_exception(page)
    assert page.locator(".st-key-agency_pick input").input_value() == "石门镇"
    assert page.locator(".st-key-agency_year input").input_value() == "2022年"
    assert page.locator("[role=tab][aria-selected=true]").inner_text().strip() == "问题记录"
    assert shown_region(page) == COUNTY.replace("/", " / ") and shown_year(page) == f"{YEAR}年"
    params = url_params(page)  # the link is kept as it came
    assert (params["unit"], params["unit_year"], params["tab"]) == (["石门镇"], ["2022"], ["问题记录"]), page.url
    # the open tab shows 石门镇's issue records (the demo's R1 fault of 2022), not the form
    shown = page.locator("[role=tabpanel]:visible")
    assert shown.count() == 1
    assert "导入时发现的问题" in shown.inner_text()
    assert shown.locator("[data-testid=stDataFrame]").count() == 1


@needs_browser
def test_a_stale_link_warns_and_shows_what_it_shows_instead(server, page):
    open_url(page, f"{server}/?{urlencode({'region': '不存在的县', 'year': YEAR}, quote_via=quote)}")
    said = [text for text in notices(page) if "不存在的县" in text]
    assert len(said) == 1, notices(page)
    assert COUNTY in said[0], said[0]  # and names the region shown instead
    assert shown_region(page) == COUNTY.replace("/", " / ")
    assert shown_year(page) == f"{YEAR}年"  # the rest of the link still holds
    assert url_params(page)["region"] == [COUNTY]  # the URL is the view shown, not the stale one
    no_exception(page)


@needs_browser
def test_the_towns_preset_sets_the_kinds_with_one_click_and_holds_on_another_page(server, page):
    open_url(page, server)
    page.locator("[data-testid=stSidebar] .st-key-filter_preset button", has_text="乡镇街道").click()
    settle(page)
    assert kinds(page) == ["乡", "镇", "街道"]
    assert url_params(page)["kind"] == ["乡", "镇", "街道"]
    assert "kind=%E4%B9%A1&kind=%E9%95%87&kind=%E8%A1%97%E9%81%93" in page.url  # kind=乡&kind=镇&kind=街道
    go_to(page, "分析", "依申请公开")
    assert kinds(page) == ["乡", "镇", "街道"]
    assert url_params(page)["kind"] == ["乡", "镇", "街道"]
    no_exception(page)


@needs_browser
def test_the_shared_filters_fit_above_the_fold(server, page):
    open_url(page, server)
    for key in ("filter_region", "filter_year", "filter_kinds", "filter_agencies"):
        box = page.locator(f"[data-testid=stSidebar] .st-key-{key}").bounding_box()
        assert box is not None, key
        assert box["y"] + box["height"] <= VIEWPORT["height"], (key, box)


@needs_browser
def test_screenshots_of_every_page(server, page):
    """For a person to look at: tests/browser/screenshots/views-<page>.png at 1440×900, the demo county in 2023."""
    choose_county_and_year(page, server)
    for section, pages in (("分析", ANALYSIS), ("数据管理", MANAGEMENT)):
        for page_title, path in pages.items():
            if page_title != "总览":
                go_to(page, section, page_title)
            no_exception(page)
            screenshot(page, f"views-{path or 'overview'}")
