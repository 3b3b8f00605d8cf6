"""Digital PDF reports (tests/data/pdf, printed from their HTML) read as well as their HTML; bad PDFs refused."""
from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from disclosure.read import read_pdf
from disclosure.read.pdf_page import RADICALS, Line, normalise
from disclosure.read.report_files import read_file
from disclosure.read.report_source import load

PDFS = Path(__file__).parent / "data" / "pdf"
REPORTS = ["fuyuan-2022-two-pages", "haiqing-2020-narrow", "guanzhou-2023-blanks", "erlang-2022-borderless"]

def _bytes(name: str) -> bytes:
    return (PDFS / name).read_bytes()


def _text(name: str):
    source = load(name, _bytes(name))
    assert source.error == "" and source.kind == "pdf"
    return source


def _essentials(reading) -> dict:
    return {"agency": reading.agency, "year": reading.year, "version": reading.version, "values": reading.values,
            "approximate": sorted(reading.approximate), "suggested": reading.suggested,
            "unresolved": [(u.where, u.reason) for u in reading.unresolved]}


@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_each_pdf_gives_exactly_the_values_its_html_holds(name):
    answer = json.loads((PDFS / f"{name}.json").read_text(encoding="utf-8"))
    rf = read_file(f"{name}.pdf", _bytes(f"{name}.pdf"))
    assert rf.error == "" and rf.kind == "pdf"
    r = rf.reading
    assert (r.agency, r.year, r.version) == (answer["agency"], answer["year"], answer["version"])
    assert {c: v for c, v in r.values.items() if c not in r.approximate} == answer["values"]
    assert r.unresolved == []


@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_a_pdf_reads_no_worse_than_its_own_html(name):
    pdf = read_file(f"{name}.pdf", _bytes(f"{name}.pdf")).reading
    html = read_file(f"{name}.html", _bytes(f"{name}.html")).reading
    assert _essentials(pdf) == _essentials(html)


@pytest.mark.slow
@pytest.mark.parametrize("name", REPORTS)
def test_the_pdf_text_is_the_text_of_the_html(name):
    assert _text(f"{name}.pdf").text == load(f"{name}.html", _bytes(f"{name}.html")).text


def test_a_table_continued_on_the_next_page_continues_with_more_rows():
    source = _text("fuyuan-2022-two-pages.pdf")
    lines = source.text.split("\n")
    assert len(source.line_pages) == len(lines) and source.line_pages == sorted(source.line_pages)
    page = dict(zip(lines, source.line_pages))
    zeros = " | 0" * 7
    # The merged cell 三、本年度办理结果 runs over the page break: it appears once, where it starts.
    assert page["三、本年度办理结果 | （一）予以公开" + zeros] == 1
    assert page["（三）不予公开 | 1.属于国家秘密" + zeros] == 2
    assert page["一、总体情况"] == 1 and page["无。"] == 3
    assert sum("本年度办理结果" in line for line in lines) == 1


def test_labels_wrapped_in_narrow_cells_are_joined_without_spaces():
    lines = _text("haiqing-2020-narrow.pdf").text.split("\n")
    assert "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量" in lines
    assert "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他" in lines
    assert "其他对外管理服务事项 | 0 | 0 | 0" in lines
    # A row whose label the page break split (6.属于四类过 / 程性信息) is one row again.
    assert "6.属于四类过程性信息" + " | 0" * 7 in lines
    assert "4.无正当理由大量反复申请" + " | 0" * 7 in lines


def test_a_number_broken_at_the_margin_is_joined_again():
    with pdfplumber.open(PDFS / "haiqing-2020-narrow.pdf") as pdf:
        assert "信息7\n1条" in pdf.pages[0].extract_text()          # the fixture really breaks the number
    lines = _text("haiqing-2020-narrow.pdf").text.split("\n")
    assert "（三）2020年，全乡一共公开信息71条，其中微信公众号公开43条，其他方式公开28条。" in lines
    assert "海青乡2020年政府信息公开工作年度报告" in lines               # a title wrapped over two centred lines


def test_empty_cells_stay_empty_cells_and_slashes_stay():
    lines = _text("guanzhou-2023-blanks.pdf").text.split("\n")
    assert "二、上年结转政府信息公开申请数量 | 0 |  |  |  |  |  | 0" in lines
    assert "规章 | / | / | /" in lines
    assert "8.属于行政查询事项" + " | /" * 7 in lines
    assert "0 | " * 10 + " | " * 4 in lines                                 # 复议后起诉: five blank cells


