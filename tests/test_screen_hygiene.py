"""Screen hygiene, as a class and not case by case: every page, run alone on the demo data, shows no "None", "nan"
or "NaN" anywhere — tables, metrics, captions, notices, chart data — and no count written as 12.0, on screen or
in any CSV/XLSX it offers."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit.elements.widgets.button as button
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).parent.parent
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))

BLANK_WORDS = {"None", "nan", "NaN", "NAN", "<NA>", "NaT", "null"}  # what a blank looks like when it leaks as text
BLANK_IN_TEXT = re.compile(r"(?<![A-Za-z])(None|nan|NaN|<NA>|NaT)(?![A-Za-z])")
FLOAT_COUNT = re.compile(r"[+-]?\d[\d,]*\.0+")  # a whole number written as a float: 12.0, 1,234.00
COUNT_UNITS = "件条份个处项家人次"
FLOAT_COUNT_IN_TEXT = re.compile(rf"(?<![\d.])\d[\d,]*\.0+\s*[{COUNT_UNITS}]")  # "共 12.0 件"
ORIGINAL_FILE = "下载原始文件"  # a stored report handed back byte for byte: its text is the uploader's, not ours


def run_page(name: str, monkeypatch) -> tuple[AppTest, dict[str, tuple[str, bytes]]]:
    """The page run alone, and what each of its download buttons would hand over (by element id): the data of a
    deferred download is made by calling it, as a click would."""
    offered: dict[str, tuple[str, bytes]] = {}
    marshall = button.marshall_file

    def record(coordinates, data, proto, mimetype, file_name=None, **kwargs):
        made = data() if callable(data) else data
        offered[kwargs.get("element_id", "")] = (file_name or "", made.encode() if isinstance(made, str) else made)
        return marshall(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", record)
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, offered


# --- what is on screen -------------------------------------------------------------------------------------------

def table_problems(at: AppTest) -> list[str]:
    problems = []
    for n, element in enumerate(at.dataframe):
        frame = element.value
        where = f"table {element.key}" if element.key else f"table #{n} {list(map(str, frame.columns[:3]))}"
        hidden = {c for c, cfg in json.loads(element.proto.columns or "{}").items()
                  if cfg is None or (isinstance(cfg, dict) and cfg.get("hidden"))}
        styled = element.proto.arrow_data.HasField("styler") and element.proto.arrow_data.styler.display_values
        shown = (dataframe_util.convert_arrow_bytes_to_pandas_df(element.proto.arrow_data.styler.display_values)
                 if styled else None)
        for i, column in enumerate(frame.columns):
            if str(column) in hidden:
                continue
            values = frame.iloc[:, i]
            if values.isna().any() and not element.proto.placeholder and shown is None:
                problems.append(f"{where}, column {column!r}: {int(values.isna().sum())} blank cells shown as "
                                f"'None' (no placeholder)")
            texts = shown.iloc[:, i] if shown is not None and i < shown.shape[1] else values
            problems += text_cell_problems(f"{where}, column {column!r}", texts)
    return problems


def text_cell_problems(where: str, values: pd.Series) -> list[str]:
    texts = [v.strip() for v in values if isinstance(v, str)]
    problems = []
    blanks = sorted({t for t in texts if t in BLANK_WORDS})
    if blanks:
        problems.append(f"{where}: shows {blanks} as text")
    floats = [t for t in texts if FLOAT_COUNT.fullmatch(t)]
    if floats:
        problems.append(f"{where}: float-looking counts as text, e.g. {floats[:3]}")
    return problems


def text_problems(at: AppTest) -> list[str]:
    texts = [(f"metric {m.label!r}", f"{m.label} {m.value} {m.delta or ''}") for m in at.metric]
    for kind in ("title", "header", "subheader", "caption", "markdown", "text", "info", "warning", "success",
                 "error"):
        texts += [(f"{kind} {n}", str(e.value)) for n, e in enumerate(getattr(at, kind))]
    problems = []
    for where, text in texts:
        if BLANK_IN_TEXT.search(text):
            problems.append(f"{where}: {BLANK_IN_TEXT.search(text).group()!r} in {text[:120]!r}")
        if FLOAT_COUNT_IN_TEXT.search(text):
            problems.append(f"{where}: float-looking count in {text[:120]!r}")
    problems += [f"metric {m.label!r}: float-looking count {m.value!r}" for m in at.metric
                 if FLOAT_COUNT.fullmatch(str(m.value).strip())]
    return problems


def chart_problems(at: AppTest) -> list[str]:
    problems = []
    for n, chart in enumerate(at.get("plotly_chart")):
        spec = json.loads(chart.proto.spec)
        where = f"chart {getattr(chart, 'key', None) or n}"
        for path, text in strings(spec.get("data", []), "data"):
            if BLANK_IN_TEXT.search(text):
                problems.append(f"{where} {path}: {text[:80]!r}")
            elif path.rsplit(".", 1)[-1].startswith(("text", "x", "y", "labels")) and FLOAT_COUNT.fullmatch(text):
                problems.append(f"{where} {path}: float-looking count {text!r}")
        for path, text in strings({k: v for k, v in spec.get("layout", {}).items() if k != "template"}, "layout"):
            if BLANK_IN_TEXT.search(text):
                problems.append(f"{where} {path}: {text[:80]!r}")
    return problems


def strings(node, path: str):
    """Every text in a figure's JSON, with where it is; typed arrays (base64 `bdata`) hold numbers, not text."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict) and "bdata" not in node:
        for key, value in node.items():
            yield from strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{path}[{i}]")


