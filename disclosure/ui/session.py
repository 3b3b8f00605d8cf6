"""Who is using this session: login and logout, the browser's session cookie, one's own password, and the checks
that refuse a role what it may not do. Asked again on every run of every tab."""
from __future__ import annotations

import streamlit as st

from disclosure.store import accounts, audit
from disclosure.ui import routing, server_state, shown
from disclosure.ui.data import connection, query
from disclosure.ui.plain import plain

SESSION_COOKIE = "disclosure_session"
TOKEN = "_session_token"  # this tab's login token; "" once it has ended here (logout), so it never falls back


def current_user() -> str:
    """The name every write records: the logged-in account, or in open mode the system user."""
    return account().name


def account() -> accounts.Account:
    """Who is using this session. In open mode (no accounts file) the local user, as 管理员; otherwise the
    logged-in account — from this tab's login or the browser's session cookie — or the login form, and the
    page stops there. Asked again on every run of every tab, from the process's sessions and the accounts file
    as they are now: a logout elsewhere in the browser, a new password, a changed role or a removed account
    shows this tab the login form at its next click."""
    if accounts.is_open():
        return accounts.local_admin()
    accounts.load()  # a damaged file is said now (AccountError), not after a login that could never succeed
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


def page_start() -> accounts.Account:
    """What every page does first: the account the entrypoint signed in; a page run on its own signs in itself."""
    who = st.session_state.pop("_started", None)
    if who is None:
        shown.begin("")
        who = sign_in()
        sidebar_status(who)
    return who


def sign_in() -> accounts.Account:
    routing.leave_folder_routing()
    if "set_cookie" in st.session_state:  # just logged in or out: before the login form, which stops the page
        with st.sidebar:
            _set_session_cookie(st.session_state.pop("set_cookie"))
    return account()


def sidebar_status(who: accounts.Account) -> None:
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
        shown.refused(e)
        return
    audit.record(connection(), who.name, "password")
    token = server_state.sessions.open(who.name)
    st.session_state[TOKEN] = st.session_state["set_cookie"] = token
    st.session_state["own_password_result"] = "密码已修改：其他浏览器中的登录已退出。"
    st.rerun()


def demo_notice() -> None:
    """Every page says when the data shown includes the synthetic demo county."""
    if query("demo_batch_count")["n"].iloc[0]:
        st.sidebar.caption("当前数据库含 **示例数据**（示例县，虚构数字；海青乡 2020 为真实报告）。"
                           "可在「数据上传」页删除。")


def require_writer(who: accounts.Account) -> None:
    """The import pages: a 查看者 sees why and nothing more."""
    if not who.writes:
        audit.record(connection(), who.name, "refused", "查看者打开导入页面")
        st.error(f"{plain(who.name)} 是查看者，不能导入、替换或撤销数据。需要时请管理员分配填报人员或管理员角色。")
        st.stop()


def require_admin(what: str) -> None:
    """What changes every agency's data — the roster, the demo — is the 管理员's."""
    who = account()
    if who.role != "admin":
        audit.record(connection(), who.name, "refused", what)
        st.error(f"{plain(who.name)}（{who.role_zh}）不能{plain(what)}，请联系管理员。")
        st.stop()
