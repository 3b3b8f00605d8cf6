"""Ratios combined over agencies, years or regions are pooled — Σ numerators ÷ Σ denominators — in every place.

Two agencies, 1 of 2 and 99 of 100 applications disclosed: pooled 100/102 = 98.0 %; a sum of their rates would
be 149.5 %, a mean 74.5 %. Each ratio of data/ratios.csv gets the same shape of numbers."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.contract import catalog
from disclosure.present import charts, pivot
from disclosure.store import sql
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"
COUNTY = "示例省/示例市/示例县"
POOLED = 100 / 102  # 公开率, 纠错率 and the website's share: 1/2 and 99/100
INTENSITY = 102 / 202  # 复议诉讼强度: 2 cases of 2 new applications, 100 of 200


def report(agency: str, year: int, parent: str, *, new: int, granted: int, denied: int, carried_out: int,
           review: tuple[int, int], channels: dict[str, int]) -> dict[str, str]:
    """The seed report's cells (a 2019-form wide row, all zero) with these: applications in the natural-person
    column and 总计, review = (upheld, corrected), channels by code suffix (the others left blank)."""
    upheld, corrected = review
    cells = {"agency": agency, "year": str(year), "kind": "乡", "parent": parent, "version": "2019",
             "s1.published_total": str(sum(channels.values()))}
    cells.update({f"s1.channel.{ch}": "" for ch in catalog.CHANNELS})
    cells.update({f"s1.channel.{ch}": str(n) for ch, n in channels.items()})
    for row, n in (("new", new), ("granted", granted), ("deny_secret", denied), ("handled_total", granted + denied),
                   ("carried_out", carried_out)):
        cells[f"s3.{row}.natural"] = cells[f"s3.{row}.total"] = str(n)
    cells.update({"s4.review.upheld": str(upheld), "s4.review.corrected": str(corrected),
                  "s4.review.total": str(upheld + corrected)})
    return cells


def wide_csv(reports: list[dict[str, str]]) -> bytes:
    """The seed CSV's columns (and any other catalogue code the reports name), one row per report."""
    header, seed = list(csv.reader(io.StringIO(SEED.read_text(encoding="utf-8-sig"))))
    extra = sorted({code for cells in reports for code in cells} - set(header))
    assert set(extra) <= set(catalog.by_code()), extra
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header + extra)
    for cells in reports:
        writer.writerow([cells.get(h, v) for h, v in zip(header, seed)] + [cells.get(c, "") for c in extra])
    return out.getvalue().encode("utf-8")


def small(agency: str, year: int = 2020, parent: str = COUNTY) -> dict[str, str]:
    """1 of 2 disclosed, 1 of 2 decided reviews corrected, 2 cases of 2 new applications, 1 of 2 items on the web."""
    return report(agency, year, parent, new=2, granted=1, denied=1, carried_out=0, review=(1, 1),
                  channels={"website": 1, "other": 1})


def large(agency: str, year: int = 2020, parent: str = COUNTY) -> dict[str, str]:
    """99 of 100 disclosed (100 carried over), 99 of 100 corrected, 100 cases of 200 new, 99 of 100 on the web."""
    return report(agency, year, parent, new=200, granted=99, denied=1, carried_out=100, review=(1, 99),
                  channels={"website": 99, "other": 1})


def rateless(agency: str, year: int = 2020, parent: str = COUNTY) -> dict[str, str]:
    """No applications, no cases (no rate, no intensity) and only a 微信 channel: it changes no pooled figure."""
    return report(agency, year, parent, new=0, granted=0, denied=0, carried_out=0, review=(0, 0),
                  channels={"wechat": 50})


def no_cases(agency: str, year: int = 2020, parent: str = COUNTY) -> dict[str, str]:
    """10 new applications, none handled yet, and section 四 left blank: no intensity (blank is not 0 cases)."""
    cells = report(agency, year, parent, new=10, granted=0, denied=0, carried_out=10, review=(0, 0), channels={})
    return cells | {m.code: "" for m in catalog.metrics() if m.code.startswith("s4.")}


def uncorrected(agency: str, year: int = 2020, parent: str = COUNTY) -> dict[str, str]:
    """5 reviews decided but 结果纠正 left blank: no 纠错率, so its 5 decided are in no denominator."""
    return report(agency, year, parent, new=0, granted=0, denied=0, carried_out=0, review=(5, 0),
                  channels={}) | {"s4.review.corrected": ""}


def load(con, reports: list[dict[str, str]]) -> None:
    plan, result = import_bytes(con, {"pooling.csv": wide_csv(reports)})
    assert result is not None, [i.message for i in plan.issues if i.is_error]
    assert result.new == len(reports)


