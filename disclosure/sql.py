"""Named queries from queries/*.sql, run with the bound parameters their header declares."""
from __future__ import annotations

import functools
import re

import duckdb
import pandas as pd

from disclosure.config import QUERIES_DIR

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


def run(con: duckdb.DuckDBPyConnection, name: str, *, in_transaction: bool = False, **params) -> pd.DataFrame:
    """The result as a DataFrame, read on a cursor of its own (pages read from several threads) — or with
    in_transaction on `con` itself, where a cursor would not see the caller's uncommitted writes."""
    cur = con if in_transaction else con.cursor()
    try:
        return cur.execute(load(name), bind(name, params)).df()
    finally:
        if not in_transaction:
            cur.close()


def arrays(con: duckdb.DuckDBPyConnection, name: str, *, in_transaction: bool = False, **params) -> dict:
    """The result as one numpy array per column: for millions of rows, where a DataFrame would not fit."""
    cur = con if in_transaction else con.cursor()
    try:
        return cur.execute(load(name), bind(name, params)).fetchnumpy()
    finally:
        if not in_transaction:
            cur.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    """Run a statement on `con` itself, inside the caller's transaction."""
    con.execute(load(name), bind(name, params))
