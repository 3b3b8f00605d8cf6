"""The read-only SQL console: every escape attempt is refused or bounded, and the database stays as it was."""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from disclosure.store import console, db, sandbox

OUTSIDE = ("/tmp/disclosure_console_x.csv", "/tmp/disclosure_console_x", "/tmp/disclosure_console_y.duckdb")
CJK = re.compile(r"[\u4e00-\u9fff]")
ONE_SECOND = console.Limits(rows=10_000, bytes=20 * 1024 * 1024, seconds=1)


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory, demo_template):
    path = tmp_path_factory.mktemp("console") / "x.duckdb"
    shutil.copyfile(demo_template, path)
    connection = db.connect(path)
    yield connection
    connection.close()


def state(con) -> tuple:
    """What an escape must not change: the rows, the sequences, the settings, the attached databases."""
    return (
        con.execute("select count(*) from facts").fetchone()[0],
        con.execute("select count(*) from reports").fetchone()[0],
        con.execute("select count(*) from duckdb_tables()").fetchone()[0],
        con.execute("select value from meta where key = 'data_version'").fetchone()[0],
        con.execute("select list(sequence_name || ':' || last_value order by sequence_name) "
                    "from duckdb_sequences()").fetchone()[0],
        con.execute("select list(database_name order by database_name) from duckdb_databases()").fetchone()[0],
        con.execute("select current_setting('enable_external_access')").fetchone()[0],
    )


REFUSED = {
    "read_text": "select * from read_text('/etc/passwd')",
    "read_csv": "select * from read_csv('/etc/passwd')",
    "read_csv_auto": "select * from read_csv_auto('/etc/passwd')",
    "read_parquet": "select * from read_parquet('/etc/x.parquet')",
    "glob": "select * from glob('/etc/*')",
    "replacement scan": "select * from '/etc/passwd'",
    "query()": "select * from query('select 1')",
    "copy": f"COPY facts TO '{OUTSIDE[0]}'",
    "copy select": f"COPY (select * from facts) TO '{OUTSIDE[0]}'",
    "export": f"EXPORT DATABASE '{OUTSIDE[1]}'",
    "attach": f"ATTACH '{OUTSIDE[2]}'",
    "detach": "DETACH x",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set external access": "SET enable_external_access=true",
    "set variable": "SET VARIABLE x = 1",
    "reset": "RESET threads",
    "pragma": "PRAGMA database_list",
    "call": "CALL pragma_database_list()",
    "explain analyze": "EXPLAIN ANALYZE select 1",
    "create temp table": "CREATE TEMP TABLE t AS SELECT 1",
    "create macro": "CREATE MACRO m() AS 1",
    "insert": "INSERT INTO meta VALUES ('x', 1)",
    "update": "UPDATE meta SET value = 99",
    "delete": "DELETE FROM facts",
    "drop": "drop table facts",
    "alter": "ALTER TABLE facts ADD COLUMN x int",
    "checkpoint": "CHECKPOINT",
    "vacuum": "VACUUM",
    "begin": "BEGIN TRANSACTION",
    "two selects": "select 1; select 2",
    "select then drop": "select 1; drop table facts",
    "empty": "   ",
}


@pytest.mark.slow
@pytest.mark.parametrize("sql_text", REFUSED.values(), ids=REFUSED.keys())
def test_escape_attempts_are_refused_with_a_chinese_message(demo_con, sql_text):
    before = state(demo_con)
    result = console.run_select(demo_con, sql_text)
    assert result.frame is None
    assert result.error and CJK.search(result.error), result.error
    assert state(demo_con) == before


@pytest.mark.parametrize("sql_text", [
    "select * from read_text('/etc/passwd')",
    "select * from read_csv('/etc/passwd')",
    "select * from read_csv_auto('/etc/passwd')",
    "select * from glob('/etc/*')",
])
def test_file_readers_fail_in_duckdb_itself_too(demo_con, sql_text):
    """The name check is defence in depth: the connection config already refuses the file system."""
    cur = demo_con.cursor()
    try:
        with pytest.raises(Exception, match="disabled by configuration"):
            cur.execute(sql_text).fetchall()
    finally:
        cur.close()


