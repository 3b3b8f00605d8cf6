"""数据上传: choose files → correct cells → every problem listed → confirm → what was written; history;
the 单位名单 (which agencies are expected to report); templates."""
import dataclasses
import hashlib

import pandas as pd
import streamlit as st

from disclosure import config, ui
from disclosure.contract import catalog
from disclosure.ingest import Choices, review, roster
from disclosure.issues import Refusal
from disclosure.present import export
from disclosure.read.read_table import ENCODINGS, sheet_names

EDITABLE_ROWS = 2000  # beyond this an in-page editor gets slow; fix big files in Excel instead
MAX_QUESTIONS = 50  # new agencies asked for their kind on the page; more are better typed into the file
NEW_REGION = "新地区…"


def _token(ident: tuple[str, str]) -> str:
    """A short widget-key part for one agency (region path, name key)."""
    return hashlib.sha1("|".join(ident).encode()).hexdigest()[:10]


st.title("数据上传")
ui.require_writer(ui.page_start())
upload_tab, history_tab, roster_tab, template_tab = st.tabs(["上传并检查", "导入历史与撤销", "单位名单", "填报模板"])

with upload_tab:
    nonce = st.session_state.setdefault("upload_nonce", 0)  # fresh editors after each commit
    if "upload_result" in st.session_state:
        st.success(ui.plain(st.session_state.pop("upload_result")))
    files = st.file_uploader("选择 CSV 或 Excel 文件（可多选，同一次上传的文件作为一个批次导入）",
                             type=["csv", "txt", "tsv", "xlsx", "xls", "et", "ods"], accept_multiple_files=True,
                             key="upload_file", max_upload_size=ui.uploader_megabytes(),
                             help=f"单个文件不超过 {config.megabytes(ui.upload_limit())}。")
    files = ui.new_files(files, "upload")
    left, middle, right = st.columns(3)
    encoding = left.selectbox("文件编码（CSV）", ["自动识别", *ENCODINGS], key="upload_encoding",
                              help="中文 Excel 另存的 CSV 通常是 GBK 编码，自动识别即可；乱码时再手动指定。")
    sheets = next((sheet_names(f.getvalue()) for f in files or []
                   if f.name.lower().endswith((".xlsx", ".xls", ".et", ".ods"))), [])
    sheet = middle.selectbox("工作表（Excel）", sheets, key="upload_sheet") if sheets else None
    replace = right.checkbox("替换已有报告（旧版本保留在历史中）", key="upload_replace")
    reason = st.text_input("替换原因", key="upload_reason") if replace else ""

    if not files:
        st.info("每行一份报告（宽表），或每行一个数值（长表）。表头可用指标代码或中文列名，见「填报模板」。"
                "上传后先检查，确认后才写入。")
    else:
        regions = ui.query("regions_all")["path"].tolist()
        left, right = st.columns(2)
        region = left.selectbox("所属地区（整个文件）", [*regions, NEW_REGION], index=None, key="upload_region",
                                placeholder="不指定：按文件中的「所属地区」列",
                                help="文件中没有写所属地区的行都属于这里；写了所属地区的行保持不变。")
        if region == NEW_REGION:
            region = right.text_input("新地区的完整路径", key="upload_new_region",
                                      placeholder="如 江西省/赣州市/会昌县").strip()
        tables = ui.read_uploads(files, ENCODINGS.get(encoding), sheet)
        edited, marked = [], []
        for table, upload in zip(tables, files):
            with st.expander(f"{ui.plain(table.file)}：{len(table.rows)} 行，{len(table.header)} 列"
                             + (f"，编码 {table.encoding}" if table.encoding else ""), expanded=len(tables) == 1):
                if not table.rows:
                    st.caption("没有可显示的数据行。")
                elif len(table.rows) <= EDITABLE_ROWS:
                    st.caption("可直接在表格中修改单元格，修改后自动重新检查，按表格中显示的数值写入；改过的数值记为"
                               "「人工更正」。选中行首的方框可删除整行（如模板中的示例行）。")
                    # keyed by the upload, not its place in the list: a file removed or added keeps others' edits
                    frame = st.data_editor(review.table_frame(table), key=f"upload_edit_{nonce}_{upload.file_id}",
                                           width="stretch", num_rows="delete")
                    table = review.apply_edits(table, frame)
                else:
                    st.caption(f"文件较大（{len(table.rows)} 行），只显示前 200 行；请在原文件中修改后重新上传。")
                    st.dataframe(review.table_frame(table).head(200), placeholder="",
                                 key=f"upload_preview_{nonce}_{upload.file_id}")
                marked.append((st.container(), upload.file_id))
            edited.append(table)

        # first as the files and the region say; then with what the user answers to the questions that check raises
        asked = Choices(parent=region or "")
        plan = ui.prepare(edited, replace, asked)
        kinds, keep_examples = {}, False
        if plan.kind_questions:
            st.subheader("新单位的单位类型")
            st.caption("下列新单位的类型，文件中的「单位类型」和单位名称都看不出来，请选择。汇总＝本级政府汇总各部门、乡镇的报告；"
                       "政府＝政府自身（如政府办公室）的报告。可能是汇总或政府的单位必须选择；其他单位不选则记为「其他」。")
            for n, q in enumerate(plan.kind_questions[:MAX_QUESTIONS]):
                c1, c2, c3 = st.columns([3, 3, 2])
                c1.text(f"{q.agency}（{q.region_path}）")
                c2.text(q.why)
                default = None if q.required else catalog.KINDS.index(q.guess or "其他")
                kind = c3.selectbox(f"{ui.plain(q.agency)} 的单位类型", catalog.KINDS, index=default, placeholder="请选择",
                                    key=f"upload_kind_{nonce}_{_token(q.ident)}", label_visibility="collapsed")
                if kind and (q.required or kind != catalog.KINDS[default]):
                    kinds[q.ident] = kind
            if len(plan.kind_questions) > MAX_QUESTIONS:
                st.caption(f"另有 {len(plan.kind_questions) - MAX_QUESTIONS} 个新单位未列出：请在文件的「单位类型」列填写后重新上传。")
        if any(i.code == "template-example" for i in plan.issues):
            keep_examples = st.checkbox("保留模板示例行（示例镇）并导入：只有确实是本单位的报告时才选", key=f"upload_keep_examples_{nonce}")
        choices = dataclasses.replace(asked, kinds=tuple(sorted(kinds.items())), keep_examples=keep_examples)
        if choices != asked:
            plan = ui.prepare(edited, replace, choices)
        use_suggestions = False
        if any(d.suggested for d in plan.drafts):
            st.subheader("建议值")
            st.caption("下列空白单元格的数值由表内勾稽关系唯一确定。只有采用后才会写入，并记为「采用建议值」。")
            st.dataframe(review.suggestions_frame(plan), hide_index=True, placeholder=ui.BLANK, key="upload_suggestions")
            use_suggestions = st.toggle("采用全部建议值", key=f"upload_use_suggestions_{nonce}")
            if use_suggestions:
                plan = ui.prepare([review.apply_suggestions(t, plan) for t in edited], replace, choices)

        for (slot, file_id), table in zip(marked, edited):
            rows, css = review.marked_rows(table, plan)
            if not rows.empty:
                slot.caption("有问题的行（只读，只列出涉及的列）：" + review.legend(css))
                slot.dataframe(review.styled_rows(rows, css), key=f"upload_marked_{nonce}_{file_id}", width="stretch")

        st.subheader("检查结果")
        ui.plan_summary(plan)
        if plan.drafts:
            st.dataframe(review.drafts_frame(plan), hide_index=True, placeholder=ui.BLANK, key="upload_drafts")
        if plan.new_agencies:
            st.caption("将新建的单位（写入前可在上面修改文件中的单位类型和所属地区）：")
            st.dataframe(review.new_agencies_frame(plan), hide_index=True, placeholder=ui.BLANK,
                         key="upload_new_agencies")

        if plan.issues:
            issues = review.issues_frame(plan.issues)
            f1, f2 = st.columns(2)
            levels = f1.multiselect("级别", ["错误", "警告"], default=["错误", "警告"], key="upload_issue_levels")
            rules = sorted(set(issues["规则"]) - {""})
            # empty means every rule: a rule that a later check brings up is never hidden by an earlier choice
            chosen = f2.multiselect("规则", rules, key="upload_issue_rules", placeholder="全部规则")
            shown = issues[issues["级别"].isin(levels) & (issues["规则"].isin(chosen or rules) | (issues["规则"] == ""))]
            st.dataframe(shown, hide_index=True, placeholder=ui.BLANK, key="upload_issues", width="stretch")
            ui.download_buttons(issues, "导入检查问题清单", "upload_issues_download")

        diff = review.diff_frame(plan)
        if not diff.empty:
            st.subheader("与已存数据的差异")
            st.dataframe(diff, hide_index=True, placeholder=ui.BLANK, key="upload_diff")

        accepted = set()
        acceptable = [d for d in plan.drafts if any(i.is_error and i.rule in ("R1", "R2", "R3", "R4") for i in d.issues)]
        if acceptable:
            st.subheader("确认接受勾稽关系错误")
            st.caption("公开的报告原文有时本身不平衡。若核对原文确实如此，可逐份确认接受；接受人和时间会被记录，"
                       "这些报告在数据质量页面一直标出。数值错误（非数字、负数、小数）不能接受，只能修改。")
            for d in acceptable:
                n = sum(i.is_error and i.rule in ("R1", "R2", "R3", "R4") for i in d.issues)
                if st.checkbox(f"{ui.plain(d.file)} 第{d.line}行 {ui.plain(d.agency)} {d.year}年："
                               f"报告原文如此，接受 {n} 个勾稽关系错误",
                               key=f"upload_accept_{nonce}_{d.ref}"):
                    accepted.add(d.ref)

        corrections = pd.concat([review.corrections_frame(t, e) for t, e in zip(tables, edited)], ignore_index=True)
        if not corrections.empty:
            st.subheader("在表格中做的更正")
            st.caption("确认导入时按下列更正后的数值写入（记为「人工更正」）。")
            st.dataframe(corrections, hide_index=True, placeholder=ui.BLANK, key="upload_corrections")

        ui.confirm_button(plan, accepted, reason, via="数据上传", page="upload", key="upload_commit",
                          blocked_hint="修改后才能导入", sources=[f.file_id for f in files])

