"""Every query file opens with its header, declares the parameters it uses, and runs."""
from __future__ import annotations

import contextlib
import re
import threading
import time

import duckdb
import pytest

from disclosure.config import QUERIES_DIR
from disclosure.store import db, sql

QUERIES = sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))
FILTERS = {"region": "示例省/示例市/示例县", "year": 2020, "year_from": 2019, "year_to": 2025, "kinds": [],
           "agencies": [], "batch_id": 1, "n": 2}


@pytest.mark.parametrize("name", QUERIES)
def test_header_names_the_query_grain_and_params(name):
    text = sql.load(name)
    lines = text.splitlines()
    assert lines[0].startswith(f"-- {name}: ")
    assert any(line.startswith("-- Grain: ") for line in lines[:6])
    used = set(re.findall(r"\$([a-z_][a-z0-9_]*)", "\n".join(line for line in lines if not line.startswith("--"))))
    assert used == set(sql.params_of(name))


def test_load_refuses_names_that_are_not_files():
    for name in ("../schema/0001_core", "missing", "Overview"):
        with pytest.raises(KeyError):
            sql.load(name)


def test_bind_keeps_only_declared_params_and_needs_them_all():
    assert sql.bind("overview_kpis", {**FILTERS, "unused": 1}) == {"region": FILTERS["region"], "year": 2020, "kinds": []}
    with pytest.raises(KeyError):
        sql.bind("overview_kpis", {"year": 2020})


READ_QUERIES = ["filter_choices", "overview_kpis", "overview_agencies", "channel_split_by_agency",
                "batch_history", "current_reports_list", "current_facts_long", "report_missing_cells",
                "demo_batch_count", "regions_all", "agency_aliases_all"]


@pytest.mark.demo
@pytest.mark.parametrize("name", READ_QUERIES)
def test_read_queries_run_on_demo_data(con, name):
    frame = sql.run(con, name, **FILTERS)
    assert not frame.empty


@pytest.mark.demo
def test_seed_report_golden_rows(con):
    channels = sql.run(con, "channel_split_by_agency", **FILTERS)
    seed = channels[channels["agency"] == "海青乡"]
    assert seed[["channel", "items"]].values.tolist() == [["微信公众号", 43], ["其他方式", 28]]
    agencies = sql.run(con, "overview_agencies", **FILTERS).set_index("agency")
    assert agencies.loc["海青乡", "published"] == 71 and agencies.loc["海青乡", "new_applications"] == 0


@pytest.mark.demo
def test_overview_totals_leave_out_the_summary_report(con):
    kpis = sql.run(con, "overview_kpis", **FILTERS).set_index("year")
    agencies = sql.run(con, "overview_agencies", **FILTERS)
    own = agencies[agencies["kind"] != "汇总"]
    assert kpis.loc[2020, "reports"] == len(own)
    assert kpis.loc[2020, "published"] == own["published"].sum()


@pytest.mark.demo
def test_missing_cells_are_listed_per_report(con):
    missing = sql.run(con, "report_missing_cells", region="示例省/示例市/示例县")
    assert ("河口镇", 2024, "s3.carried_in.research") in set(missing[["agency", "year", "metric"]].itertuples(index=False, name=None))
    assert not missing["metric"].str.startswith("s1.").any()


@pytest.mark.demo
def test_pages_read_while_another_session_writes(con):
    """The dashboard's sessions share one connection; DuckDB refuses a connection busy in a call (it does not
    wait), so every read, the data version included, goes through a cursor of its own."""
    writing = threading.Event()

    def long_write():
        with contextlib.suppress(duckdb.InterruptException), db.transaction(con):
            writing.set()
            con.execute("select sum(range) from range(3000000000)")  # seconds inside one call on `con`

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert writing.wait(10)
        time.sleep(0.2)
        assert db.data_version(con) > 0
        assert not sql.run(con, "filter_choices").empty
    finally:
        con.interrupt()
        writer.join()


# --- the scope, written once (queries/views/00_scope.sql) -----------------------------------------------------------

SCOPE_COPIES = re.compile(r"starts_with\([^)]*\|\| '/'\)|len\(\$(kinds|agencies)\) = 0")


def test_no_query_and_no_current_view_copies_the_scope_rule():
    files = [*QUERIES_DIR.glob("*.sql"), *(QUERIES_DIR / "views").glob("*.sql")]
    copies = [f.name for f in files if f.name != "00_scope.sql" and SCOPE_COPIES.search(f.read_text(encoding="utf-8"))]
    assert copies == []


@pytest.mark.parametrize("region, scope, inside", [
    ("示例省/示例市/示例县", "示例省/示例市", True), ("示例省/示例市", "示例省/示例市", True),
    ("示例省/示例市二/甲县", "示例省/示例市", False), ("示例省", "示例省/示例市", False)])
def test_a_region_holds_itself_and_what_lies_below_it_only(con, region, scope, inside):
    assert con.execute("select in_region($r, $s)", {"r": region, "s": scope}).fetchone()[0] is inside


def test_no_kind_or_agency_chosen_is_all_of_them(con):
    row = con.execute("select in_scope('县/乙镇', '镇', '乙镇', '县', []::varchar[], []::varchar[]), "
                      "in_scope('县/乙镇', '镇', '乙镇', '县', ['乡'], []::varchar[]), "
                      "in_scope('县/乙镇', '镇', '乙镇', '县', ['镇'], ['甲乡'])").fetchone()
    assert row == (True, False, False)


def test_the_migrations_make_tables_and_never_a_view_a_macro_or_a_table_filled_from_a_query():
    """A view body in a migration would be a second definition beside queries/views/, and a table filled there from a
    query would keep the numbers of that day's definition."""
    made = re.compile(r"create\s+(?:or\s+replace\s+)?(?:temp\w*\s+)?(?:view|macro|function)\b"
                      r"|create\s+table\b[^;(]*\bas\b|\binsert\s+into\s+\w+\s+(?:by\s+name\s+)?select\s+\*",
                      re.IGNORECASE)
    found = {f.name: made.findall(f.read_text(encoding="utf-8")) for f in (QUERIES_DIR / "schema").glob("*.sql")}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_every_stored_view_is_made_in_queries_views(con):
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    stored = {m for f in (QUERIES_DIR / "views").glob("*.sql") for m in db.STORED_VIEW.findall(f.read_text("utf-8"))}
    assert stored == {"report_figures", "summary_totals"} and stored <= tables


def test_every_view_and_macro_has_its_one_definition_in_queries_views(con):
    made = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    made |= {r[0] for r in con.execute("select distinct function_name from duckdb_functions() "
                                       "where function_type in ('macro', 'table_macro') and not internal").fetchall()}
    defined = {m for f in (QUERIES_DIR / "views").glob("*.sql")
               for m in re.findall(r"create or replace (?:view|macro) (\w+)", f.read_text(encoding="utf-8"))}
    assert made == defined
