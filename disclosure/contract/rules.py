"""勾稽关系 and conventions (data-contract.md §4) over a wide frame of reports -> list[Issue]; never stops at the first."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from disclosure.contract import catalog, cell_names
from disclosure.contract.catalog import CHANNELS, S3_COLUMNS, S4_BLOCKS
from disclosure.issues import ERROR, WARNING, Issue

S3_COL_ZH = dict(zip(S3_COLUMNS + ("total",), ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")))
S4_BLOCK_ZH = {"review": "行政复议", "suit_direct": "行政诉讼（未经复议直接起诉）", "suit_after_review": "行政诉讼（复议后起诉）"}
TOWNSHIP_KINDS = ("乡", "镇", "街道")


@dataclass(frozen=True)
class Equation:
    """sum(left) = sum(right): the form's arithmetic, one instance per column, row or block."""

    rule: str
    slug: str
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_label: str
    right_label: str
    where: str  # the column, row or block, as the message names it
    names: tuple[str, ...] = ()  # each term of left + right as the message names it (the form's row or column)

    def message(self, a: float, b: float, values: dict[str, float] | None = None) -> str:
        """自然人列（三、收到和处理政府信息公开申请情况）：本年新收 2 + 上年结转 1 = 3 ≠ 办理结果总计 2 + 结转下年度 0 = 2，
        相差 1 — every cell of the equation with its value, and the difference; without values, the two sums."""
        if values is None or not self.names:
            return f"{self.where} {self.left_label} ({_fmt(a)}) ≠ {self.right_label} ({_fmt(b)})"
        named = dict(zip(self.left + self.right, self.names))
        section = cell_names.SECTION_TITLES[catalog.by_code()[self.left[0]].section]
        left = _side([(named[c], values[c]) for c in self.left], a)
        right = _side([(named[c], values[c]) for c in self.right], b)
        return f"{self.where}（{section}）：{left} ≠ {right}，相差 {_fmt(abs(a - b))}"


SHOWN_TERMS = 8  # a longer side (the 20-odd 办理结果 rows) names its non-zero cells and counts the rest


def _side(terms: list[tuple[str, float]], total: float) -> str:
    if len(terms) == 1:
        return f"{terms[0][0]} {_fmt(terms[0][1])}"
    shown = terms if len(terms) <= SHOWN_TERMS else [(n, v) for n, v in terms if v != 0]
    rest = len(terms) - len(shown)
    text = " + ".join(f"{n} {_fmt(v)}" for n, v in shown) or "各项"
    return f"{text}{f'（其余 {rest} 项为 0）' if rest and shown else ('均为 0' if rest else '')} = {_fmt(total)}"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@functools.cache
def _s3_rows(version: str) -> list[str]:
    seen = []
    for code in catalog.codes(version):
        if code.startswith("s3.") and code.endswith(".total"):
            seen.append(code.split(".")[1])
    return seen


@functools.cache
def outcome_rows(version: str) -> list[str]:
    """The 办理结果 rows that add up to （七）总计."""
    rows = _s3_rows(version)
    return rows[rows.index("granted"): rows.index("handled_total")]


def _row_name(code: str) -> str:
    """A section-三 row as a column-wise equation names it: 本年新收, (三)1 属于国家秘密, (七)总计."""
    return catalog.label(code).rsplit(" ", 1)[0]


@functools.cache
def equations(version: str) -> tuple[Equation, ...]:
    eqs = []
    for c in S3_COLUMNS + ("total",):
        left, right = (f"s3.new.{c}", f"s3.carried_in.{c}"), (f"s3.handled_total.{c}", f"s3.carried_out.{c}")
        eqs.append(Equation("R1", "r1-balance", left, right, "本年新收+上年结转", "办理结果总计+结转下年度",
                            f"{S3_COL_ZH[c]}列", ("本年新收", "上年结转", "办理结果总计", "结转下年度")))
    for r in _s3_rows(version):
        right = tuple(f"s3.{r}.{c}" for c in S3_COLUMNS)
        eqs.append(Equation("R2", "r2-row-total", (f"s3.{r}.total",), right, "总计", "自然人至其他各列之和",
                            f"{_row_name(f's3.{r}.total')}行", ("总计", *(S3_COL_ZH[c] for c in S3_COLUMNS))))
    for c in S3_COLUMNS + ("total",):
        right = tuple(f"s3.{r}.{c}" for r in outcome_rows(version))
        eqs.append(Equation("R3", "r3-outcome-total", (f"s3.handled_total.{c}",), right,
                            "办理结果总计", "各项办理结果之和", f"{S3_COL_ZH[c]}列",
                            ("办理结果总计", *(_row_name(code) for code in right))))
    for b in S4_BLOCKS:
        parts = ("upheld", "corrected", "other", "pending")
        eqs.append(Equation("R4", "r4-appeal-total", (f"s4.{b}.total",), tuple(f"s4.{b}.{p}" for p in parts),
                            "总计", "维持+纠正+其他+未审结之和", S4_BLOCK_ZH[b],
                            ("总计", *(catalog.by_code()[f"s4.{b}.{p}"].column_label for p in parts))))
    return tuple(eqs)


