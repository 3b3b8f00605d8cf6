"""复议诉讼: section 四 outcomes per block and agency, 纠错率 with its denominator, intensity and its trend."""
import streamlit as st

from disclosure import charts_trends as ct
from disclosure import ui

st.title("复议诉讼")
ui.page_start()
filters = ui.filters()
params = filters.params()
outcomes = ui.query("appeals_outcomes", **params) if filters.region else None
if outcomes is None or outcomes.empty:
    st.info("所选范围内没有数据。可在「数据上传」页导入。")
    st.stop()
st.caption(f"{filters.region} · {filters.year}年 · 县级汇总报告（汇总）不计入合计")


st.subheader("纠错率")
st.caption("纠错率 = 结果纠正 ÷ 已审结（总计 − 尚未审结）；已审结不足 5 件的比例仅供参考，不作排名。")
rates = ui.query("appeals_rates", **params)
for col, row in zip(st.columns(len(rates)), rates.itertuples()):
    value = "—" if row.correction_rate != row.correction_rate else f"{row.correction_rate:.1%}"
    col.metric(f"{row.block} 纠错率", value + ("*" if row.small_base else ""))
    decided = 0 if row.decided != row.decided else row.decided
    col.caption(f"结果纠正 {row.corrected:,.0f} 件 ÷ 已审结 {decided:,.0f} 件"
                + ("（* 已审结不足 5 件）" if row.small_base else ""))
rate_table = rates.assign(small_base=rates["small_base"].map({True: "是", False: ""})).rename(columns={
    "block": "案件类别", "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
    "total": "总计", "decided": "已审结（总计 − 尚未审结）", "correction_rate": "纠错率", "small_base": "已审结不足5件"})
st.dataframe(rate_table, hide_index=True, key="appeals_rates_table",
             column_config={"纠错率": st.column_config.NumberColumn(format="percent")})
ui.download_buttons(rate_table, f"复议诉讼纠错率-{filters.year}", "appeals_rates_download")

st.subheader("办理结果")
st.plotly_chart(ct.appeal_blocks(outcomes), key="appeals_blocks")
block = st.radio("案件类别", ["全部", *ct.BLOCKS], horizontal=True, key="appeals_block")
if outcomes.loc[outcomes["block"].eq(block) | (block == "全部"), "cases"].sum() > 0:
    event = st.plotly_chart(ct.appeal_agencies(outcomes, None if block == "全部" else block), key="appeals_agencies",
                            on_select="rerun", selection_mode="points")
    ui.open_chart_pick(event, filters.region)
else:
    st.info("所选年度没有这一类案件。")

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
    st.info("所选年度没有单位的复议或诉讼结果被纠正。")
else:
    picked = st.dataframe(table, hide_index=True, key="appeals_corrected_table", on_select="rerun",
                          selection_mode="single-row",
                          column_config={"复议诉讼强度": st.column_config.NumberColumn(format="percent")})
    ui.download_buttons(table, f"有纠错的单位-{filters.year}", "appeals_corrected_download")
    if picked.selection.rows:
        row = table.iloc[picked.selection.rows[0]]
        ui.open_agency(row["单位"], row["地区"])

st.subheader("复议诉讼强度与趋势")
st.caption("复议诉讼强度 = （行政复议 + 未经复议直接起诉 + 复议后起诉）总计 ÷ 本年新收政府信息公开申请（s3 本年新收 总计）")
trend = ui.query("appeals_trend", **params)
if trend.empty:
    st.info("所选年份范围内没有数据。")
else:
    st.plotly_chart(ct.appeal_trend(trend), key="appeals_trend")
    trend_table = trend.rename(columns={
        "year": "年度", "review_total": "行政复议 总计", "suit_direct_total": "未经复议直接起诉 总计",
        "suit_after_review_total": "复议后起诉 总计", "appeals": "复议诉讼总数", "new_applications": "本年新收申请",
        "intensity": "复议诉讼强度", "review_corrected": "行政复议 结果纠正", "review_decided": "行政复议 已审结",
        "review_rate": "行政复议 纠错率", "suit_direct_corrected": "直接起诉 结果纠正",
        "suit_direct_decided": "直接起诉 已审结", "suit_direct_rate": "直接起诉 纠错率",
        "suit_after_review_corrected": "复议后起诉 结果纠正", "suit_after_review_decided": "复议后起诉 已审结",
        "suit_after_review_rate": "复议后起诉 纠错率"})
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(trend_table, hide_index=True, key="appeals_trend_table",
                 column_config={c: percent for c in trend_table.columns if c.endswith(("纠错率", "强度"))} | {
                     "年度": st.column_config.NumberColumn(format="%d")})
    ui.download_buttons(trend_table, f"复议诉讼趋势-{filters.year_from}-{filters.year_to}", "appeals_trend_download")