def test_columns_without_rules_page_numbers_and_letter_spacing():
    lines = _text("erlang-2022-borderless.pdf").text.split("\n")
    assert "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数" in lines
    assert "行政规范性文件 | 4 | 0 | 4" in lines
    assert "行政许可 | 0" in lines
    assert not any(re.fullmatch(r"-\s*\d+\s*-", line) for line in lines)       # the footers "- 1 -" are gone
    assert lines[-1] == "二郎街道办事处"                                      # spread letter by letter


def _chars(*runs: tuple[str, float]) -> list[dict]:
    """Characters 10 pt wide on one line; each run starts `gap` points after the previous character."""
    chars, x = [], 50.0
    for text, gap in runs:
        for i, ch in enumerate(text):
            x += gap if i == 0 else 0.0
            chars.append({"text": ch, "x0": x, "x1": x + 10, "top": 100.0, "bottom": 110.0, "size": 10.0})
            x += 10
    return chars


def test_gaps_inside_a_line_justification_spaces_and_columns():
    from disclosure.read.pdf_page import _segments

    justified = _chars(*[(ch, 3.0) for ch in "共发布信息"], ("18", 3.0), ("篇，其中", 3.0))
    assert _segments(justified, columns=True) == ["共发布信息18篇，其中"]
    assert _segments(_chars(("公开", 0), ("18", 0), ("20", 3.0), ("条", 0)), columns=True) == ["公开18 20条"]
    assert _segments(_chars(("规章", 0), ("0", 30.0), ("0", 30.0), ("0", 30.0)), columns=True) == ["规章", "0", "0", "0"]
    assert _segments(_chars(("规章", 0), ("0", 30.0), ("0", 30.0)), columns=False) == ["规章 0 0"]


def _line(text: str, x0: float, x1: float, top: float) -> Line:
    return Line(text, 1, prose=True, x0=x0, x1=x1, top=top, bottom=top + 12, size=12, frame=(595, 842))


def test_running_lines_join_and_paragraphs_stay_apart():
    lines = [_line("一、总体情况", 90, 162, 100),
             _line("2020年，全乡一共公开信息7", 114, 505, 120),                 # indented, runs to the margin
             _line("1条，其中微信公众号公开43条，其他方式公开28条。这一行正好写到页边为", 90, 504, 140),
             _line("止。", 90, 114, 160),
             _line("（二）另一段。", 114, 200, 180),
             _line("这一段最后一行正好写到页边。", 90, 505, 200),
             _line("下一段首行缩进，也写到页边。", 114, 505, 220)]
    assert [line.text for line in read_pdf._join_runs(lines)] == [
        "一、总体情况", "2020年，全乡一共公开信息71条，其中微信公众号公开43条，其他方式公开28条。这一行正好写到页边为止。",
        "（二）另一段。", "这一段最后一行正好写到页边。", "下一段首行缩进，也写到页边。"]


def test_radical_code_points_become_ideographs():
    assert normalise("人⺠政府") == "人民政府"
    assert normalise("\u2f00、总体情况") == "一、总体情况"                     # KANGXI RADICAL ONE
    assert normalise("⻓⻔⻋⻅⻜⻢⻛⻬⻙⻚⻆⻝⻰⻄⺟⻘⺩⻩⻨") == "长门车见飞马风齐韦页角食龙西母青王黄麦"
    supplement = [c for c in range(0x2E81, 0x2F00) if unicodedata.name(chr(c), "")]
    assert all(c in RADICALS for c in supplement) and len(supplement) == 114
    assert all(c in RADICALS for c in range(0x2F00, 0x2FD6))
    assert all(_unified(RADICALS[c]) for c in supplement)


