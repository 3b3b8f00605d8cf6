"""年度对比: the comparison against pandas over the stored facts, the one-year agencies, the pooled 合计, the page."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import year_compare as yc
from disclosure.store import sql

ROOT = Path(__file__).parent.parent
COUNTY = "示例省/示例市/示例县"
SCOPE = {"region": COUNTY, "kinds": [], "agencies": []}


def figures_from_facts(con) -> pd.DataFrame:
    """Each current report's key figures, computed here from the stored cells (not from report_summary)."""
    cells = con.execute("select agency, region, kind, year, metric, value from report_facts").df()
    wide = cells.pivot_table(index=["agency", "region", "kind", "year"], columns="metric", values="value",
                             aggfunc="first").reset_index()
    col = lambda code: wide[code] if code in wide else pd.Series(float("nan"), index=wide.index)
    appeals = pd.concat([col("s4.review.total"), col("s4.suit_direct.total"), col("s4.suit_after_review.total")],
                        axis=1)
    return pd.DataFrame({
        "agency": wide["agency"], "region": wide["region"], "kind": wide["kind"], "year": wide["year"],
        "published": col("s1.published_total"), "new_applications": col("s3.new.total"),
        "handled": col("s3.handled_total.total"),
        "disclosed": col("s3.granted.total").fillna(0) + col("s3.partial.total").fillna(0),
        "appeals": appeals.sum(axis=1, min_count=1)})


def compared(con, base: int, target: int) -> pd.DataFrame:
    rows = sql.run(con, "year_compare", **SCOPE, base=base, target=target)
    return yc.compare(rows, base, target)


# --- the comparison against the stored facts ---------------------------------------------------------------------

def test_each_agency_of_both_years_matches_the_stored_facts(demo_con):
    facts = figures_from_facts(demo_con)
    got = compared(demo_con, 2020, 2021).set_index(["agency", "region"])
    base = facts[facts["year"] == 2020].set_index(["agency", "region"])
    target = facts[facts["year"] == 2021].set_index(["agency", "region"])
    both = base.index.intersection(target.index)
    assert len(both) >= 15 and set(got.index) == set(base.index) | set(target.index)
    for key in both:
        row = got.loc[key]
        assert row["status"] == yc.BOTH
        for m in yc.COUNTS:
            b, t = base.at[key, m], target.at[key, m]
            assert row[f"{m}_base"] == b and row[f"{m}_target"] == t, (key, m)
            assert row[f"{m}_change"] == t - b
            if b == 0:
                assert pd.isna(row[f"{m}_change_pct"]), "no relative change over a base of 0"
            else:
                assert row[f"{m}_change_pct"] == pytest.approx((t - b) / b)
        for side, frame in (("base", base), ("target", target)):
            handled, disclosed = frame.at[key, "handled"], frame.at[key, "disclosed"]
            expected = disclosed / handled if handled > 0 else None
            assert (pd.isna(row[f"{yc.RATE}_{side}"]) if expected is None
                    else row[f"{yc.RATE}_{side}"] == pytest.approx(expected)), (key, side)


def test_an_agency_of_only_one_year_is_marked(demo_con):
    got = compared(demo_con, 2020, 2021).set_index("agency")
    assert got.at["海青乡", "status"] == yc.BASE_ONLY, "the seed report is 2020 only"
    assert got.at["示例县医疗保障局", "status"] == yc.TARGET_ONLY, "reports from 2021 on"
    assert pd.isna(got.at["海青乡", "published_change"]) and pd.isna(got.at["海青乡", "published_target"])
    shown = yc.table(compared(demo_con, 2020, 2021), 2020, 2021).set_index("单位")["状态"]
    assert shown["海青乡"] == "仅2020年" and shown["示例县医疗保障局"] == "仅2021年" and shown["石门镇"] == "两年都有"
    later = yc.table(compared(demo_con, 2023, 2024), 2023, 2024).set_index("单位")["状态"]
    assert later["白沙乡"] == "仅2024年", "白沙乡 has no 2023 report"


