"""Stored reports out as the CSV/XLSX contract of data-contract.md §7, templates to fill in, and safe downloads."""
from __future__ import annotations

import io
import re

import duckdb
import numpy as np
import pandas as pd

from disclosure.contract import catalog
from disclosure.contract.values import format_value
from disclosure.store import sql

ID_HEADERS = {"agency": "单位名称", "year": "年度", "kind": "单位类型", "parent": "所属地区", "version": "表格版本"}
ID_COLUMNS = list(ID_HEADERS)


def long_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    facts = sql.run(con, "current_facts_long")
    return facts[["agency", "year", "metric", "value", "kind", "parent", "version"]]


def wide_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    facts = long_frame(con)
    reports = sql.run(con, "current_reports_list")[ID_COLUMNS]
    codes = [m.code for m in catalog.metrics()]
    if facts.empty:
        return pd.DataFrame(columns=ID_COLUMNS + codes)
    wide = facts.pivot_table(index=["agency", "parent", "year"], columns="metric", values="value", aggfunc="first")
    wide = wide.reindex(columns=codes).reset_index()
    return reports.merge(wide, on=["agency", "parent", "year"], how="inner")[ID_COLUMNS + codes]


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as the interchange writes them: blanks empty, never 0; a catalogue column's values each as written
    (integers without '.0', decimals as the shortest text that reads back the same); any other numeric column
    integer-looking when all its values are whole — a count computed in floats is still a count — and as it is
    otherwise (rates and decimals stay numbers)."""
    out = frame.copy().astype(object)
    for i, col in enumerate(frame.columns):
        values = frame.iloc[:, i]
        if col in catalog.by_code() or col == "value":
            out.iloc[:, i] = [("" if _blank(v) else format_value(v)) if _number(v) else v for v in values]
        elif _whole_numbers(values):
            out.iloc[:, i] = ["" if _blank(v) else str(int(v)) for v in values]
    return out.map(lambda v: "" if _blank(v) else v)


def _blank(v) -> bool:
    return v is None or (not isinstance(v, (str, bytes, list, tuple, dict)) and bool(pd.isna(v)))


def _number(v) -> bool:
    return _blank(v) or (isinstance(v, (int, float)) and not isinstance(v, bool))


def _whole_numbers(values: pd.Series) -> bool:
    """A numeric column (or a column of numbers and blanks) whose every value is a whole number."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return False
    if not pd.api.types.is_numeric_dtype(values.dtype):
        if values.dtype != object or not all(_number(v) for v in values):
            return False
    present = pd.to_numeric(values[~values.map(_blank)], errors="coerce").astype(float)
    return bool(len(present)) and bool(np.isfinite(present).all()) and bool((present == present.round()).all())


def whole(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole-number columns as integers (blanks kept blank), so a spreadsheet shows 12 and not 12.0."""
    out = frame.copy()
    for i, col in enumerate(frame.columns):
        values = frame.iloc[:, i]
        if _whole_numbers(values) and not pd.api.types.is_integer_dtype(values.dtype):
            out.isetitem(i, pd.array([None if _blank(v) else int(v) for v in values], dtype="Int64"))
    return out


def to_csv(frame: pd.DataFrame, *, for_excel: bool = False) -> bytes:
    """UTF-8 with BOM, which Excel needs to show Chinese, and Excel's CRLF line ends (with them the csv module
    quotes a cell holding a bare CR, which would otherwise split its row); `for_excel` also neutralises formulas."""
    text = as_text(frame)
    if for_excel:
        text = neutralise(text)
    return text.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheets: dict[str, pd.DataFrame] | None = None) -> bytes:
    """Numbers stay numbers (whole-number columns as integers, blanks empty); text cells that would run as
    formulas are neutralised."""
    return workbook({"数据": frame, **(sheets or {})})


def workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, a sheet per frame, in order; sheet names must already suit Excel (31 characters, unique)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise(whole(frame)).to_excel(writer, index=False, sheet_name=name)
    return buf.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what Excel (and LibreOffice) may run as a formula
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # "-2" as text (a 增减 written out) is a number, not a formula


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text beginning with = + - @, a tab or a carriage return may run as a formula in Excel: prefix it with '.
    Headers too — a pivot's or the SQL console's column names come from the data. Numbers are untouched."""
    def safe(v):
        risky = isinstance(v, str) and v.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(v)
        return "'" + v if risky else v
    return frame.map(safe).rename(columns=safe)


def file_name(name: str, limit: int = 80) -> str:
    """A download's name from on-screen words (agency names come from uploaded files): never a path — no
    separators, no characters Windows refuses, no leading dot — and short enough for any file system; an
    uploaded file's extension is kept."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "_", name).strip(" ._")
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or len(suffix) > 5:
        stem, suffix = cleaned, ""
    stem = stem[:limit].rstrip(" .") or "下载"
    return f"{stem}.{suffix}" if suffix else stem


def template(version: str) -> pd.DataFrame:
    """The wide template of one form version: Chinese headers and one example row."""
    codes = catalog.codes(version)
    example = {"单位名称": "示例镇", "年度": 2020 if version == "2019" else 2021, "单位类型": "镇",
               "所属地区": "示例省/示例市/示例县", "表格版本": version}
    headers = list(example) + [catalog.by_code()[c].header for c in codes]
    row = {**example, **{catalog.by_code()[c].header: 0 for c in codes}}
    row[catalog.by_code()["s1.published_total"].header] = 120
    row[catalog.by_code()["s1.channel.website"].header] = 70
    row[catalog.by_code()["s1.channel.wechat"].header] = 50
    return pd.DataFrame([row], columns=headers)


def template_guide(version: str) -> pd.DataFrame:
    """What each template column means, for the 填写说明 sheet."""
    rows = [{"列名": catalog.by_code()[c].header, "指标代码": c, "单位": catalog.by_code()[c].unit,
             "类型": {"count": "非负整数", "signed_count": "整数，可为负", "decimal": "非负数，可有小数"}[
                 catalog.by_code()[c].value_type]} for c in catalog.codes(version)]
    return pd.DataFrame(rows)


def template_file(version: str, fmt: str) -> bytes:
    frame = template(version)
    if fmt == "xlsx":
        return to_xlsx(frame, {"填写说明": template_guide(version)})
    return to_csv(frame)
