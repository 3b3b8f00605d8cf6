"""The state of a view under AppTest through the entrypoint: the shared filters hold on every page, the URL says
the view with explicit values, a stale link falls back visibly, a page's own controls come back from the URL."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.store import sql

ROOT = Path(__file__).parent.parent
COUNTY = "示例省/示例市/示例县"
ANALYSIS_PAGES = ["pages/overview.py", "pages/proactive.py", "pages/applications.py", "pages/appeals.py",
                  "pages/trends.py", "pages/compare_years.py", "pages/quality.py", "pages/agency.py", "pages/explore.py"]


def app(url: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for param, value in (url or {}).items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, at.exception
    return at


def url(at: AppTest, param: str) -> list[str]:
    """Every value of one URL parameter (AppTest keeps the URL as a dict of strings or lists)."""
    value = at.query_params.get(param)
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def shared(at: AppTest) -> dict:
    return {p: url(at, p) for p in ("region", "year", "from", "to")}


@pytest.mark.slow
def test_the_shared_selection_holds_on_every_page(demo_con):
    at = app()
    at.selectbox(key="filter_region").set_value(COUNTY).run()
    at.selectbox(key="filter_year").set_value(2023).run()
    at.pills(key="filter_preset").set_value("乡镇街道").run()
    assert at.multiselect(key="filter_kinds").value == ["乡", "镇", "街道"], "one click for all townships"
    for path in ANALYSIS_PAGES:
        at.switch_page(path).run()
        assert not at.exception, (path, at.exception)
        assert at.selectbox(key="filter_region").value == COUNTY, path
        assert at.selectbox(key="filter_year").value == 2023, path
        assert at.multiselect(key="filter_kinds").value == ["乡", "镇", "街道"], path
        assert shared(at) == {"region": [COUNTY], "year": ["2023"], "from": ["2019"], "to": ["2025"]}, path
        assert url(at, "kind") == ["乡", "镇", "街道"], path


@pytest.mark.slow
def test_a_copied_link_opens_the_same_view_and_a_stale_one_says_what_it_shows_instead(demo_con):
    at = app({"region": COUNTY, "year": "2021", "from": "2020", "to": "2022"})
    assert at.selectbox(key="filter_year").value == 2021
    assert at.slider(key="filter_years").value == (2020, 2022)
    assert not at.main.warning, "a valid link gives no notice"

    stale = app({"region": "示例省/示例市/不存在的县", "year": "1999"})
    notices = " ".join(w.value for w in stale.main.warning).replace("\\", "")  # names escaped for Markdown
    assert "不存在的县" in notices and COUNTY in notices, notices
    assert "1999年" in notices
    assert stale.selectbox(key="filter_region").value == COUNTY
    assert url(stale, "year") == ["2025"], "the link written back is explicit"


def test_only_years_with_data_in_the_region_are_offered(demo_con):
    at = app({"region": COUNTY})
    years = at.selectbox(key="filter_year").options
    assert years == [f"{y}年" for y in range(2025, 2018, -1)]
    stored = set(demo_con.execute("select distinct year from current_reports").df()["year"])
    assert {int(y[:-1]) for y in years} <= stored


@pytest.mark.slow
def test_a_page_s_own_controls_come_back_from_the_url(demo_con):
    at = app({"region": COUNTY, "year": "2022"})
    at.switch_page("pages/quality.py").run()
    at.multiselect(key="quality_rule").set_value(["C4"]).run()
    assert url(at, "rule") == ["C4"]
    again = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for param in at.query_params:
        again.query_params[param] = url(at, param)
    again.switch_page("pages/quality.py").run()
    assert again.multiselect(key="quality_rule").value == ["C4"]
    again.switch_page("pages/overview.py").run()
    assert "rule" not in again.query_params, "another page's controls leave the URL"
    assert again.selectbox(key="filter_year").value == 2022


def test_a_database_error_is_said_in_chinese_with_the_original_kept(demo_con, monkeypatch):
    real = sql.run

    def broken(con, name, **params):
        if name == "overview_kpis":
            raise duckdb.CatalogException("Catalog Error: Table with name report_summary does not exist!")
        return real(con, name, **params)

    monkeypatch.setattr(sql, "run", broken)
    at = app()
    assert any("数据库出错" in e.value for e in at.error)
    assert any("Catalog Error" in c.value for c in at.code)
