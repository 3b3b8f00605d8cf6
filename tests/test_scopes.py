"""An account limited to a region (a county leader to the county) sees that region and what lies below it — on every
page, in every table, chart, choice and download — and nothing of a neighbouring county, however a link asks."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.demo.demo_data import COUNTY
from disclosure.store import accounts
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name not in ("upload.py", "import_report.py",
                                                                                "admin.py"))
NEIGHBOUR = "示例省/示例市/邻县"
SECRET = "邻县城关镇"  # an agency of the neighbouring county: never on a page the county leader opens


@pytest.fixture
def site(demo_con, tmp_path, monkeypatch):
    con = demo_con
    rows = pd.DataFrame([{"agency": SECRET, "year": y, "kind": "镇", "parent": NEIGHBOUR, "version": "2021",
                          "s1.published_total": 99, "s1.channel.website": 99, "s3.new.total": 7,
                          "s3.new.natural": 7} for y in (2024, 2025)])
    from disclosure.present import export
    plan, summary = import_bytes(con, {"邻县.csv": export.to_csv(rows)}, accept_errors=True)
    assert summary is not None, [i.message for i in plan.blocking(True)]
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(path))
    accounts.add("县长", "viewer", "viewer-pass-1", regions=[COUNTY])
    accounts.add("管理员", "admin", "admin-pass-1")
    return con


def logged_in(name: str, user: str, password: str, url: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120)
    for param, value in (url or {}).items():
        at.query_params[param] = value
    at.run()
    at.text_input(key="login_user").set_value(user)
    at.text_input(key="login_password").set_value(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything_shown(at: AppTest) -> str:
    """All the page hands the browser, as one text: messages, labels, choices, tables and charts."""
    parts = []
    for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "success", "error", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio"):
        for widget in getattr(at, kind):
            parts += [str(widget.label), *map(str, widget.options)]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_a_county_leader_sees_only_the_county_on_every_page(site, name):
    at = logged_in(name, "县长", "viewer-pass-1")
    shown = everything_shown(at)
    assert "邻县" not in shown, name
    assert at.sidebar.selectbox(key="filter_region").options == [COUNTY.replace("/", " / ")] or \
        set(at.sidebar.selectbox(key="filter_region").options) <= {COUNTY, COUNTY.replace("/", " / ")}


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_a_link_to_the_neighbouring_county_falls_back_to_the_leader_s_own(site, name):
    at = logged_in(name, "县长", "viewer-pass-1", url={"region": NEIGHBOUR, "year": "2025"})
    assert "邻县城关镇" not in everything_shown(at)
    assert at.sidebar.selectbox(key="filter_region").value == COUNTY


@pytest.mark.slow
def test_a_link_to_an_agency_of_the_neighbouring_county_does_not_open_it(site):
    at = logged_in("agency.py", "县长", "viewer-pass-1", url={"unit": SECRET, "unit_region": NEIGHBOUR})
    assert at.selectbox(key="agency_pick").value[1] == COUNTY
    assert "99" not in " ".join(str(c.value) for c in at.caption) and SECRET not in everything_shown(at).replace(
        "链接中的单位「邻县城关镇」", "")


@pytest.mark.slow
def test_the_sql_console_is_not_offered_to_a_limited_account(site):
    at = logged_in("explore.py", "县长", "viewer-pass-1")
    assert "explore_sql" not in {t.key for t in at.text_area}
    assert any("只能查看 示例省" in i.value.replace("\\", "") for i in at.info)


@pytest.mark.slow
def test_the_administrator_sees_both_counties(site):
    at = logged_in("overview.py", "管理员", "admin-pass-1", url={"region": NEIGHBOUR, "year": "2025"})
    assert at.sidebar.selectbox(key="filter_region").value == NEIGHBOUR
    assert SECRET in everything_shown(at)


def test_scopes_are_kept_in_the_accounts_file_and_refused_for_an_administrator(tmp_path):
    file = tmp_path / "accounts.toml"
    accounts.add("县长", "viewer", "viewer-pass-1", regions=[" 示例省/示例市/示例县/ "], file=file)
    [(who, _)] = accounts.load(file).values()
    assert who.regions == (COUNTY,) and who.sees(COUNTY) and who.sees(COUNTY + "/某镇")
    assert not who.sees("示例省/示例市") and not who.sees("示例省/示例市/示例县二")
    with pytest.raises(accounts.AccountError, match="管理员"):
        accounts.add("管理员", "admin", "admin-pass-1", regions=[COUNTY], file=file)
