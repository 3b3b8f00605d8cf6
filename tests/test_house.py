"""The house rules a newcomer relies on: the README's commands are what CI runs, the docs the code cites exist in
the repository, and nothing reaches outside the checkout."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRACT = (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
SOURCES = [p for folder in ("disclosure", "pages", "queries", "bench", "tests") for p in (ROOT / folder).rglob("*")
           if p.suffix in (".py", ".sql") and "screenshots" not in p.parts]


def fenced_commands() -> list[str]:
    return [line.strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S) for line in block.splitlines()]


def test_ci_runs_the_readme_test_command_verbatim():
    last = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert last in fenced_commands() and last.endswith("-m pytest -q")


def test_the_readme_commands_make_their_own_virtual_environment():
    """A stock Debian or Ubuntu Python refuses pip installs into the system: each command creates or reuses .venv."""
    start = [c for c in fenced_commands() if c.endswith("streamlit run dashboard.py")]
    assert start and all(c.startswith("python3 -m venv .venv && .venv/bin/python -m pip install") for c in start)
    assert any("--no-index --find-links wheelhouse" in c for c in start), "the offline install"


def test_every_section_the_code_cites_is_in_the_repositorys_data_contract():
    sections = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\b", CONTRACT, re.M))
    cited = {(p.relative_to(ROOT).as_posix(), n) for p in SOURCES
             for n in re.findall(r"data-contract\.md §(\d+(?:\.\d+)?)", p.read_text(encoding="utf-8"))}
    assert cited and {c for c in cited if c[1] not in sections} == set()


def test_nothing_reaches_outside_the_checkout():
    outside = re.compile(r"\.\./shared|parents\[[3-9]\]|\bspec §")
    assert [p.relative_to(ROOT).as_posix() for p in SOURCES if outside.search(p.read_text(encoding="utf-8"))] == []
