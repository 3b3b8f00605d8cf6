"""单位名单 (roster): the agencies a region expects reports from, and in which years.

Optional: without it an agency is expected when it reported the year before. With it, a listed agency is
expected in its active years — a new agency before it ever reported, and no longer after a merger. The
expected_reports macro (queries/schema/0003_roster.sql) applies it. A roster file names each agency once;
importing one replaces the entries of the agencies it names and leaves the others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from disclosure.contract import values
from disclosure.contract.agencies import agency_key, clean_name, normalize_kind
from disclosure.contract.catalog import KINDS, normalize_label
from disclosure.ingest import agency_match
from disclosure.issues import ERROR, WARNING, Issue, Refusal
from disclosure.read.read_table import Table
from disclosure.read.shapes import ID_COLUMNS
from disclosure.store import db, sql

COLUMNS = {
    "agency": ID_COLUMNS["agency"],
    "parent": ID_COLUMNS["parent"],
    "kind": ID_COLUMNS["kind"],
    "active_from": ("active_from", "起始年度", "开始年度", "设立年度", "启用年度"),
    "active_to": ("active_to", "终止年度", "结束年度", "撤销年度", "停用年度"),
}
LABELS = {"agency": "单位名称", "parent": "所属地区", "kind": "单位类型", "active_from": "起始年度",
          "active_to": "终止年度"}
_LOOKUP = {normalize_label(h): name for name, hs in COLUMNS.items() for h in hs}
FIRST_YEAR, LAST_YEAR = 1949, 2100  # what a year of an agency's life can be; reports start in 2019
STATUS_ZH = {"new": "新增", "changed": "修改", "unchanged": "与已存相同"}


@dataclass
class Entry:
    """One agency of a roster file, as written, then matched (the fields agency_match fills in)."""

    file: str
    line: int
    agency: str
    parent: str
    kind: str
    active_from: int | None
    active_to: int | None
    issues: list[Issue] = field(default_factory=list)
    region_path: str = ""
    agency_id: int | None = None
    agency_name: str = ""
    status: str = ""  # new, changed, unchanged
    year = None  # an entry is about no single year; issue records leave it empty

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class RosterPlan:
    tables: list[Table]
    entries: list[Entry]
    issues: list[Issue]
    new_regions: list[str] = field(default_factory=list)
    new_agencies: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    @property
    def to_write(self) -> list[Entry]:
        return [e for e in self.entries if e.status in ("new", "changed")]


def prepare(con: duckdb.DuckDBPyConnection, tables: list[Table]) -> RosterPlan:
    """Every entry of the roster files and every problem in them, matched with what is stored; writes nothing."""
    entries, issues = [], []
    for table in tables:
        found, problems = _entries(table)
        entries += found
        issues += problems
    plan = RosterPlan(tables, entries, issues)
    if entries:
        plan.new_regions, plan.new_agencies = agency_match.resolve(con, entries, plan.issues)
        _find_duplicates(plan)
        _compare_with_stored(con, plan)
    return plan


def _entries(table: Table) -> tuple[list[Entry], list[Issue]]:
    issues = list(table.issues)
    if any(i.is_error for i in issues):
        return [], issues
    columns: dict[str, int] = {}
    for i, header in enumerate(table.header):
        name = _LOOKUP.get(normalize_label(header))
        if name is None:
            if header.strip():
                issues.append(_issue(table, "ignored-column", WARNING, f"列「{header}」不是单位名单的列，未读取",
                                     row=1, column=header, value=header))
        elif name in columns:
            issues.append(_issue(table, "duplicate-column", ERROR,
                                 f"列「{header}」与第{columns[name] + 1}列「{table.header[columns[name]]}」是同一项，"
                                 "请删除其中一列", row=1, column=header, value=header))
        else:
            columns[name] = i
    if "agency" not in columns:
        issues.append(_issue(table, "missing-agency", ERROR, "缺少「单位名称」列", row=1,
                             suggestion="名单的列：" + "、".join(LABELS.values())))
    if any(i.is_error for i in issues):
        return [], issues
    if not table.rows:
        return [], issues + [_issue(table, "empty-file", ERROR, f"文件 {table.file} 只有表头，没有单位")]
    entries = []
    for row in table.rows:
        entry = _entry(table, row, columns, issues)
        if entry:
            entries.append(entry)
    return entries, issues


def _entry(table: Table, row, columns: dict[str, int], issues: list[Issue]) -> Entry | None:
    def cell(name: str) -> tuple[str, str]:
        return (row.cells[columns[name]], table.header[columns[name]]) if name in columns else ("", "")

    def problem(code: str, name: str, message: str, **kw) -> None:
        text, header = cell(name)
        issues.append(_issue(table, code, ERROR, f"第{row.line}行{message}", row=row.line, column=header,
                             value=text, **kw))

    agency = clean_name(cell("agency")[0])
    if not agency:
        problem("missing-agency", "agency", "缺少单位名称")
        return None
    kind = ""
    if cell("kind")[0].strip():
        kind = normalize_kind(cell("kind")[0]) or ""
        if not kind:
            problem("unknown-kind", "kind", f"单位类型「{cell('kind')[0]}」无法识别",
                    suggestion="可填：" + "、".join(KINDS))
    years = {}
    for name in ("active_from", "active_to"):
        text = values.clean(cell(name)[0]).removesuffix("年度").removesuffix("年")
        if text in values.MISSING:
            years[name] = None
        elif re.fullmatch(r"\d{4}(\.0+)?", text) and FIRST_YEAR <= int(float(text)) <= LAST_YEAR:
            years[name] = int(float(text))
        else:
            problem("roster-bad-year", name, f"「{LABELS[name]}」应为四位数的年份或留空，这里是「{cell(name)[0]}」")
            return None
    if years["active_from"] and years["active_to"] and years["active_from"] > years["active_to"]:
        problem("roster-years-reversed", "active_to",
                f"终止年度 {years['active_to']} 早于起始年度 {years['active_from']}")
        return None
    if cell("kind")[0].strip() and not kind:
        return None
    return Entry(table.file, row.line, agency, values.clean(cell("parent")[0]), kind, **years)


def _issue(table: Table, code: str, severity: str, message: str, **kw) -> Issue:
    return Issue(code=code, severity=severity, message=message, file=table.file, **kw)


def _find_duplicates(plan: RosterPlan) -> None:
    first: dict[tuple[str, str], Entry] = {}
    for e in plan.entries:
        if not e.region_path:
            continue
        key = (e.region_path, agency_key(e.agency))
        if key in first:
            issue = agency_match.item_issue(e, "duplicate-roster-entry", ERROR,
                                            f"单位「{e.agency}」（{e.region_path}）在名单中出现了两次，"
                                            f"另一次在 {first[key].file} 第{first[key].line}行", value=e.agency)
            e.issues.append(issue)
            plan.issues.append(issue)
        else:
            first[key] = e


def _compare_with_stored(con, plan: RosterPlan) -> None:
    stored = {r.agency_id: (r.active_from, r.active_to) for r in sql.run(con, "roster_entries").itertuples()}
    for e in plan.entries:
        now = stored.get(e.agency_id) if e.agency_id is not None else None
        if now is None:
            e.status = "new"
        else:
            same = tuple(None if pd.isna(x) else int(x) for x in now) == (e.active_from, e.active_to)
            e.status = "unchanged" if same else "changed"


def entries_frame(plan: RosterPlan) -> pd.DataFrame:
    """The entries as the page shows them before the commit."""
    return pd.DataFrame({
        "文件": [e.file for e in plan.entries], "行": [e.line for e in plan.entries],
        "单位": [e.agency_name or e.agency for e in plan.entries], "地区": [e.region_path for e in plan.entries],
        "类型": [e.kind for e in plan.entries],
        "起始年度": pd.array([e.active_from for e in plan.entries], dtype="Int64"),
        "终止年度": pd.array([e.active_to for e in plan.entries], dtype="Int64"),
        "结果": [STATUS_ZH.get(e.status, "有错误") for e in plan.entries],
    })


def listing_frame(entries: pd.DataFrame) -> pd.DataFrame:
    """roster_entries as the page lists it: an open start or end year says so in words."""
    def year(x, open_text: str) -> str:
        return open_text if pd.isna(x) else str(int(x))

    return pd.DataFrame({
        "单位": entries["agency"], "类型": entries["kind"], "地区": entries["region"],
        "起始年度": [year(x, "不限") for x in entries["active_from"]],
        "终止年度": [year(x, "在册") for x in entries["active_to"]],
        "来源文件": entries["file_name"], "导入人": entries["imported_by"], "导入时间": entries["imported_at"],
        "示例数据": entries["is_demo"]})


def template() -> pd.DataFrame:
    """The roster template: the columns and two example rows (a township, and a department merged away)."""
    return pd.DataFrame([
        {"单位名称": "青山乡", "所属地区": "江西省/赣州市/会昌县", "单位类型": "乡", "起始年度": "", "终止年度": ""},
        {"单位名称": "会昌县粮食局", "所属地区": "江西省/赣州市/会昌县", "单位类型": "部门", "起始年度": "2019",
         "终止年度": "2020"},
    ])


def commit(con: duckdb.DuckDBPyConnection, plan: RosterPlan, *, user: str, is_demo: bool = False,
           batch_id: int | None = None) -> int:
    """Write the new and changed entries in one transaction; returns how many. Refuses while an error blocks."""
    if plan.blocking:
        raise Refusal(f"名单仍有 {len(plan.blocking)} 个错误未解决，未写入任何数据")
    entries = plan.to_write
    if not entries:
        return 0
    with db.transaction(con):
        region_ids = agency_match.create_regions(con, plan.new_regions, batch_id)
        ids = agency_match.create_agencies(con, entries, region_ids, batch_id)
        sql.insert_frame(con, "insert_roster", "new_roster", pd.DataFrame({
            "agency_id": [ids[e.ref] for e in entries],
            "active_from": pd.array([e.active_from for e in entries], dtype="Int64"),
            "active_to": pd.array([e.active_to for e in entries], dtype="Int64"),
            "file_name": [e.file for e in entries], "imported_by": user, "is_demo": is_demo}))
        db.bump_data_version(con)
    return len(entries)


def clear(con: duckdb.DuckDBPyConnection) -> int:
    """Remove every entry users imported (the demo's stay with the demo); returns how many."""
    with db.transaction(con):
        n = sql.fetch(con, "delete_roster")[0][0]
        db.bump_data_version(con)
    return n
