"""Clerks with accounts on the real server: log in, upload through the real file widget, see the new numbers;
a 查看者 is refused; a login outlives a reload until logout; eight clerks import at the same moment while a
command-line import waits and gives up.

The server runs with an accounts file on a fresh database file (the app builds the demo county when it starts).
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from disclosure.store import accounts, db
from tests.browser.conftest import ROOT, needs_browser, screenshot, serve
from tests.conftest import figures_agree

SEED = (ROOT / "tests" / "data" / "haiqing-2020.csv").read_bytes()
REGION = "示例省/示例市/示例县"
CLERKS = 8  # at once; 填报员0 is the one who uploads alone first


def town(n: int) -> str:
    return f"海青乡{n}"


def report_of(n: int) -> bytes:
    return SEED.replace("海青乡".encode(), town(n).encode())


def set_up(folder):
    """Accounts (填报员n may change 海青乡n only; a 管理员; a 查看者) and each agency's report file."""
    for n in range(CLERKS + 2):
        accounts.add(f"填报员{n}", "uploader", f"password-{n}", [f"{town(n)}@{REGION}"], file=folder / "accounts.toml")
        (folder / f"{town(n)}.csv").write_bytes(report_of(n))
    accounts.add("管理员", "admin", "password-admin", file=folder / "accounts.toml")
    accounts.add("查看者", "viewer", "password-viewer", file=folder / "accounts.toml")
    return serve(folder / "site.duckdb", folder / "accounts.toml")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clerks")
    with set_up(folder) as url:
        yield url, folder


def log_in(browser, url: str, path: str, user: str, password: str):
    """A new tab, logged in. The tabs share one browser, so the last login's session cookie is forgotten first
    (tabs already open stay logged in as whoever they are; Streamlit's own cookies stay, uploads need them)."""
    browser.clear_cookies(name="disclosure_session")
    page = browser.new_page()
    page.goto(f"{url}/{path}")
    submit_login(page, user, password)
    page.get_by_text(f"当前用户：{user}").wait_for(timeout=60_000)
    return page


def submit_login(page, user: str, password: str) -> None:
    page.locator(".st-key-login_user input").fill(user)
    page.locator(".st-key-login_password input").fill(password)
    page.locator(".st-key-login_submit button").click()


def choose_file(page, path) -> None:
    """The real file widget: Playwright fills the <input type=file> behind the 「Browse files」 button."""
    page.locator(".st-key-upload_file input[type=file]").set_input_files(str(path))


def idle(page) -> None:
    """The script run that the last action started has finished (Streamlit marks the app while one runs)."""
    page.wait_for_timeout(300)  # the rerun message goes out before the app marks itself running
    page.locator("[data-test-script-state=notRunning]").wait_for(timeout=60_000)


def go_to(page, title: str) -> None:
    """Through the menus of the top row, as a person would: the session and its filters carry over."""
    section = "数据管理" if title in ("数据上传", "报告导入") else "分析"
    page.locator(".st-key-page_menu button", has_text=section).first.click()
    page.locator("[data-testid=stPageLink-NavLink]", has_text=title).first.click()
    page.locator("h1", has_text=title).wait_for(timeout=60_000)


def received_2020(page) -> int:
    """总览's 收到报告 for 2020 (the demo's latest year is later): "12 / 14" → 12."""
    go_to(page, "总览")
    value = page.locator("[data-testid=stMetric]", has_text="收到报告").locator("[data-testid=stMetricValue]")
    value.wait_for(timeout=60_000)
    if page.locator(".st-key-filter_year input").input_value() != "2020年":
        page.locator(".st-key-filter_year").click()
        page.get_by_role("option", name="2020年").click()
        page.get_by_text("· 2020年 ·").wait_for(timeout=60_000)  # the caption under the title follows the filter
    idle(page)
    return int(value.inner_text().split("/")[0].replace(",", ""))


@needs_browser
def test_a_clerk_logs_in_uploads_and_sees_the_new_numbers(site, browser):
    url, folder = site
    page = log_in(browser, url, "upload", "填报员0", "password-0")
    try:
        before = received_2020(page)
        go_to(page, "数据上传")
        choose_file(page, folder / f"{town(0)}.csv")
        page.locator(".st-key-upload_commit button:not([disabled])").wait_for(timeout=60_000)
        screenshot(page, "upload_checked")
        page.locator(".st-key-upload_commit button").click()
        page.get_by_text(re.compile(r"已写入批次 \d+：新增 1 份报告")).wait_for(timeout=60_000)
        assert received_2020(page) == before + 1
        page.locator(".st-key-overview_table").wait_for(timeout=60_000)
        screenshot(page, "overview_after_upload")
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


