"""主动公开: items published per agency and channel, channel shares over time, and section 二 of the form."""
import streamlit as st

from disclosure import charts_disclosure as charts
from disclosure import ui

ui.page_start()
filters = ui.filters()
st.title("主动公开")
if not filters.region:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
params = filters.params()
channels = ui.query("proactive_channels", **params)
published = ui.query("proactive_published", **params)
section2 = ui.query("proactive_section2", **params)
if channels.empty and published.empty and section2.empty:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
st.caption(f"{filters.region} · {filters.year}年（趋势 {filters.year_from}–{filters.year_to}年）"
           " · 县级汇总报告（汇总）不计入合计")


st.header("一、主动公开信息（总体情况）")
if channels.empty:
    st.info(f"{filters.year}年的报告没有填写公开渠道（第一部分 总体情况）。")
else:
    bars, shares = st.tabs(["信息条数", "渠道占比"])
    with bars:
        event = st.plotly_chart(charts.channel_bars(channels), key="proactive_channels", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
    with shares:
        st.caption("渠道占比 = 该渠道条数 ÷ 主动公开信息总数；报告未填写总数的，分母改用各渠道条数之和（悬停可见分母）。")
        event = st.plotly_chart(charts.channel_shares(channels), key="proactive_shares", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
    table = channels.rename(columns={"agency": "单位", "region": "地区", "kind": "类型", "channel": "公开渠道", "items": "信息条数（条）",
                                     "base": "分母（条）", "base_kind": "分母口径", "share": "占比"}
                            ).drop(columns="display_order")
    event = st.dataframe(table, hide_index=True, key="proactive_channel_table", on_select="rerun",
                         selection_mode="single-row", column_config={"占比": st.column_config.NumberColumn(format="percent")})
    ui.open_selected_row(event, table, filters.region)
    ui.download_buttons(table, f"主动公开渠道-{filters.year}", "proactive_channel_download")

trend = ui.query("proactive_channel_trend", **params)
if not trend.empty:
    st.subheader("渠道占比的年度变化")
    without_total = int(trend.drop_duplicates("year")["reports_without_total"].sum())
    st.caption("只计填写了公开渠道的报告；分母为这些报告的信息总数之和"
               + (f"，其中 {without_total} 份报告未填总数，用渠道合计代替。" if without_total else "。"))
    st.plotly_chart(charts.channel_share_trend(trend), key="proactive_share_trend", on_select="rerun")
    trend_table = trend.rename(columns={"year": "年度", "channel": "公开渠道", "items": "信息条数（条）",
                                        "base": "分母（条）", "share": "占比", "reports": "报告份数",
                                        "reports_without_total": "未填总数的报告"}).drop(columns="display_order")
    st.dataframe(trend_table, hide_index=True, key="proactive_trend_table",
                 column_config={"占比": st.column_config.NumberColumn(format="percent")})
    ui.download_buttons(trend_table, "主动公开渠道占比-年度", "proactive_trend_download")

if not published.empty:
    st.subheader("各单位主动公开信息条数（年度）")
    event = st.plotly_chart(charts.published_trend(published), key="proactive_published", on_select="rerun")
    ui.open_chart_pick(event, filters.region)
    by_year = published.pivot_table(index=["agency", "region", "kind"], columns="year", values="published",
                                    aggfunc="max")
    by_year = by_year.rename(columns=lambda y: f"{y}年").reset_index().rename(
        columns={"agency": "单位", "region": "地区", "kind": "类型"})
    event = st.dataframe(by_year, hide_index=True, key="proactive_published_table", on_select="rerun",
                         selection_mode="single-row")
    ui.open_selected_row(event, by_year, filters.region)
    ui.download_buttons(by_year, "主动公开信息条数-年度", "proactive_published_download")

st.header("二、主动公开政府信息情况")
decisions = ui.query("proactive_section2_trend", **params)
if not decisions.empty:
    st.caption("本年处理决定数量在2019年版和2021年版表格中含义相同，合为一个序列；其他栏目两版不可比。")
    st.plotly_chart(charts.decisions_trend(decisions), key="proactive_decisions", on_select="rerun")
    if decisions["fees_amount_wan"].notna().any():
        st.plotly_chart(charts.fees_trend(decisions), key="proactive_fees", on_select="rerun")
    decisions_table = decisions.rename(columns={
        "year": "年度", "reports": "报告份数", "reports_2021": "其中2021年版", "licensing_decisions": "行政许可 处理决定（件）",
        "penalties_decisions": "行政处罚 处理决定（件）", "coercion_decisions": "行政强制 处理决定（件）",
        "fees_amount_wan": "行政事业性收费 本年收费金额（万元，2021年版）"})
    st.dataframe(decisions_table, hide_index=True, key="proactive_decisions_table")
    ui.download_buttons(decisions_table, "主动公开-处理决定-年度", "proactive_decisions_download")

DECISION_COLUMNS = {"licensing_decisions": "行政许可 本年处理决定数量", "penalties_decisions": "行政处罚 本年处理决定数量",
                    "coercion_decisions": "行政强制 本年处理决定数量"}
FORMS = {
    "2021": ("2021年版表格", {"normdocs_issued": "行政规范性文件 本年制发件数", "normdocs_repealed": "行政规范性文件 本年废止件数",
                          "normdocs_in_force": "行政规范性文件 现行有效件数", **DECISION_COLUMNS,
                          "fees_amount_wan": "行政事业性收费 本年收费金额（万元）"}),
    "2019": ("2019年版表格", {"normdocs_made": "规范性文件 本年新制作数量", "normdocs_published": "规范性文件 本年新公开数量",
                          "normdocs_public_total": "规范性文件 对外公开总数量", **DECISION_COLUMNS,
                          "fee_items_prev": "行政事业性收费 上一年项目数量（项，不是金额）",
                          "fee_items_delta": "行政事业性收费 本年增/减（项）"}),
}
st.subheader(f"{filters.year}年 各单位第二部分")
for version, (label, columns) in FORMS.items():
    part = section2[section2["version"] == version]
    if part.empty:
        continue
    st.markdown(f"**{label}**")
    table = part[["agency", "region", "kind", *columns]].rename(
        columns={"agency": "单位", "region": "地区", "kind": "类型", **columns})
    event = st.dataframe(table, hide_index=True, key=f"proactive_section2_{version}", on_select="rerun",
                         selection_mode="single-row")
    ui.open_selected_row(event, table, filters.region)
    ui.download_buttons(table, f"主动公开-第二部分-{label}-{filters.year}", f"proactive_section2_{version}_download")
if section2.empty:
    st.info(f"{filters.year}年没有第二部分的数据。")