def test_total_row_sums_counts_over_both_years_and_pools_the_rate(demo_con):
    facts = figures_from_facts(demo_con)
    facts = facts[facts["kind"] != "汇总"]
    base = facts[facts["year"] == 2020].set_index(["agency", "region"])
    target = facts[facts["year"] == 2021].set_index(["agency", "region"])
    both = base.index.intersection(target.index)
    total = yc.total_row(compared(demo_con, 2020, 2021), 2020, 2021).iloc[0]
    names = yc.headers(2020, 2021)
    assert total["单位"] == "合计" and f"{len(both)} 个单位" in total["状态"]
    for m in yc.COUNTS:
        assert total[names[f"{m}_base"]] == base.loc[both, m].sum()
        assert total[names[f"{m}_target"]] == target.loc[both, m].sum()
    assert base.loc[both, "published"].sum() != facts[facts["year"] == 2020]["published"].sum(), \
        "the test must tell the both-years sum from the sum over every 2020 report"
    for side, frame, year in (("base", base, 2020), ("target", target, 2021)):
        part = frame.loc[both]
        pooled = part["disclosed"].sum() / part["handled"].sum()
        assert total[names[f"{yc.RATE}_{side}"]] == pytest.approx(pooled)
        rates = (part["disclosed"] / part["handled"]).where(part["handled"] > 0)
        assert abs(rates.mean() - pooled) > 1e-3, f"{year}: the mean of rates must differ, or the test proves nothing"
    rate_change = total[names[f"{yc.RATE}_change"]]
    assert rate_change == pytest.approx(100 * (total[names[f"{yc.RATE}_target"]] - total[names[f"{yc.RATE}_base"]]))


def test_summary_reports_are_shown_but_never_added(demo_con):
    got = compared(demo_con, 2024, 2025)
    assert (got["kind"] == "汇总").any()
    total = yc.totals(got)
    own = got[got["kind"] != "汇总"]
    assert total["published_target"] == own["published_target"].sum()
    assert yc.largest_changes(got, "published").query("kind == '汇总'").empty


# --- blanks, zeros and the totals' n, on a small frame -----------------------------------------------------------

def rows(*records) -> pd.DataFrame:
    columns = ["agency", "region", "kind", "year", "published", "new_applications", "handled", "disclosed",
               "disclosure_rate", "appeals"]
    return pd.DataFrame(records, columns=columns)


SMALL = rows(
    ("甲镇", "省/市/A县", "镇", 2023, 10.0, 0.0, 4.0, 2.0, 0.5, None),
    ("甲镇", "省/市/A县", "镇", 2024, 15.0, 3.0, 6.0, 6.0, 1.0, 1.0),
    ("甲镇", "省/市/B县", "镇", 2023, None, 2.0, 20.0, 5.0, 0.25, 0.0),  # same name, another county
    ("甲镇", "省/市/B县", "镇", 2024, 7.0, 4.0, 10.0, 5.0, 0.5, 2.0),
    ("乙乡", "省/市/A县", "乡", 2024, 9.0, 1.0, 0.0, 0.0, None, 0.0),
    ("A县政府", "省/市/A县", "汇总", 2023, 99.0, 9.0, 99.0, 9.0, 9 / 99, 9.0),
    ("A县政府", "省/市/A县", "汇总", 2024, 99.0, 9.0, 99.0, 9.0, 9 / 99, 9.0),
)


def test_agencies_are_told_apart_by_region_and_blanks_stay_blank():
    got = yc.compare(SMALL, 2023, 2024).set_index(["agency", "region"])
    assert len(got) == 4 and got.at[("乙乡", "省/市/A县"), "status"] == yc.TARGET_ONLY
    a, b = got.loc[("甲镇", "省/市/A县")], got.loc[("甲镇", "省/市/B县")]
    assert a["published_change"] == 5 and a["published_change_pct"] == pytest.approx(0.5)
    assert pd.isna(b["published_base"]) and pd.isna(b["published_change"]) and pd.isna(b["published_change_pct"])
    assert a["new_applications_change"] == 3 and pd.isna(a["new_applications_change_pct"]), "base 0: no rate"
    assert pd.isna(a["appeals_change"]), "a blank base is not 0"
    assert str(got["published_base"].dtype) == "Int64", "counts are whole numbers, never 2.0"


def test_totals_count_only_agencies_stating_a_figure_in_both_years():
    total = yc.totals(yc.compare(SMALL, 2023, 2024))
    assert total["agencies"] == 2, "the two 甲镇; not 乙乡 (2024 only) nor the 汇总"
    assert (total["published_base"], total["published_target"], total["published_n"]) == (10, 15, 1)
    assert (total["appeals_base"], total["appeals_target"], total["appeals_n"]) == (0, 2, 1)
    assert total["disclosure_rate_base"] == pytest.approx((2 + 5) / (4 + 20))
    assert total["disclosure_rate_target"] == pytest.approx((6 + 5) / (6 + 10))
    assert total["disclosure_rate_base"] != pytest.approx((0.5 + 0.25) / 2)
    assert "主动公开信息总数 1 个" in yc.total_note(yc.compare(SMALL, 2023, 2024))


