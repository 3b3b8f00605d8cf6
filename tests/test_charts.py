"""Every chart the chart modules build, fed with the demo data, as a class: a legend under the plot wherever colours
mean something, rate axes from 0 in %, count axes in whole numbers, hover that says % or a unit the same way its
axis does, Chinese text, rankings that name the year and the n, and one colour per agency on every chart."""
from __future__ import annotations

import base64
import inspect
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from disclosure import demo
from disclosure.present import charts, charts_disclosure, charts_trends, palette
from disclosure.store import db, sql

ROOT = Path(__file__).parent.parent

COUNTY = demo.COUNTY
YEAR = 2023
PARAMS = {"region": COUNTY, "year": YEAR, "year_from": 2019, "year_to": 2025, "kinds": [], "agencies": []}
MODULES = (charts, charts_disclosure, charts_trends)
CJK = re.compile(r"[\u4e00-\u9fff]")
PERCENT_HOVER = re.compile(r"%\{[xy]:[^}]*%\}")
WHOLE_HOVER = re.compile(r"%\{[xy]:,\.0f\}")
MARKUP = re.compile(r"%\{[^}]*\}|<[^>]*>")
PLACEMENT = {k: v for k, v in charts.legend("图例").items() if k not in ("title", "traceorder")}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_template):
    """A database file with the demo county (built once: it takes seconds), and a connection to it."""
    path = tmp_path_factory.mktemp("charts") / "demo.duckdb"
    shutil.copyfile(demo_template, path)
    con = db.connect(path)
    yield path, con
    con.close()


@pytest.fixture
def q(demo_db):
    """The demo county's rows of a named query."""
    return lambda name, **extra: sql.run(demo_db[1], name, **(PARAMS | extra))