def test_select_that_would_write_fails_in_the_read_only_transaction(demo_con, monkeypatch):
    before = state(demo_con)
    assert "nextval" in console.run_select(demo_con, "select nextval('report_id') as n").error, "not on the allow-list"
    # should a writing function ever reach the allow-list, the read-only transaction still refuses the write
    monkeypatch.setattr(sandbox, "FUNCTIONS", sandbox.FUNCTIONS | {"nextval"})
    result = console.run_select(demo_con, "select nextval('report_id') as n")
    assert "只读" in result.error
    assert state(demo_con) == before


@pytest.mark.slow
def test_long_query_is_stopped_by_the_timeout(demo_con):
    started = time.monotonic()
    # hash() makes every row cost work: a bare count over range() is answered in under a second on a fast machine
    result = console.run_select(demo_con, "select count(*) from range(10000000000) as a(i) where hash(i) % 7 = 3",
                                limits=ONE_SECOND)
    assert time.monotonic() - started < 5
    assert result.frame is None and result.error.startswith("查询超过 1 秒，已中止")
    assert console.run_select(demo_con, "select 42 as answer").frame["answer"].tolist() == [42], "connection usable"


@pytest.mark.slow
def test_long_cross_join_is_stopped_by_the_timeout(demo_con):
    started = time.monotonic()
    result = console.run_select(demo_con, "select sum(a.range * b.range) from range(100000) as a, range(100000) as b",
                                limits=ONE_SECOND)
    assert time.monotonic() - started < 5
    assert result.frame is None and result.error.startswith("查询超过 1 秒，已中止")


def test_huge_result_is_truncated_to_max_rows(demo_con):
    started = time.monotonic()
    result = console.run_select(demo_con, "select * from range(1000000000) as r(i)",
                                limits=console.Limits(rows=10_000, bytes=20 * 1024 * 1024, seconds=10))
    assert time.monotonic() - started < 5, "the result is streamed, not materialised"
    assert result.error == ""
    assert len(result.frame) == 10_000 and result.truncated
    assert result.frame["i"].iloc[-1] == 9_999


def test_result_of_exactly_max_rows_is_not_truncated(demo_con):
    result = console.run_select(demo_con, "select * from range(5000)",
                                limits=console.Limits(rows=5000, bytes=20 * 1024 * 1024, seconds=10))
    assert len(result.frame) == 5000 and not result.truncated


@pytest.mark.parametrize("sql_text", [
    "WITH x AS (select 1 as a) select * from x",
    "select * from report_summary",
    "select * from report_facts limit 5",
    "select code, header from metrics",
    "from agencies",
    "select * from regions",
    "select count(*) as n from reports",
    "select 'read_csv(''/etc/passwd'')' as text_only",
])
def test_selects_are_allowed(demo_con, sql_text):
    result = console.run_select(demo_con, sql_text)
    assert result.error == "", result.error
    assert result.frame is not None and not result.frame.empty
    assert not result.truncated and result.seconds >= 0


def test_summary_has_a_row_per_current_report(demo_con):
    frame = console.run_select(demo_con, "select count(*) as n from report_summary").frame
    assert frame["n"].iloc[0] == demo_con.execute("select count(*) from current_reports").fetchone()[0]


def test_empty_result_keeps_its_columns(demo_con):
    result = console.run_select(demo_con, "select agency, year from report_summary where year = 1900")
    assert result.error == "" and result.frame.empty and list(result.frame.columns) == ["agency", "year"]


def test_syntax_error_is_returned_as_a_message(demo_con):
    result = console.run_select(demo_con, "selec * form facts")
    assert result.frame is None and result.error.startswith("SQL 语法错误")


def test_unknown_table_is_returned_as_a_message(demo_con):
    result = console.run_select(demo_con, "select * from no_such_table")
    assert result.frame is None and "找不到" in result.error


def test_runtime_error_is_returned_as_a_message(demo_con):
    result = console.run_select(demo_con, "select cast('abc' as integer)")
    assert result.frame is None and result.error


def test_nothing_changed_and_no_file_was_written(demo_con, tmp_path):
    facts = demo_con.execute("select count(*) from facts").fetchone()[0]
    files = set(tmp_path.parent.rglob("*"))
    for sql_text in REFUSED.values():
        console.run_select(demo_con, sql_text)
    assert demo_con.execute("select count(*) from facts").fetchone()[0] == facts > 0
    assert not any(Path(p).exists() for p in OUTSIDE)
    assert set(tmp_path.parent.rglob("*")) == files
