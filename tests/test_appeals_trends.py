"""复议诉讼 and 趋势对比: chart functions, golden rows of their queries on the demo data, both pages under AppTest."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import charts_trends as ct
from disclosure.present import palette
from disclosure.store import sql

ROOT = Path(__file__).parent.parent
COUNTY = "示例省/示例市/示例县"
FILTERS = {"region": COUNTY, "year": 2023, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": []}


def stated(con, statement: str, **params) -> pd.DataFrame:
    return con.execute(statement, params).df()


# --- chart functions -------------------------------------------------------------------------------------------

OUTCOMES = pd.DataFrame({
    "agency": ["甲局", "甲局", "甲局", "乙乡", "乙乡", "丙镇"],
    "region": [COUNTY] * 6,
    "block": ["行政复议", "行政复议", "行政诉讼·复议后起诉", "行政复议", "行政复议", "行政复议"],
    "outcome": ["结果维持", "结果纠正", "尚未审结", "结果维持", "结果纠正", "结果维持"],
    "cases": [2, 1, 1, 0, 0, 0],
})


def test_appeal_blocks_stack_the_four_outcomes_per_block():
    fig = ct.appeal_blocks(OUTCOMES)
    assert [t.name for t in fig.data] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert list(fig.data[0].x) == list(ct.BLOCKS)
    assert fig.data[1].y[0] == 1 and fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "案件类别" and fig.layout.yaxis.title.text == "案件数（件）"
    assert "件" in fig.data[0].hovertemplate


def test_appeal_agencies_leave_out_agencies_without_cases_and_carry_the_drill_down():
    fig = ct.appeal_agencies(OUTCOMES)
    assert list(fig.data[0].y) == ["甲局"]
    assert [list(c) for c in fig.data[0].customdata] == [["甲局", COUNTY]]
    assert fig.layout.yaxis.title.text == "单位" and fig.layout.xaxis.title.text == "案件数（件）"
    only_review = ct.appeal_agencies(OUTCOMES, "行政复议")
    assert only_review.data[3].x[0] != only_review.data[3].x[0], "no 尚未审结 in 行政复议 for 甲局: a gap"
    assert "行政复议" in only_review.layout.title.text


def test_appeal_trend_has_three_blocks_and_the_intensity_line():
    trend = pd.DataFrame({"year": [2022, 2023], "review_total": [1, 2], "suit_direct_total": [0, 1],
                          "suit_after_review_total": [0, 0], "intensity": [0.1, 0.2]})
    fig = ct.appeal_trend(trend)
    assert [t.name for t in fig.data] == [*ct.BLOCKS, "复议诉讼强度（右轴）"]
    assert fig.data[-1].yaxis == "y2"
    assert fig.layout.xaxis.title.text == "年度" and fig.layout.yaxis2.tickformat == ".0%"
    assert list(fig.layout.yaxis2.range) == [0, pytest.approx(0.22)], "from 0, not from the smallest year"
    assert fig.layout.legend.yref == "container" and fig.layout.legend.orientation == "h", "not over the right axis"


SERIES = pd.DataFrame({
    "agency": ["甲局", "甲局", "甲局", "乙乡", "乙乡"],
    "region": [COUNTY] * 5,
    "year": [2020, 2021, 2022, 2020, 2022],
    "value": [10.0, 0.0, 5.0, 3.0, 4.0],
    "yoy": [None, -1.0, None, None, None],
})


def test_agencies_of_one_colour_on_one_chart_keep_it_and_differ_by_dash_or_pattern():
    names = [f"白湖县单位{i}" for i in range(30)]
    twins = [n for n in names if palette.agency(n) == palette.agency(names[0])][:2]
    assert len(twins) == 2, "the case this is about"
    series = SERIES.assign(agency=SERIES["agency"].map({"乙乡": twins[0], "甲局": twins[1]}))
    lines = ct.metric_trend(series, twins, "新收申请量", "件", False)
    assert lines.data[0].line.color == lines.data[1].line.color == palette.agency(twins[0])
    assert (lines.data[0].line.dash, lines.data[1].line.dash) == ("solid", "dash")
    bars = ct.metric_trend(series, twins, "新收申请量", "件", False, "bar")
    assert bars.data[0].marker.pattern.shape != bars.data[1].marker.pattern.shape


@pytest.mark.parametrize("style", ["line", "bar"])
def test_metric_trend_one_trace_per_agency_in_its_colour_with_gaps(style):
    fig = ct.metric_trend(SERIES, ["乙乡", "甲局"], "新收申请量", "件", False, style)
    assert [t.name for t in fig.data] == ["乙乡", "甲局"]
    assert [t.type for t in fig.data] == ["scatter" if style == "line" else "bar"] * 2
    colours = [t.line.color if style == "line" else t.marker.color for t in fig.data]
    assert colours == [palette.agency("乙乡"), palette.agency("甲局")]
    assert list(fig.data[0].x) == [2020, 2021, 2022]
    assert math.isnan(fig.data[0].y[1]), "乙乡 has no 2021 value: a gap, not 0"
    assert fig.layout.yaxis.title.text == "新收申请量（件）" and fig.layout.xaxis.title.text == "年度"
    assert list(fig.data[1].customdata[0]) == ["甲局", COUNTY]


def test_metric_trend_of_a_rate_is_in_percent():
    rates = SERIES.assign(value=SERIES["value"] / 20)
    fig = ct.metric_trend(rates, ["甲局"], "公开率", "", True)
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.yaxis.title.text == "公开率"
    assert list(fig.layout.yaxis.range) == [0, pytest.approx(0.55)]
    assert "%{y:.1%}" in fig.data[0].hovertemplate


def test_metric_trend_says_whether_it_shows_the_highest_or_a_choice():
    highest = ct.metric_trend(SERIES, ct.top_agencies(SERIES, 1), "新收申请量", "件", False, year=2022)
    assert highest.layout.title.subtitle.text.startswith("图中为2022年该指标最高的 1 个单位（共 2 个）")
    chosen = ct.metric_trend(SERIES, ["乙乡"], "新收申请量", "件", False, year=2022)
    assert chosen.layout.title.subtitle.text == "图中为所选的 1 个单位（共 2 个）"
    assert ct.top_agencies(SERIES, 2, 2021) == ["甲局", "乙乡"], "乙乡 has no 2021 value: after those that have"


def test_tables_and_helpers():
    assert ct.top_agencies(SERIES, 1) == ["甲局"]
    yoy = ct.yoy_table(SERIES, ["甲局", "乙乡"])
    assert yoy.columns.tolist() == ["单位", "2020年", "2021年", "2022年"]
    assert yoy.set_index("单位").loc["甲局", "2021年"] == -1.0
    assert yoy.set_index("单位").isna().sum().sum() == 5
    cells = pd.DataFrame({"display_order": [2, 1, 1], "section": ["一", "一", "一"], "header": ["乙", "甲", "甲"],
                          "unit": ["条"] * 3, "agency": ["A", "A", "B"], "value": [1.0, 2.0, 3.0]})
    table = ct.compare_table(cells, ["B", "A"])
    assert table.columns.tolist() == ["部分", "指标", "计量单位", "B", "A"]
    assert table["指标"].tolist() == ["甲", "乙"] and math.isnan(table.loc[1, "B"])


# --- queries on the demo data ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["appeals_outcomes", "appeals_rates", "appeals_by_agency", "appeals_trend",
                                  "trends_metric_choices", "trends_series"])
def test_queries_run_on_demo_data(demo_con, name):
    assert not sql.run(demo_con, name, **FILTERS, metric="s3.new.total").empty


def test_correction_rate_denominator_is_total_minus_pending_without_the_summary_report(demo_con):
    rates = sql.run(demo_con, "appeals_rates", **FILTERS).set_index("block")
    assert rates.index.tolist() == list(ct.BLOCKS)
    cells = stated(demo_con, """
        select split_part(metric, '.', 3) as outcome, sum(value) as v from report_facts
        where year = 2023 and kind <> '汇总' and starts_with(metric, 's4.review.') group by all""")
    cells = cells.set_index("outcome")["v"]
    review = rates.loc["行政复议"]
    assert review["total"] == cells["total"] and review["decided"] == cells["total"] - cells["pending"]
    assert review["correction_rate"] == pytest.approx(cells["corrected"] / (cells["total"] - cells["pending"]))
    assert (review["decided"], review["corrected"]) == (12, 1)
    assert rates["small_base"].tolist() == [d < 5 for d in rates["decided"]]
    by_agency = sql.run(demo_con, "appeals_by_agency", **FILTERS)
    assert "汇总" not in set(by_agency["kind"])
    assert by_agency["review_total"].sum() == review["total"]


def test_intensity_is_cases_over_new_applications(demo_con):
    by_agency = sql.run(demo_con, "appeals_by_agency", **FILTERS).set_index("agency")
    row = by_agency.loc["示例县住房和城乡建设局"]
    assert row["appeals"] == row["review_total"] + row["suit_direct_total"] + row["suit_after_review_total"]
    assert row["intensity"] == pytest.approx(row["appeals"] / row["new_applications"])
    assert by_agency.loc["示例县住房和城乡建设局", "corrected"] == 2
    trend = sql.run(demo_con, "appeals_trend", **FILTERS).set_index("year")
    assert trend.index.tolist() == list(range(2019, 2026))
    assert trend.loc[2023, "appeals"] == by_agency["appeals"].sum()
    assert trend.loc[2023, "intensity"] == pytest.approx(by_agency["appeals"].sum() / by_agency["new_applications"].sum())


def test_other_handling_of_a_2021_report_is_the_sum_of_its_three_rows(demo_con):
    series = sql.run(demo_con, "trends_series", **FILTERS, metric="s3.other.total")
    parts = stated(demo_con, """
        select agency, year, sum(value) as v from report_facts
        where version = '2021' and kind <> '汇总'
          and metric in ('s3.other_no_correction.total', 's3.other_no_fee.total', 's3.other_misc.total')
        group by all having count(*) = 3""")
    got = series[series["version"] == "2021"].set_index(["agency", "year"])["value"]
    want = parts.set_index(["agency", "year"])["v"]
    assert len(want) > 50 and got.sort_index().to_dict() == want.sort_index().to_dict()
    old = series[series["version"] == "2019"].set_index(["agency", "year"])["value"]
    assert old.loc[("海青乡", 2020)] == 0 and len(old) > 20, "2019 reports state s3.other.total themselves"


def test_a_metric_missing_from_a_version_is_missing_not_zero(demo_con):
    fees = sql.run(demo_con, "trends_series", **FILTERS, metric="s2.fees.amount_wan")
    assert not fees.empty and set(fees["version"]) == {"2021"}
    misc = sql.run(demo_con, "trends_series", **FILTERS, metric="s3.other_misc.total")
    assert misc["year"].min() == 2021
    first = misc.sort_values("year").groupby("agency").head(1)
    assert first["previous"].isna().all() and first["yoy"].isna().all()


def test_year_over_year_and_shared_decisions_across_versions(demo_con):
    series = sql.run(demo_con, "trends_series", **FILTERS, metric="s2.licensing.decisions")
    own = series[series["agency"] == "示例县自然资源局"].set_index("year")
    assert own.index.tolist() == list(range(2019, 2026)), "decisions form one series across 2020→2021"
    for year in range(2020, 2026):
        before, now = own.loc[year - 1, "value"], own.loc[year, "value"]
        assert own.loc[year, "previous"] == before
        assert own.loc[year, "yoy"] == pytest.approx((now - before) / before)
    rates = sql.run(demo_con, "trends_series", **FILTERS, metric="derived.review_rate")
    zero_before = rates[rates["previous"] == 0]
    assert not zero_before.empty and zero_before["yoy"].isna().all(), "blank where t−1 is 0"


def test_derived_metrics_match_the_report_summary(demo_con):
    choices = sql.run(demo_con, "trends_metric_choices")
    derived = choices[choices["section"] == "派生指标"]
    assert {"新收申请量", "公开率", "行政复议纠错率", "复议诉讼总数", "主动公开信息总数", "不予公开合计"} <= set(derived["header"])
    assert len(choices) == len(derived) + stated(demo_con, "select count(*) as n from metrics")["n"].iloc[0]
    summary = stated(demo_con, "select agency, year, new_applications, disclosure_rate from report_summary "
                               "where kind <> '汇总' and year between 2019 and 2025")
    for key, column in (("derived.new_applications", "new_applications"), ("derived.disclosure_rate", "disclosure_rate")):
        got = sql.run(demo_con, "trends_series", **FILTERS, metric=key).set_index(["agency", "year"])["value"]
        want = summary.dropna(subset=[column]).set_index(["agency", "year"])[column]
        assert got.sort_index().round(9).to_dict() == want.sort_index().round(9).to_dict()
    for key in derived["metric"]:
        assert not sql.run(demo_con, "trends_series", **FILTERS, metric=key).empty, key


def test_compare_lists_stated_cells_of_the_chosen_agencies(demo_con):
    cells = sql.run(demo_con, "trends_compare", **{**FILTERS, "agencies": ["城关镇", "示例县自然资源局"]})
    assert set(cells["agency"]) == {"城关镇", "示例县自然资源局"}
    table = ct.compare_table(cells, ["城关镇", "示例县自然资源局"])
    published = table.set_index("指标").loc["一 主动公开信息总数"]
    want = stated(demo_con, "select agency, value from report_facts where year = 2023 and metric = 's1.published_total' "
                            "and agency in ('城关镇', '示例县自然资源局')").set_index("agency")["value"]
    assert published["城关镇"] == want["城关镇"] and published["示例县自然资源局"] == want["示例县自然资源局"]


# --- pages -----------------------------------------------------------------------------------------------------

def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / name), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[str]:
    return [c.key for c in at.get("plotly_chart")]


def test_appeals_page_with_demo_data(demo_con):
    at = page("pages/appeals.py")
    assert charts(at) == ["appeals_blocks", "appeals_agencies", "appeals_trend"]
    labels = [m.label for m in at.metric]
    assert labels == ["行政复议 纠错率", "直接起诉 纠错率", "复议后起诉 纠错率"], "short enough not to be cut off"
    assert [m.proto.help for m in at.metric] == list(ct.BLOCKS)
    assert any("结果纠正 ÷ 已审结（总计 − 尚未审结）" in c.value for c in at.caption)
    keys = {b.key for b in at.get("download_button")}
    assert {"appeals_rates_table_download_csv", "appeals_trend_table_download_xlsx"} <= keys

    at.selectbox(key="filter_year").set_value(2023).run()
    assert not at.exception, at.exception
    rates = next(d.value for d in at.dataframe if "纠错率" in d.value.columns)
    assert rates.set_index("案件类别").loc["行政复议", "已审结（总计 − 尚未审结）"] == 12
    corrected = next(d.value for d in at.dataframe if "结果纠正合计（件）" in d.value.columns)
    assert "示例县住房和城乡建设局" in set(corrected["单位"])

    at.radio(key="appeals_block").set_value("行政诉讼·复议后起诉").run()
    assert not at.exception, at.exception
    assert "appeals_trend" in charts(at)
    assert at.query_params["block"] == "行政诉讼·复议后起诉", "the block is in the URL"


@pytest.mark.slow
def test_trends_page_with_demo_data_and_changed_selection(demo_con):
    at = page("pages/trends.py")
    assert charts(at) == ["trends_chart"]
    assert at.selectbox(key="trends_metric").value == "derived.new_applications"
    assert len(at.multiselect(key="trends_agencies").value) == 5
    assert any("指标" in d.value.columns for d in at.dataframe), "the side-by-side table"

    at.selectbox(key="trends_section").set_value("三、收到和处理政府信息公开申请情况").run()
    at.selectbox(key="trends_metric").set_value("s3.other.total").run()
    assert not at.exception, at.exception
    at.multiselect(key="trends_agencies").set_value(["示例县自然资源局", "海青乡"]).run()
    at.radio(key="trends_style").set_value("柱状图").run()
    assert not at.exception, at.exception
    assert charts(at) == ["trends_chart"]
    yoy = next(d.value for d in at.dataframe if "单位" in d.value.columns and "2021年" in d.value.columns)
    assert yoy["单位"].tolist() == ["示例县自然资源局", "海青乡"]

    at.multiselect(key="trends_compare").set_value(["城关镇", "示例县自然资源局", "示例县公安局"]).run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "指标" in d.value.columns)
    assert table.columns.tolist()[-3:] == ["城关镇", "示例县自然资源局", "示例县公安局"]


@pytest.mark.parametrize("name", ["pages/appeals.py", "pages/trends.py"])
def test_pages_on_an_empty_database(db_file, name):
    at = page(name)
    assert any("所选范围内没有数据" in i.value for i in at.info)
    assert not at.get("plotly_chart")