@pytest.fixture
def app_db(demo_db, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_DB", str(demo_db[0]))


def own(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["kind"] != "汇总"]


def series(q, metric: str) -> pd.DataFrame:
    return charts.labelled(q("trends_series", metric=metric))


def metric_trend(q, metric: str, header: str, unit: str, is_rate: bool, style: str = "line") -> go.Figure:
    rows = series(q, metric)
    return charts_trends.metric_trend(rows, charts_trends.top_agencies(rows, year=YEAR), header, unit, is_rate,
                                      style, YEAR)


# name -> the figure on the demo data; a name is a chart function, "[...]" a second way of calling it
FIGURES = {
    "channel_split": lambda q: charts.channel_split(q("channel_split_by_agency"), YEAR),
    "ranking": lambda q: charts.ranking(own(q("overview_agencies")), "published", "主动公开信息", "条", YEAR),
    "ranking[rate]": lambda q: charts.ranking(own(q("overview_agencies")), "disclosure_rate", "公开率", "%", YEAR,
                                              base=("handled", "办理结果总计")),
    "ranking[appeals]": lambda q: charts.ranking(own(q("overview_agencies")), "appeals", "行政复议和诉讼", "件", YEAR),
    "heatmap": lambda q: charts.heatmap(own(q("overview_agencies")), {"published": ("主动公开信息", "条"),
                                        "disclosure_rate": ("公开率", "%"), "appeals": ("行政复议和诉讼", "件")}, YEAR),
    "channel_bars": lambda q: charts_disclosure.channel_bars(q("proactive_channels"), YEAR),
    "channel_shares": lambda q: charts_disclosure.channel_shares(q("proactive_channels"), YEAR),
    "channel_share_trend": lambda q: charts_disclosure.channel_share_trend(q("proactive_channel_trend")),
    "published_trend": lambda q: charts_disclosure.published_trend(
        charts_disclosure.published_lines(q("proactive_published"))),
    "decisions_trend": lambda q: charts_disclosure.decisions_trend(q("proactive_section2_trend")),
    "fees_trend": lambda q: charts_disclosure.fees_trend(q("proactive_section2_trend")),
    "outcome_bars": lambda q: charts_disclosure.outcome_bars(q("applications_by_agency").query("not is_summary"), YEAR),
    "received_bars": lambda q: charts_disclosure.received_bars(q("applications_by_agency").query("not is_summary"),
                                                               YEAR),
    "rate_bars": lambda q: charts_disclosure.rate_bars(q("applications_by_agency"), YEAR),
    "applicant_outcome_sankey": lambda q: charts_disclosure.applicant_outcome_sankey(q("applications_flow"), YEAR),
    "applicant_mix": lambda q: charts_disclosure.applicant_mix(q("applications_applicants"), YEAR),
    "applications_trend": lambda q: charts_disclosure.applications_trend(q("applications_trend")),
    "rate_trend": lambda q: charts_disclosure.rate_trend(q("applications_trend")),
    "appeal_blocks": lambda q: charts_trends.appeal_blocks(q("appeals_outcomes"), YEAR),
    "appeal_agencies": lambda q: charts_trends.appeal_agencies(q("appeals_outcomes"), None, YEAR),
    "appeal_agencies[block]": lambda q: charts_trends.appeal_agencies(q("appeals_outcomes"), "行政复议", YEAR),
    "appeal_trend": lambda q: charts_trends.appeal_trend(q("appeals_trend")),
    "metric_trend": lambda q: metric_trend(q, "derived.new_applications", "新收申请量", "件", False),
    "metric_trend[bar]": lambda q: metric_trend(q, "derived.published", "主动公开信息总数", "条", False, "bar"),
    "metric_trend[rate]": lambda q: metric_trend(q, "derived.disclosure_rate", "公开率", "", True),
    "metric_trend[small rate]": lambda q: metric_trend(q, "derived.appeal_intensity", "复议诉讼强度", "", True),
    "metric_trend[money]": lambda q: metric_trend(q, "s2.fees.amount_wan", "本年收费金额", "万元", False),
    "metric_trend[signed]": lambda q: metric_trend(q, "s2.licensing.delta", "行政许可 本年增/减", "项", False),
}
# charts of agencies side by side: the title names the year, the subtitle how many agencies
RANKINGS = {"channel_split", "ranking", "ranking[rate]", "ranking[appeals]", "heatmap", "channel_bars",
            "channel_shares", "outcome_bars", "received_bars", "rate_bars", "applicant_mix", "appeal_agencies",
            "appeal_agencies[block]"}


def test_every_chart_function_is_checked():
    built = {name for module in MODULES for name, f in inspect.getmembers(module, inspect.isfunction)
             if f.__module__ == module.__name__ and inspect.signature(f).return_annotation in (go.Figure, "go.Figure")}
    assert len(built) > 15
    assert built - {name.split("[")[0] for name in FIGURES} == set(), "a chart function no test below builds"


# --- the checks ---------------------------------------------------------------------------------------------------

def colour_of(trace) -> str | None:
    for path in (("marker", "color"), ("line", "color")):
        value = getattr(getattr(trace, path[0], None), path[1], None)
        if isinstance(value, str):
            return value
    return None


def numbers(values) -> list[float]:
    out = []
    for v in values if values is not None else []:
        try:
            v = float(v)
        except (TypeError, ValueError):
            continue
        if not math.isnan(v):
            out.append(v)
    return out


def value_axes(fig: go.Figure) -> dict[str, list]:
    """Each value axis (layout name) with the traces drawn against it."""
    axes: dict[str, list] = {}
    for trace in fig.data:
        if trace.type not in ("bar", "scatter"):
            continue
        if trace.type == "bar" and trace.orientation == "h":
            name = "xaxis" + (trace.xaxis or "x")[1:]
        else:
            name = "yaxis" + (trace.yaxis or "y")[1:]
        axes.setdefault(name, []).append(trace)
    return axes


def extent(fig: go.Figure, traces: list) -> float:
    """The largest absolute value the axis must hold: a stack's sum where bars stack."""
    horizontal = traces[0].type == "bar" and traces[0].orientation == "h"
    stacks: dict = {}
    tallest = 0.0
    for trace in traces:
        values, keys = (trace.x, trace.y) if horizontal else (trace.y, trace.x)
        for key, value in zip(keys if keys is not None else range(len(values)), values if values is not None else []):
            value = numbers([value])
            if not value:
                continue
            if trace.type == "bar" and fig.layout.barmode == "stack":
                stacks[key] = stacks.get(key, 0.0) + value[0]
            tallest = max(tallest, abs(value[0]))
    return max([tallest, *map(abs, stacks.values())])


def problems(fig: go.Figure) -> list[str]:
    found = []
    title = fig.layout.title
    if not CJK.search(title.text or ""):
        found.append(f"title not in Chinese: {title.text!r}")
    coloured = {t.name for t in fig.data if colour_of(t) and t.showlegend is not False}
    if len(coloured) > 1:
        legend = fig.layout.legend
        if fig.layout.showlegend is False:
            found.append(f"{len(coloured)} coloured traces and no legend")
        if {k: legend[k] for k in PLACEMENT} != PLACEMENT:
            found.append(f"legend not under the plot: {legend.to_plotly_json()}")
        if not CJK.search(legend.title.text or ""):
            found.append("legend without a Chinese title")
    for trace in fig.data:
        hover = trace.hovertemplate if trace.type != "sankey" else trace.link.hovertemplate
        if not hover or re.search(r"[A-Za-z]{2,}", MARKUP.sub("", hover)):
            found.append(f"trace {trace.name!r}: hover not ours, or in English: {hover!r}")
    for name, traces in value_axes(fig).items():
        axis = fig.layout[name]
        where = f"{name} {axis.title.text!r}"
        if not CJK.search(axis.title.text or ""):
            found.append(f"{where}: axis title not in Chinese")
        hovers = " ".join(t.hovertemplate or "" for t in traces)
        top = extent(fig, traces)
        if PERCENT_HOVER.search(hovers):
            if not (axis.tickformat or "").endswith("%"):
                found.append(f"{where}: hover in % but the axis is not")
            if axis.range is None or axis.range[0] != 0:
                found.append(f"{where}: a rate axis not from 0: {axis.range}")
            elif axis.range[1] < top - 1e-9 or (top <= 1 and axis.range[1] > 1):
                found.append(f"{where}: range {axis.range} for rates up to {top}")
        elif WHOLE_HOVER.search(hovers):
            if axis.tickformat != ",d":
                found.append(f"{where}: counts with tick format {axis.tickformat!r}")
            if axis.rangemode != "tozero" and (axis.range is None or axis.range[0] != 0):
                found.append(f"{where}: a count axis not from 0")
            if top <= charts.FEW and (axis.dtick is None or float(axis.dtick) < 1):
                found.append(f"{where}: counts up to {top} without a whole-number tick step")
        elif "万元" not in (axis.title.text or ""):
            found.append(f"{where}: hover says neither % nor a whole count: {hovers[:80]!r}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", FIGURES)
def test_chart_on_the_demo_data_is_readable(q, name):
    fig = FIGURES[name](q)
    assert fig.data, "nothing drawn from the demo data: the check proves nothing"
    assert problems(fig) == []
    if name in RANKINGS:
        assert f"{YEAR}年" in fig.layout.title.text
        assert re.search(r"共 [\d,]+ 个", fig.layout.title.subtitle.text), fig.layout.title.subtitle.text
    fig.to_json()  # it serialises, as Streamlit will


def test_the_checks_can_fail():
    bad = go.Figure()
    bad.add_bar(x=["甲"], y=[3], name="甲", marker_color="#111111", hovertemplate="%{y:,.0f} cases")
    bad.add_bar(x=["乙"], y=[0.5], name="乙", marker_color="#222222", hovertemplate="%{y:.1%}", yaxis="y2")
    bad.update_layout(title="Bad", yaxis={"title": "count"}, yaxis2={"tickformat": ".0%", "overlaying": "y"})
    found = problems(bad)
    assert "title not in Chinese: 'Bad'" in found
    assert any("hover not ours, or in English" in p for p in found)
    assert any("legend not under the plot" in p for p in found)
    assert any("counts with tick format None" in p for p in found)
    assert any("without a whole-number tick step" in p for p in found)
    assert any("a rate axis not from 0" in p for p in found)
    assert any("axis title not in Chinese" in p for p in found)


# --- axes -----------------------------------------------------------------------------------------------------------

def test_count_axes_step_by_whole_numbers_while_few_and_money_keeps_decimals():
    assert charts.count_axis("件数（件）", [0, 3]) | {} == {"title": {"text": "件数（件）"}, "rangemode": "tozero",
                                                         "tickformat": ",d", "dtick": 1}
    assert "dtick" not in charts.count_axis("件数（件）", [0, 300])
    assert charts.count_axis("件数（件）", [])["range"] == [0, 1], "nothing to show: 0 to 1, not -1 to 1"
    assert charts.count_axis("增减（项）", [-300, 2]).get("dtick") is None, "a signed count's span counts"
    assert charts.count_axis("金额（万元）", [0.5], "万元")["tickformat"] == ",~f"


def test_rate_axes_start_at_0_and_pass_100_percent_only_with_the_data():
    assert charts.rate_axis("公开率", [0.2, 0.95])["range"] == [0, 1.0]
    assert charts.rate_axis("占比", [0.1], whole=True)["range"] == [0, 1.0]
    assert charts.rate_axis("强度", [0.5, 1.4])["range"] == [0, pytest.approx(1.47)]
    small = charts.rate_axis("强度", [0.004, 0.03])
    assert small["range"] == [0, pytest.approx(0.033)] and small["tickformat"] == ".1%", "2 % is not 0 %, 0 %, 0 %"
    assert charts.rate_axis("公开率", [])["range"] == [0, 1.0]


# --- colours ------------------------------------------------------------------------------------------------------

def test_an_agency_has_its_colour_on_every_chart(q):
    proactive = charts_disclosure.published_trend(charts_disclosure.published_lines(q("proactive_published")))
    trends = metric_trend(q, "derived.published", "主动公开信息总数", "条", False)
    assert len(proactive.data) == len(trends.data) == 5, "the 5 largest by default, not every agency"
    on_one = {t.name: t.line.color for t in proactive.data}
    on_other = {t.name: t.line.color for t in trends.data}
    both = set(on_one) & set(on_other)
    assert both, "the two charts share no agency: the check proves nothing"
    for name in both:
        assert on_one[name] == on_other[name] == palette.agency(name), name
    other_metric = metric_trend(q, "derived.new_applications", "新收申请量", "件", False)
    for trace in other_metric.data:
        assert trace.line.color == palette.agency(trace.name)


def test_agencies_of_one_colour_on_one_chart_keep_it_and_differ_by_dash():
    names = [f"单位{i}" for i in range(40)]
    colours = [palette.agency(n) for n in names]
    assert len(set(colours)) == len(palette.AGENCIES), "the hash spreads names over the whole palette"
    twins = [n for n in names if palette.agency(n) == colours[0]][:3]
    styles = charts.agency_styles(twins)
    assert [s[0] for s in styles] == [colours[0]] * 3
    assert len({s[1] for s in styles}) == 3 and len({s[2] for s in styles}) == 3
    assert palette.agency("示例县公安局") == palette.agency("示例县公安局"), "stable, not Python's salted hash"


def test_categories_have_one_colour_each_on_every_chart(q):
    shares = charts_disclosure.channel_shares(q("proactive_channels"), YEAR)
    split = charts.channel_split(q("channel_split_by_agency"), YEAR)
    for fig in (shares, split):
        assert {t.name: t.marker.color for t in fig.data} == {t.name: palette.CHANNELS[t.name] for t in fig.data}
    trend = charts_disclosure.channel_share_trend(q("proactive_channel_trend"))
    assert {t.name: t.line.color for t in trend.data} == {t.name: palette.CHANNELS[t.name] for t in trend.data}
    sankey = charts_disclosure.applicant_outcome_sankey(q("applications_flow"), YEAR).data[0]
    assert dict(zip(sankey.node.label, sankey.node.color)) == {
        label: (palette.APPLICANTS | palette.OUTCOMES)[label] for label in sankey.node.label}
    assert len(set(palette.CHANNELS.values())) == len(palette.CHANNELS)
    assert len(set(palette.OUTCOMES.values())) == len(palette.OUTCOMES)


# --- the overview's heatmap -----------------------------------------------------------------------------------------

def test_heatmap_labels_real_values_with_units_and_colours_within_each_column():
    rows = pd.DataFrame({"agency": ["甲局", "乙乡", "丙镇"], "region": [COUNTY] * 3, "published": [100.0, 50.0, None],
                         "disclosure_rate": [0.5, 0.25, 1.0], "appeals": [3.0, 0.0, 1.0]})
    fig = charts.heatmap(rows, {"published": ("主动公开信息", "条"), "disclosure_rate": ("公开率", "%"),
                                "appeals": ("行政复议和诉讼", "件")}, YEAR)
    cells = fig.data[0]
    assert list(cells.x) == ["主动公开信息（条）", "公开率（%）", "行政复议和诉讼（件）"]
    text = {y: list(row) for y, row in zip(cells.y, cells.text)}
    assert text == {"甲局": ["100", "50.0%", "3"], "乙乡": ["50", "25.0%", "0"], "丙镇": ["—", "100.0%", "1"]}
    z = {y: list(row) for y, row in zip(cells.y, cells.z)}
    assert z["甲局"][0] == 1 and z["乙乡"][0] == 0.5 and math.isnan(z["丙镇"][0]), "a blank is no colour, not 0"
    assert z["丙镇"][1] == 1 and z["甲局"][2] == 1, "each column against its own largest value"
    assert f"{YEAR}年" in fig.layout.title.text and "共 3 个单位" in fig.layout.title.subtitle.text


def test_a_rate_ranking_sets_small_bases_apart_and_names_year_and_n():
    rows = pd.DataFrame({"agency": ["甲局", "乙乡", "丙镇", "丁局"], "region": [COUNTY] * 4,
                         "disclosure_rate": [0.5, 1.0, 0.8, None], "handled": [10.0, 2.0, 20.0, 0.0]})
    fig = charts.ranking(rows, "disclosure_rate", "公开率", "%", YEAR, base=("handled", "办理结果总计"))
    assert [t.name for t in fig.data] == ["公开率", "办理结果总计不足5件（不排名）"]
    assert list(fig.data[0].y) == ["甲局", "丙镇"] and list(fig.data[1].y) == ["乙乡"]
    assert list(fig.layout.yaxis.categoryarray) == ["乙乡", "甲局", "丙镇"], "the small base at the bottom"
    assert fig.layout.title.text == f"{YEAR}年 各单位公开率排名" and fig.layout.title.subtitle.text == "共 3 个单位"
    assert fig.layout.showlegend is True
    one = charts.ranking(rows, "handled", "办理结果总计", "件", YEAR)
    assert len(one.data) == 1 and one.layout.showlegend is False and one.layout.xaxis.tickformat == ",d"


# --- the pages that draw them ---------------------------------------------------------------------------------------

PAGES = ["overview.py", "proactive.py", "applications.py", "appeals.py", "trends.py"]


def run(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=90)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def drawn_figure(chart) -> go.Figure:
    """The figure a page sent to the browser, its typed arrays (base64 `bdata`) decoded."""
    def decoded(node):
        if isinstance(node, dict) and "bdata" in node:
            values = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            shape = node.get("shape")
            shape = [int(n) for n in str(shape).split(",")] if shape is not None else None
            return values.reshape(shape).tolist() if shape else values.tolist()
        if isinstance(node, dict):
            return {k: decoded(v) for k, v in node.items()}
        if isinstance(node, list):
            return [decoded(v) for v in node]
        return node
    return go.Figure(decoded(json.loads(chart.proto.spec)))


@pytest.mark.parametrize("name", PAGES)
def test_page_draws_its_charts_and_tables_through_ui(app_db, name):
    """ui.chart and ui.table: every chart and table is in the page's export, every blank reads "—", and every chart
    on the page passes the checks above as the page draws it."""
    at = run(name)
    drawn = at.get("plotly_chart")
    assert drawn and at.dataframe
    assert len(at.session_state["_shown"]["charts"]) == len(drawn), "a chart drawn without ui.chart"
    for table in at.dataframe:
        assert table.proto.placeholder == "—", f"table {table.key} drawn without ui.table"
    for chart in drawn:
        assert problems(drawn_figure(chart)) == [], chart.key


def test_overview_ranking_metric_is_in_the_url(app_db):
    at = run("overview.py", rank="disclosure_rate")
    assert at.selectbox(key="overview_rank_metric").value == "disclosure_rate"
    ranking = next(c for c in at.get("plotly_chart") if c.key == "overview_ranking")
    assert "公开率" in json.loads(ranking.proto.spec)["layout"]["title"]["text"]
    at.selectbox(key="overview_rank_metric").set_value("appeals").run()
    assert at.query_params["rank"] == "appeals"


def test_trends_controls_are_in_the_url_and_a_metric_alone_opens_its_section(app_db):
    at = run("trends.py", metric="s3.other.total", agencies=["示例县自然资源局", "海青乡"], style="柱状图",
             compare=["城关镇", "示例县公安局"])
    assert at.selectbox(key="trends_section").value == "三、收到和处理政府信息公开申请情况"
    assert at.selectbox(key="trends_metric").value == "s3.other.total"
    assert at.multiselect(key="trends_agencies").value == ["示例县自然资源局", "海青乡"]
    assert at.radio(key="trends_style").value == "柱状图"
    assert at.multiselect(key="trends_compare").value == ["城关镇", "示例县公安局"]
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"] for t in chart["data"]] == ["示例县自然资源局", "海青乡"]
    assert {t["type"] for t in chart["data"]} == {"bar"}
    at.radio(key="trends_style").set_value("折线图").run()
    assert at.query_params["style"] == "折线图" and at.query_params["section"] == "三、收到和处理政府信息公开申请情况"


def test_trends_by_default_draw_the_five_highest_and_say_so(app_db):
    at = run("trends.py")
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(chart["data"]) == charts.LINES
    assert f"该指标最高的 {charts.LINES} 个单位" in chart["layout"]["title"]["subtitle"]["text"]


@pytest.mark.slow
def test_proactive_published_agencies_and_tab_are_in_the_url(app_db):
    at = run("proactive.py", published=["海青乡", "城关镇"], tab="渠道占比")
    assert at.multiselect(key="proactive_published_agencies").value == ["海青乡", "城关镇"]
    chart = next(c for c in at.get("plotly_chart") if c.key == "proactive_published")
    assert {t["name"] for t in json.loads(chart.proto.spec)["data"]} == {"海青乡", "城关镇"}
    assert at.query_params["tab"] == "渠道占比", "a tab asked for in the link stays in the URL"
    first = run("proactive.py")
    chart = next(c for c in first.get("plotly_chart") if c.key == "proactive_published")
    assert len(json.loads(chart.proto.spec)["data"]) == charts.LINES, "the 5 largest, not every agency"


@pytest.mark.slow
def test_applications_tab_and_appeals_block_are_in_the_url(app_db):
    at = run("applications.py", tab="办理结果")
    assert at.query_params["tab"] == "办理结果"
    appeals = run("appeals.py", block="行政复议")
    assert appeals.radio(key="appeals_block").value == "行政复议"
    chart = next(c for c in appeals.get("plotly_chart") if c.key == "appeals_agencies")
    assert "行政复议" in json.loads(chart.proto.spec)["layout"]["title"]["text"]


def test_an_empty_scope_says_which_scope_and_what_to_do(app_db):
    at = run("appeals.py", kind="街道", agency="示例县公安局")
    notice = " ".join(i.value for i in at.info)
    assert "所选范围内没有数据" in notice and "街道" in notice and "侧栏" in notice, notice


@pytest.mark.slow
def test_a_link_naming_too_many_agencies_opens_with_as_many_as_a_chart_takes(app_db, q):
    names = sorted(set(q("proactive_published")["agency"]))
    assert len(names) > charts.MAX_LINES
    trends = run("trends.py", agencies=names, compare=names)
    assert trends.multiselect(key="trends_agencies").value == names[:charts.MAX_LINES]
    assert len(trends.multiselect(key="trends_compare").value) == 5
    proactive = run("proactive.py", published=names)
    assert len(proactive.multiselect(key="proactive_published_agencies").value) == charts.MAX_LINES


def test_channel_shares_stand_side_by_side_when_an_agency_s_add_up_past_100_percent():
    def shares(website: float, wechat: float) -> pd.DataFrame:
        return pd.DataFrame({"agency": ["甲镇", "甲镇"], "region": ["某县", "某县"], "channel": ["政府网站", "微信公众号"],
                             "items": [website * 100, wechat * 100], "base": [100, 100], "base_kind": ["信息总数"] * 2,
                             "share": [website, wechat]})

    assert charts_disclosure.channel_shares(shares(0.6, 0.4)).layout.barmode == "stack"
    overlapping = charts_disclosure.channel_shares(shares(0.9, 0.8))
    assert overlapping.layout.barmode == "group" and "超过 100%" in overlapping.layout.title.subtitle.text
