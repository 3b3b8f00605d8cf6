"""主动公开: items published per agency and channel, channel shares over time, and section 二 of the form."""
import streamlit as st

from disclosure import ui
from disclosure.present import charts_disclosure as charts
from disclosure.present.charts import MAX_LINES

_, filters = ui.analysis_page("主动公开")
params = filters.params()
channels = ui.query("proactive_channels", **params)
published = ui.query("proactive_published", **params)
section2 = ui.query("proactive_section2", **params)
ui.stop_if_empty(channels.empty and published.empty and section2.empty, filters, trend=True)
ui.scope_caption(filters, trend=True)
PERCENT = st.column_config.NumberColumn(format="percent")
YEAR = st.column_config.NumberColumn(format="%d")


st.header("一、主动公开信息（总体情况）")
if channels.empty:
    st.info(f"{filters.year}年所选单位的报告都没有填写公开渠道（第一部分 总体情况），所以没有渠道图表。"
            "可在侧栏换一个年度。")
else:
    bars, shares = ui.tabs(["信息条数", "渠道占比"], key="proactive_tab", param="tab")
    with bars:
        event = ui.chart(charts.channel_bars(channels, filters.year), key="proactive_channels",
                         name=f"主动公开信息条数-{filters.year}", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
    with shares:
        st.caption("渠道占比 = 该渠道条数 ÷ 主动公开信息总数；报告未填写总数的，分母改用各渠道条数之和（悬停可见分母）。")
        event = ui.chart(charts.channel_shares(channels, filters.year), key="proactive_shares",
                         name=f"公开渠道占比-{filters.year}", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
    table = channels.rename(columns={"agency": "单位", "region": "地区", "kind": "类型", "channel": "公开渠道", "items": "信息条数（条）",
                                     "base": "分母（条）", "base_kind": "分母口径", "share": "占比"}
                            ).drop(columns="display_order")
    event = ui.table(table, key="proactive_channel_table", name=f"主动公开渠道-{filters.year}", on_select="rerun",
                     selection_mode="single-row", column_config={"占比": PERCENT})
    ui.open_selected_row(event, table, filters.region)

trend = ui.query("proactive_channel_trend", **params)
st.subheader("渠道占比的年度变化")
if trend.empty:
    st.info(f"{filters.year_from}–{filters.year_to}年所选单位的报告都没有填写公开渠道，画不出年度变化。"
            "可在侧栏放宽年份范围或单位。")
else:
    # counted per channel: a report without a stated total is in the base of each channel it states
    st.caption("每个渠道只计填写了该渠道的报告；分母为这些报告的信息总数之和"
               + ("，未填总数的报告用渠道合计代替（份数见下表「未填总数的报告」）。"
                  if trend["reports_without_total"].fillna(0).any() else "。"))
    ui.chart(charts.channel_share_trend(trend), key="proactive_share_trend",
             name=f"公开渠道占比-{filters.year_from}-{filters.year_to}")
    trend_table = trend.rename(columns={"year": "年度", "channel": "公开渠道", "items": "信息条数（条）",
                                        "base": "分母（条）", "share": "占比", "reports": "报告份数",
                                        "reports_without_total": "未填总数的报告"}).drop(columns="display_order")
    ui.table(trend_table, key="proactive_trend_table", name="主动公开渠道占比-年度",
             column_config={"占比": PERCENT, "年度": YEAR})

st.subheader("各单位主动公开信息条数（年度）")
lines = charts.published_lines(published)
if lines.empty:
    st.info(f"{filters.year_from}–{filters.year_to}年所选单位的报告都没有填写主动公开信息总数。")
else:
    ordered = list(dict.fromkeys(lines["agency"]))
    asked = [a for a in ui.url_value("published", multi=True) if a in ordered]
    if "proactive_published_agencies" not in st.session_state and len(asked) > MAX_LINES:
        st.session_state["proactive_published_agencies"] = asked[:MAX_LINES]  # a link may name more than it takes
    picked = ui.linked(st.multiselect, "图中的单位（默认：各年合计最多的 5 个）", ordered,
                       key="proactive_published_agencies", param="published", default=ordered[:charts.LINES], max_selections=MAX_LINES,
                       placeholder="选择单位（可输入名称查找）", help=f"一张图最多 {MAX_LINES} 条线；全部单位见下表。")
    if picked:
        event = ui.chart(charts.published_trend(lines, picked), key="proactive_published",
                         name="各单位主动公开信息条数-年度", on_select="rerun")
        ui.open_chart_pick(event, filters.region)
    else:
        st.info("请在上方至少选择一个单位。")
    by_year = published.pivot_table(index=["agency", "region", "kind"], columns="year", values="published",
                                    aggfunc="max")
    by_year = by_year.rename(columns=lambda y: f"{y}年").reset_index().rename(
        columns={"agency": "单位", "region": "地区", "kind": "类型"})
    event = ui.table(by_year, key="proactive_published_table", name="主动公开信息条数-年度", on_select="rerun",
                     selection_mode="single-row")
    ui.open_selected_row(event, by_year, filters.region)

st.header("二、主动公开政府信息情况")
decisions = ui.query("proactive_section2_trend", **params)
if decisions.empty:
    st.info(f"{filters.year_from}–{filters.year_to}年所选单位的报告都没有第二部分的数据。")
else:
    st.caption("本年处理决定数量在2019年版和2021年版表格中含义相同，合为一个序列；其他栏目两版不可比。")
    ui.chart(charts.decisions_trend(decisions), key="proactive_decisions", name="处理决定数量-年度")
    if decisions["fees_amount_wan"].notna().any():
        ui.chart(charts.fees_trend(decisions), key="proactive_fees", name="行政事业性收费金额-年度")
    decisions_table = decisions.rename(columns={
        "year": "年度", "reports": "报告份数", "reports_2021": "其中2021年版", "licensing_decisions": "行政许可 处理决定（件）",
        "penalties_decisions": "行政处罚 处理决定（件）", "coercion_decisions": "行政强制 处理决定（件）",
        "fees_amount_wan": "行政事业性收费 本年收费金额（万元，2021年版）"})
    ui.table(decisions_table, key="proactive_decisions_table", name="主动公开-处理决定-年度",
             column_config={"年度": YEAR})

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
    event = ui.table(table, key=f"proactive_section2_{version}", name=f"主动公开-第二部分-{label}-{filters.year}",
                     on_select="rerun", selection_mode="single-row")
    ui.open_selected_row(event, table, filters.region)
if section2.empty:
    st.info(f"{filters.year}年所选单位的报告没有第二部分的数据。可在侧栏换一个年度。")