def test_default_years_are_the_sidebar_year_and_the_one_before_with_data():
    assert yc.default_years([2025, 2024, 2023], 2025) == (2024, 2025)
    assert yc.default_years([2025, 2023], 2025) == (2023, 2025), "a gap: the latest earlier year with data"
    assert yc.default_years([2019, 2020], 2019) == (2019, 2020), "the first year: it and the next"
    assert yc.default_years([2020], 2020) == (2020, 2020)


# --- the largest changes ---------------------------------------------------------------------------------------

def test_largest_changes_are_the_top_15_by_size_with_a_legend_and_labels(demo_con):
    got = compared(demo_con, 2020, 2021)
    changes = yc.largest_changes(got, "published")
    eligible = got[(got["status"] == yc.BOTH) & (got["kind"] != "汇总")]
    expected = eligible["published_change"].astype(float).abs().sort_values(ascending=False)
    assert len(changes) == 15 and changes["change"].abs().tolist() == expected.head(15).tolist()
    fig = yc.change_chart(changes, "published", 2020, 2021)
    assert {t.name for t in fig.data} == {yc.INCREASE, yc.DECREASE}
    assert sum(len(t.x) for t in fig.data) == 15 and all(t.text is not None for t in fig.data)
    assert fig.layout.xaxis.title.text == "主动公开信息总数变化（条）" and fig.layout.legend.title.text == "变化方向"


def test_rate_changes_rank_only_agencies_with_enough_handled(demo_con):
    got = compared(demo_con, 2020, 2021)
    changes = yc.largest_changes(got, yc.RATE).merge(got, on=["agency", "region"])
    assert not changes.empty
    assert (changes["handled_base"] >= yc.SMALL_BASE).all() and (changes["handled_target"] >= yc.SMALL_BASE).all()
    small = got[(got["status"] == yc.BOTH) & (got["handled_base"] < yc.SMALL_BASE) & got[f"{yc.RATE}_change"].notna()]
    assert not small.empty, "the demo has an agency with a rate over few applications"
    assert set(small["agency"]).isdisjoint(changes["agency"])
    fig = yc.change_chart(yc.largest_changes(got, yc.RATE), yc.RATE, 2020, 2021)
    assert fig.layout.xaxis.title.text == "公开率变化（百分点）"


# --- the page --------------------------------------------------------------------------------------------------

def run_page(url: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "compare_years.py"), default_timeout=90)
    for param, value in (url or {}).items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, at.exception
    return at


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column}"
    return found


def test_page_defaults_to_the_sidebar_year_and_the_year_before(demo_con):
    at = run_page()
    assert at.title.values == ["年度对比"]
    assert (at.selectbox(key="compare_years_base").value, at.selectbox(key="compare_years_target").value) == (2024, 2025)
    agencies, total = table_with(at, "状态")
    assert "主动公开信息总数（条） 2025年" in agencies.columns and total["单位"].tolist() == ["合计"]
    assert len(at.get("plotly_chart")) == 1


def test_page_url_restores_the_two_years_and_marks_one_year_agencies(demo_con):
    at = run_page({"base": "2020", "target": "2021", "metric": "disclosure_rate"})
    assert (at.selectbox(key="compare_years_base").value, at.selectbox(key="compare_years_target").value) == (2020, 2021)
    assert at.selectbox(key="compare_years_metric").value == "disclosure_rate"
    agencies, total = table_with(at, "状态")
    status = agencies.set_index("单位")["状态"]
    assert status["海青乡"] == "仅2020年" and status["示例县医疗保障局"] == "仅2021年"
    expected = yc.total_row(compared(demo_con, 2020, 2021), 2020, 2021)
    assert total["公开率 2021年"].iloc[0] == pytest.approx(expected["公开率 2021年"].iloc[0])
    at.selectbox(key="compare_years_target").set_value(2023).run()
    assert not at.exception and at.query_params["target"] == "2023"


def test_page_asks_for_two_different_years(demo_con):
    at = run_page({"base": "2022", "target": "2022"})
    assert any("两个不同的年度" in w.value for w in at.warning)


def test_page_on_an_empty_database(db_file):
    at = run_page()
    assert any("还没有报告" in i.value for i in at.info)
