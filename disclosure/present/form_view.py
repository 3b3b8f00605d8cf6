"""A report laid out as the official form (sections 一 to 四), cell marks for review, and edits back to codes."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import pandas as pd

from disclosure.contract import catalog
from disclosure.contract.catalog import CHANNELS, S3_COLUMNS, S4_BLOCKS
from disclosure.contract.values import format_value
from disclosure.ingest import ACCEPTABLE_RULES, review
from disclosure.read.report_files import drafts_from_report

SECTIONS = ("s1", "s2", "s3", "s4")
TITLES = {"s1": "一、总体情况（正文中的数字）", "s2": "二、主动公开政府信息情况",
          "s3": "三、收到和处理政府信息公开申请情况", "s4": "四、政府信息公开行政复议、行政诉讼情况"}
VERSIONED = ("s2", "s3")  # the sections whose rows and columns differ between the form versions
BLOCK = "栏目"  # section 二: the column naming the article of 第二十条 a row belongs to
S1_COLUMN = "数量"
S3_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
S4_HEADERS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
S4_ROWS = dict(zip(S4_BLOCKS, ("行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉")))
INDEX_NAMES = {"s1": "项目", "s2": "信息内容", "s3": "申请人情况", "s4": "案件类别"}

# what each mark looks like in the read-only view beside the editor
STYLES = {"unresolved": "background-color: #f8d7da", "violated": "background-color: #ffd8a8",
          "suggested": "background-color: #fff3bf", "approximate": "background-color: #d0ebff",
          "corrected": "background-color: #d3f9d8"}
LEGEND = {"unresolved": "红色＝未能确定（？）", "violated": "橙色＝勾稽关系不符（⚠）", "suggested": "黄色＝建议值",
          "approximate": "蓝色＝约数（≈）", "corrected": "绿色＝已更正"}


# ---------------------------------------------------------------- the grid: row label × column label -> code


def _column_label(m: catalog.Metric, version: str) -> str:
    """The column as the version's form prints it: a code shared by both versions keeps the 2019 wording there."""
    if version == "2019" and m.header_2019:
        return m.header_2019.rsplit(" ", 1)[1]
    return m.column_label


def _s3_labels(rows: list[str]) -> dict[str, str]:
    """Row labels as the form prints them: a group's name (（三）不予公开 …) only on its first row."""
    labels, group = {}, None
    for row in rows:
        m = catalog.by_code()[f"s3.{row}.total"]
        head, _, item = m.row_label.partition(" ")
        if item and head == group:
            labels[row] = item
        else:
            labels[row] = f"{m.block} {m.row_label}" if row == "granted" else m.row_label
        group = head if item else None
    return labels


@functools.cache
def _grid(section: str, version: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str | None, ...], ...],
                                               tuple[str, ...]]:
    """(row labels, value columns, codes row by row, block caption per row) of one section."""
    if section == "s1":
        labels = ("主动公开信息总数", *(catalog.by_code()[f"s1.channel.{c}"].row_label for c in CHANNELS))
        codes = (("s1.published_total",), *((f"s1.channel.{c}",) for c in CHANNELS))
        return labels, (S1_COLUMN,), codes, ()
    if section == "s4":
        codes = tuple(tuple(f"s4.{b}.{c}" for c in ("upheld", "corrected", "other", "pending", "total"))
                      for b in S4_BLOCKS)
        return tuple(S4_ROWS.values()), S4_HEADERS, codes, ()
    if version not in catalog.VERSIONS:
        raise ValueError(f"unknown form version: {version!r}")
    metrics = [catalog.by_code()[c] for c in catalog.table_codes(version) if c.startswith(section + ".")]
    rows = list(dict.fromkeys(m.code.split(".")[1] for m in metrics))
    if section == "s3":
        labels = _s3_labels(rows)
        codes = tuple(tuple(f"s3.{r}.{c}" for c in (*S3_COLUMNS, "total")) for r in rows)
        return tuple(labels[r] for r in rows), S3_HEADERS, codes, ()
    columns = tuple(dict.fromkeys(_column_label(m, version) for m in metrics))
    by_cell = {(m.code.split(".")[1], _column_label(m, version)): m.code for m in metrics}
    first = {r: next(m for m in metrics if m.code.split(".")[1] == r) for r in rows}
    codes = tuple(tuple(by_cell.get((r, c)) for c in columns) for r in rows)
    return (tuple(first[r].row_label for r in rows), columns, codes, tuple(first[r].block for r in rows))


