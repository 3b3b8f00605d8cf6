"""主动公开 and 依申请公开: chart functions, golden rows of their queries on the demo data, both pages under AppTest."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import charts as chart_functions
from disclosure.present import charts_disclosure as charts
from disclosure.present import palette
from disclosure.store import sql
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
COUNTY = "示例省/示例市/示例县"
PARAMS = {"region": COUNTY, "year": 2020, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": []}


def run(con, name: str, **overrides) -> pd.DataFrame:
    return sql.run(con, name, **(PARAMS | overrides))


# --- queries: golden rows ----------------------------------------------------------------------------------------

def test_seed_channels_and_their_share_of_the_stated_total(demo_con):
    seed = run(demo_con, "proactive_channels").query("agency == '海青乡'")
    assert seed[["channel", "items", "base", "base_kind"]].values.tolist() == [
        ["微信公众号", 43, 71, "信息总数"], ["其他方式", 28, 71, "信息总数"]]
    assert seed["share"].round(4).tolist() == [round(43 / 71, 4), round(28 / 71, 4)]


def test_queries_leave_out_the_summary_report(demo_con):
    for name in ("proactive_channels", "proactive_published", "proactive_section2", "applications_applicants"):
        assert "示例县人民政府" not in set(run(demo_con, name)["agency"]), name
    agencies = run(demo_con, "applications_by_agency")
    summary = agencies[agencies["is_summary"]]
    assert summary["agency"].tolist() == ["示例县人民政府"] and summary["rate_rank"].isna().all()
    trend = run(demo_con, "applications_trend").set_index("year")
    own = agencies[~agencies["is_summary"]]
    assert trend.loc[2020, "new_applications"] == own["new_applications"].sum() == 656


def test_channel_trend_shares_use_the_stated_totals(demo_con):
    trend = run(demo_con, "proactive_channel_trend")
    year = trend[trend["year"] == 2020]
    # pooled per channel: over the reports that state the channel, Σ items ÷ Σ each report's base
    agencies = run(demo_con, "proactive_channels").groupby("channel")[["items", "base"]].sum()
    by_channel = year.set_index("channel")
    assert by_channel["items"].to_dict() == agencies["items"].to_dict()
    assert by_channel["base"].to_dict() == agencies["base"].to_dict()
    assert by_channel["share"].to_dict() == pytest.approx((agencies["items"] / agencies["base"]).to_dict())
    assert set(trend["year"]) == set(range(2019, 2026))


def test_section2_keeps_the_versions_apart_and_decisions_in_one_series(demo_con):
    s2020 = run(demo_con, "proactive_section2").set_index("agency")
    assert s2020.loc["海青乡", ["version", "normdocs_made", "licensing_decisions"]].tolist() == ["2019", 0, 0]
    assert s2020["fees_amount_wan"].isna().all() and s2020["normdocs_issued"].isna().all()
    s2021 = run(demo_con, "proactive_section2", year=2021)
    assert s2021["fee_items_prev"].isna().all() and s2021["fees_amount_wan"].notna().any()
    trend = run(demo_con, "proactive_section2_trend").set_index("year")
    assert trend["licensing_decisions"].notna().all(), "2019 and 2021 forms give one decisions series"
    assert pd.isna(trend.loc[2020, "fees_amount_wan"]), "the 2019 form states no money"
    assert trend.loc[2021, "licensing_decisions"] == s2021["licensing_decisions"].sum()


def test_outcome_groups_and_rate_golden_rows(demo_con):
    rows = run(demo_con, "applications_by_agency").set_index("agency")
    natural = rows.loc["示例县自然资源局"]
    assert natural[["new_applications", "carried_in", "granted", "partial", "denied", "unable", "rejected",
                    "other_handling", "handled", "carried_out"]].tolist() == [262, 11, 88, 13, 13, 85, 28, 28, 255, 18]
    assert natural["disclosure_rate"] == pytest.approx(101 / 255)
    assert rows.loc["海青乡", "new_applications"] == 0 and pd.isna(rows.loc["海青乡", "disclosure_rate"])


def test_small_denominators_are_marked_and_not_ranked(demo_con):
    rows = run(demo_con, "applications_by_agency")
    small = rows[(rows["handled"] > 0) & (rows["handled"] < 5)]
    assert not small.empty and small["small_base"].all() and small["rate_rank"].isna().all()
    ranked = rows[rows["rate_rank"].notna()]
    assert (ranked["handled"] >= 5).all() and not ranked["is_summary"].any()
    assert ranked.sort_values("rate_rank")["disclosure_rate"].is_monotonic_decreasing
    table = charts.rate_table(rows).set_index("单位")
    assert table.loc["柳林乡", "说明"] == "办理不足5件，仅供参考，不排名" and pd.isna(table.loc["柳林乡", "排名"])
    assert table.loc["柳林乡", "办理结果总计（分母，件）"] == 2
    assert table.loc["示例县自然资源局", "说明"] == ""
    assert "示例县人民政府" not in table.index
    bars = charts.rate_bars(rows)
    assert [t.name for t in bars.data] == ["公开率", "办理不足5件（不排名）"]
    assert "柳林乡" in list(bars.data[1].y) and "柳林乡" not in list(bars.data[0].y)


def test_flow_sums_outcome_rows_by_applicant(demo_con):
    flow = run(demo_con, "applications_flow")
    agencies = run(demo_con, "applications_by_agency").query("not is_summary")
    by_outcome = flow.groupby("outcome")["applications"].sum()
    for outcome, field in charts.OUTCOME_FIELDS.items():
        assert by_outcome[outcome] == agencies[field].sum(), outcome
    natural = flow.query("applicant == '自然人'").set_index("outcome")["applications"]
    assert natural["予以公开"] == 191 and natural["无法提供"] == 157


def test_carry_over_lists_the_planted_c1_break_first(demo_con):
    carry = run(demo_con, "applications_carry_over")
    first = carry.iloc[0]
    assert (first["agency"], first["year"], bool(first["differs"])) == ("示例县市场监督管理局", 2023, True)
    assert first["differences"] == "自然人 3≠2；总计 4≠3"
    assert carry["differs"].sum() == 1
    assert carry["year"].min() == 2020, "2019 has no year before it in the range's data"


@pytest.mark.slow
def test_carry_over_compares_the_columns_both_years_state_and_lists_only_such_pairs(con):
    header = "agency,year,kind,parent,version,s3.carried_out.total,s3.carried_out.natural,s3.carried_in.total,s3.carried_in.natural"
    rows = ["甲乡,2022,乡,{c},2021,5,2,,", "甲乡,2023,乡,{c},2021,,,5,3",  # 总计 agrees, 自然人 does not
            "乙乡,2022,乡,{c},2021,,,1,",  "乙乡,2023,乡,{c},2021,,,1,",   # no 结转下年度 the year before: no pair
            "丙乡,2022,乡,{c},2021,4,,,",  "丙乡,2023,乡,{c},2021,,,,7"]   # no column stated in both years
    import_bytes(con, {"c.csv": "\n".join([header, *rows]).format(c=COUNTY).encode()}, accept_errors=True)
    carry = run(con, "applications_carry_over")
    assert carry[["agency", "year", "carried_in", "prev_carried_out", "differences"]].values.tolist() == [
        ["甲乡", 2023, 5.0, 5.0, "自然人 3≠2"]]
    assert carry["differs"].tolist() == [True]


def test_filters_by_kind_and_agency(demo_con):
    towns = run(demo_con, "applications_by_agency", kinds=["乡"])
    assert set(towns["kind"]) == {"乡"}
    one = run(demo_con, "proactive_channels", agencies=["海青乡"])
    assert set(one["agency"]) == {"海青乡"}


# --- chart functions ---------------------------------------------------------------------------------------------

SEED_CHANNELS = pd.DataFrame({"agency": ["海青乡", "海青乡"], "region": [COUNTY, COUNTY], "kind": ["乡", "乡"],
                              "channel": ["微信公众号", "其他方式"],
                              "items": [43, 28], "base": [71, 71], "base_kind": ["信息总数", "信息总数"],
                              "share": [43 / 71, 28 / 71]})


def test_channel_bars_of_the_seed():
    fig = charts.channel_bars(SEED_CHANNELS)
    assert [t.name for t in fig.data] == ["微信公众号", "其他方式"]
    assert [list(t.x) for t in fig.data] == [[43], [28]]
    assert [list(c) for c in fig.data[0].customdata] == [["海青乡", COUNTY]]
    assert fig.layout.title.text == "主动公开信息条数（按公开渠道）" and fig.layout.title.subtitle.text == "共 1 个单位"
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert fig.layout.legend.title.text == "公开渠道"
    assert charts.channel_bars(SEED_CHANNELS, 2020).layout.title.text == "2020年 主动公开信息条数（按公开渠道）"


def test_agency_charts_keep_namesakes_of_two_counties_apart_and_show_the_largest():
    """Every county has a 城关镇: at a wider scope each gets its own bar, labelled with its county, and a
    click opens the right one; beyond chart_functions.TOP agencies a chart shows the largest and says so."""
    other = COUNTY.rsplit("/", 1)[0] + "/邻县"
    two = pd.concat([SEED_CHANNELS, SEED_CHANNELS.assign(region=other, items=[1, 2])], ignore_index=True)
    fig = charts.channel_bars(two)
    assert list(fig.data[0].y) == ["海青乡（邻县）", f"海青乡（{COUNTY.rsplit('/', 1)[-1]}）"], "smallest first"
    assert chart_functions.picked_agency([{"customdata": list(fig.data[0].customdata[0])}]) == ("海青乡", other)
    many = pd.DataFrame({"agency": [f"单位{i}" for i in range(chart_functions.TOP + 5)], "region": COUNTY, "channel": "其他方式",
                         "items": range(chart_functions.TOP + 5)})
    fig = charts.channel_bars(many)
    assert len(fig.data[0].y) == chart_functions.TOP and fig.data[0].y[-1] == f"单位{chart_functions.TOP + 4}"
    assert "单位0" not in fig.data[0].y and f"共 {chart_functions.TOP + 5} 个单位" in fig.layout.title.subtitle.text


def test_channel_shares_say_their_base():
    fig = charts.channel_shares(SEED_CHANNELS)
    assert [t.name for t in fig.data] == ["微信公众号", "其他方式"]
    assert fig.data[0].x[0] == pytest.approx(43 / 71)
    assert "分母" in fig.layout.title.subtitle.text and "分母为" in fig.data[0].hovertemplate
    assert list(fig.layout.xaxis.range) == [0, 1] and fig.layout.xaxis.tickformat == ".0%"


def test_sankey_nodes_are_applicants_then_outcomes():
    flow = pd.DataFrame({"applicant": ["自然人", "自然人", "商业企业", "科研机构"],
                         "outcome": ["予以公开", "无法提供", "予以公开", "不予公开"], "applications": [5, 2, 1, 0]})
    fig = charts.applicant_outcome_sankey(flow)
    sankey = fig.data[0]
    assert list(sankey.node.label) == ["自然人", "商业企业", "予以公开", "无法提供"]
    assert list(sankey.link.source) == [0, 0, 1] and list(sankey.link.target) == [2, 3, 2]
    assert list(sankey.link.value) == [5, 2, 1]


def test_outcome_bars_have_the_six_groups_in_outcome_colours(demo_con):
    fig = charts.outcome_bars(run(demo_con, "applications_by_agency").query("not is_summary"))
    assert [t.name for t in fig.data] == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    assert [t.marker.color for t in fig.data] == list(palette.OUTCOMES.values())
    assert "海青乡" not in list(fig.data[0].y), "agencies without applications are left out"


def test_picked_agency_reads_customdata_or_the_category():
    picked = chart_functions.picked_agency
    assert picked([{"customdata": ["海青乡", 43], "x": 0.6, "y": "海青乡"}]) == ("海青乡", None), "a number is no region"
    assert picked([{"customdata": "柳林乡", "x": 3}]) == ("柳林乡", None)
    assert picked([{"x": 3, "y": "石门镇"}]) == ("石门镇", None)
    assert picked([{"x": 1}, {"customdata": ["甲局", "省/市/县"]}]) == ("甲局", "省/市/县"), "first point naming one"
    assert picked([{"customdata": [12, 40], "x": 2021, "y": 0.3}]) is None, "a share-over-years point names nobody"
    assert picked([]) is None and picked(None) is None


# --- pages under AppTest ------------------------------------------------------------------------------------------

def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def chart_keys(at: AppTest) -> list[str]:
    return [c.key for c in at.get("plotly_chart")]


def chinese_headers(at: AppTest) -> None:
    assert at.dataframe, "no table shown"
    for frame in at.dataframe:
        for column in frame.value.columns:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in str(column)) or str(column)[:4].isdigit(), column


@pytest.mark.slow
@pytest.mark.parametrize("year", [2020, 2023])
def test_proactive_page_with_demo_data(demo_con, year):
    at = page("proactive.py")
    at.selectbox(key="filter_year").set_value(year).run()
    assert not at.exception, at.exception
    assert at.title.values == ["主动公开"]
    keys = chart_keys(at)
    assert {"proactive_channels", "proactive_shares", "proactive_share_trend", "proactive_published",
            "proactive_decisions", "proactive_fees"} <= set(keys)
    chinese_headers(at)
    channels = next(d.value for d in at.dataframe if "公开渠道" in d.value.columns and "单位" in d.value.columns)
    assert "示例县人民政府" not in set(channels["单位"])
    form = "2019年版表格" if year == 2020 else "2021年版表格"
    assert any(form in m.value for m in at.markdown)
    if year == 2020:
        seed = channels[channels["单位"] == "海青乡"]
        assert seed[["公开渠道", "信息条数（条）"]].values.tolist() == [["微信公众号", 43], ["其他方式", 28]]


@pytest.mark.slow
def test_proactive_page_filtered_to_townships(demo_con):
    at = page("proactive.py")
    at.multiselect(key="filter_kinds").set_value(["乡"]).run()
    assert not at.exception, at.exception
    channels = next(d.value for d in at.dataframe if "公开渠道" in d.value.columns and "单位" in d.value.columns)
    assert set(channels["类型"]) == {"乡"}


@pytest.mark.slow
@pytest.mark.parametrize("year", [2020, 2024])
def test_applications_page_with_demo_data(demo_con, year):
    at = page("applications.py")
    at.selectbox(key="filter_year").set_value(year).run()
    assert not at.exception, at.exception
    assert at.title.values == ["依申请公开"]
    assert {"applications_received", "applications_outcomes", "applications_flow", "applications_rates",
            "applications_applicants", "applications_trend", "applications_rate_trend"} <= set(chart_keys(at))
    chinese_headers(at)
    rates = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    small = rates[rates["办理结果总计（分母，件）"] < 5]
    assert small["排名"].isna().all() and (small["说明"] != "").all()
    assert [m.label for m in at.metric] == ["本年新收", "上年结转", "办理结果总计", "结转下年度继续办理"]
    assert any("C1" in w.value for w in at.warning), "the planted carry-over break is shown"


@pytest.mark.slow
def test_applications_page_for_one_agency(demo_con):
    at = page("applications.py")
    at.multiselect(key="filter_agencies").set_value(["示例县自然资源局"]).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "本年新收" in d.value.columns and "单位" in d.value.columns)
    assert table["单位"].tolist() == ["示例县自然资源局"]


@pytest.mark.parametrize("name", ["proactive.py", "applications.py"])
def test_pages_on_an_empty_database(db_file, name):
    at = page(name)
    assert any("所选范围内没有数据" in i.value for i in at.info)
    assert not at.get("plotly_chart")
