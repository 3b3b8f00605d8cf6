"""数据质量 and 单位详情 under AppTest on the demo data, their queries' golden rows, and the helpers behind them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure import demo
from disclosure.contract import rules
from disclosure.ingest import quality, rule_store
from disclosure.present import agency_view
from disclosure.store import sql
from tests.conftest import DATA, import_bytes

ROOT = Path(__file__).parent.parent
COUNTY = "示例省/示例市/示例县"
RANGE = {"region": COUNTY, "year": 2024, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": []}


def page(name: str, url: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / name), default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    for param, value in (url or {}).items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    found = next((d.value for d in at.dataframe if column in d.value.columns), None)
    assert found is not None, f"no table with column {column}"
    return found


# --- queries: golden rows ---------------------------------------------------------------------------------------

def test_stored_issues_name_the_demo_faults_with_their_region(demo_con):
    issues = rule_store.stored(demo_con)
    found = set(issues[["agency", "year", "code"]].itertuples(index=False, name=None))
    assert {("石门镇", 2022, "r1-balance"), ("青山乡", 2022, "c4-channel-sum"), ("柳林乡", 2020, "p1-township-rules"),
            ("示例县住房和城乡建设局", 2022, "r2-row-total"), ("示例县人民政府办公室", 2022, "r4-appeal-total"),
            ("示例县市场监督管理局", 2023, "c1-carry-over"), ("示例县卫生健康委员会", 2023, "c2-in-force")} <= found
    assert set(issues["region"]) == {COUNTY}
    shimen = issues[(issues["agency"] == "石门镇") & (issues["message"].str.startswith("总计列"))].iloc[0]
    assert shimen["severity"] == "error" and shimen["kind"] == "镇"
    assert "三 本年新收 总计 = 5" in shimen["cells"]


def test_coverage_marks_the_gaps(demo_con):
    coverage = sql.run(demo_con, "quality_coverage", **RANGE)
    status = coverage.set_index(["agency", "year"])["status"]
    assert status[("白沙乡", 2023)] == "missing"
    assert status[("白沙乡", 2024)] == "reported"
    assert status[("示例县人民政府", 2022)] == "missing"
    assert status[("示例县医疗保障局", 2020)] == "not_expected", "set up in 2021"
    assert len(coverage) == coverage["agency"].nunique() * coverage["year"].nunique()


def test_missing_cells_summarised_per_report(demo_con):
    missing = sql.run(demo_con, "quality_missing_by_report", **RANGE).set_index(["agency", "year"])
    assert missing.loc[("河口镇", 2024), "missing_cells"] == 1
    assert missing.loc[("河口镇", 2024), "cells"] == "三 上年结转 科研机构"
    detail = sql.run(demo_con, "report_missing_cells", region=COUNTY)
    assert missing["missing_cells"].sum() == len(detail[detail["year"].between(2019, 2025)])


def test_accepted_errors_keep_who_and_when(demo_con):
    accepted = sql.run(demo_con, "quality_accepted_issues", **RANGE)
    assert ("石门镇", 2022, "r1-balance") in set(accepted[["agency", "year", "code"]].itertuples(index=False, name=None))
    assert set(accepted["accepted_by"]) == {demo.DEMO_USER}
    assert accepted["accepted_at"].notna().all()


def test_summary_check_finds_the_2024_difference(demo_con):
    check = sql.run(demo_con, "quality_summary_check", **RANGE, all=True)
    rows = check[(check["year"] == 2024) & check["differs"]].set_index("metric")
    assert set(rows.index) == {f"s3.{r}.{c}" for r in ("new", "granted", "handled_total") for c in ("natural", "total")}
    assert (rows["difference"] == 7).all()
    assert rows.loc["s3.new.total", "stored"] - rows.loc["s3.new.total", "computed"] == 7
    assert not check[check["year"] == 2022].size, "no 汇总 report in 2022"
    assert not check[check["year"].isin([2019, 2021, 2023, 2025]) & check["differs"]].size
    differing = sql.run(demo_con, "quality_summary_check", **RANGE, all=False)
    assert differing["differs"].all() and len(differing) == len(rows) == 6
    reports = sql.run(demo_con, "quality_summary_reports", **RANGE).set_index("year")
    assert reports.loc[2024, "differing"] == 6 and reports["differing"].sum() == 6, "the 2024 report is listed first"
    assert reports.index[0] == 2024
    assert (reports["compared"] == check.groupby("year").size().reindex(reports.index)).all()
    assert (reports["agencies"] == check.groupby("year")["agencies"].first().reindex(reports.index)).all()


def test_agency_queries_golden_rows(demo_con):
    who = {"agency": "海青乡", "region": COUNTY}
    facts = sql.run(demo_con, "agency_facts", **who)
    assert set(facts["year"]) == {2020}
    assert dict(zip(facts["metric"], facts["value"]))["s1.published_total"] == 71
    reports = sql.run(demo_con, "agency_reports", **who)
    assert reports[["year", "status", "file_name"]].values.tolist() == [[2020, "current", "haiqing-2020.txt"]]
    source = sql.run(demo_con, "agency_source", report_id=int(reports["report_id"].iloc[0]))
    assert bytes(source["content"].iloc[0]) == demo.SEED_FILE.read_bytes()
    trend = sql.run(demo_con, "agency_trend", **who)
    assert trend[["year", "published"]].values.tolist() == [[2020, 71]]
    listed = sql.run(demo_con, "agency_list", region=COUNTY)
    assert ("海青乡", COUNTY, "乡") in set(listed[["agency", "region", "kind"]].itertuples(index=False, name=None))
    shimen = sql.run(demo_con, "agency_issues", agency="石门镇", region=COUNTY)
    assert "r1-balance" in set(shimen["code"]) and shimen["accepted_by"].notna().any()


def test_coverage_matrix_is_agencies_by_years():
    coverage = pd.DataFrame({"agency": ["甲乡", "甲乡", "乙镇", "乙镇"], "kind": ["乡", "乡", "镇", "镇"],
                             "region": ["县"] * 4, "year": [2020, 2021, 2020, 2021],
                             "status": ["reported", "missing", "not_expected", "reported"]})
    matrix = agency_view.coverage_matrix(coverage)
    assert matrix.columns.tolist() == ["单位", "地区", "2020年", "2021年"]
    assert matrix.values.tolist() == [["甲乡", "县", "已报", "缺报"], ["乙镇", "县", "", "已报"]]
    assert agency_view.coverage_css("缺报").startswith("background-color")


# --- pages ------------------------------------------------------------------------------------------------------

def test_quality_page_lists_the_demo_violations(demo_con):
    at = page("pages/quality.py")
    assert at.title.values == ["数据质量"]
    issues = table_with(at, "问题代码")
    found = set(issues[["单位", "年度", "问题代码"]].itertuples(index=False, name=None))
    assert {("石门镇", 2022, "r1-balance"), ("青山乡", 2022, "c4-channel-sum"),
            ("柳林乡", 2020, "p1-township-rules")} <= found
    shimen = issues[issues["单位"] == "石门镇"]
    assert shimen["确认接受"].str.startswith("已确认接受（示例数据").all(), "accepted errors stay flagged"
    assert (issues.loc[issues["规则"].isin(["C4", "P1"]), "确认接受"] == "").all()

    coverage = table_with(at, "2023年")
    assert coverage.set_index("单位").loc["白沙乡", "2023年"] == "缺报"

    summary = table_with(at, "差额")
    assert set(summary["年度"]) >= {2024}
    row = summary[(summary["年度"] == 2024) & (summary["指标"] == "三 本年新收 总计")]
    assert row["差额"].tolist() == [7]
    assert len(summary) == 6, "only the differing cells until asked for all"
    reports = table_with(at, "不一致的指标")
    assert reports.iloc[0]["年度"] == 2024 and reports.iloc[0]["不一致的指标"] == 6
    at.checkbox(key="quality_summary_all").check().run()
    assert len(table_with(at, "差额")) == reports["比较的指标"].sum()

    keys = {b.key for b in at.get("download_button")}
    assert {"quality_issues_download_csv", "quality_accepted_download_csv", "quality_coverage_download_xlsx",
            "quality_missing_download_csv", "quality_summary_download_csv"} <= keys


def test_quality_page_filters_by_rule_and_severity(demo_con):
    at = page("pages/quality.py")
    at.multiselect(key="quality_rule").set_value(["C4"]).run()
    assert not at.exception, at.exception
    assert table_with(at, "问题代码")["问题代码"].tolist() == ["c4-channel-sum"]
    at.multiselect(key="quality_rule").set_value([]).run()
    at.multiselect(key="quality_severity").set_value(["warning"]).run()
    assert set(table_with(at, "问题代码")["严重程度"]) == {"警告"}


def test_agency_page_shows_the_seed_report_as_the_form(demo_con):
    at = page("pages/agency.py", url={"unit": "海青乡", "unit_region": COUNTY})
    assert at.title.values == ["单位详情"]
    assert at.selectbox(key="agency_pick").value == ("海青乡", COUNTY)
    assert at.selectbox(key="agency_year").value == 2020
    s1 = table_with(at, "数量")  # AppTest does not expose a dataframe's key: find each section by its columns
    assert s1.loc["主动公开信息总数", "数量"] == 71
    assert table_with(at, "栏目").shape[0] == 8, "二 as the 2019 form"
    assert table_with(at, "自然人").shape[1] == 7 and table_with(at, "结果维持").shape == (3, 5)
    source = at.get("download_button")
    assert "agency_source_download" in {b.key for b in source}
    history = table_with(at, "替换原因")
    assert history["状态"].tolist() == ["现行"] and history["文件"].tolist() == ["haiqing-2020.txt"]


@pytest.mark.slow
def test_agency_page_lists_accepted_errors(demo_con):
    at = page("pages/agency.py", url={"unit": "石门镇", "unit_region": COUNTY})
    at.selectbox(key="agency_year").set_value(2022).run()
    assert not at.exception, at.exception
    issues = table_with(at, "确认人")
    assert "r1-balance" in set(issues["问题代码"]) and (issues["确认人"] == demo.DEMO_USER).any()


@pytest.mark.parametrize("name", ["pages/quality.py", "pages/agency.py"])
def test_pages_on_an_empty_database(db_file, name):
    at = page(name)
    assert any("还没有报告" in i.value for i in at.info)


@pytest.mark.slow
@pytest.mark.demo
def test_stored_issues_of_a_region_are_those_of_the_whole_database_there(con):
    """Rules look at one agency's reports only: checking a region finds exactly its share of the whole, and the
    stored violations are the engine's."""
    import_bytes(con, {"other.csv": (DATA / "haiqing-2020.csv").read_bytes().replace(
        "示例省/示例市/示例县".encode(), "示例省/示例市/另一县".encode()).replace(",71,43,28,".encode(), ",71,43,27,".encode())},
        accept_errors=True)
    everything = rule_store.checked(con)[rule_store.COLUMNS]
    for region in ("示例省/示例市/示例县", "示例省/示例市/另一县"):
        part = rule_store.checked(con, region)[rule_store.COLUMNS]
        assert not part.empty
        assert part.sort_values(list(part.columns)).reset_index(drop=True).equals(
            everything[everything["region"] == region].sort_values(list(part.columns)).reset_index(drop=True))
        stored = rule_store.stored(con, region)
        pd.testing.assert_frame_equal(stored.sort_values(list(part.columns)).reset_index(drop=True),
                                      part.sort_values(list(part.columns)).reset_index(drop=True), check_dtype=False)


