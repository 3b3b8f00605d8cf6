"""账户与审计 (管理员 only): the accounts — who may do what, where — created, changed, reset and removed here, and
the audit log of logins, refusals, imports, undos and downloads."""
import pandas as pd
import streamlit as st

from disclosure import ui
from disclosure.store import accounts, audit

st.title("账户与审计")
me = ui.page_start()
ui.require_admin("查看账户与审计日志")

log_tab, accounts_tab = ui.tabs(["审计日志", "账户"], key="admin_tab")

with log_tab:
    st.caption("登录、登录失败、退出、拒绝、导入、撤销、下载和账户的改动，每次一行，最新的在前；只有管理员能看到。")
    left, right = st.columns(2)
    event = left.selectbox("事件", ["", *audit.EVENTS], key="admin_event",
                           format_func=lambda e: audit.EVENTS.get(e, "全部事件"))
    who = right.text_input("用户", key="admin_who", placeholder="全部用户（填写登录名只看一人）").strip()
    entries = audit.recent(ui.connection(), event=event, who=who, limit=5000)
    if entries.empty:
        st.info("没有符合条件的记录。")
    else:
        ui.table(entries, key="admin_log", name="审计日志", width="stretch")


def changed(what: str, name: str) -> None:
    """An account change is written down, said, and shown at once."""
    audit.record(ui.connection(), me.name, "account", f"{what}：{name}")
    st.session_state["admin_result"] = f"已{what}：{name}"
    st.rerun()


def account_fields(prefix: str, current: accounts.Account | None = None):
    """Role, the agencies an uploader may change, the regions a viewer or uploader may see."""
    roles = list(accounts.ROLES)
    role = st.selectbox("角色", roles, key=f"{prefix}_role", format_func=accounts.ROLES.get,
                        index=roles.index(current.role) if current else 2,
                        help="管理员：全部功能；填报人员：只能导入、替换、撤销分配的单位；查看者：只能查看和下载")
    agencies = st.text_area("可导入的单位（填报人员，每行一个：单位名称@所属地区）", key=f"{prefix}_agencies",
                            value="\n".join(f"{a}@{r}" for a, r in current.agencies) if current else "",
                            placeholder="城关镇@江西省/赣州市/会昌县")
    regions = st.multiselect("只能查看的地区（含下级；不选＝全部地区）", ui.query("regions_all")["path"].tolist(),
                             default=list(current.regions) if current else [], key=f"{prefix}_regions")
    lines = [line.strip() for line in agencies.splitlines() if line.strip()] if role == "uploader" else []
    return role, lines, regions if role != "admin" else []


with accounts_tab:
    if accounts.is_open():
        st.info("未启用登录：没有账户文件，任何能打开本页的人都是管理员。用 `python -m disclosure user add` 建立第一个管理员"
                "后，仪表盘要求登录，账户就可以在这里管理。")
    else:
        if "admin_result" in st.session_state:
            st.success(ui.plain(st.session_state.pop("admin_result")))
        listed = accounts.load()
        ui.table(pd.DataFrame([{"用户": a.name, "角色": a.role_zh, "可查看的地区": a.scope_zh,
                                "可导入的单位": "、".join(f"{n}（{r}）" for n, r in a.agencies)}
                               for a, _ in listed.values()]), key="admin_accounts", name="账户", downloads=False)
        new_tab, edit_tab, reset_tab, remove_tab = st.tabs(["新建账户", "修改角色与范围", "重设密码", "删除账户"])
        with new_tab, st.form("admin_new", clear_on_submit=True):
            name = st.text_input("用户名", key="admin_new_name")
            role, lines, regions = account_fields("admin_new")
            password = st.text_input("初始密码（至少 8 个字符，请告知本人登录后修改）", type="password",
                                     key="admin_new_password")
            if st.form_submit_button("新建账户", type="primary"):
                try:
                    accounts.add(name, role, password, lines, regions=regions)
                except accounts.AccountError as e:
                    ui.refused(e)
                else:
                    changed("新建账户", name.strip())
        names = list(listed)
        with edit_tab:
            picked = st.selectbox("账户", names, key="admin_edit_name")
            role, lines, regions = account_fields(f"admin_edit_{picked}", listed[picked][0])
            if st.button("保存", key="admin_edit_save", type="primary"):
                try:
                    accounts.update(picked, role, lines, regions)
                except accounts.AccountError as e:
                    ui.refused(e)
                else:
                    changed("修改角色与范围", picked)  # the account's open tabs ask it to log in again
        with reset_tab, st.form("admin_reset", clear_on_submit=True):
            picked = st.selectbox("账户", names, key="admin_reset_name")
            password = st.text_input("新密码（至少 8 个字符）", type="password", key="admin_reset_password")
            if st.form_submit_button("重设密码"):
                try:
                    accounts.passwd(picked, password)
                except accounts.AccountError as e:
                    ui.refused(e)
                else:
                    changed("重设密码", picked)  # every login of that account ends
        with remove_tab:
            picked = st.selectbox("账户", [n for n in names if n != me.name], key="admin_remove_name",
                                  help="不能删除自己正在使用的账户")
            sure = st.checkbox("确认删除：该账户立即不能再登录（已导入的数据和记录保留）", key="admin_remove_sure")
            if st.button("删除账户", key="admin_remove", disabled=not (picked and sure)):
                try:
                    accounts.remove(picked)
                except accounts.AccountError as e:
                    ui.refused(e)
                else:
                    changed("删除账户", picked)
