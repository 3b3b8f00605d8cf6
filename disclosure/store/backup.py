"""Backups: the database file and the accounts file in one zip a person can keep — taken on demand (`backup`) and
automatically before a schema migration changes a file that holds data — and a restore that puts one back whole,
after keeping what it replaces."""
from __future__ import annotations

import datetime
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb

from disclosure import config
from disclosure.issues import Refusal
from disclosure.store import accounts

DB_ENTRY, ACCOUNTS_ENTRY, MANIFEST_ENTRY = "disclosure.duckdb", "accounts.toml", "manifest.json"
ENTRIES = {DB_ENTRY, ACCOUNTS_ENTRY, MANIFEST_ENTRY}


class RestoreRefused(Refusal):
    """A file that is not one of our backups, or one that does not open: nothing was changed."""

    code = "restore-refused"


def backup_dir(db_path: Path) -> Path:
    """Where backups go unless told otherwise (env DISCLOSURE_BACKUP_DIR; default `backups/` beside the database)."""
    configured = os.environ.get("DISCLOSURE_BACKUP_DIR", "").strip()
    return Path(configured) if configured else Path(db_path).parent / "backups"


def default_name(db_path: Path, reason: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_dir(db_path) / f"{Path(db_path).stem}-{stamp}-{reason}.zip"


def take(con: duckdb.DuckDBPyConnection, db_path: Path, out: Path | None = None, *, reason: str = "manual",
         accounts_file: Path | None = None) -> Path:
    """Write the open database (checkpointed first, so the file alone is whole) and the accounts file to `out`.

    The caller holds the database's write lock (db._write_lock) or is alone with the file: no write may land between
    the checkpoint and the copy."""
    db_path = Path(db_path)
    out = Path(out) if out else default_name(db_path, reason)
    out.parent.mkdir(parents=True, exist_ok=True)
    accounts_file = Path(accounts_file) if accounts_file else accounts.path()
    con.execute("checkpoint")
    versions = [v for (v,) in con.execute("select version from schema_migrations order by version").fetchall()]
    manifest = {"made": datetime.datetime.now().isoformat(timespec="seconds"), "reason": reason,
                "database": str(db_path), "schema_versions": versions}
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(db_path, DB_ENTRY)
        if accounts_file.exists():
            z.write(accounts_file, ACCOUNTS_ENTRY)
        z.writestr(MANIFEST_ENTRY, json.dumps(manifest, ensure_ascii=False, indent=1))
    os.replace(partial, out)  # a backup is either whole or absent
    return out


def restore(archive: Path, db_path: Path, *, accounts_file: Path | None = None, wait: float = 1.0) -> Path:
    """Put the backup in `archive` in place of the database (and the accounts file, when the backup holds one).

    Refused, changing nothing, when the file is no backup of ours or its database does not open; db.DatabaseBusy
    when another program (the dashboard) holds the database. Returns the backup taken of what was replaced."""
    from disclosure.store import db  # db imports this module for the backup before a migration

    archive, db_path = Path(archive), Path(db_path)
    accounts_file = Path(accounts_file) if accounts_file else accounts.path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db_path.parent, prefix=".restore-") as work:
        restored_db = _unpack(archive, Path(work))
        con = db.connect(db_path, wait=wait)  # DatabaseBusy while the dashboard runs: nothing changed
        try:
            kept = take(con, db_path, reason="before-restore", accounts_file=accounts_file)
        finally:
            con.close()
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():  # closed cleanly it is empty; a stale one must never be replayed onto the restored file
            wal.unlink()
        os.replace(restored_db, db_path)
        restored_accounts = Path(work) / ACCOUNTS_ENTRY
        if restored_accounts.exists():
            os.replace(restored_accounts, accounts_file)
    db.connect(db_path, wait=wait).close()  # a backup of an older schema is migrated now, not at the next start
    return kept


def _unpack(archive: Path, work: Path) -> Path:
    """The backup's files in `work`, after checking that it is one of ours and that its database opens."""
    try:
        with zipfile.ZipFile(archive) as z:
            names = set(z.namelist())
            if DB_ENTRY not in names or MANIFEST_ENTRY not in names or names - ENTRIES:
                raise RestoreRefused(f"{archive.name} 不是本平台的备份文件：应包含 {DB_ENTRY} 和 {MANIFEST_ENTRY}，"
                                     f"实际是 {'、'.join(sorted(names)) or '空的'}。未做任何改动。")
            needed = sum(z.getinfo(n).file_size for n in names)
            free = shutil.disk_usage(work).free
            if needed > free:
                raise RestoreRefused(f"恢复 {archive.name} 需要 {config.megabytes(needed)} 磁盘空间，只剩 "
                                     f"{config.megabytes(free)}。未做任何改动。")
            for name in names:
                with z.open(name) as src, open(work / name, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise RestoreRefused(f"{archive.name} 无法作为备份读取（{type(e).__name__}）。未做任何改动。") from None
    try:
        check = duckdb.connect(str(work / DB_ENTRY), read_only=True)
        try:
            check.execute("select count(*) from schema_migrations").fetchone()
            check.execute("select count(*) from reports").fetchone()
        finally:
            check.close()
    except duckdb.Error:
        raise RestoreRefused(f"{archive.name} 中的数据库无法打开或不是本平台的数据库。未做任何改动。") from None
    return work / DB_ENTRY
