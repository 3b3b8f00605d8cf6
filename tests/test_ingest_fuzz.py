"""Thrown at the write path: malformed tables and report texts never raise, never half-write, and every refusal
is explained."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from disclosure import ingest
from disclosure.contract import catalog
from disclosure.read import report_files
from disclosure.read.read_table import read_table
from disclosure.store import db

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

HEADERS = ["agency", "year", "kind", "parent", "version", "单位名称", "年度", "metric", "value", "",
           "s3.new.total", "s3.new.natural", "三 本年新收 自然人", "s2.fees.prev_items", "s2.normdocs.issued",
           "s4.review.total", "四 行政复议 结果维持", "s2.licensing.delta", "s2.fees.amount_wan", "三 本年新收 自然"]
CELLS = st.one_of(
    st.sampled_from(["", "/", "-", "—", "无", "0", "1", "5.0", "5.5", "-3", "+2", "3件", "三", "约5", "1e400",
                     "2020", "2021", "2035", "2019", "青山乡", "青山乡人民政府", "乡", "村", "2019版",
                     "示例省/示例市/测试县", "测试县", "=1+1", "nan", "１２", "1,234"]),
    st.text(max_size=6),
)


VALID_HEADER = ["agency", "year", "kind", "parent", "s3.new.natural", "s3.new.total"]


@st.composite
def tables(draw):
    """A valid table, then a few of its headers and cells swapped for trouble."""
    header = VALID_HEADER + draw(st.lists(st.sampled_from(HEADERS), max_size=3))
    rows = []
    for n in range(draw(st.integers(0, 5))):
        value = str(draw(st.integers(0, 9)))
        rows.append([draw(st.sampled_from(["青山乡", "河口镇", "城关镇人民政府"])), str(draw(st.integers(2019, 2025))),
                     "乡", "示例省/示例市/测试县", value, value] + [""] * (len(header) - 6))
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()) and rows:
            row = draw(st.sampled_from(rows))
            row[draw(st.integers(0, len(row) - 1))] = draw(CELLS)
        else:
            header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(HEADERS))
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    return buf.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])), errors="replace")


_SEEDED: list[Path] = []


def seeded_database(tmp_path_factory):
    """A copy of one migrated database holding one report (青山乡 2021): migrating afresh for each of hundreds of
    cases would take most of the time."""
    if not _SEEDED:
        _SEEDED.append(tmp_path_factory.mktemp("fuzz-seed") / "seed.duckdb")
        con = db.connect(_SEEDED[0])
        ingest.commit(con, ingest.prepare(con, [read_table("seed.csv", "agency,year,kind,parent,s3.new.total\n"
                                                           "青山乡,2021,乡,示例省/示例市/测试县,1\n".encode())]),
                      user="t", via="t")
        con.close()
    copy = tmp_path_factory.mktemp("fuzz") / "f.duckdb"
    shutil.copy(_SEEDED[0], copy)
    return db.connect(copy)


def counts(con) -> tuple:
    return tuple(con.execute(f"select count(*) from {t}").fetchone()[0]
                 for t in ("regions", "agencies", "agency_aliases", "batches", "sources", "reports", "facts"))


def refused_or_committed(con, plan, file: str, accept: bool):
    """Every issue explained and named by its file; a plan that blocks is left unwritten (None), any other commits."""
    for issue in plan.issues:
        assert issue.message and issue.file == file and issue.severity in ("error", "warning")
    if plan.blocking(accept):
        event("refused")
        return None
    event("committed" if plan.to_write else "nothing to write")
    return ingest.commit(con, plan, user="t", via="t", accept_errors=accept)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=tables(), accept=st.booleans(), replace=st.booleans())
def test_malformed_tables_are_refused_cleanly_or_committed_whole(tmp_path_factory, data, accept, replace):
    refused_whole_or_written_whole(tmp_path_factory, "x.csv", data, accept, replace)


XLSX_CELLS = st.one_of(CELLS, st.none(), st.booleans(), st.integers(-10**15, 10**15),
                       st.floats(allow_nan=True, allow_infinity=True), st.datetimes(),
                       st.sampled_from(["=1+1", "=A1", "=SUM(E2:E3)", "#DIV/0!", " 5 ", "五"]))


def writable(value):
    """Excel files cannot hold control characters: openpyxl refuses them (so would Excel)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@st.composite
