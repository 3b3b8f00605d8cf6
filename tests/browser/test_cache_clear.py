"""One message any client may send, logged in or not — Streamlit's `clear_cache`, the developer menu's 「Clear
cache」 — to the real server: the logins, the login throttle's counts and the dashboard's hold on the database
file all outlive it.

No browser: each tab here speaks Streamlit's own protocol over the websocket as the frontend does (BackMsg and
ForwardMsg protobufs on /_stcore/stream), and a reload is a new connection sending the browser's cookie header.
"""
from __future__ import annotations

import contextlib
import re
import subprocess
import sys

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from disclosure.store import accounts
from disclosure.ui import SESSION_COOKIE
from tests.browser.conftest import ROOT, serve

SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"


class Tab:
    """One browser tab: a websocket session; `run` sends a rerun (with widget values, a button clicked) and keeps
    the elements of the run that finished last."""

    def __init__(self, opened: contextlib.ExitStack, url: str, token: str = ""):
        headers = {"Cookie": f"{SESSION_COOKIE}={token}"} if token else None
        self._ws = opened.enter_context(connect(url.replace("http://", "ws://") + "/_stcore/stream",
                                                subprotocols=["streamlit"], additional_headers=headers,
                                                max_size=None, open_timeout=30))
        self._page = ""
        self.elements: list = []

    def send(self, msg: BackMsg) -> None:
        self._ws.send(msg.SerializeToString())

    def run(self, values: dict[str, str] | None = None, click: str | None = None) -> "Tab":
        state = ClientState(page_script_hash=self._page)
        for key, value in (values or {}).items():
            state.widget_states.widgets.add(id=self.widget(key), string_value=value)
        if click:
            state.widget_states.widgets.add(id=self.widget(click), trigger_value=True)
        self.send(BackMsg(rerun_script=state))
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self._ws.recv(timeout=120))
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # each run, a st.rerun's too, starts with one
                self._page, self.elements = msg.new_session.page_script_hash, []
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.elements.append(msg.delta.new_element)
            elif kind == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return self

    def widget(self, key: str) -> str:
        ids = [getattr(e, e.WhichOneof("type")).id for e in self.elements if e.WhichOneof("type") in ("text_input", "button")]
        return next(i for i in ids if i.endswith(f"-{key}"))

    def texts(self) -> list[str]:
        return [e.markdown.body for e in self.elements if e.WhichOneof("type") == "markdown"]

    def user(self) -> str | None:
        """Who the page says is logged in; None when it shows the login form."""
        shown = [m.group(1) for t in self.texts() for m in [re.match(r"当前用户：\*\*(.+?)\*\*", t)] if m]
        if not shown:
            assert any(e.WhichOneof("type") == "text_input" for e in self.elements), "neither a user nor a login form"
        return shown[0] if shown else None

    def log_in(self, name: str, password: str) -> "Tab":
        return self.run({"login_user": name, "login_password": password}, click="login_submit")

    def cookie(self) -> str:
        """The session token the page's script gave the browser to keep."""
        bodies = [e.html.body for e in self.elements if e.WhichOneof("type") == "html"]
        return next(m.group(1) for b in bodies for m in [re.search(rf"{SESSION_COOKIE}=([^;]*);", b)] if m)


def test_an_unauthenticated_clear_cache_message_clears_no_login_count_or_database_hold(tmp_path):
    file = tmp_path / "accounts.toml"
    accounts.add("管理员", "admin", "password-admin", file=file)
    accounts.add("查看者", "viewer", "password-viewer", file=file)
    accounts.add("见证人", "viewer", "password-witness", file=file)
    with serve(tmp_path / "site.duckdb", file) as url, contextlib.ExitStack() as opened:
        clerk, guesser, attacker, witness = (Tab(opened, url) for _ in range(4))
        assert clerk.run().user() is None
        assert clerk.log_in("管理员", "password-admin").user() == "管理员"
        token = clerk.cookie()
        guesser.run()
        for _ in range(2):
            assert guesser.log_in("查看者", "wrong-password").user() is None
        assert witness.run().log_in("见证人", "password-witness").user() == "见证人"

        attacker.send(BackMsg(clear_cache=True))  # never logged in: the message needs no login
        witness.send(BackMsg(clear_cache=True))
        # a message is handled after the ones before it: the witness's clear was carried out when this run
        # begins, and it emptied the witness's own session state (its login held nowhere else: no cookie)
        assert attacker.run().user() is None and witness.run().user() is None

        cli = subprocess.run([sys.executable, "-m", "disclosure", "import", str(SEED), "--wait", "1",
                              "--db", str(tmp_path / "site.duckdb")], capture_output=True, text=True, cwd=ROOT)
        assert cli.returncode == 3 and "占用" in cli.stderr, f"the dashboard let go of the file: {cli.stderr}"
        guesser.log_in("查看者", "wrong-password")
        assert any("请等待 2 秒" in t for t in guesser.texts()), "the throttle forgot the failures before the clear"
        assert clerk.run().user() == "管理员"
        reloaded = Tab(opened, url, token)
        assert reloaded.run().user() == "管理员", "a reload after the clear is still logged in"
        assert not any(e.WhichOneof("type") == "exception" for e in reloaded.elements)
