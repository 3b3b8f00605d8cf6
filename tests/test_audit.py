"""The audit log: imports (page and command line), undos, refusals and downloads are written down with who did them,
and only a 管理员 reads them — on the 账户与审计 page, never through the SQL console."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import streamlit.elements.widgets.button as button
from streamlit.testing.v1 import AppTest

from disclosure.store import accounts, audit, console, db
from tests.conftest import DATA

ROOT = Path(__file__).parent.parent
SEED = DATA / "haiqing-2020.csv"


def entries(con) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in con.execute("select who, event, detail from audit_log order by id").fetchall()]


def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_a_command_line_import_is_written_down(db_file, con):
    con.close()
    run = subprocess.run([sys.executable, "-m", "disclosure", "import", str(SEED), "--db", str(db_file), "--user", "王五"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    again = db.connect(db_file)
    try:
        [(who, event, detail)] = entries(again)
    finally:
        again.close()
    assert (who, event) == ("王五", "import") and "haiqing-2020.csv" in detail and "新增 1 份" in detail


@pytest.mark.slow
def test_a_page_import_and_its_undo_are_written_down(db_file, con):
    at = page("upload.py")
    at.file_uploader(key="upload_file").set_value([(SEED.name, SEED.read_bytes(), "text/csv")]).run()
    at.button(key="upload_commit").click().run()
    assert not at.exception, at.exception
    at.selectbox(key="upload_undo_batch").set_value(1).run()
    [box] = [c for c in at.checkbox if (c.key or "").startswith("upload_undo_sure_")]
    box.check().run()
    at.button(key="upload_undo").click().run()
    assert not at.exception, at.exception
    logged = entries(con)
    assert [event for _, event, _ in logged] == ["import", "undo"]
    assert "数据上传 批次 1：haiqing-2020.csv" in logged[0][2] and logged[1][2].startswith("批次 1：1 份报告")


@pytest.mark.demo
def test_a_download_is_written_down_when_it_is_made(db_file, con, monkeypatch):
    made = []
    marshall = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kwargs):
        made.append((file_name, data))
        return marshall(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", record)
    page("overview.py")
    assert [e for e in entries(con) if e[1] == "download"] == [], "drawing a button downloads nothing"
    name, data = next((n, d) for n, d in made if n and n.endswith(".csv"))
    data()  # the click
    assert [e for e in entries(con) if e[1] == "download"] == [(accounts.local_admin().name, "download", name)]


@pytest.fixture
def accounts_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(path))
    accounts.add("管理员甲", "admin", "admin-pass-1")
    accounts.add("查看者丙", "viewer", "viewer-pass-1")
    return path


def logged_in(name: str, user: str, password: str) -> AppTest:
    at = page(name)
    at.text_input(key="login_user").set_value(user)
    at.text_input(key="login_password").set_value(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_a_viewer_is_refused_the_import_pages_and_the_log_and_the_refusal_is_written_down(db_file, con,
                                                                                         accounts_file):
    upload = logged_in("upload.py", "查看者丙", "viewer-pass-1")
    assert any("查看者" in e.value for e in upload.error)
    admin = logged_in("admin.py", "查看者丙", "viewer-pass-1")
    assert not admin.dataframe and any("不能查看账户与审计日志" in e.value for e in admin.error)
    refused = [(who, detail) for who, event, detail in entries(con) if event == "refused"]
    assert refused == [("查看者丙", "查看者打开导入页面"), ("查看者丙", "查看账户与审计日志")]


def test_the_administrator_reads_the_log_and_the_accounts(db_file, con, accounts_file):
    audit.record(con, "查看者丙", "download", "总览.csv")
    audit.record(con, "管理员甲", "import", "数据上传 批次 1：a.csv")
    at = logged_in("admin.py", "管理员甲", "admin-pass-1")
    log = next(d.value for d in at.dataframe if "事件" in d.value.columns)
    assert log[["用户", "事件", "说明"]].values.tolist() == [  # newest first: this login, then the two above
        ["管理员甲", "登录", ""], ["管理员甲", "导入", "数据上传 批次 1：a.csv"], ["查看者丙", "下载", "总览.csv"]]
    at.selectbox(key="admin_event").set_value("download").run()
    log = next(d.value for d in at.dataframe if "事件" in d.value.columns)
    assert log["事件"].tolist() == ["下载"]
    listed = next(d.value for d in at.dataframe if "角色" in d.value.columns)
    assert sorted(listed["用户"]) == ["查看者丙", "管理员甲"]


def test_the_console_cannot_read_the_audit_log(db_file, con):
    audit.record(con, "管理员甲", "login")
    answer = console.run_select(con, "select * from audit_log")
    assert answer.frame is None and "audit_log" in answer.error


@pytest.mark.slow
def test_logins_failed_logins_and_logouts_are_written_down(db_file, con, accounts_file):
    at = logged_in("overview.py", "管理员甲", "wrong-password")
    at.text_input(key="login_password").set_value("admin-pass-1")
    at.button(key="login_submit").click().run()
    at.button(key="logout").click().run()
    assert not at.exception, at.exception
    assert [(who, event) for who, event, _ in entries(con)] == [
        ("管理员甲", "login_failed"), ("管理员甲", "login"), ("管理员甲", "logout")]
