"""领导简报: the headline figures against the stored cells, pooled rates, blanks kept blank, the first and last three,
the Word document, and the page under AppTest with its links keeping the view."""
from __future__ import annotations

import csv
import io
import re
import urllib.parse
from pathlib import Path

import docx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.ingest import rule_store
from disclosure.present import briefing
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"
COUNTY = "示例省/示例市/示例县"
BLOCKS = ("review", "suit_direct", "suit_after_review")
LEAKED = re.compile(r"(?<![A-Za-z])(None|nan|NaN|<NA>|NaT)(?![A-Za-z])|\d\.0+\s*[件条份个处]")  # a blank or 2.0 件


# --- the figures, computed here from the stored cells ------------------------------------------------------------

def cells_by_report(con, region: str) -> pd.DataFrame:
    """One row per current report of the region's agencies (汇总 left out), one column per stated cell: straight
    from report_facts, not through report_summary or the briefing's queries."""
    cells = con.execute("select agency, kind, region, year, metric, value from report_facts "
                        "where (region = $r or starts_with(region, $r || '/')) and kind <> '汇总'", {"r": region}).df()
    return cells.pivot_table(index=["agency", "region", "year"], columns="metric", values="value",
                             aggfunc="first").reset_index()


def column(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame[code] if code in frame else pd.Series(float("nan"), index=frame.index)


def expected_headline(con, region: str, year: int) -> dict[str, float | None]:
    wide = cells_by_report(con, region)
    rows = wide[wide["year"] == year]
    total = lambda code: rows[code].sum(min_count=1) if code in rows else None  # noqa: E731 — all blank: blank
    handled = column(rows, "s3.handled_total.total")
    rated = rows[handled > 0]
    disclosed = column(rated, "s3.granted.total").fillna(0) + column(rated, "s3.partial.total").fillna(0)
    corrected = decided = 0.0
    for block in BLOCKS:
        right = column(rows, f"s4.{block}.corrected")
        base = column(rows, f"s4.{block}.total") - column(rows, f"s4.{block}.pending")
        stated = right.notna() & (base > 0)
        corrected += right[stated].sum()
        decided += base[stated].sum()
    appeals = pd.concat([column(rows, f"s4.{b}.total") for b in BLOCKS], axis=1).sum(axis=1, min_count=1)
    roster = con.execute("select a.name as agency, ro.active_from, ro.active_to from roster as ro "
                         "join agencies as a on a.id = ro.agency_id where a.kind <> '汇总'").df().set_index("agency")
    reported = {y: set(wide.loc[wide["year"] == y, "agency"]) for y in (year - 1, year)}
    agencies = set(wide["agency"]) | set(roster.index)
    expected = sum(
        (pd.isna(roster.loc[a, "active_from"]) or roster.loc[a, "active_from"] <= year)
        and (pd.isna(roster.loc[a, "active_to"]) or year <= roster.loc[a, "active_to"])
        if a in roster.index else a in reported[year - 1] for a in agencies)
    errors = rule_store.checked(con, region)  # the rule engine run now, not the stored violations
    return {"reports": len(rows), "expected": expected, "published": total("s1.published_total"),
            "new_applications": total("s3.new.total"), "handled": total("s3.handled_total.total"),
            "disclosure_rate": disclosed.sum() / handled[handled > 0].sum() if (handled > 0).any() else None,
            "appeals": appeals.sum(min_count=1), "correction_rate": corrected / decided if decided else None,
            "violations": int(((errors["severity"] == "error") & (errors["year"] == year)).sum())}


@pytest.mark.parametrize("year", [2023, 2022])
def test_demo_headline_figures_match_the_stored_cells(demo_con, year):
    b = briefing.build(demo_con, COUNTY, 2023)
    side = "this" if year == 2023 else "last"
    want = expected_headline(demo_con, COUNTY, year)
    for key in ("reports", "published", "new_applications", "handled", "disclosure_rate", "appeals",
                "correction_rate", "violations"):
        assert getattr(b.figure(key), side) == pytest.approx(want[key]), key
    assert getattr(b.figure("reports"), "of" if side == "this" else "of_last") == want["expected"]


def test_demo_headline_golden_values(demo_con):
    """The figures as 总览 shows them for the demo county, so the two computations above cannot agree on a wrong
    number unseen."""
    b = briefing.build(demo_con, COUNTY, 2023)
    shown = {f.key: (f.value_text, f.last_text, f.change_text) for f in b.figures}
    assert shown["reports"] == ("19 / 20 份", "20 / 20 份", "-1 份")
    assert shown["published"] == ("6,259 条", "5,641 条", "+618 条")
    assert shown["disclosure_rate"] == ("48.1%", "43.4%", "+4.7 个百分点")
    assert shown["violations"] == ("0 处", "5 处", "-5 处")
    assert b.figure("disclosure_rate").note == "予以公开+部分公开 220 件 ÷ 办理结果总计 457 件，13 份报告"
    assert b.missing["agency"].tolist() == ["白沙乡"]
    assert len(briefing.build(demo_con, COUNTY, 2022).violations) == 5


def test_the_agency_selection_narrows_every_figure(demo_con):
    b = briefing.build(demo_con, COUNTY, 2023, agencies=["示例县公安局"])
    assert (b.figure("reports").this, b.figure("reports").of) == (1, 1)
    assert b.figure("published").this == 440
    assert b.missing.empty and b.rankings[0].top["agency"].tolist() == ["示例县公安局"]


# --- pooled rates and blanks, on reports made for the purpose --------------------------------------------------------

def report(agency: str, year: int, *, new: int, granted: int, denied: int, carried_out: int,
           review: tuple[int, int] | None) -> dict[str, str]:
    """The seed report (a 2019-form wide row) with these figures in the natural-person column and 总计; review is
    (upheld, corrected), or None for section 四 left blank."""
    cells = {"agency": agency, "year": str(year), "kind": "乡", "parent": COUNTY, "version": "2019",
             "s1.published_total": "10", "s1.channel.wechat": "10", "s1.channel.other": "0"}
    for row, n in (("new", new), ("granted", granted), ("deny_secret", denied), ("handled_total", granted + denied),
                   ("carried_out", carried_out)):
        cells[f"s3.{row}.natural"] = cells[f"s3.{row}.total"] = str(n)
    if review is None:
        return cells | {f"s4.{b}.{o}": "" for b in BLOCKS for o in ("upheld", "corrected", "other", "pending", "total")}
    upheld, corrected = review
    return cells | {"s4.review.upheld": str(upheld), "s4.review.corrected": str(corrected),
                    "s4.review.total": str(upheld + corrected)}


def load(con, reports: list[dict[str, str]]) -> None:
    header, seed = list(csv.reader(io.StringIO(SEED.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for cells in reports:
        assert set(cells) <= set(header), set(cells) - set(header)
        writer.writerow([cells.get(h, v) for h, v in zip(header, seed)])
    plan, result = import_bytes(con, {"briefing.csv": out.getvalue().encode("utf-8")})
    assert result is not None, [i.message for i in plan.issues if i.is_error]


@pytest.mark.slow
def test_the_disclosure_rate_of_two_agencies_is_pooled(con):
    load(con, [report("甲乡", 2020, new=2, granted=1, denied=1, carried_out=0, review=(1, 1)),
               report("乙乡", 2020, new=200, granted=99, denied=1, carried_out=100, review=(1, 99))])
    b = briefing.build(con, COUNTY, 2020)
    rate = b.figure("disclosure_rate")
    assert rate.this == pytest.approx(100 / 102), "never the mean of 50% and 99%, nor their sum"
    assert rate.value_text == "98.0%" and rate.note == "予以公开+部分公开 100 件 ÷ 办理结果总计 102 件，2 份报告"
    assert b.figure("correction_rate").this == pytest.approx(100 / 102)
    ranked = next(r for r in b.rankings if r.key == "disclosure_rate")
    assert ranked.top["agency"].tolist() == ["乙乡"] and ranked.ranked == 1, "甲乡 handled 2, under the base of 5"
    assert "不少于 5 件" in ranked.note


@pytest.mark.slow
def test_a_blank_stays_blank(con):
    load(con, [report("甲乡", 2019, new=2, granted=1, denied=1, carried_out=0, review=(3, 1)),
               report("甲乡", 2020, new=2, granted=1, denied=1, carried_out=0, review=None),
               report("乙乡", 2020, new=2, granted=1, denied=1, carried_out=0, review=(2, 0))])
    b = briefing.build(con, COUNTY, 2020, agencies=["甲乡"])
    appeals = b.figure("appeals")
    assert appeals.this is None and appeals.last == 4
    assert (appeals.value_text, appeals.change_text) == ("—", "—"), "blank is not 0 and has no change"
    assert b.figure("correction_rate").value_text == "—"
    first = briefing.build(con, COUNTY, 2019)
    assert first.figure("published").last is None and first.figure("published").change is None
    assert first.figure("reports").last_text == "—" and first.figure("violations").last_text == "—"
    both = briefing.build(con, COUNTY, 2020)
    ranked = next(r for r in both.rankings if r.key == "appeals")
    assert ranked.top["agency"].tolist() == ["乙乡"] and ranked.ranked == 1, "甲乡's blank is not ranked as 0"
    assert "—" in document_text(briefing.to_docx(b))


# --- the first and last three -----------------------------------------------------------------------------------

def agencies_frame(values: dict[str, float | None], handled: dict[str, float] | None = None) -> pd.DataFrame:
    names = list(values)
    handled = handled or {}
    return pd.DataFrame({"agency": names, "region": COUNTY, "kind": "乡",
                         "published": [values[n] for n in names],
                         "disclosure_rate": [values[n] for n in names],
                         "disclosed": [(values[n] or 0) * handled.get(n, 10) for n in names],
                         "handled": [handled.get(n, 10) for n in names]})


def test_ties_are_broken_by_name_and_the_last_three_leave_out_the_first():
    frame = agencies_frame({"丁乡": 5, "乙乡": 9, "甲乡": 9, "丙乡": 1, "戊乡": None, "己乡": 1, "庚乡": 3})
    ranked = briefing.ranking(frame, COUNTY, "published", "主动公开信息总数", "条", "proactive", None)
    assert ranked.top["agency"].tolist() == ["乙乡", "甲乡", "丁乡"]  # 9, 9 (乙 before 甲), 5
    assert ranked.bottom["agency"].tolist() == ["丙乡", "己乡", "庚乡"]
    assert ranked.ranked == 6 and ranked.top["text"].tolist()[0] == "9 条"
    four = briefing.ranking(agencies_frame({"甲乡": 4, "乙乡": 3, "丙乡": 2, "丁乡": 1}), COUNTY, "published",
                            "主动公开信息总数", "条", "proactive", None)
    assert four.top["agency"].tolist() == ["甲乡", "乙乡", "丙乡"] and four.bottom["agency"].tolist() == ["丁乡"]


def test_a_rate_is_ranked_only_over_a_base_of_five():
    frame = agencies_frame({"甲乡": 1.0, "乙乡": 0.5, "丙乡": 0.2}, handled={"甲乡": 4, "乙乡": 5, "丙乡": 50})
    ranked = briefing.ranking(frame, COUNTY, "disclosure_rate", "公开率", "", "applications",
                              ("disclosed", "handled"))
    assert ranked.top["agency"].tolist() == ["乙乡", "丙乡"]
    assert ranked.top["text"].tolist() == ["50.0%（2/5）", "20.0%（10/50）"]


def test_agencies_of_several_regions_are_named_with_their_region():
    assert briefing.agency_label("城关镇", "示例省/示例市/甲县", "示例省/示例市") == "城关镇（甲县）"
    assert briefing.agency_label("城关镇", COUNTY, COUNTY) == "城关镇"


# --- the Word document ------------------------------------------------------------------------------------------------

def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_docx_holds_region_year_figures_lists_and_link(demo_con):
    b = briefing.build(demo_con, COUNTY, 2022, link="http://localhost:8611/briefing?region=x&year=2022")
    document = docx.Document(io.BytesIO(briefing.to_docx(b)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297), "A4"
    text = document_text(briefing.to_docx(b))
    assert COUNTY in text and "2022年" in text and "2021年" in text and "示例县" in document.paragraphs[0].text
    for f in b.figures:
        assert f.label in text and f.value_text in text and f.last_text in text and f.change_text in text, f.key
    for r in b.rankings:
        assert all(label in text for label in r.top["label"]), r.key
    assert all(label in text for label in b.violations["label"]) and len(b.violations) == 5
    assert "http://localhost:8611/briefing?region=x&year=2022" in text and "数据截至" in text
    assert not LEAKED.search(text), LEAKED.search(text)
    headline = document.tables[0]
    assert [c.text for c in headline.rows[0].cells][:4] == ["指标", "2022年", "2021年", "较上年"]


# --- the page ------------------------------------------------------------------------------------------------------

def page(url: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "briefing.py"), default_timeout=120)
    for param, value in url.items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_shows_the_headline_metrics(demo_con):
    at = page({"region": COUNTY, "year": "2023"})
    b = briefing.build(demo_con, COUNTY, 2023)
    assert {m.label: m.value for m in at.metric} == {f.label: f.value_text for f in b.figures}
    assert {m.label: m.delta for m in at.metric}["主动公开信息总数"] == "+618 条"
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert "示例县人民政府办公室" in shown and "白沙乡" in shown and "@media print" in shown
    assert [d.label for d in at.get("download_button")] == ["下载 Word 简报"]


@pytest.mark.parametrize("year", ["2019", "2022"])  # 2019: no year before; 2022: the demo's rule violations
def test_the_page_shows_blanks_as_dashes_and_no_leaked_blank(demo_con, year):
    at = page({"region": COUNTY, "year": year})
    texts = [h.proto.body for h in at.get("html") if "@media" not in h.proto.body]
    texts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric] + [str(c.value) for c in at.caption]
    assert not [t for t in texts if LEAKED.search(t)]
    if year == "2019":
        assert not any(m.delta for m in at.metric) and "2018年：—" in " ".join(texts)
    else:
        assert any("勾稽关系错误（5 处）" in m.value for m in at.markdown)


@pytest.mark.slow
def test_the_page_escapes_what_users_typed(con):
    load(con, [report("<b>甲</b>乡", 2020, new=2, granted=1, denied=1, carried_out=0, review=(1, 1))])
    shown = " ".join(h.proto.body for h in page({"year": "2020"}).get("html"))
    assert "&lt;b&gt;甲&lt;/b&gt;乡" in shown and "<b>甲" not in shown


ENTRYPOINT = """
import streamlit as st
from disclosure import ui

pages = [st.Page("pages/briefing.py", title="领导简报", default=True)] + [
    st.Page(f"pages/{name}.py", title=name) for name in ("overview", "proactive", "applications", "appeals", "quality")]
page = st.navigation(pages, position="hidden")
ui.start(page.url_path)
ui.run(page)
"""


def test_every_link_keeps_the_view(demo_con, tmp_path):
    """Under a navigation (an entrypoint like dashboard.py's, beside a link to the real pages/) each figure's
    page_link opens its page with the sidebar's region, year, years and kinds."""
    (tmp_path / "pages").symlink_to(ROOT / "pages")
    (tmp_path / "app.py").write_text(ENTRYPOINT, encoding="utf-8")
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=120)
    for param, value in {"region": COUNTY, "year": "2022", "kind": ["乡", "镇"]}.items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    links = at.get("page_link")
    assert {link.proto.page for link in links} == {"overview", "proactive", "applications", "appeals", "quality"}
    assert len(links) == 8 + 6 + 2, "each headline figure, each first-and-last three, missing and violations"
    for link in links:
        params = urllib.parse.parse_qs(link.proto.query_string)
        assert params["region"] == [COUNTY] and params["year"] == ["2022"], link.proto.query_string
        assert params["kind"] == ["乡", "镇"] and params["from"] == ["2019"] and params["to"] == ["2025"]
    assert {m.label: m.value for m in at.metric}["主动公开信息总数"] == briefing.build(
        demo_con, COUNTY, 2022, kinds=["乡", "镇"]).figure("published").value_text
