"""A region filter above the county: same-named agencies of different counties stay apart, every page renders.

Agency names repeat across counties (every county has a 城关镇), and the dashboards were first built for one
county. The fixture holds two sibling counties that share every agency name: the demo county 示例县 and 邻县,
which is the demo's own reports imported a second time under another county. The wide scope is their common
parent, 示例省/示例市. There, a per-agency query must name each row's region, keep one row per agency *and region*
at its grain, and add up to exactly what the two counties give on their own: nothing merged, nothing lost.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure import demo, ingest
from disclosure.demo.demo_data import demo_frame
from disclosure.present import export
from disclosure.read.read_table import read_table
from disclosure.store import db, sql

ROOT = Path(__file__).parent.parent
WIDE = demo.COUNTY.rsplit("/", 1)[0]  # 示例省/示例市
SIBLING = f"{WIDE}/邻县"
COUNTIES = (demo.COUNTY, SIBLING)
# one filter dict for every query: sql.run binds only the parameters a query's header declares
PARAMS = {"year": 2024, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": [],
          "metric": "s1.published_total"}

# query -> (grain keys besides agency and region, numeric columns whose wide sum is the sum over the counties)
QUERIES = {
    "proactive_channels": (["channel"], ["items"]),
    "channel_split_by_agency": (["channel"], ["items"]),
    "applications_applicants": (["applicant"], ["applications"]),
    "applications_by_agency": ([], ["new_applications", "handled"]),
    "proactive_published": (["year"], ["published"]),
    "proactive_section2": ([], ["licensing_decisions", "penalties_decisions"]),
    "applications_carry_over": (["year"], ["carried_in", "prev_carried_out"]),
    "overview_agencies": ([], ["published", "new_applications"]),
    "appeals_outcomes": (["block", "outcome"], ["cases"]),
    "appeals_by_agency": ([], ["appeals", "new_applications"]),
    "trends_series": (["year"], ["value"]),
}
PAGES = ["overview.py", "proactive.py", "applications.py", "appeals.py", "trends.py", "compare_years.py", "quality.py", "agency.py",
         "explore.py"]
OTHER_YEAR = 2022  # both counties report that year; it is also the demo's year of planted faults and gaps


@pytest.fixture(scope="module")
def two_counties(tmp_path_factory, demo_template):
    """The demo, then its own reports again under 邻县 through the real import path (built once: it takes seconds)."""
    path = tmp_path_factory.mktemp("wide") / "wide.duckdb"
    shutil.copyfile(demo_template, path)
    con = db.connect(path)
    frame, _faults = demo_frame()
    frame["parent"] = frame["parent"].replace(demo.COUNTY, SIBLING)
    plan = ingest.prepare(con, [read_table("邻县.csv", export.to_csv(frame))])
    # the demo's planted rule breaks come along; the demo accepts them knowingly, and so does this copy
    summary = ingest.commit(con, plan, user="测试", via="测试", accept_errors=True)
    assert summary.new == len(frame), "every 邻县 report is a new agency's, none is matched to 示例县's namesake"
    yield SimpleNamespace(path=path, con=con)
    con.close()


@pytest.fixture
def app_db(two_counties, monkeypatch):
    """Pages open the shared file (conftest clears Streamlit's caches around each test)."""
    monkeypatch.setenv("DISCLOSURE_DB", str(two_counties.path))
    return two_counties.path


# --- queries ----------------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", QUERIES)
def test_query_keeps_same_named_agencies_of_each_county_apart(two_counties, name):
    keys, numbers = QUERIES[name]
    whole = sql.run(two_counties.con, name, region=WIDE, **PARAMS)
    parts = [sql.run(two_counties.con, name, region=county, **PARAMS) for county in COUNTIES]
    assert all(len(part) for part in parts), "each county has rows of its own, or the comparison proves nothing"

    assert "region" in whole.columns, f"{name} returns no region column: 城关镇 of two counties look alike"
    assert whole["region"].notna().all()
    assert set(whole["region"]) == set(COUNTIES)
    grain = ["agency", "region", *keys]
    repeated = whole[whole.duplicated(grain, keep=False)]
    assert repeated.empty, f"{name}: rows repeat on {grain}:\n{repeated.head()}"
    # a merge (group by agency name) loses rows; a join on the name alone gains them
    assert len(whole) == sum(len(part) for part in parts), "rows were merged or lost at the wide scope"
    for column in numbers:
        assert whole[column].sum() == pytest.approx(sum(part[column].sum() for part in parts)), column


# --- pages ------------------------------------------------------------------------------------------------------

def at_wide_scope(name: str) -> AppTest:
    """The page as first opened (a county is the default), then with the region filter set to the wide scope."""
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=90).run()
    assert not at.exception, at.exception
    at.selectbox(key="filter_region").set_value(WIDE).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="filter_region").value == WIDE
    return at


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_at_the_wide_scope(app_db, name):
    at = at_wide_scope(name)
    at.selectbox(key="filter_year").set_value(OTHER_YEAR).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="filter_region").value == WIDE, "changing the year keeps the region"


def test_overview_tables_keep_namesakes_apart(app_db):
    at = at_wide_scope("overview.py")
    tables = [d.value for d in at.dataframe if {"单位", "地区"} <= set(d.value.columns)]
    assert tables, "the overview shows no table with 单位 and 地区"
    for table in tables:
        assert not table.duplicated(["单位", "地区"]).any(), table.columns.tolist()
    regions_per_name = pd.concat(tables).groupby("单位")["地区"].nunique()
    assert (regions_per_name >= 2).any(), "no agency name is shown for both counties"
