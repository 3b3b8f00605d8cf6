"""Text users typed — agency, region, file and user names, and values from a link — is shown letter for letter on
every page: never as a Markdown link or emphasis, never as HTML, LaTeX or a colour directive, in messages, labels,
tabs and charts alike. Each page is run alone on the demo county with hostile names added, and every text Streamlit
reads as Markdown, and every text of every chart, is searched for the raw markup."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.demo.demo_data import COUNTY
from disclosure.present import export
from disclosure.ui.plain import plain
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name not in ("upload.py", "import_report.py"))
YEAR = 2025  # the demo county's latest year: the pages open on it
HOSTILE_REGION = "示例省/示例市/[恶意](javascript:alert(1))县"  # no "/" inside: it separates levels
NAMES = ["[点此](http://evil.invalid)乡", "<b>粗</b><img>镇", "**加粗**街道", "$x^2$局",
         ":red[红字]局", "www.evil.invalid局", "_斜体_办"]
# what would become markup if shown raw; a name shown escaped contains none of these
RAW = ["[点此](", "[恶意](", "<b>", "<img", "**加粗**", "$x^2$", ":red[", "www.evil", "_斜体_"]


@pytest.fixture
def hostile_db(demo_con, db_file):
    con = demo_con
    rows = [{"agency": name, "year": YEAR, "kind": "部门", "parent": COUNTY, "version": "2021",
             "s1.published_total": 10 + n, "s1.channel.website": 10 + n, "s3.new.total": n, "s3.new.natural": n}
            for n, name in enumerate(NAMES)]
    rows.append({"agency": "正常乡", "year": YEAR, "kind": "乡", "parent": HOSTILE_REGION, "version": "2021",
                 "s1.published_total": 5, "s1.channel.website": 5, "s3.new.total": 1, "s3.new.natural": 1})
    plan, summary = import_bytes(con, {"[文件](http://evil.invalid).csv": export.to_csv(pd.DataFrame(rows))},
                                 accept_errors=True)
    assert summary is not None, [i.message for i in plan.blocking(True)]
    return db_file


def markdown_texts(at: AppTest) -> list[tuple[str, str]]:
    """Every text the page hands to Streamlit's Markdown: bodies of text elements and labels of widgets."""
    texts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "success", "error"):
        texts += [(kind, str(e.value)) for e in getattr(at, kind)]
    for kind in ("checkbox", "toggle", "selectbox", "multiselect", "text_input", "radio", "number_input",
                 "expander", "tabs", "metric", "button"):
        texts += [(f"{kind} label", str(e.label)) for e in getattr(at, kind)]
    texts += [("radio option", str(o)) for r in at.radio for o in r.options]
    return texts


def chart_texts(at: AppTest) -> list[tuple[str, str]]:
    found = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec.get("data", []):
            for field in ("x", "y", "text", "labels", "hovertext", "name"):
                found += [(f"chart {field}", v) for v in _strings(trace.get(field))]
            found += [("chart node", v) for v in _strings(trace.get("node", {}).get("label"))]
        layout = spec.get("layout", {})
        found += [("chart annotation", a.get("text", "")) for a in layout.get("annotations", [])]
        found += [("chart title", v) for v in _strings((layout.get("title") or {}).get("text"))]
    return found


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


ESCAPED = re.compile(r"\\.")  # a backslash and the character it escapes: shown as that character
TAG = re.compile(r"<[A-Za-z/]")  # Plotly reads <a href>, <b>, <br>, <span> … in its texts (not Markdown)


def raw_markup(texts: list[tuple[str, str]]) -> list[str]:
    """The Markdown texts in which some markup of RAW survives unescaped."""
    return [f"{where}: {text[:100]!r}" for where, text in texts for raw in RAW if raw in ESCAPED.sub("", text)]


def raw_tags(texts: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: {text[:100]!r}" for where, text in texts if TAG.search(text)]


def run(name: str, url: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120)
    for param, value in (url or {}).items():
        at.query_params[param] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_plain_shows_markdown_letter_for_letter():
    for name in NAMES + [HOSTILE_REGION, "# 标题", "> 引用", "a\\b", "!图"]:
        escaped = plain(name)
        assert raw_markup([("plain", escaped)]) == [], escaped
        assert escaped.replace("\\", "") == name.replace("\\", ""), "only backslashes are added"


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_hostile_agency_names_as_text(hostile_db, name):
    at = run(name, {"region": COUNTY, "year": str(YEAR)})
    assert raw_markup(markdown_texts(at)) + raw_tags(chart_texts(at)) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_a_hostile_region_as_text(hostile_db, name):
    at = run(name, {"region": HOSTILE_REGION, "year": str(YEAR)})
    texts = markdown_texts(at)
    assert raw_markup(texts) + raw_tags(chart_texts(at)) == []


@pytest.mark.slow
def test_the_checks_see_the_names_they_guard(hostile_db):
    """The searches above find the names where pages show them — escaped — so they can fail."""
    overview = run("overview.py", {"region": HOSTILE_REGION, "year": str(YEAR)})
    assert any(plain(HOSTILE_REGION) in text for _, text in markdown_texts(overview))
    county = run("overview.py", {"region": COUNTY, "year": str(YEAR)})
    shown = [text for _, text in chart_texts(county)]
    assert any("&lt;b&gt;粗&lt;/b&gt;" in text for text in shown), "Plotly gets the name as text, escaped"


@pytest.mark.slow
@pytest.mark.parametrize("agency", NAMES)
def test_an_agency_s_own_page_shows_its_name_as_text(hostile_db, agency):
    at = run("agency.py", {"unit": agency, "unit_region": COUNTY})
    assert at.selectbox(key="agency_pick").value == (agency, COUNTY)
    texts = markdown_texts(at)
    assert any(plain(agency) in text for _, text in texts)
    assert raw_markup(texts) + raw_tags(chart_texts(at)) == []


@pytest.mark.slow
def test_a_link_naming_an_unknown_agency_is_quoted_as_text(hostile_db):
    at = run("agency.py", {"unit": "[点此](http://evil.invalid)", "unit_region": "<b>x</b>", "region": COUNTY})
    warnings = [w.value for w in at.warning]
    assert any(plain("[点此](http://evil.invalid)") in w for w in warnings), warnings
    assert raw_markup(markdown_texts(at)) == []


@pytest.mark.slow
def test_a_link_naming_an_unknown_region_is_quoted_as_text(hostile_db):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["region"] = "[点此](http://evil.invalid)"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("点此" in w.value for w in at.warning), "the notice names what the link asked for"
    assert raw_markup(markdown_texts(at)) == []


@pytest.mark.slow
def test_the_upload_page_shows_file_and_agency_names_as_text(db_file):
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=120).run()
    data = export.to_csv(pd.DataFrame([
        {"agency": name, "year": YEAR, "kind": "部门", "parent": COUNTY, "version": "2021", "s3.new.total": 1,
         "s3.new.natural": 1} for name in NAMES]))
    at.file_uploader(key="upload_file").set_value([("[文件](http://evil.invalid)<b>.csv", data, "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = markdown_texts(at)
    assert any(plain("[文件](http://evil.invalid)<b>.csv") in text for _, text in texts), "the file's expander"
    assert any(plain(NAMES[0]) in text for _, text in texts), "the agencies to be created"
    assert raw_markup(texts) == []
