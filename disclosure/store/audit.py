"""The audit log: logins, failed logins, refusals, imports, undos and downloads, one row each, readable by the
管理员. A row is written in its own short transaction; a log that cannot be written never stops the work logged."""
from __future__ import annotations

import logging

import duckdb
import pandas as pd

from disclosure.store import db, sql

EVENTS = {"login": "登录", "login_failed": "登录失败", "logout": "退出登录", "refused": "拒绝", "import": "导入",
          "undo": "撤销", "download": "下载", "roster": "单位名单", "restore": "恢复备份",
          "account": "账户管理", "password": "修改密码"}
MAX_DETAIL = 500  # characters: a detail names a file or a refusal, it does not hold one

log = logging.getLogger(__name__)


def record(con: duckdb.DuckDBPyConnection, who: str, event: str, detail: str = "") -> None:
    """Append one entry. `event` is a key of EVENTS."""
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {event!r}")
    cur = con.cursor()  # its own cursor: the connection may be inside another session's statement
    try:
        with db.transaction(cur):
            sql.execute(cur, "insert_audit", who=str(who)[:200], event=event, detail=str(detail)[:MAX_DETAIL])
    except duckdb.Error:  # e.g. a read-only file: the work goes on, the server log says why
        log.exception("audit log not written: %s %s %s", who, event, detail)
    finally:
        cur.close()


def recent(con: duckdb.DuckDBPyConnection, *, event: str = "", who: str = "", limit: int = 1000) -> pd.DataFrame:
    """The newest entries, with the event in words, as the page shows them."""
    frame = sql.run(con, "audit_recent", event=event, who=who, limit=limit)
    frame["event"] = frame["event"].map(EVENTS).fillna(frame["event"])
    return frame.rename(columns={"id": "编号", "logged_at": "时间", "who": "用户", "event": "事件", "detail": "说明"})
