"""The synthetic county 示例县: a believable wide frame of reports (data-contract.md §7, magnitudes of §9) with planted faults.

Pure and deterministic: the same seed gives the same frame. Every report satisfies R1–R4, C1–C4 and
P1–P2, except the faults `demo_frame` plants and returns.

Why the faults sit where they do: the county's 汇总 report is the sum of all other reports of its
year, so a same-row fault (R1–R4, C4) in an agency's report would reappear in the 汇总 of that year,
and a year-to-year fault (C1, C2) would reappear in the 汇总's comparison with the year before. The
county published no 汇总 for 2022 (GAP_YEAR, a realistic hole for the "missing report" views), so
the same-row faults sit in 2022 and the year-to-year faults in 2023, where the 汇总 has nothing to
compare with. P1 is not checked for a 汇总, so it sits in an ordinary year.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd

from disclosure.contract import catalog
from disclosure.contract.catalog import CHANNELS, S3_COLUMNS, S4_BLOCKS
from disclosure.contract.rules import S3_COL_ZH, outcome_rows

COUNTY = "示例省/示例市/示例县"
SUMMARY = "示例县人民政府"  # the county's 汇总 report
GAP_YEAR = 2022  # no 汇总 report this year
MISMATCH_YEAR = 2024  # the 汇总 disagrees with the sum of its agencies this year
ID_COLUMNS = ["agency", "year", "kind", "parent", "version"]
TOWNSHIPS = ("乡", "镇", "街道")


@dataclass(frozen=True)
class Profile:
    """What one agency's reports look like; ranges are (low, high) per year."""

    name: str
    kind: str
    apps: tuple[int, int] = (2, 40)  # new applications, in a year that has any
    quiet: float = 0.15  # chance of a year without a single application
    published: tuple[int, int] = (30, 500)  # s1.published_total
    channels: tuple[str, ...] = ("website", "wechat")
    licensing: tuple[int, int] = (0, 60)  # decisions
    services: tuple[int, int] = (0, 40)
    penalties: tuple[int, int] = (0, 40)
    coercion: tuple[int, int] = (0, 5)
    normdocs: int = 4  # most normative documents issued in a year
    fees_wan: float = 5.0  # most fees collected in a year, 万元
    procurement: int = 12  # most government procurement projects in a year (2019 form)
    appeals: bool = False  # sees administrative reconsideration and lawsuits at all
    first: int = 2019  # first report
    gaps: tuple[int, ...] = ()  # years without a report


def _town(name, kind, published, **kw) -> Profile:
    base = dict(apps=(1, 6), quiet=0.6, channels=("website", "wechat", "board"), licensing=(0, 20),
                services=(0, 20), penalties=(0, 15), coercion=(0, 3), normdocs=2, fees_wan=1.5, procurement=3)
    return Profile(name, kind, published=published, **(base | kw))


def _dept(name, **kw) -> Profile:
    return Profile("示例县" + name, "部门", **kw)


AGENCIES = (
    _town("城关镇", "镇", (150, 300), quiet=0.35, channels=("website", "wechat", "board", "new_media")),
    _town("青山乡", "乡", (40, 120)),
    _town("河口镇", "镇", (60, 220)),
    # misses 2023; issues no normative documents, so restarting after the gap keeps the 汇总's C2 intact
    _town("白沙乡", "乡", (10, 60), quiet=0.7, channels=("website", "wechat"), normdocs=0, gaps=(2023,)),
    _town("石门镇", "镇", (50, 180), quiet=0.5, channels=("website", "wechat", "board", "hall")),
    _town("柳林乡", "乡", (20, 90), quiet=0.7),
    _town("桃源镇", "镇", (80, 260), channels=("website", "wechat", "new_media")),
    _town("城东街道", "街道", (60, 200), quiet=0.5, channels=("website", "wechat", "board", "hall"), penalties=(150, 400)),
    _town("城西街道", "街道", (40, 150), quiet=0.5, channels=("website", "wechat", "hall")),
    _dept("教育局", apps=(2, 30), licensing=(10, 80), channels=("website", "wechat", "weibo")),
    _dept("自然资源局", apps=(150, 320), quiet=0.0, licensing=(100, 400), penalties=(20, 80), appeals=True),
    _dept("住房和城乡建设局", apps=(60, 180), quiet=0.0, licensing=(200, 600), penalties=(10, 60), appeals=True),
    _dept("公安局", apps=(2, 25), licensing=(300, 1500), penalties=(800, 3000), coercion=(50, 300),
          channels=("website", "wechat", "weibo", "new_media")),
    _dept("市场监督管理局", apps=(5, 50), licensing=(500, 2000), penalties=(150, 600), coercion=(10, 60)),
    _dept("人力资源和社会保障局", apps=(2, 30), licensing=(20, 100), penalties=(0, 20)),
    _dept("卫生健康委员会", apps=(2, 30), licensing=(100, 400), penalties=(20, 100), channels=("website", "wechat", "hall")),
    _dept("生态环境局", apps=(2, 40), penalties=(10, 60), coercion=(0, 10)),
    _dept("行政审批服务局", apps=(2, 20), licensing=(3000, 12000), services=(500, 3000), channels=("website", "wechat", "hall")),
    _dept("医疗保障局", apps=(0, 10), quiet=0.4, penalties=(5, 40), first=2021),  # set up in 2021
    Profile("示例县人民政府办公室", "政府", apps=(20, 120), quiet=0.0, published=(1200, 3000),
            channels=("website", "wechat", "weibo", "new_media", "press"), licensing=(0, 0), services=(0, 0),
            penalties=(0, 0), coercion=(0, 0), normdocs=15, fees_wan=0.0, appeals=True),
)

