"""The rules over everything stored: wide frames of current reports, checked a bounded number of regions at a time."""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from disclosure.contract import catalog, rules
from disclosure.contract.agencies import is_county_level
from disclosure.issues import Issue
from disclosure.store import sql

# A check of everything goes this many reports at a time: a national database's 213 million cells as one frame
# take 8.5 GB and 30 s, in chunks of 50,000 reports 1.3 GB and 15 s.
CHUNK_REPORTS = 50_000


def stored_frame(con: duckdb.DuckDBPyConnection, region: str = "", region_ids: list[int] | None = None,
                 in_transaction: bool = False) -> pd.DataFrame:
    """One row per current report of `region` (and below it; '' for all) — or of the region ids listed —:
    agency, year, version, kind, parent,
    then a float column per stated code. Every rule looks at one agency's reports only, so a region's frame
    is checked exactly as it would be within the whole database.

    Built by placing each cell's value at (its report's row, its metric's column) in one float array.
    """
    scope = {"region": region, "regions": region_ids or [], "in_transaction": in_transaction}
    reports = sql.run(con, "reports_in_region", **scope)
    cells = sql.arrays(con, "cells_in_region", **scope)
    metrics = sorted(catalog.metrics(), key=lambda m: m.display_order)
    column_of = np.zeros(max(m.display_order for m in metrics) + 1, dtype=np.intp)
    column_of[[m.display_order for m in metrics]] = np.arange(len(metrics))
    # a row per metric, so that its transpose becomes the frame's float columns without a copy (a province's
    # 138,879 reports × 235 metrics are 260 MB)
    wide = np.full((len(metrics), len(reports)), np.nan)
    wide[column_of[cells["metric_order"]], cells["row"]] = cells["value"]
    stated = ~np.isnan(wide).all(axis=1)
    values = pd.DataFrame((wide if stated.all() else wide[stated]).T, copy=False,
                          columns=[m.code for m, s in zip(metrics, stated) if s])
    frame = pd.concat([reports.reset_index(drop=True), values], axis=1)
    frame["key"] = frame["agency_id"].astype(str)
    parents = frame["parent"].unique()
    frame["county_level"] = frame["parent"].map(dict(zip(parents, map(is_county_level, parents))))
    return frame


def check_stored(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    """Every current report checked, one chunk of regions at a time."""
    issues = []
    for region_ids in region_chunks(con):
        frame = stored_frame(con, region_ids=region_ids)
        issues += rules.check(frame, previous=frame)
    return issues


def region_chunks(con: duckdb.DuckDBPyConnection, in_transaction: bool = False) -> list[list[int]]:
    """Region ids in groups of about CHUNK_REPORTS reports (a region is never split: rules need all its reports).
    Every rule looks at one agency's reports only, so the chunks find exactly what the whole database would."""
    counts = sql.run(con, "region_report_counts", in_transaction=in_transaction)
    chunks, size = [[]], 0
    for region_id, reports in zip(counts["region_id"], counts["reports"]):
        if size and size + reports > CHUNK_REPORTS:
            chunks.append([])
            size = 0
        chunks[-1].append(int(region_id))
        size += reports
    return [c for c in chunks if c]
