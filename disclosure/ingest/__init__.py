"""The one write path: read -> validate -> review -> commit in one transaction; and undo."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from disclosure.contract import catalog, rules
from disclosure.contract.agencies import (
    ASK,
    SURE,
    agency_key,
    is_county_level,
    is_template_example,
    kind_from_name,
    read_kind,
)
from disclosure.contract.values import format_value
from disclosure.ingest import agency_match, rule_store
from disclosure.issues import ERROR, WARNING, Issue, Refusal
from disclosure.read.cell_block import blocks_of
from disclosure.read.read_table import Table
from disclosure.read.report_files import ReportFile, drafts_from_report
from disclosure.read.shapes import Draft, drafts_from_table
from disclosure.store import db, sql
from disclosure.store.accounts import Account

ACCEPTABLE_RULES = {"R1", "R2", "R3", "R4"}  # the arithmetic a published report may really break


@dataclass(frozen=True)
class Choices:
    """What the user says once for a whole upload rather than row by row (hashable: the page caches plans by it).

    `parent`: the region of rows that name none (rows that name one keep it); `kind`: the kind of new agencies
    whose kind neither the file nor the name tells (the CLI's --kind); `kinds`: per new agency, the kind chosen in
    the review, as ((region path, agency key), kind) pairs; `keep_examples`: import the template's example rows."""

    parent: str = ""
    kind: str = ""
    kinds: tuple[tuple[tuple[str, str], str], ...] = ()
    keep_examples: bool = False


@dataclass
class KindQuestion:
    """A new agency whose kind neither its 单位类型 nor its name tells: the review asks once for it."""

    region_path: str
    agency: str
    key: str  # agency_key(agency)
    guess: str  # the likely kind ("" when none); preselected unless `required`
    required: bool  # 汇总 or 政府 may be meant: a choice is needed before anything is written
    chosen: str = ""
    why: str = ""  # what the file or name says, in words

    @property
    def ident(self) -> tuple[str, str]:
        return self.region_path, self.key


@dataclass
class Plan:
    """What a commit would write, and every problem found on the way."""

    tables: list[Table]
    drafts: list[Draft]
    issues: list[Issue]
    new_regions: list[str] = field(default_factory=list)
    new_agencies: list[tuple[str, str, str]] = field(default_factory=list)  # name, kind, region path
    kind_basis: dict[tuple[str, str], str] = field(default_factory=dict)  # new agency -> where its kind came from
    kind_questions: list[KindQuestion] = field(default_factory=list)

    def blocking(self, accept_errors: bool | set[str] = False) -> list[Issue]:
        """Errors that stop the commit: all of them, but arithmetic ones the user knowingly accepted."""
        accepted = self._accepted_refs(accept_errors)
        excused = {id(i) for d in self.drafts if d.ref in accepted for i in d.issues if i.rule in ACCEPTABLE_RULES}
        return [i for i in self.issues if i.is_error and id(i) not in excused]

    def _accepted_refs(self, accept_errors: bool | set[str]) -> set[str]:
        if accept_errors is True:
            return {d.ref for d in self.drafts}
        return set(accept_errors or ())

    @property
    def to_write(self) -> list[Draft]:
        return [d for d in self.drafts if d.status in ("new", "replace")]

    def count(self, status: str) -> int:
        return sum(d.status == status for d in self.drafts)


@dataclass
class Summary:
    batch_id: int | None
    new: int
    replaced: int
    unchanged: int
    cells: int


class StaleImport(Refusal):
    """The stored data changed between the review and the commit."""

    code = "stale-import"


def prepare(con: duckdb.DuckDBPyConnection, tables: list[Table], *, replace: bool = False,
            progress: Callable[[float, str], None] = lambda done, stage: None, account: Account | None = None,
            choices: Choices | None = None) -> Plan:
    """Every draft and every problem of a batch, checked against the stored data; writes nothing.

    `progress(done, stage)` hears how far it got (0–1) and what it is doing, for a progress bar. With an
    `account`, a report of an agency it may not change is an error no one can accept (None: the command line,
    the local administrator). `choices`: what the user said for the whole upload (region, kinds, example rows).
    """
    choices = choices or Choices()
    drafts, issues = [], []
    for n, table in enumerate(tables):
        if isinstance(table, ReportFile):
            found, problems = drafts_from_report(table)
        else:
            found, problems = drafts_from_table(
                table, lambda done, n=n: progress(0.7 * (n + done) / len(tables), f"正在检查 {table.file} 的数据行"))
        drafts += found
        issues += problems
    plan = Plan(tables, drafts, issues)
    if drafts:
        progress(0.7, "正在匹配单位和地区")
        for d in drafts:
            d.parent = d.parent or choices.parent
        if not choices.keep_examples:
            _refuse_examples(plan)
        stated = {id(d): d.kind for d in drafts}  # resolve fills in 其他 where none is stated
        plan.new_regions, plan.new_agencies = agency_match.resolve(con, plan.drafts, plan.issues)
        _settle_kinds(plan, choices, stated)
        if account is not None:
            _check_access(plan, account)
        _find_duplicates(plan)
        progress(0.8, "正在与已存数据比较")
        _compare_with_stored(con, plan, replace)
        progress(0.9, "正在检查勾稽关系")
        _check_rules(con, plan)
    progress(1.0, "检查完成")
    return plan


def _check_access(plan: Plan, account: Account) -> None:
    """A 填报人员 writes the reports of the agencies assigned to them only — whatever the file says."""
    for d in plan.drafts:
        if not account.may_change(d.agency, d.region_path):
            mine = "、".join(f"{r}/{a}" for a, r in account.agencies) or "无"
            _add(plan, d, Issue("not-permitted", ERROR, f"{account.name}（{account.role_zh}）不能导入或替换 "
                                f"{d.region_path or '（未写地区）'} {d.agency} 的报告；可修改的单位：{mine}",
                                file=d.file, row=d.line, column="单位", value=d.agency, agency=d.agency, year=d.year))


def _refuse_examples(plan: Plan) -> None:
    """The template's example rows (示例镇) are no agency's report: a template uploaded as downloaded, or with
    the example row left in, would import them."""
    for d in plan.drafts:
        if is_template_example(d.agency):
            where = f"第{d.line}行" if d.line else f"{d.file} "
            _add(plan, d, Issue("template-example", ERROR, f"{where}是模板中的示例行（{d.agency}），请改成本单位的数字或"
                                "删除这一行", file=d.file, row=d.line, column="单位名称", value=d.agency,
                                agency=d.agency, year=d.year,
                                suggestion="确实要导入这一行时，选择「保留模板示例行」"))


def _settle_kinds(plan: Plan, choices: Choices, stated_kinds: dict[int, str]) -> None:
    """The kind of each new agency, once per agency: as its 单位类型 says for sure; else as chosen in the review;
    else as its name tells; else the kind given for the whole file; else asked — and while nobody answers, an
    agency that may be 汇总 or 政府 blocks the commit, any other is stored as 其他 with a warning."""
    drop = {id(i) for d in plan.drafts for i in d.issues if i.code == "missing-kind"}
    for d in plan.drafts:
        d.issues = [i for i in d.issues if id(i) not in drop]
    plan.issues = [i for i in plan.issues if id(i) not in drop]
    groups: dict[tuple[str, str], list[Draft]] = {}
    for d in plan.drafts:
        if d.agency_id is None and d.region_path:
            groups.setdefault((d.region_path, agency_key(d.agency)), []).append(d)
    chosen = dict(choices.kinds)
    kinds = {}
    for ident, ds in groups.items():
        first = ds[0]
        text = next((d.kind_text for d in ds if d.kind_text), "")
        stated = next((stated_kinds[id(d)] for d in ds if stated_kinds[id(d)]), "")
        text_kind, text_how = read_kind(text)
        name_kind, name_how = kind_from_name(first.agency)
        asked = not stated and (name_how != SURE or text_how == ASK)
        required = asked and ASK in (text_how, name_how)
        if stated:
            kind, basis = stated, f"单位类型「{text}」" if text != stated else "单位类型"
        elif chosen.get(ident):
            kind, basis = chosen[ident], "已选择"
        elif not asked:
            kind, basis = name_kind, "按单位名称推定"
        elif choices.kind:
            kind, basis = choices.kind, "整个文件的单位类型"
        elif required:
            kind, basis = "", "待选择"
        else:
            kind, basis = "其他", "未能判断，记为其他"
        if asked:
            guess = (text_kind if text_how == ASK else "") or name_kind
            why = (f"单位类型写的是「{text}」" if text else "名称像是县（区）政府" if name_how == ASK else "名称看不出类型")
            plan.kind_questions.append(KindQuestion(ident[0], first.agency, ident[1], guess, required,
                                                    chosen.get(ident, ""), why))
        if required and not kind:
            _add(plan, first, agency_match.item_issue(
                first, "kind-needed", ERROR, f"新单位「{first.agency}」是本级政府汇总各部门、乡镇的报告（汇总），还是"
                "政府自身的报告（政府）？请选择单位类型", value=text,
                suggestion=f"{why}；汇总和政府不按名称推定，以免重复计算或漏算本县"))
        elif text and not text_how:
            _add(plan, first, agency_match.item_issue(
                first, "unknown-kind", WARNING, f"单位类型「{text}」不是可识别的类型，新单位「{first.agency}」"
                f"{'记为「其他」，可在「新单位」中选择' if basis.startswith('未能') else f'定为「{kind}」（{basis}）'}",
                value=text, suggestion="可填：" + "、".join(catalog.KINDS)))
        elif kind == "其他" and basis.startswith("未能"):
            _add(plan, first, agency_match.item_issue(
                first, "missing-kind", WARNING, f"新单位「{first.agency}」未填单位类型，名称也看不出类型，记为「其他」；"
                "可在「新单位」中选择", suggestion=f"可能是「{name_kind}」" if name_kind else ""))
        for d in ds:
            d.kind = kind
        kinds[ident] = kind
        plan.kind_basis[ident] = basis
    plan.new_agencies = [(name, kinds.get((path, agency_key(name)), kind), path)
                         for name, kind, path in plan.new_agencies]


def _add(plan: Plan, d: Draft, issue: Issue) -> None:
    """An issue of one report: listed with the report and in the plan."""
    d.issues.append(issue)
    plan.issues.append(issue)


def _key(d: Draft) -> tuple[str, str, int]:
    return d.region_path, agency_key(d.agency), d.year


def _find_duplicates(plan: Plan) -> None:
    first: dict[tuple, Draft] = {}
    for d in plan.drafts:
        if not d.region_path:
            continue
        if _key(d) in first:
            other = first[_key(d)]
            where = other.file if other.file != d.file else ""
            where += f"第{other.line}行" if other.line else ""
            issue = agency_match.item_issue(d, "duplicate-report", ERROR,
                                 f"与{where}是同一单位同一年度（{d.agency} {d.year}年），一个批次中每个单位每年只能有一份报告")
            _add(plan, d, issue)
            d.status = "duplicate"
        else:
            first[_key(d)] = d


def _stored_facts(con, pairs: list[tuple[int, int]]) -> pd.DataFrame:
    """Facts of the current reports of these (agency, year) pairs."""
    cur = con.cursor()
    try:
        cur.register("wanted", pd.DataFrame(pairs, columns=["agency_id", "year"]).drop_duplicates())
        return sql.run(cur, "stored_facts_for_pairs", in_transaction=True)  # on this cursor, where `wanted` is
    finally:
        cur.close()


def _compare_with_stored(con, plan: Plan, replace: bool) -> None:
    pairs = [(d.agency_id, d.year) for d in plan.drafts if d.agency_id is not None]
    stored = _stored_facts(con, pairs) if pairs else pd.DataFrame(columns=["agency_id", "year", "report_id", "metric", "value"])
    by_pair = {k: g for k, g in stored.groupby(["agency_id", "year"])} if not stored.empty else {}
    for d in plan.drafts:
        if d.status == "duplicate" or not d.region_path:
            continue
        old = by_pair.get((d.agency_id, d.year))
        if old is None:
            d.status = "new"
            continue
        d.stored_report_id = int(old["report_id"].iloc[0])
        before = dict(zip(old["metric"].dropna(), old["value"].dropna()))
        after = d.values()
        d.diff = [(c, before.get(c), after.get(c)) for c in _ordered(set(before) | set(after))
                  if before.get(c) != after.get(c)]
        if not d.diff:
            d.status = "unchanged"
        elif replace:
            d.status = "replace"
        else:
            d.status = "conflict"
            changed = [(c, a, b) for c, a, b in d.diff if b is not None]
            dropped = len(d.diff) - len(changed)
            shown = "；".join(f"{catalog.label(c)} {_show(a)}→{_show(b)}" for c, a, b in changed[:5])
            parts = [f"{len(changed)} 处数值不同（{shown}{' 等' if len(changed) > 5 else ''}）" if changed else "",
                     f"已存的 {dropped} 个数值本文件未填（替换后将为空）" if dropped else ""]
            issue = agency_match.item_issue(d, "already-stored", ERROR,
                                 f"{d.agency} {d.year}年的报告已存在，{'，'.join(p for p in parts if p)}；"
                                 "确认要替换时请选择「替换已有报告」", cells={c: b for c, _, b in changed})
            _add(plan, d, issue)


def _ordered(codes) -> list[str]:
    order = {m.code: m.display_order for m in catalog.metrics()}
    return sorted(codes, key=lambda c: order.get(c, 10**6))


def _show(x) -> str:
    return "空" if x is None else format_value(x)


def draft_frame(drafts: list[Draft]) -> pd.DataFrame:
    """The wide frame the rule engine reads: one row per draft, one float column per code stated in any."""
    ids = pd.DataFrame({"agency": [d.agency for d in drafts], "year": [d.year for d in drafts],
                        "version": [d.version for d in drafts], "kind": [d.kind for d in drafts],
                        "county_level": [is_county_level(d.region_path) for d in drafts],
                        "key": ["|".join(_key(d)[:2]) for d in drafts], "file": [d.file for d in drafts],
                        "line": [d.line for d in drafts]})
    parts = []
    for block, rows, places in blocks_of(drafts):
        codes, wide = block.wide(rows)
        parts.append(pd.DataFrame(wide, columns=codes, index=places))
    return pd.concat([ids, pd.concat(parts).sort_index()], axis=1)


def _check_rules(con, plan: Plan) -> None:
    checked = [d for d in plan.drafts if d.region_path and d.status != "duplicate"]
    if not checked:
        return
    frame = draft_frame(checked)
    previous = pd.concat([frame, _previous_years(con, checked)], ignore_index=True)
    by_ref = {d.ref: d for d in checked}
    for issue in rules.check(frame, previous):
        d = by_ref[f"{issue.file}:{issue.row}"]
        issue.message = f"第{d.line}行 {issue.message}" if d.line else issue.message
        if issue.rule in ACCEPTABLE_RULES:
            # an equation names no single wrong cell: the issue names all of them, as the file headed them
            written = [d.cells[c].column for c in issue.cells if c in d.cells]
            issue.row, issue.column, issue.value = d.line, "、".join(dict.fromkeys(written)), ""
        else:
            cell = d.cells.get(issue.column)
            issue.row, issue.column = (cell.line, cell.column) if cell else (d.line, issue.column)
            issue.value = cell.raw if cell else ""
        _add(plan, d, issue)
    for d in checked:
        d.suggested = rules.suggest(d.values(), d.version)


def _previous_years(con, drafts: list[Draft]) -> pd.DataFrame:
    """Stored reports of the year before each draft, shaped like draft_frame, for C1–C3 and P2."""
    pairs = [(d.agency_id, d.year - 1) for d in drafts if d.agency_id is not None]
    if not pairs:
        return pd.DataFrame()
    stored = _stored_facts(con, pairs)
    if stored.empty:
        return pd.DataFrame()
    keys = {d.agency_id: "|".join(_key(d)[:2]) for d in drafts if d.agency_id is not None}
    wide = stored.pivot_table(index=["agency_id", "year", "version"], columns="metric", values="value",
                              aggfunc="first").reset_index()
    wide["key"] = wide["agency_id"].map(keys)
    return wide.drop(columns=["agency_id"])


def commit(con: duckdb.DuckDBPyConnection, plan: Plan, *, user: str, via: str,
           accept_errors: bool | set[str] = False, replace_reason: str = "", is_demo: bool = False) -> Summary:
    """Write the plan in one transaction; refuses while an error blocks it."""
    blocking = plan.blocking(accept_errors)
    if blocking:
        raise Refusal(f"仍有 {len(blocking)} 个错误未解决，未写入任何数据")
    drafts = plan.to_write
    if not drafts:
        return Summary(None, 0, 0, plan.count("unchanged"), 0)
    accepted = plan._accepted_refs(accept_errors)
    with db.transaction(con):
        _check_still_current(con, plan)
        batch_id = sql.fetch(con, "insert_batch", user=user, via=via, is_demo=is_demo,
                             files="、".join(dict.fromkeys(t.file for t in plan.tables)))[0][0]
        sources = {t.file: _insert_source(con, batch_id, t) for t in plan.tables}
        region_ids = agency_match.create_regions(con, plan.new_regions, batch_id)
        agency_ids = agency_match.create_agencies(con, drafts, region_ids, batch_id)
        report_ids = [r for (r,) in sql.fetch(con, "next_report_ids", n=len(drafts))]
        reports, issues = [], []
        for report_id, d in zip(report_ids, drafts):
            if d.status == "replace":
                sql.execute(con, "end_report", id=d.stored_report_id, status="replaced", user=user)
            reports.append({"id": report_id, "agency_id": agency_ids[d.ref], "year": d.year, "version": d.version,
                            "batch_id": batch_id, "source_id": sources[d.file], "source_row": d.line,
                            "imported_by": user, "replaces": d.stored_report_id,
                            "replace_reason": replace_reason if d.status == "replace" else None})
            for i in d.issues:
                is_accepted = i.is_error and i.rule in ACCEPTABLE_RULES and d.ref in accepted
                issues.append({"report_id": report_id, "code": i.code, "rule": i.rule, "severity": i.severity,
                               "message": i.message, "column_name": i.column, "value": i.value,
                               "cells": json.dumps(i.cells, ensure_ascii=False), "suggestion": i.suggestion,
                               "accepted_by": user if is_accepted else None})
        sql.insert_frame(con, "insert_reports", "new_reports", pd.DataFrame(reports))
        facts = _facts_frame(report_ids, drafts)
        sql.insert_frame(con, "insert_facts", "new_facts", facts)
        sql.execute(con, "insert_report_figures", first_id=report_ids[0], last_id=report_ids[-1])
        refresh_derived(con, _batch_regions(con, batch_id))
        if issues:
            sql.insert_frame(con, "insert_report_issues", "new_issues", pd.DataFrame(issues))
        db.bump_data_version(con)
    return Summary(batch_id, plan.count("new"), plan.count("replace"), plan.count("unchanged"), len(facts))


def _facts_frame(report_ids: list[int], drafts: list[Draft]) -> pa.Table:
    """Every cell of the drafts, a block at a time, each block's by metric then report (as facts are stored).
    An Arrow table: DuckDB reads it directly, where a pandas frame's two million strings would be converted twice."""
    ids = np.asarray(report_ids, dtype=np.int64)
    return pa.concat_tables([block.long(rows, ids[places]) for block, rows, places in blocks_of(drafts)])


def _check_still_current(con, plan: Plan) -> None:
    """Another dashboard session may have written since this plan was checked: a report it replaces may have
    changed, a region or agency it would create may exist now. Then nothing is written; the page checks again."""
    drafts = plan.to_write
    pairs = [(d.agency_id, d.year) for d in drafts if d.agency_id is not None]
    stored = _stored_facts(con, pairs) if pairs else pd.DataFrame(columns=["agency_id", "year", "report_id"])
    now = {(r.agency_id, r.year): r.report_id for r in stored[["agency_id", "year", "report_id"]].drop_duplicates().itertuples()}
    for d in drafts:
        if d.agency_id is not None and now.get((d.agency_id, d.year)) != d.stored_report_id:
            raise StaleImport(f"{d.agency} {d.year}年的报告在检查之后已被修改，请重新检查后再提交")
    new = [d for d in drafts if d.agency_id is None]
    if not new and not plan.new_regions:
        return
    regions = set(sql.run(con, "regions_all", in_transaction=True)["path"])
    aliases = sql.run(con, "agency_aliases_all", in_transaction=True)
    known = set(zip(aliases["path"], aliases["alias_key"]))
    created = [f"地区「{p}」" for p in plan.new_regions if p in regions]
    created += [f"单位「{d.region_path} {d.agency}」" for d in new if (d.region_path, agency_key(d.agency)) in known]
    if created:
        raise StaleImport(f"{created[0]}在检查之后已由另一次导入新建，请重新检查后再提交")


def _insert_source(con, batch_id: int, table: Table) -> int:
    return sql.fetch(con, "insert_source", batch_id=batch_id, file_name=table.file, kind=table.kind,
                     encoding=table.encoding, sha256=hashlib.sha256(table.data).hexdigest(),
                     size_bytes=len(table.data), content=table.data)[0][0]


def undo(con: duckdb.DuckDBPyConnection, batch_id: int, *, user: str, account: Account | None = None) -> int:
    """Take a batch back: its reports stop being current and those they replaced are current again. With an
    `account`, only a batch whose reports are all of agencies it may change."""
    with db.transaction(con):
        batch = sql.run(con, "batch_by_id", batch_id=batch_id, in_transaction=True)
        if batch.empty:
            raise Refusal(f"没有编号为 {batch_id} 的导入批次")
        if pd.notna(batch["undone_at"].iloc[0]):
            raise Refusal(f"批次 {batch_id} 已经撤销过了")
        if account is not None:
            others = [f"{r} {a}" for a, r in sql.run(con, "batch_agencies", batch_id=batch_id, in_transaction=True)
                      .itertuples(index=False) if not account.may_change(a, r)]
            if others:
                raise Refusal(f"{account.name}（{account.role_zh}）不能撤销批次 {batch_id}：其中有 "
                                 f"{'、'.join(others[:3])}{' 等' if len(others) > 3 else ''}的报告")
        later = sql.run(con, "batch_reports_replaced_later", batch_id=batch_id, in_transaction=True)
        if not later.empty:
            first = later.iloc[0]
            raise Refusal(f"批次 {batch_id} 中 {first['agency']} {first['year']}年的报告已被批次 "
                             f"{first['later_batch']} 替换，请先撤销批次 {first['later_batch']}")
        n = sql.fetch(con, "undo_batch_reports", batch_id=batch_id, user=user)[0][0]
        sql.execute(con, "restore_replaced_reports", batch_id=batch_id)
        sql.execute(con, "mark_batch_undone", batch_id=batch_id, user=user)
        refresh_derived(con, _batch_regions(con, batch_id))
        db.bump_data_version(con)
    return n


def refresh_derived(con: duckdb.DuckDBPyConnection, region_ids: list[int]) -> None:
    """Recompute what is stored about the regions whose current reports just changed: the 汇总 comparisons
    (summary_totals) and the rule violations (rule_issues)."""
    if region_ids:
        sql.execute(con, "delete_summary_totals", regions=region_ids)
        sql.execute(con, "insert_summary_totals", regions=region_ids)
        rule_store.refresh(con, region_ids)


def _batch_regions(con, batch_id: int) -> list[int]:
    return [r for (r,) in sql.fetch(con, "batch_regions", batch_id=batch_id)]
