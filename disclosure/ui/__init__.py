"""The Streamlit edge. The entrypoint's steps are here (wait_turn, start, run); the rest lives in the modules of this
package and is re-exported, so a page needs only `from disclosure import ui`: session (login, roles), view (shared
filters and the URL), data (the connection and cached queries), frame (how an analysis page starts), shown (tables,
charts, downloads), importing (the import pages' state), widgets (the official form), plain (user text as text)."""
from __future__ import annotations

import duckdb
import streamlit as st

from disclosure.issues import Refusal
from disclosure.store import accounts
from disclosure.ui import pacing, shown
from disclosure.ui.data import connection, query, stored_issues
from disclosure.ui.frame import analysis_page, scope_caption, stop_if_empty
from disclosure.ui.importing import (
    clear_roster,
    commit,
    commit_roster,
    confirm_button,
    new_files,
    plan_summary,
    prepare,
    prepare_roster,
    read_reports,
    read_uploads,
    remove_demo,
    reset_when,
    undo,
    upload_limit,
    uploader_megabytes,
)
from disclosure.ui.plain import plain
from disclosure.ui.session import (
    SESSION_COOKIE,
    account,
    current_user,
    demo_notice,
    page_start,
    require_admin,
    require_writer,
    sidebar_status,
    sign_in,
)
from disclosure.ui.shown import BLANK, chart, download_buttons, logged, refused, table
from disclosure.ui.view import (
    Filters,
    draw_shared,
    filters,
    follow_page,
    linked,
    notices,
    open_agency,
    open_chart_pick,
    open_selected_row,
    page_menu,
    set_url,
    tabs,
    url_value,
    write_url,
)
from disclosure.ui.widgets import form_editor, marked_view


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
    try:
        who = sign_in()
        draw_shared()
        sidebar_status(who)
    except Refusal as e:  # a damaged accounts file, a setting that cannot be read: said, and nothing else runs
        refused(e)
        st.stop()
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
    except Refusal as e:  # what no page handles itself: a setting that cannot be read, the database busy
        refused(e)
    except duckdb.Error as e:
        st.error("读取数据时数据库出错，本页没有显示完整。请刷新页面重试；如果仍然出错，请把下面的原始错误信息发给管理员。")
        with st.expander("原始错误信息"):
            st.code(f"{type(e).__name__}: {e}", language=None)
    finally:
        write_url()
