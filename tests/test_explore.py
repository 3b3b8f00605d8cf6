"""数据探索 under AppTest and the pure pivot: the pivot builder and the read-only SQL console."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure import charts, db, demo, pivot, sql

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

def test_pivot_default_renders(con):
    demo.build(con)
    at = page()
    assert at.title.values == ["数据探索"]
    assert at.selectbox(key="explore_rows").value == "单位"
    assert at.selectbox(key="explore_columns").value == "年度"
    table = pivot_table(at)
    assert table.columns[0] == "单位" and "2020年" in table.columns
    assert [c.key for c in at.get("plotly_chart")] == ["explore_chart"]
    assert {"explore_download_csv", "explore_download_xlsx"} <= {b.key for b in at.get("download_button")}
    expected = sql.run(con, "explore_figure_long", figure="published", **SCOPE)
    haiqing = expected[(expected["agency"] == "海青乡") & (expected["year"] == 2020)]["value"].sum()
    assert table.set_index("单位").loc["海青乡", "2020年"] == haiqing == 71


def test_changing_the_aggregation_and_layout(con):
    demo.build(con)
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
    at.selectbox(key="explore_metric").set_value("metric:s1.channel.wechat").run()
    assert not at.exception, at.exception
    wechat = sql.run(con, "explore_metric_long", metric="s1.channel.wechat", **SCOPE)
    assert pivot_table(at).set_index("单位类型")["最大"].to_dict() == wechat.groupby("kind")["value"].max().to_dict()


def test_rate_as_a_heatmap_by_kind_and_year(con):
    demo.build(con)
    at = page()
    at.selectbox(key="explore_metric").set_value("figure:disclosure_rate").run()
    at.radio(key="explore_aggregation").set_value("平均").run()
    at.selectbox(key="explore_rows").set_value("单位类型").run()
    assert not at.exception, at.exception
    table = pivot_table(at)
    assert table.columns[0] == "单位类型" and table.iloc[:, 1:].stack().dropna().between(0, 1).all()


def test_console_runs_a_select(con):
    demo.build(con)
    reports = con.execute("select count(*) from current_reports").fetchone()[0]
    at = run_sql(page(), "select count(*) as n from report_summary")
    assert not at.error
    result = sql_result(at)
    assert result["n"].tolist() == [reports]
    assert any(c.value.startswith("1 行 · 用时") for c in at.caption)


def test_console_refuses_drop_and_the_data_stays(con, db_file):
    demo.build(con)
    before = facts_count(db_file)
    at = run_sql(page(), "drop table facts")
    assert [e.value for e in at.error] and "只允许 SELECT" in at.error[0].value
    assert facts_count(db_file) == before > 0


def test_console_notes_truncation(con):
    demo.build(con)
    at = run_sql(page(), "select * from range(20000)")
    assert any("只显示前 10000 行" in w.value for w in at.warning)
    assert len(sql_result(at)) == 10_000


def test_empty_database_says_so(db_file):
    at = page()
    assert any("还没有报告" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    at = run_sql(at, "select count(*) as n from reports")
    assert sql_result(at)["n"].tolist() == [0]


# --- the pure pivot --------------------------------------------------------------------------------------------

LONG = pd.DataFrame({"agency": ["甲", "甲", "乙", "乙", "丙"], "kind": ["乡", "乡", "镇", "镇", "镇"],
                     "region": ["县"] * 5, "year": [2020, 2021, 2020, 2021, 2021], "value": [1.0, 2.0, 3.0, 5.0, 7.0]})


@pytest.mark.parametrize(("aggregation", "expected"), [
    ("合计", {"乡": 3.0, "镇": 15.0}), ("平均", {"乡": 1.5, "镇": 5.0}), ("最大", {"乡": 2.0, "镇": 7.0}),
    ("最小", {"乡": 1.0, "镇": 3.0}), ("计数", {"乡": 2, "镇": 3})])
def test_pivot_aggregations(aggregation, expected):
    table = pivot.pivot(LONG, "单位类型", pivot.NO_COLUMNS, aggregation)
    assert table.set_index("单位类型")[aggregation].to_dict() == expected


def test_pivot_by_year_leaves_missing_cells_empty():
    table = pivot.pivot(LONG, "单位", "年度", "合计").set_index("单位")
    assert list(table.columns) == ["2020年", "2021年"]
    assert pd.isna(table.loc["丙", "2020年"]) and table.loc["丙", "2021年"] == 7.0
    counts = pivot.pivot(LONG, "单位", "年度", "计数").set_index("单位")
    assert counts.loc["丙", "2020年"] == 0


def test_pivot_refuses_the_same_dimension_twice():
    with pytest.raises(KeyError):
        pivot.pivot(LONG, "单位", "单位", "合计")


def test_figure_is_a_bar_for_one_column_and_a_heatmap_for_several():
    assert pivot.figure(pivot.pivot(LONG, "单位", pivot.NO_COLUMNS, "合计"), "t", "条").data[0].type == "bar"
    heat = pivot.figure(pivot.pivot(LONG, "单位", "年度", "平均"), "t", "")
    assert heat.data[0].type == "heatmap" and list(heat.data[0].x) == ["2020年", "2021年"]


def test_a_pivot_of_many_rows_charts_the_largest_and_keeps_namesakes_apart():
    """A province's 20,000 agencies would make a chart no browser draws: the chart keeps the 30 largest rows."""
    long = pd.DataFrame({"agency": [f"单位{i}" for i in range(45)] + ["城关镇", "城关镇"],
                         "region": ["省/市/甲县"] * 45 + ["省/市/甲县", "省/市/乙县"], "kind": "部门", "year": 2024,
                         "value": [float(i) for i in range(45)] + [100.0, 200.0]})
    table = pivot.pivot(charts.labelled(long), "单位", pivot.NO_COLUMNS, "合计")
    assert {"城关镇（甲县）", "城关镇（乙县）"} <= set(table["单位"]) and len(table) == 47
    fig = pivot.figure(table, "测试", "条")
    assert len(fig.data[0].y) == charts.TOP and "共 47 个单位" in fig.layout.title.text
    assert "单位0" not in fig.data[0].y and fig.data[0].y[-1] == "城关镇（乙县）"
