"""Readers of untrusted files that may misjudge a file run in a fresh interpreter with bounded memory and CPU time:
whatever a parser does with a crafted file — allocate gigabytes, loop, crash — ends that process, never the app."""
from __future__ import annotations

import signal
import subprocess
import sys

from disclosure import config


class Failed(Exception):
    """The child ran out of time (`timed_out`), or ended without an answer (memory, a crash)."""

    def __init__(self, timed_out: bool):
        super().__init__("timed out" if timed_out else "ended without an answer")
        self.timed_out = timed_out


def run(module: str, args: list[str], data: bytes, *, memory: int, seconds: int) -> bytes:
    """`python -m module memory seconds *args`, `data` on its stdin; its stdout when it exits 0."""
    command = [sys.executable, "-m", module, str(memory), str(seconds), *args]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=seconds, cwd=config.ROOT, check=False)
    except subprocess.TimeoutExpired:
        raise Failed(timed_out=True) from None
    if done.returncode != 0:  # the CPU limit ends the child with SIGXCPU: out of time, as the timeout
        raise Failed(timed_out=done.returncode == -getattr(signal, "SIGXCPU", 0))
    return done.stdout


def limit_self(memory: int, seconds: int) -> None:
    """In the child, first: the address space and CPU seconds it may use."""
    try:
        import resource
    except ImportError:  # not on Windows: the parent's timeout still holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