@pytest.fixture
def two_agencies(con):
    """Two agencies of one county, one kind, one year (and three that change no pooled ratio)."""
    load(con, [small("甲乡"), large("乙乡"), rateless("丙乡"), no_cases("丁乡"), uncorrected("戊乡")])
    return con


@pytest.fixture
def two_years(con):
    """One agency, 1/2 in 2019 and 99/100 in 2020."""
    load(con, [small("甲乡", 2019), large("甲乡", 2020)])
    return con


@pytest.fixture
def two_counties(con):
    """Two agencies of two counties of one city, the same year."""
    load(con, [small("甲乡", parent="示例省/示例市/甲县"), large("乙乡", parent="示例省/示例市/乙县"),
               rateless("丙乡", parent="示例省/示例市/乙县"), no_cases("丁乡", parent="示例省/示例市/甲县"),
               uncorrected("戊乡", parent="示例省/示例市/乙县")])
    return con


def scope(region: str = COUNTY, **more) -> dict:
    return {"region": region, "year": 2020, "year_from": 2019, "year_to": 2020, "kinds": [], "agencies": [],
            "with_summary": False, **more}


# --- the pivot of 数据探索 -----------------------------------------------------------------------------------------

def explore(con, figure: str, rows: str, columns: str, region: str = COUNTY,
            aggregation: str = pivot.POOLED) -> pivot.Pivot:
    long = sql.run(con, "explore_figure_long", figure=figure, **scope(region))
    return pivot.pivot(charts.labelled(long), rows, columns, aggregation, pivot.ratio_of(figure))


@pytest.mark.parametrize(("rows", "columns", "cell"), [
    ("单位类型", pivot.NO_COLUMNS, ("乡", "公开率")),
    ("地区", pivot.NO_COLUMNS, (COUNTY, "公开率")),
    ("年度", pivot.NO_COLUMNS, ("2020年", "公开率")),
    ("单位类型", "年度", ("乡", "2020年")),
    ("地区", "单位类型", (COUNTY, "乡")),
    ("年度", "地区", ("2020年", COUNTY)),
])
@pytest.mark.slow
def test_pivot_pools_the_rate_of_two_agencies(two_agencies, rows, columns, cell):
    result = explore(two_agencies, "disclosure_rate", rows, columns)
    table = result.table.set_index(rows)
    assert table.loc[cell] == pytest.approx(POOLED)
    assert f"{table.loc[cell]:.1%}" == "98.0%"
    assert result.parts.loc[cell].tolist() == [100, 102, 2]


@pytest.mark.slow
def test_pivot_without_columns_shows_numerator_denominator_and_reports(two_agencies):
    table = explore(two_agencies, "disclosure_rate", "单位类型", pivot.NO_COLUMNS).table
    ratio = catalog.ratios()["disclosure_rate"]
    assert list(table.columns) == ["单位类型", "公开率", ratio.numerator_label, ratio.denominator_label, pivot.REPORTS]
    assert table.iloc[0, 2:].tolist() == [100, 102, 2]
    assert all(pd.api.types.is_integer_dtype(table[c]) for c in table.columns[2:]), "counts are integers, never 2.0"


@pytest.mark.slow
def test_pivot_pools_over_the_years_of_one_agency(two_years):
    assert explore(two_years, "disclosure_rate", "单位", pivot.NO_COLUMNS).table.set_index("单位").loc[
        "甲乡", "公开率"] == pytest.approx(POOLED)
    by_year = explore(two_years, "disclosure_rate", "单位", "年度").table.set_index("单位")
    assert by_year.loc["甲乡"].tolist()[:2] == [0.5, 0.99]


@pytest.mark.slow
def test_pivot_pools_over_regions(two_counties):
    table = explore(two_counties, "disclosure_rate", "年度", pivot.NO_COLUMNS, region="示例省/示例市").table
    assert table.set_index("年度").loc["2020年", "公开率"] == pytest.approx(POOLED)
    by_kind = explore(two_counties, "disclosure_rate", "单位类型", "年度", region="示例省/示例市").table
    assert by_kind.set_index("单位类型").loc["乡", "2020年"] == pytest.approx(POOLED)


@pytest.mark.parametrize(("figure", "expected"), [
    ("disclosure_rate", POOLED), ("review_rate", POOLED), ("appeal_intensity", INTENSITY)])
@pytest.mark.slow
def test_every_ratio_figure_is_pooled(two_agencies, figure, expected):
    assert figure in pivot.FIGURES and pivot.ratio_of(figure) is not None
    table = explore(two_agencies, figure, "单位类型", pivot.NO_COLUMNS).table
    assert table.iloc[0, 1] == pytest.approx(expected)