@needs_browser
def test_a_viewer_sees_the_data_but_cannot_upload(site, browser):
    url, _ = site
    page = log_in(browser, url, "", "查看者", "password-viewer")
    try:
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        go_to(page, "数据上传")
        page.get_by_text("查看者 是查看者，不能导入、替换或撤销数据").wait_for(timeout=60_000)
        assert page.locator(".st-key-upload_file").count() == 0
        screenshot(page, "upload_refused_viewer")
    finally:
        page.close()


@needs_browser
def test_a_login_survives_a_reload_and_a_new_tab_until_logout(site, browser):
    url, _ = site
    page = log_in(browser, url, "", "管理员", "password-admin")
    other = None
    try:
        page.wait_for_timeout(500)  # the cookie is written by the run after the login
        page.reload()
        page.get_by_text("当前用户：管理员").wait_for(timeout=60_000)
        other = browser.new_page()  # same browser, new tab
        other.goto(f"{url}/quality")
        other.get_by_text("当前用户：管理员").wait_for(timeout=60_000)
        page.locator(".st-key-logout button").click()
        page.locator(".st-key-login_user").wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        page.reload()
        page.locator(".st-key-login_user").wait_for(timeout=60_000)
        other.reload()
        other.locator(".st-key-login_user").wait_for(timeout=60_000)
        assert page.get_by_text("当前用户").count() == 0
    finally:
        page.close()
        if other is not None:
            other.close()


@needs_browser
def test_a_wrong_password_is_refused(site, browser):
    url, _ = site
    page = browser.new_page()
    try:
        page.goto(url)
        submit_login(page, "管理员", "not-the-password")
        page.get_by_text("用户名或密码不正确").wait_for(timeout=60_000)
        assert page.locator(".js-plotly-plot").count() == 0
        screenshot(page, "login_refused")
    finally:
        page.close()


@needs_browser
def test_eight_clerks_import_at_once_while_a_cli_import_gives_up(tmp_path, browser):
    """Eight clerks (1…8) confirm their imports at the same moment; the 管理员 confirms a copy of clerk 1's file;
    clerk 2 tries clerk 9's agency. Afterwards each of the eight reports is stored once under its clerk, the copy
    added nothing, the foreign file was refused, and a CLI import run meanwhile exited 3 having written nothing."""
    with set_up(tmp_path) as url:
        outcomes, late = import_at_once(browser, url, tmp_path)
    assert late.returncode == 3 and "占用" in late.stderr, late.stderr
    assert len([o for o in outcomes if o.startswith("已写入")]) == CLERKS, outcomes  # the copy: written or not

    con = db.connect(tmp_path / "site.duckdb")  # the server has stopped and let go of the file
    try:
        stored = con.execute("select a.name, rp.imported_by from current_reports as rp "
                             "join agencies as a on a.id = rp.agency_id where a.name like '海青乡_%'").fetchall()
        figures_agree(con)
    finally:
        con.close()
    by = dict(stored)
    assert len(stored) == len(by) == CLERKS, "each once: no duplicate, no foreign report, no CLI report"
    assert sorted(by) == sorted(town(n) for n in range(1, CLERKS + 1))
    assert all(by[town(n)] == f"填报员{n}" for n in range(2, CLERKS + 1))
    assert by[town(1)] in ("填报员1", "管理员"), "whoever came first; the other found it already there"


