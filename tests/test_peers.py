"""同类比较: the percentile convention, an agency among its peers against pandas over the stored facts, the ranking
column for the lead's pages, the chart, and the 单位详情 tab."""
from __future__ import annotations

from pathlib import Path
from statistics import median

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import peers
from disclosure.store import sql

ROOT = Path(__file__).parent.parent
COUNTY = "示例省/示例市/示例县"


def by_hand(values: list[float], i: int) -> float:
    """The convention written out: 100 × (lower + ½ × equal others) / n, n counting the agency itself."""
    lower = sum(v < values[i] for v in values)
    equal_others = sum(v == values[i] for j, v in enumerate(values) if j != i)
    return 100 * (lower + equal_others / 2) / len(values)


# --- the convention --------------------------------------------------------------------------------------------

def test_unique_minimum_is_0_and_maximum_below_100():
    got = peers.percentiles(pd.Series([3.0, 1.0, 7.0, 5.0]))
    assert got.tolist() == [25.0, 0.0, 75.0, 50.0]
    assert got.max() < 100 and got.min() == 0


def test_ties_share_half_and_blanks_stay_out():
    values = pd.Series([2.0, 2.0, None, 9.0, 0.0, 2.0])
    got = peers.percentiles(values)
    stated = [2.0, 2.0, 9.0, 0.0, 2.0]
    expected = [by_hand(stated, i) for i in range(len(stated))]
    assert pd.isna(got.iloc[2]), "a blank is not ranked, and not counted as a peer"
    assert got.drop(index=2).tolist() == pytest.approx(expected)
    assert got.iloc[0] == got.iloc[1] == got.iloc[5] == pytest.approx(100 * (1 + 1) / 5)


def test_all_equal_and_a_group_of_one():
    assert peers.percentiles(pd.Series([4.0, 4.0, 4.0, 4.0])).tolist() == [37.5] * 4
    assert peers.percentiles(pd.Series([4.0])).isna().all(), "no percentile without any peer"
    assert peers.percentiles(pd.Series([], dtype="float64")).empty


# --- an agency among its peers, on the demo county ---------------------------------------------------------------

def figures_from_facts(con, year: int, kind: str) -> pd.DataFrame:
    """The key figures of one kind's reports of a year, computed here from the stored cells."""
    cells = con.execute("select agency, region, kind, year, metric, value from report_facts "
                        "where year = ? and kind = ?", [year, kind]).df()
    wide = cells.pivot_table(index=["agency", "region"], columns="metric", values="value", aggfunc="first")
    col = lambda code: wide[code] if code in wide else pd.Series(float("nan"), index=wide.index)
    handled = col("s3.handled_total.total")
    disclosed = col("s3.granted.total").fillna(0) + col("s3.partial.total").fillna(0)
    appeals = pd.concat([col("s4.review.total"), col("s4.suit_direct.total"), col("s4.suit_after_review.total")],
                        axis=1).sum(axis=1, min_count=1)
    return pd.DataFrame({"published": col("s1.published_total"), "new_applications": col("s3.new.total"),
                         "handled": handled, "disclosure_rate": (disclosed / handled).where(handled > 0),
                         "appeals": appeals})


@pytest.mark.parametrize(("agency", "year", "kind"), [("示例县自然资源局", 2024, "部门"), ("石门镇", 2022, "镇"),
                                                      ("示例县公安局", 2021, "部门")])
def test_standing_matches_the_stored_facts(demo_con, agency, year, kind):
    facts = figures_from_facts(demo_con, year, kind)
    rows = sql.run(demo_con, "peer_values", region=COUNTY, year=year, kind=kind)
    assert len(rows) == len(facts) >= 4
    got = peers.standing(rows, agency, COUNTY).set_index("metric")
    for metric in peers.METRICS:
        eligible = facts[metric].notna()
        if metric in peers.RATES:
            eligible &= facts["handled"] >= peers.MIN_HANDLED
        values = facts.loc[eligible, metric].tolist()
        names = [a for a, _ in facts.index[eligible]]
        assert got.at[metric, "n"] == len(values), metric
        if values:
            assert got.at[metric, "median"] == pytest.approx(median(values)), metric
        else:
            assert pd.isna(got.at[metric, "median"]), metric
        if agency in names:
            assert got.at[metric, "percentile"] == pytest.approx(by_hand(values, names.index(agency))), metric
        else:
            assert pd.isna(got.at[metric, "percentile"]) and not got.at[metric, "ranked"], metric


