"""报告导入: reports (.docx/.pdf/.html/.txt or pasted) → the form beside the text → corrected → problems listed → confirm."""
import dataclasses

import streamlit as st

from disclosure import config, ui
from disclosure.contract import catalog
from disclosure.contract.agencies import guess_kind
from disclosure.contract.values import format_value
from disclosure.ingest import ACCEPTABLE_RULES, review
from disclosure.present import form_view

NEW_REGION = "新地区…"

st.title("报告导入")
ui.require_writer(ui.page_start())
nonce = st.session_state.setdefault("import_nonce", 0)  # fresh fields and an empty paste box after each commit
if "import_result" in st.session_state:
    st.success(ui.plain(st.session_state.pop("import_result")))

files = st.file_uploader("选择政府信息公开工作年度报告（Word .docx、PDF、网页 .html/.htm、文本 .txt，可多选）",
                         type=["docx", "pdf", "html", "htm", "txt", "doc", "wps"], accept_multiple_files=True,
                         key="import_report_file", max_upload_size=ui.uploader_megabytes(),
                         help=f"单个文件不超过 {config.megabytes(ui.upload_limit())}。")
files = ui.new_files(files, "import")
ui.reset_when(nonce, "import_report_text", {"import_report_text": ""})
with st.expander("或者粘贴报告全文", expanded=not files):
    text = st.text_area("报告全文", key="import_report_text", height=160, placeholder="从网页或文档中复制整篇年度报告，粘贴到这里")
    text_name = st.text_input("记为文件名", "粘贴的报告.txt", key="import_text_name")
replace = st.checkbox("替换已有报告（旧版本保留在历史中）", key="import_replace")
reason = st.text_input("替换原因", key="import_reason") if replace else ""

named = [(f.name, f.getvalue()) for f in files or []]
if text.strip():
    named.append((text_name.strip() or "粘贴的报告.txt", text.encode("utf-8")))
if not named:
    st.info("上传或粘贴报告后，程序按年报表格读出各项数值，与原文并排显示。核对、补填后确认，才会写入数据库。")
    st.stop()
reports = ui.read_reports(named)
regions = ui.query("regions_all")["path"].tolist()