def import_at_once(browser, url: str, folder):
    jobs = [(f"填报员{n}", f"password-{n}", town(n)) for n in range(1, CLERKS + 1)]
    jobs += [("管理员", "password-admin", town(1)), ("填报员2", "password-2", town(CLERKS + 1))]
    pages = []
    try:
        for user, password, agency in jobs:
            page = log_in(browser, url, "upload", user, password)
            choose_file(page, folder / f"{agency}.csv")
            pages.append(page)
        for page in pages[:-1]:
            page.locator(".st-key-upload_commit button:not([disabled])").wait_for(timeout=120_000)
        foreign = pages[-1]
        foreign.get_by_text("还有 1 个错误").wait_for(timeout=60_000)
        assert foreign.locator(".st-key-upload_commit button[disabled]").count() == 1
        why = f"填报员2（填报人员）不能导入或替换 {REGION} {town(CLERKS + 1)} 的报告"
        foreign.locator("[role=gridcell]", has_text=why).wait_for(state="attached")  # the issue grid's DOM copy
        screenshot(foreign, "upload_refused_other_agency")

        for page in pages[:-1]:  # all at once: the clicks go out before any answer comes back
            page.locator(".st-key-upload_commit button").click(no_wait_after=True)
        late = subprocess.run([sys.executable, "-m", "disclosure", "import", str(folder / f"{town(0)}.csv"),
                               "--wait", "1", "--db", str(folder / "site.duckdb")],
                              capture_output=True, text=True, cwd=ROOT)
        outcomes = []
        for page in pages[:-1]:
            done = page.get_by_text(re.compile(r"已写入批次 \d+|没有需要写入的内容|请重新检查"))
            done.first.wait_for(timeout=120_000)
            outcomes.append(done.first.inner_text())
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        for page in pages:
            page.close()
    return outcomes, late


CLERK_FILES = ROOT / "tests" / "data" / "clerk"


NAME_COLUMN = 2  # of the review grid: 0 holds the row boxes (rows can be deleted), 1 the line in the file


def edit_cell(page, grid, column: int, text: str) -> None:
    """Type over one cell of the first row of the review grid as a person does: click the row's 单位名称, arrow to
    the cell, type (a key typed on a selected cell opens it with that text in place of the old), Enter keeps it;
    then wait for the check the edit starts. (The canvas takes keys right after a click; its accessible copy shows
    the cells' text.) The grid is drawn again when a check arrives, and an edit begun meanwhile is dropped by the
    browser — the cell shows its old value again, and a person types it again: so does this test, a few times."""
    for _ in range(4):
        idle(page)
        grid.locator(".dvn-scroller").evaluate("scroller => { scroller.scrollLeft = 0; }")  # 单位名称 in view
        page.wait_for_timeout(500)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 130, box["y"] + 35 + 17)
        for _ in range(column - NAME_COLUMN):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(200)
        page.keyboard.type(text)
        page.wait_for_timeout(200)
        page.keyboard.press("Enter")
        idle(page)
        page.wait_for_timeout(1000)
        idle(page)
        if grid_text(grid, column) == text:
            return
    screenshot(page, "upload_grid_edit_failed")
    raise AssertionError(f"the review grid kept {grid_text(grid, column)!r} in column {column}, not {text!r}")


def grid_text(grid, column: int, row: int = 0) -> str:
    return grid.get_by_test_id(f"glide-cell-{column}-{row}").inner_text()


