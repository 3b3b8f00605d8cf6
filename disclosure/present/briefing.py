"""领导简报: a region's year against the year before on one page — headline figures, each agency figure's first and
last three, missing reports and rule violations — and the same as a Word document a leader can forward."""
from __future__ import annotations

import io
from dataclasses import dataclass

import duckdb
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from disclosure.ingest import rule_store
from disclosure.store import sql

BLANK = "—"  # a figure no report states: never 0
SUMMARY_KIND = "汇总"  # restates the agencies below it: never added to them, never ranked
MIN_BASE = 5  # a rate over fewer handled (or decided) cases is not ranked (data-contract.md §5)
SHOWN = 3  # first and last three
LISTED = 30  # missing reports and violations listed in full up to this many
FONT = "宋体"

# the page each figure comes from: the file st.page_link takes, and its title
PAGES = {"overview": ("pages/overview.py", "总览"), "proactive": ("pages/proactive.py", "主动公开"),
         "applications": ("pages/applications.py", "依申请公开"), "appeals": ("pages/appeals.py", "复议诉讼"),
         "quality": ("pages/quality.py", "数据质量")}


class _OnPage:
    """A figure's source page (`page`, a key of PAGES): the file to link and its title."""

    page: str

    @property
    def page_file(self) -> str:
        return PAGES[self.page][0]

    @property
    def page_title(self) -> str:
        return PAGES[self.page][1]


@dataclass(frozen=True)
class Figure(_OnPage):
    """One headline figure in the year and the year before; None where no report states it."""

    key: str
    label: str
    unit: str  # 条, 件, 份, 处; "" for a rate
    page: str  # a key of PAGES
    this: float | None
    last: float | None
    rate: bool = False
    of: float | None = None  # 收到报告: out of the reports expected (应报)
    of_last: float | None = None
    note: str = ""  # a pooled rate's numerator, denominator and n, in words
    note_last: str = ""
    higher_is_better: bool = True

    @property
    def change(self) -> float | None:
        """This year − the year before, only where both years have the figure."""
        return None if self.this is None or self.last is None else self.this - self.last

    @property
    def value_text(self) -> str:
        return self._text(self.this, self.of)

    @property
    def last_text(self) -> str:
        return self._text(self.last, self.of_last)

    def _text(self, value: float | None, of: float | None) -> str:
        if value is None:
            return BLANK
        if self.rate:
            return percent(value)
        shown = f"{value:,.0f}"
        return f"{shown} / {of:,.0f} {self.unit}" if of is not None else f"{shown} {self.unit}"

    @property
    def change_text(self) -> str:
        """The change in words: 「+618 条」, 「-1 份」, 「+4.7 个百分点」, 「持平」; "—" unless both years have the figure."""
        change = self.change
        if change is None:
            return BLANK
        if self.rate:
            points = round(change * 100, 1)
            return "持平" if points == 0 else f"{signed(points, '.1f')} 个百分点"
        return "持平" if change == 0 else f"{signed(change, ',.0f')} {self.unit}"


@dataclass(frozen=True)
class Ranking(_OnPage):
    """An agency figure's first and last three (blank ones left out; a rate only over a base of MIN_BASE)."""

    key: str
    label: str
    unit: str
    page: str
    rate: bool
    top: pd.DataFrame  # agency, region, value, numerator, denominator, text
    bottom: pd.DataFrame
    ranked: int  # agencies compared
    note: str


@dataclass(frozen=True)
class Briefing:
    region: str
    year: int
    kinds: tuple[str, ...]
    agencies: tuple[str, ...]
    figures: tuple[Figure, ...]
    rankings: tuple[Ranking, ...]
    missing: pd.DataFrame  # agency, kind, region, basis, last_reported, label
    violations: pd.DataFrame  # agency, kind, region, rule, message, label
    data_date: pd.Timestamp | None
    link: str = ""

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    @property
    def title(self) -> str:
        return f"{self.region.rsplit('/', 1)[-1]} {self.year}年政务公开工作年度报告 领导简报"

    @property
    def scope(self) -> str:
        """The selection in words: region, years, kinds, agencies."""
        parts = [f"地区 {self.region}", f"{self.year}年（与{self.year - 1}年对比）",
                 f"单位类型 {'、'.join(self.kinds) or '全部'}"]
        if self.agencies:
            names = self.agencies if len(self.agencies) <= 5 else (*self.agencies[:5], f"等 {len(self.agencies)} 个")
            parts.append(f"单位 {'、'.join(names)}")
        return " · ".join(parts)

    @property
    def missing_lines(self) -> list[str]:
        """Each missing report in a line: 「白沙乡（乡，单位名单，最近报送 2022年）」."""
        return [f"{m.label}（{m.kind}，应报依据：{m.basis}，最近报送 {year_text(m.last_reported)}）"
                for m in self.missing.itertuples()]

    @property
    def violation_lines(self) -> list[str]:
        return [f"{v.label}：{v.rule} {v.message}" for v in self.violations.itertuples()]

    @property
    def file_name(self) -> str:
        return f"领导简报-{self.region.rsplit('/', 1)[-1]}-{self.year}"

    @property
    def data_date_text(self) -> str:
        when = BLANK if self.data_date is None else f"{self.data_date:%Y-%m-%d %H:%M}"
        return f"数据截至 {when}（最近一次导入或撤销）"


