"""单位详情: one agency's reports as the official form, its source files, version history, issue records and trend."""
from collections import Counter

import pandas as pd
import streamlit as st

from disclosure import ui
from disclosure.present import export, form_view, peers

account, filters = ui.analysis_page("单位详情")

listed = ui.query("agency_list", region=filters.region)
choices = list(zip(listed["agency"], listed["region"]))
asked = (ui.url_value("unit"), ui.url_value("unit_region"))
if asked[0] and asked not in choices:
    # a drill-down or link to an agency outside the sidebar's region: shown anyway, the filters left as they are
    # looked for only in a region this account may see: a link cannot open a county it is not allowed
    outside = ui.query("agency_list", region=asked[1] if account.sees(asked[1]) else filters.region)
    if ((outside["agency"] == asked[0]) & (outside["region"] == asked[1])).any():
        choices.insert(0, asked)
        listed = pd.concat([outside, listed], ignore_index=True)  # its kind, for the caption and its peers
    elif "agency_pick" not in st.session_state:
        st.warning(f"链接中的单位「{ui.plain(asked[0])}」（{ui.plain(asked[1] or '地区未注明')}）没有现行报告，改为显示所选地区的第一个单位。")
if not choices:
    st.info("所选地区没有报告。")
    st.stop()
if "agency_pick" not in st.session_state and asked in choices:
    st.session_state["agency_pick"] = asked
if st.session_state.get("agency_pick") not in choices:
    st.session_state["agency_pick"] = choices[0]
repeated = {name for name, n in Counter(name for name, _ in choices).items() if n > 1}
agency, region = st.selectbox("单位", choices, key="agency_pick",
                              format_func=lambda c: f"{c[0]}（{c[1]}）" if c[0] in repeated else c[0])
if asked[0] or (agency, region) != choices[0]:  # the first agency needs no parameter: one history entry
    ui.set_url("unit", agency)
    ui.set_url("unit_region", region)
who = {"agency": agency, "region": region}

facts = ui.query("agency_facts", **who)
reports = ui.query("agency_reports", **who)
kind = listed.loc[(listed["agency"] == agency) & (listed["region"] == region), "kind"]
st.caption(f"{ui.plain(region)} · {kind.iloc[0] if len(kind) else ''} · 现行报告 {facts['year'].nunique()} 份")
if facts.empty:
    st.info("该单位没有现行报告。")
    st.stop()

years = sorted(set(facts["year"]), reverse=True)
if st.session_state.get("agency_year") not in years:
    st.session_state.pop("agency_year", None)  # another agency's year: the shared year, else the latest
year = ui.linked(st.selectbox, "年度", years, key="agency_year", param="unit_year", format_func=lambda y: f"{y}年",
                 index=years.index(filters.year) if filters.year in years else 0,
                 help="默认为侧栏所选年度；该单位没有那一年的报告时为最近一年")
this = facts[facts["year"] == year]
version, report_id = str(this["version"].iloc[0]), int(this["report_id"].iloc[0])
values = dict(zip(this["metric"], this["value"]))

form_tab, source_tab, history_tab, issues_tab, trend_tab, peer_tab = ui.tabs(
    ["报告表格", "原始文件", "版本记录", "问题记录", "历年主要数据", "同类比较"], key="agency_tab")

with form_tab:
    st.caption(f"{ui.plain(agency)} {year}年度政府信息公开工作年度报告 · {version}年版表格 · “—”＝报告未填（不按 0 计）")
    for section in form_view.SECTIONS:
        st.markdown(f"**{form_view.TITLES[section]}**")
        frame = form_view.section_frame(section, values, version)
        if frame.drop(columns=[form_view.BLOCK], errors="ignore").notna().to_numpy().any():
            # the default number format: format="plain" shows 443 as 442.99999999999994 in the browser
            ui.table(frame, key=f"agency_{section}", name=f"{agency}-{year}-{section}", downloads=False,
                     hide_index=False, width="stretch")
        else:
            st.caption("本部分没有填报的数字。")
        ui.download_buttons(frame.reset_index(), f"{agency}-{year}-{section}", f"agency_{section}_download")

with source_tab:
    source = ui.query("agency_source", report_id=report_id)
    if source.empty:
        st.info("这份报告没有保存原始文件。")
    else:
        s = source.iloc[0]
        st.text(f"文件：{s['file_name']}（{s['kind']}，{s['size_bytes']:,} 字节）")  # as uploaded: not markdown
        st.caption(f"SHA-256：{s['sha256']}")
        st.download_button("下载原始文件", ui.logged(bytes(s["content"]), s["file_name"]), export.file_name(s["file_name"]),
                           key="agency_source_download")

