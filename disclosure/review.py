"""What the upload page shows and edits: a table as a frame, edits back into a table, issues as rows."""
from __future__ import annotations

import dataclasses

import pandas as pd

from disclosure import catalog
from disclosure.ingest import Plan
from disclosure.issues import Issue
from disclosure.read_table import Row, Table
from disclosure.values import format_value

ISSUE_COLUMNS = {"severity": "级别", "row": "行", "column": "列", "value": "原值", "message": "问题",
                 "suggestion": "建议", "rule": "规则", "code": "代码", "file": "文件"}
SEVERITY_ZH = {"error": "错误", "warning": "警告"}


def editor_columns(table: Table) -> list[str]:
    """Headers as written, made unique so an editor can show them (blank and repeated headers happen)."""
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(table.header):
        name = h or f"（第{i + 1}列）"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return out


def table_frame(table: Table) -> pd.DataFrame:
    """The rows as text, indexed by their line in the file."""
    frame = pd.DataFrame([r.cells for r in table.rows], columns=editor_columns(table), dtype="object")
    frame.index = pd.Index([r.line for r in table.rows], name="行")
    return frame


def apply_edits(table: Table, edited: pd.DataFrame) -> Table:
    """The table with the user's corrections; a changed cell is marked as corrected by hand."""
    original = {r.line: r for r in table.rows}
    rows = []
    for line, values in zip(edited.index, edited.itertuples(index=False)):
        cells = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip() for v in values]
        before = original.get(line)
        origins = dict(before.origins) if before else {}
        for i, text in enumerate(cells):
            if before is None or i >= len(before.cells) or before.cells[i] != text:
                origins[i] = "corrected"
        rows.append(Row(int(line), cells, origins))
    return dataclasses.replace(table, rows=rows)


def apply_suggestions(table: Table, plan: Plan) -> Table:
    """Fill the cells the arithmetic determines, in the columns the wide table already has."""
    codes = {(catalog.lookup(h).code if catalog.lookup(h) else None): i for i, h in enumerate(table.header)}
    wanted = {d.line: d.suggested for d in plan.drafts if d.file == table.file and d.suggested}
    rows = []
    for row in table.rows:
        cells, origins = list(row.cells), dict(row.origins)
        for code, value in wanted.get(row.line, {}).items():
            i = codes.get(code)
            if i is not None and not cells[i].strip():
                cells[i] = format_value(value)
                origins[i] = "suggested"
        rows.append(Row(row.line, cells, origins))
    return dataclasses.replace(table, rows=rows)


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    rows = [{**{k: getattr(i, k) for k in ISSUE_COLUMNS}, "severity": SEVERITY_ZH.get(i.severity, i.severity)}
            for i in issues]
    frame = pd.DataFrame(rows, columns=list(ISSUE_COLUMNS)).rename(columns=ISSUE_COLUMNS)
    frame["行"] = frame["行"].astype("Int64")
    return frame


def diff_frame(plan: Plan) -> pd.DataFrame:
    """Cell by cell, what a replace would change."""
    rows = [{"单位": d.agency, "年度": d.year, "指标": catalog.label(code),
             "已存": "空" if old is None else format_value(old), "新文件": "空" if new is None else format_value(new)}
            for d in plan.drafts if d.status in ("replace", "conflict") for code, old, new in d.diff]
    return pd.DataFrame(rows, columns=["单位", "年度", "指标", "已存", "新文件"])


def suggestions_frame(plan: Plan) -> pd.DataFrame:
    rows = [{"单位": d.agency, "年度": d.year, "指标": catalog.label(code), "建议值": format_value(v),
             "依据": "由勾稽关系唯一确定（原表为空）"}
            for d in plan.drafts for code, v in d.suggested.items()]
    return pd.DataFrame(rows, columns=["单位", "年度", "指标", "建议值", "依据"])


def drafts_frame(plan: Plan) -> pd.DataFrame:
    status = {"new": "新增", "replace": "替换", "unchanged": "与已存相同", "conflict": "已存在（不同）",
              "duplicate": "重复", "": "无法识别"}
    rows = [{"文件": d.file, "行": d.line, "单位": d.agency, "地区": d.region_path or d.parent, "年度": d.year,
             "表格版本": d.version, "数值个数": len(d.cells), "处理": status.get(d.status, d.status),
             "错误": sum(i.is_error for i in d.issues), "警告": sum(not i.is_error for i in d.issues)}
            for d in plan.drafts]
    return pd.DataFrame(rows)
