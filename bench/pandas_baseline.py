"""Baseline B of the query benchmark: the answer of a dashboard query computed by pandas alone.

`load_tables(con)` reads the base tables into memory once, with a plain `select *` each (never the views);
each function of `BASELINES` then takes those frames and the query's parameters as keyword arguments and
returns the same columns and rows as `sql.run(con, name, **params)`, replicating queries/<name>.sql and
the views it reads (report_summary, report_facts, the expected_reports macro) with vectorised pandas.
report_summary's figures are computed from the stored cells on each call: report_figures, the table that
stores them for the SQL (queries/views/35_report_figures.sql), is derived data and deliberately not read.
bench/run.py times them beside the SQL; tests/test_bench_baseline.py checks that they give the same answer.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb
import pandas as pd

# the base tables, read whole; statements written out, as no SQL is put together from strings (house rule)
TABLES = {
    "regions": "select * from regions",
    "agencies": "select * from agencies",
    "reports": "select * from reports",
    "batches": "select * from batches",
    "facts": "select * from facts",
    "metrics": "select * from metrics",
    "roster": "select * from roster",
}
SUMMARY = "汇总"  # the kind of a region's summary report, which restates the agencies below it

# report_summary: figures read from one stated cell, and those that add the 总计 cells of a group's rows
_STATED = {
    "published": "s1.published_total",
    "new_applications": "s3.new.total",
    "new_natural": "s3.new.natural",
    "carried_in": "s3.carried_in.total",
    "granted": "s3.granted.total",
    "partial": "s3.partial.total",
    "handled": "s3.handled_total.total",
    "carried_out": "s3.carried_out.total",
    "review_total": "s4.review.total",
    "review_corrected": "s4.review.corrected",
    "review_pending": "s4.review.pending",
    "suit_direct_total": "s4.suit_direct.total",
    "suit_direct_corrected": "s4.suit_direct.corrected",
    "suit_direct_pending": "s4.suit_direct.pending",
    "suit_after_review_total": "s4.suit_after_review.total",
    "suit_after_review_corrected": "s4.suit_after_review.corrected",
    "suit_after_review_pending": "s4.suit_after_review.pending",
}
_GROUP_TOTALS = {"denied": "deny", "unable": "unable", "rejected": "reject", "other_handling": "other"}
_APPEAL_TOTALS = ["review_total", "suit_direct_total", "suit_after_review_total"]

_BLOCKS = {"review": "行政复议", "suit_direct": "行政诉讼·未经复议直接起诉"}
_OTHER_BLOCK = "行政诉讼·复议后起诉"
_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
_OTHER_2021 = ("no_correction", "no_fee", "misc")


def load_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The base tables the baselines read, each fetched whole, once."""
    cur = con.cursor()
    try:
        return {name: cur.execute(statement).df() for name, statement in TABLES.items()}
    finally:
        cur.close()


# --- the views, restricted to a scope first ---------------------------------------------------------------------

def _in_region(paths: pd.Series, region: str) -> pd.Series:
    return paths.eq(region) | paths.str.startswith(region + "/")


def _agencies(t: dict, region: str, kinds: Iterable[str] = (), agencies: Iterable[str] = ()) -> pd.DataFrame:
    """Agencies of the region and the regions below it, kinds and names filtered where a list is given."""
    regions = t["regions"]
    regions = regions.loc[_in_region(regions["path"], region), ["id", "path"]]
    ag = t["agencies"].merge(regions, left_on="region_id", right_on="id", suffixes=("", "_region"))
    kinds, agencies = list(kinds), list(agencies)
    if kinds:
        ag = ag[ag["kind"].isin(kinds)]
    if agencies:
        ag = ag[ag["name"].isin(agencies)]
    return ag.rename(columns={"id": "agency_id", "name": "agency", "path": "region"})[
        ["agency_id", "agency", "kind", "region"]]


def _current_reports(t: dict, agency_ids: pd.Series, year_from: int, year_to: int) -> pd.DataFrame:
    rp = t["reports"]
    keep = rp["status"].eq("current") & rp["agency_id"].isin(agency_ids) & rp["year"].between(year_from, year_to)
    return rp.loc[keep, ["id", "agency_id", "year", "version", "batch_id"]].rename(columns={"id": "report_id"})