with history_tab:
    history = reports[reports["year"] == year]
    st.caption("该单位该年度存过的所有报告：现行（current）、被替换（replaced）、已撤销（undone），以及谁、何时、为何替换。")
    view = history.assign(status=history["status"].map({"current": "现行", "replaced": "已被替换", "undone": "已撤销"}))
    view = view[["report_id", "status", "version", "imported_at", "imported_by", "replaces", "replace_reason",
                 "ended_at", "ended_by", "batch_id", "via", "file_name"]].rename(columns={
        "report_id": "报告编号", "status": "状态", "version": "表格版本", "imported_at": "导入时间", "imported_by": "导入人",
        "replaces": "替换了报告", "replace_reason": "替换原因", "ended_at": "失效时间", "ended_by": "操作人",
        "batch_id": "导入批次", "via": "导入方式", "file_name": "文件"})
    ui.table(view, key="agency_history", name=f"{agency}-{year}-版本记录")

with issues_tab:
    issues = ui.query("agency_issues", **who)
    if issues.empty:
        st.info("该单位的报告导入时没有发现问题。")
    else:
        st.caption("导入时发现的问题（各年度、各版本）；确认人不为空的错误是明知报告原文如此而确认接受的。")
        view = issues.assign(severity=issues["severity"].map({"error": "错误", "warning": "警告"}),
                             status=issues["status"].map({"current": "现行", "replaced": "已被替换", "undone": "已撤销"}))
        view = view[["year", "report_id", "status", "severity", "rule", "code", "message", "accepted_by",
                     "accepted_at"]].rename(columns={
            "year": "年度", "report_id": "报告编号", "status": "报告状态", "severity": "严重程度", "rule": "规则",
            "code": "问题代码", "message": "说明", "accepted_by": "确认人", "accepted_at": "确认时间"})
        ui.table(view, key="agency_issues", name=f"{agency}-问题记录",
                 column_config={"年度": st.column_config.NumberColumn(format="%d")})

with trend_tab:
    trend = ui.query("agency_trend", **who)
    view = trend.rename(columns={"year": "年度", "version": "表格版本", "published": "主动公开（条）",
                                 "new_applications": "新收申请（件）", "handled": "办理总计（件）",
                                 "disclosure_rate": "公开率", "appeals": "复议诉讼（件）"})
    if len(trend) > 1:
        lines = view.assign(年度=view["年度"].astype(str) + "年").set_index("年度")  # a year, not 2,019
        st.line_chart(lines[["主动公开（条）", "新收申请（件）", "办理总计（件）", "复议诉讼（件）"]], x_label="年度",
                      y_label="数量")
    ui.table(view, key="agency_trend", name=f"{agency}-历年主要数据",
             column_config={"年度": st.column_config.NumberColumn(format="%d"),
                            "公开率": st.column_config.NumberColumn(format="percent")})

with peer_tab:
    if peer_tab.open is not False:  # computed only while the tab is open
        # peers: the agencies of its kind in the sidebar's region, or in its own region when it lies outside that
        inside = region == filters.region or region.startswith(filters.region + "/")
        scope = filters.region if inside else region
        peer_kind = kind.iloc[0] if len(kind) else ""
        peer_rows = ui.query("peer_values", region=scope, year=year, kind=peer_kind)
        st.caption(f"同类单位：{ui.plain(scope)}（含下级地区）{year}年报送年报的全部「{peer_kind}」类单位，共 {len(peer_rows)} 个"
                   f"（含本单位）。百分位：同类单位中数值低于本单位的占比，数值相同的其他单位按一半计"
                   f"（最小为 0，最大值也低于 100）；未填的单位不参与该项比较。公开率只在办理结果总计不少于"
                   f" {peers.MIN_HANDLED} 件的单位之间比较，中位数和单位数也只计这些单位。")
        stand = peers.standing(peer_rows, agency, region)
        ui.table(peers.standing_table(stand), key="agency_peers", name=f"{agency}-{year}-同类比较",
                 column_config={peers.PERCENTILE: st.column_config.NumberColumn(format="%.1f")})
        columns = st.columns(2)
        for n, metric in enumerate(peers.METRICS):
            with columns[n % 2]:
                ui.chart(peers.distribution_chart(peer_rows, metric, agency, region, scope.rsplit("/", 1)[-1]),
                         key=f"agency_peer_{metric}", name=f"{agency}-{year}-同类分布-{peers.METRICS[metric][0]}")
