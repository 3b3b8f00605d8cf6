"""总览: a region's headline figures for one year, each agency's, and the channel split of section 一."""
import pandas as pd
import streamlit as st

from disclosure import charts, ui

st.title("总览")
ui.demo_notice()
filters = ui.filters()
if not filters.region:
    st.info("数据库中还没有报告。可在「数据上传」页导入 CSV / Excel 文件。")
    st.stop()
st.caption(f"{filters.region} · {filters.year}年 · 县级汇总报告（汇总）不计入合计")

kpis = ui.query("overview_kpis", **filters.params()).set_index("year")
this = kpis.loc[filters.year] if filters.year in kpis.index else None
last = kpis.loc[filters.year - 1] if filters.year - 1 in kpis.index else None


def kpi(column, label: str, field: str, unit: str) -> None:
    value = None if this is None or pd.isna(this[field]) else this[field]
    before = None if last is None or pd.isna(last[field]) else last[field]
    if value is None or before is None:
        delta = None
    else:
        delta = "与上年持平" if value == before else f"{value - before:+,.0f} 较上年"
    column.metric(label, "—" if value is None else f"{value:,.0f} {unit}", delta,
                  delta_color="off" if value == before else "normal")


cols = st.columns(5)
kpi(cols[0], "报告份数", "reports", "份")
kpi(cols[1], "主动公开信息", "published", "条")
kpi(cols[2], "本年新收申请", "new_applications", "件")
kpi(cols[3], "办理结果总计", "handled", "件")
kpi(cols[4], "行政复议和诉讼", "appeals", "件")

channels = ui.query("channel_split_by_agency", **filters.params())
st.subheader("主动公开渠道")
if channels.empty:
    st.info("所选地区和年度的报告没有填写公开渠道（第一部分 总体情况）。")
else:
    st.plotly_chart(charts.channel_split(channels), key="overview_channels")

st.subheader("各单位概况")
agencies = ui.query("overview_agencies", **filters.params())
table = agencies.rename(columns={
    "agency": "单位", "kind": "类型", "region": "地区", "version": "表格版本", "published": "主动公开（条）",
    "new_applications": "新收申请（件）", "handled": "办理总计（件）", "disclosure_rate": "公开率", "appeals": "复议诉讼（件）",
    "is_demo": "示例数据"})
st.dataframe(table, hide_index=True, key="overview_table",
             column_config={"公开率": st.column_config.NumberColumn(format="percent")})
ui.download_buttons(table, f"总览-{filters.year}", "overview_download")
