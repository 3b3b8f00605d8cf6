"""The Streamlit edge: session and login, import state and widgets; the connection and cached reads (data.py) and
the shared view state (view.py) are re-exported here, so a page needs only `from disclosure import ui`."""
from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import streamlit as st

from disclosure import config, demo, ingest
from disclosure.ingest import roster
from disclosure.present import form_view
from disclosure.read import isolated, read_report, report_files
from disclosure.store import accounts, audit, db
from disclosure.ui.data import connection, query, stored_issues
from disclosure.ui import pacing, server_state, shown
from disclosure.ui.plain import plain
from disclosure.ui.shown import BLANK, chart, download_buttons, logged, table
from disclosure.ui.view import (Filters, draw_shared, filters, follow_page, linked, notices, open_agency, page_menu,
                                open_chart_pick, open_selected_row, set_url, tabs, url_value, write_url)
from disclosure.contract.issues import ERROR, Issue
from disclosure.read.read_table import Table
from disclosure.read.report_files import ReportFile


def current_user() -> str:
    """The name every write records: the logged-in account, or in open mode the system user."""
    return account().name


SESSION_COOKIE = "disclosure_session"
TOKEN = "_session_token"  # this tab's login token; "" once it has ended here (logout), so it never falls back


def account() -> accounts.Account:
    """Who is using this session. In open mode (no accounts file) the local user, as 管理员; otherwise the
    logged-in account — from this tab's login or the browser's session cookie — or the login form, and the
    page stops there. Asked again on every run of every tab, from the process's sessions and the accounts file
    as they are now: a logout elsewhere in the browser, a new password, a changed role or a removed account
    shows this tab the login form at its next click."""
    if accounts.is_open():
        return accounts.local_admin()
    token = st.session_state.get(TOKEN)
    if token is None:  # a new tab, a reload: the browser's cookie as it was when the tab connected
        token = st.context.cookies.get(SESSION_COOKIE)
    who = server_state.sessions.account(token)
    if who is not None:
        st.session_state[TOKEN] = token
        return who
    if token:
        st.session_state[TOKEN] = ""
    _login_form()
    st.stop()


def _login_form() -> None:
    st.subheader("请登录")
    st.caption("政务公开年报分析平台 · 请输入管理员分配的用户名和密码")
    name = st.text_input("用户名", key="login_user")
    password = st.text_input("密码", type="password", key="login_password")
    if st.button("登录", key="login_submit", type="primary"):
        signed_in = server_state.throttle.login(
            name, password, on_wait=lambda wait: st.caption(f"登录失败次数较多，请等待 {wait:.0f} 秒…"))
        if signed_in:
            audit.record(connection(), signed_in.name, "login")
            token = server_state.sessions.open(signed_in.name)
            st.session_state[TOKEN] = st.session_state["set_cookie"] = token
            st.rerun()
        audit.record(connection(), name, "login_failed")
        st.error("用户名或密码不正确。")


def _set_session_cookie(token: str) -> None:
    """The browser keeps the login for reloads and new tabs (SameSite: never sent by other sites)."""
    age = accounts.SESSION_HOURS * 3600 if token else 0
    st.html(f"<script>document.cookie = '{SESSION_COOKIE}={token}; path=/; max-age={age}; SameSite=Strict';"
            "</script>", unsafe_allow_javascript=True)


def wait_turn() -> None:
    """The entrypoint's first line: a session asking for runs faster than a person clicks waits here, before any
    Streamlit call (each is a point where a newer rerun message restarts the run, so a later place would let a
    flood restart runs without ever reaching it)."""
    pacing.pace(st.session_state)


def start(page: str) -> accounts.Account:
    """The entrypoint, before every page: who is using it (login unless open), the shared filters, and what
    the data includes."""
    follow_page(page)
    shown.begin(page)
    who = _sign_in()
    draw_shared()
    _sidebar_status(who)
    st.session_state["_started"] = who
    return who


def run(page) -> None:
    """The entrypoint runs the page, then offers what it showed as one download; a database error is said in
    Chinese (the original kept in an expander, shown as text); the URL is written once, after the page, as the
    view it showed."""
    try:
        page.run()
        with st.sidebar:
            shown.bundle_button(page.title)
    except duckdb.Error as e:
        st.error("读取数据时数据库出错，本页没有显示完整。请刷新页面重试；如果仍然出错，请把下面的原始错误信息发给管理员。")
        with st.expander("原始错误信息"):
            st.code(f"{type(e).__name__}: {e}", language=None)
    finally:
        write_url()


def page_start() -> accounts.Account:
    """What every page does first: the account the entrypoint signed in; a page run on its own signs in itself."""
    who = st.session_state.pop("_started", None)
    if who is None:
        shown.begin("")
        who = _sign_in()
        _sidebar_status(who)
    return who


def _sign_in() -> accounts.Account:
    _leave_folder_routing()
    if "set_cookie" in st.session_state:  # just logged in or out: before the login form, which stops the page
        with st.sidebar:
            _set_session_cookie(st.session_state.pop("set_cookie"))
    return account()


def _sidebar_status(who: accounts.Account) -> None:
    if accounts.is_open():
        st.sidebar.warning("开放模式：没有账户文件，打开本页面的人都可以查看和导入数据。"
                           "用 `python -m disclosure user add` 新建账户后需要登录。", icon=":material/lock_open:")
    else:
        st.sidebar.caption(f"当前用户：**{plain(who.name)}**（{who.role_zh}）")
        if "own_password_result" in st.session_state:
            st.sidebar.success(st.session_state.pop("own_password_result"))
        with st.sidebar.popover("修改密码", key="own_password"):
            _own_password_form(who)
        if st.sidebar.button("退出登录", key="logout"):
            audit.record(connection(), who.name, "logout")
            server_state.sessions.close(st.session_state.get(TOKEN))  # every tab on this token: at its next run
            st.session_state[TOKEN] = st.session_state["set_cookie"] = ""  # the cookie expires on the next run
            st.rerun()
    demo_notice()


