"""What a page shows — its tables and charts — drawn through one place, so that blanks read "—", every table has
its downloads, and the page's one-click export (一键导出视图) holds exactly what is on screen."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from disclosure import export

BLANK = "—"  # a cell the report left empty: not 0, and never "None"


def begin(page: str) -> None:
    """A new run of `page`: what it shows is collected afresh."""
    st.session_state["_shown"] = {"page": page, "tables": {}, "charts": {}}


def _register(kind: str, name: str, item) -> None:
    shown = st.session_state.setdefault("_shown", {"page": "", "tables": {}, "charts": {}})
    shown[kind][name] = item


def table(frame: pd.DataFrame, *, key: str, name: str, downloads: bool = True, **kwargs):
    """A read-only table: blanks as "—", CSV/XLSX downloads below it, and part of the page's export."""
    kwargs.setdefault("hide_index", True)
    event = st.dataframe(frame, key=key, placeholder=BLANK, **kwargs)
    _register("tables", name, frame)
    if downloads:
        download_buttons(frame, name, f"{key}_download")
    return event


def chart(fig: go.Figure, *, key: str, name: str, **kwargs):
    """A plotly chart, part of the page's export."""
    _register("charts", name, fig)
    return st.plotly_chart(fig, key=key, **kwargs)


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, formulas neutralised) and XLSX of a table shown on screen, written only when
    clicked: writing an Excel file of a province's table on every rerun would cost more than the query."""
    _register("tables", name, frame)
    left, right = st.columns(2)
    name = export.file_name(name)
    left.download_button("下载 CSV", lambda: export.to_csv(frame, for_excel=True), f"{name}.csv", "text/csv",
                         key=f"{key}_csv")
    right.download_button("下载 Excel", lambda: export.to_xlsx(frame), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")
