"""年度对比: every agency of the selection with its key figures in two years, the change, and the largest changes."""
import pandas as pd
import streamlit as st

from disclosure import ui
from disclosure.present import year_compare as yc

_, filters = ui.analysis_page("年度对比")

choices = ui.query("filter_choices")
years = sorted(set(choices.loc[choices["region"] == filters.region, "year"].astype(int)), reverse=True)
if len(years) < 2:
    st.info(f"{ui.plain(filters.region)}只有一个年度有报告，无法对比。")
    st.stop()
base_default, target_default = yc.default_years(years, filters.year)
left, right = st.columns(2)
with left:
    base = ui.linked(st.selectbox, "基准年度", years, key="compare_years_base", param="base",
                     index=years.index(base_default), format_func=lambda y: f"{y}年")
with right:
    target = ui.linked(st.selectbox, "对比年度", years, key="compare_years_target", param="target",
                       index=years.index(target_default), format_func=lambda y: f"{y}年",
                       help="默认为侧栏所选年度；基准年度默认为它之前最近的有数据年度")
if base == target:
    st.warning("请选择两个不同的年度。")
    st.stop()

rows = ui.query("year_compare", **filters.params(), base=base, target=target)
compared = yc.compare(rows, base, target)
if compared.empty:
    st.info("所选范围内这两个年度都没有报告。")
    st.stop()
scope = filters.scope().replace(f"{filters.year}年", f"{base}年 → {target}年")
st.caption(f"{ui.plain(scope)} · 变化 = {target}年 − {base}年；变化率以{base}年为基数，{base}年为 0 或未填时空白；"
           f"公开率的变化以百分点计。状态列标出只在一个年度报送的单位。")

table = yc.table(compared, base, target)
total = yc.total_row(compared, base, target)
names = yc.headers(base, target)
percent = {names[c]: st.column_config.NumberColumn(format="percent") for c in names
           if c.endswith("_change_pct") or c in (f"{yc.RATE}_base", f"{yc.RATE}_target")}
points = {names[f"{yc.RATE}_change"]: st.column_config.NumberColumn(format="%+.1f")}
name = f"年度对比-{base}-{target}"
st.subheader("各单位两年对比")
picked = ui.table(table, key="compare_years_table", name=name, downloads=False, on_select="rerun",
                  selection_mode="single-row", column_config={**percent, **points})
st.caption("点击表头排序；选中一行打开该单位的「单位详情」。")
st.caption(yc.total_note(compared))
ui.table(total, key="compare_years_total", name=name, downloads=False, column_config={**percent, **points})
# one download with the 合计 row below the agencies (the table on screen sorts, so the total stands apart there)
ui.download_buttons(pd.concat([table, total], ignore_index=True), name, "compare_years_download")
ui.open_selected_row(picked, table, filters.region)

st.subheader("变化最大的单位")
metric = ui.linked(st.selectbox, "指标", list(yc.METRICS), key="compare_years_metric", param="metric",
                   format_func=lambda m: yc.METRICS[m][0])
changes = yc.largest_changes(compared, metric)
if changes.empty:
    st.info("两年都有报告的单位中，这一指标没有变化（或未填）。")
else:
    note = f"公开率只比较两年办理结果总计都不少于 {yc.SMALL_BASE} 件的单位。" if metric == yc.RATE else ""
    st.caption(f"两年都有报告的单位中变化（绝对值）最大的 {len(changes)} 个，不含汇总报告。{note}点击柱条打开该单位。")
    chosen = ui.chart(yc.change_chart(changes, metric, base, target), key="compare_years_chart",
                      name=f"{name}-{yc.METRICS[metric][0]}变化", on_select="rerun")
    ui.open_chart_pick(chosen, filters.region)
