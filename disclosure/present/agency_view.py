"""Pure helpers of the 数据质量 and 单位详情 pages: violations in a region, who accepted them, the coverage matrix."""
from __future__ import annotations

import pandas as pd

from disclosure.issues import ERROR

SEVERITY_ZH = {"error": "错误", "warning": "警告"}
STATUS_ZH = {"reported": "已报", "missing": "缺报", "not_expected": ""}
STATUS_CSS = {"已报": "background-color: #d3f9d8", "缺报": "background-color: #f8d7da; font-weight: bold"}


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
