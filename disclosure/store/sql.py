"""Named queries from queries/*.sql, run with the bound parameters their header declares."""
from __future__ import annotations

import functools
import re
import warnings

import duckdb
import pandas as pd
import pyarrow as pa

from disclosure.config import QUERIES_DIR

# DuckDB suggests con.sql(…) for Arrow output, to save a copy of the rows; but a relation plans its query twice,
# which costs a county's small queries more than the copy costs a province's large ones.
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_PARAMS = re.compile(r"^--\s*Params:(.*)$", re.MULTILINE)


@functools.cache
def load(name: str) -> str:
    """Text of queries/<name>.sql; KeyError for a name that is not a file there."""
    path = QUERIES_DIR / f"{name}.sql"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise KeyError(f"unknown query: {name!r}")
    return path.read_text(encoding="utf-8")


@functools.cache
def params_of(name: str) -> tuple[str, ...]:
    """The $parameters the file's header declares ("-- Params: $county, $year" or "-- Params: none")."""
    m = _PARAMS.search(load(name))
    if not m:
        raise ValueError(f"queries/{name}.sql has no '-- Params:' header line")
    return tuple(re.findall(r"\$([a-z_][a-z0-9_]*)", m.group(1)))


def bind(name: str, params: dict) -> dict:
    """Only the parameters the query declares, so one shared filter dict serves every query."""
    wanted = params_of(name)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise KeyError(f"queries/{name}.sql needs parameters {missing}")
    return {p: params[p] for p in wanted}


def run(con: duckdb.DuckDBPyConnection, name: str, /, *, in_transaction: bool = False, **params) -> pd.DataFrame:
    """The result as a DataFrame, read on a cursor of its own (pages read from several threads) — or with
    in_transaction on `con` itself, where a cursor would not see the caller's uncommitted writes."""
    if in_transaction:  # the caller's statements may leave results pending on `con`, which only execute() passes
        return con.execute(load(name), bind(name, params)).df()
    cur = con.cursor()
    try:
        return frame(cur.execute(load(name), bind(name, params)).to_arrow_table())
    finally:
        cur.close()


def frame(table: pa.Table) -> pd.DataFrame:
    """A result fetched as Arrow, in the pandas types DuckDB's own .df() gives — three to four times faster for the
    100,000-row listings of a province, whose text columns then stay in Arrow's buffers instead of becoming Python
    strings one by one. Arrow's own conversion differs from .df() in a few types, mended here: whole numbers and
    booleans with gaps stay nullable instead of becoming floats and objects, dates become timestamps, decimals
    floats, and a text column without any value (or rows) holds None, as objects."""
    for i, f in enumerate(table.schema):
        if pa.types.is_date(f.type) or pa.types.is_decimal(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(
                pa.timestamp("us") if pa.types.is_date(f.type) else pa.float64()))
        elif _is_text(f.type) and table.column(i).null_count == len(table):
            table = table.set_column(i, f.name, pa.nulls(len(table)))  # becomes objects, all None
    result = table.to_pandas()
    for i, f in enumerate(table.schema):
        if f.type in _NULLABLE and table.column(i).null_count:
            result.isetitem(i, table.column(i).to_pandas(types_mapper=_NULLABLE.get))
    return result


_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def arrays(con: duckdb.DuckDBPyConnection, name: str, /, *, in_transaction: bool = False, **params) -> dict:
    """The result as one numpy array per column: for millions of rows, where a DataFrame would not fit."""
    cur = con if in_transaction else con.cursor()
    try:
        return cur.execute(load(name), bind(name, params)).fetchnumpy()
    finally:
        if not in_transaction:
            cur.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, /, **params) -> None:
    """Run a statement on `con` itself, inside the caller's transaction."""
    con.execute(load(name), bind(name, params))


def fetch(con: duckdb.DuckDBPyConnection, name: str, /, **params) -> list[tuple]:
    """Run a statement on `con` itself, inside the caller's transaction, and return its rows (an insert's
    `returning id`, a delete's count). Positional-only `name`: a query may have a $name parameter."""
    return con.execute(load(name), bind(name, params)).fetchall()


def insert_frame(con: duckdb.DuckDBPyConnection, name: str, frame_name: str, frame: pd.DataFrame) -> None:
    """Run queries/<name>.sql, an insert … select from `frame_name`, with `frame` registered under that name for
    this statement only."""
    con.register(frame_name, frame)
    try:
        con.execute(load(name), bind(name, {}))
    finally:
        con.unregister(frame_name)
