"""The benchmark: every dashboard query, every page, the rule engine, imports and report reading, at the
scale of the database given, each beside baselines measured in the same run.

python -m bench run --db PATH [--repeat 5] [--skip pages import ...]

Queries run twice, on one county and on the whole database (the top region), with the data-version cache
bypassed: `ours` is sql.run (load, bind, execute, fetch through Arrow); baseline A is the same SQL text on a
bare cursor of a connection opened with the app's settings, fetched with .df() — our layer's overhead; baseline B
is the same answer computed by pandas on the base tables held in memory (bench/pandas_baseline.py), where written.
Every figure is a median of --repeat runs. The last line printed is one JSON object with every figure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from disclosure import config
from disclosure.ingest import quality, rule_store
from disclosure.store import db, sql

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("queries", "pandas", "pages", "rules", "import", "parse")  # pandas: baseline B of the queries
PAGES = ("overview", "proactive", "applications", "appeals", "trends", "quality", "agency", "explore", "upload",
         "import_report")
YEAR = 2024


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def timed_pair(first, second, repeat: int) -> tuple[tuple[float, object], tuple[float, object]]:
    """Two ways to the same answer timed in turns, so a change of the machine's pace meets both alike."""
    times, results = ([], []), [None, None]
    for _ in range(repeat):
        for i, fn in enumerate((first, second)):
            t0 = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - t0)
    return (statistics.median(times[0]), results[0]), (statistics.median(times[1]), results[1])


def dashboard_queries() -> list[str]:
    """Every query a page asks for through ui.query, in the order the pages are listed."""
    names = []
    for path in [*sorted((ROOT / "disclosure" / "ui").glob("*.py")), *(ROOT / "pages" / f"{p}.py" for p in PAGES)]:
        for name in re.findall(r'ui\.query\("([a-z0-9_]+)"|\bquery\("([a-z0-9_]+)"', path.read_text("utf-8")):
            name = name[0] or name[1]
            if name not in names:
                names.append(name)
    return names


def scopes(con) -> dict[str, dict]:
    """The two scopes every query is measured in: the first county, and the top region (the whole database)."""
    top = con.execute("select path from regions where parent_id is null order by path limit 1").fetchone()[0]
    county = con.execute("select path from regions where len(string_split(path, '/')) = 3 and starts_with(path, $t) "
                         "order by path limit 1", {"t": top + "/"}).fetchone()[0]
    agency = con.execute("select a.name from agencies a join regions r on r.id = a.region_id "
                         "where r.path = $c and a.kind = '镇' order by a.name limit 1", {"c": county}).fetchone()[0]
    base = {"year": YEAR, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": [], "metric": "s3.new.total",
            "figure": "published", "agency": agency, "agency_a": agency, "agency_b": agency, "batch_id": 1,
            "compare": [agency], "report_id": 1, "all": False}
    return {"county": {**base, "region": county}, "whole": {**base, "region": top}}