def _own_password_form(who: accounts.Account) -> None:
    """Everyone changes their own password, after giving the current one (counted by the login throttle, so the
    form cannot be used to guess it). Every other login of the account ends; this tab gets a new one."""
    with st.form("own_password_form", clear_on_submit=True):
        old = st.text_input("当前密码", type="password", key="own_password_old")
        new = st.text_input("新密码（至少 8 个字符）", type="password", key="own_password_new")
        again = st.text_input("再输入一次新密码", type="password", key="own_password_again")
        if not st.form_submit_button("修改密码", type="primary"):
            return
    if new != again:
        st.error("两次输入的新密码不一致。")
        return
    if server_state.throttle.login(who.name, old, on_wait=lambda wait: st.caption(f"请等待 {wait:.0f} 秒…")) is None:
        audit.record(connection(), who.name, "login_failed", "修改密码时当前密码不正确")
        st.error("当前密码不正确。")
        return
    try:
        accounts.passwd(who.name, new)
    except accounts.AccountError as e:
        st.error(plain(str(e)))
        return
    audit.record(connection(), who.name, "password")
    token = server_state.sessions.open(who.name)
    st.session_state[TOKEN] = st.session_state["set_cookie"] = token
    st.session_state["own_password_result"] = "密码已修改：其他浏览器中的登录已退出。"
    st.rerun()


def require_writer(who: accounts.Account) -> None:
    """The import pages: a 查看者 sees why and nothing more."""
    if not who.writes:
        audit.record(connection(), who.name, "refused", "查看者打开导入页面")
        st.error(f"{plain(who.name)} 是查看者，不能导入、替换或撤销数据。需要时请管理员分配填报人员或管理员角色。")
        st.stop()


def _leave_folder_routing() -> None:
    """A deep link opened first after start-up (/upload) runs the page bare, through Streamlit's old
    pages/ folder routing, because dashboard.py has not yet declared the navigation. Switch that routing
    off and run again, so dashboard.py's page config, sidebar and navigation surround every page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def demo_notice() -> None:
    """Every page says when the data shown includes the synthetic demo county."""
    if query("demo_batch_count")["n"].iloc[0]:
        st.sidebar.caption("当前数据库含 **示例数据**（示例县，虚构数字；海青乡 2020 为真实报告）。"
                           "可在「数据上传」页删除。")


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


def require_admin(what: str) -> None:
    """What changes every agency's data — the roster, the demo — is the 管理员's."""
    who = account()
    if who.role != "admin":
        audit.record(connection(), who.name, "refused", what)
        st.error(f"{plain(who.name)}（{who.role_zh}）不能{plain(what)}，请联系管理员。")
        st.stop()


def remove_demo() -> int:
    require_admin("删除示例数据")
    return demo.remove(connection())


# ---------------------------------------------------------------- report import


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


def form_editor(section: str, values: dict[str, float], version: str | None, key: str) -> dict[str, float]:
    """One section of the official form as an editable table; returns the cells the user typed, by code."""
    frame = form_view.section_frame(section, values, version)
    label_width = {"s1": "medium", "s2": 150, "s3": 270, "s4": "medium"}[section]
    columns = {"_index": st.column_config.TextColumn(form_view.INDEX_NAMES[section], width=label_width)}
    if form_view.BLOCK in frame.columns:
        columns[form_view.BLOCK] = st.column_config.TextColumn(form_view.BLOCK, width=145, disabled=True)
    for column, value_type in form_view.value_columns(section, version):
        # no format="plain": in this Streamlit it shows 443 as 442.99999999999994
        columns[column] = st.column_config.NumberColumn(
            column, min_value=None if value_type == "signed_count" else 0,
            step=None if value_type == "decimal" else 1, width=86 if section == "s3" else None)
    # section 二 has cells the form lacks (规章 × 处理决定数量): there an empty cell is no cell, not a blank one
    edited = st.data_editor(frame, key=key, column_config=columns, width="stretch", height=_rows_height(frame),
                            placeholder=" " if section == "s2" else "空")
    return form_view.edits(frame, edited, section, version)


def _rows_height(frame: pd.DataFrame) -> int:
    """Tall enough to show every row of the form without scrolling."""
    return 35 * (len(frame) + 1) + 3


def marked_view(section: str, values: dict[str, float], version: str | None, marks, key: str) -> None:
    """The cells of a section a reviewer should look at, coloured in a read-only copy of the form."""
    if not form_view.has_marks(section, version, marks):
        return
    st.caption("需要核对的行：" + form_view.legend(section, version, marks))
    frame = form_view.styled(section, values, version, marks, only_marked=True)
    st.dataframe(frame, key=key, width="stretch", height=_rows_height(frame.data))


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
            st.error(str(e))
            return
        st.session_state[f"{page}_result"] = (
            f"已写入批次 {result.batch_id}：新增 {result.new} 份报告，替换 {result.replaced} 份，"
            f"与已存相同 {result.unchanged} 份，共 {result.cells} 个数值。")
        st.session_state[f"{page}_nonce"] = st.session_state.get(f"{page}_nonce", 0) + 1
        st.session_state[f"{page}_done"] = st.session_state.get(f"{page}_done", set()) | set(sources)
        st.rerun()
