"""Security state that no client can clear, a login that cannot be raced or timed, and open tabs that follow a
logout, a new password, a new role or a removed account at their next click.

A tab is an AppTest; the browser's cookie jar, which Streamlit hands every new tab as st.context.cookies, is a
dict the test fills with what the page's script told the browser to keep."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest

from disclosure.store import accounts
from disclosure.ui import SESSION_COOKIE, data, server_state

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"


@pytest.fixture
def accounts_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(path))
    accounts.add("管理员甲", "admin", "admin-pass-1")
    accounts.add("查看者丙", "viewer", "viewer-pass-1")
    return path


@pytest.fixture
def jar(monkeypatch) -> dict:
    """The browser's cookies: what every tab of this test sends when it runs."""
    cookies: dict[str, str] = {}
    monkeypatch.setattr(ContextProxy, "cookies", property(lambda self: dict(cookies)))
    return cookies


@pytest.fixture
def waits(monkeypatch) -> list:
    """The throttle's waits, recorded instead of slept."""
    recorded = []
    monkeypatch.setattr(server_state.throttle, "_sleep", recorded.append)
    return recorded


def tab() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_user").set_value(name)
    at.text_input(key="login_password").set_value(password)
    return at.button(key="login_submit").click().run()


def cookie_set(at: AppTest) -> str:
    """The session token the page's script gave the browser to keep."""
    bodies = [h.proto.body for h in at.get("html")]
    return next(m.group(1) for b in bodies for m in [re.search(rf"{SESSION_COOKIE}=([^;]*);", b)] if m)


def logged_in_as(at: AppTest) -> str | None:
    assert not at.exception, at.exception
    shown = [m.group(1) for c in at.sidebar.caption for m in [re.match(r"当前用户：\*\*(.+?)\*\*", c.value)] if m]
    if shown:
        assert at.title.values == ["总览"] and at.dataframe
        return shown[0]
    assert "login_user" in {t.key for t in at.text_input} and not at.dataframe
    return None


# --- finding 4: one websocket message (clear_cache) empties st.cache_resource for the whole process -------------

@pytest.mark.slow
def test_logins_counts_and_the_database_hold_survive_a_cache_clear(demo_file, accounts_file, jar, waits):
    first = log_in(tab(), "管理员甲", "admin-pass-1")
    token = cookie_set(first)
    guesser = tab()
    for _ in range(2):
        assert logged_in_as(log_in(guesser, "查看者丙", "wrong-password")) is None
    held = data._open(str(demo_file))

    st.cache_data.clear()  # what Streamlit does on the clear_cache message (and empties that tab's session state)
    st.cache_resource.clear()

    assert logged_in_as(first.run()) == "管理员甲"
    log_in(guesser, "查看者丙", "wrong-password")
    assert waits[-3:] == [0.0, 1.0, 2.0], "the third failure still waits for the two before the clear"
    assert server_state.throttle.failures("查看者丙") == 3
    assert any("请等待 2 秒" in c.value for c in guesser.caption)
    jar[SESSION_COOKIE] = token
    assert logged_in_as(tab()) == "管理员甲", "a reload, with the browser's cookie"
    assert data._open(str(demo_file)) is held and held.execute("select 1").fetchone() == (1,)
    cli = subprocess.run([sys.executable, "-m", "disclosure", "import", str(SEED), "--wait", "0", "--db", str(demo_file)],
                         capture_output=True, text=True, cwd=ROOT)
    assert cli.returncode == 3 and "占用" in cli.stderr, "the dashboard still holds the file: " + cli.stderr


# --- finding 5: the throttle raced by parallel attempts; an unknown name answered faster -------------------------

def test_twelve_attempts_at_once_count_twelve_and_wait_their_turn(accounts_file):
    slept, start = [], threading.Barrier(12)
    throttle = accounts.Throttle(sleep=slept.append)

    def attempt():
        start.wait()
        assert throttle.login("管理员甲", "guess-password") is None
    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(slept) == [0, 1, 2, 4, 8, 16] + [accounts.MAX_DELAY_S] * 6, "each attempt waited for those before"
    assert throttle.failures("管理员甲") == 12
    assert throttle.delay("管理员甲") == accounts.MAX_DELAY_S, "the 13th is throttled"
    assert throttle.login("管理员甲", "admin-pass-1").role == "admin" and slept[-1] == accounts.MAX_DELAY_S
    assert throttle.failures("管理员甲") == 0 and throttle.delay("管理员甲") == 0.0


