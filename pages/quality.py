"""数据质量: rule violations in the stored reports, accepted errors, missing reports and cells, 汇总 against its agencies."""
import pandas as pd
import streamlit as st

from disclosure import ui
from disclosure.present import agency_view

_, filters = ui.analysis_page("数据质量")
params = filters.params()
st.caption(f"{ui.plain(filters.region)} · {filters.year_from}–{filters.year_to}年 · 选中表格中的一行可打开该单位的「单位详情」")


STYLED_ROWS = 1000  # tables longer than this are shown without cell colours


YEAR = {"年度": st.column_config.NumberColumn(format="%d")}
# a message is a sentence naming cells and numbers: right after the agency, in the widest column
MESSAGES = {name: st.column_config.TextColumn(name, width=620) for name in ("说明", "导入时的说明")}
FIRST = ["单位", "年度", "规则", "严重程度", "说明", "导入时的说明"]


def table(frame: pd.DataFrame, key: str, name: str, styler=None, columns=None) -> None:
    """A read-only table with its downloads; selecting a row opens that agency's 单位详情."""
    order = [c for c in FIRST if c in frame.columns] + [c for c in frame.columns if c not in FIRST]
    event = ui.table(frame if styler is None else styler, key=key, name=name, on_select="rerun",
                     selection_mode="single-row", column_config=columns, column_order=order)
    ui.open_selected_row(event, frame, filters.region)


def in_scope(frame: pd.DataFrame) -> pd.DataFrame:
    """The shared filters: region and the regions below it, the year range, kinds and agencies."""
    keep = agency_view.in_region(frame, filters.region) & frame["year"].between(filters.year_from, filters.year_to)
    if filters.kinds and "kind" in frame:
        keep &= frame["kind"].isin(filters.kinds)
    if filters.agencies:
        keep &= frame["agency"].isin(filters.agencies)
    return frame[keep]


rules_tab, accepted_tab, coverage_tab, missing_tab, summary_tab = ui.tabs(
    ["勾稽关系与填报规范", "已确认接受的错误", "报送情况", "空白单元格", "汇总报告核对"], key="quality_tab")

with rules_tab:
    issues = in_scope(ui.stored_issues(filters.region))
    accepted = ui.query("quality_accepted_issues", **params)
    issues = agency_view.errors_first(agency_view.with_acceptance(issues, accepted))
    left, middle, right = st.columns(3)
    with left:
        picked_rules = ui.linked(st.multiselect, "规则", sorted(set(issues["rule"])), key="quality_rule", param="rule",
                                 placeholder="全部规则")
    with middle:
        picked_severity = ui.linked(st.multiselect, "严重程度", list(agency_view.SEVERITY_ZH), key="quality_severity",
                                    param="severity", format_func=agency_view.SEVERITY_ZH.get, placeholder="错误和警告")
    with right:
        picked_agencies = ui.linked(st.multiselect, "单位", sorted(set(issues["agency"])), key="quality_agency",
                                    param="issue_agency", placeholder="全部单位")
    keep = pd.Series(True, index=issues.index)
    for column, picked in (("rule", picked_rules), ("severity", picked_severity), ("agency", picked_agencies)):
        if picked:
            keep &= issues[column].isin(picked)
    shown = issues[keep]
    cols = st.columns(3)
    cols[0].metric("问题", len(shown))
    cols[1].metric("错误", int((shown["severity"] == "error").sum()))
    cols[2].metric("其中已确认接受", int((shown["accepted"] != "").sum()))
    if shown.empty:
        st.success("所选范围内的报告符合全部勾稽关系（R1–R5）和填报规范（C1–C4、P1、P2）。")
    else:
        st.caption("错误（R1–R5）：表内勾稽关系不成立或数值无效；警告（C1–C4、P1、P2）：与上年报告衔接或填报规范。"
                   "导入时已确认接受的错误仍列在这里，注明确认人和时间。")
        view = shown.assign(severity=shown["severity"].map(agency_view.SEVERITY_ZH)).rename(columns={
            "agency": "单位", "region": "地区", "kind": "类型", "year": "年度", "rule": "规则", "code": "问题代码",
            "severity": "严重程度", "message": "说明", "cells": "涉及数值", "accepted": "确认接受"})
        table(view, "quality_issues", "数据质量-勾稽关系", columns=YEAR | MESSAGES)

