"""Shared fixtures: a fresh database file per test, filled through the real ingest path."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from disclosure import demo, ingest
from disclosure.ingest import rule_store
from disclosure.read.read_table import read_table
from disclosure.store import db
from disclosure.ui import server_state

DATA = Path(__file__).parent / "data"


def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ talks to a real server: marked `browser` here, once, rather than in each file."""
    browser = Path(__file__).parent / "browser"
    for item in items:
        if browser in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def no_default_database(tmp_path, monkeypatch):
    """No test touches data/disclosure.duckdb or data/accounts.toml: without files of its own, a test gets empty
    temp paths (no accounts file: the app runs open)."""
    monkeypatch.setenv("DISCLOSURE_DB", str(tmp_path / "unset.duckdb"))
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(tmp_path / "no-accounts.toml"))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo county, built once per test session through the real write path (it takes seconds); tests get
    copies of the file."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    connection = db.connect(path)
    demo.build(connection)
    connection.close()  # a checkpoint: the whole database is in the one file
    return path


@pytest.fixture
def db_file(request, tmp_path, monkeypatch) -> Path:
    """A migrated database file, empty — or, for a test marked `demo` or using `demo_con`, a copy of the demo
    county; DISCLOSURE_DB points at it for pages and the CLI."""
    path = tmp_path / "test.duckdb"
    if request.node.get_closest_marker("demo") or "demo_con" in request.fixturenames:
        shutil.copyfile(request.getfixturevalue("demo_template"), path)
    else:
        db.connect(path).close()
    monkeypatch.setenv("DISCLOSURE_DB", str(path))
    return path


@pytest.fixture
def con(db_file):
    connection = db.connect(db_file)
    yield connection
    connection.close()


@pytest.fixture
def demo_file(tmp_path, monkeypatch, demo_template) -> Path:
    """A copy of the demo county in a file no connection of the test holds (a page's is then the only one)."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_template, path)
    monkeypatch.setenv("DISCLOSURE_DB", str(path))
    return path


@pytest.fixture
def demo_con(con):
    """`con` on a copy of the demo county (db_file, in the same test, is that file)."""
    return con


def import_bytes(con, files: dict[str, bytes], **options):
    """Prepare and, when nothing blocks, commit: the page's and the CLI's path, as a test helper."""
    plan = ingest.prepare(con, [read_table(name, data) for name, data in files.items()],
                          replace=options.pop("replace", False))
    if plan.blocking(options.get("accept_errors", False)):
        return plan, None
    return plan, ingest.commit(con, plan, user="测试", via="测试", **options)


@pytest.fixture(autouse=True)
def fresh_streamlit_caches():
    """The app's connection, logins, login counts and cached query results belong to one test only: each test
    starts as a new server process would."""
    server_state.forget_all()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    server_state.forget_all()  # closes the connection the app opened, so the file is free for the next user
    st.cache_resource.clear()
    st.cache_data.clear()


def figures_agree(con) -> None:
    """What is stored beside the reports equals what it is derived from: the figures, the 汇总 comparisons and
    the rule violations."""
    stored = con.execute("select * from report_figures order by report_id").df()
    computed = con.execute("select * from report_figures_computed order by report_id").df()
    pd.testing.assert_frame_equal(stored, computed, check_dtype=False)
    order = "order by region_id, year, report_id, metric"
    stored = con.execute(f"select * from summary_totals {order}").df()
    computed = con.execute(f"select * from summary_totals_of((select list(id) from regions)) {order}").df()
    pd.testing.assert_frame_equal(stored, computed, check_dtype=False)
    order = list(rule_store.COLUMNS)
    stored = rule_store.stored(con).sort_values(order).reset_index(drop=True)
    pd.testing.assert_frame_equal(stored, rule_store.checked(con)[order].sort_values(order).reset_index(drop=True),
                                  check_dtype=False)
