"""Baseline B of the benchmark (bench/pandas_baseline.py) gives the same answer as each query it stands in for."""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

from bench import pandas_baseline as pb
from disclosure import demo, ingest
from disclosure.demo.demo_data import demo_frame, demo_roster
from disclosure.ingest import roster
from disclosure.present import export
from disclosure.read.read_table import read_table
from disclosure.store import db, sql

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

COUNTY = "示例省/示例市/示例县"
PROVINCE = "示例省"
BASE = {"year": 2023, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": [], "metric": "s3.new.total"}
CASES = {
    "county": {**BASE, "region": COUNTY},
    "whole": {**BASE, "region": PROVINCE},
    "county_townships": {**BASE, "region": COUNTY, "kinds": ["乡", "镇"]},
    "whole_townships": {**BASE, "region": PROVINCE, "kinds": ["乡", "镇"]},
    "agencies": {**BASE, "region": PROVINCE, "agencies": ["城关镇", "海青乡", "示例县人民政府", "示例县教育局"]},
    "first_year": {**BASE, "region": PROVINCE, "year": 2019, "year_to": 2021},
    "nowhere": {**BASE, "region": "无此省"},
}
METRICS = ["s3.new.total", "s1.published_total", "s3.other.total", "s3.other.natural", "s4.review.corrected",
           "derived.disclosure_rate", "derived.appeals", "derived.appeal_intensity", "derived.review_rate",
           "derived.denied", "derived.other_handling", "derived.published", "derived.nonexistent"]

# the columns whose order the query's ORDER BY fixes (rows that tie on them may come in any order)
ORDER = {
    "overview_kpis": lambda d: d[["year"]],
    "overview_agencies": lambda d: d.assign(summary=d["kind"].eq("汇总"))[["summary", "published", "agency"]],
    "proactive_channels": lambda d: d[["agency", "display_order"]],
    "applications_by_agency": lambda d: d[["is_summary", "new_applications", "agency"]],
    "appeals_rates": lambda d: d[["block"]],
    "trends_series": lambda d: d[["agency", "region", "year"]],
}

# Cases the demo does not hold, added the way users add data (a second import, a roster file): a sibling county
# whose path starts with the county's (示例县二) and has an agency of the same name, an agency of the city itself,
# reports replaced by versions lacking cells (信息总数, parts of section 四, one of three other_* rows, everything
# but one cell), roster entries with an end year, no start year, a later start year.
SIBLING = "示例省/示例市/示例县二"
BLANKED = {  # agency -> (years, the cells its replacement leaves blank)
    "青山乡": ((2023,), ["s1.published_total"]),
    "石门镇": ((2021, 2022, 2023, 2024), ["s4.review.pending", "s4.suit_direct.total"]),
    "柳林乡": ((2022, 2023), "s4."),
    "桃源镇": ((2022, 2023), ["s3.other_misc.total", "s3.other_no_fee.natural"]),
    "白沙乡": ((2023,), "s"),
}


def _edit(con) -> None:
    frame, _ = demo_frame()
    extra = [frame[frame["agency"].eq("城关镇")].assign(parent=SIBLING),
             frame[frame["agency"].eq("示例县教育局")].assign(agency="示例市数据局", parent="示例省/示例市")]
    for agency, (years, cells) in BLANKED.items():
        rows = frame[frame["agency"].eq(agency) & frame["year"].isin(years)].copy()
        blank = [c for c in rows.columns if c.startswith(cells)] if isinstance(cells, str) else cells
        rows[[c for c in blank if c != "s3.new.total"]] = None
        extra.append(rows)
    tables = [read_table("补充.csv", export.to_csv(pd.concat(extra, ignore_index=True)))]
    plan = ingest.prepare(con, tables, replace=True)
    summary = ingest.commit(con, plan, user="测试", via="测试", accept_errors=True)
    assert summary.replaced >= 8 and summary.new >= 14, summary

    listed = demo_roster()
    listed = listed[listed["单位名称"].isin(["柳林乡", "城东街道", "示例县公安局"])].copy()
    listed["起始年度"] = listed["单位名称"].map({"柳林乡": "2019", "城东街道": "", "示例县公安局": "2024"})
    listed["终止年度"] = listed["单位名称"].map({"柳林乡": "2022", "城东街道": "", "示例县公安局": ""})
    plan = roster.prepare(con, [read_table("名单.csv", export.to_csv(listed))])
    assert roster.commit(con, plan, user="测试") == 3


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """The demo database as built, and a copy of it edited into the cases above: name -> (connection, tables)."""
    out = {}
    for name in ("demo", "edited"):
        con = db.connect(tmp_path_factory.mktemp(name) / "bench.duckdb")
        demo.build(con)
        if name == "edited":
            _edit(con)
        out[name] = (con, pb.load_tables(con))
    yield out
    for con, _ in out.values():
        con.close()


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers and booleans as float64 with NaN for every kind of null, everything else as objects with None."""
    out = {}
    for column in frame.columns:
        s = frame[column]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            out[column] = s.to_numpy(dtype="float64", na_value=np.nan)
        else:
            out[column] = s.astype(object).where(s.notna(), None).to_numpy()
    return pd.DataFrame(out, columns=list(frame.columns))


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one canonical order (floats rounded for the sort only), so that tied rows line up."""
    key = frame.apply(lambda s: s.round(9) if s.dtype == "float64" else s.astype(str))
    return frame.loc[key.sort_values(list(key.columns), kind="stable").index].reset_index(drop=True)


def assert_same(ours: pd.DataFrame, theirs: pd.DataFrame, order) -> None:
    assert list(theirs.columns) == list(ours.columns)
    assert len(theirs) == len(ours)
    ours, theirs = _normalised(ours.reset_index(drop=True)), _normalised(theirs.reset_index(drop=True))
    pd.testing.assert_frame_equal(_normalised(order(theirs)), _normalised(order(ours)), check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(_sorted(theirs), _sorted(ours), check_exact=False, rtol=1e-9)


def test_every_baseline_takes_exactly_the_parameters_its_query_declares():
    assert set(pb.BASELINES) == set(ORDER)
    for name, fn in pb.BASELINES.items():
        declared = list(inspect.signature(fn).parameters)[1:]
        assert sorted(declared) == sorted(sql.params_of(name)), name


def test_the_baseline_reads_base_tables_only(databases):
    con, tables = databases["demo"]
    base = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert set(tables) <= base
    assert "report_figures" not in tables  # derived: the baseline computes the figures from the cells
    assert all(len(tables[name]) for name in ("regions", "agencies", "reports", "facts", "metrics", "roster"))


@pytest.mark.parametrize("database", ["demo", "edited"])
@pytest.mark.parametrize("name", list(ORDER))
def test_baseline_gives_the_sql_answer(databases, database, name):
    con, tables = databases[database]
    metrics = METRICS if "metric" in sql.params_of(name) else METRICS[:1]
    nonempty = 0
    for case, params in CASES.items():
        for metric in metrics:
            bound = sql.bind(name, {**params, "metric": metric})
            ours = sql.run(con, name, **bound)
            theirs = pb.BASELINES[name](tables, **bound)
            nonempty += not ours.empty
            try:
                assert_same(ours, theirs, ORDER[name])
            except AssertionError as e:
                raise AssertionError(f"{name} on {database}, case {case}, {bound}: {e}") from e
    assert nonempty  # the comparison was not of empty frames only
