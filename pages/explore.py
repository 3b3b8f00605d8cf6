"""数据探索: a pivot of one metric over the sidebar's scope, and the analysts' read-only SQL console."""
import streamlit as st

from disclosure import charts, console, pivot, ui

st.title("数据探索")
ui.page_start()
filters = ui.filters()

pivot_tab, sql_tab = st.tabs(["透视分析", "SQL 查询"])

with pivot_tab:
    choices = ui.query("explore_metric_choices") if filters.region else None
    if choices is None or choices.empty:
        st.info("数据库中还没有报告。可在「数据上传」页导入 CSV / Excel 文件。")
    else:
        headers = dict(zip(choices["code"], choices["header"]))
        units = dict(zip(choices["code"], choices["unit"]))
        options = [f"figure:{name}" for name in pivot.FIGURES] + [f"metric:{code}" for code in headers]

        def metric_label(option: str) -> str:
            kind, name = option.split(":", 1)
            return f"汇总指标：{pivot.FIGURES[name][0]}" if kind == "figure" else headers[name]

        left, middle, right = st.columns([3, 2, 2])
        chosen = left.selectbox("指标", options, key="explore_metric", format_func=metric_label,
                                help="「汇总指标」由各报告的表格数值计算得出；其余为年报表格中的单元格。")
        aggregation = left.radio("汇总方式", list(pivot.AGGREGATIONS), key="explore_aggregation", horizontal=True)
        rows = middle.selectbox("行", list(pivot.DIMENSIONS), key="explore_rows")
        column_options = [pivot.NO_COLUMNS] + [d for d in pivot.DIMENSIONS if d != rows]
        if st.session_state.get("explore_columns") not in column_options:
            st.session_state["explore_columns"] = "年度" if rows != "年度" else pivot.NO_COLUMNS
        columns = right.selectbox("列", column_options, key="explore_columns")
        with_summary = middle.checkbox("含县级汇总报告", key="explore_with_summary",
                                       help="汇总报告是全县合计，与各单位一并相加会重复计算。")

        kind, name = chosen.split(":", 1)
        params = {**filters.params(), "with_summary": with_summary}
        if kind == "figure":
            long = ui.query("explore_figure_long", figure=name, **params)
            label, unit = pivot.FIGURES[name]
        else:
            long = ui.query("explore_metric_long", metric=name, **params)
            label, unit = headers[name], units[name]
        unit = "" if aggregation == "计数" else unit
        st.caption(f"{filters.region} · {filters.year_from}–{filters.year_to}年 · {label} · {aggregation}"
                   + ("" if with_summary else " · 不含县级汇总报告"))
        if long.empty:
            st.info("所选范围内没有这个指标的数据。可换一个指标，或在侧栏放宽地区、年份、单位类型和单位。")
        else:
            # agencies of several counties share names (城关镇): as rows they stay apart, labelled with their county
            table = pivot.pivot(charts.labelled(long), rows, columns, aggregation)
            number = "percent" if name == "disclosure_rate" and aggregation != "计数" else "localized"
            st.dataframe(table, hide_index=True, key="explore_table",
                         column_config={c: st.column_config.NumberColumn(format=number) for c in table.columns[1:]})
            ui.download_buttons(table, f"数据探索-{label}-{aggregation}", "explore_download")
            st.plotly_chart(pivot.figure(table, f"{label}（{aggregation}）", unit), key="explore_chart")

with sql_tab:
    st.markdown(
        "可查询的表和视图：`report_summary`（每份现行报告一行，含计算指标）、`report_facts`（每个单元格一行）、"
        "`metrics`（指标目录：代码与中文表头）、`agencies`（单位）、`regions`（地区）、`reports`（全部报告版本）。\n\n"
        f"只读：每次只能执行 **一条 SELECT** 语句，最长 {console.TIMEOUT_S:g} 秒，最多返回 {console.MAX_ROWS} 行；"
        "不能修改数据，也不能读取文件。")
    sql_text = st.text_area("SQL 查询", key="explore_sql", height=160,
                            value="select agency, year, published, handled, disclosure_rate\n"
                                  "from report_summary\norder by year desc, agency\nlimit 100")
    if st.button("运行查询", key="explore_run", type="primary"):
        st.session_state["explore_result"] = console.run_select(ui.connection(), sql_text)
    result = st.session_state.get("explore_result")
    if result is not None:
        if result.error:
            st.error(result.error)
        else:
            st.caption(f"{len(result.frame)} 行 · 用时 {result.seconds:.2f} 秒")
            if result.truncated:
                st.warning(f"结果超过 {console.MAX_ROWS} 行，只显示前 {console.MAX_ROWS} 行；请加 where 条件或 limit。")
            st.dataframe(result.frame, hide_index=True, key="explore_sql_result")
            ui.download_buttons(result.frame, "数据探索-查询结果", "explore_sql_download")
