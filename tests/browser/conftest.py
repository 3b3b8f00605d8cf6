"""The real server and a real browser: `streamlit run dashboard.py` on a temporary database, driven through
Debian's Chromium by Playwright. Screenshots land in tests/browser/screenshots/ for a person to look at."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - CI installs it; say so plainly where it is missing
    sync_playwright = None

needs_browser = pytest.mark.skipif(
    (sync_playwright is None or not Path(CHROMIUM).exists()) and not os.environ.get("CI"),
    reason="Chromium and Playwright are installed by .ci/run; locally: apt-get install chromium, pip install playwright")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db_file: Path, accounts_file: Path):
    """The dashboard on its own port; yields its address once /_stcore/health answers."""
    port = free_port()
    env = {**os.environ, "DISCLOSURE_DB": str(db_file), "DISCLOSURE_ACCOUNTS": str(accounts_file)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not answer /_stcore/health within 90 s")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"], viewport={"width": 1400, "height": 1600})
        yield context
        context.close()


def screenshot(page, name: str) -> None:
    page.wait_for_timeout(1500)  # let the last elements settle before the picture
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
