"""Rows of a wide or long table (data-contract.md §7) -> report drafts, with every problem in the file as an Issue."""
from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from disclosure.contract import catalog, values
from disclosure.contract.agencies import clean_name, normalize_kind
from disclosure.contract.catalog import VERSIONS, normalize_label
from disclosure.contract.cell_names import cell_name
from disclosure.issues import ERROR, WARNING, Issue
from disclosure.read.cell_block import Cell, CellBlock, RowCells
from disclosure.read.read_table import Table

# identification columns: the English name of data-contract.md §7 and the Chinese headers people write
ID_COLUMNS = {
    "agency": ("agency", "单位名称", "单位", "机关名称"),
    "year": ("year", "年度", "年份", "报告年度"),
    "kind": ("kind", "单位类型", "类型"),
    "parent": ("parent", "所属地区", "地区", "行政区划"),
    "version": ("version", "表格版本", "版本"),
    "metric": ("metric", "指标", "指标代码", "指标名称"),
    "value": ("value", "数值", "值"),
}
PROGRESS_EVERY = 1000  # rows between progress reports
MAX_SUGGESTIONS = 20  # unknown names given a "did you mean" each: a fuzzy match scans the whole catalogue
ONLY_VERSION = {code: v for v in VERSIONS for code in catalog.only_in(v)}  # the form version a code belongs to alone
_ID_LOOKUP = {normalize_label(h): name for name, hs in ID_COLUMNS.items() for h in hs}


@dataclass
class Draft:
    """One report as the file states it, before it is matched with what is stored."""

    file: str
    line: int
    agency: str
    parent: str
    kind: str  # as given, when the text names a kind for sure (县级部门 -> 部门); "" otherwise
    year: int
    version: str
    cells: RowCells  # code -> Cell
    issues: list[Issue] = field(default_factory=list)
    kind_text: str = ""  # the 单位类型 as written; ingest settles the kind from it, the name, or the user's choice
    # filled in by ingest.prepare
    region_path: str = ""
    agency_id: int | None = None
    agency_name: str = ""
    status: str = ""  # new, replace, unchanged, conflict
    stored_report_id: int | None = None
    diff: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    suggested: dict[str, float] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.file}:{self.line}"

    def values(self) -> dict[str, float]:
        return self.cells.numbers()


def drafts_from_table(table: Table, progress: Callable[[float], None] = lambda done: None
                      ) -> tuple[list[Draft], list[Issue]]:
    """Drafts and issues of one table; `progress` hears the share of rows read, for big files."""
    issues = list(table.issues)
    if any(i.is_error for i in issues):
        return [], issues
    if not table.header:
        return [], issues + [_file_issue(table, "empty-file", "文件为空，没有表头和数据")]
    columns, header_issues = _map_header(table)
    issues += header_issues
    if not table.rows:
        return [], issues + [_file_issue(table, "header-only", "文件只有表头，没有数据行", row=1)]
    # Millions of new cells, none of them in a reference cycle: the cyclic garbage collector would only
    # rescan the growing heap again and again, so it pauses while they are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if "metric" in columns.values() or "value" in columns.values():
            drafts, row_issues = _long(table, columns, progress)
        else:
            drafts, row_issues = _wide(table, columns, progress)
    finally:
        if collecting:
            gc.enable()
    return drafts, issues + row_issues


def columns_of(table: Table) -> dict[int, str]:
    """Column index -> what it holds: an identification name (agency, year, metric, value …) or a metric code."""
    return _map_header(table)[0]


def _file_issue(table: Table, code: str, message: str, row: int | None = None, **kw) -> Issue:
    return Issue(code=code, severity=ERROR, message=message, file=table.file, row=row, **kw)


