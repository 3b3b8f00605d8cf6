"""The SQL console as a sandbox by construction: what DuckDB's parser finds in the query decides, not words in the
text; results are bounded in bytes while they stream, a slow query is interrupted, and every connection carries the
configured memory, thread and spill settings, locked."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from disclosure import config
from disclosure.issues import Refusal
from disclosure.store import console, db, sandbox

ROOT = Path(__file__).parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
MB = 1024 * 1024


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_template):
    path = tmp_path_factory.mktemp("sandbox") / "x.duckdb"
    shutil.copyfile(demo_template, path)
    connection = db.connect(path)
    yield connection, path
    connection.close()


@pytest.fixture(scope="module")
def demo_con(demo_db):
    return demo_db[0]


def state(con) -> tuple:
    cur = con.cursor()
    try:
        return (cur.execute("select count(*) from facts").fetchone()[0],
                cur.execute("select list(database_name order by database_name) from duckdb_databases()").fetchone()[0],
                cur.execute("select current_setting('threads'), current_setting('memory_limit')").fetchone())
    finally:
        cur.close()


@pytest.mark.slow
def test_duckdb_itself_lets_the_locked_down_connection_read_its_own_file(demo_db):
    """Why a word list or the configuration is not enough: with external access off, DuckDB still reads the
    database file (and its WAL) for any query that names it."""
    con, path = demo_db
    cur = con.cursor()
    try:
        assert cur.execute("select size from read_blob/**/($path)", {"path": str(path)}).fetchone()[0] == \
            path.stat().st_size
        assert cur.execute("select * from query('select 42')").fetchone()[0] == 42
    finally:
        cur.close()


# The query, and the name its refusal must give. {db} is the database file of the module's fixture.
BYPASSES = {
    "comment before the parenthesis": ("select * from read_blob/**/('{db}')", "read_blob"),
    "line comment and newline": ("select * from read_blob -- x\n ('{db}')", "read_blob"),
    "quoted name, upper case": ('select * from "READ_BLOB"(\'{db}\')', "read_blob"),
    "the WAL": ("select size from read_blob('{db}.wal')", "read_blob"),
    "read_text": ("select content from read_text('{db}')", "read_text"),
    "file as a table": ("select * from '{db}'", "{db}"),
    "json_execute_serialized_sql": ("select * from json_execute_serialized_sql(json_serialize_sql('select 1'))",
                                    "json_execute_serialized_sql"),
    "query()": ("select * from query('select * from sources')", "query"),
    "query_table()": ("select * from query_table('sources')", "query_table"),
    "glob": ("select * from glob('/etc/*')", "glob"),
    "duckdb_databases()": ("select path from duckdb_databases()", "duckdb_databases"),
    "duckdb_databases view": ("select * from duckdb_databases", "duckdb_databases"),
    "information_schema": ("select * from information_schema.tables", "information_schema.tables"),
    "pragma function": ("select * from pragma_database_list()", "pragma_database_list"),
    "current_setting": ("select current_setting('memory_limit')", "current_setting"),
    "getvariable": ("select getvariable('x')", "getvariable"),
    "table macro": ("select * from expected_reports('示例省', [])", "expected_reports"),
    "hidden table": ("select file_name from sources", "sources"),
    "hidden table, qualified": ("select file_name from main.sources", "sources"),
    "hidden table in a join": ("select * from facts, sources", "sources"),
    "hidden table in a subquery": ("select * from facts where report_id in (select id from sources)", "sources"),
    "hidden table in a scalar subquery": ("select (select content from sources limit 1)", "sources"),
    "hidden table in a CTE": ("with x as (select * from sources) select * from x", "sources"),
    "CTE naming itself": ("with sources as (select * from sources) select * from sources", "sources"),
    "hidden table in a union": ("select 1 union all select size from read_blob('{db}')", "read_blob"),
    "other database": ("select * from other.main.facts", "other.main.facts"),
    "repeat (the 4 GB query)": ("select repeat('x', 400000) from range(10001)", "repeat"),
    "lpad": ("select lpad('x', 100000000, 'y')", "lpad"),
    "concatenation": ("select agency || agency from report_summary", "||"),
    "string_agg": ("select string_agg(agency, ',') from report_summary", "string_agg"),
    "nextval": ("select nextval('report_id')", "nextval"),
    "describe": ("describe facts", "DESCRIBE"),
    "summarize": ("summarize facts", "SUMMARIZE"),
    "show tables": ("show tables", "SHOW"),
    "attach": ("attach '{db}' as again", "ATTACH"),
    "pragma": ("pragma database_list", "PRAGMA"),
    "set": ("set threads = 8", "SET"),
    "copy": ("copy facts to '/tmp/disclosure_sandbox_x.csv'", "COPY"),
    "two statements": ("select 1; select * from read_blob('{db}')", "2 条"),
    "select then attach": ("select 1; attach '{db}' as again", "2 条"),
}


@pytest.mark.parametrize(("sql_text", "named"), BYPASSES.values(), ids=BYPASSES.keys())
def test_bypasses_are_refused_naming_what(demo_db, sql_text, named):
    con, path = demo_db
    before = state(con)
    result = console.run_select(con, sql_text.format(db=path))
    assert result.frame is None
    assert CJK.search(result.error) and named.format(db=path) in result.error, result.error
    assert state(con) == before
    assert not Path("/tmp/disclosure_sandbox_x.csv").exists()


@pytest.mark.parametrize(("sql_text", "expected"), [
    ("with x as (select year, count(*) as n from report_summary group by year) select max(n) > 0 as ok from x",
     [True]),
    ("with a as (select 1 as n), b as (select n + 1 as n from a) select n from b", [2]),
    ("select n from (with y as (select 3 as n) select n from y)", [3]),
    ("with x as (select 4 as n) select (select n from x) as n", [4]),
    ("with sources as (select 5 as n) select n from sources", [5]),  # the CTE, not the hidden table
    ("with recursive r(n) as (select 1 union all select n + 1 from r where n < 4) select sum(n) as n from r", [10]),
    ("select count(*) > 0 as ok from facts where report_id in (select id from reports where status = 'current')",
     [True]),
    ("select 1 as n union select 1 union all select 2 order by n", [1, 2]),
    ("select year as n from reports except select year from reports where year > 2020 intersect "
     "select 2019 order by n limit 1", [2019]),
    ("select count(*) as n from generate_series(2019, 2025) as y(year)", [7]),
    ("select count(distinct year) = max(rank) as ok from (select year, dense_rank() over (order by year) as rank "
     "from report_summary)", [True]),
    ("select coalesce(nullif(trim(upper(' a ')), ''), 'x') as n", ["A"]),
    ("select cast(round(avg(disclosure_rate), 2) as varchar) is not null as ok from report_summary "
     "where year between 2019 and 2025 and agency like '%乡%'", [True]),
    ("select case when date_part('year', date '2024-03-01' + interval 1 day) = 2024 then 'ok' end as n", ["ok"]),
])
def test_ordinary_analysis_runs(demo_con, sql_text, expected):
    result = console.run_select(demo_con, sql_text)
    assert result.error == "", (result.error, result.detail)
    assert result.frame.iloc[:, 0].tolist() == expected


def test_every_allowed_function_is_an_ordinary_duckdb_function():
    """The allow-list names real scalar, aggregate, window functions or system macros; no table function."""
    kinds = dict(duckdb.connect().execute(
        "select function_name, list(distinct function_type) from duckdb_functions() group by 1").fetchall())
    missing = sorted(f for f in sandbox.FUNCTIONS | sandbox.OPERATORS if f not in kinds)
    assert not missing, missing
    tables = sorted(f for f in sandbox.FUNCTIONS if kinds[f] == ["table"])
    assert not tables, tables
    assert all("table" in kinds[f] for f in sandbox.TABLE_FUNCTIONS)


def test_allowed_tables_come_from_the_schema_less_the_hidden(demo_con):
    allowed = sandbox.allowed_tables(demo_con)
    assert {"report_summary", "report_facts", "metrics", "agencies", "regions", "reports", "facts"} <= set(allowed)
    assert not set(allowed) & {"sources", "meta", "schema_migrations"}


@pytest.mark.parametrize(("sql_text", "starts", "english"), [
    ("selec * form facts", "SQL 语法错误", "syntax error"),
    ("select no_such_column from report_summary", "找不到所写的列", "no_such_column"),
    ("select * from no_such_table", "找不到所写的表或视图 no_such_table", ""),
    ("select agency + 1 from report_summary", "类型不匹配", "argument types"),
    ("select cast('abc' as integer)", "类型不匹配", "Could not convert"),
    ("select 'x' " + "-- padding\n" * 500, "查询语句有", ""),
    ("select " + "+".join(["1"] * 300) + " as n", "", ""),  # a long expression is a deep tree: still checked
])
def test_errors_are_chinese_with_duckdbs_words_as_detail(demo_con, sql_text, starts, english):
    result = console.run_select(demo_con, sql_text)
    if not starts:
        assert result.error == "" and result.frame["n"].tolist() == [300]
        return
    assert result.frame is None and result.error.startswith(starts), result.error
    assert english in result.detail and (not english or english not in result.error)


# --- bounded in bytes, in time -----------------------------------------------------------------------------------

WIDE = "with t as (select '{text}' as s) select {columns} from t, range({rows}) as r(i)"


def wide_query(rows: int, columns: int = 120, width: int = 2500) -> str:
    """rows × columns × width bytes from allowed parts: every cell a fresh copy of a literal (substr of a row
    number), as the 4 GB repeat() query, but within the sandbox and the 5,000-character limit."""
    cells = ",".join(f"substr(s,i%2+1)c{k}" for k in range(columns))
    return WIDE.format(text="x" * width, columns=cells, rows=rows)


def test_result_over_the_byte_cap_is_refused_with_its_size(demo_con):
    limits = console.Limits(rows=10_000, bytes=1 * MB, seconds=30)
    result = console.run_select(demo_con, wide_query(rows=5000, columns=2), limits=limits)
    assert result.frame is None and result.error.startswith("查询结果太大")
    assert "超过上限 1 MB" in result.error and re.search(r"已有 [\d.]+ MB", result.error), result.error
    under = console.run_select(demo_con, wide_query(rows=100, columns=2), limits=limits)
    assert under.error == "" and under.frame.shape == (100, 2)


CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a regression fails here instead of eating the machine
from disclosure.store import console, db
con = db.connect(sys.argv[1])
result = console.run_select(con, sys.stdin.read())
print(json.dumps({"error": result.error, "frame": result.frame is not None,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


@pytest.mark.parametrize(("sql_text", "refusal"), [
    ("select repeat('x', 400000) from range(10001)", "不允许使用函数 repeat()"),
    (wide_query(rows=10_000), "查询结果太大"),  # 10,000 rows × 300 KB = 3 GB, under the row cap
], ids=["the 4 GB query", "3 GB under the row cap"])
@pytest.mark.slow
def test_huge_results_are_refused_with_peak_memory_bounded(tmp_path, sql_text, refusal):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DISCLOSURE_DB_MEMORY": "500MB"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "x.duckdb")], input=sql_text, env=env,
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["error"].startswith(refusal) and not answer["frame"], answer
    assert answer["peak_mb"] < 1500, answer


@pytest.mark.slow
def test_slow_cross_join_is_interrupted_near_the_limit(demo_con):
    limits = console.Limits(rows=10_000, bytes=20 * MB, seconds=2)
    started = time.monotonic()
    result = console.run_select(demo_con, "select count(*) from range(1000000) as a, range(1000000) as b "
                                          "where (a.range + b.range) % 7 = 3", limits=limits)
    assert time.monotonic() - started < 20, "interrupted, not run to its end"
    assert result.frame is None and result.error.startswith("查询超过 2 秒，已中止"), result.error
    assert console.run_select(demo_con, "select 42 as n").frame["n"].tolist() == [42], "the connection still works"


@pytest.mark.slow
def test_slow_stream_is_interrupted_between_batches(demo_con):
    """Rows that trickle out: the interrupt lands while the result streams, and still reads as the time limit."""
    limits = console.Limits(rows=10_000, bytes=20 * MB, seconds=2)
    started = time.monotonic()
    result = console.run_select(demo_con, "select i from range(100000000000) as r(i) where hash(i) % 100000 = 0",
                                limits=limits)
    assert time.monotonic() - started < 20
    assert result.frame is None and result.error.startswith("查询超过 2 秒，已中止"), result.error


# --- every connection's settings ---------------------------------------------------------------------------------

def settings(con) -> dict:
    cur = con.cursor()
    try:
        names = ["memory_limit", "threads", "temp_directory", "lock_configuration", "enable_external_access"]
        row = cur.execute("select " + ", ".join(f"current_setting('{n}')" for n in names)).fetchone()
        return dict(zip(names, row))
    finally:
        cur.close()


def test_connections_carry_the_configured_limits_locked(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_DB_MEMORY", "300MB")
    monkeypatch.setenv("DISCLOSURE_DB_THREADS", "1")
    monkeypatch.delenv("DISCLOSURE_DB_TEMP", raising=False)
    con = db.connect(tmp_path / "x.duckdb")
    try:
        assert settings(con) == {"memory_limit": "300.0 MiB", "threads": 1,
                                 "temp_directory": str(tmp_path / "x.duckdb.tmp"),
                                 "lock_configuration": True, "enable_external_access": False}
        cur = con.cursor()  # the console's kind of connection: a cursor, which shares the database's settings
        with pytest.raises(duckdb.Error, match="locked"):
            cur.execute("set memory_limit = '8GB'")
        cur.close()
    finally:
        con.close()


def test_default_memory_limit_is_a_share_of_the_machine(tmp_path, monkeypatch):
    monkeypatch.delenv("DISCLOSURE_DB_MEMORY", raising=False)
    monkeypatch.setenv("DISCLOSURE_DB_TEMP", str(tmp_path / "spill"))
    con = db.connect(tmp_path / "x.duckdb")
    try:
        shown = settings(con)
        assert shown["temp_directory"] == str(tmp_path / "spill")
        number, unit = shown["memory_limit"].split()
        size = float(number) * {"MiB": 1024 ** 2, "GiB": 1024 ** 3, "TiB": 1024 ** 4}[unit]
        assert abs(size - 0.4 * config.physical_memory()) < 0.01 * config.physical_memory()
    finally:
        con.close()


@pytest.mark.parametrize(("value", "expected"), [
    ("2GB", 2 * 1024 ** 3), ("512 MiB", 512 * MB), ("25%", None)])
def test_memory_setting_is_read_as_a_size_or_a_share(monkeypatch, value, expected):
    monkeypatch.setenv("DISCLOSURE_DB_MEMORY", value)
    assert config.db_memory_bytes() == (expected or int(config.physical_memory() * 0.25))


@pytest.mark.parametrize(("name", "value"), [
    ("DISCLOSURE_DB_MEMORY", "lots"), ("DISCLOSURE_DB_MEMORY", "150%"), ("DISCLOSURE_DB_MEMORY", "0GB"),
    ("DISCLOSURE_DB_THREADS", "0"), ("DISCLOSURE_DB_THREADS", "1.5"), ("DISCLOSURE_CONSOLE_MAX_MB", "nan")])
def test_a_bad_setting_is_named_in_chinese(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    read = {"DISCLOSURE_DB_MEMORY": config.db_memory_bytes, "DISCLOSURE_DB_THREADS": config.db_threads,
            "DISCLOSURE_CONSOLE_MAX_MB": config.console_max_bytes}[name]
    with pytest.raises(Refusal, match=f"环境变量 {name} 的值「{re.escape(value)}」无法识别"):
        read()
