"""Pure helpers of the 数据质量 and 单位详情 pages: stored rule violations by region, the coverage matrix."""
from __future__ import annotations

import duckdb
import pandas as pd

from disclosure import catalog, quality, rules
from disclosure.issues import ERROR

SEVERITY_ZH = {"error": "错误", "warning": "警告"}
STATUS_ZH = {"reported": "已报", "missing": "缺报", "not_expected": ""}
STATUS_CSS = {"已报": "background-color: #d3f9d8", "缺报": "background-color: #f8d7da; font-weight: bold"}
_REGION_MARK = "\x1f"  # ASCII unit separator: never part of a region path or an agency name
ISSUE_COLUMNS = ["region", "agency", "kind", "year", "rule", "code", "severity", "message", "cells"]


def stored_issues(con: duckdb.DuckDBPyConnection, region: str = "") -> pd.DataFrame:
    """Every rule violation (R1–R5, C1–C4, P1, P2) in the current reports of `region` ('' for all), with the
    agency's region.

    The rule engine of `quality.check_stored`, run once over the region's reports. An Issue names its agency but
    not the region, and agency names repeat across regions (城关镇), so the region rides along in the
    agency name during the check; no rule message quotes the agency name.
    """
    frame = quality.stored_frame(con, region)
    if frame.empty:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    tagged = frame.assign(agency=frame["parent"] + _REGION_MARK + frame["agency"])
    kinds = dict(zip(zip(tagged["agency"], tagged["year"]), tagged["kind"]))
    rows = []
    for issue in rules.check(tagged, previous=tagged):
        region, agency = issue.agency.split(_REGION_MARK, 1)
        rows.append({"region": region, "agency": agency, "kind": kinds.get((issue.agency, issue.year), ""),
                     "year": issue.year, "rule": issue.rule, "code": issue.code,
                     "severity": issue.severity, "message": issue.message, "cells": cells_text(issue.cells)})
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)


def cells_text(cells: dict[str, float]) -> str:
    """The numbers involved, each cell named by its header: 「三 本年新收 自然人 = 4；…」."""
    known = catalog.by_code()
    return "；".join(f"{known[c].header if c in known else c} = {_number(v)}" for c, v in cells.items())


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def in_region(frame: pd.DataFrame, region: str) -> pd.Series:
    """Rows whose region is `region` or a region below it."""
    return (frame["region"] == region) | frame["region"].str.startswith(region + "/")


def with_acceptance(issues: pd.DataFrame, accepted: pd.DataFrame) -> pd.DataFrame:
    """Issues with who knowingly accepted the same error of the same report at import, and when (empty if nobody)."""
    first = (accepted.sort_values("accepted_at").drop_duplicates(["region", "agency", "year", "code"])
             [["region", "agency", "year", "code", "accepted_by", "accepted_at"]])
    out = issues.merge(first, on=["region", "agency", "year", "code"], how="left")
    out["accepted"] = [f"已确认接受（{by}，{pd.Timestamp(at):%Y-%m-%d %H:%M}）" if isinstance(by, str) else ""
                       for by, at in zip(out["accepted_by"], out["accepted_at"])]
    return out.drop(columns=["accepted_by", "accepted_at"])


def coverage_matrix(coverage: pd.DataFrame) -> pd.DataFrame:
    """quality_coverage as agencies × years: 已报, 缺报 (expected, no report), or blank (not expected)."""
    if coverage.empty:
        return pd.DataFrame()
    frame = coverage.assign(status=coverage["status"].map(STATUS_ZH))
    matrix = frame.pivot_table(index=["agency", "region"], columns="year", values="status", aggfunc="first",
                               sort=False).fillna("")
    matrix.columns = [f"{y}年" for y in matrix.columns]
    return matrix.reset_index().rename(columns={"agency": "单位", "region": "地区"})


def coverage_css(value) -> str:
    return STATUS_CSS.get(value, "")


def errors_first(issues: pd.DataFrame) -> pd.DataFrame:
    """Errors before warnings, then newest year, then agency."""
    order = issues["severity"].ne(ERROR)
    return issues.assign(_o=order).sort_values(["_o", "year", "agency", "rule"], ascending=[True, False, True, True]
                                               ).drop(columns="_o").reset_index(drop=True)
