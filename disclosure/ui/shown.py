"""What a page shows — its tables and charts — drawn through one place, so that blanks read "—", every table has
its downloads, and the page's one-click export (一键导出视图) holds exactly what is on screen."""
from __future__ import annotations

import datetime
import urllib.parse

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from disclosure.issues import Refusal
from disclosure.present import bundle, export
from disclosure.store import audit, db
from disclosure.ui.data import connection, query
from disclosure.ui.plain import plain, plain_chart
from disclosure.ui.view import SHARED_PARAMS

BLANK = "—"  # a cell the report left empty: not 0, and never "None"


def refused(refusal: Refusal) -> None:
    """A refusal as the page says it: each message in an error box, as text (it may quote a file or user name)."""
    for issue in refusal.issues:
        st.error(plain(issue.message))


def begin(page: str) -> None:
    """A new run of `page`: what it shows is collected afresh."""
    st.session_state["_shown"] = {"page": page, "tables": {}, "charts": {}}


def _register(kind: str, name: str, item) -> None:
    shown = st.session_state.setdefault("_shown", {"page": "", "tables": {}, "charts": {}})
    shown[kind][name] = item


def table(frame, *, key: str, name: str, downloads: bool = True, **kwargs):
    """A read-only table (a DataFrame, or a pandas Styler of one): blanks as "—", CSV/XLSX downloads below it,
    and part of the page's export."""
    kwargs.setdefault("hide_index", True)
    data = getattr(frame, "data", frame)  # a Styler's DataFrame
    kwargs["column_config"] = _thousands(data) | (kwargs.get("column_config") or {})
    event = st.dataframe(frame, key=key, placeholder=BLANK, **kwargs)
    frame = data
    _register("tables", name, frame)
    if downloads:
        download_buttons(frame, name, f"{key}_download")
    return event


# columns of whole numbers that are identifiers or years, not amounts: no thousands separator
_NOT_AMOUNTS = ("年度", "年份", "year", "批次", "编号", "行")


def _thousands(frame: pd.DataFrame) -> dict:
    """Counts with a thousands separator (6,259 as on the metrics and charts), years and ids as they are."""
    return {c: st.column_config.NumberColumn(format="localized") for c in frame.columns
            if isinstance(c, str) and pd.api.types.is_integer_dtype(frame[c])
            and not any(word in c for word in _NOT_AMOUNTS)}


def chart(fig: go.Figure, *, key: str, name: str, **kwargs):
    """A plotly chart, part of the page's export; names in it shown as text, never as Plotly's HTML."""
    fig = plain_chart(fig)
    _register("charts", name, fig)
    return st.plotly_chart(fig, key=key, **kwargs)


def logged(make, file_name: str):
    """What a download button hands over, made when clicked and written in the audit log then, under the name of
    who is looking now (the click runs outside this page's run: who and the connection are taken here)."""
    from disclosure.ui.session import current_user  # the session module imports this one

    who, con = current_user(), connection()

    def handed_over():
        audit.record(con, who, "download", file_name)
        return make() if callable(make) else make

    return handed_over


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, formulas neutralised) and XLSX of a table shown on screen, written only when
    clicked: writing an Excel file of a province's table on every rerun would cost more than the query."""
    _register("tables", name, frame)
    left, right = st.columns(2)
    name = export.file_name(name)
    left.download_button("下载 CSV", logged(lambda: export.to_csv(frame, for_excel=True), f"{name}.csv"),
                         f"{name}.csv", "text/csv", key=f"{key}_csv")
    right.download_button("下载 Excel", logged(lambda: export.to_xlsx(frame), f"{name}.xlsx"), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


BUNDLE_LABEL = "一键导出本页（CSV、Excel、图表）"


def bundle_button(title: str | None = None) -> None:
    """The page's one-click export: every table and chart this run showed, in one zip built only when clicked
    (charts drawn as PNG then, never while the page runs). Call it once after the page has run."""
    shown = st.session_state.get("_shown") or {}
    tables, charts = dict(shown.get("tables", {})), dict(shown.get("charts", {}))
    if not tables and not charts:
        return
    title = title or shown.get("page") or "本页"
    params = _view_params()
    link = _link(shown.get("page", ""), params)
    scope = scope_text(params)
    version = _data_version()

    def build() -> bytes:
        stamp = f"{version}；导出于 {datetime.datetime.now():%Y-%m-%d %H:%M}"
        return bundle.bundle(tables, charts, filters_text=scope, link=link, data_version=stamp, page=title)

    zip_name = f"{export.file_name(f'{title}-一键导出')}.zip"
    st.download_button(BUNDLE_LABEL, logged(build, zip_name), zip_name, "application/zip",
                       key="shown_bundle", icon=":material/folder_zip:",
                       help="本页显示的每个表格（CSV 和一个 Excel 文件）和每个图表（PNG 图片），以及说明所选范围和本页链接的说明.txt。")


def scope_text(params: dict[str, list[str]]) -> str:
    """The view in words, from its URL parameters: region, years, kinds, agencies, then the page's own settings."""
    one = {p: "、".join(v) for p, v in params.items() if v}
    parts = [f"地区 {one.get('region') or '（无数据）'}", f"年度 {one.get('year', '—')}"]
    if one.get("from") or one.get("to"):
        parts.append(f"年度范围 {one.get('from', '')}–{one.get('to', '')}")
    parts.append(f"单位类型 {one.get('kind') or '全部'}")
    parts.append(f"单位 {one.get('agency') or '全部'}")
    own = [f"{p}={v}" for p, v in one.items() if p not in SHARED_PARAMS]
    if own:
        parts.append(f"本页设置 {'，'.join(own)}")
    return "；".join(parts)


def _view_params() -> dict[str, list[str]]:
    """This run's view: under the entrypoint it is collected and written to the URL after the page; a page run
    alone wrote it already."""
    wanted = st.session_state.get("_view_url")
    if wanted is not None:
        return {p: list(v) for p, v in wanted.items()}
    return {p: st.query_params.get_all(p) for p in st.query_params}


def _link(page: str, params: dict[str, list[str]]) -> str:
    """The full address of this view; without a browser (a test) the page's path and its parameters."""
    query_string = urllib.parse.urlencode(params, doseq=True, quote_via=urllib.parse.quote)
    base = st.context.url or f"/{page}"
    if not urllib.parse.urlsplit(base).path:
        base += "/"
    return f"{base}?{query_string}" if query_string else base


def _data_version() -> str:
    version = db.data_version(connection())
    history = query("batch_history")
    last = pd.concat([history["created_at"], history["undone_at"]]).max()
    return f"数据版本 {version}" + ("" if pd.isna(last) else f"（最近一次导入或撤销：{last:%Y-%m-%d %H:%M}）")
