"""Old Excel (.xls), WPS (.et) and OpenDocument (.ods) tables read like .xlsx; hostile or damaged ones refused in
Chinese; Word 97 (.doc) and WPS 文字 (.wps) reports explained."""
from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import export
from disclosure.read import old_sheets, ole, report_files
from disclosure.read.read_table import Row, read_table, sheet_names
from disclosure.store import db
from tests.conftest import DATA, import_bytes

OLD = DATA / "old_formats"
from tests.data import make_old_formats as made

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

ROOT = Path(__file__).resolve().parent.parent
FORM = ["form-2021.xls", "form-2021.ods"]
SAVE_AS_DOCX = "「文件 → 另存为」，选择「Word 文档 (*.docx)」，再上传"


def only_refusal(table, name: str) -> str:
    assert [i.code for i in table.issues] == ["not-a-table"], table.issues
    issue = table.issues[0]
    assert issue.is_error and issue.file == name and name in issue.message
    assert re.search(r"[\u4e00-\u9fff]", issue.message) and not table.rows
    return issue.message


def stored(con) -> dict:
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("batches", "sources", "reports", "facts")}


def stored_values(path: Path, name: str) -> list[tuple]:
    """What one file stores in a fresh database: every (agency, year, metric, value)."""
    con = db.connect(path)
    try:
        plan, summary = import_bytes(con, {name: (OLD / "form-2021.csv" if name.endswith(".csv") else OLD / name)
                                           .read_bytes()}, accept_errors=True)  # the demo county breaks rules on purpose
        assert summary is not None and not plan.blocking(True)
        facts = export.long_frame(con)
        return sorted(facts[["agency", "year", "metric", "value"]].itertuples(index=False, name=None))
    finally:
        con.close()


# ---------------------------------------------------------------- the form, as written by other programs


@pytest.mark.parametrize("name", FORM)
def test_workbook_reads_the_same_table_as_the_csv(name):
    csv_table = read_table("form-2021.csv", (OLD / "form-2021.csv").read_bytes())
    table = read_table(name, (OLD / name).read_bytes())
    assert table.issues == [] and table.kind == name.rsplit(".", 1)[1] and table.sheet == "年报"
    assert table.header == csv_table.header and table.header[:3] == ["单位名称", "年度", "单位类型"]
    assert [r.cells for r in table.rows] == [r.cells for r in csv_table.rows] and len(table.rows) == 20
    assert [r.line for r in table.rows] == list(range(2, 22))


@pytest.mark.parametrize("name", FORM)
def test_workbook_stores_the_same_values_as_the_csv(tmp_path, name):
    from_csv = stored_values(tmp_path / "csv.duckdb", "form-2021.csv")
    assert len(from_csv) > 1000
    assert stored_values(tmp_path / "other.duckdb", name) == from_csv


def test_wps_et_is_read_as_the_xls_it_is():
    table = read_table("年报.et", (OLD / "form-2021.xls").read_bytes())
    assert table.kind == "xls" and table.issues == [] and len(table.rows) == 20


@pytest.mark.parametrize("name", FORM)
def test_format_is_known_by_content_not_name(name):
    table = read_table("年报.xlsx", (OLD / name).read_bytes())
    assert table.kind == name.rsplit(".", 1)[1] and table.issues == []


@pytest.mark.parametrize("name", FORM)
def test_sheet_names_and_a_chosen_sheet(name):
    data = (OLD / name).read_bytes()
    assert sheet_names(data) == ["年报", "填写说明"]
    guide = read_table(name, data, sheet="填写说明")
    assert guide.sheet == "填写说明" and guide.header == ["说明"] and guide.rows == [Row(2, ["每行一个单位一个年度"])]
    message = only_refusal(read_table(name, data, sheet="第三页"), name)
    assert "「第三页」" in message and "年报、填写说明" in message


# ---------------------------------------------------------------- cells: what the .xlsx reader gives


def xlsx_of_cells() -> bytes:
    wb = openpyxl.Workbook()
    for row in made.CELLS:
        wb.active.append(row)
    row, first, last = made.MERGED
    wb.active.merge_cells(start_row=row + 1, start_column=first + 1, end_row=row + 1, end_column=last + 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["cells.xls", "cells.ods"])