def cell_codes(section: str, version: str | None = None) -> pd.DataFrame:
    """The canonical code of every editable cell of a section (None where the form has no such cell)."""
    labels, columns, codes, _ = _grid(section, version or "")
    frame = pd.DataFrame(list(codes), index=pd.Index(labels, name=INDEX_NAMES[section]), columns=list(columns),
                         dtype="object")
    return frame.where(frame.notna(), None)


def value_columns(section: str, version: str | None = None) -> list[tuple[str, str]]:
    """(column label, value type) of a section's value columns: count, signed_count or decimal."""
    grid = cell_codes(section, version)
    out = []
    for column in grid.columns:
        kinds = {catalog.by_code()[c].value_type for c in grid[column] if c}
        out.append((column, next((k for k in ("decimal", "signed_count") if k in kinds), "count")))
    return out


# ---------------------------------------------------------------- the form with a report's values


def _frame(section: str, values: dict[str, float], version: str | None) -> pd.DataFrame:
    grid = cell_codes(section, version)
    frame = grid.map(lambda c: float(values[c]) if c and c in values else math.nan).astype("float64")
    if section == "s2":
        frame.insert(0, BLOCK, list(_grid(section, version)[3]))
    return frame


def section_one(values: dict[str, float]) -> pd.DataFrame:
    """一、总体情况: the year's total and each channel the text states, one row each (数量)."""
    frame = _frame("s1", values, None)
    stated = [label for label, code in zip(frame.index, cell_codes("s1")[S1_COLUMN])
              if code == "s1.published_total" or code in values]
    return frame.loc[stated]


def section_two(values: dict[str, float], version: str) -> pd.DataFrame:
    """二、主动公开政府信息情况: one row per 信息内容, its 栏目 (第二十条第（一）项 …) and the version's columns."""
    return _frame("s2", values, version)


def section_three(values: dict[str, float], version: str) -> pd.DataFrame:
    """三、收到和处理政府信息公开申请情况: the form's rows × 自然人 … 总计."""
    return _frame("s3", values, version)


def section_four(values: dict[str, float]) -> pd.DataFrame:
    """四、行政复议、行政诉讼: 行政复议 and the two kinds of 行政诉讼 × 结果维持 … 总计."""
    return _frame("s4", values, None)


def section_frame(section: str, values: dict[str, float], version: str | None) -> pd.DataFrame:
    if section == "s1":
        return section_one(values)
    if section == "s4":
        return section_four(values)
    return _frame(section, values, version)


def _number(x) -> float | None:
    if x is None or isinstance(x, str) and not x.strip():
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def edits(original: pd.DataFrame, edited: pd.DataFrame, section: str, version: str | None = None) -> dict[str, float]:
    """Cells whose value the user changed or filled in, by code; a cleared cell is no correction."""
    grid = cell_codes(section, version)
    out = {}
    for label in edited.index:
        if label not in grid.index:
            continue
        for column in grid.columns:
            code = grid.at[label, column]
            if not code or column not in edited.columns:
                continue
            new = _number(edited.at[label, column])
            old = _number(original.at[label, column]) if label in original.index else None
            if new is not None and new != old:
                out[code] = new
    return out


# ---------------------------------------------------------------- marks for the review


@dataclass
class Marks:
    """Which cells a reviewer should look at, by code."""

    unresolved: dict[str, str] = field(default_factory=dict)  # code -> why it could not be placed
    violated: dict[str, list[str]] = field(default_factory=dict)  # code -> the rules (R1 …) it takes part in
    suggested: dict[str, float] = field(default_factory=dict)  # what the arithmetic determines for an empty cell
    approximate: set[str] = field(default_factory=set)
    corrected: set[str] = field(default_factory=set)

    def codes(self) -> set[str]:
        return set(self.unresolved) | set(self.violated) | set(self.suggested) | self.approximate | self.corrected