@needs_browser
def test_a_clerk_fixes_two_cells_in_the_grid_replaces_then_undoes_once(tmp_path, browser):
    """GBK CSV with the office's kind word (乡人民政府), no region column and two errors → the region chosen once →
    both errors fixed in the grid → committed: the stored values are the fixed ones → a corrected file re-uploaded →
    its differences → replaced → undone once: the box is clear again and the first batch stays."""
    corrected = tmp_path / "龙泉乡-更正.csv"
    corrected.write_bytes(("单位名称,年度,单位类型,所属地区,表格版本,三 本年新收 自然人,三 本年新收 总计,三 上年结转 自然人,"
                           "三 上年结转 总计,三 (七)总计 自然人,三 (七)总计 总计,三 结转下年度 自然人,三 结转下年度 总计\r\n"
                           f"龙泉乡,2021,乡,{REGION},2021,5,5,1,1,6,6,0,0\r\n").encode("gbk"))
    with set_up(tmp_path) as url:
        page = log_in(browser, url, "upload", "管理员", "password-admin")
        try:
            choose_file(page, CLERK_FILES / "journey-gbk.csv")
            grid = page.locator("[class*='st-key-upload_edit_'] [data-testid='stDataFrameResizable']")
            grid.wait_for(timeout=60_000)
            page.get_by_text("还有 2 个错误").wait_for(timeout=60_000)  # no region; 5件
            idle(page)
            page.locator(".st-key-upload_region").click()
            page.get_by_role("option", name=REGION, exact=True).click()
            idle(page)
            # the new agency's row in the table of agencies to be created (a grid's text is in its hidden copy)
            page.get_by_text("单位类型「乡人民政府」").wait_for(state="attached", timeout=60_000)
            page.get_by_text("还有 2 个错误").wait_for(timeout=60_000)  # 5件; the arithmetic, now it has a place
            assert grid_text(grid, 6) == "5件"  # column 0 holds the row boxes (rows can be deleted), 1 the line
            grid.scroll_into_view_if_needed()
            page.wait_for_timeout(1000)  # the grid settles after the first check
            edit_cell(page, grid, 6, "5")  # 三 本年新收 自然人: 5件 → 5
            page.get_by_text("还有 1 个错误").wait_for(timeout=60_000)
            edit_cell(page, grid, 11, "5")  # 三 (七)总计 总计: 4 → 5
            page.locator(".st-key-upload_commit button:not([disabled])").wait_for(timeout=60_000)
            assert (grid_text(grid, 6), grid_text(grid, 11)) == ("5", "5")
            page.get_by_text("在表格中做的更正").wait_for(timeout=60_000)
            screenshot(page, "upload_grid_fixed")
            page.locator(".st-key-upload_commit button").click()
            page.get_by_text(re.compile(r"已写入批次 \d+：新增 1 份报告")).wait_for(timeout=60_000)

            choose_file(page, corrected)
            page.get_by_text("与已存数据的差异").wait_for(timeout=60_000)
            idle(page)
            page.locator(".st-key-upload_replace label").first.click()
            idle(page)
            page.locator(".st-key-upload_commit button:not([disabled])").wait_for(timeout=60_000)
            page.locator(".st-key-upload_commit button").click()
            page.get_by_text(re.compile(r"已写入批次 \d+：新增 0 份报告，替换 1 份")).wait_for(timeout=60_000)
            idle(page)

            page.get_by_role("tab", name="导入历史与撤销").click()
            sure = page.locator("[class*='st-key-upload_undo_sure_']")
            sure.wait_for(timeout=60_000)
            assert "龙泉乡-更正.csv" in sure.inner_text() and "管理员 导入" in sure.inner_text()
            sure.locator("label").first.click()
            idle(page)
            page.locator(".st-key-upload_undo button:not([disabled])").click()
            page.get_by_text(re.compile(r"已撤销批次 \d+：1 份报告不再生效")).wait_for(timeout=60_000)
            idle(page)
            assert not page.locator("[class*='st-key-upload_undo_sure_'] input").is_checked()
            assert page.locator(".st-key-upload_undo button").is_disabled(), "a second undo needs a second tick"
            screenshot(page, "upload_after_undo")
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            page.close()
    con = db.connect(tmp_path / "site.duckdb")  # the server has stopped and let go of the file
    try:
        current = con.execute(
            "select f.metric, f.value, f.origin from current_reports as rp join agencies as a on a.id = rp.agency_id "
            "join facts as f on f.report_id = rp.id where a.name = '龙泉乡' and f.metric in "
            "('s3.new.natural', 's3.handled_total.total', 's3.carried_in.total') order by f.metric").fetchall()
        batches = con.execute("select files, undone_at is not null from batches where not is_demo "
                              "order by id").fetchall()
        corrected = con.execute(
            "select f.metric from current_reports as rp join agencies as a on a.id = rp.agency_id join facts as f "
            "on f.report_id = rp.id where a.name = '龙泉乡' and f.origin = 'corrected' order by f.metric").fetchall()
        agency = con.execute("select a.kind, r.path from agencies as a join regions as r on r.id = a.region_id "
                             "where a.name = '龙泉乡'").fetchall()
    finally:
        con.close()
    assert current == [("s3.carried_in.total", 0, "file"), ("s3.handled_total.total", 5, "corrected"),
                       ("s3.new.natural", 5, "corrected")]
    assert batches == [("journey-gbk.csv", False), ("龙泉乡-更正.csv", True)]
    assert agency == [("乡", REGION)], "the kind read from 乡人民政府, the region chosen for the file"
    assert corrected == [("s3.handled_total.total",), ("s3.new.natural",)], "the two cells fixed, and no other"
