"""What the server keeps for all its sessions, once per process: the logins (tokens), the login throttle's
counts and the database connection — plain objects behind a lock, never in st.cache_resource.

Any client, logged in or not, can send Streamlit's `clear_cache` message over the websocket (the 「Clear
cache」 of the developer menu), and Streamlit then empties st.cache_resource for the whole process. Held there,
one message would log everybody out, reset the throttle's counts, and drop the connection — and with it the
dashboard's hold on the database file, so a command-line import could write while the dashboard runs. Only
query results stay in st.cache_data, which a clear merely makes recompute.
"""
from __future__ import annotations

import threading
from typing import Callable

import duckdb

from disclosure.store import accounts

_lock = threading.Lock()
_connections: dict[str, duckdb.DuckDBPyConnection] = {}
sessions = accounts.Sessions()
throttle = accounts.Throttle()


def connection(path: str, open_: Callable[[str], duckdb.DuckDBPyConnection]) -> duckdb.DuckDBPyConnection:
    """The process's one connection to the file at `path`, opened by `open_` the first time (under the lock, so
    two sessions starting at once open it once). An exception from `open_` (the file busy) leaves nothing kept."""
    with _lock:
        con = _connections.get(path)
        if con is None:
            con = _connections[path] = open_(path)
        return con


def holds(path: str) -> bool:
    with _lock:
        return path in _connections


def forget_all() -> None:
    """As a new process would start: connections closed, no logins, no counts. For tests and the benchmark, which
    run many databases and accounts files in one process; the dashboard never calls it."""
    global sessions, throttle
    with _lock:
        for con in _connections.values():
            con.close()
        _connections.clear()
        sessions, throttle = accounts.Sessions(), accounts.Throttle()
