"""The only module that knows Streamlit: the cached connection, cached queries, shared filters, downloads."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from disclosure import (accounts, catalog, charts, config, db, demo, export, form_view, ingest, read_report,
                        report_files, roster, rule_store, sql)
from disclosure.issues import ERROR, Issue
from disclosure.read_table import Table, read_table
from disclosure.report_files import ReportFile


@st.cache_resource(show_spinner="正在打开数据库…")
def _open(path: str):
    """One long-lived connection per database file; a new file starts with the demo data in it."""
    fresh = not config.Path(path).exists()
    con = db.connect(path, wait=0)
    if fresh:
        demo.build(con)
    return con


def connection():
    """The dashboard's connection; while a command-line import holds the file, say so and retry."""
    path = str(config.db_path())
    try:
        return _open(path)
    except db.DatabaseBusy as e:
        st.warning(f"{e}\n\n两秒后自动重试。")
        time.sleep(2)
        st.rerun()


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    return sql.run(_open(path), name, **dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """A named query, cached until the next commit bumps the data version."""
    con = connection()
    bound = sql.bind(name, params)
    return _cached(name, tuple(sorted(bound.items())), db.data_version(con), str(config.db_path()))


def current_user() -> str:
    """The name every write records: the logged-in account, or in open mode the system user."""
    return account().name


@st.cache_resource
def _throttle() -> accounts.Throttle:
    return accounts.Throttle()  # one per process: failed logins slow down across sessions


@st.cache_resource
def _sessions() -> accounts.Sessions:
    return accounts.Sessions()  # one per process: a browser's cookie is honoured by every session


SESSION_COOKIE = "disclosure_session"


def account() -> accounts.Account:
    """Who is using this session. In open mode (no accounts file) the local user, as 管理员; otherwise the
    logged-in account — from this tab's login or the browser's session cookie — or the login form, and the
    page stops there."""
    if accounts.is_open():
        return accounts.local_admin()
    known, listed = st.session_state.get("account"), accounts.load()
    if known is not None and known.name in listed:
        return listed[known.name][0]  # as the file says now: a changed role or removed user takes effect at once
    remembered = _sessions().account(st.context.cookies.get(SESSION_COOKIE))
    if remembered is not None:
        st.session_state["account"] = remembered
        return remembered
    st.subheader("请登录")
    st.caption("政务公开年报分析平台 · 请输入管理员分配的用户名和密码")
    name = st.text_input("用户名", key="login_user")
    password = st.text_input("密码", type="password", key="login_password")
    if st.button("登录", key="login_submit", type="primary"):
        wait = _throttle().delay(name)
        if wait:
            st.caption(f"登录失败次数较多，请等待 {wait:.0f} 秒…")
        signed_in = _throttle().login(name, password)
        if signed_in:
            st.session_state["account"] = signed_in
            st.session_state["set_cookie"] = _sessions().open(signed_in.name)
            st.rerun()
        st.error("用户名或密码不正确。")
    st.stop()


def _set_session_cookie(token: str) -> None:
    """The browser keeps the login for reloads and new tabs (SameSite: never sent by other sites)."""
    age = accounts.SESSION_HOURS * 3600 if token else 0
    st.html(f"<script>document.cookie = '{SESSION_COOKIE}={token}; path=/; max-age={age}; SameSite=Strict';"
            "</script>", unsafe_allow_javascript=True)


def page_start() -> accounts.Account:
    """What every page does first: who is using it (login unless open), and what the data includes."""
    _leave_folder_routing()
    if "set_cookie" in st.session_state:  # just logged in or out: before the login form, which stops the page
        with st.sidebar:
            _set_session_cookie(st.session_state.pop("set_cookie"))
    who = account()
    if accounts.is_open():
        st.sidebar.warning("开放模式：没有账户文件，打开本页面的人都可以查看和导入数据。"
                           "用 `python -m disclosure user add` 新建账户后需要登录。", icon=":material/lock_open:")
    else:
        st.sidebar.caption(f"当前用户：**{who.name}**（{who.role_zh}）")
        if st.sidebar.button("退出登录", key="logout"):
            _sessions().close(st.context.cookies.get(SESSION_COOKIE))
            st.session_state.pop("account", None)
            st.session_state["set_cookie"] = ""  # the browser's cookie expires on the next run
            st.rerun()
    demo_notice()
    return who


def require_writer(who: accounts.Account) -> None:
    """The import pages: a 查看者 sees why and nothing more."""
    if not who.writes:
        st.error(f"{who.name} 是查看者，不能导入、替换或撤销数据。需要时请管理员分配填报人员或管理员角色。")
        st.stop()


@dataclass
class Filters:
    """The shared sidebar selection: a region, the year in focus, a year range, kinds and agencies."""

    region: str
    year: int
    year_from: int = 0
    year_to: int = 0
    kinds: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()

    def params(self) -> dict:
        """Every filter as a query parameter; each query binds the ones its header declares."""
        return {"region": self.region, "year": self.year, "year_from": self.year_from, "year_to": self.year_to,
                "kinds": list(self.kinds), "agencies": list(self.agencies)}


def filters() -> Filters:
    """The shared sidebar selection, kept in session state and in the URL so a copied link opens the same view."""
    choices = query("filter_choices")
    regions = sorted(set(choices["region"]))
    years = sorted(set(choices["year"]), reverse=True)
    if not regions:
        return Filters("", 0)
    url = st.query_params
    _default("filter_region", url.get("region"), regions, _default_region(choices))
    _default("filter_year", _int(url.get("year")), years, years[0])
    with st.sidebar:
        region = st.selectbox("地区", regions, key="filter_region")
        year = st.selectbox("年度", years, key="filter_year", format_func=lambda y: f"{y}年")
        span = (min(years), max(years))
        wanted = (_int(url.get("from")) or span[0], _int(url.get("to")) or span[1])
        if "filter_years" not in st.session_state and span[0] < span[1]:
            st.session_state["filter_years"] = (max(span[0], min(wanted)), min(span[1], max(wanted)))
        year_from, year_to = (st.slider("年份范围（趋势）", span[0], span[1], key="filter_years")
                              if span[0] < span[1] else span)
        kinds = st.multiselect("单位类型", catalog.KINDS, default=[k for k in url.get_all("kind") if k in catalog.KINDS]
                               if "filter_kinds" not in st.session_state else None, key="filter_kinds",
                               placeholder="全部类型")
        names = query("agencies_in_region", region=region)["agency"].tolist()
        agencies = st.multiselect("单位", names, default=[a for a in url.get_all("agency") if a in names]
                                  if "filter_agencies" not in st.session_state else None, key="filter_agencies",
                                  placeholder="全部单位")
    url["region"], url["year"], url["from"], url["to"] = region, str(year), str(year_from), str(year_to)
    url["kind"], url["agency"] = kinds, agencies
    return Filters(region, int(year), int(year_from), int(year_to), tuple(kinds), tuple(agencies))


def open_agency(agency: str, region: str) -> None:
    """Drill down: the 单位详情 page of one agency (query parameters do not survive st.switch_page)."""
    st.session_state["agency_focus"] = (agency, region)
    st.switch_page("pages/agency.py")


def open_chart_pick(event, region: str) -> None:
    """Drill down from a chart: the agency of the clicked bar or point opens in 单位详情 (in `region`
    unless the chart names the agency's own region)."""
    picked = charts.picked_agency((event or {}).get("selection", {}).get("points"))
    if picked:
        open_agency(picked[0], picked[1] or region)


def _default(key: str, from_url, allowed: list, fallback) -> None:
    if key not in st.session_state or st.session_state[key] not in allowed:
        st.session_state[key] = from_url if from_url in allowed else fallback


def _default_region(choices: pd.DataFrame) -> str:
    """The county-level region with the most reports: what a county office looks at first."""
    counts = choices[choices["is_county"]].groupby("region")["reports"].sum()
    if counts.empty:
        counts = choices.groupby("region")["reports"].sum()
    return counts.sort_values(ascending=False).index[0]


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


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


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, formulas neutralised) and XLSX of a table shown on screen, written only when
    clicked: writing an Excel file of a province's table on every rerun would cost more than the query."""
    left, right = st.columns(2)
    name = export.file_name(name)
    left.download_button("下载 CSV", lambda: export.to_csv(frame, for_excel=True), f"{name}.csv", "text/csv",
                         key=f"{key}_csv")
    right.download_button("下载 Excel", lambda: export.to_xlsx(frame), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


def read_uploads(files, encoding: str | None, sheet: str | None) -> list:
    """Uploaded files as tables, read once per (file, encoding, sheet); too-large files refused unread."""
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
    return tables


def _read_one(f, encoding, sheet):
    limit = config.max_upload_bytes()
    if f.size > limit:
        return Table(f.name, "csv", None, None, issues=[Issue(
            code="file-too-large", severity=ERROR, file=f.name, value=config.megabytes(f.size),
            message=f"文件 {f.name} 大小 {config.megabytes(f.size)}，超过上限 {config.megabytes(limit)}，未读取；"
                    "请拆分成几个文件再上传")])
    return read_table(f.name, f.getvalue(), encoding=encoding, sheet=sheet)


def prepare(tables: list, replace: bool):
    """The plan for these tables, kept until the tables, the option or the stored data change."""
    con = connection()
    who = account()
    key = (tuple(_input_key(t) for t in tables), replace, db.data_version(con), who)
    cache = st.session_state.setdefault("_plan_cache", {})
    if key not in cache:
        cache.clear()
        bar = st.progress(0.0, text="正在检查…")
        cache[key] = ingest.prepare(con, tables, replace=replace, account=who,
                                    progress=lambda done, stage: bar.progress(min(done, 1.0), text=stage))
        bar.empty()
    return cache[key]


def _input_key(t) -> tuple:
    """What makes one input to a plan: a table's cells and their origins; a report's bytes and all the user supplied."""
    if isinstance(t, ReportFile):
        return (t.file, hashlib.sha256(t.data).hexdigest(), t.agency, t.year, t.version, t.kind_of_agency, t.parent,
                t.accept_partial, t.use_suggestions, tuple(sorted(t.corrections.items())))
    return (t.file, hash(tuple(tuple(r.cells) for r in t.rows)),
            hash(tuple(tuple(sorted(r.origins.items())) for r in t.rows)))


def commit(plan, accept_errors: set[str], reason: str, via: str):
    with st.spinner("正在写入…"):
        return ingest.commit(connection(), plan, user=current_user(), via=via, accept_errors=accept_errors,
                             replace_reason=reason)


def undo(batch_id: int) -> int:
    return ingest.undo(connection(), batch_id, user=current_user(), account=account())


def prepare_roster(tables: list) -> roster.RosterPlan:
    return roster.prepare(connection(), tables)


def commit_roster(plan: roster.RosterPlan) -> int:
    _require_admin("导入单位名单")
    with st.spinner("正在写入…"):
        return roster.commit(connection(), plan, user=current_user())


def clear_roster() -> int:
    _require_admin("清空单位名单")
    return roster.clear(connection())


def _require_admin(what: str) -> None:
    """What changes every agency's data — the roster, the demo — is the 管理员's."""
    who = account()
    if who.role != "admin":
        st.error(f"{who.name}（{who.role_zh}）不能{what}，请联系管理员。")
        st.stop()


def remove_demo() -> int:
    _require_admin("删除示例数据")
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
    limit = config.max_upload_bytes()
    if len(data) > limit:
        return ReportFile(name, "", b"", read_report.Reading(is_report=False),
                          error=f"文件 {name} 大小 {config.megabytes(len(data))}，超过上限 {config.megabytes(limit)}，未读取")
    return report_files.read_file(name, data)


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
        st.caption("将新建：" + "；".join(
            [f"地区 {p}" for p in plan.new_regions] + [f"单位 {n}（{k}，{p}）" for n, k, p in plan.new_agencies]))


@st.cache_data(max_entries=16, show_spinner="正在读取勾稽关系检查结果…")
def _stored_issues(version: int, path: str, region: str) -> pd.DataFrame:
    return rule_store.stored(_open(path), region)


def stored_issues(region: str) -> pd.DataFrame:
    """Every rule violation in the stored reports of a region; recomputed once per data version and region."""
    return _stored_issues(db.data_version(connection()), str(config.db_path()), region)


def new_files(files, page: str) -> list:
    """The uploaded files not yet committed: after a commit the uploader keeps its files, the page does not."""
    done = st.session_state.get(f"{page}_done", set())
    return [f for f in files or [] if f.file_id not in done]


def confirm_button(plan, accepted: set[str], reason: str, *, via: str, page: str, key: str, blocked_hint: str,
                   sources: list[str]) -> None:
    """The confirm button of an import page: disabled while anything blocks. After a commit the page starts
    over (`{page}_nonce`), leaves the committed `sources` aside (`{page}_done`) and says what was written."""
    blocking = plan.blocking(accepted)
    if blocking:
        st.error(f"还有 {len(blocking)} 个错误，{blocked_hint}。数据库没有任何改动。")
    elif not plan.to_write:
        st.info("没有需要写入的内容：与已存数据相同。")
    if st.button("确认导入", type="primary", disabled=bool(blocking) or not plan.to_write, key=key):
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


def open_selected_row(event, table: pd.DataFrame, region: str, column: str = "单位") -> None:
    """Drill down from a table: the agency named in the selected row opens in 单位详情 — in the row's 地区
    where the table has one (agencies of several counties share names), else in `region`."""
    rows = event.selection.rows if event else []
    if rows:
        row = table.iloc[rows[0]]
        open_agency(row[column], row["地区"] if "地区" in table.columns else region)
