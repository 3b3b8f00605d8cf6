"""账户与审计 (管理员 only): who may do what, and the audit log of logins, refusals, imports, undos and downloads."""
import pandas as pd
import streamlit as st

from disclosure import accounts, audit, ui

st.title("账户与审计")
ui.page_start()
ui.require_admin("查看账户与审计日志")

log_tab, accounts_tab = ui.tabs(["审计日志", "账户"], key="admin_tab")

with log_tab:
    st.caption("登录、登录失败、拒绝、导入、撤销和下载，每次一行，最新的在前；只有管理员能看到。")
    left, right = st.columns(2)
    event = left.selectbox("事件", ["", *audit.EVENTS], key="admin_event",
                           format_func=lambda e: audit.EVENTS.get(e, "全部事件"))
    who = right.text_input("用户", key="admin_who", placeholder="全部用户（填写登录名只看一人）").strip()
    entries = audit.recent(ui.connection(), event=event, who=who, limit=5000)
    if entries.empty:
        st.info("没有符合条件的记录。")
    else:
        ui.table(entries, key="admin_log", name="审计日志", width="stretch")

with accounts_tab:
    if accounts.is_open():
        st.info("未启用登录：没有账户文件，任何能打开本页的人都是管理员。用 `python -m disclosure user add` 建立第一个管理员"
                "后，仪表盘要求登录。")
    else:
        listed = [{"用户": a.name, "角色": a.role_zh, "可导入的单位": "、".join(f"{n}（{r}）" for n, r in a.agencies)}
                  for a, _ in accounts.load().values()]
        ui.table(pd.DataFrame(listed, columns=["用户", "角色", "可导入的单位"]), key="admin_accounts", name="账户",
                 downloads=False)
        st.caption("增加、删除账户和重设密码：`python -m disclosure user add | remove | passwd`。")