@pytest.fixture
def scrypt_calls(monkeypatch) -> list:
    calls = []
    real = hashlib.scrypt

    def spy(password, **kw):
        calls.append({k: kw[k] for k in ("n", "r", "p")})
        return real(password, **kw)
    monkeypatch.setattr(hashlib, "scrypt", spy)
    return calls


@pytest.mark.parametrize("name, password, signed_in", [
    ("管理员甲", "admin-pass-1", True),
    ("管理员甲", "wrong-password", False),
    ("没有此人", "wrong-password", False),
    ("", "", False),
], ids=["known right", "known wrong", "unknown", "empty"])
def test_every_login_costs_one_scrypt_of_the_same_cost(accounts_file, scrypt_calls, name, password, signed_in):
    """Response time gives no list of user names: the same work whether the name exists or not (counted, not timed,
    so the test cannot flake)."""
    who = accounts.Throttle(sleep=lambda s: None).login(name, password)
    assert (who is not None) == signed_in
    assert scrypt_calls == [accounts.SCRYPT]


def test_a_malformed_hash_in_the_file_costs_the_same_and_opens_nothing(accounts_file, scrypt_calls):
    accounts_file.write_text(accounts_file.read_text("utf-8").replace('password = "scrypt$', 'password = "scrypt$x', 1),
                             encoding="utf-8")
    assert accounts.verify("管理员甲", "admin-pass-1") is None
    assert scrypt_calls == [accounts.SCRYPT]


@pytest.mark.slow
def test_a_wait_is_said_before_it_is_waited(demo_file, accounts_file, jar, waits):
    at = tab()
    for _ in range(3):
        log_in(at, "管理员甲", "wrong-password")
    assert any("登录失败次数较多，请等待 2 秒" in c.value for c in at.caption)
    assert logged_in_as(log_in(at, "管理员甲", "admin-pass-1")) == "管理员甲"
    assert waits == [0.0, 1.0, 2.0, 4.0] and server_state.throttle.delay("管理员甲") == 0.0


# --- finding 7: open tabs kept working after a logout or a password change until reloaded -------------------------

def set_role(name: str, role: str) -> None:
    """An administrator edits the file by hand: the same password, another role."""
    listed = accounts.load()
    listed[name] = (accounts.Account(name, role), listed[name][1])
    accounts._save(listed, None)


@pytest.mark.parametrize("change", [
    lambda: accounts.passwd("管理员甲", "a-new-password"),
    lambda: set_role("管理员甲", "viewer"),
    lambda: accounts.remove("管理员甲"),
], ids=["new password", "new role", "removed"])
@pytest.mark.slow
def test_every_open_tab_shows_the_login_form_at_its_next_run_after_a_change(demo_file, accounts_file, jar, change):
    first = log_in(tab(), "管理员甲", "admin-pass-1")
    jar[SESSION_COOKIE] = cookie_set(first)
    second = tab()
    assert logged_in_as(second) == "管理员甲"
    change()
    assert logged_in_as(first.run()) is None
    assert logged_in_as(second.run()) is None
    assert logged_in_as(tab()) is None, "nor does a reload bring the login back"
    assert server_state.sessions.count() == 0, "the account's tokens are forgotten"


@pytest.mark.slow
def test_a_logout_ends_every_tab_of_that_browser_and_no_other_login(demo_file, accounts_file, jar):
    first = log_in(tab(), "管理员甲", "admin-pass-1")
    elsewhere = log_in(tab(), "管理员甲", "admin-pass-1")  # another computer: its own cookie, never in this jar
    jar[SESSION_COOKIE] = cookie_set(first)
    second = tab()
    assert logged_in_as(second) == "管理员甲"
    first.button(key="logout").click().run()
    assert logged_in_as(first) is None and cookie_set(first) == ""
    jar[SESSION_COOKIE] = ""
    assert logged_in_as(second.run()) is None, "the other tab of the browser, at its next click"
    assert logged_in_as(elsewhere.run()) == "管理员甲"
    assert logged_in_as(log_in(second, "查看者丙", "viewer-pass-1")) == "查看者丙"