def workbooks(draw) -> bytes:
    """A CSV case's rows as an Excel sheet with typed cells (numbers, dates, booleans, formulas without cached
    values, NaN); now and then a second sheet, a merged block, or the file's bytes cut short or flipped."""
    header, *rows = list(csv.reader(io.StringIO(draw(tables()).decode("utf-8", errors="replace"))))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([writable(h) for h in header])
    for row in rows:
        sheet.append([writable(draw(XLSX_CELLS)) if draw(st.integers(0, 9)) == 0 else int(v) if v.isdigit() else
                      writable(v) for v in row])
    if draw(st.booleans()):
        book.create_sheet("说明").append([writable(draw(XLSX_CELLS)) for _ in range(3)])
    if rows and draw(st.integers(0, 4)) == 0:
        sheet.merge_cells("A2:B3")
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()
    damage = draw(st.sampled_from(["none"] * 6 + ["cut", "flip"]))
    at = int(draw(st.floats(0, 1, exclude_max=True)) * len(data))  # a share: zip timestamps vary the length
    if damage == "cut":
        data = data[:at]
    elif damage == "flip":
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1:]
    event(f"damage: {damage}")
    return data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=workbooks(), accept=st.booleans(), replace=st.booleans())
def test_malformed_workbooks_are_refused_cleanly_or_committed_whole(tmp_path_factory, data, accept, replace):
    refused_whole_or_written_whole(tmp_path_factory, "x.xlsx", data, accept, replace)


def refused_whole_or_written_whole(tmp_path_factory, name: str, data: bytes, accept: bool, replace: bool) -> None:
    """Onto a database holding one report: a refusal leaves every table as it was; a commit adds exactly the
    reports the plan listed, each holding only numbers the catalogue allows."""
    con = seeded_database(tmp_path_factory)
    before = counts(con)
    plan = ingest.prepare(con, [read_table(name, data)], replace=replace)
    summary = refused_or_committed(con, plan, name, accept)
    if summary is None:
        assert counts(con) == before
        return
    written = [d for d in plan.drafts if d.status in ("new", "replace")]
    assert summary.new + summary.replaced == len(written)
    assert counts(con)[5] == before[5] + len(written)
    for d in written:  # every stored value is a number the catalogue allows
        for cell in d.cells.values():
            m = catalog.by_code()[cell.code]
            assert cell.value == cell.value and (m.may_be_negative or cell.value >= 0)
    con.close()


SEED_REPORT = (Path(__file__).parent.parent / "data" / "samples" / "haiqing-2020.txt").read_text("utf-8")
TROUBLE = ["", "\n", "|", "  ", "一、", "（一）", "本年新收政府信息公开申请数量", "/", "-", "约", "1e400", "－5", "٣",
           "<table>", "\x00", "\ufeff", "二〇二〇年", "政府信息公开工作年度报告", "合计", "总计", "12345678901234567890"]


@st.composite
def report_texts(draw) -> bytes:
    """The published seed report, then cut, shuffled and littered: lines dropped, repeated or swapped, trouble
    inserted, the text cut short; in one of the encodings offices use."""
    lines = SEED_REPORT.splitlines()
    for _ in range(draw(st.integers(0, 12))):
        where = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "insert", "edit"]))
        if not lines:
            break
        if action == "drop":
            del lines[where]
        elif action == "repeat":
            lines.insert(where, lines[where])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[where], lines[other] = lines[other], lines[where]
        elif action == "insert":
            lines.insert(where, draw(st.one_of(st.sampled_from(TROUBLE), st.text(max_size=20))))
        else:
            at = draw(st.integers(0, len(lines[where])))
            lines[where] = lines[where][:at] + draw(st.sampled_from(TROUBLE)) + lines[where][at:]
    text = "\n".join(lines)[:draw(st.integers(0, len(SEED_REPORT) + 100))]
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])), errors="replace")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=report_texts(), partial=st.booleans(), accept=st.booleans())
def test_mangled_report_texts_are_refused_cleanly_or_committed_whole(tmp_path_factory, data, partial, accept):
    """A published report, mangled: reading never raises, a refusal names the file, and what is written is whole."""
    con = seeded_database(tmp_path_factory)
    report = report_files.read_file("海青乡2020.txt", data, parent="示例省/示例市/示例县", kind_of_agency="乡",
                                    accept_partial=partial)
    plan = ingest.prepare(con, [report])
    before = counts(con)
    summary = refused_or_committed(con, plan, "海青乡2020.txt", accept)
    if summary is None:
        assert counts(con) == before
        return
    assert counts(con)[5] == before[5] + summary.new
    assert counts(con)[6] == before[6] + sum(len(d.cells) for d in plan.drafts if d.status == "new")
    con.close()
