"""一键导出视图: the zip holds each table (CSV with BOM, and one workbook), each chart (PNG, or one HTML file when no
browser can draw it) and 说明.txt with the scope and the link; the page's button builds it from what the run showed."""
from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
import streamlit.elements.widgets.button as button
from streamlit.testing.v1 import AppTest

from disclosure.present import bundle

ROOT = Path(__file__).parent.parent
LINK = "http://localhost:8501/overview?region=%E7%A4%BA%E4%BE%8B%E5%8E%BF&year=2024&kind=%E4%B9%A1"
TABLES = {
    "总览-2024": pd.DataFrame({"单位": ["城关镇", "海青乡", "=HYPERLINK(1)"], "新收申请（件）": [12.0, np.nan, 3.0],
                             "公开率": [0.25, np.nan, 1 / 3]}),
    "总览/2024": pd.DataFrame({"年度": [2024], "件数": [5.0]}),  # a name that would be a path, and clashes once made safe
    "总览_2024": pd.DataFrame({"年度": [2024], "件数": [6.0]}),
}
CHARTS = {"排名": go.Figure(go.Bar(x=["城关镇", "海青乡"], y=[3, 5])),
          "趋势": go.Figure(go.Scatter(x=[2023, 2024], y=[0.2, 0.3]))}
PNG = b"\x89PNG\r\n\x1a\nfake"


def make(render_png=lambda charts: {name: PNG for name in charts}, tables=TABLES, charts=CHARTS) -> zipfile.ZipFile:
    data = bundle.bundle(tables, charts, filters_text="地区 示例省/示例市/示例县；年度 2024；单位类型 乡", link=LINK,
                         data_version="数据版本 7", page="总览", render_png=render_png)
    return zipfile.ZipFile(io.BytesIO(data))


def no_browser(charts):
    raise bundle.RenderUnavailable("服务器上没有可用的浏览器")


def test_zip_holds_every_table_and_chart_under_safe_unique_names():
    names = make().namelist()
    assert names[0] == "说明.txt"
    assert sorted(names) == sorted(["说明.txt", "表格/总览-2024.csv", "表格/总览_2024.csv", "表格/总览_2024-2.csv",
                                    "全部表格.xlsx", "图表/排名.png", "图表/趋势.png"])
    assert not [n for n in names if ".." in n or n.startswith("/") or n.count("/") > 1]


def test_csv_has_bom_integer_counts_empty_blanks_and_rates_as_numbers():
    data = make().read("表格/总览-2024.csv")
    assert data.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert header == ["单位", "新收申请（件）", "公开率"]
    assert rows[0] == ["城关镇", "12", "0.25"] and rows[1] == ["海青乡", "", ""]
    assert rows[2][0] == "'=HYPERLINK(1)", "formulas neutralised"
    assert float(rows[2][2]) == pytest.approx(1 / 3)


def test_workbook_has_a_sheet_per_table_with_integer_counts():
    book = openpyxl.load_workbook(io.BytesIO(make().read("全部表格.xlsx")))
    assert book.sheetnames == ["目录", "总览-2024", "总览_2024", "总览_2024-2"]
    listing = [[c.value for c in row] for row in book["目录"].iter_rows()]
    assert listing[1:] == [["总览-2024", "总览-2024"], ["总览_2024", "总览/2024"], ["总览_2024-2", "总览_2024"]]
    cells = [[c.value for c in row] for row in book["总览-2024"].iter_rows()]
    assert cells[1][:2] == ["城关镇", 12] and isinstance(cells[1][1], int)
    assert cells[2][1:] == [None, None], "blanks stay empty, not 0"


def test_readme_says_scope_page_link_and_data_version():
    text = make().read("说明.txt").decode("utf-8-sig")
    assert f"链接：{LINK}" in text
    assert "示例省/示例市/示例县" in text and "单位类型 乡" in text and "页面：总览" in text and "数据版本 7" in text
    assert "表格/总览_2024-2.csv：总览_2024" in text and "图表/排名.png" in text
    assert "HTML" not in text


def test_charts_fall_back_to_one_html_file_when_no_browser_can_draw_them():
    zf = make(render_png=no_browser)
    assert "图表.html" in zf.namelist() and not [n for n in zf.namelist() if n.endswith(".png")]
    page = zf.read("图表.html").decode("utf-8")
    assert page.count("<h2>") == 2 and "排名" in page and "趋势" in page
    assert page.count("plotly.js v") == 1, "plotly.js once, not once per chart"
    assert "<script src=" not in page, "self-contained: opens without the web"
    text = zf.read("说明.txt").decode("utf-8-sig")
    assert "未能生成 PNG" in text and "服务器上没有可用的浏览器" in text


@pytest.mark.slow
def test_a_renderer_that_fails_or_returns_no_png_falls_back_too():
    def broken(charts):
        raise OSError("boom")

    assert "图表.html" in make(render_png=broken).namelist()
    assert "图表.html" in make(render_png=lambda charts: {"排名": PNG}).namelist(), "a chart missing"
    assert "图表.html" in make(render_png=lambda charts: None).namelist()
    assert "图表.html" in make(render_png=None).namelist()


def test_no_charts_no_render_and_no_tables_still_a_readme():
    called = []
    zf = make(render_png=lambda charts: called.append(1), charts={})
    assert not called and not [n for n in zf.namelist() if n.startswith("图表")]
    assert make(tables={}, charts={}).namelist() == ["说明.txt"]


def test_chart_pngs_gives_up_within_its_time_and_without_a_browser(monkeypatch):
    with pytest.raises(bundle.RenderUnavailable, match="超过"):
        bundle.chart_pngs(CHARTS, seconds=0.01)
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(bundle.RenderUnavailable, match="没有可用的浏览器"):
        bundle.chart_pngs(CHARTS)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_kaleido_draws_pngs_with_the_system_chromium():
    pngs = bundle.chart_pngs(CHARTS, seconds=60)
    assert set(pngs) == set(CHARTS) and all(p.startswith(b"\x89PNG") and len(p) > 5000 for p in pngs.values())


# --- the page's button -------------------------------------------------------------------------------------------

def page_then_bundle_button(page: str) -> None:
    """A page as the entrypoint runs it, then the one-click export after it."""
    import runpy

    from disclosure import ui

    runpy.run_path(page)
    ui.shown.bundle_button("总览")


@pytest.mark.slow
@pytest.mark.demo
def test_bundle_button_exports_what_the_page_showed(con, monkeypatch):
    made = {}
    marshall = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kwargs):
        made[file_name] = data
        return marshall(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", record)
    at = AppTest.from_function(page_then_bundle_button, args=(str(ROOT / "pages" / "overview.py"),),
                               default_timeout=120).run()
    assert not at.exception, at.exception
    assert [b.label for b in at.get("download_button")][-1] == "一键导出本页（CSV、Excel、图表）"
    build = made["总览-一键导出.zip"]
    assert callable(build), "built only when clicked"
    zf = zipfile.ZipFile(io.BytesIO(build()))
    shown = at.session_state["_shown"]["tables"]
    assert sorted(n for n in zf.namelist() if n.endswith(".csv")) == sorted(f"表格/{t}.csv" for t in shown)
    text = zf.read("说明.txt").decode("utf-8-sig")
    assert "链接：/?" in text and "region=%E7%A4%BA%E4%BE%8B%E7%9C%81" in text, "the view's URL parameters"
    assert "地区 示例省/示例市/示例县" in text and "数据版本 " in text and "最近一次导入或撤销" in text