with history_tab:
    if "upload_history_result" in st.session_state:
        st.success(ui.plain(st.session_state.pop("upload_history_result")))
    history = ui.query("batch_history")
    if history.empty:
        st.info("还没有导入记录。")
    else:
        table = history.rename(columns={
            "batch_id": "批次", "created_at": "导入时间", "created_by": "导入人", "via": "方式", "files": "文件",
            "is_demo": "示例数据", "reports": "报告数", "still_current": "现行报告数",
            "replaced_earlier": "替换旧报告数", "undone_at": "撤销时间", "undone_by": "撤销人"})
        st.dataframe(table, hide_index=True, placeholder=ui.BLANK, key="upload_history")
        open_batches = history[history["undone_at"].isna() & ~history["is_demo"]]["batch_id"].tolist()
        if open_batches:
            # a new batch is offered first (set, not cleared: a browser sends back what it showed last)
            ui.reset_when(open_batches[0], "upload_undo", {"upload_undo_batch": open_batches[0]})
            batch = st.selectbox("撤销批次", open_batches, key="upload_undo_batch", format_func=lambda b: f"批次 {b}")
            picked = history.set_index("batch_id").loc[batch]
            # a fresh box after every undo, and for each batch: ticking it once never undoes a second batch
            undone = st.session_state.setdefault("upload_undo_nonce", 0)
            sure = st.checkbox(f"确认撤销批次 {batch}（{ui.plain(picked['files'])}，"
                               f"{picked['created_at']:%Y-%m-%d %H:%M}，{ui.plain(picked['created_by'])} 导入，"
                               f"{picked['reports']} 份报告）：该批次写入的报告不再生效，被它替换的旧版本恢复",
                               key=f"upload_undo_sure_{batch}_{undone}")
            if st.button("撤销该批次", disabled=not sure, key="upload_undo"):
                st.session_state["upload_undo_nonce"] = undone + 1
                try:
                    n = ui.undo(batch)
                except Refusal as e:
                    ui.refused(e)
                else:
                    st.session_state["upload_history_result"] = f"已撤销批次 {batch}：{n} 份报告不再生效。"
                    st.rerun()
    if ui.query("demo_batch_count")["n"].iloc[0]:
        st.divider()
        st.caption("示例数据（示例县的虚构报告和海青乡 2020 真实报告）可以一键删除，您导入的数据不受影响。")
        if st.button("删除示例数据", key="upload_remove_demo"):
            st.session_state["upload_history_result"] = f"已删除示例数据：{ui.remove_demo()} 份报告。"
            st.rerun()

