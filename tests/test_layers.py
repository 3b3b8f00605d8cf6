"""Which code may import which (docs/architecture.md): the packages of disclosure/ are layers, each importing only
itself and the layers below it; Streamlit stays at the edge; the readers use neither DuckDB nor Streamlit; pages never
touch the database but through disclosure.ui."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "disclosure"
LAYERS = ["base", "contract", "read", "store", "ingest", "present", "demo", "ui"]  # lowest first
BASE = ("config", "issues")  # modules beside the packages: settings, the issue record and the refusal
APP = sorted([ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *PACKAGE.rglob("*.py"), *(ROOT / "bench").rglob("*.py")])
PAGES = [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]
# bench/run.py times the pages under AppTest, Streamlit's own harness; the load test speaks Streamlit's websocket
# protocol (its protobuf messages) as a browser does
STREAMLIT_ALLOWED = {*PAGES, *(PACKAGE / "ui").glob("*.py"), *(ROOT / "bench" / n for n in ("run.py", "load_client.py",
                                                                                              "load_attacks.py"))}


def imports(path: Path) -> set[str]:
    """The full dotted names a file imports: `from disclosure.present import charts` is disclosure.present.charts."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                is_module = (ROOT / full.replace(".", "/")).with_suffix(".py").is_file() or \
                    (ROOT / full.replace(".", "/")).is_dir()
                names.add(full if is_module else node.module)
    return names


def layer(dotted_or_path) -> str:
    """The layer of a module: its package under disclosure/, or the base (config, issues); __main__ sits above all."""
    parts = (dotted_or_path.relative_to(ROOT).with_suffix("").parts if isinstance(dotted_or_path, Path)
             else tuple(dotted_or_path.split(".")))
    if len(parts) < 2:
        return "disclosure"
    return "base" if parts[1] in BASE else parts[1]


def test_every_module_of_the_package_is_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__", *BASE)]
    assert loose == [], "a new module belongs in one of the layer packages"
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(LAYERS) - {"base"}


@pytest.mark.parametrize("path", [p for p in PACKAGE.rglob("*.py") if layer(p) in LAYERS],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    own = LAYERS.index(layer(path))
    above = sorted(name for name in imports(path) if name.startswith("disclosure.")
                   and LAYERS.index(layer(name)) > own)
    assert above == [], f"{layer(path)} may not import {above}"


@pytest.mark.parametrize("package, forbidden", [("contract", {"duckdb", "streamlit"}), ("read", {"duckdb", "streamlit"}),
                                                ("store", {"streamlit"}), ("ingest", {"streamlit"}),
                                                ("present", {"streamlit"}), ("demo", {"streamlit"})])
def test_the_readers_and_the_domain_need_no_streamlit_and_the_readers_no_duckdb(package, forbidden):
    offenders = {p.relative_to(ROOT).as_posix(): sorted(forbidden & {n.split(".")[0] for n in imports(p)})
                 for p in (PACKAGE / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_streamlit_stays_at_the_edge():
    assert len(APP) > 5
    assert [p.relative_to(ROOT).as_posix() for p in APP
            if "streamlit" in {n.split(".")[0] for n in imports(p)} and p not in STREAMLIT_ALLOWED] == []


def test_pages_reach_the_database_only_through_the_ui():
    direct = {"duckdb", "disclosure.store.db", "disclosure.store.sql"}
    assert {p.name: sorted(imports(p) & direct) for p in PAGES if imports(p) & direct} == {}
