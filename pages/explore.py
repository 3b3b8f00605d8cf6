"""数据探索: a pivot of one metric over the sidebar's scope, and the analysts' read-only SQL console."""
import streamlit as st

from disclosure import config, ui
from disclosure.present import charts, pivot
from disclosure.store import console

st.title("数据探索")
who = ui.page_start()
filters = ui.filters()

pivot_tab, sql_tab = ui.tabs(["透视分析", "SQL 查询"], key="explore_tab", param="tab")

with pivot_tab:
    choices = ui.query("explore_metric_choices") if filters.region else None
    if choices is None or choices.empty:
        st.info("数据库中还没有报告。可在「数据上传」页导入 CSV / Excel 文件。")
    else:
        headers = dict(zip(choices["code"], choices["header"]))
        units = dict(zip(choices["code"], choices["unit"]))
        # a derived figure by its name, a cell of the form by its code (codes have dots, names none)
        options = list(pivot.FIGURES) + list(headers)

        def metric_label(option: str) -> str:
            return f"汇总指标：{pivot.FIGURES[option][0]}" if option in pivot.FIGURES else headers[option]

        left, middle, right = st.columns([3, 2, 2])
        with left:
            name = ui.linked(st.selectbox, "指标", options, key="explore_metric", param="metric",
                             format_func=metric_label,
                             help="「汇总指标」由各报告的表格数值计算得出；其余为年报表格中的单元格。"
                                  "比率（公开率、纠错率、复议诉讼强度）合并计算：各报告分子之和 ÷ 分母之和。")
            ratio = pivot.ratio_of(name)
            aggregations = pivot.aggregations(ratio is not None)
            if st.session_state.get("explore_aggregation") not in aggregations:
                # 合计 or 平均 of a count means nothing for a ratio: the link's choice where it fits, else the first
                wanted = ui.url_value("agg")
                st.session_state["explore_aggregation"] = wanted if wanted in aggregations else aggregations[0]
            aggregation = ui.linked(st.radio, "汇总方式", aggregations, key="explore_aggregation", param="agg",
                                    horizontal=True,
                                    help="比率不能相加或平均：合并计算 = 所选范围内各报告的分子之和 ÷ 分母之和。"
                                    if ratio else None)
        with middle:
            rows = ui.linked(st.selectbox, "行", list(pivot.DIMENSIONS), key="explore_rows", param="rows")
            with_summary = ui.linked(st.checkbox, "含县级汇总报告", key="explore_with_summary", param="summary",
                                     help="汇总报告是全县合计，与各单位一并相加会重复计算。")
        column_options = [pivot.NO_COLUMNS] + [d for d in pivot.DIMENSIONS if d != rows]
        if st.session_state.get("explore_columns") not in column_options:
            st.session_state.pop("explore_columns", None)  # the rows took the columns' dimension
        with right:
            columns = ui.linked(st.selectbox, "列", column_options, key="explore_columns", param="cols",
                                index=column_options.index("年度") if "年度" in column_options else 0)

        params = {**filters.params(), "with_summary": with_summary}
        if name in pivot.FIGURES:
            long = ui.query("explore_figure_long", figure=name, **params)
            label, unit = pivot.FIGURES[name]
        else:
            long = ui.query("explore_metric_long", metric=name, **params)
            label, unit = headers[name], units[name]
        unit = "" if aggregation == "计数" else unit
        st.caption(f"{ui.plain(filters.region)} · {filters.year_from}–{filters.year_to}年 · {label} · {aggregation}"
                   + ("" if with_summary else " · 不含县级汇总报告"))
        if ratio:
            st.caption(f"{ratio.label} = {ratio.numerator_label} ÷ {ratio.denominator_label}；只计分母大于 0 的报告。"
                       f"分母不足 {pivot.SMALL_BASE} 的数值在「{pivot.NOTE}」列注明，图中以灰色或 * 标出。")
        # agencies of several counties share names (城关镇): as rows they stay apart, labelled with their county
        pivoted = pivot.pivot(charts.labelled(long), rows, columns, aggregation, ratio) if not long.empty else None
        if pivoted is None or pivoted.table.empty:
            st.info("所选范围内没有这个指标的数据。可换一个指标，或在侧栏放宽地区、年份、单位类型和单位。")
        else:
            number = st.column_config.NumberColumn(format="percent" if pivoted.percent else "localized")
            how = aggregation.split("（")[0]  # 合并计算, without its formula
            named = f"数据探索-{label}-{how}"
            ui.table(pivoted.table, key="explore_table", name=named,
                     column_config={c: number for c in pivoted.values})
            if ratio and pivoted.how == "pooled" and columns != pivot.NO_COLUMNS:
                with st.expander(f"各格的分子、分母与{pivot.REPORTS}"):
                    ui.table(pivot.pooled_parts(pivoted, ratio, columns), key="explore_parts",
                             name=f"{named}-分子分母", column_config={
                                 ratio.label: st.column_config.NumberColumn(format="percent")})
            ui.chart(pivot.figure(pivoted, f"{label}（{how}）", unit), key="explore_chart", name=named)

with sql_tab:
    if who.regions:  # the console reads every region's tables: an account limited to some gets the pivot only
        st.info(f"SQL 查询可读取全部地区的数据，而本账户只能查看 {ui.plain(who.scope_zh)}，所以不提供。"
                "可以用「透视分析」和各页面的下载。")
    else:
        limits = console.Limits.configured()
        st.markdown(
            "可查询的表和视图：`report_summary`（每份现行报告一行，含计算指标）、`report_facts`（每个单元格一行）、"
            "`metrics`（指标目录：代码与中文表头）、`agencies`（单位）、`regions`（地区）、`reports`（全部报告版本）等。\n\n"
            f"只读：每次只能执行 **一条 SELECT** 语句，最长 {limits.seconds:g} 秒，最多返回 {limits.rows} 行、"
            f"{config.megabytes(limits.bytes)}；只能用常用的计算、文字、日期、聚合和窗口函数，不能修改数据，也不能读取文件。"
            "比率合并时请用分子之和 ÷ 分母之和，不要对各单位的比率求和或平均。")
        sql_text = st.text_area("SQL 查询", key="explore_sql", height=160,
                                value="select agency, year, published, handled, disclosure_rate\n"
                                      "from report_summary\norder by year desc, agency\nlimit 100")
        if st.button("运行查询", key="explore_run", type="primary"):
            # a refused or failed query keeps only its message: no partial result stays in the session
            st.session_state["explore_result"] = console.run_select(ui.connection(), sql_text, limits=limits)
        answer = st.session_state.get("explore_result")
        if answer is not None:
            if answer.error:
                st.error(ui.plain(answer.error))  # it may quote a table or function name from the SQL as typed
                if answer.detail:
                    with st.expander("原始错误信息"):
                        st.code(answer.detail, language=None)  # DuckDB's words, as they are: not markdown
            else:
                st.caption(f"{len(answer.frame)} 行 · 用时 {answer.seconds:.2f} 秒")
                if answer.truncated:
                    shown = answer.limits.rows
                    st.warning(f"结果超过 {shown} 行，只显示前 {shown} 行；请加 where 条件或 limit。")
                ui.table(answer.frame, key="explore_sql_result", name="数据探索-查询结果")