with accepted_tab:
    acc = in_scope(accepted)
    if acc.empty:
        st.info("所选范围内没有导入时确认接受的错误。")
    else:
        st.caption("导入时明知报告原文如此而确认接受的错误（报告原文确实这样填）：数据照原文保存，问题照样标出。")
        view = acc[["agency", "region", "year", "rule", "code", "message", "accepted_by", "accepted_at", "batch_id"]]
        view = view.rename(columns={"agency": "单位", "region": "地区", "year": "年度", "rule": "规则", "code": "问题代码",
                                    "message": "导入时的说明", "accepted_by": "确认人", "accepted_at": "确认时间",
                                    "batch_id": "导入批次"})
        table(view, "quality_accepted", "数据质量-确认接受的错误", columns=YEAR | MESSAGES)

with coverage_tab:
    coverage = ui.query("quality_coverage", **params)
    if filters.agencies:
        coverage = coverage[coverage["agency"].isin(filters.agencies)]
    matrix = agency_view.coverage_matrix(coverage)
    if matrix.empty:
        st.info("所选范围内没有报告。")
    else:
        gaps = coverage[coverage["status"] == "missing"]
        st.metric("缺报", f"{len(gaps)} 份")
        st.caption("已报＝有现行报告；缺报＝应报而没有报告；空白＝不应报。应报：列入「单位名单」的单位在名单的起止年度内，"
                   "不在名单中的单位在上一年度报送过之后。名单在「数据上传」页的「单位名单」中导入。")
        years = [c for c in matrix.columns if c.endswith("年")]
        if len(matrix) > STYLED_ROWS and not st.checkbox(f"显示全部 {len(matrix):,} 个单位（默认只列有缺报的单位）",
                                                         key="quality_coverage_all"):
            matrix = matrix[(matrix[years] == "缺报").any(axis=1)].reset_index(drop=True)
        # colouring cells costs seconds at a province's 20,000 rows; beyond STYLED_ROWS the words say it
        styler = matrix.style.map(agency_view.coverage_css, subset=years) if len(matrix) <= STYLED_ROWS else None
        table(matrix, "quality_coverage", "数据质量-报送情况", styler=styler)

with missing_tab:
    missing = in_scope(ui.query("quality_missing_by_report", **params))
    if missing.empty:
        st.success("所选范围内的报告没有留空的表格单元格。")
    else:
        st.caption("表格中留空（空白、/、-、—、无）的单元格：按缺失处理，不按 0 计；涉及这些单元格的勾稽关系不作检查。")
        view = missing.drop(columns=["report_id"]).rename(columns={
            "agency": "单位", "kind": "类型", "region": "地区", "year": "年度", "version": "表格版本",
            "missing_cells": "空白单元格数", "cells": "空白单元格"})
        table(view, "quality_missing", "数据质量-空白单元格", columns=YEAR)

with summary_tab:
    per_report = ui.query("quality_summary_reports", **params)
    if per_report.empty:
        st.info("所选范围内没有汇总报告（单位类型「汇总」）。")
    else:
        st.caption("汇总报告的每个数值与同一地区、同一年度其他各单位（不含汇总）报告之和比较。")
        ui.table(per_report.drop(columns=["report_id"]).rename(columns={
                     "agency": "单位", "region": "地区", "year": "年度", "agencies": "所辖单位报告数",
                     "compared": "比较的指标", "differing": "不一致的指标"}),
                 key="quality_summary_reports", name="数据质量-汇总报告", downloads=False,
                 column_config=YEAR)
        show_all = ui.linked(st.checkbox, "显示全部指标（默认只显示不一致的）", key="quality_summary_all", param="all_cells")
        rows = ui.query("quality_summary_check", **params, all=show_all)
        if rows.empty:
            st.success("各汇总报告与所辖单位之和一致。")
        else:
            view = rows[["agency", "region", "year", "header", "stored", "computed", "difference", "reporting"]].rename(
                columns={"agency": "单位", "region": "地区", "year": "年度", "header": "指标", "stored": "汇总报告填报",
                         "computed": "各单位之和", "difference": "差额", "reporting": "填报该项的单位数"})
            flagged = rows["differs"].to_numpy()
            view = view.reset_index(drop=True)
            styler = None if len(view) > STYLED_ROWS else view.style.apply(
                lambda col: ["background-color: #ffd8a8; font-weight: bold" if f else "" for f in flagged]
                if col.name in ("汇总报告填报", "各单位之和", "差额") else [""] * len(col), axis=0).format(
                "{:g}", na_rep="—", subset=["汇总报告填报", "各单位之和", "差额"]).hide(axis="index")
            table(view, "quality_summary", "数据质量-汇总报告核对", styler=styler,
                  columns=YEAR)