def test_cells_read_as_the_xlsx_reader_reads_them(name):
    table = read_table(name, (OLD / name).read_bytes())
    assert table.rows == [
        Row(2, ["甲", "12", "12.5", "2023-01-05", "2023-01-05 08:30:00", "TRUE", "", "合并单元格", ""]),
        Row(4, ["乙", "12", "0.1", "2020-02-29", "2020-02-29 23:59:59", "FALSE", "", "", "x"])]
    xlsx = read_table(name, xlsx_of_cells())
    assert (table.header, table.rows) == (xlsx.header, xlsx.rows)
    assert [(i.code, i.row, i.column, i.value, i.message) for i in table.issues] == [
        (i.code, i.row, i.column, i.value, i.message) for i in xlsx.issues] == [
        ("merged-cells", 2, "合并", "H2:I2", f"文件 {name} 第2行的单元格 H2:I2 是合并单元格；请取消合并、每个单元格单独填写后再上传")]


def test_gbk_text_of_an_excel_95_workbook_reads_right():
    data = (OLD / "gbk-excel95.xls").read_bytes()
    table = read_table("gbk-excel95.xls", data)
    assert table.issues == [] and table.sheet == "年报" and sheet_names(data) == ["年报"]
    assert [table.header, *[r.cells for r in table.rows]] == [[str(v) for v in row] for row in made.GBK_ROWS]


@pytest.mark.parametrize("path", sorted((OLD / "xlrd").glob("*.xls")), ids=lambda p: p.name)
def test_xls_written_by_other_programs_read_without_crashing(path):
    data = path.read_bytes()
    table = read_table(path.name, data)
    assert all(i.message and path.name in i.message for i in table.issues)
    if data.startswith(ole.MAGIC):
        assert table.kind == "xls" and table.sheet == sheet_names(data)[0], table.issues
        assert not any(i.code == "not-a-table" for i in table.issues)
    else:  # a bare Excel 4 worksheet
        assert "Excel 4.0" in only_refusal(table, path.name)


def test_xlrd_samples_hold_what_excel_wrote():
    table = read_table("Formate.xls", (OLD / "xlrd" / "Formate.xls").read_bytes())
    assert sheet_names((OLD / "xlrd" / "Formate.xls").read_bytes())[:2] == ["Blätt1", "ÖÄÜ"]
    assert [table.header, table.rows[0].cells] == [["Huber", "1907-07-03"], ["Äcker", "2005-02-23"]]
    ragged = read_table("ragged.xls", (OLD / "xlrd" / "ragged.xls").read_bytes())
    assert [ragged.header, *[r.cells for r in ragged.rows]][:3] == [["a", "b", "c", ""], ["d", "e", "", ""],
                                                                    ["f", "", "", ""]]


# ---------------------------------------------------------------- refused, naming the file, nothing written


@pytest.mark.parametrize("name, says", [
    ("truncated.xls", "已损坏或不完整"),
    ("zip-bomb.ods", "压缩比异常"),
    ("password-excel95.xls", "设置了打开密码"),
    ("password.xlsx", "设置了打开密码"),
])
def test_damaged_hostile_or_locked_file_is_refused_and_nothing_written(con, name, says):
    data = (OLD / name).read_bytes()
    assert says in only_refusal(read_table(name, data), name)
    _, summary = import_bytes(con, {name: data})
    assert summary is None and stored(con) == {"batches": 0, "sources": 0, "reports": 0, "facts": 0}
    assert sheet_names(data) == []


@pytest.mark.parametrize("name", ["report.doc", "report.wps", "年报.xls"])
def test_word_document_as_a_table_says_how_to_save_it_as_docx(name):
    data = (OLD / "olefile" / "report.doc").read_bytes()
    assert SAVE_AS_DOCX in only_refusal(read_table(name, data), name)


def test_wps_named_file_is_explained_whatever_it_holds():
    assert SAVE_AS_DOCX in only_refusal(read_table("报告.wps", b"\x00\x01WPS binary" * 40), "报告.wps")


def test_empty_old_format_files():
    for name in ("a.xls", "a.et", "a.ods"):
        assert [i.code for i in read_table(name, b"").issues] == ["empty-file"]


def test_ods_without_content_is_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", old_sheets.ODS_MIMETYPE)
    assert "已损坏" in only_refusal(read_table("a.ods", out.getvalue()), "a.ods")