# Who files the applications, and how they end (relative weights).
APPLICANTS = dict(natural=78, business=12, research=1, nonprofit=1, legal=4, org_other=4)
APPLICANTS_TOWN = dict(natural=90, business=7, research=0, nonprofit=0, legal=0, org_other=3)
OUTCOMES = dict(granted=36, partial=8, deny_secret=.5, deny_law=1, deny_safety=.5, deny_third_party=1.5,
                deny_internal=1, deny_process=1, deny_enforcement=.5, deny_query=.5, unable_no_info=20,
                unable_need_create=5, unable_unclear=3, reject_petition=4, reject_repeat=3,
                reject_publication=.5, reject_mass=.5, reject_confirm=1, other=8)
OUTCOMES_TOWN = dict(granted=60, partial=8, unable_no_info=20, reject_petition=6, other=6)
OTHER_2021 = dict(other_no_correction=.5, other_no_fee=.05, other_misc=.45)  # how the 2021 form splits 其他处理
CARRY_OUT = 0.04  # chance that a pending application is carried into next year
APPEALS = (60, 10, 15, 15)  # upheld, corrected, other, pending

# Year-to-year faults, planted while generating so that the row itself stays balanced and later years chain on.
PLANT_CARRY_IN = ("示例县市场监督管理局", 2023, 1)  # C1: one more natural-person application carried in
PLANT_IN_FORCE = ("示例县卫生健康委员会", 2023, 20)  # C2: in_force counted since ever (现行有效件数 历史累计)


def _multinomial(rng: random.Random, n: int, weights) -> list[int]:
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        counts[i] += 1
    return counts


def _apportion(total: int, weights) -> list[int]:
    """Integer parts of `total` in proportion to `weights`, adding up to it exactly (largest remainder)."""
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _section1(rng: random.Random, p: Profile) -> dict:
    total = rng.randint(*p.published)
    if p.kind in TOWNSHIPS:  # WeChat carries a third to a half of a township's items
        wechat = rng.uniform(0.33, 0.5)
        others = [rng.uniform(0.2, 1) for ch in p.channels if ch != "wechat"]
        weights = iter(w * (1 - wechat) / sum(others) for w in others)
        shares = [wechat if ch == "wechat" else next(weights) for ch in p.channels]
    else:  # the portal carries most
        shares = [rng.uniform(1.5, 3) if ch == "website" else rng.uniform(0.2, 1) for ch in p.channels]
    cells = {f"s1.channel.{ch}": 0 for ch in CHANNELS}
    cells.update({f"s1.channel.{ch}": n for ch, n in zip(p.channels, _apportion(total, shares))})
    return {"s1.published_total": total, **cells}


