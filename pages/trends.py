"""趋势对比: any metric of the form or a derived one across years and agencies, and agencies side by side."""
import streamlit as st

from disclosure import ui
from disclosure.present import charts
from disclosure.present import charts_trends as ct

_, filters = ui.analysis_page("趋势对比")
params = filters.params()
st.caption(f"{ui.plain(filters.region)} · {filters.year_from}–{filters.year_to}年 · 县级汇总报告（汇总）不列入")



def at_most(key: str, param: str, options: list[str], most: int) -> None:
    """A link may name more agencies than the widget takes (max_selections): the first `most` that exist."""
    asked = [a for a in ui.url_value(param, multi=True) if a in options]
    if key not in st.session_state and len(asked) > most:
        st.session_state[key] = asked[:most]


choices = ui.query("trends_metric_choices")
sections = list(dict.fromkeys(choices["section"]))
asked = ui.url_value("metric")
if "trends_section" not in st.session_state and not ui.url_value("section") and asked in set(choices["metric"]):
    # a link that names only the metric opens the metric's own section
    st.session_state["trends_section"] = choices.set_index("metric").loc[asked, "section"]
left, right = st.columns([1, 2])
with left:
    section = ui.linked(st.selectbox, "指标分组", sections, key="trends_section", param="section")
in_section = choices[choices["section"] == section].set_index("metric")
with right:
    metric = ui.linked(st.selectbox, "指标", in_section.index.tolist(), key="trends_metric", param="metric",
                       format_func=lambda code: in_section.loc[code, "header"])
chosen = in_section.loc[metric]
header, unit, is_rate = chosen["header"], chosen["unit"], bool(chosen["is_rate"])
series = ui.query("trends_series", **params, metric=metric)
if series.empty:
    st.info(f"所选范围内没有数据：{filters.year_from}–{filters.year_to}年所选单位的报告都没有填写「{header}」"
            "（有的栏目只在一个版本的表格中有）。可换一个指标、放宽年份范围，或在「数据上传」页导入。")
    st.stop()
series = charts.labelled(series)  # below, `agency` names one agency even where counties share a name
place = series.drop_duplicates("agency").set_index("agency")[["name", "region"]]

names = sorted(series["agency"].unique())
default = [a for a in filters.agencies if a in names][:charts.MAX_LINES] or ct.top_agencies(series, charts.LINES,
                                                                                             filters.year)
at_most("trends_agencies", "agencies", names, charts.MAX_LINES)
agencies = ui.linked(st.multiselect, f"图中的单位（默认：侧栏所选单位，或{filters.year}年该指标最高的 5 个单位）", names,
                     default=default, key="trends_agencies", param="agencies", max_selections=charts.MAX_LINES,
                     placeholder="选择单位（可输入名称查找）",
                     help=f"一张图最多 {charts.MAX_LINES} 个单位；全部单位的数值见下方「数值明细」。")
if not agencies:
    st.info("请在上方至少选择一个单位。")
    st.stop()
style = ui.linked(st.radio, "图形", ["折线图", "柱状图"], key="trends_style", param="style", horizontal=True)
fig = ct.metric_trend(series, agencies, header, unit, is_rate, "bar" if style == "柱状图" else "line", filters.year)
event = ui.chart(fig, key="trends_chart", name=f"趋势-{header}", on_select="rerun", selection_mode="points")
ui.open_chart_pick(event, filters.region)
if metric.startswith("s3.other."):
    st.caption("2021 版表格的（六）其他处理 = 三行 其他处理 之和（三行都填写时才计算）。")
st.caption("某年度报告的表格版本没有该项时显示为空缺，不按 0 计。")

st.subheader("同比变化")
st.caption("同比 = （本年 − 上年）÷ 上年；上年为 0 或缺失时留空（“—”）。")
yoy = ct.yoy_table(series, agencies)
PERCENT = st.column_config.NumberColumn(format="percent")
YEAR = st.column_config.NumberColumn(format="%d")
yoy_event = ui.table(yoy, key="trends_yoy", name=f"同比-{header}", on_select="rerun", selection_mode="single-row",
                     column_config={c: PERCENT for c in yoy.columns if c != "单位"})
values = series[series["agency"].isin(agencies)].drop(columns="agency").rename(columns={
    "name": "单位",
    "kind": "类型", "region": "地区", "year": "年度", "version": "表格版本", "value": header,
    "previous": "上年", "yoy": "同比"})
with st.expander("数值明细"):
    ui.table(values, key="trends_values", name=f"趋势-{header}",
             column_config={"同比": PERCENT, "年度": YEAR} | ({header: PERCENT, "上年": PERCENT} if is_rate else {}))
if yoy_event.selection.rows:
    ui.open_agency(*place.loc[yoy.iloc[yoy_event.selection.rows[0]]["单位"]])

st.subheader(f"单位对比（{filters.year}年）")
in_year = sorted(series.loc[series["year"] == filters.year, "agency"].unique()) or names
wanted = [a for a in agencies if a in in_year][:5] or in_year[:2]
at_most("trends_compare", "compare", in_year, 5)
compare = ui.linked(st.multiselect, "选择 2–5 个单位", in_year, default=wanted, max_selections=5, key="trends_compare",
                    param="compare")
if len(compare) < 2:
    st.info("请选择 2–5 个单位进行对比。")
else:
    cells = ui.query("trends_compare", **{**params, "agencies": sorted(set(place.loc[compare, "name"]))})
    cells = charts.labelled(cells)
    cells = cells[cells["agency"].isin(compare)]
    if cells.empty:
        st.info(f"所选单位在{filters.year}年没有报告。可在侧栏换一个年度。")
    else:
        table = ct.compare_table(cells, compare)
        ui.table(table, key="trends_compare_table", name=f"单位对比-{filters.year}", height=600)
