"""Nothing lost, nothing doubled: many importers at once, and an import killed at random moments.

Both run the real command line in separate processes, as clerks and scheduled jobs would: DuckDB lets one process
hold the file, so each importer polls for the lock and waits its turn (architecture principle 2).
"""
from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from bench.import_speed import synthetic_wide_csv
from disclosure import demo
from disclosure.store import db
from tests.conftest import figures_agree

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"


def start_import(path: Path, db_file: Path, *options: str) -> subprocess.Popen:
    # stdout (a line per problem) is not read: a full pipe would block the import
    return subprocess.Popen([sys.executable, "-m", "disclosure", "import", str(path), "--db", str(db_file), *options],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def current_pairs(db_file: Path) -> pd.DataFrame:
    con = db.connect(db_file)
    try:
        return con.execute("select a.name as agency, rp.year from current_reports as rp "
                           "join agencies as a on a.id = rp.agency_id").df()
    finally:
        con.close()


def test_eight_importers_at_once_each_commit_in_turn(db_file, tmp_path):
    """Eight files of different agencies and two more copies of the first, all started together: every process
    waits for the lock and exits 0; every report is there once."""
    files = []
    for n in range(8):
        data = SEED.read_bytes().replace("海青乡".encode(), f"海青乡{n}".encode())
        files.append(tmp_path / f"clerk{n}.csv")
        files[-1].write_bytes(data)
    runs = [start_import(f, db_file, "--user", f"填报员{i}") for i, f in enumerate(files + files[:1] * 2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
    assert [code for code, _ in results] == [0] * 10, results
    pairs = current_pairs(db_file)
    assert sorted(pairs["agency"]) == sorted(f"海青乡{n}" for n in range(8)), "each report once; the copies changed nothing"
    assert not pairs.duplicated().any()
    con = db.connect(db_file)
    try:
        users = sorted(r for (r,) in con.execute("select created_by from batches").fetchall())
        first_of_copies = [u for u in users if u in ("填报员0", "填报员8", "填报员9")]  # whichever got the lock first
        assert len(users) == 8 and len(first_of_copies) == 1
        assert set(users) - set(first_of_copies) == {f"填报员{i}" for i in range(1, 8)}, "each write names its clerk"
    finally:
        con.close()


def integrity(con) -> None:
    """Everything stored beside the reports agrees with them."""
    orphans = con.execute("select count(*) from facts where report_id not in (select id from reports)").fetchone()[0]
    assert orphans == 0
    missing = con.execute("select count(*) from reports where id not in (select report_id from report_figures)")
    assert missing.fetchone()[0] == 0
    figures_agree(con)


def test_an_import_killed_at_random_moments_leaves_the_database_whole(tmp_path):
    """SIGKILL (the machine switched off) while 3,000 reports are read, checked and written: afterwards the file
    opens, and holds either everything it held before or that plus the whole batch — never part of it."""
    base = tmp_path / "base.duckdb"
    con = db.connect(base)
    demo.build(con)
    before = con.execute("select count(*) from reports").fetchone()[0]
    con.close()
    big = tmp_path / "big.csv"
    big.write_bytes(synthetic_wide_csv(3000))
    shutil.copy(base, tmp_path / "whole.duckdb")
    started = time.monotonic()
    assert start_import(big, tmp_path / "whole.duckdb", "--accept-errors").wait() == 0
    duration = time.monotonic() - started  # kills spread over a whole import: reading, checking, writing
    rng = random.Random(5)
    outcomes = []
    for attempt in range(6):
        target = tmp_path / f"kill{attempt}.duckdb"
        shutil.copy(base, target)
        run = start_import(big, target, "--accept-errors")
        time.sleep(rng.uniform(0.3, 1.0) * duration)
        run.send_signal(signal.SIGKILL)
        run.wait()
        con = db.connect(target)
        try:
            reports = con.execute("select count(*) from reports").fetchone()[0]
            assert reports in (before, before + 3000), f"attempt {attempt}: {reports} reports"
            outcomes.append(reports == before)
            integrity(con)
        finally:
            con.close()
    assert any(outcomes), "at least one kill landed before the commit finished"