# ------------------------------------------------------------------------------------------ the figures


def build(con: duckdb.DuckDBPyConnection, region: str, year: int, kinds=(), agencies=(), *,
          issues: pd.DataFrame | None = None, link: str = "") -> Briefing:
    """The briefing of a region's year from the database; `issues` are the region's stored rule violations
    (rule_store.stored) when the caller has them already."""
    params = {"region": region, "year": year, "kinds": list(kinds), "agencies": list(agencies)}
    return from_frames(
        headline=sql.run(con, "briefing_headline", **params),
        agencies_frame=sql.run(con, "briefing_agencies", **params),
        missing=sql.run(con, "overview_missing", **params),
        issues=rule_store.stored(con, region) if issues is None else issues,
        data_date=sql.run(con, "briefing_data_date")["changed_at"].iloc[0],
        region=region, year=year, kinds=kinds, agencies=agencies, link=link)


def from_frames(*, headline: pd.DataFrame, agencies_frame: pd.DataFrame, missing: pd.DataFrame,
                issues: pd.DataFrame, data_date, region: str, year: int, kinds=(), agencies=(),
                link: str = "") -> Briefing:
    """The briefing from the query results: briefing_headline, briefing_agencies, overview_missing and the
    region's stored rule violations (rule_issues_in_region's columns)."""
    kinds, agencies = tuple(kinds), tuple(agencies)
    rows = headline.set_index("year")
    this, last = (rows.loc[y] if y in rows.index else pd.Series(dtype=object) for y in (year, year - 1))
    errors = _errors(issues, region, kinds, agencies)
    counted = {y: None if number(r.get("reports")) is None else float((errors["year"] == y).sum())
               for y, r in ((year, this), (year - 1, last))}
    figures = (
        Figure("reports", "收到报告", "份", "overview", number(this.get("reports")), number(last.get("reports")),
               of=number(this.get("expected")), of_last=number(last.get("expected"))),
        _count("published", "主动公开信息总数", "条", "proactive", this, last),
        _count("new_applications", "本年新收申请", "件", "applications", this, last),
        _count("handled", "办理结果总计", "件", "applications", this, last),
        Figure("disclosure_rate", "公开率", "", "applications", number(this.get("disclosure_rate")),
               number(last.get("disclosure_rate")), rate=True,
               note=_rate_note(this, "disclosed", "disclosure_base", "rate_reports", "予以公开+部分公开", "办理结果总计"),
               note_last=_rate_note(last, "disclosed", "disclosure_base", "rate_reports", "予以公开+部分公开",
                                    "办理结果总计")),
        _count("appeals", "行政复议和诉讼", "件", "appeals", this, last, higher_is_better=False),
        Figure("correction_rate", "纠错率（复议和诉讼）", "", "appeals", number(this.get("correction_rate")),
               number(last.get("correction_rate")), rate=True, higher_is_better=False,
               note=_rate_note(this, "corrected", "decided", "correction_reports", "结果纠正", "已审结"),
               note_last=_rate_note(last, "corrected", "decided", "correction_reports", "结果纠正", "已审结")),
        Figure("violations", "勾稽关系错误", "处", "quality", counted[year], counted[year - 1],
               higher_is_better=False),
    )
    own = agencies_frame[agencies_frame["kind"] != SUMMARY_KIND]
    rankings = tuple(ranking(own, region, *spec) for spec in RANKED)
    if agencies:
        missing = missing[missing["agency"].isin(agencies)]
    missing = missing.assign(label=[agency_label(a, r, region) for a, r in zip(missing["agency"], missing["region"])])
    date = None if data_date is None or pd.isna(data_date) else pd.Timestamp(data_date)
    return Briefing(region, year, kinds, agencies, figures, rankings, missing.reset_index(drop=True),
                    errors[errors["year"] == year].reset_index(drop=True), date, link)