def _map_header(table: Table) -> tuple[dict[int, str], list[Issue]]:
    """Column index -> an identification name or a metric code; unknown and repeated columns are issues."""
    columns: dict[int, str] = {}
    first_seen: dict[str, int] = {}
    issues = []
    suggest = _suggester()
    for i, header in enumerate(table.header):
        if not header.strip():
            if any(i < len(r.cells) and r.cells[i].strip() for r in table.rows):
                issues.append(_file_issue(table, "unknown-column", f"第{i + 1}列没有表头，却填了数值", row=1,
                                          column=""))
            continue
        name = _ID_LOOKUP.get(normalize_label(header))
        if name is None:
            metric = catalog.lookup(header)
            if metric is None:
                close = suggest(header)
                issues.append(_file_issue(table, "unknown-column", f"无法识别的列「{header}」", row=1, column=header,
                                          value=header, suggestion=f"是否为「{close[0]}」？" if close else ""))
                continue
            name = metric.code
        if name in first_seen:
            issues.append(_file_issue(table, "duplicate-column",
                                      f"列「{header}」与第{first_seen[name] + 1}列「{table.header[first_seen[name]]}」"
                                      "是同一项，请删除其中一列", row=1, column=header, value=header))
            continue
        first_seen[name] = i
        columns[i] = name
    for required in ("agency", "year"):
        if required not in first_seen:
            slug = f"missing-{required}"
            label = "单位名称（agency）" if required == "agency" else "年度（year）"
            issues.append(_file_issue(table, slug, f"缺少「{label}」列", row=1))
    return columns, issues


def _suggester() -> Callable[[str], list[str]]:
    """catalog.closest_headers for the first MAX_SUGGESTIONS distinct unknown names of a file, [] after them: a file
    of 100,000 unknown columns is told about each in linear time."""
    asked: dict[str, list[str]] = {}

    def suggest(name: str) -> list[str]:
        if name not in asked and len(asked) < MAX_SUGGESTIONS:
            asked[name] = catalog.closest_headers(name)
        return asked.get(name, [])

    return suggest


def _identify(table: Table, row, columns: dict[int, str], issues: list[Issue]) -> dict | None:
    """The agency, year, kind, parent and version a row names; None when it cannot be a report."""
    given = {name: row.cells[i] for i, name in columns.items() if name in ID_COLUMNS}
    header = {name: table.header[i] for i, name in columns.items() if name in ID_COLUMNS}
    ok = True
    agency = clean_name(given.get("agency", ""))
    if not agency and "agency" in header:
        issues.append(_file_issue(table, "missing-agency", f"第{row.line}行缺少单位名称", row=row.line,
                                  column=header["agency"]))
        ok = False
    year = None
    if "year" in header:
        year, slug, message = values.parse_year(given.get("year", ""))
        if slug:
            issues.append(_file_issue(table, slug, f"第{row.line}行{message}", row=row.line, column=header["year"],
                                      value=given.get("year", ""), rule="R5" if slug == "not-a-number" else ""))
            ok = False
    kind_text = values.clean(given.get("kind", ""))
    kind = normalize_kind(kind_text) or ""
    version = ""
    if values.clean(given.get("version", "")):
        version = values.clean(given["version"]).removesuffix("版").removesuffix(".0")
        if version not in VERSIONS:
            issues.append(_file_issue(table, "unknown-version", f"第{row.line}行表格版本「{given['version']}」"
                                      "应为 2019 或 2021", row=row.line, column=header["version"],
                                      value=given["version"]))
            ok = False
    if not ok or year is None or not agency:
        return None
    return {"agency": agency, "year": year, "kind": kind, "kind_text": kind_text, "version": version,
            "parent": values.clean(given.get("parent", ""))}


def _parse_cell(table: Table, line: int, column: str, code: str, text: str, issues: list[Issue]) -> Cell | None:
    parsed = values.parse_value(text, catalog.by_code()[code])
    if parsed.error:
        issues.append(_file_issue(table, parsed.error, f"第{line}行「{cell_name(code)}」：{parsed.message}", row=line,
                                  column=column, value=text, rule="R5", suggestion=parsed.suggestion))
        return None
    if parsed.value is None:
        return None
    return Cell(code, parsed.value, text, column, line, unit=parsed.unit)


def _only_in_versions(written: dict[str, str]) -> dict[str, list[str]]:
    """Per form version, the headers of the written cells that belong to that version alone."""
    only = {v: [] for v in VERSIONS}
    for code, header in written.items():
        if code in ONLY_VERSION:
            only[ONLY_VERSION[code]].append(header)
    return only