def bench_queries(con, repeat: int, with_pandas: bool = True) -> dict:
    from bench import pandas_baseline
    baselines = pandas_baseline.BASELINES if with_pandas else {}  # at national scale the tables outgrow memory
    tables_s, tables = timed(lambda: pandas_baseline.load_tables(con), 1) if baselines else (0.0, None)
    out = {"pandas_load_s": round(tables_s, 2), "queries": {}}
    for scope, params in scopes(con).items():
        for name in dashboard_queries():
            try:
                bound = sql.bind(name, params)
            except KeyError:
                continue
            text = sql.load(name)
            bare = con.cursor()
            (ours, frame), (raw, _) = timed_pair(lambda: sql.run(con, name, **params),
                                                 lambda: bare.execute(text, bound).df(), repeat)
            bare.close()
            row = {"rows": len(frame), "ours_ms": ours * 1e3, "raw_ms": raw * 1e3, "layer_ratio": ours / raw}
            baseline = baselines.get(name)
            if baseline:
                pandas_s, _ = timed(lambda: baseline(tables, **bound), max(1, repeat // 2))
                row |= {"pandas_ms": pandas_s * 1e3, "pandas_ratio": pandas_s / ours}
            out["queries"][f"{name}@{scope}"] = {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
            print(_query_line(name, scope, row), file=sys.stderr, flush=True)
    return out


def _query_line(name: str, scope: str, row: dict) -> str:
    pandas = f"  pandas {row['pandas_ms']:8.1f} ms ({row['pandas_ratio']:5.1f}x slower)" if "pandas_ms" in row else ""
    return (f"{name + '@' + scope:45s} {row['rows']:7d} rows  ours {row['ours_ms']:8.1f} ms  raw {row['raw_ms']:8.1f} ms "
            f"({row['layer_ratio']:4.2f}x){pandas}")


def bench_pages(db_path: Path, repeat: int) -> dict:
    """Each page under AppTest as a user sees it: the first run with empty caches (the default county view),
    then a change of year; then the region widened to the whole database (a province office's view), then a
    change of year there."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from disclosure.ui import server_state
    os.environ["DISCLOSURE_DB"] = str(db_path)
    out = {}
    for page in PAGES:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=600)
        cold, _ = timed(at.run, 1)
        if at.exception:
            raise RuntimeError(f"page {page} failed: {at.exception[0].message}")
        if "filter_year" not in [s.key for s in at.selectbox]:  # the import pages have no filters
            warm, _ = timed(at.run, repeat)
            out[page] = {"cold_s": round(cold, 2), "warm_s": round(warm, 3)}
            print(f"page {page:15s} first run {cold:6.2f} s   again {warm:6.3f} s", file=sys.stderr, flush=True)
            continue
        years = [y for y in (YEAR - 1, YEAR) for _ in range(repeat)]

        def change_year():
            at.selectbox(key="filter_year").set_value(years.pop()).run()
        warm, _ = timed(change_year, repeat)
        top = min(at.selectbox(key="filter_region").options, key=len)
        wide, _ = timed(lambda: at.selectbox(key="filter_region").set_value(top).run(), 1)
        years = [y for y in (YEAR - 1, YEAR) for _ in range(repeat)]
        wide_warm, _ = timed(change_year, repeat)
        if at.exception:
            raise RuntimeError(f"page {page} failed at {top}: {at.exception[0].message}")
        out[page] = {"cold_s": round(cold, 2), "warm_s": round(warm, 3), "whole_s": round(wide, 2),
                     "whole_warm_s": round(wide_warm, 3)}
        print(f"page {page:15s} first run {cold:6.2f} s   after a year change {warm:6.3f} s   "
              f"whole database {wide:6.2f} s, after a year change {wide_warm:6.3f} s", file=sys.stderr, flush=True)
    server_state.forget_all()  # the pages' connection: the file is free for what the bench does next
    return out


def bench_rules(con, repeat: int) -> dict:
    """The rule engine over the whole database (a chunk of regions at a time, as `check` and a full recheck do),
    one county's check (as each import into it does), and what the pages do: read the stored violations."""
    whole_s, issues = timed(lambda: quality.check_stored(con), 1)
    county = scopes(con)["county"]["region"]
    county_s, _ = timed(lambda: rule_store.checked(con, county), repeat)
    rule_store.ensure_current(con)
    read_whole_s, stored = timed(lambda: rule_store.stored(con), repeat)
    read_county_s, _ = timed(lambda: rule_store.stored(con, county), repeat)
    reports = con.execute("select count(*) from current_reports").fetchone()[0]
    print(f"rule engine: whole database {whole_s:.2f} s over {reports:,} reports ({len(issues)} issues), "
          f"one county {county_s * 1e3:.0f} ms; stored violations read by the pages: "
          f"whole database {read_whole_s * 1e3:.0f} ms ({len(stored)}), one county {read_county_s * 1e3:.0f} ms",
          file=sys.stderr, flush=True)
    return {"reports": reports, "issues": len(issues), "whole_s": round(whole_s, 2), "county_ms": round(county_s * 1e3),
            "stored": len(stored), "read_whole_ms": round(read_whole_s * 1e3), "read_county_ms": round(read_county_s * 1e3)}


def bench_import(db_path: Path, sizes=(10_000, 100_000)) -> dict:
    """A wide CSV of new reports imported into a copy of the database (validate + commit), beside the bare baseline."""
    from bench import import_speed
    out = {}
    for n in sizes:
        data = import_speed.synthetic_wide_csv(n)
        with tempfile.TemporaryDirectory() as d:
            shutil.copy(db_path, Path(d) / "ours.duckdb")
            ours = import_speed.ours(data, Path(d))
            base = import_speed.baseline(data, Path(d))
        out[str(n)] = {**{f"{k}_s": round(v, 2) for k, v in ours.items()}, "baseline_s": round(base, 2),
                       "ratio": round(ours["total"] / base, 2)}
        print(f"import {n:,} reports: read {ours['read']:.1f} + validate {ours['validate']:.1f} + commit "
              f"{ours['commit']:.1f} = {ours['total']:.1f} s; baseline {base:.1f} s", file=sys.stderr, flush=True)
    return out


def bench_parse(repeat: int) -> dict:
    """Reports read from text per second: the seed report and the example reports of tests/data/reports."""
    from disclosure.read.read_report import read_text
    from disclosure.read.report_source import load
    paths = [config.DATA_DIR / "samples" / "haiqing-2020.txt", *sorted((ROOT / "tests" / "data" / "reports").glob("*.txt"))]
    sources = [load(p.name, p.read_bytes()) for p in paths]
    seconds, _ = timed(lambda: [read_text(s.text, s.notices) for s in sources], repeat)
    print(f"report reading: {len(sources) / seconds:.0f} reports/s over {len(sources)} texts", file=sys.stderr)
    return {"texts": len(sources), "reports_per_s": round(len(sources) / seconds, 1)}


def main(args) -> int:
    if not args.db.is_file():
        print(f"{args.db}: 没有这个数据库文件（先运行 python -m bench generate）", file=sys.stderr)
        return 2
    figures: dict = {"db": str(args.db), "megabytes": round(args.db.stat().st_size / 2**20)}
    con = db.connect(args.db, wait=0)
    figures["reports"] = con.execute("select count(*) from current_reports").fetchone()[0]
    figures["agencies"] = con.execute("select count(*) from agencies").fetchone()[0]
    if "queries" not in args.skip:
        figures |= bench_queries(con, args.repeat, with_pandas="pandas" not in args.skip)
    if "rules" not in args.skip:
        figures["rules"] = bench_rules(con, args.repeat)
    con.close()
    if "pages" not in args.skip:
        figures["pages"] = bench_pages(args.db, args.repeat)
    if "import" not in args.skip:
        figures["import"] = bench_import(args.db)
    if "parse" not in args.skip:
        figures["parse"] = bench_parse(args.repeat)
    print(json.dumps(figures, ensure_ascii=False))
    return 0