# key, label, unit, page, (numerator, denominator) of a rate
RANKED = (("published", "主动公开信息总数", "条", "proactive", None),
          ("new_applications", "本年新收申请", "件", "applications", None),
          ("handled", "办理结果总计", "件", "applications", None),
          ("disclosure_rate", "公开率", "", "applications", ("disclosed", "handled")),
          ("appeals", "行政复议和诉讼", "件", "appeals", None),
          ("correction_rate", "纠错率（复议和诉讼）", "", "appeals", ("corrected", "decided")))
BASE_NAMES = {"handled": "办理结果总计", "decided": "已审结的复议和诉讼"}


def ranking(agencies: pd.DataFrame, region: str, key: str, label: str, unit: str, page: str,
            parts: tuple[str, str] | None) -> Ranking:
    """The first three (highest) and last three (lowest) agencies by one figure, ties broken by name; blank
    values left out; a rate only where its denominator is at least MIN_BASE. The last three leave out the first
    three, so a scope of four agencies shows three and one."""
    numerator, denominator = parts or (key, key)
    frame = pd.DataFrame({"agency": agencies["agency"], "region": agencies["region"],
                          "value": pd.to_numeric(agencies[key], errors="coerce").astype(float),
                          "numerator": pd.to_numeric(agencies[numerator], errors="coerce").astype(float),
                          "denominator": pd.to_numeric(agencies[denominator], errors="coerce").astype(float)})
    frame = frame[frame["value"].notna()]
    if parts:
        frame = frame[frame["denominator"] >= MIN_BASE]
    frame = frame.assign(label=[agency_label(a, r, region) for a, r in zip(frame["agency"], frame["region"])])
    frame = frame.assign(text=[_ranked_text(v, n, d, unit, bool(parts))
                               for v, n, d in zip(frame["value"], frame["numerator"], frame["denominator"])])
    top = frame.sort_values(["value", "agency", "region"], ascending=[False, True, True]).head(SHOWN)
    rest = frame.drop(top.index)
    bottom = rest.sort_values(["value", "agency", "region"], ascending=[True, True, True]).head(SHOWN)
    if parts:
        note = (f"仅比较{BASE_NAMES[denominator]}不少于 {MIN_BASE} 件的单位（{len(frame)} 个）；"
                "基数过小的比率不排名。")
    else:
        note = f"比较填报了该项的单位（{len(frame)} 个）；未填报的不排名，也不当作 0。"
    if frame.empty:
        note = "没有可比较的单位。"
    elif len(frame) < 2 * SHOWN:
        note += f"单位不足 {2 * SHOWN} 个：最低的只列最高三个以外的单位。"
    return Ranking(key, label, unit, page, bool(parts), top.reset_index(drop=True), bottom.reset_index(drop=True),
                   len(frame), note)


def _ranked_text(value: float, numerator: float, denominator: float, unit: str, rate: bool) -> str:
    if rate:
        return f"{percent(value)}（{numerator:,.0f}/{denominator:,.0f}）"
    return f"{value:,.0f} {unit}"


def _count(key: str, label: str, unit: str, page: str, this: pd.Series, last: pd.Series,
           higher_is_better: bool = True) -> Figure:
    return Figure(key, label, unit, page, number(this.get(key)), number(last.get(key)),
                  higher_is_better=higher_is_better)


def _rate_note(row: pd.Series, numerator: str, denominator: str, reports: str, top: str, bottom: str) -> str:
    """A pooled rate's n: 「予以公开+部分公开 220 件 ÷ 办理结果总计 457 件，13 份报告」."""
    num, den, n = number(row.get(numerator)), number(row.get(denominator)), number(row.get(reports))
    if number(row.get("reports")) is None:
        return ""
    if num is None or den is None:
        return f"没有{bottom}大于 0 的报告，无法计算"
    return f"{top} {num:,.0f} 件 ÷ {bottom} {den:,.0f} 件，{n or 0:,.0f} 份报告"


def _errors(issues: pd.DataFrame, region: str, kinds: tuple[str, ...], agencies: tuple[str, ...]) -> pd.DataFrame:
    """The error-level rule violations in the scope (both years), as 总览 counts them."""
    columns = ["agency", "kind", "region", "year", "rule", "message"]
    if issues.empty:
        return pd.DataFrame(columns=[*columns, "label"])
    keep = (issues["severity"] == "error") & ((issues["region"] == region)
                                              | issues["region"].str.startswith(region + "/"))
    if kinds:
        keep &= issues["kind"].isin(kinds)
    if agencies:
        keep &= issues["agency"].isin(agencies)
    out = issues.loc[keep, columns].sort_values(["year", "agency", "region", "rule"], kind="stable")
    return out.assign(label=[agency_label(a, r, region) for a, r in zip(out["agency"], out["region"])])


