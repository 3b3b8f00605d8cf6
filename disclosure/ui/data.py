"""The dashboard's one connection (kept in server_state, out of any client's reach) and its cached reads: queries
and rule results, keyed by the data version."""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from disclosure import config, demo
from disclosure.ingest import rule_store
from disclosure.store import db, sql
from disclosure.ui import server_state
from disclosure.ui.plain import plain


def _open_new(path: str):
    """A new file starts with the demo data in it."""
    fresh = not config.Path(path).exists()
    con = db.connect(path, wait=0)
    if fresh:
        demo.build(con)
    return con


def _open(path: str):
    """One long-lived connection per database file, held for the life of the process: it is the dashboard's
    hold on the file, which keeps command-line writers out while the dashboard runs."""
    return server_state.connection(path, _open_new)


def connection():
    """The dashboard's connection; while a command-line import holds the file, say so and retry."""
    path = str(config.db_path())
    try:
        if server_state.holds(path):
            return _open(path)
        with st.spinner("正在打开数据库…"):
            return _open(path)
    except db.DatabaseBusy as e:
        st.warning(f"{plain(e)}\n\n两秒后自动重试。")
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



@st.cache_data(max_entries=16, show_spinner="正在读取勾稽关系检查结果…")
def _stored_issues(version: int, path: str, region: str) -> pd.DataFrame:
    return rule_store.stored(_open(path), region)


def stored_issues(region: str) -> pd.DataFrame:
    """Every rule violation in the stored reports of a region; recomputed once per data version and region."""
    return _stored_issues(db.data_version(connection()), str(config.db_path()), region)