with roster_tab:
    if "roster_result" in st.session_state:
        st.success(ui.plain(st.session_state.pop("roster_result")))
    st.write("单位名单列出应报送年报的单位及其起止年度，「总览」和「数据质量」据此统计应报和缺报：名单中的单位在起止年度内应报"
             "（新设单位从起始年度起，撤并单位到终止年度止）；不在名单中的单位，上一年度报送过即为应报。名单可选，不导入也能使用。")
    files = ui.new_files(st.file_uploader(
        "选择单位名单（CSV 或 Excel）：单位名称、所属地区、单位类型、起始年度、终止年度（年度可留空）",
        type=["csv", "txt", "xlsx", "xls", "et", "ods"], accept_multiple_files=True, key="roster_file",
        max_upload_size=ui.uploader_megabytes(), help=f"单个文件不超过 {config.megabytes(ui.upload_limit())}。"), "roster")
    if files:
        plan = ui.prepare_roster(ui.read_uploads(files, None, None))
        for col, (label, value) in zip(st.columns(6), [
                ("单位", len(plan.entries)), ("新增", sum(e.status == "new" for e in plan.entries)),
                ("修改", sum(e.status == "changed" for e in plan.entries)),
                ("与已存相同", sum(e.status == "unchanged" for e in plan.entries)),
                ("错误", len(plan.blocking)), ("警告", len(plan.issues) - len(plan.blocking))]):
            col.metric(label, value)
        if plan.new_regions or plan.new_agencies:
            st.caption("将新建：" + "；".join([f"地区 {p}" for p in plan.new_regions]
                                          + [f"单位 {n}（{k}，{p}）" for n, k, p in plan.new_agencies]))
        if plan.entries:
            st.dataframe(roster.entries_frame(plan), hide_index=True, placeholder=ui.BLANK, key="roster_entries_new")
        if plan.issues:
            st.dataframe(review.issues_frame(plan.issues), hide_index=True, placeholder=ui.BLANK, key="roster_issues", width="stretch")
        if plan.blocking:
            st.error(f"名单有 {len(plan.blocking)} 个错误，修改文件后重新上传。数据库没有任何改动。")
        elif not plan.to_write:
            st.info("没有需要写入的内容：与已存名单相同。")
        if st.button("确认导入名单", type="primary", disabled=bool(plan.blocking) or not plan.to_write,
                     key="roster_commit"):
            n = ui.commit_roster(plan)
            st.session_state["roster_result"] = f"已写入单位名单：{n} 个单位。"
            st.session_state["roster_done"] = st.session_state.get("roster_done", set()) | {f.file_id for f in files}
            st.rerun()

    st.subheader("当前名单")
    current = ui.query("roster_entries")
    if current.empty:
        st.caption("尚未导入单位名单：应报单位按上一年度的报送情况推算。")
    else:
        shown = roster.listing_frame(current)
        st.dataframe(shown, hide_index=True, placeholder=ui.BLANK, key="roster_current")
        ui.download_buttons(shown, "单位名单", "roster_download")
        if not current["is_demo"].all():
            sure = st.checkbox("确认清空：删除导入的全部名单条目（示例数据的名单随示例数据删除）", key="roster_clear_sure")
            if st.button("清空名单", disabled=not sure, key="roster_clear"):
                st.session_state["roster_result"] = f"已清空单位名单：删除 {ui.clear_roster()} 个单位。"
                st.rerun()
    c1, c2 = st.columns(2)
    c1.download_button("名单模板（CSV）", export.to_csv(roster.template()), "单位名单模板.csv", "text/csv",
                       key="roster_template_csv")
    c2.download_button("名单模板（Excel）", export.to_xlsx(roster.template()), "单位名单模板.xlsx",
                       key="roster_template_xlsx")

with template_tab:
    st.write("按表格版本下载填报模板：第一行是中文列名，第二行是示例（导入前请改成本单位的数字或删除）。"
             "2019 版用于 2019、2020 年度报告，2021 版用于 2021 年度起的报告。")
    for version in ("2021", "2019"):
        c1, c2 = st.columns(2)
        c1.download_button(f"{version} 版模板（CSV）", export.template_file(version, "csv"),
                           f"年报模板-{version}版.csv", "text/csv", key=f"upload_template_{version}_csv")
        c2.download_button(f"{version} 版模板（Excel）", export.template_file(version, "xlsx"),
                           f"年报模板-{version}版.xlsx", key=f"upload_template_{version}_xlsx")