def agency_label(agency: str, region: str, scope: str) -> str:
    """The agency's name, and where the scope spans several regions (names repeat: 城关镇) its region below it."""
    if region == scope or not isinstance(region, str):
        return agency
    return f"{agency}（{region.removeprefix(scope + '/')}）"


def number(value) -> float | None:
    """A figure as a float, or None for a blank (NULL, NaN, pd.NA)."""
    if value is None or pd.isna(value):
        return None
    return float(value)


def year_text(value) -> str:
    return BLANK if number(value) is None else f"{int(value)}年"


def percent(value: float) -> str:
    return f"{value:.1%}"


def signed(value: float, spec: str) -> str:
    """「+12」 or 「-3」: always signed, as a change reads (the minus an ASCII one, which st.metric reads as down)."""
    return f"+{value:{spec}}" if value > 0 else f"-{-value:{spec}}"


# ------------------------------------------------------------------------------------------ the Word document


def to_docx(b: Briefing) -> bytes:
    """The briefing as a Word document on A4: title, headline table with the change, first and last three,
    missing reports, violations, and the data's date with the link to the view."""
    doc = Document()
    _page_setup(doc)
    doc.add_heading(b.title, level=0)
    doc.add_paragraph(b.scope)
    doc.add_paragraph("县级汇总报告（汇总）不计入合计和排名；“—”表示报告未填报该项（不是 0）；"
                      "比率为合并计算（各单位分子之和 ÷ 分母之和）。")

    doc.add_heading("主要指标", level=1)
    rows = [[f.label, f.value_text, f.last_text, f.change_text, _notes(f, b.year)] for f in b.figures]
    _table(doc, ["指标", f"{b.year}年", f"{b.year - 1}年", "较上年", "说明"], rows, widths=(32, 30, 30, 26, 52))

    doc.add_heading("各单位前三与后三", level=1)
    rows = [[r.label, _listed(r.top), _listed(r.bottom), r.note] for r in b.rankings]
    _table(doc, ["指标", "最高的三个单位（从高到低）", "最低的三个单位（从低到高）", "说明"], rows, widths=(28, 52, 52, 38))

    doc.add_heading(f"未报送的单位（{len(b.missing)} 个）", level=1)
    if b.missing.empty:
        doc.add_paragraph("应报的单位本年度都已报送。")
    else:
        rows = [[m.label, m.kind, m.basis, year_text(m.last_reported)] for m in b.missing.head(LISTED).itertuples()]
        _table(doc, ["单位", "类型", "应报依据", "最近报送年度"], rows, widths=(70, 25, 35, 40))
        _more(doc, len(b.missing), "个单位")

    doc.add_heading(f"勾稽关系错误（{len(b.violations)} 处）", level=1)
    if b.violations.empty:
        doc.add_paragraph("本年度所选范围内的报告没有违反勾稽关系的错误。")
    else:
        rows = [[v.label, v.rule, v.message] for v in b.violations.head(LISTED).itertuples()]
        _table(doc, ["单位", "规则", "问题"], rows, widths=(40, 16, 114))
        _more(doc, len(b.violations), "处")

    foot = doc.add_paragraph()
    foot.add_run(b.data_date_text + "。")
    if b.link:
        foot.add_run(f"本简报的在线视图：{b.link}")
    for run in foot.runs:
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _listed(frame: pd.DataFrame) -> str:
    if frame.empty:
        return BLANK
    return "\n".join(f"{n}. {label}  {text}" for n, (label, text) in enumerate(zip(frame["label"], frame["text"]), 1))


def _notes(f: Figure, year: int) -> str:
    return "；".join(f"{y}年：{note}" for y, note in ((year, f.note), (year - 1, f.note_last)) if note)


def _more(doc, total: int, unit: str) -> None:
    if total > LISTED:
        doc.add_paragraph(f"另有 {total - LISTED} {unit}未列出，详见平台「数据质量」「总览」页。")


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(18)
    for name in ("Normal", "Title", "Heading 1", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = r_pr.makeelement(qn("w:rFonts"), {})
            r_pr.append(fonts)
        fonts.set(qn("w:eastAsia"), FONT)  # Chinese text takes the East Asian font, not the Latin one
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.styles["Title"].font.size = Pt(18)


def _table(doc, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values):
            cell.text = str(text)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
