"""A session's page runs beyond a person's pace wait their turn (disclosure/ui/pacing.py), on a clock the test
drives: the burst is free, then runs come at the steady rate, and idle time refills the bucket."""
from __future__ import annotations

import pytest

from disclosure.issues import Refusal
from disclosure.ui import pacing


class Clock:
    def __init__(self):
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def runs(state: dict, clock: Clock, n: int, gap: float = 0.0) -> list[float]:
    waits = []
    for _ in range(n):
        waits.append(pacing.pace(state, now=clock, sleep=clock.sleep))
        clock.now += gap
    return waits


def test_the_burst_is_free_then_runs_come_at_the_steady_rate(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_SESSION_BURST", "20")
    monkeypatch.setenv("DISCLOSURE_SESSION_RATE", "4")
    state, clock = {}, Clock()
    assert runs(state, clock, 20) == [0.0] * 20
    assert runs(state, clock, 8) == pytest.approx([0.25] * 8)  # a flood: one run every quarter second
    assert clock.now == pytest.approx(102.0)


def test_a_person_clicking_never_waits(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_SESSION_RATE", "4")
    state, clock = {}, Clock()
    assert sum(runs(state, clock, 500, gap=0.3)) == 0  # a click every 0.3 s, for minutes


def test_idle_time_refills_the_bucket_but_not_beyond_the_burst(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_SESSION_BURST", "5")
    monkeypatch.setenv("DISCLOSURE_SESSION_RATE", "2")
    state, clock = {}, Clock()
    runs(state, clock, 5)
    clock.now += 3600  # an hour away refills five runs, not 7,200
    assert runs(state, clock, 6) == pytest.approx([0, 0, 0, 0, 0, 0.5])


def test_each_session_has_its_own_bucket(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_SESSION_BURST", "3")
    flooder, other, clock = {}, {}, Clock()
    runs(flooder, clock, 10)
    assert runs(other, clock, 3) == [0.0] * 3


@pytest.mark.parametrize("value", ["0", "-1", "很多", "2.5"])
def test_a_setting_that_is_not_a_positive_whole_number_is_refused_in_chinese(monkeypatch, value):
    monkeypatch.setenv("DISCLOSURE_SESSION_RATE", value)
    with pytest.raises(Refusal, match="DISCLOSURE_SESSION_RATE"):
        pacing.pace({}, now=Clock(), sleep=Clock().sleep)
