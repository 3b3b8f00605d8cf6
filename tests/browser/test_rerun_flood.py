"""A client that asks for a rerun every few milliseconds, never waiting, against the real server: its runs are
paced (disclosure/ui/pacing.py) and every message lands in one script thread, so another tab's page still comes.

Before, each rerun message started a new script thread (Streamlit's fast reruns) and ran the page: a flood ran
hundreds at once and no other session got a page within two minutes (the load test's hammer, SECURITY.md)."""
from __future__ import annotations

import contextlib
import threading
import time

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from disclosure import config
from tests.browser.conftest import serve
from tests.browser.test_cache_clear import Tab

FLOOD_SECONDS = 4


def test_a_rerun_flood_gets_paced_runs_and_another_tab_still_gets_its_page(tmp_path):
    with serve(tmp_path / "site.duckdb", tmp_path / "no-accounts.toml") as url, contextlib.ExitStack() as opened:
        flooder, witness = Tab(opened, url), Tab(opened, url)
        witness.run()
        flooder.run()
        runs_started, stop = [], threading.Event()

        def count_runs() -> None:
            with contextlib.suppress(Exception):
                while not stop.is_set():
                    msg = ForwardMsg()
                    msg.ParseFromString(flooder._ws.recv(timeout=30))
                    # a run that got past its turn sets the page config next (a run that a newer message
                    # stopped before the script began costs nothing and is not counted)
                    if msg.WhichOneof("type") == "page_config_changed":
                        runs_started.append(time.monotonic())

        reader = threading.Thread(target=count_runs, daemon=True)
        reader.start()
        began, sent = time.monotonic(), 0
        pages = ("", "proactive", "applications", "trends")
        while time.monotonic() - began < FLOOD_SECONDS:
            flooder.send(BackMsg(rerun_script=ClientState(page_name=pages[sent % len(pages)])))
            sent += 1
            time.sleep(0.002)
        witness.run()  # answered while the flood's last runs are still due: the server serves others
        stop.set()
        flooded = time.monotonic() - began

        allowed = config.session_run_burst() + config.session_runs_per_second() * flooded + 1
        assert sent > 10 * allowed, f"the flood was too slow to test anything: {sent} messages"
        assert len(runs_started) <= allowed, (f"{sent} rerun messages in {flooded:.1f} s started "
                                              f"{len(runs_started)} runs; at most {allowed:.0f} may start")
        assert not any(e.WhichOneof("type") == "exception" for e in witness.elements)