def test_a_rate_over_few_applications_is_shown_not_ranked(demo_con):
    rows = sql.run(demo_con, "peer_values", region=COUNTY, year=2024, kind="部门")
    few = rows[(rows["handled"] < peers.MIN_HANDLED) & rows["disclosure_rate"].notna()]
    assert not few.empty, "the demo has a 部门 with a rate over fewer than 5 applications"
    agency = few["agency"].iloc[0]
    stand = peers.standing(rows, agency, COUNTY).set_index("metric")
    assert pd.isna(stand.at["disclosure_rate", "percentile"]) and not stand.at["disclosure_rate", "ranked"]
    assert stand.at["disclosure_rate", "n"] == (rows["handled"] >= peers.MIN_HANDLED).sum()
    table = peers.standing_table(stand.reset_index()).set_index("指标")
    assert "不排名" in table.at["公开率", "本单位"] and pd.isna(table.at["公开率", "百分位"])
    assert table.at["主动公开信息总数（条）", "本单位"] == f"{rows.loc[few.index[0], 'published']:,.0f}"


def test_peer_values_are_one_kind_of_the_region_and_year(demo_con):
    rows = sql.run(demo_con, "peer_values", region=COUNTY, year=2020, kind="乡")
    assert set(rows["agency"]) == {"海青乡", "柳林乡", "白沙乡", "青山乡"} and set(rows["kind"]) == {"乡"}
    assert sql.run(demo_con, "peer_values", region="示例省/另一市", year=2020, kind="乡").empty


# --- the ranking column for the lead's pages ---------------------------------------------------------------------

def test_with_percentile_ranks_within_each_kind():
    frame = pd.DataFrame({"agency": ["甲", "乙", "丙", "丁", "戊"], "region": ["县"] * 5,
                          "kind": ["镇", "镇", "镇", "部门", "部门"], "value": [5.0, 1.0, None, 3.0, 8.0]})
    got = peers.with_percentile(frame)
    assert got["百分位"].tolist()[:2] == [50.0, 0.0] and pd.isna(got["百分位"].iloc[2])
    assert got["百分位"].tolist()[3:] == [0.0, 50.0]
    assert list(got.columns) == [*frame.columns, "百分位"] and got.index.equals(frame.index)


def test_with_percentile_leaves_ineligible_rows_out():
    frame = pd.DataFrame({"agency": list("ABCD"), "region": ["县"] * 4, "kind": ["镇"] * 4,
                          "value": [0.9, 0.1, 0.5, 0.3], "handled": [2, 10, 10, 10]}, index=[10, 11, 12, 13])
    got = peers.with_percentile(frame, eligible=frame["handled"] >= peers.MIN_HANDLED)
    assert pd.isna(got.at[10, "百分位"]), "a rate over 2 applications is not ranked"
    assert got.loc[[11, 12, 13], "百分位"].round(1).tolist() == [0.0, 66.7, 33.3]


# --- the chart -------------------------------------------------------------------------------------------------

def test_distribution_chart_marks_the_agency_with_a_legend_and_units(demo_con):
    rows = sql.run(demo_con, "peer_values", region=COUNTY, year=2024, kind="部门")
    fig = peers.distribution_chart(rows, "new_applications", "示例县自然资源局", COUNTY)
    box, mark = fig.data
    assert box.type == "box" and len(box.x) == rows["new_applications"].notna().sum()
    assert mark.name == "本单位：示例县自然资源局" and mark.x[0] == rows.set_index("agency").at["示例县自然资源局",
                                                                                          "new_applications"]
    assert fig.layout.showlegend and fig.layout.xaxis.title.text == "本年新收申请（件）"
    rate = peers.distribution_chart(rows, "disclosure_rate", "示例县自然资源局", COUNTY)
    assert rate.layout.xaxis.tickformat == ".0%" and rate.layout.xaxis.range[0] == 0
    assert len(rate.data[0].x) == (rows["handled"] >= peers.MIN_HANDLED).sum()


# --- the 单位详情 tab ------------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_agency_page_shows_the_peer_tab(demo_con):
    at = AppTest.from_file(str(ROOT / "pages" / "agency.py"), default_timeout=90)
    for param, value in {"unit": "示例县自然资源局", "unit_region": COUNTY, "unit_year": "2024",
                         "tab": "同类比较"}.items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, at.exception
    shown = next(d.value for d in at.dataframe if "百分位" in d.value.columns)
    assert list(shown.columns) == ["指标", "本单位", "同类中位数", "百分位", "同类单位数"]
    rows = sql.run(demo_con, "peer_values", region=COUNTY, year=2024, kind="部门")
    expected = peers.standing_table(peers.standing(rows, "示例县自然资源局", COUNTY))
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected, check_dtype=False)
    assert any(f"不少于 {peers.MIN_HANDLED} 件" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == len(peers.METRICS)
