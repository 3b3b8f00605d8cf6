"""依申请公开: applications received, how they were handled, who applied, 公开率 and carry-over continuity."""
import streamlit as st

from disclosure import charts_disclosure as charts
from disclosure import ui

ui.page_start()
filters = ui.filters()
st.title("依申请公开")
if not filters.region:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
params = filters.params()
agencies = ui.query("applications_by_agency", **params)
if agencies.empty:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
st.caption(f"{filters.region} · {filters.year}年（趋势 {filters.year_from}–{filters.year_to}年）"
           " · 县级汇总报告（汇总）不计入合计，另列在表末")


own = agencies[~agencies["is_summary"]]
totals = own[["new_applications", "carried_in", "handled", "carried_out"]].sum()
cols = st.columns(4)
for column, (label, field) in zip(cols, [("本年新收", "new_applications"), ("上年结转", "carried_in"),
                                         ("办理结果总计", "handled"), ("结转下年度继续办理", "carried_out")]):
    column.metric(label, f"{totals[field]:,.0f} 件")

st.header("收到和处理政府信息公开申请")
received, outcomes = st.tabs(["收到的申请", "办理结果"])
with received:
    event = st.plotly_chart(charts.received_bars(own), key="applications_received", on_select="rerun")
    ui.open_chart_pick(event, filters.region)
with outcomes:
    st.caption("不予公开、无法提供、不予处理、其他处理为各分项之和（表中没有小计行）。")
    event = st.plotly_chart(charts.outcome_bars(own), key="applications_outcomes", on_select="rerun")
    ui.open_chart_pick(event, filters.region)
table = agencies.drop(columns=["small_base", "is_summary", "rate_rank"]).rename(columns={
    "agency": "单位", "region": "地区", "kind": "类型", "version": "表格版本", "new_applications": "本年新收",
    "carried_in": "上年结转", "granted": "予以公开", "partial": "部分公开", "denied": "不予公开", "unable": "无法提供",
    "rejected": "不予处理", "other_handling": "其他处理", "handled": "办理结果总计", "carried_out": "结转下年度继续办理",
    "disclosure_rate": "公开率"})
event = st.dataframe(table, hide_index=True, key="applications_table", on_select="rerun", selection_mode="single-row",
                     column_config={"公开率": st.column_config.NumberColumn(format="percent")})
ui.open_selected_row(event, table, filters.region)
ui.download_buttons(table, f"依申请公开-{filters.year}", "applications_download")

st.subheader("申请人类型 → 办理结果")
flow = ui.query("applications_flow", **params)
if flow["applications"].fillna(0).sum() > 0:
    st.caption("表格的每个办理结果行都按申请人类型分列，流量为各单位该行该列之和。")
    st.plotly_chart(charts.applicant_outcome_sankey(flow), key="applications_flow", on_select="rerun")
else:
    st.info(f"{filters.year}年所选单位没有办理结果。")

st.subheader("公开率")
st.caption(f"公开率 =（予以公开 + 部分公开）÷ 办理结果总计。办理不足{charts.SMALL_BASE}件的单位灰色标出，仅供参考，不参与排名。")
rates = charts.rate_table(agencies)
if rates.empty:
    st.info(f"{filters.year}年所选单位没有办理申请。")
else:
    event = st.plotly_chart(charts.rate_bars(agencies), key="applications_rates", on_select="rerun")
    ui.open_chart_pick(event, filters.region)
    event = st.dataframe(rates, hide_index=True, key="applications_rate_table", on_select="rerun",
                         selection_mode="single-row", column_config={"公开率": st.column_config.NumberColumn(format="percent")})
    ui.open_selected_row(event, rates, filters.region)
    ui.download_buttons(rates, f"公开率-{filters.year}", "applications_rate_download")

st.subheader("申请人构成")
applicants = ui.query("applications_applicants", **params)
if applicants["new_applications"].fillna(0).sum() > 0:
    event = st.plotly_chart(charts.applicant_mix(applicants), key="applications_applicants", on_select="rerun")
    ui.open_chart_pick(event, filters.region)
    mix = applicants.pivot_table(index=["agency", "region", "kind"], columns="applicant", values="applications",
                                 aggfunc="sum")
    mix = mix[[a for a in charts.APPLICANTS if a in mix.columns]].reset_index().rename(
        columns={"agency": "单位", "region": "地区", "kind": "类型"})
    event = st.dataframe(mix, hide_index=True, key="applications_applicant_table", on_select="rerun",
                         selection_mode="single-row")
    ui.open_selected_row(event, mix, filters.region)
    ui.download_buttons(mix, f"申请人构成-{filters.year}", "applications_applicant_download")
else:
    st.info(f"{filters.year}年所选单位没有新收申请。")

st.header("年度变化")
trend = ui.query("applications_trend", **params)
if not trend.empty:
    st.plotly_chart(charts.applications_trend(trend), key="applications_trend", on_select="rerun")
    st.plotly_chart(charts.rate_trend(trend), key="applications_rate_trend", on_select="rerun")
    trend_table = trend.rename(columns={
        "year": "年度", "reports": "报告份数", "new_applications": "本年新收", "carried_in": "上年结转",
        "granted": "予以公开", "partial": "部分公开", "denied": "不予公开", "unable": "无法提供", "rejected": "不予处理",
        "other_handling": "其他处理", "handled": "办理结果总计", "carried_out": "结转下年度继续办理", "disclosure_rate": "公开率",
        **{field: f"新收 {label}" for label, field in charts.APPLICANT_FIELDS.items()}})
    st.dataframe(trend_table, hide_index=True, key="applications_trend_table",
                 column_config={"公开率": st.column_config.NumberColumn(format="percent")})
    ui.download_buttons(trend_table, "依申请公开-年度", "applications_trend_download")

st.subheader("结转衔接（本年上年结转 = 上年结转下年度继续办理）")
carry = ui.query("applications_carry_over", **params)
if carry.empty:
    st.info("所选年份内没有连续两年的报告可以比对。")
else:
    differs = int(carry["differs"].sum())
    if differs:
        st.warning(f"{differs} 份报告的上年结转与该单位上一年报告的结转下年度继续办理不一致（规则 C1），列在表首。")
    else:
        st.success("所有连续两年的报告结转数一致。")
    carry_table = carry.rename(columns={
        "agency": "单位", "region": "地区", "kind": "类型", "year": "年度", "carried_in": "本年 上年结转（总计）",
        "prev_carried_out": "上年 结转下年度继续办理（总计）", "differences": "不一致的列（本年≠上年）", "differs": "不一致"})
    event = st.dataframe(carry_table, hide_index=True, key="applications_carry_table", on_select="rerun",
                         selection_mode="single-row")
    ui.open_selected_row(event, carry_table, filters.region)
    ui.download_buttons(carry_table, "结转衔接", "applications_carry_download")