def _settle_version(table: Table, line: int, ids: dict, only: dict[str, list[str]], issues: list[Issue]) -> str | None:
    """The form version of a report: as given, else from the version-only cells (`only`: the headers written
    per version), else from the year."""
    if only["2019"] and only["2021"]:
        issues.append(_file_issue(table, "mixed-versions",
                                  f"第{line}行同时填了 2019 版独有的列（{'、'.join(only['2019'][:3])}）"
                                  f"和 2021 版独有的列（{'、'.join(only['2021'][:3])}），一份报告只能用一个版本",
                                  row=line, column=only["2021"][0], value=""))
        return None
    if ids["version"]:
        other = "2021" if ids["version"] == "2019" else "2019"
        if only[other]:
            issues.append(_file_issue(table, "mixed-versions",
                                      f"第{line}行表格版本为 {ids['version']}，却填了 {other} 版独有的列"
                                      f"（{'、'.join(only[other][:3])}）", row=line, column=only[other][0]))
            return None
        return ids["version"]
    for v in VERSIONS:
        if only[v]:
            return v
    return "2019" if ids["year"] <= 2020 else "2021"


def _wide(table: Table, columns: dict[int, str], progress) -> tuple[list[Draft], list[Issue]]:
    id_columns = {i: name for i, name in columns.items() if name in ID_COLUMNS}
    metric_columns = [(i, code, table.header[i]) for i, code in columns.items() if code not in ID_COLUMNS]
    block, written, cell_issues = _read_cells(table, metric_columns, lambda done: progress(0.8 * done))
    only_columns = {v: [j for j, (_, code, _) in enumerate(metric_columns) if ONLY_VERSION.get(code) == v]
                    for v in VERSIONS}
    only_written = {v: written[:, cols] for v, cols in only_columns.items()}
    any_written = written.any(axis=1)
    drafts, issues, by_year = [], [], []
    for n, row in enumerate(table.rows):
        if n % PROGRESS_EVERY == 0:
            progress(0.8 + 0.2 * n / len(table.rows))
        ids = _identify(table, row, id_columns, issues)
        issues += cell_issues.get(n, ())
        if ids is None:
            continue
        if not any_written[n]:
            issues.append(_file_issue(table, "empty-report", f"第{row.line}行（{ids['agency']} {ids['year']}年）"
                                      "没有填任何指标数值", row=row.line))
            continue
        only = {v: [metric_columns[only_columns[v][k]][2] for k in np.flatnonzero(only_written[v][n])]
                for v in VERSIONS}
        version = _settle_version(table, row.line, ids, only, issues)
        if version is None:
            continue
        if not ids["version"] and not only[version]:
            by_year.append(row.line)
        drafts.append(Draft(table.file, row.line, ids["agency"], ids["parent"], ids["kind"], ids["year"],
                            version, block.row(n), kind_text=ids["kind_text"]))
    if by_year:
        issues.append(Issue(code="version-by-year", severity=WARNING, file=table.file, row=by_year[0],
                            message=f"{_lines(by_year)}未填表格版本，且只填了两版共有的指标，已按年度推定"
                                    "（2020年及以前为 2019 版，之后为 2021 版）"))
    return drafts, issues


def _read_cells(table: Table, metric_columns: list[tuple[int, str, str]], progress
                ) -> tuple[CellBlock, np.ndarray, dict[int, list[Issue]]]:
    """Every metric cell of a wide table, a column at a time: the plain whole numbers most cells hold are
    converted in bulk, the rest go through the general parser. Returns the block, which cells hold anything
    (rows × columns, a dash or 无 holds nothing) and each row's issues."""
    rows, width, m = table.rows, len(table.header), len(metric_columns)
    padded = [r.cells if len(r.cells) >= width else r.cells + [""] * (width - len(r.cells)) for r in rows]
    by_column = list(zip(*padded))
    numbers, present = np.zeros((len(rows), m)), np.zeros((len(rows), m), dtype=bool)
    written = np.zeros((len(rows), m), dtype=bool)
    raws, details, cell_issues = [], {}, {}
    for j, (i, code, header) in enumerate(metric_columns):
        progress(j / max(m, 1))
        texts = np.array(by_column[i], dtype=object)
        arrow = pa.array(texts, pa.string())
        length = pc.utf8_length(arrow)
        plain = pc.and_(pc.and_(pc.utf8_is_digit(arrow), pc.string_is_ascii(arrow)),
                        pc.less_equal(length, 15))  # up to 15 digits a float holds exactly
        numbers[:, j] = pc.cast(pc.if_else(plain, arrow, None), pa.float64()).to_numpy(zero_copy_only=False)
        plain = plain.to_numpy(zero_copy_only=False)
        present[:, j] = written[:, j] = plain
        for r in np.flatnonzero(~plain & (length.to_numpy(zero_copy_only=False) > 0)):
            text = texts[r]
            if values.is_missing(text):
                continue
            written[r, j] = True
            cell = _parse_cell(table, rows[r].line, header, code, text, cell_issues.setdefault(int(r), []))
            if cell is not None:
                numbers[r, j], present[r, j] = cell.value, True
                if cell.unit:
                    details[int(r), j] = {"unit": cell.unit}
        raws.append(texts)
    column_of = {i: j for j, (i, _, _) in enumerate(metric_columns)}
    for r, row in enumerate(rows):
        for i, origin in row.origins.items():  # cells edited on the page
            j = column_of.get(i)
            if j is not None and present[r, j]:
                details.setdefault((r, j), {})["origin"] = origin
    block = CellBlock([code for _, code, _ in metric_columns], [h for _, _, h in metric_columns],
                      [r.line for r in rows], numbers, present, raws, details)
    return block, written, cell_issues


