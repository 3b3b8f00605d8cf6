"""Tests for disclosure.demo_data: the synthetic county is deterministic, believable, and wrong only where planted."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from disclosure.contract import catalog, rules
from disclosure.contract.agencies import is_county_level
from disclosure.demo.demo_data import COUNTY, GAP_YEAR, ID_COLUMNS, MISMATCH_YEAR, SUMMARY, demo_frame

TOWNSHIPS = ("乡", "镇", "街道")


@pytest.fixture(scope="module")
def demo():
    return demo_frame()


def agencies_only(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["kind"] != "汇总"]


def rule_faults(faults: list[dict]) -> list[dict]:
    return [f for f in faults if f["rule"]]


def blank_cells(faults: list[dict]) -> set[tuple]:
    return {(f["agency"], f["year"], c) for f in faults if f["code"] == "missing-cells" for c in f["cells"]}


def test_same_seed_same_frame():
    a, fa = demo_frame()
    b, fb = demo_frame()
    pd.testing.assert_frame_equal(a, b)
    assert fa == fb
    other, _ = demo_frame(seed=7)
    assert not other.equals(a)


def test_agencies_years_versions(demo):
    frame, _ = demo
    assert list(frame.columns) == ID_COLUMNS + [m.code for m in catalog.metrics()]
    assert frame["agency"].nunique() >= 20
    assert {"乡", "镇", "街道", "部门", "政府", "汇总"} <= set(frame["kind"])
    assert sorted(frame["year"].unique()) == list(range(2019, 2026))
    assert (frame["version"] == np.where(frame["year"] <= 2020, "2019", "2021")).all()
    assert (frame["parent"] == COUNTY).all()
    assert not frame.duplicated(["agency", "year"]).any()
    assert "海青乡" not in set(frame["agency"])  # reserved for the real seed report
    assert (frame[[m.code for m in catalog.metrics()]].dtypes == "float64").all()
    years = frame.groupby("agency")["year"].apply(set)
    assert years["示例县医疗保障局"] == set(range(2021, 2026))
    assert 2023 not in years["白沙乡"]
    assert years[SUMMARY] == set(range(2019, 2026)) - {GAP_YEAR}
    assert (frame.loc[frame["agency"] == SUMMARY, "kind"] == "汇总").all()


def test_last_year():
    frame, _ = demo_frame(last_year=2026)
    assert frame["year"].max() == 2026
    with pytest.raises(ValueError):
        demo_frame(last_year=2023)


def test_rows_fill_exactly_their_version(demo):
    frame, faults = demo
    blanks = blank_cells(faults)
    assert 0 < len(blanks) < 25
    for _, row in frame.iterrows():
        version = row["version"]
        other = catalog.only_in("2021" if version == "2019" else "2019")
        assert row[list(other)].isna().all()
        missing = {c for c in catalog.codes(version) if pd.isna(row[c])}
        assert missing == {c for a, y, c in blanks if (a, y) == (row["agency"], row["year"])}


def test_rule_engine_finds_exactly_the_planted_faults(demo):
    frame, faults = demo
    frame = frame.copy()
    frame["key"] = frame["agency"]
    frame["county_level"] = frame["parent"].map(is_county_level)
    found = rules.check(frame, previous=frame)
    expected = rule_faults(faults)
    assert 5 <= len({(f["agency"], f["year"], f["rule"]) for f in expected}) <= 8
    assert Counter((i.agency, i.year, i.code) for i in found) == Counter((f["agency"], f["year"], f["code"]) for f in expected)
    assert Counter((i.agency, i.year, i.rule) for i in found) == Counter((f["agency"], f["year"], f["rule"]) for f in expected)
    assert {f["rule"] for f in expected} >= {"R1", "R3", "R4", "C1", "C4", "P1"}
    assert not any(i.agency == SUMMARY for i in found)  # the 汇总 is consistent on its own


def test_summary_is_the_sum_but_once(demo):
    frame, faults = demo
    [mismatch] = [f for f in faults if f["code"] == "summary-mismatch"]
    assert (mismatch["agency"], mismatch["year"]) == (SUMMARY, MISMATCH_YEAR)
    differing = set()
    for _, row in frame[frame["kind"] == "汇总"].iterrows():
        codes = catalog.codes(row["version"])
        others = agencies_only(frame)
        sums = others.loc[others["year"] == row["year"], codes].sum(min_count=1)
        for code in codes:
            if not np.isclose(row[code], sums[code], atol=1e-6, equal_nan=True):
                differing.add((row["year"], code, row[code] - sums[code]))
    assert {(y, c) for y, c, _ in differing} == {(MISMATCH_YEAR, c) for c in mismatch["cells"]}
    assert len({d for _, _, d in differing}) == 1  # one discrepancy: the same few applications in every cell


def test_magnitudes(demo):
    frame, faults = demo
    reports = agencies_only(frame)
    towns = reports[reports["kind"].isin(TOWNSHIPS)]
    depts = reports[reports["kind"] == "部门"]
    assert towns["s3.new.total"].median() <= 2
    assert towns["s3.new.total"].max() <= 10
    top = depts.pivot(index="year", columns="agency", values="s3.new.total").idxmax(axis=1)
    assert (top == "示例县自然资源局").mean() > 0.5
    split = towns[towns["s1.channel.wechat"].notna()]
    assert 0.25 <= (split["s1.channel.wechat"] / split["s1.published_total"]).mean() <= 0.6
    assert towns["s1.published_total"].between(10, 300).all()
    assert depts["s1.published_total"].between(30, 500).all()
    assert reports.loc[reports["kind"] == "政府", "s1.published_total"].between(1000, 3000).all()
    assert (reports.loc[reports["agency"] == "示例县行政审批服务局", "s2.licensing.decisions"] >= 1000).all()
    assert depts.groupby("agency")["s2.penalties.decisions"].median().between(100, 999).any()
    big = reports[reports["s3.handled_total.total"] >= 50]
    opened = (big["s3.granted.total"] + big["s3.partial.total"]) / big["s3.handled_total.total"]
    assert opened.between(0.3, 0.6).all()
    appeals = reports[[c for c in catalog.codes("2021") if c.startswith("s4.")]]
    assert (appeals.fillna(0) == 0).all(axis=1).mean() > 0.7  # most agencies see no appeal at all
    rule_cells = reports[[c for c in catalog.by_code() if c.startswith("s2.rules.")]].fillna(0)
    assert set(reports.loc[(rule_cells > 0).any(axis=1), "agency"]) == {f["agency"] for f in faults if f["rule"] == "P1"}


def test_decimals_look_like_reports(demo):
    frame, _ = demo
    reports = agencies_only(frame)
    amount = reports["s2.procurement.amount"].dropna()
    assert (amount != amount.round()).any()  # 70487.5-style amounts in 元
    fees = reports["s2.fees.amount_wan"].dropna()
    assert (fees == fees.round(2)).all() and (fees != fees.round()).any() and fees.max() < 10