def check(frame: pd.DataFrame, previous: pd.DataFrame | None = None) -> list[Issue]:
    """Every rule violation in `frame`.

    `frame` holds one row per report: columns agency, year, version, kind, county_level (bool),
    key (agency identity), optionally file and line, and one float column per metric code
    (NaN = missing). `previous` holds reports of earlier years with the same columns, for the
    year-to-year rules (C1–C3, P2); it may be `frame` itself.
    """
    issues: list[Issue] = []
    for version in catalog.VERSIONS:
        part = frame[frame["version"] == version]
        if part.empty:
            continue
        for eq in equations(version):
            issues += _check_equation(part, eq)
        issues += _check_values(part, version)
    issues += _check_channels(frame)
    issues += _check_township_rules(frame)
    if previous is not None and not previous.empty:
        issues += _check_year_to_year(frame, previous)
    return issues


def _cols(frame: pd.DataFrame, codes) -> pd.DataFrame:
    return frame.reindex(columns=list(codes)).astype("float64")


def _issue(row, slug: str, rule: str, severity: str, message: str, cells: dict, focus: str, suggestion="") -> Issue:
    return Issue(code=slug, rule=rule, severity=severity, message=message,
                 file=row.get("file", "") or "", row=_int_or_none(row.get("line")),
                 column=focus, agency=row["agency"], year=int(row["year"]),
                 cells={k: float(v) for k, v in cells.items() if pd.notna(v)}, suggestion=suggestion)


def _int_or_none(x):
    return None if x is None or pd.isna(x) else int(x)


def _check_equation(part: pd.DataFrame, eq: Equation) -> list[Issue]:
    left, right = _cols(part, eq.left), _cols(part, eq.right)
    complete = left.notna().all(axis=1) & right.notna().all(axis=1)
    a, b = left.sum(axis=1), right.sum(axis=1)
    bad = complete & ((a - b).abs() > 1e-9)
    out = []
    for idx in part.index[bad.to_numpy()]:
        row = part.loc[idx]
        cells = {c: row[c] for c in eq.left + eq.right}
        out.append(_issue(row, eq.slug, eq.rule, ERROR, eq.message(a[idx], b[idx], cells), cells, eq.left[0]))
    return out


def _check_values(part: pd.DataFrame, version: str) -> list[Issue]:
    """R5 on numbers already parsed (stored data, or cells corrected by hand)."""
    out = []
    for code in catalog.codes(version):
        if code not in part.columns:
            continue
        m = catalog.by_code()[code]
        v = part[code].astype("float64")
        negative = (v < 0) & (not m.may_be_negative)
        fraction = v.notna() & (v != np.floor(v)) & m.is_integer
        for idx in part.index[(negative | fraction).fillna(False).to_numpy()]:
            row, x = part.loc[idx], v[idx]
            slug, what = ("negative-count", "不能为负数") if x < 0 else ("not-an-integer", "应为整数")
            out.append(_issue(row, slug, "R5", ERROR, f"「{cell_names.cell_name(code, version)}」({_fmt(x)}) {what}",
                              {code: x}, code))
    return out


def _check_channels(frame: pd.DataFrame) -> list[Issue]:
    channels = _cols(frame, [f"s1.channel.{c}" for c in CHANNELS])
    total = _cols(frame, ["s1.published_total"])["s1.published_total"]
    parts = channels.sum(axis=1, min_count=1)
    bad = total.notna() & parts.notna() & ((parts - total).abs() > 1e-9)
    out = []
    for idx in frame.index[bad.to_numpy()]:
        row = frame.loc[idx]
        cells = {"s1.published_total": total[idx], **channels.loc[idx].dropna().to_dict()}
        out.append(_issue(row, "c4-channel-sum", "C4", WARNING,
                          f"各公开渠道条数之和 ({_fmt(parts[idx])}) ≠ 主动公开信息总数 ({_fmt(total[idx])})",
                          cells, "s1.published_total"))
    return out


def _check_township_rules(frame: pd.DataFrame) -> list[Issue]:
    rules_cells = _cols(frame, [c for c in catalog.by_code() if c.startswith("s2.rules.")])
    local = frame["kind"].isin(TOWNSHIP_KINDS) | ((frame["kind"] == "部门") & frame["county_level"].astype(bool))
    bad = local & (rules_cells.fillna(0) > 0).any(axis=1)
    out = []
    for idx in frame.index[bad.to_numpy()]:
        row = frame.loc[idx]
        cells = {c: v for c, v in rules_cells.loc[idx].items() if v > 0}
        out.append(_issue(row, "p1-township-rules", "P1", WARNING,
                          f"{row['kind']}级单位无规章制定权，规章数应为 0，报告填了 "
                          + "、".join(f"{catalog.label(c)} {_fmt(v)}" for c, v in cells.items()),
                          cells, next(iter(cells))))
    return out


