"""The analysts' read-only SQL console: one SELECT that the sandbox allows, on its own cursor in a read-only
transaction, interrupted when its time is up, its result streamed in Arrow batches and bounded in rows and bytes."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from disclosure import config
from disclosure.config import megabytes
from disclosure.store import sandbox

ROWS_PER_BATCH = 64  # small batches: a result of wide rows passes the byte cap by one batch at most


@dataclass(frozen=True)
class Limits:
    rows: int
    bytes: int
    seconds: float

    @classmethod
    def configured(cls) -> Limits:
        return cls(config.console_max_rows(), config.console_max_bytes(), config.console_timeout_s())


@dataclass
class ConsoleResult:
    """A frame of at most limits.rows rows, or a Chinese error (one sentence naming what was refused or went wrong)
    with DuckDB's own English words in `detail`; `truncated` when the result had more rows."""

    frame: pd.DataFrame | None = None
    error: str = ""
    detail: str = ""
    truncated: bool = False
    seconds: float = 0.0
    limits: Limits = field(default_factory=Limits.configured)

    @property
    def ok(self) -> bool:
        return not self.error


def run_select(con: duckdb.DuckDBPyConnection, sql_text: str, *, limits: Limits | None = None) -> ConsoleResult:
    """Check and run one SELECT on a fresh cursor of `con`; errors are returned, never raised."""
    limits = limits or Limits.configured()
    started = time.monotonic()

    def result(**kwargs) -> ConsoleResult:
        return ConsoleResult(seconds=time.monotonic() - started, limits=limits, **kwargs)

    cursor = con.cursor()
    deadline = _Deadline(cursor, limits.seconds)
    try:
        # read only: defence in depth should a writing function ever pass the sandbox (nextval advances a sequence)
        cursor.execute("begin transaction read only")
        deadline.start()
        sandbox.check(cursor, sql_text)
        frame, truncated = _fetch(cursor.sql(sql_text), limits)
        deadline.stop()
        return result(frame=frame, truncated=truncated)
    except sandbox.Refused as e:
        return result(error=e.message, detail=e.detail)
    except _TooLarge as e:
        return result(error=f"查询结果太大：读到第 {e.rows:,} 行时已有 {megabytes(e.size)}，超过上限 "
                            f"{megabytes(limits.bytes)}，已中止，结果没有保留。请少选几列，或加 where 条件、limit 缩小范围。")
    except Exception as e:  # noqa: BLE001 - the console reports every failure on screen, never raises
        if deadline.fired:  # an interrupt reaches us as DuckDB's InterruptException or, mid-stream, Arrow's OSError
            return result(error=f"查询超过 {limits.seconds:g} 秒，已中止。请缩小范围（加 where 条件或 limit）后再试。",
                          detail=str(e))
        if isinstance(e, duckdb.Error):
            return result(error=_message(e), detail=str(e))
        return result(error="查询出错：执行这条查询时发生了意外错误，详见原始错误信息。", detail=str(e))
    finally:
        deadline.stop()
        try:
            cursor.execute("rollback")
        except duckdb.Error:
            pass
        cursor.close()


class _TooLarge(Exception):
    def __init__(self, rows: int, size: int):
        super().__init__(rows, size)
        self.rows, self.size = rows, size


def _fetch(relation: duckdb.DuckDBPyRelation, limits: Limits) -> tuple[pd.DataFrame, bool]:
    """At most limits.rows rows and whether there were more; the bytes are counted batch by batch as the result
    streams, and past the cap _TooLarge is raised at once: the rest is never computed, nothing is kept."""
    # a relation's reader streams; the DB-API result's (cursor.execute(…).to_arrow_reader) materialises it all first
    reader = relation.to_arrow_reader(ROWS_PER_BATCH)
    batches, rows, size, truncated = [], 0, 0, False
    try:
        for batch in reader:
            if rows + batch.num_rows > limits.rows:
                batch, truncated = batch.slice(0, limits.rows - rows), True
            rows, size = rows + batch.num_rows, size + batch.nbytes
            if size > limits.bytes:
                raise _TooLarge(rows, size)
            batches.append(batch)
            if truncated:
                break
    finally:
        reader.close()
    return _frame(pa.Table.from_batches(batches, schema=reader.schema)), truncated


def _frame(table: pa.Table) -> pd.DataFrame:
    """The frame DuckDB's own fetch_df would give: decimals (sums of integers are HUGEINT) as floats, dates as
    datetimes."""
    for i, column in enumerate(table.schema):
        if pa.types.is_decimal(column.type):
            table = table.set_column(i, column.name, table.column(i).cast(pa.float64()))
    return table.to_pandas(date_as_object=False)


class _Deadline:
    """Interrupts the cursor's running query when the time is up; stopping it first makes it a no-op."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, timeout_s: float):
        self._cursor, self._lock, self._live, self.fired = cursor, threading.Lock(), False, False
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
                self.fired = True
                self._cursor.interrupt()


def _message(e: duckdb.Error) -> str:
    """One Chinese sentence saying what kind of problem DuckDB met; its English words go to the detail."""
    text = str(e)
    if isinstance(e, duckdb.OutOfMemoryException):
        return (f"内存不足：这条查询需要的内存超过数据库的上限（{megabytes(config.db_memory_bytes())}），已中止。"
                "请加 where 条件、少选几列或分组汇总后再试。")
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
            return "找不到所写的列：请检查列名的拼写，或先查询 select * from 表名 limit 5 看有哪些列。"
        if "argument types" in text or "Cannot compare" in text or "type" in text.lower():
            return "类型不匹配：有运算或函数用在了不合适的数据类型上（例如文字与数字相加），可用 cast(… as …) 转换。"
        return "查询写法有误：列、分组或聚合的用法不符合 SQL 规则（例如 select 的列未列入 group by）。"
    if isinstance(e, (duckdb.ConversionException, duckdb.TypeMismatchException)):
        return "类型不匹配：有值无法转换成所需的类型（例如把文字转换成数字或日期）。"
    if isinstance(e, (duckdb.OutOfRangeException, duckdb.InvalidInputException)):
        return "数值超出范围或输入无效：例如除法结果溢出、日期不存在或格式不对，详见原始错误信息。"
    return "查询出错：DuckDB 执行这条查询时出错，详见原始错误信息。"