def _scope(t: dict, region: str, year_from: int, year_to: int, kinds: Iterable[str] = (),
           agencies: Iterable[str] = (), summaries: bool = True) -> pd.DataFrame:
    """The identifying columns of report_summary / report_facts for the current reports in scope."""
    ag = _agencies(t, region, kinds, agencies)
    if not summaries:
        ag = ag[ag["kind"].ne(SUMMARY)]
    rp = _current_reports(t, ag["agency_id"], year_from, year_to)
    batches = t["batches"][["id", "is_demo"]].rename(columns={"id": "batch_id"})
    scope = rp.merge(ag, on="agency_id").merge(batches, on="batch_id")
    return scope[["report_id", "agency_id", "agency", "kind", "region", "year", "version", "is_demo"]]


def _figures(t: dict, report_ids: pd.Series) -> pd.DataFrame:
    """report_summary's figures of the given reports, one row per report that has facts, indexed by report_id."""
    facts = t["facts"]
    facts = facts.loc[facts["report_id"].isin(report_ids), ["report_id", "metric", "value"]]
    cells = facts.merge(t["metrics"][["code", "group", "column_label"]], left_on="metric", right_on="code")

    stated = (cells[cells["metric"].isin(_STATED.values())]
              .groupby(["report_id", "metric"])["value"].max().unstack()
              .reindex(columns=list(_STATED.values())))
    stated.columns = list(_STATED)
    totals = cells[cells["group"].isin(_GROUP_TOTALS.values()) & cells["column_label"].eq("总计")]
    totals = (totals.groupby(["report_id", "group"])["value"].sum().unstack()
              .reindex(columns=list(_GROUP_TOTALS.values())))
    totals.columns = list(_GROUP_TOTALS)
    by_channel = cells[cells["group"].eq("channel")].groupby("report_id")["value"].sum().rename("published_by_channel")
    return pd.concat([stated, totals, by_channel], axis=1).astype("float64")


def _summary(t: dict, scope: pd.DataFrame) -> pd.DataFrame:
    """report_summary for the reports of `scope`: its figures, the 公开率 and the appeals."""
    s = scope.merge(_figures(t, scope["report_id"]), left_on="report_id", right_index=True, how="left")
    for column in [*_STATED, *_GROUP_TOTALS, "published_by_channel"]:  # a report without facts has no figure row
        if column not in s:
            s[column] = float("nan")
    s["disclosure_rate"] = ((s["granted"].fillna(0) + s["partial"].fillna(0)) / s["handled"]).where(s["handled"] > 0)
    s["appeals"] = s[_APPEAL_TOTALS].sum(axis=1).where(s[_APPEAL_TOTALS].notna().any(axis=1))
    return s


def _expected_reports(t: dict, region: str, kinds: Iterable[str], years: Iterable[int] | None = None) -> pd.DataFrame:
    """The expected_reports macro (schema 0003), optionally for some years only."""
    ag = _agencies(t, region, kinds)
    rp = t["reports"]
    reported = (rp.loc[rp["status"].eq("current") & rp["agency_id"].isin(ag["agency_id"]), ["agency_id", "year"]]
                .drop_duplicates())
    roster = t["roster"][["agency_id", "active_from", "active_to"]].astype(
        {"active_from": "float64", "active_to": "float64"}).assign(on_roster=True)
    listed = ag[ag["agency_id"].isin(roster["agency_id"]) | ag["agency_id"].isin(reported["agency_id"])]
    year_list = pd.Series(reported["year"].unique(), name="year")
    if years is not None:
        year_list = year_list[year_list.isin(list(years))]

    grid = listed.merge(year_list.to_frame(), how="cross").merge(roster, on="agency_id", how="left")
    marked = reported.assign(seen=True)
    grid = grid.merge(marked, on=["agency_id", "year"], how="left")
    grid = grid.merge(marked.assign(year=marked["year"] + 1).rename(columns={"seen": "seen_before"}),
                      on=["agency_id", "year"], how="left")
    on_roster = grid["on_roster"].notna()
    in_years = grid["year"].between(grid["active_from"].fillna(grid["year"]), grid["active_to"].fillna(grid["year"]))
    grid["reported"] = grid["seen"].notna()
    grid["expected"] = in_years.where(on_roster, grid["seen_before"].notna()).astype(bool)
    grid["basis"] = on_roster.map({True: "roster", False: "previous_year"})
    return grid[["agency_id", "agency", "kind", "region", "year", "reported", "expected", "basis"]]


