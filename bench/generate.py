"""Synthetic reports at county, province or national scale, imported through the same code as real files.

python -m bench generate --scale county|province|national --db PATH [--seed N]

Each county has about 80 agencies (townships, departments, the government office) and its 汇总, each with
a report for every year 2019–2025 on the proper form version. Values come from the demo county's
profiles, so every rule holds by construction; then a known set of violations is planted, after the
汇总 sums, so the quality page has a known answer: `plan(...).violations` lists them. Counties are
written as CSV files, about 10,000 reports per import batch, through ingest.prepare and ingest.commit.
"""
from __future__ import annotations

import dataclasses
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from disclosure import ingest
from disclosure.contract import catalog
from disclosure.demo.demo_data import AGENCIES, ID_COLUMNS, Profile, agency_reports, summaries
from disclosure.present import export
from disclosure.read.read_table import read_table
from disclosure.store import db

# provinces, cities per province, counties per city: about 80 agencies per county
SCALES = {"county": (1, 1, 1), "province": (1, 14, 18), "national": (31, 6, 10)}
YEARS = range(2019, 2026)
USER = "基准数据"
BATCH_REPORTS = 10_000
FAULT_EVERY = 4  # one planted violation in every fourth county

_SYLLABLES = ("青", "山", "河", "口", "白", "沙", "石", "门", "柳", "林", "桃", "源", "东", "西", "南", "北", "安", "平",
              "兴", "华", "龙", "泉", "松", "江", "阳", "宁", "丰", "和", "新", "城", "金", "水", "云", "岭", "湖", "田")
DEPARTMENTS = (
    "发展和改革局", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电旅游局",
    "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局",
    "城市管理局", "行政审批服务局", "信访局", "乡村振兴局", "体育局", "粮食和物资储备局", "地方金融监督管理局",
    "机关事务管理局", "档案馆", "民族宗教事务局", "人民防空办公室", "供销合作社", "气象局", "税务局", "消防救援大队",
    "公共资源交易中心", "投资促进局", "数据局", "国有资产服务中心", "住房公积金管理中心", "残疾人联合会",
    "妇女联合会", "科学技术协会", "总工会", "共青团委员会", "融媒体中心", "不动产登记中心", "疾病预防控制中心",
    "农业机械化服务中心", "水文站", "森林公安局", "烟草专卖局", "邮政管理局", "电力公司", "自来水公司")


@dataclass
class County:
    path: str  # 省/市/县
    profiles: list[Profile]


@dataclass
class Violation:
    region: str
    agency: str
    year: int
    rule: str
    cells: tuple[str, ...]


def counties(scale: str, seed: int) -> Iterator[County]:
    """The counties of a scale, in order, each with its agencies' profiles (deterministic for a seed)."""
    rng = random.Random(seed)
    provinces, cities, per_city = SCALES[scale]
    taken: set[str] = set()
    for p in range(provinces):
        province = _name(rng, taken, "省")
        for c in range(cities):
            city = _name(rng, taken, "市")
            for k in range(per_city):
                county = _name(rng, taken, "县")
                yield County(f"{province}/{city}/{county}", _profiles(rng, county))


def _name(rng: random.Random, taken: set[str], suffix: str) -> str:
    """A new two-syllable name, or three once two-syllable ones run short (1,260 of them per suffix)."""
    for attempt in range(1000):
        name = "".join(rng.sample(_SYLLABLES, 2 if attempt < 20 else 3)) + suffix
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"no free name ending in {suffix}")


def _profiles(rng: random.Random, county: str) -> list[Profile]:
    """15–25 townships and 55–60 departments modelled on the demo county's, plus the government office."""
    towns = [p for p in AGENCIES if p.kind in ("乡", "镇", "街道")]
    depts = [p for p in AGENCIES if p.kind == "部门"]
    office = next(p for p in AGENCIES if p.kind == "政府")
    names: set[str] = set()
    out = []
    for _ in range(rng.randint(15, 25)):
        model = rng.choice(towns)
        name = _name(rng, names, model.kind)
        out.append(dataclasses.replace(model, name=name, first=2019, gaps=()))
    for dept in rng.sample(DEPARTMENTS, rng.randint(55, 60)):
        model = rng.choice(depts)
        first = 2021 if dept in ("医疗保障局", "数据局", "乡村振兴局") else 2019  # set up with the 2021 form
        out.append(dataclasses.replace(model, name=county + dept, first=first, gaps=()))
    out.append(dataclasses.replace(office, name=county + "人民政府办公室"))
    return out


