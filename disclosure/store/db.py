"""Connect to the database file (locked down, waiting a bounded time for the lock), migrate, transact."""
from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd

from disclosure import config
from disclosure.config import QUERIES_DIR
from disclosure.contract import catalog
from disclosure.issues import Refusal
from disclosure.store import backup

# SQL can never touch the disk: the app reads files in Python and hands DuckDB DataFrames. Locked, so no
# statement (the SQL console's included) can lift this or the resource limits that settings() adds.
CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}
DEFAULT_WAIT = 60.0
_write_lock = threading.RLock()


class DatabaseBusy(Refusal):
    """Another process holds the database file."""

    code = "database-busy"

    def __init__(self, path: Path, holder: str, waited: float):
        self.path, self.holder, self.waited = path, holder, waited
        super().__init__(
            f"数据库 {path} 正被另一个程序占用（{holder}），已等待 {waited:.0f} 秒仍未释放；"
            "请关闭仪表盘或等其他导入结束后再试，未写入任何数据。"
        )


def connect(path: str | Path, *, wait: float = DEFAULT_WAIT, poll: float = 0.2) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the file; while another process holds it, poll up to `wait` seconds."""
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), config=settings(path))
            break
        except duckdb.IOException as e:
            if "lock" not in str(e).lower():
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(path, _lock_holder(str(e)), wait) from None
            time.sleep(poll)
    migrate(con, path)
    return con


def settings(path: Path) -> dict:
    """CONFIG plus the resource limits from the environment: memory_limit (past it DuckDB spills to the temp
    directory or fails the query, instead of the server being killed), threads, and where to spill."""
    chosen = {**CONFIG, "memory_limit": f"{config.db_memory_bytes() // 1024 ** 2}MiB", "threads": config.db_threads()}
    temp = config.db_temp_directory(path)
    if temp:
        chosen["temp_directory"] = temp
    return chosen


def _lock_holder(message: str) -> str:
    m = re.search(r"held in (.+?) \(PID (\d+)\)", message)
    return f"进程 {m.group(2)}：{m.group(1)}" if m else "未知进程"


def _migrations() -> list[tuple[int, Path]]:
    """The files of queries/schema/, in order. They make tables only; the numbers missing (0002, 0004, 0005, 0007)
    once made views and stored views, which now live in queries/views/, and stay recorded in the databases made
    before."""
    found = []
    for p in sorted((QUERIES_DIR / "schema").glob("[0-9][0-9][0-9][0-9]_*.sql")):
        found.append((int(p.name[:4]), p))
    return found


def migrate(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> None:
    """Apply the schema files not yet applied, in order, make the views again, and refresh the metric catalogue table.
    A file that already holds a schema is backed up first (backup.take): a migration that fails halfway, or is
    regretted, loses nothing."""
    with _write_lock:
        con.execute(
            "create table if not exists schema_migrations "
            "(version integer primary key, name varchar not null, applied_at timestamp default current_timestamp)"
        )
        done = {v for (v,) in con.execute("select version from schema_migrations").fetchall()}
        pending = [(version, file) for version, file in _migrations() if version not in done]
        if pending and done and path is not None and str(path) != ":memory:":
            backup.take(con, path, reason=f"before-{pending[0][1].stem}")
        for version, file in pending:
            with transaction(con):
                for stmt in duckdb.extract_statements(file.read_text(encoding="utf-8")):
                    con.execute(stmt)
                con.execute("insert into schema_migrations (version, name) values ($v, $n)",
                            {"v": version, "n": file.name})
        _create_views(con)
        _sync_catalogue(con)


STORED_VIEW = re.compile(r"^create or replace table (\w+) as\s*$", re.MULTILINE)


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """queries/views/ holds the one definition of every view and macro, made again on every start in name order, so a
    change is an edit there, never a copy in a migration. It also holds the stored views (`create or replace table …
    as`, e.g. report_figures): they are made again only when a file there changed since (meta key 'views_version'),
    so no stored row follows an older definition and an unchanged start costs nothing."""
    texts = [f.read_text(encoding="utf-8") for f in sorted((QUERIES_DIR / "views").glob("*.sql"))]
    version = int.from_bytes(hashlib.sha256("\0".join(texts).encode("utf-8")).digest()[:7], "big")
    with transaction(con):
        changed = con.execute("select value from meta where key = 'views_version'").fetchall() != [(version,)]
        for text in texts:
            if changed or not STORED_VIEW.search(text):
                for stmt in duckdb.extract_statements(text):
                    con.execute(stmt)
        if changed:
            con.execute("insert or replace into meta values ('views_version', $v)", {"v": version})
            bump_data_version(con)  # the stored numbers may differ: nothing cached before may be served


def _sync_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """The metrics table mirrors data/metrics.csv so queries can join labels, versions and groups."""
    frame = pd.DataFrame([m.__dict__ for m in catalog.metrics()])
    stored = con.execute("select count(*) from metrics").fetchone()[0]
    if stored == len(frame):
        return
    cur = con.cursor()
    cur.register("catalogue_frame", frame)
    with transaction(cur):
        cur.execute("delete from metrics")
        cur.execute("insert into metrics by name select * from catalogue_frame")
    cur.unregister("catalogue_frame")


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """One transaction, rolled back on any exception; writers in this process take turns."""
    with _write_lock:
        con.execute("begin transaction")
        try:
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Bumped by every commit and undo, so caches keyed by it never serve stale data. Read on a cursor: the
    connection itself may be in another session's write (DuckDB refuses a busy connection, it does not wait)."""
    cur = con.cursor()
    try:
        return cur.execute("select value from meta where key = 'data_version'").fetchone()[0]
    finally:
        cur.close()


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("update meta set value = value + 1 where key = 'data_version'")