@pytest.mark.slow
def test_the_figure_query_gives_numerator_and_denominator_as_the_catalogue_defines_them(two_agencies):
    """For every ratio of 数据探索, the query's numerator and denominator are the catalogue's formula of cells."""
    facts = two_agencies.execute("select agency, metric, value from report_facts").df()
    cells = facts.pivot_table(index="agency", columns="metric", values="value", aggfunc="first")
    for ratio in (r for r in catalog.ratios().values() if r.explore):
        long = sql.run(two_agencies, "explore_figure_long", figure=ratio.name, **scope()).set_index("agency")
        for side in ("numerator", "denominator"):
            terms = ratio.codes(side)
            assert terms, (ratio.name, side)
            want = sum(sign * cells[code] for sign, code in terms)
            assert long[side].to_dict() == want[long.index].to_dict(), (ratio.name, side)
        assert long["value"].tolist() == pytest.approx((long["numerator"] / long["denominator"]).tolist())
        assert (long["denominator"] > 0).all()


@pytest.mark.slow
def test_a_count_figure_has_no_numerator_or_denominator(two_agencies):
    long = sql.run(two_agencies, "explore_figure_long", figure="handled", **scope())
    assert long["numerator"].isna().all() and long["denominator"].isna().all()
    cells = sql.run(two_agencies, "explore_metric_long", metric="s3.new.total", **scope())
    assert {"numerator", "denominator"} <= set(cells.columns)


@pytest.mark.slow
def test_no_sum_or_mean_is_offered_for_a_ratio(two_agencies):
    assert not {"合计", "平均"} & set(pivot.aggregations(True))
    assert pivot.POOLED in pivot.aggregations(True) and "合计" in pivot.aggregations(False)
    long = sql.run(two_agencies, "explore_figure_long", figure="disclosure_rate", **scope())
    for aggregation in ("合计", "平均"):
        with pytest.raises(ValueError):
            pivot.pivot(long, "单位类型", pivot.NO_COLUMNS, aggregation, pivot.ratio_of("disclosure_rate"))


@pytest.mark.slow
def test_a_small_pooled_base_is_marked_and_the_value_stays_a_number(con):
    load(con, [small("甲乡"), small("乙乡")])  # 2 of 4 handled: under SMALL_BASE
    result = explore(con, "disclosure_rate", "单位类型", pivot.NO_COLUMNS)
    assert result.table["公开率"].dtype == "float64" and result.table["公开率"].iloc[0] == 0.5
    assert f"不足{pivot.SMALL_BASE}" in result.table[pivot.NOTE].iloc[0]
    by_year = explore(con, "disclosure_rate", "单位类型", "年度")
    assert by_year.table["2020年"].dtype == "float64" and "2020年" in by_year.table[pivot.NOTE].iloc[0]
    assert pivot.figure(by_year, "公开率", "%").data[0].marker.color == (pivot.SMALL_BAR,)


@pytest.mark.slow
def test_the_chart_shows_percent_from_zero_and_the_parts_on_hover(two_years):
    bar = pivot.figure(explore(two_years, "disclosure_rate", "单位类型", pivot.NO_COLUMNS), "公开率", "%")
    assert bar.layout.xaxis.tickformat == ".0%" and bar.layout.xaxis.rangemode == "tozero"
    assert "%{x:.1%}" in bar.data[0].hovertemplate and list(bar.data[0].customdata[0]) == [100, 102, 2]
    heat = pivot.figure(explore(two_years, "disclosure_rate", "单位类型", "年度"), "公开率", "%")
    assert heat.data[0].type == "heatmap" and heat.data[0].colorbar.tickformat == ".0%" and heat.data[0].zmin == 0
    assert list(heat.data[0].text[0]) == ["50.0%*", "99.0%"], "2019's 2 handled: marked"
    assert "%{z:.1%}" in heat.data[0].hovertemplate and list(heat.data[0].customdata[0][1]) == [99, 100, 1]


# --- the queries that combine reports ------------------------------------------------------------------------------

def overview_kpis(con, region):
    row = sql.run(con, "overview_kpis", **scope(region)).set_index("year").loc[2020]
    assert row["handled"] == 102
    return row["disclosure_rate"]


def applications_trend(con, region):
    return sql.run(con, "applications_trend", **scope(region)).set_index("year").loc[2020, "disclosure_rate"]


def appeals_rates(con, region):
    row = sql.run(con, "appeals_rates", **scope(region)).set_index("block").loc["行政复议"]
    assert (row["corrected"], row["decided"], row["small_base"]) == (100, 102, False)
    return row["correction_rate"]


def appeals_trend_review(con, region):
    row = sql.run(con, "appeals_trend", **scope(region)).set_index("year").loc[2020]
    assert (row["review_corrected"], row["review_decided"]) == (100, 102)
    return row["review_rate"]