def review_report(i: int, rf):
    """One report: who and which year, the form beside its text, the options; returns it with what the user supplied."""
    reading = rf.reading
    guessed = guess_kind(reading.agency or "")
    ui.reset_when((nonce, rf.file, hash(rf.data)), f"import_{i}", {
        f"import_agency_{i}": reading.agency or "", f"import_year_{i}": reading.year,
        f"import_version_{i}": reading.version, f"import_kind_{i}": "" if guessed == "其他" else guessed,
        f"import_parent_{i}": None, f"import_new_parent_{i}": "", f"import_partial_{i}": None, f"import_suggest_{i}": None,
        f"import_accept_{i}": None, **{f"import_{s}_{i}": None for s in form_view.SECTIONS}})
    refusal = form_view.refusal(rf)
    if refusal:
        st.error(ui.plain(refusal))
        return rf, {}

    c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 4])
    agency = c1.text_input("单位名称", key=f"import_agency_{i}")
    year = c2.number_input("年度", min_value=2000, max_value=2100, step=1, value=None, key=f"import_year_{i}")
    version = c3.selectbox("表格版本", catalog.VERSIONS, index=None, key=f"import_version_{i}", placeholder="请选择",
                           help="2019 版：本年新制作数量、政府集中采购；2021 版：本年制发件数、本年收费金额")
    kind = c4.selectbox("单位类型", ["", *catalog.KINDS], key=f"import_kind_{i}", format_func=lambda k: k or "（未填写）")
    parent = c5.selectbox("所属地区", [*regions, NEW_REGION], index=None, key=f"import_parent_{i}",
                          placeholder="已有的单位不必选择", help="新单位的所属地区：选择已有地区，或选「新地区…」后填写完整路径。")
    if parent == NEW_REGION:
        parent = c5.text_input("新地区的完整路径", key=f"import_new_parent_{i}", placeholder="如 江西省/赣州市/会昌县")

    form, source = st.columns([5, 2])
    corrections, spots = {}, {}
    with form:
        st.caption("左侧是按年报表格读出的数值，可直接修改或补填；改过的数值记为「人工更正」。空白＝原文为空或未能读出。")
        for section, title in form_view.TITLES.items():
            st.markdown(f"**{title}**")
            if section in form_view.VERSIONED and not version:
                st.info("请先选择表格版本。")
                continue
            corrections |= ui.form_editor(section, reading.values, version, key=f"import_{section}_{i}")
            spots[section] = st.container()
    with source:
        st.markdown("**报告原文**")
        st.code(reading.text, language=None, wrap_lines=True, height=720)
        origins = [{"栏目": catalog.label(code), "数值": format_value(value), **origin}
                   for code, value in reading.values.items() if (origin := reading.origin(code))]
        if origins:
            with st.expander("每个数值的出处（原文的页、行）"):
                st.dataframe(origins, hide_index=True, placeholder=ui.BLANK, key=f"import_origins_{i}", column_config={
                    "page": st.column_config.NumberColumn("页"), "line": st.column_config.NumberColumn("行"),
                    "text": st.column_config.TextColumn("原文")})
        mismatches = [m.message for m in reading.mismatches]
        for notice in reading.notices:
            if notice not in mismatches:
                st.info(ui.plain(notice))
        if mismatches:
            st.warning("正文与表格不一致（以表格为准，请核对）：\n\n" + "\n".join(f"- {ui.plain(m)}" for m in mismatches))

    for code, figures in reading.candidates.items():
        choices = [None, *(f.value for f in figures)]
        picked = st.radio(f"{catalog.label(code)}：正文给出了不同的数字，请选择", choices, key=f"import_pick_{code}_{i}",
                          horizontal=True, format_func=lambda v: "都不对，不填" if v is None else format_value(v))
        if picked is not None:
            corrections[code] = picked
    partial = bool(reading.unresolved or reading.doubtful) and st.checkbox(
        "只导入确定的数值，记录缺失的单元格", key=f"import_partial_{i}",
        help="未能确定的单元格留空，作为缺失记录在数据质量中；也可以在表格中补填。")
    suggest = bool(reading.suggested) and st.checkbox(
        f"采用由勾稽关系确定的建议值（{len(reading.suggested)} 个）", key=f"import_suggest_{i}",
        help="原表空白、但由表内勾稽关系唯一确定的单元格；采用后记为「采用建议值」。")
    spots["accept"] = st.container()
    return dataclasses.replace(rf, agency=agency.strip(), year=int(year) if year else None, version=version or "",
                               kind_of_agency=kind, parent=(parent or "").strip(), accept_partial=partial,
                               use_suggestions=suggest, corrections=corrections), spots


reviewed = []
for i, tab in enumerate(st.tabs([ui.plain(rf.file) for rf in reports])):
    with tab:
        reviewed.append(review_report(i, reports[i]))

plan = ui.prepare([rf for rf, _ in reviewed], replace)
issues = plan.issues
accepted = set()
for i, (rf, spots) in enumerate(reviewed):
    mine = [x for x in issues if x.file == rf.file]
    draft = next((d for d in plan.drafts if d.file == rf.file), None)
    marks = form_view.marks(rf.reading, rf.corrections, draft, mine)
    values = {**rf.reading.values, **rf.corrections}
    for section in form_view.SECTIONS:
        if section in spots:
            with spots[section]:
                ui.marked_view(section, values, rf.version, marks, key=f"import_marks_{section}_{i}")
    arithmetic = sum(x.is_error and x.rule in ACCEPTABLE_RULES for x in mine)
    if arithmetic:
        with spots["accept"]:
            if st.checkbox(f"报告原文如此，接受 {arithmetic} 个勾稽关系错误（接受人和时间会被记录）", key=f"import_accept_{i}"):
                accepted.add(draft.ref)

st.subheader("检查结果")
ui.plan_summary(plan)
if issues:
    table = form_view.issue_table(issues)
    st.dataframe(table, hide_index=True, placeholder=ui.BLANK, key="import_issues", width="stretch", column_config={"行": None})
    ui.download_buttons(table, "报告导入检查问题清单", "import_issues_download")
diff = review.diff_frame(plan)
if not diff.empty:
    st.markdown("**与已存数据的差异**")
    st.dataframe(diff, hide_index=True, placeholder=ui.BLANK, key="import_diff")

ui.confirm_button(plan, accepted, reason, via="报告导入", page="import", key="import_report_commit",
                  blocked_hint="修改、补填或勾选相应选项后才能导入", sources=[f.file_id for f in files])