# ---------------------------------------------------------------- bounds, before calamine builds anything


def ods_with(body: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'<table:table table:name="S">{body}</table:table></office:spreadsheet></office:body>'
               '</office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", old_sheets.ODS_MIMETYPE, zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


VALUE = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


@pytest.mark.parametrize("body, says", [
    (f'<table:table-row table:number-rows-repeated="1000000">{VALUE}</table:table-row>', "1000000 行"),
    (f'<table:table-row><table:table-cell table:number-columns-repeated="5000"/>{VALUE}</table:table-row>', "5001 列"),
    (f'<table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated="999"/>'
     f'{VALUE}</table:table-row>', "20000000 个单元格"),
])
def test_ods_repeats_that_would_expand_too_far_are_refused(body, says):
    message = only_refusal(read_table("大.ods", ods_with(body)), "大.ods")
    assert says in message and "超过可读取的上限" in message


def test_ods_trailing_empty_repeats_are_fine():
    body = (f'<table:table-row>{VALUE}<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
            '<table:table-row table:number-rows-repeated="1048575">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    table = read_table("普通.ods", ods_with(body))
    assert table.issues == [] and table.header == ["1"]


def test_ods_content_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(old_sheets, "MAX_ODS_CONTENT", 1000)
    message = only_refusal(read_table("a.ods", (OLD / "form-2021.ods").read_bytes()), "a.ods")
    assert "解压后的表格内容" in message


def patched_dimensions(data: bytes, last_row: int, last_col: int, first_row: int = 0) -> bytes:
    """The form with its sheet's DIMENSIONS record claiming another size: calamine reserves what it says."""
    stream = old_sheets._workbook_stream(data)
    at = stream.index(struct.pack("<HH", 0x0200, 14), stream.index(struct.pack("<HH", 0x0809, 16), 1))
    record = stream[at:at + 18]
    assert data.count(record) == 1
    return data.replace(record, record[:4] + struct.pack("<IIHH", first_row, last_row, 0, last_col) + record[16:])


@pytest.mark.parametrize("rows, cols, says", [(0xFFFFFFF0, 0xFF, "行"), (60000, 250, "个单元格")])
def test_xls_that_claims_a_huge_sheet_is_refused_before_calamine_runs(monkeypatch, rows, cols, says):
    monkeypatch.setattr(old_sheets, "_child", lambda *a, **k: pytest.fail("calamine must not run"))
    data = patched_dimensions((OLD / "form-2021.xls").read_bytes(), rows, cols)
    message = only_refusal(read_table("大.xls", data), "大.xls")
    assert says in message and "超过可读取的上限" in message


def test_xls_whose_dimensions_run_backwards_is_damaged():
    data = patched_dimensions((OLD / "form-2021.xls").read_bytes(), 0, 1, first_row=9)
    assert "已损坏" in only_refusal(read_table("坏.xls", data), "坏.xls")


def test_the_real_form_is_within_the_bounds():
    old_sheets._measure_xls("a.xls", (OLD / "form-2021.xls").read_bytes())
    old_sheets._measure_ods("a.ods", (OLD / "form-2021.ods").read_bytes())


def test_a_reader_that_dies_costs_only_its_own_process(monkeypatch):
    monkeypatch.setattr(old_sheets, "CHILD_MEMORY", 16 * 1024 * 1024)  # too little even to start calamine
    assert "已损坏" in only_refusal(read_table("a.xls", (OLD / "form-2021.xls").read_bytes()), "a.xls")


@pytest.mark.parametrize("seed", range(12))
def test_mutated_xls_never_raises(seed):
    import random

    data = bytearray((OLD / "form-2021.xls").read_bytes())
    rnd = random.Random(seed)
    for _ in range(rnd.randint(1, 6)):
        at = rnd.randrange(len(data))
        data[at:at + 2] = rnd.choice([b"\xff\xff", b"\x00\x00", b"\x7f\xff", bytes([rnd.randrange(256)] * 2)])
    table = read_table("变.xls", bytes(data))
    assert all(i.message and "变.xls" in i.message for i in table.issues)
    assert table.header or any(i.is_error for i in table.issues)


# ---------------------------------------------------------------- reports: .doc and .wps


@pytest.mark.parametrize("name", ["年报.doc", "年报.wps", "年报.DOC"])
def test_old_word_report_says_how_to_save_it_as_docx(name):
    report = report_files.read_file(name, (OLD / "olefile" / "report.doc").read_bytes())
    assert name in report.error and SAVE_AS_DOCX in report.error and "Word 或 WPS 中打开" in report.error
    drafts, issues = report_files.drafts_from_report(report)
    assert drafts == [] and [(i.code, i.message) for i in issues] == [("unreadable-report", report.error)]


def test_wps_report_that_is_no_word_file_is_explained_too():
    report = report_files.read_file("年报.wps", bytes(range(256)) * 8)
    assert "年报.wps" in report.error and SAVE_AS_DOCX in report.error


def test_spreadsheet_on_the_report_page_points_to_the_upload_page():
    report = report_files.read_file("年报.xls", (OLD / "form-2021.xls").read_bytes())
    assert "年报.xls" in report.error and "数据上传" in report.error


def test_doc_that_is_really_a_web_page_is_still_read():
    html = "<html><body><p>一、总体情况</p><p>全年公开信息71条。</p></body></html>".encode()
    report = report_files.read_file("年报.doc", html)
    assert report.error == "" and report.kind == "html"


# ---------------------------------------------------------------- the pages and the command line


def test_upload_page_reads_an_xls_and_lists_its_sheets(db_file):
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60).run()
    at.file_uploader(key="upload_file").set_value(("年报.xls", (OLD / "form-2021.xls").read_bytes(),
                                                   "application/vnd.ms-excel")).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="upload_sheet").options == ["年报", "填写说明"]
    assert any("年报.xls：20 行，214 列" in e.label.replace("\\", "") for e in at.expander)  # names escaped