def _check_year_to_year(frame: pd.DataFrame, previous: pd.DataFrame) -> list[Issue]:
    keep = [c for c in previous.columns if c in ("key", "year", "version") or c.startswith(("s2.", "s3.carried_out"))]
    prev = previous[keep].rename(columns=lambda c: c if c in ("key", "year") else f"{c}@prev")
    prev["year"] = prev["year"] + 1  # align last year's report with this year's
    joined = frame.reset_index(drop=True).merge(prev, on=["key", "year"], how="inner")
    out = []
    for c in S3_COLUMNS + ("total",):
        now, before = f"s3.carried_in.{c}", f"s3.carried_out.{c}@prev"
        out += _compare(joined, now, [before], [], "c1-carry-over", "C1",
                        lambda a, b, c=c: f"{S3_COL_ZH[c]}列 本年上年结转 ({a}) ≠ 上一年度结转下年度 ({b})")
    v21 = joined[(joined["version"] == "2021") & (joined.get("version@prev") == "2021")]
    for r in ("rules", "normdocs"):
        name = catalog.by_code()[f"s2.{r}.in_force"].row_label
        out += _compare(v21, f"s2.{r}.in_force", [f"s2.{r}.in_force@prev", f"s2.{r}.issued"], [f"s2.{r}.repealed"],
                        "c2-in-force", "C2",
                        lambda a, b, name=name: f"{name} 现行有效件数 ({a}) ≠ 上年现行有效+本年制发−本年废止 ({b})")
        out += _exceeds(v21, r, name)
    v19 = joined[(joined["version"] == "2019") & (joined.get("version@prev") == "2019")]
    for r in ("licensing", "other_services", "penalties", "coercion", "fees"):
        name = catalog.by_code()[f"s2.{r}.prev_items"].row_label
        out += _compare(v19, f"s2.{r}.prev_items", [f"s2.{r}.prev_items@prev", f"s2.{r}.delta@prev"], [],
                        "c3-item-count", "C3",
                        lambda a, b, name=name: f"{name} 上一年项目数量 ({a}) ≠ 上年报告的上一年项目数量+本年增/减 ({b})")
    return out


def _compare(joined, target, plus, minus, slug, rule, message) -> list[Issue]:
    cols = _cols(joined, [target, *plus, *minus])
    complete = cols.notna().all(axis=1)
    expected = cols[plus].sum(axis=1) - cols[minus].sum(axis=1)
    bad = complete & ((cols[target] - expected).abs() > 1e-9)
    out = []
    for i in joined.index[bad.to_numpy()]:
        row = joined.loc[i]
        cells = {_cell_name(c, row["year"]): row[c] for c in [target, *plus, *minus]}
        out.append(_issue(row, slug, rule, WARNING, message(_fmt(cols.at[i, target]), _fmt(expected[i])),
                          cells, target))
    return out


def _cell_name(column: str, year: int) -> str:
    """Last year's cells are named code@year in an issue's cells."""
    return column.replace("@prev", f"@{int(year) - 1}")


def _exceeds(v21, r, name) -> list[Issue]:
    cols = _cols(v21, [f"s2.{r}.repealed", f"s2.{r}.in_force@prev", f"s2.{r}.issued"])
    limit = cols[f"s2.{r}.in_force@prev"] + cols[f"s2.{r}.issued"]
    bad = cols.notna().all(axis=1) & (cols[f"s2.{r}.repealed"] > limit)
    out = []
    for i in v21.index[bad.to_numpy()]:
        row = v21.loc[i]
        out.append(_issue(row, "p2-repeal-exceeds", "P2", WARNING,
                          f"{name} 本年废止件数 ({_fmt(cols.at[i, f's2.{r}.repealed'])}) 超过 上年现行有效+本年制发 ({_fmt(limit[i])})",
                          {_cell_name(c, row["year"]): row[c] for c in cols.columns}, f"s2.{r}.repealed"))
    return out


def suggest(values: dict[str, float], version: str) -> dict[str, float]:
    """Missing cells that R1–R4 and non-negativity determine uniquely; never values read."""
    if all(c in values for c in catalog.table_codes(version)):
        return {}  # nothing missing, nothing to suggest
    known = dict(values)
    found: dict[str, float] = {}
    changed = True
    while changed:
        changed = False
        for eq in equations(version):
            terms = [(c, 1) for c in eq.left] + [(c, -1) for c in eq.right]
            unknown = [(c, s) for c, s in terms if c not in known]
            if not unknown:
                continue
            residual = sum(s * known[c] for c, s in terms if c in known)
            if len(unknown) == 1:
                c, s = unknown[0]
                x = -residual / s
                if x < 0 or not float(x).is_integer():
                    continue
                solved = {c: x}
            elif residual == 0 and len({s for _, s in unknown}) == 1:
                solved = {c: 0.0 for c, _ in unknown}  # unknowns of one sign summing to 0 are all 0
            else:
                continue
            known.update(solved)
            found.update(solved)
            changed = True
    return found