def demo_and_another_county_with_an_error(con) -> None:
    """The demo county, and a second county whose one report breaks a rule: two regions to check."""
    demo.build(con)
    import_bytes(con, {"other.csv": (DATA / "haiqing-2020.csv").read_bytes().replace(
        "示例省/示例市/示例县".encode(), "示例省/示例市/另一县".encode()).replace(",71,43,28,".encode(), ",71,43,27,".encode())},
        accept_errors=True)


@pytest.mark.slow
def test_a_check_of_everything_in_chunks_finds_what_one_frame_finds(con, monkeypatch):
    demo_and_another_county_with_an_error(con)
    whole = quality.stored_frame(con)
    expected = sorted(map(repr, rules.check(whole, previous=whole)))
    monkeypatch.setattr(quality, "CHUNK_REPORTS", 1)  # one region per chunk
    assert len(quality.region_chunks(con)) == 2
    assert sorted(map(repr, quality.check_stored(con))) == expected and len(expected) > 0


@pytest.mark.slow
def test_stored_issues_of_another_rules_version_are_checked_again(con, monkeypatch):
    demo_and_another_county_with_an_error(con)
    before = rule_store.stored(con)
    assert set(before["region"]) == {"示例省/示例市/示例县", "示例省/示例市/另一县"}
    con.execute("update meta set value = value - 1 where key = 'rules_version'")
    con.execute("delete from rule_issues")
    monkeypatch.setattr(quality, "CHUNK_REPORTS", 1)  # one region per chunk: chunks add up to the whole
    pd.testing.assert_frame_equal(rule_store.stored(con), before)
    assert con.execute("select value from meta where key = 'rules_version'").fetchone()[0] == rule_store.RULES_VERSION
