"""数据探索 under AppTest and the pure pivot: the pivot builder and the read-only SQL console."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import charts, pivot
from disclosure.store import db, sql

ROOT = Path(__file__).parent.parent
SCOPE = {"region": "示例省/示例市/示例县", "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": [],
         "with_summary": False}


def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def pivot_table(at: AppTest) -> pd.DataFrame:
    """A read-only st.dataframe has no element id under AppTest: the pivot is the table led by a dimension."""
    return next(d.value for d in at.dataframe if d.value.columns[0] in pivot.DIMENSIONS)


def sql_result(at: AppTest) -> pd.DataFrame:
    """The console's result is the page's last table."""
    return at.dataframe[-1].value


def facts_count(db_file: Path) -> int:
    con = db.connect(db_file)
    try:
        return con.execute("select count(*) from facts").fetchone()[0]
    finally:
        con.close()


def run_sql(at: AppTest, text: str) -> AppTest:
    at.text_area(key="explore_sql").input(text).run()
    at.button(key="explore_run").click().run()
    assert not at.exception, at.exception
    return at


# --- the page --------------------------------------------------------------------------------------------------

@pytest.mark.demo
def test_pivot_default_renders(con):
    at = page()
    assert at.title.values == ["数据探索"]
    assert at.selectbox(key="explore_rows").value == "单位"
    assert at.selectbox(key="explore_columns").value == "年度"
    table = pivot_table(at)
    assert table.columns[0] == "单位" and "2020年" in table.columns
    assert [c.key for c in at.get("plotly_chart")] == ["explore_chart"]
    assert {"explore_table_download_csv", "explore_table_download_xlsx"} <= {b.key for b in at.get("download_button")}
    expected = sql.run(con, "explore_figure_long", figure="published", **SCOPE)
    haiqing = expected[(expected["agency"] == "海青乡") & (expected["year"] == 2020)]["value"].sum()
    assert table.set_index("单位").loc["海青乡", "2020年"] == haiqing == 71
    assert all(pd.api.types.is_integer_dtype(table[c]) for c in table.columns[1:]), "counts: no 71.0"


@pytest.mark.demo
def test_changing_the_aggregation_and_layout(con):
    at = page()
    at.radio(key="explore_aggregation").set_value("计数").run()
    at.selectbox(key="explore_rows").set_value("单位类型").run()
    at.selectbox(key="explore_columns").set_value("不分列").run()
    assert not at.exception, at.exception
    table = pivot_table(at)
    assert list(table.columns) == ["单位类型", "计数"]
    reports = sql.run(con, "explore_figure_long", figure="published", **SCOPE)
    assert table["计数"].sum() == len(reports)

    at.radio(key="explore_aggregation").set_value("最大").run()
    at.selectbox(key="explore_metric").set_value("s1.channel.wechat").run()
    assert not at.exception, at.exception
    wechat = sql.run(con, "explore_metric_long", metric="s1.channel.wechat", **SCOPE)
    assert pivot_table(at).set_index("单位类型")["最大"].to_dict() == wechat.groupby("kind")["value"].max().to_dict()


@pytest.mark.demo
def test_rate_as_a_heatmap_by_kind_and_year(con):
    at = page()
    at.radio(key="explore_aggregation").set_value("合计").run()
    at.selectbox(key="explore_metric").set_value("disclosure_rate").run()
    assert not at.exception, at.exception
    assert at.radio(key="explore_aggregation").value == pivot.POOLED, "合计 is not offered for a ratio"
    at.selectbox(key="explore_rows").set_value("单位类型").run()
    assert not at.exception, at.exception
    table = pivot_table(at)
    assert table.columns[0] == "单位类型" and table.iloc[:, 1:].drop(columns=pivot.NOTE, errors="ignore").stack() \
        .dropna().between(0, 1).all()
    long = sql.run(con, "explore_figure_long", figure="disclosure_rate", **SCOPE)
    town = long[(long["kind"] == "镇") & (long["year"] == 2021)]
    assert table.set_index("单位类型").loc["镇", "2021年"] == pytest.approx(
        town["numerator"].sum() / town["denominator"].sum())
    chart = at.get("plotly_chart")[0].proto.spec
    assert '"tickformat":".0%"' in chart.replace(" ", "") and "%{z:.1%}" in chart
    assert any(e.label.startswith("各格的分子") for e in at.expander)


@pytest.mark.demo
def test_the_pivot_controls_are_in_the_url(con):
    at = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=60)
    at.query_params.update({"metric": "review_rate", "agg": "最大", "rows": "年度", "cols": "不分列",
                            "summary": "1"})
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="explore_metric").value == "review_rate"
    assert at.radio(key="explore_aggregation").value == "最大"
    assert (at.selectbox(key="explore_rows").value, at.selectbox(key="explore_columns").value) == ("年度", "不分列")
    assert at.checkbox(key="explore_with_summary").value is True
    assert list(pivot_table(at).columns[:2]) == ["年度", "最大"]
    at.selectbox(key="explore_metric").set_value("published").run()
    assert at.radio(key="explore_aggregation").value == "最大", "最大 fits a count too"
    assert at.query_params["metric"] == "published"


@pytest.mark.demo
def test_a_link_asking_for_a_sum_of_a_rate_gets_the_pooled_rate(con):
    at = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=60)
    at.query_params.update({"metric": "disclosure_rate", "agg": "合计"})
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="explore_aggregation").value == pivot.POOLED
    assert pivot_table(at).iloc[:, 1:].select_dtypes("number").stack().max() <= 1


@pytest.mark.demo
def test_console_runs_a_select(con):
    reports = con.execute("select count(*) from current_reports").fetchone()[0]
    at = run_sql(page(), "select count(*) as n from report_summary")
    assert not at.error
    result = sql_result(at)
    assert result["n"].tolist() == [reports]
    assert any(c.value.startswith("1 行 · 用时") for c in at.caption)


@pytest.mark.parametrize(("text", "kind", "english"), [
    ("selec * form facts", "SQL 语法错误", "syntax error"),
    ("select no_such_column from report_summary", "找不到所写的列", "no_such_column"),
    ("select agency + 1 from report_summary", "类型不匹配", "argument types"),
    ("select cast('abc' as integer)", "类型不匹配", "Could not convert"),
])
@pytest.mark.slow
def test_console_errors_are_chinese_with_the_original_in_an_expander(con, text, kind, english):
    at = run_sql(page(), text)
    assert [e.value for e in at.error] and at.error[0].value.startswith(kind), at.error[0].value
    assert english not in at.error[0].value
    assert [e.label for e in at.expander] == ["原始错误信息"]
    assert english in at.code[0].value and not [m for m in at.markdown if english in m.value]


@pytest.mark.demo
def test_console_refuses_drop_and_the_data_stays(con, db_file):
    before = facts_count(db_file)
    at = run_sql(page(), "drop table facts")
    assert [e.value for e in at.error] and "只允许 SELECT" in at.error[0].value
    assert facts_count(db_file) == before > 0


@pytest.mark.demo
def test_console_notes_truncation(con):
    at = run_sql(page(), "select * from range(20000)")
    assert any("只显示前 10000 行" in w.value for w in at.warning)
    assert len(sql_result(at)) == 10_000


def test_console_refusal_names_the_table_as_plain_text(con):
    at = run_sql(page(), 'select * from "**x**[a](y)"')
    shown = at.error[0].value  # Markdown would make bold text and a link of it; escaped, it reads as typed
    assert shown.startswith(r"找不到所写的表或视图 \*\*x\*\*\[a\]\(y\)："), shown
    assert not at.expander, "the sandbox refused it: DuckDB never ran it, so there are no words of DuckDB's to show"


@pytest.mark.demo
def test_console_result_over_the_byte_cap_keeps_nothing(con, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_CONSOLE_MAX_MB", "1")
    at = run_sql(page(), "select a.*, b.* from report_facts as a, report_facts as b")
    assert [e.value for e in at.error] and at.error[0].value.startswith("查询结果太大"), [e.value for e in at.error]
    assert "超过上限 1 MB" in at.error[0].value
    assert at.session_state["explore_result"].frame is None
    assert all(d.value.columns[0] in pivot.DIMENSIONS for d in at.dataframe), "no result table"


def test_empty_database_says_so(db_file):
    at = page()
    assert any("还没有报告" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    at = run_sql(at, "select count(*) as n from reports")
    assert sql_result(at)["n"].tolist() == [0]


# --- the pure pivot --------------------------------------------------------------------------------------------

LONG = pd.DataFrame({"agency": ["甲", "甲", "乙", "乙", "丙"], "kind": ["乡", "乡", "镇", "镇", "镇"],
                     "region": ["县"] * 5, "year": [2020, 2021, 2020, 2021, 2021], "value": [1.0, 2.0, 3.0, 5.0, 7.0],
                     "numerator": [None] * 5, "denominator": [None] * 5})


@pytest.mark.parametrize(("aggregation", "expected"), [
    ("合计", {"乡": 3, "镇": 15}), ("平均", {"乡": 1.5, "镇": 5.0}), ("最大", {"乡": 2, "镇": 7}),
    ("最小", {"乡": 1, "镇": 3}), ("计数", {"乡": 2, "镇": 3})])
def test_pivot_aggregations(aggregation, expected):
    table = pivot.pivot(LONG, "单位类型", pivot.NO_COLUMNS, aggregation).table
    assert table.set_index("单位类型")[aggregation].to_dict() == expected


def test_pivot_by_year_leaves_missing_cells_empty():
    table = pivot.pivot(LONG, "单位", "年度", "合计").table.set_index("单位")
    assert list(table.columns) == ["2020年", "2021年"]
    assert pd.isna(table.loc["丙", "2020年"]) and table.loc["丙", "2021年"] == 7
    assert str(table["2021年"].dtype) == "Int64", "whole numbers stay integers beside a blank"
    counts = pivot.pivot(LONG, "单位", "年度", "计数").table.set_index("单位")
    assert counts.loc["丙", "2020年"] == 0


def test_pivot_refuses_the_same_dimension_twice():
    with pytest.raises(KeyError):
        pivot.pivot(LONG, "单位", "单位", "合计")


RATES = pd.DataFrame({"agency": ["甲", "乙", "甲"], "kind": ["乡", "乡", "乡"], "region": ["县"] * 3,
                      "year": [2020, 2020, 2021], "numerator": [1.0, 99.0, 0.0], "denominator": [2.0, 100.0, 2.0],
                      "value": [0.5, 0.99, 0.0]})


def test_a_ratio_is_pooled_and_its_extremes_are_one_report_each():
    rate = pivot.ratio_of("disclosure_rate")
    pooled = pivot.pivot(RATES, "单位", pivot.NO_COLUMNS, pivot.POOLED, rate).table.set_index("单位")
    assert pooled.loc["甲", "公开率"] == 1 / 4 and pooled.loc["甲", pivot.REPORTS] == 2
    assert "不足5" in pooled.loc["甲", pivot.NOTE] and pooled.loc["乙", pivot.NOTE] == ""
    highest = pivot.pivot(RATES, "单位类型", pivot.NO_COLUMNS, "最大", rate)
    assert highest.table["最大"].tolist() == [0.99] and highest.parts.iloc[0].tolist() == [99, 100, 3]
    assert pivot.pivot(RATES, "单位类型", pivot.NO_COLUMNS, "计数", rate).table["计数"].tolist() == [3]
    with pytest.raises(ValueError):
        pivot.pivot(RATES, "单位类型", pivot.NO_COLUMNS, "平均", rate)


def test_figure_is_a_bar_for_one_column_and_a_heatmap_for_several():
    assert pivot.figure(pivot.pivot(LONG, "单位", pivot.NO_COLUMNS, "合计"), "t", "条").data[0].type == "bar"
    heat = pivot.figure(pivot.pivot(LONG, "单位", "年度", "平均"), "t", "")
    assert heat.data[0].type == "heatmap" and list(heat.data[0].x) == ["2020年", "2021年"]


def test_a_pivot_of_many_rows_charts_the_largest_and_keeps_namesakes_apart():
    """A province's 20,000 agencies would make a chart no browser draws: the chart keeps the 30 largest rows."""
    long = pd.DataFrame({"agency": [f"单位{i}" for i in range(45)] + ["城关镇", "城关镇"],
                         "region": ["省/市/甲县"] * 45 + ["省/市/甲县", "省/市/乙县"], "kind": "部门", "year": 2024,
                         "value": [float(i) for i in range(45)] + [100.0, 200.0]})
    result = pivot.pivot(charts.labelled(long), "单位", pivot.NO_COLUMNS, "合计")
    assert {"城关镇（甲县）", "城关镇（乙县）"} <= set(result.table["单位"]) and len(result.table) == 47
    fig = pivot.figure(result, "测试", "条")
    assert len(fig.data[0].y) == charts.TOP and "共 47 个单位" in fig.layout.title.text
    assert "单位0" not in fig.data[0].y and fig.data[0].y[-1] == "城关镇（乙县）"


def test_a_ratio_chart_of_many_rows_keeps_the_largest_denominators():
    long = pd.DataFrame({"agency": [f"单位{i}" for i in range(40)], "region": "县", "kind": "部门", "year": 2024,
                         "numerator": [1.0] * 40, "denominator": [float(i + 1) for i in range(40)]})
    long["value"] = long["numerator"] / long["denominator"]
    fig = pivot.figure(pivot.pivot(long, "单位", pivot.NO_COLUMNS, pivot.POOLED, pivot.ratio_of("disclosure_rate")),
                       "公开率", "%")
    assert len(fig.data[0].y) == charts.TOP and "单位0" not in fig.data[0].y and "单位39" in fig.data[0].y
    assert "分母之和最大" in fig.layout.title.text
