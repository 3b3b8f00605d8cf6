"""Who may do what: the accounts file, the user command, the login page, open mode and the viewer's limits."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from disclosure import ingest
from disclosure.__main__ import main
from disclosure.issues import Refusal
from disclosure.read.read_table import read_table
from disclosure.store import accounts, db

ROOT = Path(__file__).parent.parent
TOWN = "城关镇@示例省/示例市/示例县"


@pytest.fixture
def accounts_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(path))
    accounts.add("管理员甲", "admin", "admin-pass-1")
    accounts.add("填报员乙", "uploader", "upload-pass-1", [TOWN])
    accounts.add("查看者丙", "viewer", "viewer-pass-1")
    return path


def test_accounts_keep_roles_and_agencies_and_only_salted_hashes(accounts_file):
    loaded = accounts.load()
    assert {n: a.role for n, (a, _) in loaded.items()} == {"管理员甲": "admin", "填报员乙": "uploader", "查看者丙": "viewer"}
    uploader = loaded["填报员乙"][0]
    assert uploader.agencies == (("城关镇", "示例省/示例市/示例县"),)
    assert uploader.may_change("城关镇", "示例省/示例市/示例县") and not uploader.may_change("城关镇", "示例省/示例市/邻县")
    assert not loaded["查看者丙"][0].writes and loaded["管理员甲"][0].may_change("任何单位", "任何地区")
    text = accounts_file.read_text("utf-8")
    assert "pass-1" not in text and text.count("scrypt$") == 3
    assert accounts.hash_password("same-password") != accounts.hash_password("same-password"), "salted"
    assert accounts_file.stat().st_mode & 0o077 == 0, "readable by its owner only"


@pytest.mark.parametrize("args, message", [
    (("丁", "root", "long-enough-1"), "角色"),
    (("丁", "uploader", "long-enough-1"), "至少要分配一个单位"),
    (("丁", "viewer", "short"), "至少 8 个字符"),
    (("管理员甲", "viewer", "long-enough-1"), "已存在"),
    (("丁", "viewer", "long-enough-1", [TOWN]), "只有填报人员"),
    (("丁", "uploader", "long-enough-1", ["城关镇"]), "单位名称@所属地区"),
])
def test_bad_account_changes_are_refused_and_change_nothing(accounts_file, args, message):
    before = accounts_file.read_bytes()
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add(*args)
    assert accounts_file.read_bytes() == before


def test_failed_logins_wait_longer_each_time_until_one_succeeds(accounts_file):
    waits = []
    throttle = accounts.Throttle(sleep=waits.append)
    for _ in range(4):
        assert throttle.login("查看者丙", "wrong-password") is None
    assert waits == [0.0, 1.0, 2.0, 4.0]
    assert throttle.login("查看者丙", "viewer-pass-1").role == "viewer"
    assert waits[-1] == 8.0 and throttle.delay("查看者丙") == 0.0
    assert throttle.login("没有此人", "anything-at-all") is None


def test_a_browser_session_lasts_until_logout_expiry_or_a_changed_password(accounts_file):
    now = [0.0]
    sessions = accounts.Sessions(clock=lambda: now[0])
    token = sessions.open("填报员乙")
    assert sessions.account(token).name == "填报员乙"
    assert sessions.account("forged-token") is None and sessions.account(None) is None
    sessions.close(token)
    assert sessions.account(token) is None, "logged out"

    token = sessions.open("填报员乙")
    now[0] += accounts.SESSION_HOURS * 3600 - 1
    assert sessions.account(token) is not None
    now[0] += 2
    assert sessions.account(token) is None, "expired"

    token, other = sessions.open("填报员乙"), sessions.open("查看者丙")
    accounts.passwd("填报员乙", "a-new-password")
    assert sessions.account(token) is None, "a new password ends every session of the account"
    accounts.remove("查看者丙")
    assert sessions.account(other) is None, "so does removing the account"


def run_cli(monkeypatch, capsys, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_user_command_adds_lists_changes_and_removes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(tmp_path / "a.toml"))
    assert run_cli(monkeypatch, capsys, "user", "add", "填报员乙", "--role", "uploader", "--agency", TOWN,
                   "--password-stdin", stdin="first-password\n")[0] == 0
    code, out, _ = run_cli(monkeypatch, capsys, "user", "list")
    assert code == 0 and out.split("\t")[:3] == ["填报员乙", "uploader", "填报人员"] and TOWN in out
    assert run_cli(monkeypatch, capsys, "user", "passwd", "填报员乙", "--password-stdin", stdin="second-password\n")[0] == 0
    assert accounts.Throttle(sleep=lambda s: None).login("填报员乙", "second-password") is not None
    code, _, err = run_cli(monkeypatch, capsys, "user", "add", "丙", "--role", "viewer", "--password-stdin", stdin="short\n")
    assert code == 2 and "8 个字符" in err
    assert run_cli(monkeypatch, capsys, "user", "remove", "填报员乙")[0] == 0
    code, _, err = run_cli(monkeypatch, capsys, "user", "remove", "填报员乙")
    assert code == 2 and "没有用户" in err
    assert run_cli(monkeypatch, capsys, "user", "list")[1] == ""


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60).run()


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_user").set_value(name)
    at.text_input(key="login_password").set_value(password)
    return at.button(key="login_submit").click().run()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["overview.py", "quality.py", "upload.py", "import_report.py"])
def test_with_accounts_every_page_asks_for_a_login_first(demo_con, accounts_file, name):
    at = page(name)
    assert not at.exception, at.exception
    assert {"login_user", "login_password"} <= {t.key for t in at.text_input}
    assert not at.dataframe and not at.get("plotly_chart"), "nothing of the data before logging in"


@pytest.mark.slow
def test_wrong_password_is_refused_and_the_right_one_opens_the_page(demo_con, accounts_file):
    at = log_in(page("overview.py"), "管理员甲", "not-the-password")
    assert any("不正确" in e.value for e in at.error) and not at.dataframe
    at = log_in(at, "管理员甲", "admin-pass-1")
    assert not at.exception, at.exception
    assert at.title.values == ["总览"] and at.dataframe
    assert any("管理员甲" in c.value for c in at.sidebar.caption)


@pytest.mark.slow
def test_a_viewer_reads_but_cannot_reach_the_upload_page(demo_con, accounts_file):
    at = log_in(page("upload.py"), "查看者丙", "viewer-pass-1")
    assert any("查看者" in e.value and "不能导入" in e.value for e in at.error)
    assert not at.get("file_uploader"), "no upload widget for a viewer"
    at = log_in(page("overview.py"), "查看者丙", "viewer-pass-1")
    assert at.title.values == ["总览"] and at.dataframe


def test_a_removed_account_is_logged_out_at_the_next_run(demo_con, accounts_file):
    at = log_in(page("overview.py"), "管理员甲", "admin-pass-1")
    assert at.title.values == ["总览"] and at.dataframe
    accounts.remove("管理员甲")
    at.run()
    assert "login_user" in {t.key for t in at.text_input} and not at.dataframe


@pytest.mark.slow
@pytest.mark.parametrize("name", ["overview.py", "trends.py", "upload.py"])
def test_without_an_accounts_file_pages_run_open_and_say_so(demo_con, name):
    at = page(name)
    assert not at.exception, at.exception
    assert any("开放模式" in w.value for w in at.sidebar.warning)
    assert not at.text_input or "login_user" not in {t.key for t in at.text_input}


# --- a 填报人员 changes the agencies assigned to them only ------------------------------------------------------

SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"  # 海青乡 2020, 示例省/示例市/示例县
HAIQING = "海青乡@示例省/示例市/示例县"


def uploader(*agencies: str) -> accounts.Account:
    return accounts.Account("填报员乙", "uploader", tuple(accounts.parse_agency(a) for a in agencies))


@pytest.mark.slow
def test_an_uploader_imports_the_assigned_agency(con):
    plan = ingest.prepare(con, [read_table("haiqing.csv", SEED.read_bytes())], account=uploader(HAIQING))
    assert not [i for i in plan.issues if i.code == "not-permitted"]
    assert ingest.commit(con, plan, user="填报员乙", via="测试").new == 1


@pytest.mark.parametrize("data, assigned", [
    (SEED.read_bytes(), "城关镇@示例省/示例市/示例县"),  # another agency of the same county
    (SEED.read_bytes().replace("示例县".encode(), "邻县".encode()), HAIQING),  # the assigned name, another county
], ids=["other agency", "namesake elsewhere"])
def test_a_crafted_file_for_an_unassigned_agency_is_refused_whole(con, data, assigned):
    plan = ingest.prepare(con, [read_table("crafted.csv", data)], account=uploader(assigned))
    refused = [i for i in plan.issues if i.code == "not-permitted"]
    assert len(refused) == 1 and refused[0].is_error and refused[0].row == 2 and refused[0].value == "海青乡"
    assert "不能导入或替换" in refused[0].message and refused[0].file == "crafted.csv"
    assert plan.blocking(accept_errors=True), "no one can accept it"
    with pytest.raises(Refusal):
        ingest.commit(con, plan, user="填报员乙", via="测试", accept_errors=True)
    assert con.execute("select count(*) from reports").fetchone()[0] == 0


@pytest.mark.slow
def test_an_uploader_cannot_undo_a_batch_with_other_agencies(demo_con):
    before = db.data_version(demo_con)
    with pytest.raises(Refusal, match="不能撤销批次 1"):
        ingest.undo(demo_con, 1, user="填报员乙", account=uploader(HAIQING))
    assert db.data_version(demo_con) == before
    assert demo_con.execute("select count(*) from current_reports").fetchone()[0] == 144
    plan = ingest.prepare(demo_con, [read_table("v2.csv", SEED.read_bytes().replace(b",71,43,28,", b",72,43,29,"))],
                          replace=True, account=uploader(HAIQING))
    batch = ingest.commit(demo_con, plan, user="填报员乙", via="测试", accept_errors=True).batch_id
    assert ingest.undo(demo_con, batch, user="填报员乙", account=uploader(HAIQING)) == 1, "its own batch it may undo"


@pytest.mark.slow
def test_the_upload_page_refuses_an_unassigned_agency(demo_con, accounts_file):
    at = log_in(page("upload.py"), "填报员乙", "upload-pass-1")  # assigned 城关镇, not 海青乡
    at.file_uploader(key="upload_file").set_value(("haiqing.csv", SEED.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    shown = next(d.value for d in at.dataframe if "问题" in d.value.columns)
    assert shown["问题"].str.contains("不能导入或替换").any()
    assert at.button(key="upload_commit").disabled
