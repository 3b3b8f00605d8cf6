"""趋势对比: any metric of the form or a derived one across years and agencies, and agencies side by side."""
import streamlit as st

from disclosure import charts, ui
from disclosure import charts_trends as ct

st.title("趋势对比")
ui.page_start()
filters = ui.filters()
if not filters.region:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
params = filters.params()
st.caption(f"{filters.region} · {filters.year_from}–{filters.year_to}年 · 县级汇总报告（汇总）不列入")

choices = ui.query("trends_metric_choices")
left, right = st.columns([1, 2])
section = left.selectbox("指标分组", list(dict.fromkeys(choices["section"])), key="trends_section")
in_section = choices[choices["section"] == section].set_index("metric")
metric = right.selectbox("指标", in_section.index.tolist(), key="trends_metric",
                         format_func=lambda code: in_section.loc[code, "header"])
chosen = in_section.loc[metric]
series = ui.query("trends_series", **params, metric=metric)
if series.empty:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
series = charts.labelled(series)  # below, `agency` names one agency even where counties share a name
place = series.drop_duplicates("agency").set_index("agency")[["name", "region"]]

names = sorted(series["agency"].unique())
default = [a for a in filters.agencies if a in names] or ct.top_agencies(series, 5)
agencies = st.multiselect("单位（默认：侧栏所选单位，或该指标均值最高的 5 个单位）", names, default=default,
                          key="trends_agencies")
if not agencies:
    st.info("请至少选择一个单位。")
    st.stop()
style = st.radio("图形", ["折线图", "柱状图"], horizontal=True, key="trends_style")
fig = ct.metric_trend(series, agencies, chosen["header"], chosen["unit"], bool(chosen["is_rate"]),
                      "bar" if style == "柱状图" else "line")
event = st.plotly_chart(fig, key="trends_chart", on_select="rerun", selection_mode="points")
ui.open_chart_pick(event, filters.region)
if metric.startswith("s3.other."):
    st.caption("2021 版表格的（六）其他处理 = 三行 其他处理 之和（三行都填写时才计算）。")
st.caption("某年度报告的表格版本没有该项时显示为空缺，不按 0 计。")

st.subheader("同比变化")
st.caption("同比 = （本年 − 上年）÷ 上年；上年为 0 或缺失时留空。")
yoy = ct.yoy_table(series, agencies)
percent = st.column_config.NumberColumn(format="percent")
yoy_event = st.dataframe(yoy, hide_index=True, key="trends_yoy", on_select="rerun", selection_mode="single-row",
                         column_config={c: percent for c in yoy.columns if c != "单位"})
ui.download_buttons(yoy, f"同比-{chosen['header']}", "trends_yoy_download")
values = series[series["agency"].isin(agencies)].drop(columns="agency").rename(columns={
    "name": "单位",
    "kind": "类型", "region": "地区", "year": "年度", "version": "表格版本", "value": chosen["header"],
    "previous": "上年", "yoy": "同比"})
with st.expander("数值明细"):
    st.dataframe(values, hide_index=True, key="trends_values",
                 column_config={"同比": percent, "年度": st.column_config.NumberColumn(format="%d")})
    ui.download_buttons(values, f"趋势-{chosen['header']}", "trends_values_download")
if yoy_event.selection.rows:
    ui.open_agency(*place.loc[yoy.iloc[yoy_event.selection.rows[0]]["单位"]])

st.subheader(f"单位对比（{filters.year}年）")
in_year = sorted(series.loc[series["year"] == filters.year, "agency"].unique()) or names
wanted = [a for a in agencies if a in in_year][:5] or in_year[:2]
compare = st.multiselect("选择 2–5 个单位", in_year, default=wanted, max_selections=5, key="trends_compare")
if len(compare) < 2:
    st.info("请选择 2–5 个单位进行对比。")
else:
    cells = ui.query("trends_compare", **{**params, "agencies": sorted(set(place.loc[compare, "name"]))})
    cells = charts.labelled(cells)
    cells = cells[cells["agency"].isin(compare)]
    if cells.empty:
        st.info("所选单位在该年度没有报告。")
    else:
        table = ct.compare_table(cells, compare)
        st.dataframe(table, hide_index=True, key="trends_compare_table", height=600)
        ui.download_buttons(table, f"单位对比-{filters.year}", "trends_compare_download")