# --- the queries ------------------------------------------------------------------------------------------------

def overview_kpis(t: dict, *, region: str, year: int, kinds: list[str]) -> pd.DataFrame:
    sc = _summary(t, _scope(t, region, year - 1, year, kinds, summaries=False))
    er = _expected_reports(t, region, kinds, years=range(year - 1, year + 1))
    expected = er[er["kind"].ne(SUMMARY)].groupby("year")["expected"].sum()

    g = sc.groupby("year")
    out = pd.DataFrame({
        "reports": g.size(),
        "expected": expected.reindex(g.size().index),
        "published": g["published"].sum(min_count=1),
        "new_applications": g["new_applications"].sum(min_count=1),
        "handled": g["handled"].sum(min_count=1),
    })
    stated = sc[sc["handled"].notna()]  # the rate's numerator counts only reports that state its denominator
    disclosed = (stated["granted"].fillna(0) + stated["partial"].fillna(0)).groupby(stated["year"]).sum()
    out["disclosure_rate"] = (disclosed.reindex(out.index) / out["handled"]).where(out["handled"] > 0)
    out["appeals"] = g["appeals"].sum(min_count=1)
    return out.rename_axis("year").reset_index().sort_values("year", ignore_index=True)


def overview_agencies(t: dict, *, region: str, year: int, kinds: list[str], agencies: list[str]) -> pd.DataFrame:
    rs = _summary(t, _scope(t, region, year, year, kinds, agencies))
    rs = (rs.assign(_summary=rs["kind"].eq(SUMMARY))
          .sort_values(["_summary", "published", "agency"], ascending=[True, False, True], na_position="last"))
    return rs[["agency", "kind", "region", "version", "published", "new_applications", "handled",
               "disclosure_rate", "appeals", "is_demo"]].reset_index(drop=True)


def proactive_channels(t: dict, *, region: str, year: int, kinds: list[str], agencies: list[str]) -> pd.DataFrame:
    sc = _summary(t, _scope(t, region, year, year, kinds, agencies, summaries=False))
    sc = sc.assign(base=sc["published"].fillna(sc["published_by_channel"]), base_is_total=sc["published"].notna())
    facts = t["facts"]
    facts = facts.loc[facts["report_id"].isin(sc["report_id"]) & facts["metric"].str.startswith("s1.channel."),
                      ["report_id", "metric", "value"]]
    channels = t["metrics"][["code", "row_label", "display_order"]]
    ch = (sc[["report_id", "agency", "region", "kind", "base", "base_is_total"]]
          .merge(facts, on="report_id")
          .merge(channels, left_on="metric", right_on="code")
          .rename(columns={"row_label": "channel", "value": "items"}))
    ch["base_kind"] = ch["base_is_total"].map({True: "信息总数", False: "渠道合计"})
    ch["share"] = ch["items"] / ch["base"].where(ch["base"].ne(0))
    ch = ch.sort_values(["agency", "region", "display_order"])
    return ch[["agency", "region", "kind", "channel", "items", "base", "base_kind", "share", "display_order"]].reset_index(
        drop=True)


def applications_by_agency(t: dict, *, region: str, year: int, kinds: list[str],
                           agencies: list[str]) -> pd.DataFrame:
    r = _summary(t, _scope(t, region, year, year, kinds, agencies))
    r["is_summary"] = r["kind"].eq(SUMMARY)
    r["small_base"] = r["handled"].lt(5)
    rankable = r["disclosure_rate"].notna() & r["handled"].ge(5) & ~r["is_summary"]
    r["rate_rank"] = r["disclosure_rate"].where(rankable).rank(method="min", ascending=False).astype("Int64")
    r = r.sort_values(["is_summary", "new_applications", "agency", "region"], ascending=[True, False, True, True],
                      na_position="last")
    return r[["agency", "region", "kind", "version", "new_applications", "carried_in", "granted", "partial", "denied", "unable",
              "rejected", "other_handling", "handled", "carried_out", "disclosure_rate", "small_base", "is_summary",
              "rate_rank"]].reset_index(drop=True)


