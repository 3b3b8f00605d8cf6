"""The import pages' state: files read once per session, plans kept until their inputs or the stored data change,
commit and undo (audited), the roster and the demo data, and the confirm button that writes exactly what was shown."""
from __future__ import annotations

import hashlib

import streamlit as st

from disclosure import config, demo, ingest
from disclosure.ingest import roster
from disclosure.issues import ERROR, Issue
from disclosure.read import isolated, read_report, report_files
from disclosure.read.read_table import Table
from disclosure.read.report_files import ReportFile
from disclosure.store import audit, db
from disclosure.ui.data import connection
from disclosure.ui.plain import plain
from disclosure.ui.session import account, current_user, require_admin
from disclosure.ui.shown import refused


def upload_limit() -> int:
    """The largest file the app reads, in bytes: DISCLOSURE_MAX_UPLOAD_MB, never above the server's own limit."""
    return config.max_upload_bytes(st.get_option("server.maxUploadSize"))


def uploader_megabytes() -> int:
    """upload_limit for st.file_uploader(max_upload_size=…), whole megabytes: the widget then shows the app's limit and
    refuses a larger file before it is sent."""
    return max(1, -(-upload_limit() // (1024 * 1024)))


def read_uploads(files, encoding: str | None, sheet: str | None) -> list:
    """Uploaded files as tables, read once per (file, encoding, sheet); too-large files refused unread. Only the
    files still in the uploader are kept."""
    cache = st.session_state.setdefault("_read_cache", {})
    tables = []
    progress = st.progress(0.0, text="正在读取文件…") if files else None
    for n, f in enumerate(files, start=1):
        key = (f.file_id, encoding, sheet)
        if key not in cache:
            cache[key] = _read_one(f, encoding, sheet)
        tables.append(cache[key])
        progress.progress(n / len(files), text=f"已读取 {n}/{len(files)} 个文件")
    if progress:
        progress.empty()
    current = {f.file_id for f in files}
    for key in [k for k in cache if k[0] not in current]:
        del cache[key]
    return tables


def _read_one(f, encoding, sheet):
    limit = upload_limit()
    if f.size > limit:
        return Table(f.name, "csv", None, None, issues=[Issue(
            code="file-too-large", severity=ERROR, file=f.name, value=config.megabytes(f.size),
            message=f"文件 {f.name} 大小 {config.megabytes(f.size)}，超过上限 {config.megabytes(limit)}，未读取；"
                    "请拆分成几个文件再上传")])
    return isolated.read_table_file(f.name, f.getvalue(), encoding=encoding, sheet=sheet)


PLANS_KEPT = 6  # a page run may check a batch three ways (as is, with choices, with suggestions)


def prepare(tables: list, replace: bool, choices: ingest.Choices | None = None):
    """The plan for these tables, kept until the tables, the options or the stored data change."""
    con = connection()
    who = account()
    key = (tuple(_input_key(t) for t in tables), replace, choices, db.data_version(con), who)
    cache = st.session_state.setdefault("_plan_cache", {})
    if key in cache:
        cache[key] = cache.pop(key)  # most recently used last
    else:
        bar = st.progress(0.0, text="正在检查…")
        cache[key] = ingest.prepare(con, tables, replace=replace, account=who, choices=choices,
                                    progress=lambda done, stage: bar.progress(min(done, 1.0), text=stage))
        bar.empty()
        for old in list(cache)[:-PLANS_KEPT]:
            del cache[old]
    return cache[key]


def _plan_key(plan):
    """What the user gave a plan (tables, options, who), or the plan itself when it was not cached. Not the stored
    data's version: another clerk's write re-checks the plan but asks this user for nothing — a write that
    touches the same reports is caught at commit (StaleImport)."""
    inputs, replace, choices, _, who = next(
        (k for k, p in st.session_state.get("_plan_cache", {}).items() if p is plan), (id(plan), None, None, None, None))
    return inputs, replace, choices, who


def _input_key(t) -> tuple:
    """What makes one input to a plan: a table's cells and their origins; a report's bytes and all the user supplied."""
    if isinstance(t, ReportFile):
        return (t.file, hashlib.sha256(t.data).hexdigest(), t.agency, t.year, t.version, t.kind_of_agency, t.parent,
                t.accept_partial, t.use_suggestions, tuple(sorted(t.corrections.items())))
    return (t.file, hash(tuple(tuple(r.cells) for r in t.rows)),
            hash(tuple(tuple(sorted(r.origins.items())) for r in t.rows)))


def commit(plan, accept_errors: set[str], reason: str, via: str):
    with st.spinner("正在写入…"):
        result = ingest.commit(connection(), plan, user=current_user(), via=via, accept_errors=accept_errors,
                               replace_reason=reason)
    files = "、".join(dict.fromkeys(t.file for t in plan.tables))
    audit.record(connection(), current_user(), "import", f"{via} 批次 {result.batch_id}：{files}；新增 {result.new} 份，"
                 f"替换 {result.replaced} 份")
    return result


def undo(batch_id: int) -> int:
    undone = ingest.undo(connection(), batch_id, user=current_user(), account=account())
    audit.record(connection(), current_user(), "undo", f"批次 {batch_id}：{undone} 份报告不再生效")
    return undone


def prepare_roster(tables: list) -> roster.RosterPlan:
    return roster.prepare(connection(), tables)


def commit_roster(plan: roster.RosterPlan) -> int:
    require_admin("导入单位名单")
    with st.spinner("正在写入…"):
        return roster.commit(connection(), plan, user=current_user())


def clear_roster() -> int:
    require_admin("清空单位名单")
    return roster.clear(connection())


def remove_demo() -> int:
    require_admin("删除示例数据")
    return demo.remove(connection())


def read_reports(named: list[tuple[str, bytes]]) -> list[ReportFile]:
    """Report files (name, bytes) as read for import, once per content; files over the size limit refused unread."""
    cache = st.session_state.setdefault("_report_cache", {})
    keys = [(name, hashlib.sha256(data).hexdigest()) for name, data in named]
    for key, (name, data) in zip(keys, named):
        if key not in cache:
            cache[key] = _read_report(name, data)
    st.session_state["_report_cache"] = {k: cache[k] for k in keys}
    return [cache[k] for k in keys]


def _read_report(name: str, data: bytes) -> ReportFile:
    limit = upload_limit()
    if len(data) > limit:
        return ReportFile(name, "", b"", read_report.Reading(is_report=False),
                          error=f"文件 {name} 大小 {config.megabytes(len(data))}，超过上限 {config.megabytes(limit)}，未读取")
    return report_files.read_file(name, data, reader=isolated.load_report)


def reset_when(signature, slot: str, values: dict) -> None:
    """Set widgets' state when `signature` (which file, which batch) differs from the last run's; None clears one."""
    mark = f"_signature_{slot}"
    if st.session_state.get(mark) != signature:
        for key, value in values.items():
            if value is None:
                st.session_state.pop(key, None)
            else:
                st.session_state[key] = value
        st.session_state[mark] = signature


def plan_summary(plan) -> None:
    """What a commit would do, in figures, and what it would create."""
    for col, (label, value) in zip(st.columns(6), [
            ("报告", len(plan.drafts)), ("新增", plan.count("new")), ("替换", plan.count("replace")),
            ("与已存相同", plan.count("unchanged")), ("错误", sum(i.is_error for i in plan.issues)),
            ("警告", sum(not i.is_error for i in plan.issues))]):
        col.metric(label, value)
    if plan.new_regions or plan.new_agencies:
        st.caption("将新建：" + "；".join(  # names from the files: escaped, a caption is Markdown
            [f"地区 {plain(p)}" for p in plan.new_regions]
            + [f"单位 {plain(n)}（{k or '类型待选择'}，{plain(p)}）" for n, k, p in plan.new_agencies]))


def new_files(files, page: str) -> list:
    """The uploaded files not yet committed: after a commit the uploader keeps its files, the page does not."""
    done = st.session_state.get(f"{page}_done", set())
    return [f for f in files or [] if f.file_id not in done]


def confirm_button(plan, accepted: set[str], reason: str, *, via: str, page: str, key: str, blocked_hint: str,
                   sources: list[str]) -> None:
    """The confirm button of an import page: disabled while anything blocks. It writes exactly the plan the page
    showed on the run before the click: when the click comes with a change (a cell edited and the button clicked
    at once), the page shows the new check and writes nothing. After a commit the page starts over
    (`{page}_nonce`), leaves the committed `sources` aside (`{page}_done`) and says what was written."""
    blocking = plan.blocking(accepted)
    if blocking:
        st.error(f"还有 {len(blocking)} 个错误，{blocked_hint}。数据库没有任何改动。")
    elif not plan.to_write:
        st.info("没有需要写入的内容：与已存数据相同。")
    shown = (_plan_key(plan), frozenset(accepted))
    before = st.session_state.get(f"_{page}_shown")
    st.session_state[f"_{page}_shown"] = shown
    if st.button("确认导入", type="primary", disabled=bool(blocking) or not plan.to_write, key=key):
        if before != shown:
            st.warning("表格或选项刚刚有改动，上面是重新检查的结果；请核对后再点「确认导入」。数据库没有任何改动。")
            return
        try:
            result = commit(plan, accepted, reason, via=via)
        except ingest.StaleImport as e:
            refused(e)
            return
        st.session_state[f"{page}_result"] = (
            f"已写入批次 {result.batch_id}：新增 {result.new} 份报告，替换 {result.replaced} 份，"
            f"与已存相同 {result.unchanged} 份，共 {result.cells} 个数值。")
        st.session_state[f"{page}_nonce"] = st.session_state.get(f"{page}_nonce", 0) + 1
        st.session_state[f"{page}_done"] = st.session_state.get(f"{page}_done", set()) | set(sources)
        st.rerun()