# --- what is offered for download --------------------------------------------------------------------------------

def download_problems(at: AppTest, offered: dict[str, tuple[str, bytes]]) -> list[str]:
    problems = []
    for element in at.get("download_button"):
        if element.label == ORIGINAL_FILE:
            continue
        if element.id not in offered:
            problems.append(f"download {element.label!r}: its data was not seen (the check would pass blind)")
            continue
        name, data = offered[element.id]
        if name.endswith(".csv"):
            problems += csv_problems(name, data)
        elif name.endswith(".xlsx"):
            problems += xlsx_problems(name, data)
    return problems


def csv_problems(name: str, data: bytes) -> list[str]:
    if not data.startswith(b"\xef\xbb\xbf"):
        return [f"download {name}: not UTF-8 with BOM"]
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    problems = []
    for i, column in enumerate(header):
        cells = [r[i].strip() for r in rows if i < len(r)]
        problems += [f"download {name}, column {column!r}: {p}" for p in column_problems(cells)]
    return problems


def xlsx_problems(name: str, data: bytes) -> list[str]:
    problems = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        header, *rows = list(sheet.iter_rows(values_only=True)) or [()]
        for i, column in enumerate(header):
            cells = [r[i] for r in rows if i < len(r)]
            texts = ["" if c is None else c if isinstance(c, str) else repr(c) for c in cells]
            problems += [f"download {name} [{sheet.title}], column {column!r}: {p}" for p in column_problems(texts)]
    return problems


def column_problems(cells: list[str]) -> list[str]:
    """A column of a download: no blank written as a word, and when every value is a whole number (a count),
    none written with a decimal point."""
    problems = []
    blanks = sorted({c for c in cells if c in BLANK_WORDS})
    if blanks:
        problems.append(f"blanks written as {blanks}")
    numbers = [c for c in cells if c]
    try:
        values = [float(c.replace(",", "")) for c in numbers]
    except ValueError:
        return problems + ([f"float-looking counts as text, e.g. {[c for c in numbers if FLOAT_COUNT.fullmatch(c)][:3]}"]
                           if any(FLOAT_COUNT.fullmatch(c) for c in numbers) else [])
    if values and all(v.is_integer() for v in values) and any("." in c for c in numbers):
        problems.append(f"whole numbers written as floats, e.g. {[c for c in numbers if '.' in c][:3]}")
    return problems


# --- the tests ---------------------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_shows_no_blank_as_text_and_no_float_count(demo_con, monkeypatch, page):
    at, offered = run_page(page, monkeypatch)
    problems = table_problems(at) + text_problems(at) + chart_problems(at) + download_problems(at, offered)
    assert not problems, f"pages/{page}:\n  " + "\n  ".join(problems)


def test_the_checks_can_fail():
    """Each check sees what it is for: a blank as a word, a float count, a download with 2.0."""
    assert text_cell_problems("t", pd.Series(["城关镇", "nan", "12.0", "0.5"])) == [
        "t: shows ['nan'] as text", "t: float-looking counts as text, e.g. ['12.0']"]
    assert column_problems(["2", "2.0", ""]) and column_problems(["None", "3"]) and column_problems(["12.0", "x"])
    assert not column_problems(["0.5", "2.0", ""]), "a rate column keeps its decimals"
    assert not column_problems(["12", "", "-3"])
    assert csv_problems("x.csv", "a\r\n2.0\r\n".encode("utf-8-sig"))
    assert csv_problems("x.csv", b"a\r\n2\r\n") == ["download x.csv: not UTF-8 with BOM"]
    chart = {"data": [{"type": "bar", "x": ["城关镇", "nan"], "text": ["12.0", "3"], "y": {"bdata": "bmFu"}}]}
    assert list(strings(chart["data"], "data")) == [("data[0].type", "bar"), ("data[0].x[0]", "城关镇"),
                                                    ("data[0].x[1]", "nan"), ("data[0].text[0]", "12.0"),
                                                    ("data[0].text[1]", "3")]
