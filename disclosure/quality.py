"""The rules over everything stored: one wide frame of current reports, checked as a whole."""
from __future__ import annotations

import duckdb
import pandas as pd

from disclosure import rules, sql
from disclosure.agencies import is_county_level
from disclosure.issues import Issue


def stored_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per current report: agency, year, version, kind, parent, then a float column per code."""
    reports = sql.run(con, "current_reports_list")
    facts = sql.run(con, "current_facts_long")
    wide = facts.pivot_table(index="report_id", columns="metric", values="value", aggfunc="first")
    frame = reports.set_index("report_id").join(wide).reset_index()
    frame["key"] = frame["agency_id"].astype(str)
    frame["county_level"] = frame["parent"].map(is_county_level)
    return frame


def check_stored(con: duckdb.DuckDBPyConnection) -> list[Issue]:
    frame = stored_frame(con)
    if frame.empty:
        return []
    return rules.check(frame, previous=frame)