def county_frame(county: County, seed: int) -> tuple[pd.DataFrame, list[Violation]]:
    """One county's reports as a wide frame (data-contract.md §7), 汇总 included, and the violations planted in it."""
    rng = random.Random(f"{seed}/{county.path}")
    columns = ID_COLUMNS + [m.code for m in catalog.metrics()]
    frame = pd.DataFrame(agency_reports(rng, YEARS, county.profiles, county.path)).reindex(columns=columns)
    frame[columns[5:]] = frame[columns[5:]].astype("float64")
    total = summaries(frame, YEARS, county.path.split("/")[-1] + "人民政府", county.path, gap=None)
    frame = pd.concat([frame, total.reindex(columns=columns).astype(frame.dtypes.to_dict())], ignore_index=True)
    violations = _plant(frame, county.path, rng)
    return frame.copy(), violations  # one block again after the cell edits


def _plant(frame: pd.DataFrame, region: str, rng: random.Random) -> list[Violation]:
    """Plant one violation in every FAULT_EVERY-th county (by a draw), after the 汇总 was summed."""
    if rng.randrange(FAULT_EVERY):
        return []
    rule = rng.choice(("R1", "R4", "C4", "P1"))
    towns = frame["kind"].isin(("乡", "镇", "街道"))
    if rule == "P1":  # a township claims a 规章, on the 2019 form
        i = rng.choice(frame.index[towns & (frame["year"] == 2020)].tolist())
        cells = ("s2.rules.made", "s2.rules.published", "s2.rules.public_total")
        frame.loc[i, list(cells)] = 1
        return [Violation(region, frame.at[i, "agency"], 2020, "P1", cells)]
    if rule == "C4":  # the channels add up to one less than the total
        i = rng.choice(frame.index[(frame["kind"] != "汇总") & (frame["s1.channel.wechat"] > 0)].tolist())
        frame.loc[i, "s1.channel.wechat"] -= 1
        return [Violation(region, frame.at[i, "agency"], int(frame.at[i, "year"]), "C4", ("s1.channel.wechat",))]
    i = rng.choice(frame.index[frame["kind"] != "汇总"].tolist())
    agency, year = frame.at[i, "agency"], int(frame.at[i, "year"])
    if rule == "R4":  # the reconsideration total is one more than its parts
        frame.loc[i, "s4.review.total"] += 1
        return [Violation(region, agency, year, "R4", ("s4.review.total",))]
    frame.loc[i, ["s3.new.natural", "s3.new.total"]] += 1  # R1: received one more than handled and carried over
    return [Violation(region, agency, year, "R1", (f"s3.new.{c}",)) for c in ("natural", "total")]


def generate(con, scale: str, seed: int = 1, progress=lambda text: None) -> dict:
    """Write a whole scale into `con`; returns the figures of the build and the planted violations."""
    start = time.perf_counter()
    violations: list[Violation] = []
    tables, pending, reports, batches = [], 0, 0, 0
    for county in counties(scale, seed):
        frame, planted = county_frame(county, seed)
        violations += planted
        tables.append(read_table(county.path.replace("/", "-") + ".csv", export.to_csv(frame)))
        pending += len(frame)
        if pending >= BATCH_REPORTS:
            reports, batches = reports + _commit(con, tables), batches + 1
            progress(f"{reports:,} 份报告，{batches} 个批次，{time.perf_counter() - start:.0f} 秒")
            tables, pending = [], 0
    if tables:
        reports, batches = reports + _commit(con, tables), batches + 1
    return {"scale": scale, "seed": seed, "reports": reports, "batches": batches,
            "seconds": round(time.perf_counter() - start, 1), "violations": violations}


def _commit(con, tables) -> int:
    plan = ingest.prepare(con, tables)
    blocking = plan.blocking(accept_errors=True)
    if blocking:  # the generator's own bug: say which cell
        raise RuntimeError(f"generated data refused: {blocking[0].location()} {blocking[0].message}")
    return ingest.commit(con, plan, user=USER, via=USER, accept_errors=True).new


def main(args) -> int:
    con = db.connect(args.db, wait=0)
    result = generate(con, args.scale, args.seed, progress=lambda text: print(text, file=sys.stderr, flush=True))
    con.close()
    size = args.db.stat().st_size
    print(f"{result['scale']}: {result['reports']:,} reports in {result['seconds']} s, "
          f"{size / 2**20:,.0f} MB, {len(result['violations'])} planted violations", file=sys.stderr)
    return 0
