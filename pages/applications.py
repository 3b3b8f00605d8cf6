"""依申请公开: applications received, how they were handled, who applied, 公开率 and carry-over continuity."""
import streamlit as st

from disclosure import ui
from disclosure.present import charts_disclosure as charts

_, filters = ui.analysis_page("依申请公开")
params = filters.params()
agencies = ui.query("applications_by_agency", **params)
ui.stop_if_empty(agencies.empty, filters)
ui.scope_caption(filters, trend=True, note="县级汇总报告（汇总）不计入合计，另列在表末")
PERCENT = st.column_config.NumberColumn(format="percent")
YEAR = st.column_config.NumberColumn(format="%d")


own = agencies[~agencies["is_summary"]]
totals = own[["new_applications", "carried_in", "handled", "carried_out"]].sum()
cols = st.columns(4)
for column, (label, field) in zip(cols, [("本年新收", "new_applications"), ("上年结转", "carried_in"),
                                         ("办理结果总计", "handled"), ("结转下年度继续办理", "carried_out")]):
    column.metric(label, f"{totals[field]:,.0f} 件")

st.header("收到和处理政府信息公开申请")
if own[["new_applications", "carried_in", "handled"]].fillna(0).to_numpy().sum() == 0:
    st.info(f"{filters.year}年所选单位都没有收到或办理政府信息公开申请，所以没有申请图表。可在侧栏换一个年度或单位。")
else:
    received, outcomes = ui.tabs(["收到的申请", "办理结果"], key="applications_tab", param="tab")
    with received:
        event = ui.chart(charts.received_bars(own, filters.year), key="applications_received",
                         name=f"收到的申请-{filters.year}", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
    with outcomes:
        st.caption("不予公开、无法提供、不予处理、其他处理为各分项之和（表中没有小计行）。")
        event = ui.chart(charts.outcome_bars(own, filters.year), key="applications_outcomes",
                         name=f"办理结果-{filters.year}", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
table = agencies.drop(columns=["small_base", "is_summary", "rate_rank"]).rename(columns={
    "agency": "单位", "region": "地区", "kind": "类型", "version": "表格版本", "new_applications": "本年新收",
    "carried_in": "上年结转", "granted": "予以公开", "partial": "部分公开", "denied": "不予公开", "unable": "无法提供",
    "rejected": "不予处理", "other_handling": "其他处理", "handled": "办理结果总计", "carried_out": "结转下年度继续办理",
    "disclosure_rate": "公开率"})
event = ui.table(table, key="applications_table", name=f"依申请公开-{filters.year}", on_select="rerun",
                 selection_mode="single-row", column_config={"公开率": PERCENT})
ui.open_selected_row(event, table, filters.region)

st.subheader("申请人类型 → 办理结果")
flow = ui.query("applications_flow", **params)
if flow["applications"].fillna(0).sum() > 0:
    st.caption("表格的每个办理结果行都按申请人类型分列，流量为各单位该行该列之和。")
    ui.chart(charts.applicant_outcome_sankey(flow, filters.year), key="applications_flow",
             name=f"申请人类型-办理结果-{filters.year}")
else:
    st.info(f"{filters.year}年所选单位的报告没有办理结果（或都是 0），所以没有流向图。可在侧栏换一个年度或单位。")

st.subheader("公开率")
st.caption(f"公开率 =（予以公开 + 部分公开）÷ 办理结果总计。办理不足{charts.SMALL_BASE}件的单位灰色标出，仅供参考，不参与排名。")
rates = charts.rate_table(agencies)
if rates.empty:
    st.info(f"{filters.year}年所选单位都没有办理申请（办理结果总计为 0 或未填），无法计算公开率。")
else:
    event = ui.chart(charts.rate_bars(agencies, filters.year), key="applications_rates", name=f"公开率-{filters.year}",
                     on_select="rerun")
    ui.open_chart_pick(event, filters.region)
    event = ui.table(rates, key="applications_rate_table", name=f"公开率-{filters.year}", on_select="rerun",
                     selection_mode="single-row",
                     column_config={"公开率": PERCENT, "排名": YEAR, "说明": st.column_config.TextColumn(width="large")})
    ui.open_selected_row(event, rates, filters.region)

st.subheader("申请人构成")
applicants = ui.query("applications_applicants", **params)
if applicants["new_applications"].fillna(0).sum() > 0:
    event = ui.chart(charts.applicant_mix(applicants, filters.year), key="applications_applicants",
                     name=f"申请人构成-{filters.year}", on_select="rerun")
    ui.open_chart_pick(event, filters.region)
    mix = applicants.pivot_table(index=["agency", "region", "kind"], columns="applicant", values="applications",
                                 aggfunc="sum")
    mix = mix[[a for a in charts.APPLICANTS if a in mix.columns]].reset_index().rename(
        columns={"agency": "单位", "region": "地区", "kind": "类型"})
    event = ui.table(mix, key="applications_applicant_table", name=f"申请人构成-{filters.year}", on_select="rerun",
                     selection_mode="single-row")
    ui.open_selected_row(event, mix, filters.region)
else:
    st.info(f"{filters.year}年所选单位没有新收申请（本年新收为 0 或未填），所以没有申请人构成。")

st.header("年度变化")
trend = ui.query("applications_trend", **params)
if trend.empty:
    st.info(f"{filters.year_from}–{filters.year_to}年所选单位没有报告，画不出年度变化。可在侧栏放宽年份范围。")
else:
    ui.chart(charts.applications_trend(trend), key="applications_trend",
             name=f"依申请公开-{filters.year_from}-{filters.year_to}")
    ui.chart(charts.rate_trend(trend), key="applications_rate_trend", name=f"公开率-{filters.year_from}-{filters.year_to}")
    trend_table = trend.rename(columns={
        "year": "年度", "reports": "报告份数", "new_applications": "本年新收", "carried_in": "上年结转",
        "granted": "予以公开", "partial": "部分公开", "denied": "不予公开", "unable": "无法提供", "rejected": "不予处理",
        "other_handling": "其他处理", "handled": "办理结果总计", "carried_out": "结转下年度继续办理", "disclosure_rate": "公开率",
        **{field: f"新收 {label}" for label, field in charts.APPLICANT_FIELDS.items()}})
    ui.table(trend_table, key="applications_trend_table", name="依申请公开-年度",
             column_config={"公开率": PERCENT, "年度": YEAR})

st.subheader("结转衔接（本年上年结转 = 上年结转下年度继续办理）")
carry = ui.query("applications_carry_over", **params)
if carry.empty:
    st.info(f"{filters.year_from}–{filters.year_to}年所选单位没有连续两年都填写了结转数的报告，无法比对。"
            "可在侧栏放宽年份范围。")
else:
    differs = int(carry["differs"].sum())
    if differs:
        st.warning(f"{differs} 份报告的上年结转与该单位上一年报告的结转下年度继续办理不一致（规则 C1），列在表首。")
    else:
        st.success("所有连续两年的报告结转数一致。")
    carry_table = carry.rename(columns={
        "agency": "单位", "region": "地区", "kind": "类型", "year": "年度", "carried_in": "本年 上年结转（总计）",
        "prev_carried_out": "上年 结转下年度继续办理（总计）", "differences": "不一致的列（本年≠上年）", "differs": "不一致"})
    event = ui.table(carry_table, key="applications_carry_table", name="结转衔接", on_select="rerun",
                     selection_mode="single-row",
                     column_config={"年度": YEAR, "不一致的列（本年≠上年）": st.column_config.TextColumn(width="large")})
    ui.open_selected_row(event, carry_table, filters.region)