def appeals_trend_intensity(con, region):
    return sql.run(con, "appeals_trend", **scope(region)).set_index("year").loc[2020, "intensity"]


def channel_trend(con, region):
    trend = sql.run(con, "proactive_channel_trend", **scope(region)).set_index(["year", "channel"])
    website = trend.loc[(2020, "政府网站")]
    assert (website["items"], website["base"], website["reports"]) == (100, 102, 2), "丙乡 states no 政府网站"
    assert trend.loc[(2020, "微信公众号"), "share"] == 1.0
    return website["share"]


def briefing_disclosure(con, region):
    row = sql.run(con, "briefing_headline", **scope(region)).set_index("year").loc[2020]
    assert (row["disclosed"], row["disclosure_base"], row["rate_reports"]) == (100, 102, 2)
    return row["disclosure_rate"]


def briefing_correction(con, region):
    row = sql.run(con, "briefing_headline", **scope(region)).set_index("year").loc[2020]
    assert (row["corrected"], row["decided"], row["correction_reports"]) == (100, 102, 2)
    return row["correction_rate"]


# every pooled column of the ratio catalogue, its golden value and how it is read
COMBINED = {
    "overview_kpis.disclosure_rate": (overview_kpis, POOLED),
    "applications_trend.disclosure_rate": (applications_trend, POOLED),
    "appeals_rates.correction_rate": (appeals_rates, POOLED),
    "appeals_trend.review_rate": (appeals_trend_review, POOLED),
    "appeals_trend.intensity": (appeals_trend_intensity, INTENSITY),
    "proactive_channel_trend.share": (channel_trend, POOLED),
    "briefing_headline.disclosure_rate": (briefing_disclosure, POOLED),
    "briefing_headline.correction_rate": (briefing_correction, POOLED),
}


@pytest.mark.slow
@pytest.mark.parametrize("where", COMBINED)
@pytest.mark.parametrize("fixture", ["two_agencies", "two_counties"])
def test_every_combining_query_pools(request, where, fixture):
    con = request.getfixturevalue(fixture)
    read, expected = COMBINED[where]
    assert read(con, "示例省/示例市") == pytest.approx(expected)
    if fixture == "two_agencies":
        assert read(con, COUNTY) == pytest.approx(expected)


@pytest.mark.slow
def test_the_suit_rates_are_pooled_too(con):
    reports = [small("甲乡"), large("乙乡")]
    for cells in reports:  # the review cells moved to the direct suits
        for outcome in ("upheld", "corrected", "total"):
            cells[f"s4.suit_direct.{outcome}"], cells[f"s4.review.{outcome}"] = cells[f"s4.review.{outcome}"], "0"
    load(con, reports)
    row = sql.run(con, "appeals_trend", **scope()).set_index("year").loc[2020]
    assert row["suit_direct_rate"] == pytest.approx(POOLED) and pd.isna(row["review_rate"])
    rates = sql.run(con, "appeals_rates", **scope()).set_index("block")
    assert rates.loc["行政诉讼·未经复议直接起诉", "correction_rate"] == pytest.approx(POOLED)
    assert explore(con, "suit_direct_rate", "年度", pivot.NO_COLUMNS).table.iloc[0, 1] == pytest.approx(POOLED)


def test_every_pooled_place_of_the_catalogue_is_tested_here():
    pooled = {p for r in catalog.ratios().values() for p in r.pooled}
    suits = {"appeals_trend.suit_direct_rate", "appeals_trend.suit_after_review_rate"}  # the same SQL as review_rate
    assert pooled - suits == set(COMBINED)


# --- the page ----------------------------------------------------------------------------------------------------

def explore_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "explore.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def shown_pivot(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if d.value.columns[0] in pivot.DIMENSIONS)


@pytest.mark.slow
def test_the_page_pools_the_rate_and_never_offers_a_sum(two_agencies):
    at = explore_page()
    at.selectbox(key="explore_metric").set_value("disclosure_rate").run()
    assert not at.exception, at.exception
    assert at.radio(key="explore_aggregation").options == pivot.aggregations(True)
    assert at.radio(key="explore_aggregation").value == pivot.POOLED
    for rows, columns in (("单位类型", pivot.NO_COLUMNS), ("年度", pivot.NO_COLUMNS), ("单位类型", "年度"),
                          ("地区", "年度")):
        at.selectbox(key="explore_rows").set_value(rows).run()
        at.selectbox(key="explore_columns").set_value(columns).run()
        assert not at.exception, at.exception
        table = shown_pivot(at)
        rates = table.drop(columns=[c for c in table.columns if "（件）" in c or c in (pivot.REPORTS, pivot.NOTE)])
        rates = rates.set_index(rows).stack().astype(float)
        assert (rates <= 1).all() and rates.max() == pytest.approx(POOLED), (rows, columns)