def marks(reading, corrections: dict[str, float], draft=None, issues=()) -> Marks:
    """What to mark in a report under review: its reading, what the user typed, and the plan's draft and issues."""
    known = catalog.by_code()
    cells = draft.cells if draft is not None else {}
    m = Marks(corrected=set(corrections))
    for u in reading.unresolved:
        if u.where in known and u.where not in corrections and u.where not in cells:
            m.unresolved.setdefault(u.where, u.reason)
    for code, doubt in reading.doubtful.items():
        if code not in corrections and code not in cells:
            m.unresolved.setdefault(code, f"读到「{doubt.raw}」，但{doubt.reason}")
    m.suggested = {c: v for c, v in (draft.suggested if draft is not None else reading.suggested).items()
                   if c not in corrections}
    m.suggested.update({c: cell.value for c, cell in cells.items() if cell.origin == "suggested"})
    m.approximate = {c for c in reading.approximate if c not in corrections}
    for issue in issues:
        if issue.is_error and (issue.rule in ACCEPTABLE_RULES or issue.rule == "R5"):
            for code in issue.cells:
                if code in known:
                    m.violated.setdefault(code, []).append(issue.rule)
    return m


def has_marks(section: str, version: str | None, m: Marks) -> bool:
    return bool(m.codes() & {c for row in _grid(section, version or "")[2] for c in row if c})


def _status(code: str, m: Marks) -> str:
    for status in ("unresolved", "violated", "suggested", "corrected"):
        if code in getattr(m, status):
            return status
    return "approximate" if code in m.approximate else ""


def marked(section: str, values: dict[str, float], version: str | None, m: Marks) -> pd.DataFrame:
    """The section as text, each marked cell saying why: ？ unresolved, ⚠ rule, 建议 n, ≈ approximate."""
    grid = cell_codes(section, version)

    def text(code):
        if not code:
            return ""
        status = _status(code, m)
        shown = format_value(values[code]) if code in values else ""
        if status == "unresolved":
            return "？"
        if status == "suggested" and code not in values:
            return f"建议 {format_value(m.suggested[code])}"
        if status == "violated":
            return f"⚠ {shown or '空'}"
        if status == "approximate":
            return f"≈{shown}"
        return shown

    frame = grid.map(text)
    if section == "s2":
        frame.insert(0, BLOCK, list(_grid(section, version)[3]))
    return frame


def styled(section: str, values: dict[str, float], version: str | None, m: Marks, only_marked: bool = False):
    """`marked` with each marked cell coloured, for a read-only table; only the rows holding a mark if asked."""
    grid = cell_codes(section, version)
    css = grid.map(lambda c: STYLES.get(_status(c, m), "") if c else "")
    if section == "s2":
        css.insert(0, BLOCK, "")
    frame = marked(section, values, version, m)
    if only_marked:
        rows = (css != "").any(axis=1)
        frame, css = frame[rows], css[rows]
    return frame.style.apply(lambda _: css, axis=None)


def legend(section: str, version: str | None, m: Marks) -> str:
    """The colours used in a section's marked view, in words."""
    codes = {c for row in _grid(section, version or "")[2] for c in row if c}
    used = {_status(c, m) for c in codes & m.codes()}
    return "；".join(text for status, text in LEGEND.items() if status in used)


def issue_table(issues) -> pd.DataFrame:
    """The issue list of the upload page, a cell named by its header (三 本年新收 自然人) rather than its code."""
    frame = review.issues_frame(issues)
    frame["列"] = [catalog.by_code()[c].header if c in catalog.by_code() else c for c in frame["列"]]
    return frame


def refusal(rf) -> str:
    """Why a file cannot be imported as a report, in the reader's words; empty when it can be."""
    if not rf.error and rf.reading.is_report:
        return ""
    return drafts_from_report(rf)[1][0].message
