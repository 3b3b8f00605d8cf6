"""One refusal type (disclosure.issues.Refusal, carrying issue records), raised by every layer and shown the same way
by the pages and the command line; damaged configuration and a missing optional library are said in Chinese with
what to do, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from disclosure import ingest
from disclosure.config import BadSetting
from disclosure.issues import Refusal
from disclosure.read import old_sheets, report_source, zip_limits
from disclosure.store import accounts, backup, db, sandbox

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", [zip_limits.Refused, old_sheets.Refused, sandbox.Refused, accounts.AccountError,
                                  backup.RestoreRefused, ingest.StaleImport, db.DatabaseBusy, BadSetting])
def test_every_refusal_of_every_layer_is_the_one_type_with_its_own_code(kind):
    assert issubclass(kind, Refusal) and kind.code != Refusal.code


def test_a_refusal_carries_issue_records():
    refusal = accounts.AccountError("用户名不能为空", file="accounts.toml")
    assert [(i.code, i.severity, i.file, i.message) for i in refusal.issues] == [
        ("account", "error", "accounts.toml", "用户名不能为空")]
    assert str(refusal) == "用户名不能为空"


def damaged_accounts(tmp_path, monkeypatch) -> Path:
    file = tmp_path / "accounts.toml"
    file.write_text("[users.张三\nrole = ", encoding="utf-8")  # cut off while being written
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(file))
    return file


def test_a_damaged_accounts_file_is_said_on_the_page_with_what_to_do(tmp_path, monkeypatch, db_file):
    damaged_accounts(tmp_path, monkeypatch)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    said = " ".join(e.value for e in at.error).replace("\\", "")
    assert "账户文件" in said and "已损坏" in said and "restore" in said
    assert not at.title, "nothing else runs"


def test_a_damaged_accounts_file_is_said_on_the_command_line(tmp_path, monkeypatch):
    file = damaged_accounts(tmp_path, monkeypatch)
    done = subprocess.run([sys.executable, "-m", "disclosure", "user", "list"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "DISCLOSURE_ACCOUNTS": str(file)})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{file}::: 账户文件") and "已损坏" in done.stderr


def test_a_setting_that_cannot_be_read_is_said_on_the_page(monkeypatch, db_file):
    monkeypatch.setenv("DISCLOSURE_DB_MEMORY", "很多")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any("DISCLOSURE_DB_MEMORY" in e.value.replace("\\", "") and "4GB" in e.value for e in at.error)


def test_a_setting_that_cannot_be_read_is_said_on_the_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "disclosure", "check", "--db", str(tmp_path / "t.duckdb")],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "DISCLOSURE_DB_MEMORY": "很多"})
    assert done.returncode == 1 and "Traceback" not in done.stderr and "DISCLOSURE_DB_MEMORY" in done.stderr


def test_without_opencc_every_report_read_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "opencc", None)  # import opencc now raises ImportError
    report_source._converter.cache_clear()
    try:
        source = report_source.load("海青乡.txt", (ROOT / "data" / "samples" / "haiqing-2020.txt").read_bytes())
    finally:
        report_source._converter.cache_clear()
    assert report_source.OPENCC_MISSING in source.notices and "pip install" in report_source.OPENCC_MISSING
