"""总览: a region's year at a glance — headline figures, a ranking, a heatmap, channels, and who has not reported."""
import pandas as pd
import streamlit as st

from disclosure import ui
from disclosure.present import agency_view, charts

_, filters = ui.analysis_page("总览")
ui.scope_caption(filters)

kpis = ui.query("overview_kpis", **filters.params()).set_index("year")
this = kpis.loc[filters.year] if filters.year in kpis.index else None
last = kpis.loc[filters.year - 1] if filters.year - 1 in kpis.index else None
agencies = ui.query("overview_agencies", **filters.params())
issues = ui.stored_issues(filters.region)
errors = issues[(issues["severity"] == "error") & (issues["year"] == filters.year)
                & agency_view.in_region(issues, filters.region) & issues["agency"].isin(agencies["agency"])]


def amount(value: float, unit: str) -> str:
    """A province's totals run to millions: from 100,000 on they are shown in 万, so the figure fits its box."""
    if abs(value) >= 1e6:
        return f"{value / 1e4:,.0f} 万{unit}"
    return f"{value / 1e4:,.1f} 万{unit}" if abs(value) >= 1e5 else f"{value:,.0f} {unit}"


def kpi(column, label: str, field: str, unit: str, percent: bool = False) -> None:
    value = None if this is None or pd.isna(this[field]) else this[field]
    before = None if last is None or pd.isna(last[field]) else last[field]
    shown = "—" if value is None else f"{value:.1%}" if percent else amount(value, unit)
    if value is None or before is None:
        delta = None
    elif value == before:
        delta = "与上年持平"
    else:
        delta = (f"{(value - before) * 100:+.1f} 个百分点 较上年" if percent  # a difference of rates: points, not %
                 else f"{value - before:+,.0f} 较上年")
    column.metric(label, shown, delta, delta_color="off" if value == before else "normal")


cols = st.columns(6)
received = 0 if this is None else int(this["reports"])
expected = None if this is None or pd.isna(this["expected"]) else int(this["expected"])
together = f"{received:,} / {expected:,}" if expected else f"{received:,}"
cols[0].metric("收到报告（份）", together if len(together) <= 9 else f"{received:,}",  # a province's 19,797 / 20,049
               None if len(together) <= 9 else f"应报 {expected:,}", delta_color="off", delta_arrow="off",
               help="分母：应报单位数。列入「单位名单」的单位在名单的起止年度内应报；"
                    "不在名单中的单位，上一年度报送过即为应报。名单在「数据上传」页导入。")
kpi(cols[1], "主动公开信息", "published", "条")
kpi(cols[2], "本年新收申请", "new_applications", "件")
kpi(cols[3], "公开率", "disclosure_rate", "", percent=True)
kpi(cols[4], "行政复议和诉讼", "appeals", "件")
cols[5].metric("勾稽关系错误", f"{len(errors)} 处", help="本年度、所选地区内报告违反 R1–R5 的单元格；详见「数据质量」")

# each figure's name and unit; "%" marks a rate
LABELS = {"published": ("主动公开信息", "条"), "new_applications": ("本年新收申请", "件"),
          "handled": ("办理结果总计", "件"), "disclosure_rate": ("公开率", "%"), "appeals": ("行政复议和诉讼", "件")}
own = agencies[agencies["kind"] != "汇总"]
ui.stop_if_empty(own.empty, filters)

with st.columns([1, 2])[0]:
    metric = ui.linked(st.selectbox, "排名指标", list(LABELS), key="overview_rank_metric", param="rank",
                       format_func=lambda k: LABELS[k][0])
label, unit = LABELS[metric]
if own[metric].notna().any():
    # 公开率 ranks only agencies that handled enough applications (data-contract.md §5)
    base = ("handled", "办理结果总计") if metric == "disclosure_rate" else None
    chosen = ui.chart(charts.ranking(own, metric, label, unit, filters.year, base=base), key="overview_ranking",
                      name=f"{label}排名-{filters.year}", on_select="rerun")
else:
    chosen = None
    st.info(f"{filters.year}年所选单位的报告都没有填写{label}，无法排名。可换一个排名指标或年度。")
ui.chart(charts.heatmap(own, LABELS, filters.year), key="overview_heatmap", name=f"各单位关键指标-{filters.year}")
ui.open_chart_pick(chosen, filters.region)

channels = ui.query("channel_split_by_agency", **filters.params())
st.subheader("主动公开渠道")
if channels.empty:
    st.info(f"{filters.year}年所选单位的报告都没有填写公开渠道（第一部分 总体情况），所以这里没有渠道图。")
else:
    picked = ui.chart(charts.channel_split(channels, filters.year), key="overview_channels",
                      name=f"主动公开渠道-{filters.year}", on_select="rerun")
    ui.open_chart_pick(picked, filters.region)

YEAR_COLUMN = st.column_config.NumberColumn(format="%d")
missing = ui.query("overview_missing", **filters.params())
st.subheader("未报送的单位")
if missing.empty:
    st.caption("应报的单位本年度都已报送（应报：列入单位名单且在册，或上一年度报送过）。")
else:
    shown = missing.rename(columns={"agency": "单位", "kind": "类型", "region": "地区", "basis": "应报依据",
                                    "last_reported": "最近报送年度"})
    ui.table(shown, key="overview_missing", name=f"未报送单位-{filters.year}",
             column_config={"最近报送年度": YEAR_COLUMN})

st.subheader("各单位概况")
table = agencies.rename(columns={
    "agency": "单位", "kind": "类型", "region": "地区", "version": "表格版本", "published": "主动公开（条）",
    "new_applications": "新收申请（件）", "handled": "办理总计（件）", "disclosure_rate": "公开率",
    "appeals": "复议诉讼（件）", "is_demo": "示例数据"})
picked = ui.table(table, key="overview_table", name=f"总览-{filters.year}", downloads=False, on_select="rerun",
                  selection_mode="single-row", column_config={"公开率": st.column_config.NumberColumn(format="percent")})
for row in picked.selection.rows:
    ui.open_agency(agencies.iloc[row]["agency"], agencies.iloc[row]["region"])
# its downloads keep the key they had before ui.table (the browser tests click it)
ui.download_buttons(table, f"总览-{filters.year}", "overview_download")