def _long(table: Table, columns: dict[int, str], progress) -> tuple[list[Draft], list[Issue]]:
    issues = []
    for required in ("metric", "value"):
        if required not in columns.values():
            issues.append(_file_issue(table, "unknown-column", f"长表缺少「{required}」列", row=1))
    if issues:
        return [], issues
    metric_col = next(i for i, n in columns.items() if n == "metric")
    value_col = next(i for i, n in columns.items() if n == "value")
    groups: dict[tuple, dict] = {}
    suggest = _suggester()
    for n, row in enumerate(table.rows):
        if n % (PROGRESS_EVERY * 100) == 0:
            progress(n / len(table.rows))
        ids = _identify(table, row, columns, issues)
        name, text = row.cells[metric_col], row.cells[value_col]
        metric = catalog.lookup(name) if name.strip() else None
        if metric is None:
            close = suggest(name) if name.strip() else []
            issues.append(_file_issue(table, "unknown-column", f"第{row.line}行指标「{name}」无法识别",
                                      row=row.line, column=table.header[metric_col], value=name,
                                      suggestion=f"是否为「{close[0]}」？" if close else ""))
            continue
        cell = None if values.is_missing(text) else _parse_cell(table, row.line, name, metric.code, text, issues)
        if ids is None:
            continue
        key = (ids["agency"], ids["parent"], ids["year"])
        group = groups.setdefault(key, {"ids": ids, "line": row.line, "cells": {}, "written": {}, "lines": {}})
        for field_ in ("kind", "version"):
            if ids[field_] and group["ids"][field_] and ids[field_] != group["ids"][field_]:
                issues.append(_file_issue(table, "conflicting-ids",
                                          f"第{row.line}行的{'单位类型' if field_ == 'kind' else '表格版本'}"
                                          f"「{ids[field_]}」与第{group['line']}行「{group['ids'][field_]}」不一致",
                                          row=row.line, value=ids[field_]))
            group["ids"][field_] = group["ids"][field_] or ids[field_]
        group["ids"]["kind_text"] = group["ids"]["kind_text"] or ids["kind_text"]
        if metric.code in group["lines"]:
            issues.append(_file_issue(table, "duplicate-cell",
                                      f"第{row.line}行的指标「{name}」在第{group['lines'][metric.code]}行已出现过",
                                      row=row.line, column=table.header[metric_col], value=name))
            continue
        group["lines"][metric.code] = row.line
        if cell is not None or not values.is_missing(text):
            group["written"][metric.code] = name
        if cell is not None:
            cell.origin = row.origins.get(value_col, "file")
            group["cells"][metric.code] = cell
    settled = []
    for group in groups.values():
        if group["written"]:
            version = _settle_version(table, group["line"], group["ids"], _only_in_versions(group["written"]), issues)
            if version is not None:
                settled.append((group, version))
    block = CellBlock.of_cells([group["cells"] for group, _ in settled])
    drafts = [Draft(table.file, group["line"], group["ids"]["agency"], group["ids"]["parent"], group["ids"]["kind"],
                    group["ids"]["year"], version, block.row(k), kind_text=group["ids"]["kind_text"])
              for k, (group, version) in enumerate(settled)]
    return drafts, issues


def _lines(lines: list[int]) -> str:
    shown = "、".join(str(n) for n in lines[:5])
    return f"第{shown}行" + (f"等 {len(lines)} 行" if len(lines) > 5 else "")