def appeals_rates(t: dict, *, region: str, year: int, kinds: list[str], agencies: list[str]) -> pd.DataFrame:
    sc = _scope(t, region, year, year, kinds, agencies, summaries=False)
    facts = t["facts"]
    facts = facts.loc[facts["report_id"].isin(sc["report_id"]) & facts["metric"].str.startswith("s4."),
                      ["report_id", "metric", "value"]]
    parts = facts["metric"].str.split(".", expand=True).reindex(columns=[1, 2]).fillna("")
    facts = facts.assign(block_code=parts[1], outcome=parts[2])

    per_report = (facts.groupby(["report_id", "block_code", "outcome"])["value"].max()
                  .unstack().reindex(columns=_OUTCOMES).rename_axis(columns=None).astype("float64"))
    per_report["decided"] = per_report["total"] - per_report["pending"]
    per_report["corrected_decided"] = per_report["corrected"].where(per_report["decided"].notna())
    bl = per_report.groupby(level="block_code").sum(min_count=1)

    bl["correction_rate"] = (bl["corrected_decided"] / bl["decided"]).where(bl["decided"] > 0)
    bl["small_base"] = bl["decided"].fillna(0) < 5
    codes = bl.index.to_series()
    bl["block"] = codes.map(_BLOCKS).fillna(_OTHER_BLOCK)
    bl["_order"] = codes.map({"review": 1, "suit_direct": 2}).fillna(3)
    bl = bl.sort_values("_order")
    return bl[["block", *_OUTCOMES, "decided", "correction_rate", "small_base"]].reset_index(drop=True)


def trends_series(t: dict, *, region: str, year_from: int, year_to: int, kinds: list[str],
                  metric: str) -> pd.DataFrame:
    sc = _scope(t, region, year_from, year_to, kinds, summaries=False)
    facts = t["facts"]
    facts = facts.loc[facts["report_id"].isin(sc["report_id"]), ["report_id", "metric", "value"]]
    valued = [facts.loc[facts["metric"].eq(metric), ["report_id", "value"]]]

    if metric.startswith("s3.other."):  # a 2021 report's three other_* rows stand for the 2019 row
        rest = metric.removeprefix("s3.other.")
        parts = facts[facts["metric"].isin([f"s3.other_{p}.{rest}" for p in _OTHER_2021])
                      & facts["report_id"].isin(sc.loc[sc["version"].eq("2021"), "report_id"])]
        summed = parts.groupby("report_id")["value"].agg(["sum", "size"])
        valued.append(summed.loc[summed["size"].eq(3), "sum"].rename("value").reset_index())

    if metric.startswith("derived."):
        s = _summary(t, sc)
        has_appeals = s[_APPEAL_TOTALS].notna().any(axis=1)
        decided = s["review_total"] - s["review_pending"]
        derived = {
            "derived.new_applications": lambda: s["new_applications"],
            "derived.published": lambda: s["published"],
            "derived.disclosure_rate": lambda: s["disclosure_rate"],
            "derived.denied": lambda: s["denied"],
            "derived.unable": lambda: s["unable"],
            "derived.rejected": lambda: s["rejected"],
            "derived.other_handling": lambda: s["other_handling"],
            "derived.appeals": lambda: s["appeals"].where(has_appeals),
            "derived.appeal_intensity": lambda: (s["appeals"] / s["new_applications"]).where(
                s["new_applications"].gt(0) & has_appeals),
            "derived.review_rate": lambda: (s["review_corrected"] / decided).where(decided.gt(0)),
        }
        if metric in derived:
            valued.append(s[["report_id"]].assign(value=derived[metric]()).dropna(subset=["value"]))

    series = sc.merge(pd.concat(valued, ignore_index=True), on="report_id")[
        ["agency", "kind", "region", "year", "version", "value"]]
    before = series[["agency", "region", "year", "value"]].rename(columns={"value": "previous"})
    series = series.merge(before.assign(year=before["year"] + 1), on=["agency", "region", "year"], how="left")
    prev = series["previous"]
    series["yoy"] = ((series["value"] - prev) / prev).where(prev.notna() & prev.ne(0))
    return series.sort_values(["agency", "region", "year"], ignore_index=True)


BASELINES: dict[str, Callable[..., pd.DataFrame]] = {
    "overview_kpis": overview_kpis,
    "overview_agencies": overview_agencies,
    "proactive_channels": proactive_channels,
    "applications_by_agency": applications_by_agency,
    "appeals_rates": appeals_rates,
    "trends_series": trends_series,
}
