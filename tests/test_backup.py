"""Backup and restore of the database and the accounts file, from the command line, and the backup taken by itself
before a schema migration changes a file that holds data."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from disclosure import demo
from disclosure.store import accounts, backup, db

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

ROOT = Path(__file__).parent.parent
SEED = Path(__file__).parent / "data" / "haiqing-2020.csv"


def cli(*args, env_accounts: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DISCLOSURE_ACCOUNTS": str(env_accounts)}
    return subprocess.run([sys.executable, "-m", "disclosure", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=env)


def reports(db_file: Path) -> int:
    with duckdb.connect(str(db_file), read_only=True) as c:
        return c.execute("select count(*) from current_reports").fetchone()[0]


@pytest.fixture
def site(tmp_path):
    """A database holding the demo county and an accounts file with one administrator."""
    db_file, accounts_file = tmp_path / "site.duckdb", tmp_path / "accounts.toml"
    con = db.connect(db_file)
    demo.build(con)
    con.close()
    accounts.add("管理员", "admin", "password-admin", file=accounts_file)
    return db_file, accounts_file


def test_a_backup_restored_brings_back_the_database_and_the_accounts(site, tmp_path):
    db_file, accounts_file = site
    before = reports(db_file)
    archive = tmp_path / "kept.zip"
    made = cli("backup", "-o", archive, "--db", db_file, env_accounts=accounts_file)
    assert made.returncode == 0 and "已备份到" in made.stdout, made.stderr
    assert set(zipfile.ZipFile(archive).namelist()) == backup.ENTRIES

    changed = SEED.read_bytes().replace("海青乡".encode(), "新设乡".encode())
    (tmp_path / "new.csv").write_bytes(changed)
    assert cli("import", tmp_path / "new.csv", "--db", db_file, env_accounts=accounts_file).returncode == 0
    accounts.add("后来者", "viewer", "password-later", file=accounts_file)
    assert reports(db_file) == before + 1

    restored = cli("restore", archive, "--db", db_file, env_accounts=accounts_file)
    assert restored.returncode == 0, restored.stderr
    assert reports(db_file) == before
    assert set(accounts.load(accounts_file)) == {"管理员"}
    kept = Path(restored.stdout.rsplit("备份到 ", 1)[1].strip())
    with zipfile.ZipFile(kept) as z:  # what the restore replaced, kept in its turn
        assert "后来者" in z.read(backup.ACCOUNTS_ENTRY).decode()


def test_no_restore_while_the_dashboard_holds_the_database(site, tmp_path):
    db_file, accounts_file = site
    archive = tmp_path / "kept.zip"
    assert cli("backup", "-o", archive, "--db", db_file, env_accounts=accounts_file).returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; held = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db_file)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        refused = cli("restore", archive, "--db", db_file, "--wait", "1", env_accounts=accounts_file)
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode == 3 and "占用" in refused.stderr
    assert not list(tmp_path.glob(".restore-*")), "the unpacked backup is cleaned up"


@pytest.mark.parametrize("content", ["not a zip", "zip-without-database", "zip-with-other-file", "broken-database"])
def test_a_file_that_is_no_backup_of_ours_changes_nothing(site, tmp_path, content):
    db_file, accounts_file = site
    before, written = reports(db_file), accounts_file.read_bytes()
    bad = tmp_path / "bad.zip"
    if content == "not a zip":
        bad.write_bytes(b"PK\x03\x04 truncated")
    else:
        with zipfile.ZipFile(bad, "w") as z:
            if content != "zip-without-database":
                z.writestr(backup.DB_ENTRY, b"not a database" if content == "broken-database"
                           else db_file.read_bytes())
            z.writestr(backup.MANIFEST_ENTRY, "{}")
            if content == "zip-with-other-file":
                z.writestr("../../etc/passwd", "x")
    refused = cli("restore", bad, "--db", db_file, env_accounts=accounts_file)
    assert refused.returncode == 1 and "未做任何改动" in refused.stderr, refused.stderr
    assert reports(db_file) == before and accounts_file.read_bytes() == written


def test_a_migration_is_preceded_by_a_backup_of_the_file_it_changes(site, tmp_path, monkeypatch):
    db_file, _ = site
    before = reports(db_file)
    extra = tmp_path / "schema" / "9999_add_a_table.sql"
    extra.parent.mkdir()
    extra.write_text("create table added_later (x integer);", encoding="utf-8")
    known = db._migrations()
    monkeypatch.setattr(db, "_migrations", lambda: [*known, (9999, extra)])
    monkeypatch.setenv("DISCLOSURE_BACKUP_DIR", str(tmp_path / "auto"))
    db.connect(db_file).close()
    [made] = (tmp_path / "auto").glob("*before-9999_add_a_table.zip")
    with zipfile.ZipFile(made) as z:
        z.extract(backup.DB_ENTRY, tmp_path / "out")
    with duckdb.connect(str(tmp_path / "out" / backup.DB_ENTRY), read_only=True) as c:
        assert c.execute("select count(*) from current_reports").fetchone()[0] == before
        assert not c.execute("select * from duckdb_tables() where table_name = 'added_later'").fetchall()
    db.connect(db_file).close()
    assert len(list((tmp_path / "auto").glob("*.zip"))) == 1, "once: nothing pending the second time"


def test_a_new_database_file_needs_no_backup(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_BACKUP_DIR", str(tmp_path / "auto"))
    db.connect(tmp_path / "fresh.duckdb").close()
    assert not (tmp_path / "auto").exists()