def _section2(rng: random.Random, p: Profile, version: str, state: dict, year: int) -> dict:
    """Section 二; `state` carries item counts (2019 form) and documents in force (2021 form) to next year."""
    if version == "2019":
        cells = {f"s2.rules.{c}": 0 for c in ("made", "published", "public_total")}  # no 规章 below a city (P1)
        made = rng.randint(0, p.normdocs)
        state["public"] = state.get("public", rng.randint(0, 5 * p.normdocs)) + made
        cells.update({"s2.normdocs.made": made, "s2.normdocs.published": made, "s2.normdocs.public_total": state["public"]})
        start = {"licensing": p.licensing[1] // 20, "other_services": p.services[1] // 20,
                 "penalties": p.penalties[1] // 20, "coercion": p.coercion[1] // 10, "fees": 2 if p.kind in TOWNSHIPS else 8}
        for row, top in start.items():
            prev = state.setdefault("items", {}).get(row, rng.randint(0, max(1, top)))
            delta = rng.randint(-min(prev, 3), 3)  # item lists change by a few a year
            state["items"][row] = prev + delta  # C3: next year's prev_items
            cells.update({f"s2.{row}.prev_items": prev, f"s2.{row}.delta": delta})
        for row, span in (("licensing", p.licensing), ("other_services", p.services),
                          ("penalties", p.penalties), ("coercion", p.coercion)):
            cells[f"s2.{row}.decisions"] = rng.randint(*span)
        projects = rng.randint(0, p.procurement)
        cells["s2.procurement.projects"] = projects
        # 元, in halves (70487.5): decimals as reports print them, and exact in binary so sums stay exact
        cells["s2.procurement.amount"] = sum(round(rng.uniform(5_000, 150_000) * 2) / 2 for _ in range(projects))
        return cells
    cells = {f"s2.rules.{c}": 0 for c in ("issued", "repealed", "in_force")}
    before = state.get("in_force")
    if before is None:  # the first report on the 2021 form may start from any count
        before = rng.randint(0, 8 * p.normdocs)
    issued = rng.randint(0, p.normdocs)
    repealed = rng.randint(0, min(before + issued, p.normdocs))  # never more than there is (P2)
    state["in_force"] = before + issued - repealed  # C2
    if (p.name, year) == PLANT_IN_FORCE[:2]:
        state["in_force"] += PLANT_IN_FORCE[2]
    cells.update({"s2.normdocs.issued": issued, "s2.normdocs.repealed": repealed, "s2.normdocs.in_force": state["in_force"]})
    for row, span in (("licensing", p.licensing), ("penalties", p.penalties), ("coercion", p.coercion)):
        cells[f"s2.{row}.decisions"] = rng.randint(*span)
    cells["s2.fees.amount_wan"] = round(rng.uniform(0, p.fees_wan), 2) if rng.random() < 0.6 else 0.0
    return cells


def _section3(rng: random.Random, p: Profile, version: str, carried_in: dict) -> dict:
    """Section 三, balanced by construction (R1–R3): every pending application is handled once or carried out."""
    town = p.kind in TOWNSHIPS
    n = 0 if rng.random() < p.quiet else rng.randint(*p.apps)
    new = dict(zip(S3_COLUMNS, _multinomial(rng, n, list((APPLICANTS_TOWN if town else APPLICANTS).values()))))
    rows = outcome_rows(version)
    table = OUTCOMES_TOWN if town else OUTCOMES
    weights = [table.get(r, 0) + table["other"] * OTHER_2021.get(r, 0) for r in rows]
    cells = {}
    for c in S3_COLUMNS:
        pending = new[c] + carried_in[c]
        out = sum(rng.random() < CARRY_OUT for _ in range(pending))
        cells.update({f"s3.new.{c}": new[c], f"s3.carried_in.{c}": carried_in[c],
                      f"s3.handled_total.{c}": pending - out, f"s3.carried_out.{c}": out})
        cells.update({f"s3.{r}.{c}": k for r, k in zip(rows, _multinomial(rng, pending - out, weights))})
    for r in ("new", "carried_in", *rows, "handled_total", "carried_out"):
        cells[f"s3.{r}.total"] = sum(cells[f"s3.{r}.{c}"] for c in S3_COLUMNS)
    return cells


def _section4(rng: random.Random, p: Profile) -> dict:
    cells = {}
    for block, most in zip(S4_BLOCKS, (5, 3, 2)):
        n = rng.randint(0, most) if p.appeals else 0
        parts = dict(zip(("upheld", "corrected", "other", "pending"), _multinomial(rng, n, APPEALS)))
        cells.update({f"s4.{block}.{k}": v for k, v in parts.items()} | {f"s4.{block}.total": n})
    return cells


def agency_reports(rng: random.Random, years: range, agencies=AGENCIES, parent: str = COUNTY) -> list[dict]:
    """One dict per report of `agencies` (Profiles) in `years`, every rule satisfied (also used by bench/)."""
    rows = []
    for p in agencies:
        state, carry = {}, None
        for year in years:
            if year < p.first or year in p.gaps:
                state, carry = {}, None  # a missing report breaks the chains; C1–C3 skip the gap too
                continue
            version = "2019" if year <= 2020 else "2021"
            if carry is None:  # only a 2019 report carries in from before the data starts
                big = year == years[0] and p.kind not in TOWNSHIPS
                carry = {c: rng.randint(0, 3) if big and c == "natural" else 0 for c in S3_COLUMNS}
            if (p.name, year) == PLANT_CARRY_IN[:2]:
                carry["natural"] += PLANT_CARRY_IN[2]
            cells = {**_section1(rng, p), **_section2(rng, p, version, state, year),
                     **_section3(rng, p, version, carry), **_section4(rng, p)}
            carry = {c: cells[f"s3.carried_out.{c}"] for c in S3_COLUMNS}
            rows.append({"agency": p.name, "year": year, "kind": p.kind, "parent": parent, "version": version, **cells})
    return rows


def _fault(agency, year, rule, code, note, cells) -> dict:
    return {"agency": agency, "year": year, "rule": rule, "code": code, "note": note, "cells": list(cells)}


def _plant(frame: pd.DataFrame) -> list[dict]:
    """Plant the same-row faults and blanks in place; one entry per issue record rules.check will produce, then the blanks."""
    def at(agency, year):
        return frame.index[(frame["agency"] == agency) & (frame["year"] == year)][0]

    out = []
    i = at("石门镇", GAP_YEAR)  # R1: one application more received than handled and carried over
    frame.loc[i, ["s3.new.natural", "s3.new.total"]] += 1
    for c in ("natural", "total"):
        out.append(_fault("石门镇", GAP_YEAR, "R1", "r1-balance", f"{S3_COL_ZH[c]}列 本年新收多填 1 件", [f"s3.new.{c}"]))
    i = at("示例县住房和城乡建设局", GAP_YEAR)  # R2 and R3: one cell mistyped, its row total and column total not
    frame.loc[i, "s3.partial.natural"] += 1
    for rule, code, what in (("R2", "r2-row-total", "部分公开 行总计"), ("R3", "r3-outcome-total", "自然人列 办理结果总计")):
        out.append(_fault("示例县住房和城乡建设局", GAP_YEAR, rule, code, f"部分公开 自然人 多填 1 件，{what}未随之改变",
                          ["s3.partial.natural"]))
    i = at("示例县人民政府办公室", GAP_YEAR)  # R4
    frame.loc[i, "s4.review.total"] += 1
    out.append(_fault("示例县人民政府办公室", GAP_YEAR, "R4", "r4-appeal-total", "行政复议 总计比各项之和多 1",
                      ["s4.review.total"]))
    i = at("青山乡", GAP_YEAR)  # C4: the parts add up to one less than the stated total (like 75+24+67 vs 167)
    frame.loc[i, "s1.channel.wechat"] -= 1
    out.append(_fault("青山乡", GAP_YEAR, "C4", "c4-channel-sum", "微信公众号条数少 1，各渠道之和比总数少 1",
                      ["s1.channel.wechat"]))
    i = at("柳林乡", 2020)  # P1: a township claims a 规章
    frame.loc[i, ["s2.rules.made", "s2.rules.published", "s2.rules.public_total"]] = 1
    out.append(_fault("柳林乡", 2020, "P1", "p1-township-rules", "乡级单位填报规章 1 件",
                      ["s2.rules.made", "s2.rules.published", "s2.rules.public_total"]))
    agency, year, k = PLANT_CARRY_IN
    for c in ("natural", "total"):
        out.append(_fault(agency, year, "C1", "c1-carry-over", f"{S3_COL_ZH[c]}列 上年结转比上年报告的结转下年度多 {k} 件",
                          [f"s3.carried_in.{c}"]))
    agency, year, k = PLANT_IN_FORCE
    out.append(_fault(agency, year, "C2", "c2-in-force", f"行政规范性文件 现行有效件数按历史累计填报，多 {k} 件",
                      ["s2.normdocs.in_force"]))
    # Blanks (missing, not zero): rows the views count as incomplete; no rule sees a missing term.
    # R5 ignores them too, once rules._check_values stops treating NaN as a fraction.
    for agency, year, codes, note in (
            ("河口镇", 2024, ["s3.carried_in.research"], "科研机构列 上年结转 留空（应为 0）"),
            ("示例县教育局", 2021, ["s2.fees.amount_wan"], "收费金额 留空"),
            ("城西街道", GAP_YEAR, [f"s1.channel.{ch}" for ch in CHANNELS], "只报总数，未分渠道"),
            ("示例县公安局", GAP_YEAR, [f"s1.channel.{ch}" for ch in CHANNELS], "只报总数，未分渠道")):
        frame.loc[at(agency, year), codes] = float("nan")
        out.append(_fault(agency, year, "", "missing-cells", note, codes))
    return out


def summaries(frame: pd.DataFrame, years: range, name: str = SUMMARY, parent: str = COUNTY,
              gap: int | None = GAP_YEAR) -> pd.DataFrame:
    """The county's 汇总 reports: the sum of what its agencies reported (blanks skipped), none for the `gap` year."""
    rows = []
    for year in years:
        if year == gap:
            continue
        part = frame[frame["year"] == year]
        version = part["version"].iloc[0]
        sums = part[list(catalog.codes(version))].sum(min_count=1)
        decimals = [m.code for m in catalog.metrics() if not m.is_integer]
        sums[sums.index.isin(decimals)] = sums[sums.index.isin(decimals)].round(2)
        rows.append({"agency": name, "year": year, "kind": "汇总", "parent": parent, "version": version, **sums})
    return pd.DataFrame(rows)


def demo_frame(seed: int = 2019, last_year: int = 2025) -> tuple[pd.DataFrame, list[dict]]:
    """The synthetic county 示例县: a wide frame (data-contract.md §7) and the deliberate rule violations in it.

    One row per report: columns ID_COLUMNS, then every metric code in catalogue order as float (NaN where
    the row's version has no such cell, or a cell was left blank). The list holds one dict per issue
    record `rules.check` reports (agency, year, rule, code, note, cells = the codes planted), followed by
    entries with rule "" that are not rule issues: code "missing-cells" (blank cells) and
    "summary-mismatch" (where the 汇总 differs from the sum of its agencies). last_year must be ≥ 2024.
    """
    if last_year < MISMATCH_YEAR:
        raise ValueError(f"last_year must be at least {MISMATCH_YEAR}: the planted faults need the years up to it")
    rng = random.Random(seed)
    years = range(2019, last_year + 1)
    columns = ID_COLUMNS + [m.code for m in catalog.metrics()]
    frame = pd.DataFrame(agency_reports(rng, years)).reindex(columns=columns)
    frame[columns[5:]] = frame[columns[5:]].astype("float64")
    faults = _plant(frame)
    summary = summaries(frame, years).reindex(columns=columns)
    # The 汇总 counts more natural-person applications than its agencies report (say, ones the county
    # government handled itself): all granted, so the 汇总 still satisfies R1–R3 on its own.
    k, i = 7, summary.index[summary["year"] == MISMATCH_YEAR][0]
    mismatch = [f"s3.{r}.{c}" for r in ("new", "granted", "handled_total") for c in ("natural", "total")]
    summary.loc[i, mismatch] += k
    faults.append(_fault(SUMMARY, MISMATCH_YEAR, "", "summary-mismatch",
                         f"汇总报告的本年新收、予以公开、办理结果总计（自然人、总计）比各单位之和多 {k} 件", mismatch))
    frame = pd.concat([frame, summary.astype(frame.dtypes.to_dict())], ignore_index=True)
    return frame, faults


NEW_AGENCY = ("示例县数据局", "部门", 2024)  # on the roster from 2024, no report yet: the overview lists it as missing


def demo_roster() -> pd.DataFrame:
    """示例县's 单位名单: every agency of the frame from its first year, the 汇总, and one set up in 2024."""
    rows = [(p.name, p.kind, p.first) for p in AGENCIES] + [(SUMMARY, "汇总", 2019), NEW_AGENCY]
    return pd.DataFrame([{"单位名称": name, "所属地区": COUNTY, "单位类型": kind, "起始年度": first, "终止年度": ""}
                         for name, kind, first in rows])