def test_upload_page_accepts_the_old_formats():
    source = (ROOT / "pages" / "upload.py").read_text(encoding="utf-8")
    assert '"xls", "et", "ods"' in source
    assert '"doc", "wps"' in (ROOT / "pages" / "import_report.py").read_text(encoding="utf-8")


def test_report_page_explains_a_doc(db_file):
    at = AppTest.from_file(str(ROOT / "pages" / "import_report.py"), default_timeout=60).run()
    at.file_uploader(key="import_report_file").set_value(
        [("年报.doc", (OLD / "olefile" / "report.doc").read_bytes(), "application/msword")]).run()
    assert not at.exception, at.exception
    assert any("年报.doc" in (shown := e.value.replace("\\", "")) and SAVE_AS_DOCX.replace("\\", "") in shown
               for e in at.error)  # the message escaped for Markdown


def cli(*args):
    import subprocess

    return subprocess.run([sys.executable, "-m", "disclosure", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


def test_cli_imports_an_xls_and_explains_a_doc_and_a_wps(db_file, tmp_path):
    r = cli("import", OLD / "form-2021.xls", "--db", db_file, "--accept-errors")
    assert r.returncode == 0, r.stdout + r.stderr
    for name in ("年报.doc", "年报.wps"):
        path = tmp_path / name
        path.write_bytes((OLD / "olefile" / "report.doc").read_bytes())
        r = cli("import", path, "--db", db_file)
        assert r.returncode == 1 and name in r.stdout and SAVE_AS_DOCX in r.stdout, r.stdout + r.stderr


def test_a_sheet_name_no_command_line_could_carry_is_still_looked_up():
    message = only_refusal(read_table("a.xls", (OLD / "form-2021.xls").read_bytes(), sheet="年\x00报\ud800"), "a.xls")
    assert "年报、填写说明" in message


def test_ods_table_inside_a_cell_is_measured_on_its_own():
    inner = f'<table:table table:name="内"><table:table-row>{VALUE}{VALUE}</table:table-row></table:table>'
    body = (f'<table:table-row><table:table-cell office:value-type="string">{inner}</table:table-cell>{VALUE}'
            f'</table:table-row><table:table-row>{VALUE}</table:table-row>')
    scan = old_sheets._OdsScan()
    scan.parser.Parse(zipfile.ZipFile(io.BytesIO(ods_with(body))).read("content.xml"), True)
    assert scan.tables == [("内", 1, 2), ("S", 2, 2)]
    assert read_table("套.ods", ods_with(body)).header[1] == "1"
