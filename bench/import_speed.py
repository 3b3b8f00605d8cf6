"""Wide-CSV import of N new reports (validate + commit), beside a baseline measured in the same run.

python -m bench.import_speed --reports 10000 [--repeat 3]

Baseline: the same bytes read by pandas and inserted long into a bare DuckDB table, with no checks —
the cost of moving the numbers at all. The ratio is what validation, matching and bookkeeping add.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from disclosure import ingest
from disclosure.demo.demo_data import demo_frame
from disclosure.present import export
from disclosure.read.read_table import read_table
from disclosure.store import db


def synthetic_wide_csv(reports: int) -> bytes:
    """Copies of the demo county's reports under new agency names: believable values, all rules known."""
    frame, _ = demo_frame()
    frame = frame[frame["kind"] != "汇总"]
    copies = int(np.ceil(reports / len(frame)))
    big = pd.concat([frame.assign(agency=frame["agency"] + f"{i}号") for i in range(copies)], ignore_index=True)
    return export.to_csv(big.head(reports))


def ours(data: bytes, folder: Path) -> dict:
    con = db.connect(folder / "ours.duckdb")
    t0 = time.perf_counter()
    table = read_table("bench.csv", data)
    t1 = time.perf_counter()
    plan = ingest.prepare(con, [table])
    t2 = time.perf_counter()
    summary = ingest.commit(con, plan, user="bench", via="bench", accept_errors=True)
    t3 = time.perf_counter()
    con.close()
    assert summary.new == len(plan.drafts)
    return {"read": t1 - t0, "validate": t2 - t1, "commit": t3 - t2, "total": t3 - t0}


def baseline(data: bytes, folder: Path) -> float:
    t0 = time.perf_counter()
    con = duckdb.connect(str(folder / "baseline.duckdb"))
    wide = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    long = wide.melt(id_vars=["agency", "year", "kind", "parent", "version"], var_name="metric").dropna()  # noqa: F841 (read by name below)
    con.execute("create table facts as select * from long")
    con.close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = synthetic_wide_csv(args.reports)
    runs, bases = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as d:
            runs.append(ours(data, Path(d)))
            bases.append(baseline(data, Path(d)))
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    base = statistics.median(bases)
    print(f"wide CSV, {args.reports} reports, {len(data) / 1e6:.1f} MB, median of {args.repeat}:")
    for k, v in median.items():
        print(f"  {k:9s} {v:7.2f} s")
    print(f"  baseline  {base:7.2f} s  (pandas + bare DuckDB insert, no checks)   ratio {median['total'] / base:.1f}x")
    print(json.dumps({"reports": args.reports, "megabytes": round(len(data) / 1e6, 1),
                      **{f"{k}_s": round(v, 3) for k, v in median.items()},
                      "baseline_s": round(base, 3), "ratio": round(median["total"] / base, 2)}))


if __name__ == "__main__":
    main()
