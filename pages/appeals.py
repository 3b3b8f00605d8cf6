"""复议诉讼: section 四 outcomes per block and agency, 纠错率 with its denominator, intensity and its trend."""
import pandas as pd
import streamlit as st

from disclosure import ui
from disclosure.present import charts_trends as ct

_, filters = ui.analysis_page("复议诉讼")
params = filters.params()
outcomes = ui.query("appeals_outcomes", **params)
ui.stop_if_empty(outcomes.empty, filters)
ui.scope_caption(filters)
PERCENT = st.column_config.NumberColumn(format="percent")
# the blocks' short names: a metric's label is cut off where it is wider than its column
SHORT = dict(zip(ct.BLOCKS, ("行政复议", "直接起诉", "复议后起诉")))


st.subheader("纠错率")
st.caption("纠错率 = 结果纠正 ÷ 已审结（总计 − 尚未审结）；已审结不足 5 件的比例仅供参考，不作排名。"
           "直接起诉 = 行政诉讼·未经复议直接起诉；复议后起诉 = 行政诉讼·复议后起诉。")
rates = ui.query("appeals_rates", **params)
for col, row in zip(st.columns(len(rates)), rates.itertuples()):
    value = "—" if pd.isna(row.correction_rate) else f"{row.correction_rate:.1%}"
    col.metric(f"{SHORT.get(row.block, row.block)} 纠错率", value + ("*" if row.small_base else ""), help=row.block)
    corrected = 0 if pd.isna(row.corrected) else row.corrected
    decided = 0 if pd.isna(row.decided) else row.decided
    col.caption(f"结果纠正 {corrected:,.0f} 件 ÷ 已审结 {decided:,.0f} 件"
                + ("（* 已审结不足 5 件）" if row.small_base else ""))
rate_table = rates.assign(small_base=rates["small_base"].map({True: "是", False: ""})).rename(columns={
    "block": "案件类别", "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
    "total": "总计", "decided": "已审结（总计 − 尚未审结）", "correction_rate": "纠错率", "small_base": "已审结不足5件"})
ui.table(rate_table, key="appeals_rates_table", name=f"复议诉讼纠错率-{filters.year}", column_config={"纠错率": PERCENT})

st.subheader("办理结果")
ui.chart(ct.appeal_blocks(outcomes, filters.year), key="appeals_blocks", name=f"复议诉讼办理结果-{filters.year}")
block = ui.linked(st.radio, "案件类别", ["全部", *ct.BLOCKS], key="appeals_block", param="block", horizontal=True)
if outcomes.loc[outcomes["block"].eq(block) | (block == "全部"), "cases"].sum() > 0:
    event = ui.chart(ct.appeal_agencies(outcomes, None if block == "全部" else block, filters.year),
                     key="appeals_agencies", name=f"各单位复议诉讼-{block}-{filters.year}", on_select="rerun",
                     selection_mode="points")
    ui.open_chart_pick(event, filters.region)
else:
    st.info(f"{filters.year}年所选单位没有{'行政复议或行政诉讼' if block == '全部' else block}案件。"
            "可选另一个案件类别，或在侧栏换一个年度。")

st.subheader("有纠错的单位")
agencies = ui.query("appeals_by_agency", **params)
corrected = agencies[agencies["corrected"] > 0]
table = corrected.rename(columns={
    "agency": "单位", "kind": "类型", "region": "地区", "review_total": "行政复议 总计",
    "review_corrected": "行政复议 结果纠正", "suit_direct_total": "未经复议直接起诉 总计",
    "suit_direct_corrected": "未经复议直接起诉 结果纠正", "suit_after_review_total": "复议后起诉 总计",
    "suit_after_review_corrected": "复议后起诉 结果纠正", "new_applications": "本年新收申请（件）",
    "appeals": "复议诉讼总数（件）", "corrected": "结果纠正合计（件）", "intensity": "复议诉讼强度"})
if table.empty:
    st.info(f"{filters.year}年所选单位的行政复议、行政诉讼结果都没有被纠正。")
else:
    picked = ui.table(table, key="appeals_corrected_table", name=f"有纠错的单位-{filters.year}", on_select="rerun",
                      selection_mode="single-row", column_config={"复议诉讼强度": PERCENT})
    ui.open_selected_row(picked, table, filters.region)

st.subheader("复议诉讼强度与趋势")
st.caption("复议诉讼强度 = （行政复议 + 未经复议直接起诉 + 复议后起诉）总计 ÷ 本年新收政府信息公开申请数量（三、本年新收 总计）")
trend = ui.query("appeals_trend", **params)
if trend.empty:
    st.info(f"{filters.year_from}–{filters.year_to}年所选单位没有报告，画不出趋势。可在侧栏放宽年份范围。")
else:
    ui.chart(ct.appeal_trend(trend), key="appeals_trend", name=f"复议诉讼趋势-{filters.year_from}-{filters.year_to}")
    trend_table = trend.rename(columns={
        "year": "年度", "review_total": "行政复议 总计", "suit_direct_total": "未经复议直接起诉 总计",
        "suit_after_review_total": "复议后起诉 总计", "appeals": "复议诉讼总数", "new_applications": "本年新收申请",
        "intensity": "复议诉讼强度", "review_corrected": "行政复议 结果纠正", "review_decided": "行政复议 已审结",
        "review_rate": "行政复议 纠错率", "suit_direct_corrected": "直接起诉 结果纠正",
        "suit_direct_decided": "直接起诉 已审结", "suit_direct_rate": "直接起诉 纠错率",
        "suit_after_review_corrected": "复议后起诉 结果纠正", "suit_after_review_decided": "复议后起诉 已审结",
        "suit_after_review_rate": "复议后起诉 纠错率"})
    ui.table(trend_table, key="appeals_trend_table", name=f"复议诉讼趋势-{filters.year_from}-{filters.year_to}",
             column_config={c: PERCENT for c in trend_table.columns if c.endswith(("纠错率", "强度"))} | {
                 "年度": st.column_config.NumberColumn(format="%d")})