def _unified(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0x20000 <= code <= 0x323AF


@pytest.mark.slow
def test_radicals_in_a_pdf_text_layer_are_normalised_and_only_there():
    with pdfplumber.open(PDFS / "fuyuan-2022-two-pages.pdf") as pdf:
        raw = pdf.pages[0].extract_text()
    assert "⼀、总体情况" in raw                                             # Noto's text layer: radicals
    text = _text("fuyuan-2022-two-pages.pdf").text
    assert "一、总体情况" in text and not re.search("[\u2e80-\u2fdf]", text)
    assert load("a.txt", "人⺠政府⼀".encode("utf-8")).text == "人⺠政府⼀"


def test_a_scanned_pdf_is_refused_in_chinese():
    source = load("扫描件.pdf", _bytes("scanned.pdf"))
    assert source.text == "" and source.kind == "pdf"
    assert source.error == ("文件 扫描件.pdf 是扫描件（没有文字层），无法读取；"
                            "请使用 Word 版或网页版报告，或把文字复制粘贴为文本后导入")


def _hand_made_pdf(pages: int, encrypt: bytes = b"") -> bytes:
    """A minimal PDF of empty pages, optionally with an /Encrypt dictionary."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    if encrypt:
        objects.append(encrypt)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    extra = b"/Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objects), b"11" * 16, b"11" * 16) if encrypt else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, extra, xref)
    return bytes(out)


@pytest.mark.slow
def test_a_pdf_over_the_page_limit_is_refused_naming_the_limit():
    source = load("合订本.pdf", _hand_made_pdf(read_pdf.MAX_PAGES + 1))
    assert source.text == "" and "合订本.pdf" in source.error
    assert f"有 {read_pdf.MAX_PAGES + 1} 页" in source.error and f"上限 {read_pdf.MAX_PAGES} 页" in source.error
    assert "扫描件" in load("空白.pdf", _hand_made_pdf(2)).error                # within the limit: read, no text


def test_a_pdf_that_needs_a_password_is_refused():
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <%s> /U <%s> >>" % (b"ab" * 32, b"cd" * 32)
    source = load("加密.pdf", _hand_made_pdf(1, encrypt))
    assert "加密.pdf" in source.error and "已加密" in source.error


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.1])
def test_a_truncated_pdf_gives_a_chinese_error(cut):
    data = _bytes("fuyuan-2022-two-pages.pdf")
    source = load("半个.pdf", data[: int(len(data) * cut)])
    assert source.text == "" and "半个.pdf" in source.error and "无法读取的 PDF 文件" in source.error


@pytest.mark.slow
def test_damaged_pdfs_never_raise():
    data = _bytes("guanzhou-2023-blanks.pdf")
    rng = random.Random(17)
    for _ in range(8):
        damaged = bytearray(data)
        for _ in range(20):
            damaged[rng.randrange(len(damaged) - 10)] = rng.randrange(256)
        source = load("坏.pdf", bytes(damaged))
        assert bool(source.error) != bool(source.text.strip()) and "时出错" not in source.error


def test_junk_before_the_header_is_skipped():
    source = load("report.pdf", b"<html>junk</html>\r\n" * 10 + _bytes("erlang-2022-borderless.pdf"))
    assert source.error == "" and "行政规范性文件 | 4 | 0 | 4" in source.text


def test_reading_stops_at_the_character_limit(monkeypatch):
    monkeypatch.setattr(read_pdf, "MAX_CHARS", 500)
    monkeypatch.setattr(read_pdf, "read_pdf", read_pdf.read_in_process)  # the limit as patched: in this process
    source = _text("fuyuan-2022-two-pages.pdf")
    assert set(source.line_pages) == {1}
    assert any("只读取了前 1 页（共 3 页）" in notice for notice in source.notices)


def test_other_kinds_have_no_line_pages():
    assert load("a.txt", "一、总体情况\n".encode()).line_pages == []
    assert load("a.html", _bytes("erlang-2022-borderless.html")).line_pages == []


def test_the_parse_command_reads_a_pdf(capsys):
    from disclosure.__main__ import main

    assert main(["parse", str(PDFS / "erlang-2022-borderless.pdf"), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["version"] == "2021" and payload["values"]["s2.normdocs.in_force"] == 4


@pytest.mark.slow
def test_a_pdf_uploaded_on_the_import_page_is_stored_with_its_cells(db_file):
    from streamlit.testing.v1 import AppTest

    from disclosure.store import db

    at = AppTest.from_file(str(Path(__file__).parent.parent / "pages" / "import_report.py"), default_timeout=60)
    at.run()
    at.file_uploader(key="import_report_file").set_value(
        [("二郎街道2022年报.pdf", _bytes("erlang-2022-borderless.pdf"), "application/pdf")])
    at.run()
    at.selectbox(key="import_parent_0").set_value("新地区…").run()
    at.text_input(key="import_new_parent_0").input("示例省/示例市/示例县")
    at.run()
    assert not at.exception and not at.button(key="import_report_commit").disabled
    at.button(key="import_report_commit").click()
    at.run()
    con = db.connect(db_file)
    try:
        stored = con.execute("select s.kind, count(f.metric) from reports rp join sources s on s.id = rp.source_id "
                             "join facts f on f.report_id = rp.id group by s.kind").fetchall()
    finally:
        con.close()
    answer = json.loads((PDFS / "erlang-2022-borderless.json").read_text(encoding="utf-8"))
    assert stored == [("pdf", len(answer["values"]))]
