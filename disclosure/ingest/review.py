"""What the upload page shows and edits: a table as a frame, edits back into a table, issues as rows, the cells
they name coloured, the corrections and the new agencies that a commit would write."""
from __future__ import annotations

import dataclasses

import pandas as pd

from disclosure.contract import catalog
from disclosure.contract.agencies import agency_key
from disclosure.contract.cell_names import cell_name
from disclosure.contract.values import format_value
from disclosure.ingest import ACCEPTABLE_RULES, Plan
from disclosure.issues import Issue
from disclosure.read.read_table import Row, Table
from disclosure.read.shapes import ID_COLUMNS, columns_of

ISSUE_COLUMNS = {"severity": "级别", "row": "行", "column": "列", "value": "原值", "message": "问题",
                 "suggestion": "建议", "rule": "规则", "code": "代码", "file": "文件"}
SEVERITY_ZH = {"error": "错误", "warning": "警告"}
# the colours of the offending rows' copy, as form_view marks a report: 勾稽 orange, a wrong value red, a warning yellow
MARKS = {"rule": "background-color: #ffd8a8", "value": "background-color: #f8d7da",
         "warning": "background-color: #fff3bf"}
MARKED_ROWS = 200  # the offending rows shown beside the grid; the issue list names them all
MARK_LEGEND = {"rule": "橙色＝勾稽关系不符的各个单元格", "value": "红色＝数值错误", "warning": "黄色＝警告"}


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
    """The table as the editor shows it: every cell as it stands there (a changed one marked as corrected by hand),
    without the rows deleted there."""
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


def corrections_frame(before: Table, after: Table) -> pd.DataFrame:
    """The cells changed by hand and the rows deleted, as a commit would write them: 原值 → 更正为."""
    old = {r.line: r for r in before.rows}
    kept = {r.line for r in after.rows}
    columns = editor_columns(before)
    rows = []
    for r in after.rows:
        for i, origin in sorted(r.origins.items()):
            was = old[r.line].cells[i] if r.line in old and i < len(old[r.line].cells) else ""
            if origin == "corrected" and was != r.cells[i]:
                metric = catalog.lookup(before.header[i]) if i < len(before.header) else None
                rows.append({"文件": before.file, "行": r.line, "列": columns[i] if i < len(columns) else "",
                             "单元格": cell_name(metric.code) if metric else "", "原值": was, "更正为": r.cells[i]})
    rows += [{"文件": before.file, "行": line, "列": "", "单元格": "", "原值": "整行", "更正为": "已删除"}
             for line in old if line not in kept]
    return pd.DataFrame(rows, columns=["文件", "行", "列", "单元格", "原值", "更正为"])


def new_agencies_frame(plan: Plan) -> pd.DataFrame:
    """The agencies a commit would create, with the kind each gets and why."""
    rows = [{"单位": name, "所属地区": path, "单位类型": kind or "待选择",
             "类型依据": plan.kind_basis.get((path, agency_key(name)), "")} for name, kind, path in plan.new_agencies]
    return pd.DataFrame(rows, columns=["单位", "所属地区", "单位类型", "类型依据"])


def _mark(issue: Issue) -> str:
    if not issue.is_error:
        return "warning"
    return "rule" if issue.rule in ACCEPTABLE_RULES else "value"


def marked_rows(table: Table, plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of `table` that a problem names, as text (the identification columns and the columns named), and
    beside them the style of each cell (MARKS): every cell of a broken equation, the cell of a wrong value."""
    roles = columns_of(table)
    ids = [i for i, name in roles.items() if name in ("agency", "year", "metric")]
    column_of = {code: i for i, code in roles.items() if code not in ID_COLUMNS}
    value_column = next((i for i, name in roles.items() if name == "value"), None)
    drafts = {d.line: d for d in plan.drafts if d.file == table.file}
    rank = {"value": 3, "rule": 2, "warning": 1}
    marks: dict[tuple[int, int], str] = {}
    rows = {r.line for r in table.rows}  # not the header's line: a problem there is the header's, named in the list

    def mark(line, i, kind):
        if line in rows and i is not None and rank[kind] > rank.get(marks.get((line, i)), 0):
            marks[(line, i)] = kind

    for issue in plan.issues:
        if issue.file != table.file or issue.row is None:
            continue
        d = drafts.get(issue.row)
        named = [c for c in issue.cells if "@" not in c]  # last year's cells are not in this file
        if named and d is not None and issue.rule:
            for code in named:
                cell = d.cells.get(code)
                if cell is None:
                    continue
                if code in column_of:  # a wide row: the code's column
                    mark(d.line, column_of[code], _mark(issue))
                else:  # a long table: the value on the cell's own line
                    mark(cell.line, value_column, _mark(issue))
        elif issue.column in table.header:
            mark(issue.row, table.header.index(issue.column), _mark(issue))
    if not marks:
        return pd.DataFrame(), pd.DataFrame()
    lines = sorted({line for line, _ in marks})[:MARKED_ROWS]
    shown = sorted(set(ids) | {i for line, i in marks if line in set(lines)})
    names = editor_columns(table)
    by_line = {r.line: r for r in table.rows}
    frame = pd.DataFrame([[by_line[line].cells[i] if i < len(by_line[line].cells) else "" for i in shown]
                          for line in lines], index=pd.Index(lines, name="行"), columns=[names[i] for i in shown])
    css = pd.DataFrame([[MARKS.get(marks.get((line, i)), "") for i in shown] for line in lines],
                       index=frame.index, columns=frame.columns)
    return frame, css


def styled_rows(frame: pd.DataFrame, css: pd.DataFrame):
    """`marked_rows` as a read-only table with the marked cells coloured."""
    return frame.style.apply(lambda _: css, axis=None)


def legend(css: pd.DataFrame) -> str:
    used = {k for k, style in MARKS.items() if (css == style).any().any()}
    return "；".join(text for k, text in MARK_LEGEND.items() if k in used)
