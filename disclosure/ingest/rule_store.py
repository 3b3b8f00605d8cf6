"""The rule violations of the current reports, stored (table rule_issues): each write checks the regions it
touched again, so the pages read violations instead of running the rule engine over every cell of their region.

Every rule looks at one agency's reports only, so checking a region alone finds exactly what checking the whole
database finds there.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from disclosure.contract import catalog, rules
from disclosure.ingest import quality
from disclosure.store import db, sql

# Raise when a rule changes: the stored violations of an older version are then all checked again.
RULES_VERSION = 1
COLUMNS = ["region", "agency", "kind", "year", "rule", "code", "severity", "message", "cells"]


def checked(con: duckdb.DuckDBPyConnection, region: str = "", region_ids: list[int] | tuple = (),
            in_transaction: bool = False) -> pd.DataFrame:
    """Run the rule engine now over the current reports of `region` ('' for all) or of the region ids listed:
    one row per violation, with the agency's ids, name, kind and region."""
    frame = quality.stored_frame(con, region, list(region_ids), in_transaction)
    if frame.empty:
        return pd.DataFrame(columns=["region_id", "agency_id", *COLUMNS])
    # An Issue names its agency by the frame's `agency`; names repeat across regions (城关镇), ids do not.
    # No rule message quotes the agency name.
    first = frame.drop_duplicates("agency_id")
    agencies = dict(zip(first["agency_id"], zip(first["region_id"], first["parent"], first["agency"], first["kind"])))
    by_id = frame.assign(agency=frame["agency_id"].astype(str))
    rows = []
    for issue in rules.check(by_id, previous=by_id):
        region_id, region, name, kind = agencies[int(issue.agency)]
        rows.append({"region_id": region_id, "agency_id": int(issue.agency), "region": region, "agency": name,
                     "kind": kind, "year": issue.year, "rule": issue.rule, "code": issue.code,
                     "severity": issue.severity, "message": issue.message, "cells": cells_text(issue.cells)})
    return pd.DataFrame(rows, columns=["region_id", "agency_id", *COLUMNS])


def refresh(con: duckdb.DuckDBPyConnection, region_ids: list[int]) -> None:
    """Check the regions a write touched again and store what is found; inside the write's transaction.
    Nothing to do while the table awaits a full check (ensure_current does it)."""
    if region_ids and _stored_version(con) == RULES_VERSION:
        _store(con, region_ids, checked(con, region_ids=region_ids, in_transaction=True))


def ensure_current(con: duckdb.DuckDBPyConnection) -> None:
    """Check every region when the stored violations are missing or come from another version of the rules:
    once after an upgrade, or on a database built before violations were stored."""
    cur = con.cursor()  # a page thread reads beside others on its own cursor
    try:
        if _stored_version(cur) == RULES_VERSION:
            return
    finally:
        cur.close()
    with db.transaction(con):
        if _stored_version(con) != RULES_VERSION:  # another session may have done it meanwhile
            sql.execute(con, "delete_rule_issues", regions=[])
            for region_ids in quality.region_chunks(con, in_transaction=True):
                _store(con, region_ids, checked(con, region_ids=region_ids, in_transaction=True))
            sql.execute(con, "set_rules_version", version=RULES_VERSION)


def stored(con: duckdb.DuckDBPyConnection, region: str = "") -> pd.DataFrame:
    """The violations in the current reports of `region` ('' for all), with each agency's region (COLUMNS)."""
    ensure_current(con)
    return sql.run(con, "rule_issues_in_region", region=region)


def cells_text(cells: dict[str, float]) -> str:
    """The numbers involved, each cell named by its header: 「三 本年新收 自然人 = 4；…」."""
    known = catalog.by_code()
    return "；".join(f"{known[c].header if c in known else c} = {_number(v)}" for c, v in cells.items())


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _stored_version(con) -> int | None:
    rows = sql.fetch(con, "rules_version")
    return rows[0][0] if rows else None


def _store(con, region_ids: list[int], issues: pd.DataFrame) -> None:
    sql.execute(con, "delete_rule_issues", regions=region_ids)
    if not issues.empty:
        sql.insert_frame(con, "insert_rule_issues", "new_rule_issues", issues)
