"""The analysts' read-only SQL console: one SELECT, on a cursor of the locked-down connection, bounded in time and rows."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

MAX_ROWS = 10_000
TIMEOUT_S = 10.0

# Table functions that read files, other databases or SQL text. enable_external_access=false already stops the
# file readers; refusing them by name as well gives a clear message and holds should the config ever change.
_REFUSED_FUNCTIONS = frozenset({
    "glob", "sniff_csv", "query", "query_table", "read_text", "read_blob", "read_csv", "read_csv_auto",
    "read_json", "read_json_auto", "read_json_objects", "read_json_objects_auto", "read_ndjson",
    "read_ndjson_auto", "read_ndjson_objects", "read_parquet", "read_xlsx", "read_duckdb", "parquet_scan",
    "parquet_metadata", "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata", "parquet_bloom_probe",
    "sqlite_scan", "sqlite_attach", "postgres_scan", "postgres_attach", "mysql_scan", "iceberg_scan",
    "delta_scan", "ducklake_snapshots", "load_extension",
})
_FROM_KEYWORDS = frozenset({"from", "join"})
_NAME_TOKENS = (duckdb.token_type.identifier, duckdb.token_type.keyword)


@dataclass
class ConsoleResult:
    """A frame of at most max_rows rows, or a Chinese error (one sentence saying what kind of problem) with
    DuckDB's own English words in `detail`; `truncated` when the result had more rows."""

    frame: pd.DataFrame | None = None
    error: str = ""
    detail: str = ""
    truncated: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error


def run_select(con: duckdb.DuckDBPyConnection, sql_text: str, *, max_rows: int = MAX_ROWS,
               timeout_s: float = TIMEOUT_S) -> ConsoleResult:
    """Run one SELECT in a read-only transaction on a fresh cursor; errors are returned, never raised."""
    started = time.monotonic()
    refusal = check(sql_text)
    if refusal:
        return ConsoleResult(error=refusal, detail=_parse_error(sql_text), seconds=time.monotonic() - started)
    cursor = con.cursor()
    guard = _Deadline(cursor, timeout_s)
    try:
        # read only: a SELECT can still write (nextval advances a sequence); here any write fails
        cursor.execute("begin transaction read only")
        guard.start()
        cursor.execute(sql_text)
        frame, truncated = _fetch(cursor, max_rows)
        guard.stop()
        return ConsoleResult(frame=frame, truncated=truncated, seconds=time.monotonic() - started)
    except duckdb.InterruptException as e:
        return ConsoleResult(error=f"查询超时：超过 {timeout_s:g} 秒，已停止。请缩小范围（加 where 条件或 limit）后再试。",
                             detail=str(e), seconds=time.monotonic() - started)
    except duckdb.Error as e:
        return ConsoleResult(error=_message(e), detail=str(e), seconds=time.monotonic() - started)
    except Exception as e:  # noqa: BLE001 - the console reports every failure on screen, never raises
        return ConsoleResult(error="查询出错：执行这条查询时发生了意外错误，详见原始错误信息。", detail=str(e),
                             seconds=time.monotonic() - started)
    finally:
        guard.stop()
        try:
            cursor.execute("rollback")
        except duckdb.Error:
            pass
        cursor.close()


def check(sql_text: str) -> str:
    """Why this text may not run (a Chinese sentence), or "" when it is exactly one SELECT."""
    if not sql_text or not sql_text.strip():
        return "请输入一条 SELECT 查询语句。"
    try:
        statements = duckdb.extract_statements(sql_text)
    except duckdb.Error as e:
        return _message(e)
    if len(statements) != 1:
        return f"一次只能执行一条 SELECT 语句，这里有 {len(statements)} 条；请删去多余的语句（分号分隔）。"
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        return f"只允许 SELECT 查询，不能执行 {kind.name} 语句；控制台是只读的，不能修改数据库、设置或文件。"
    return _refused_reads(sql_text)


