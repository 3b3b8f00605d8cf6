"""The frame every analysis page shares: its title, who is signed in, the shared selection, and what the page says
when the selection holds nothing — so a page file starts with one line and goes on with its own subject."""
from __future__ import annotations

import streamlit as st

from disclosure.store import accounts
from disclosure.ui.plain import plain
from disclosure.ui.session import page_start
from disclosure.ui.view import Filters, filters

NO_REPORTS = ("所选范围内没有数据：数据库中还没有报告。可在「数据上传」页导入 CSV / Excel 文件，"
              "或在「报告导入」页导入年报原文。")


def analysis_page(title: str) -> tuple[accounts.Account, Filters]:
    """The title, the account and the shared selection; a database without any report says so and stops."""
    st.title(title)
    who = page_start()
    selection = filters()
    if not selection.region:
        st.info(NO_REPORTS)
        st.stop()
    return who, selection


def stop_if_empty(empty: bool, selection: Filters, *, trend: bool = False) -> None:
    """Nothing of this page's subject in the selection: say which selection and where to change it, and stop."""
    if empty:
        span = f"（趋势 {selection.year_from}–{selection.year_to}年）" if trend else ""
        st.info(f"所选范围内没有数据：{plain(selection.scope())}{span}没有单位的报告（县级汇总报告不计入）。"
                "可在侧栏换一个年度、单位类型或单位，或在「数据上传」页导入。")
        st.stop()


def scope_caption(selection: Filters, *, trend: bool = False, note: str = "县级汇总报告（汇总）不计入合计") -> None:
    """What the figures below cover: the region, the year (and the trend's years), what is left out."""
    span = f"（趋势 {selection.year_from}–{selection.year_to}年）" if trend else ""
    st.caption(f"{plain(selection.region)} · {selection.year}年{span} · {note}")
