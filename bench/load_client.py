"""The load test's two ends: the real `streamlit run dashboard.py` server, and a browser-like session that speaks
Streamlit's own protocol on /_stcore/stream (BackMsg and ForwardMsg protobufs) as the frontend does, without a
browser: a page visit is a rerun_script naming the page, finished when script_finished arrives.
"""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Common_pb2 import FileUploaderState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
XSRF_COOKIE = "_streamlit_xsrf"
VISIT_TIMEOUT = 120  # seconds one page may take under load; beyond it the session counts as failed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    pid: int
    log: Path


@contextlib.contextmanager
def serve(db_file: Path):
    """The dashboard on its own port in open mode (an accounts file that does not exist: no login), as
    tests/browser/conftest.py starts it; yields once /_stcore/health answers. The server's output goes to a log
    file, kept when the server fails to start."""
    port = free_port()
    scratch = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {**os.environ, "DISCLOSURE_DB": str(db_file), "DISCLOSURE_ACCOUNTS": str(scratch / "no-accounts.toml")}
    log = scratch / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError(f"streamlit did not answer /_stcore/health within 90 s; its log: {log}")
    if proc.poll() is not None:
        raise RuntimeError(f"streamlit exited with {proc.returncode}; its log: {log}")
    try:
        yield Server(url, proc.pid, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Visit:
    page: str
    seconds: float
    errors: int  # exception elements and st.error boxes the page showed
    error_texts: list[str] = field(default_factory=list)  # what they said, for the report


@dataclass
class Session:
    """One browser tab. `visit` reruns a page (by its url path, as a browser opening /proactive does) with widget
    values and a clicked button, and keeps the elements of the run that finished."""
    url: str
    ws: object = None
    session_id: str = ""
    elements: list = field(default_factory=list)

    def __post_init__(self):
        self.ws = connect(self.url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                          max_size=None, open_timeout=60, close_timeout=5,
                          ping_interval=None)  # a browser sends no pings: a slow server is timed, not dropped

    def close(self) -> None:
        self.ws.close()

    def send(self, msg: BackMsg) -> None:
        self.ws.send(msg.SerializeToString())

    def request(self, page: str, widgets: list | None = None) -> None:
        """Ask for a run of `page` without waiting for it."""
        state = ClientState(page_name=page, query_string="")
        for w in widgets or []:
            state.widget_states.widgets.append(w)
        self.send(BackMsg(rerun_script=state))

    def visit(self, page: str, widgets: list | None = None) -> Visit:
        started = time.perf_counter()
        self.request(page, widgets)
        self.finish()
        errors = [e for e in self.elements if e.WhichOneof("type") == "exception"
                  or (e.WhichOneof("type") == "alert" and e.alert.format == e.alert.ERROR)]
        texts = [f"{e.exception.type}: {e.exception.message}" if e.WhichOneof("type") == "exception" else e.alert.body
                 for e in errors]
        return Visit(page, time.perf_counter() - started, len(errors), [t[:300] for t in texts])

    def finish(self) -> None:
        """Read until the requested run ends (a st.rerun inside it ends one run early and starts the next)."""
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=VISIT_TIMEOUT))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.elements = []
                self.session_id = self.session_id or msg.new_session.initialize.session_id
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.elements.append(msg.delta.new_element)
            elif kind == "script_finished" and msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                                       ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                return

    def drain(self) -> None:
        """Discard whatever the server sends, until the connection closes (for a session that never waits)."""
        with contextlib.suppress(Exception):
            while True:
                self.ws.recv()

    def widget_id(self, key: str) -> str:
        ids = [getattr(e, e.WhichOneof("type")).id for e in self.elements
               if e.WhichOneof("type") and hasattr(getattr(e, e.WhichOneof("type")), "id")]
        return next(i for i in ids if i.endswith(f"-{key}"))

    def upload(self, key: str, name: str, data: bytes):
        """Put a file through the upload route, as the browser's uploader does, and return the widget state that
        hands it to the file_uploader `key` on the next run."""
        cookie = _xsrf_cookie(self.url)
        file_id = uuid.uuid4().hex
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(f"{self.url}/_stcore/upload_file/{self.session_id}/{file_id}", data=body,
                                         method="PUT", headers={
                                             "Content-Type": f"multipart/form-data; boundary={boundary}",
                                             "Cookie": f"{XSRF_COOKIE}={cookie}", "X-Xsrftoken": cookie})
        urllib.request.urlopen(request, timeout=120).read()
        state = FileUploaderState()
        state.uploaded_file_info.add(file_id=file_id, name=name, size=len(data))
        return WidgetState(id=self.widget_id(key), file_uploader_state_value=state)


def _xsrf_cookie(url: str) -> str:
    """The XSRF cookie the server hands out with /_stcore/health; the upload route wants it back as a header."""
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as r:
        for header in r.headers.get_all("Set-Cookie") or []:
            if header.startswith(XSRF_COOKIE + "="):
                return header.split(";", 1)[0].split("=", 1)[1].strip('"')
    raise RuntimeError("the server set no XSRF cookie")