def _refused_reads(sql_text: str) -> str:
    tokens = duckdb.tokenize(sql_text)
    words = [(sql_text[start:end].strip(), kind) for (start, kind), end
             in zip(tokens, [t[0] for t in tokens[1:]] + [len(sql_text)])]
    for (text, kind), (following, _) in zip(words, words[1:] + [("", None)]):
        name = text.strip('"').lower().rsplit(".", 1)[-1]
        # glob is also an operator keyword, so a keyword token followed by "(" counts as a call too
        if kind in _NAME_TOKENS and following.startswith("(") and name in _REFUSED_FUNCTIONS:
            return f"不允许使用 {name}()：控制台只能查询数据库中的表和视图，不能读取文件或执行其他 SQL 文本。"
    for (text, kind), (following, following_kind) in zip(words, words[1:]):
        if kind == duckdb.token_type.keyword and text.lower() in _FROM_KEYWORDS \
                and following_kind == duckdb.token_type.string_const:
            return "不允许：不能从文件读取（from 后面写的是文件名），控制台只能查询数据库中的表和视图。"
    return ""


def _fetch(cursor: duckdb.DuckDBPyConnection, max_rows: int) -> tuple[pd.DataFrame, bool]:
    """At most max_rows + 1 rows from the streaming result, so a huge result is never materialised."""
    chunks, have = [], 0
    while have <= max_rows:
        chunk = cursor.fetch_df_chunk(1)
        if chunk.empty:
            if not chunks:
                chunks.append(chunk)
            break
        chunks.append(chunk)
        have += len(chunk)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    return frame.head(max_rows), len(frame) > max_rows


class _Deadline:
    """Interrupts the cursor's running query when the time is up; stopping it first makes it a no-op."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, timeout_s: float):
        self._cursor, self._lock, self._live = cursor, threading.Lock(), False
        self._timer = threading.Timer(timeout_s, self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        with self._lock:
            self._live = True
        self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._live = False
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            if self._live:
                self._cursor.interrupt()


def _parse_error(sql_text: str) -> str:
    """DuckDB's own words where the text does not parse (check() refused it in Chinese), else ""."""
    try:
        duckdb.extract_statements(sql_text)
    except duckdb.Error as e:
        return str(e)
    return ""


def _message(e: duckdb.Error) -> str:
    """One Chinese sentence saying what kind of problem DuckDB met; its English words go to the detail."""
    text = str(e)
    if isinstance(e, duckdb.PermissionException):
        return "不允许：控制台只能查询数据库中的表和视图，不能访问文件或外部资源。"
    if isinstance(e, duckdb.TransactionException):
        return "不允许：控制台是只读的，不能修改数据库。"
    if isinstance(e, duckdb.ParserException):
        return "SQL 语法错误：这条语句无法解析，请检查拼写、逗号、括号和引号。"
    if isinstance(e, duckdb.CatalogException):
        return "找不到所写的表、视图或函数：请对照上面列出的可查询的表和视图，检查名称拼写。"
    if isinstance(e, duckdb.BinderException):
        if "not found" in text or "does not have a column" in text:
            return "找不到所写的列：请检查列名的拼写，或先查询 metrics 和 report_summary 看有哪些列。"
        if "argument types" in text or "Cannot compare" in text or "type" in text.lower():
            return "类型不匹配：有运算或函数用在了不合适的数据类型上（例如文字与数字相加），可用 cast(… as …) 转换。"
        return "查询写法有误：列、分组或聚合的用法不符合 SQL 规则（例如 select 的列未列入 group by）。"
    if isinstance(e, (duckdb.ConversionException, duckdb.TypeMismatchException)):
        return "类型不匹配：有值无法转换成所需的类型（例如把文字转换成数字或日期）。"
    return "查询出错：DuckDB 执行这条查询时出错，详见原始错误信息。"
