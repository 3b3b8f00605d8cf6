"""One browser session cannot keep the server busy: its page runs beyond a steady rate wait their turn.

Streamlit starts a script run for every rerun message a client sends, before the app can refuse anything; a client
asking every few milliseconds held the interpreter and starved every other session (the load test's hammer). Each
session has a bucket of BURST runs, refilled at RATE runs a second; a run that finds it empty sleeps until a run is
due. Sleeping holds no lock and lets the other sessions' threads run, and the rerun messages that arrive meanwhile
fold into one (Streamlit keeps a single pending rerun per session). A person clicking never meets the wait: the
burst covers the quick reruns an action makes (a commit, its rerun, the next page)."""
from __future__ import annotations

import time
from collections.abc import Callable, MutableMapping

from disclosure import config

KEY = "_pacing"  # in the session's own state: no client message clears it


def pace(state: MutableMapping, now: Callable[[], float] = time.monotonic,
         sleep: Callable[[float], None] = time.sleep) -> float:
    """Take one run from this session's bucket, first sleeping until one is due; returns the seconds slept."""
    burst, rate = config.session_run_burst(), config.session_runs_per_second()
    tokens, then = state.get(KEY, (burst, now()))
    at = now()
    tokens = min(burst, tokens + (at - then) * rate)
    waited = 0.0
    if tokens < 1:
        waited = (1 - tokens) / rate
        sleep(waited)
        at, tokens = at + waited, 1.0
    state[KEY] = (tokens - 1, at)
    return waited
