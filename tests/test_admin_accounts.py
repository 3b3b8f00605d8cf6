"""Accounts are managed on the 账户与审计 page by a 管理员 — created, given a role, agencies and regions, their
password reset, removed — every change written in the audit log; and everyone changes their own password."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from disclosure.demo.demo_data import COUNTY
from disclosure.store import accounts

ROOT = Path(__file__).parent.parent
TOWN = f"海青乡@{COUNTY}"


@pytest.fixture
def site(demo_con, tmp_path, monkeypatch):
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv("DISCLOSURE_ACCOUNTS", str(path))
    accounts.add("管理员甲", "admin", "admin-pass-1")
    accounts.add("查看者丙", "viewer", "viewer-pass-1")
    return demo_con


def logged_in(name: str, user: str, password: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60).run()
    at.text_input(key="login_user").set_value(user)
    at.text_input(key="login_password").set_value(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def audit_details(con) -> list[str]:
    return [d for (d,) in con.execute("select detail from audit_log where event = 'account' order by id").fetchall()]


def test_the_administrator_creates_an_uploader_for_one_town_limited_to_the_county(site):
    at = logged_in("admin.py", "管理员甲", "admin-pass-1")
    at.text_input(key="admin_new_name").set_value("填报员乙")
    at.selectbox(key="admin_new_role").set_value("uploader")
    at.text_area(key="admin_new_agencies").set_value(TOWN)
    at.multiselect(key="admin_new_regions").set_value([COUNTY])
    at.text_input(key="admin_new_password").set_value("upload-pass-1")
    click(at, "新建账户")
    made = accounts.load()["填报员乙"][0]
    assert (made.role, made.agencies, made.regions) == ("uploader", (("海青乡", COUNTY),), (COUNTY,))
    assert any("已新建账户：填报员乙" in s.value.replace("\\", "") for s in at.success)
    assert audit_details(site) == ["新建账户：填报员乙"]


def test_a_bad_account_is_refused_with_the_reason_and_nothing_is_written(site):
    at = logged_in("admin.py", "管理员甲", "admin-pass-1")
    at.text_input(key="admin_new_name").set_value("填报员乙")
    at.selectbox(key="admin_new_role").set_value("uploader")
    at.text_input(key="admin_new_password").set_value("upload-pass-1")
    click(at, "新建账户")
    assert any("至少要分配一个单位" in e.value for e in at.error)
    assert "填报员乙" not in accounts.load() and audit_details(site) == []


@pytest.mark.slow
def test_role_and_regions_change_the_password_is_reset_and_the_account_removed(site):
    at = logged_in("admin.py", "管理员甲", "admin-pass-1")
    at.selectbox(key="admin_edit_name").set_value("查看者丙").run()
    at.multiselect(key="admin_edit_查看者丙_regions").set_value([COUNTY])
    at.button(key="admin_edit_save").click().run()
    assert accounts.load()["查看者丙"][0].regions == (COUNTY,)

    at.selectbox(key="admin_reset_name").set_value("查看者丙")
    at.text_input(key="admin_reset_password").set_value("viewer-pass-2")
    click(at, "重设密码")
    assert accounts.verify("查看者丙", "viewer-pass-2") and not accounts.verify("查看者丙", "viewer-pass-1")

    assert at.selectbox(key="admin_remove_name").options == ["查看者丙"], "never the account in use"
    at.checkbox(key="admin_remove_sure").check().run()
    at.button(key="admin_remove").click().run()
    assert set(accounts.load()) == {"管理员甲"}
    assert audit_details(site) == ["修改角色与范围：查看者丙", "重设密码：查看者丙", "删除账户：查看者丙"]


def test_the_last_administrator_stays_one(site):
    """On the page an administrator cannot remove the account in use (above), nor make the last one another role."""
    with pytest.raises(accounts.AccountError, match="唯一的管理员"):
        accounts.update("管理员甲", "viewer")
    assert accounts.load()["管理员甲"][0].role == "admin"


def change_own_password(at: AppTest, old: str, new: str, again: str | None = None) -> AppTest:
    at.text_input(key="own_password_old").set_value(old)
    at.text_input(key="own_password_new").set_value(new)
    at.text_input(key="own_password_again").set_value(new if again is None else again)
    return click(at, "修改密码")


@pytest.mark.slow
def test_everyone_changes_their_own_password_and_stays_logged_in(site):
    at = logged_in("overview.py", "查看者丙", "viewer-pass-1")
    change_own_password(at, "viewer-pass-1", "new-pass-22", again="other-pass-22")
    assert any("不一致" in e.value for e in at.error) and accounts.verify("查看者丙", "viewer-pass-1")
    change_own_password(at, "not-my-password", "new-pass-22")
    assert any("当前密码不正确" in e.value for e in at.error) and accounts.verify("查看者丙", "viewer-pass-1")
    change_own_password(at, "viewer-pass-1", "new-pass-22")
    assert accounts.verify("查看者丙", "new-pass-22") and not accounts.verify("查看者丙", "viewer-pass-1")
    assert at.title.values == ["总览"] and not {"login_user"} & {t.key for t in at.text_input}, "still logged in"
    assert any("密码已修改" in s.value for s in at.sidebar.success)
    events = site.execute("select who, event from audit_log where event in ('password', 'login_failed')").fetchall()
    assert sorted(events) == [("查看者丙", "login_failed"), ("查看者丙", "password")]
