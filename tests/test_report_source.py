"""Report files (.docx, .html, .txt) → one simplified text: tables as row lines, layouts kept, bad files refused."""
from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.read.report_source import Source, load, to_simplified

EXAMPLES = Path(__file__).parent / "data" / "reports"
SEED = next(iter(sorted(EXAMPLES.glob("*seed*.txt")) + sorted(EXAMPLES.glob("*.txt"))), None)

CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


# ---------------------------------------------------------------------------------------------
# Real .docx files built with python-docx

def _fill(table, row: int, values: list[str], start: int = 0) -> None:
    for offset, value in enumerate(values):
        table.cell(row, start + offset).text = value


def _merge(table, top: int, left: int, bottom: int, right: int, text: str):
    cell = table.cell(top, left).merge(table.cell(bottom, right))
    cell.text = text
    return cell


def _two_paragraphs(cell, first: str, second: str) -> None:
    """A label Word wrapped over two paragraphs inside one cell."""
    cell.text = first
    cell.add_paragraph(second)


def _section2_2019(doc) -> None:
    table = doc.add_table(rows=7, cols=4)
    _merge(table, 0, 0, 0, 3, "第二十条第（一）项")
    table.cell(1, 0).text = "信息内容"
    _two_paragraphs(table.cell(1, 1), "本年新", "制作数量")
    table.cell(1, 2).paragraphs[0].add_run("本年新").add_break()        # a line break inside one paragraph
    table.cell(1, 2).paragraphs[0].add_run("公开数量")
    table.cell(1, 3).text = "对外公开总数量"
    _fill(table, 2, ["规章", "0", "0", "0"])
    _fill(table, 3, ["规范性文件", "1", "2", "3"])
    _merge(table, 4, 0, 4, 3, "第二十条第（五）项")
    _fill(table, 5, ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"])
    _fill(table, 6, ["行政许可", "5", "-1", "12"])


def _section2_2021(doc) -> None:
    table = doc.add_table(rows=10, cols=4)
    _merge(table, 0, 0, 0, 3, "第二十条第（一）项")
    _fill(table, 1, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    _fill(table, 2, ["规章", "0", "0", "0"])
    _fill(table, 3, ["行政规范性文件", "2", "1", "15"])
    _merge(table, 4, 0, 4, 3, "第二十条第（五）项")
    table.cell(5, 0).text = "信息内容"
    _merge(table, 5, 1, 5, 3, "本年处理决定数量")
    table.cell(6, 0).text = "行政许可"
    _merge(table, 6, 1, 6, 3, "76")
    _merge(table, 7, 0, 7, 3, "第二十条第（八）项")
    table.cell(8, 0).text = "信息内容"
    _merge(table, 8, 1, 8, 3, "本年收费金额（单位：万元）")
    table.cell(9, 0).text = "行政事业性收费"
    _merge(table, 9, 1, 9, 3, "0.5")


def _section3(doc, version: str) -> None:
    """Three label columns and seven value columns, merged as on the national form."""
    other_rows = 1 if version == "2019" else 3
    rows = 11 + other_rows
    table = doc.add_table(rows=rows, cols=10)
    _merge(table, 0, 0, 2, 2, CAPTION)
    _merge(table, 0, 3, 0, 9, "申请人情况")
    _merge(table, 1, 3, 2, 3, "自然人")
    _merge(table, 1, 4, 1, 8, "法人或其他组织")
    _merge(table, 1, 9, 2, 9, "总计")
    _two_paragraphs(table.cell(2, 4), "商业", "企业")
    _fill(table, 2, ["科研机构", "社会公益组织", "法律服务机构", "其他"], start=5)
    _merge(table, 3, 0, 3, 2, "一、本年新收政府信息公开申请数量")
    _fill(table, 3, ["3", "0", "0", "0", "0", "1", "4"], start=3)
    _merge(table, 4, 0, 4, 2, "二、上年结转政府信息公开申请数量")
    _fill(table, 4, ["0"] * 7, start=3)
    last = rows - 2
    _merge(table, 5, 0, last, 0, "三、本年度办理结果")
    _merge(table, 5, 1, 5, 2, "（一）予以公开")
    _fill(table, 5, ["2", "0", "0", "0", "0", "1", "3"], start=3)
    _merge(table, 6, 1, 6, 2, PARTIAL)
    _fill(table, 6, ["0"] * 7, start=3)
    _merge(table, 7, 1, 8, 1, "（三）不予公开")
    _fill(table, 7, ["1.属于国家秘密"] + ["0"] * 7, start=2)
    _fill(table, 8, ["2.其他法律行政法规禁止公开"] + ["0"] * 7, start=2)
    if version == "2019":
        _merge(table, 9, 1, 9, 2, "（六）其他处理")
        _fill(table, 9, ["0"] * 7, start=3)
    else:
        _merge(table, 9, 1, 11, 1, "（六）其他处理")
        _fill(table, 9, ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"] + ["0"] * 7, start=2)
        _fill(table, 10, ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] + ["0"] * 7,
              start=2)
        _fill(table, 11, ["3.其他"] + ["0"] * 7, start=2)
    _merge(table, last, 1, last, 2, "（七）总计")
    _fill(table, last, ["2", "0", "0", "0", "0", "1", "3"], start=3)
    _merge(table, rows - 1, 0, rows - 1, 2, "四、结转下年度继续办理")
    _fill(table, rows - 1, ["1", "0", "0", "0", "0", "0", "1"], start=3)


def _report_docx(version: str) -> bytes:
    doc = docx.Document()
    doc.add_paragraph("海青乡2020年政府信息公开工作年度报告")
    doc.add_paragraph("一、总体情况")
    doc.add_paragraph("（三）2020年，全乡一共公开信息71条，其中微信公众号公开43条，其他方式公开28条。")
    doc.add_paragraph("")                                          # empty paragraphs carry nothing
    doc.add_paragraph("二、主动公开政府信息情况")
    (_section2_2019 if version == "2019" else _section2_2021)(doc)
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    _section3(doc, version)
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    doc.add_paragraph("六、其他需要报告的事项")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_bytes(build) -> bytes:
    doc = docx.Document()
    build(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


SECTION3_HEAD = [
    f"{CAPTION} | 申请人情况",
    " | 自然人 | 法人或其他组织 | 总计",
    " |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | ",
    "一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 1 | 4",
    "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    "三、本年度办理结果 | （一）予以公开 | 2 | 0 | 0 | 0 | 0 | 1 | 3",
    f" | {PARTIAL} | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    " | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    " |  | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
]
SECTION3_TAIL = [
    " | （七）总计 | 2 | 0 | 0 | 0 | 0 | 1 | 3",
    "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
]
OPENING = [
    "海青乡2020年政府信息公开工作年度报告",
    "一、总体情况",
    "（三）2020年，全乡一共公开信息71条，其中微信公众号公开43条，其他方式公开28条。",
    "二、主动公开政府信息情况",
]
CLOSING = ["四、政府信息公开行政复议、行政诉讼情况", "六、其他需要报告的事项"]


def test_docx_2019_form_reads_in_order_with_merges():
    source = load("海青乡2020.docx", _report_docx("2019"))
    assert (source.kind, source.error, source.notices) == ("docx", "", [])
    assert source.text.split("\n") == OPENING + [
        "第二十条第（一）项",                                           # caption merged over 4 columns: once
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",      # label line breaks joined
        "规章 | 0 | 0 | 0",
        "规范性文件 | 1 | 2 | 3",
        "第二十条第（五）项",
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
        "行政许可 | 5 | -1 | 12",
        "三、收到和处理政府信息公开申请情况",
        *SECTION3_HEAD,
        " | （六）其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        *SECTION3_TAIL,
        *CLOSING,
    ]


def test_docx_2021_form_reads_in_order_with_merges():
    source = load("report.docx", _report_docx("2021"))
    assert (source.kind, source.error, source.notices) == ("docx", "", [])
    assert source.text.split("\n") == OPENING + [
        "第二十条第（一）项",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 0 | 0 | 0",
        "行政规范性文件 | 2 | 1 | 15",
        "第二十条第（五）项",
        "信息内容 | 本年处理决定数量",                                   # value header merged over 3 columns
        "行政许可 | 76",
        "第二十条第（八）项",
        "信息内容 | 本年收费金额（单位：万元）",
        "行政事业性收费 | 0.5",
        "三、收到和处理政府信息公开申请情况",
        *SECTION3_HEAD,
        " | （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
        " | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        " |  | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
        " | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        " |  | 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        *SECTION3_TAIL,
        *CLOSING,
    ]


def test_docx_content_wins_over_the_file_name():
    source = load("report.txt", _report_docx("2019"))
    assert source.kind == "docx" and not source.error and "规章 | 0 | 0 | 0" in source.text


def test_docx_cell_pieces_never_glue_numbers_together():
    def build(doc):
        table = doc.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "规章"
        _two_paragraphs(table.cell(0, 1), "12", "3")
    assert load("a.docx", _docx_bytes(build)).text == "规章 | 12 3"


def test_docx_layout_table_holding_the_form_is_read_as_blocks():
    def build(doc):
        outer = doc.add_table(rows=1, cols=1)
        cell = outer.cell(0, 0)
        cell.text = "二、主动公开政府信息情况"
        inner = cell.add_table(rows=2, cols=4)
        _fill(inner, 0, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        _fill(inner, 1, ["规章", "0", "1", "2"])
    assert load("a.docx", _docx_bytes(build)).text.split("\n") == [
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 0 | 1 | 2",
    ]


def test_docx_drops_word_artefacts_deleted_and_hidden_text():
    def build(doc):
        doc.add_paragraph("[bookmark: _GoBack]三、收到和处理政府信息公开申请情况")
        paragraph = doc.add_paragraph("全年公开信息")
        hidden = paragraph.add_run("（隐藏）")
        hidden.font.hidden = True
        deleted = paragraph.add_run("99")
        wrapper = paragraph._p.makeelement(qn("w:del"), {qn("w:id"): "1", qn("w:author"): "x"})
        deleted._r.addprevious(wrapper)
        wrapper.append(deleted._r)
        paragraph.add_run("71条")
    assert load("a.docx", _docx_bytes(build)).text.split("\n") == [
        "三、收到和处理政府信息公开申请情况",
        "全年公开信息71条",
    ]


def test_docx_in_traditional_characters_is_converted():
    def build(doc):
        doc.add_paragraph("二、主動公開政府信息情況")
        table = doc.add_table(rows=1, cols=4)
        _fill(table, 0, ["規章", "0", "0", "0"])
    source = load("a.docx", _docx_bytes(build))
    assert source.text == "二、主动公开政府信息情况\n规章 | 0 | 0 | 0"
    assert source.notices == ["已将繁体字转换为简体字"]


# ---------------------------------------------------------------------------------------------
# Web pages

GBK_PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>年報</title>
<style>td { border: 1px solid; }</style>
<script>var label = "第二十條第（九）項";</script>
</head>
<body>
<h1>撫遠市自然資源局2022年政府信息公開工作年度報告</h1>
<p>一、總體情況</p>
<p>&nbsp;&nbsp;全年通過政府網站發布信息18篇，<br>其中政府信息年報1篇。</p>
<p>二、主動公開政府信息情況</p>
<table border="1">
<tr><td colspan="4">第二十條第（一）項</td></tr>
<tr><th>信息內容</th><th>本年制發<br>件數</th><th>本年廢止件數</th><th>現行有效
    件數</th></tr>
<tr><td>規章</td><td>0</td><td>&nbsp;</td><td>0</td></tr>
</table>
<p>三、收到和處理政府信息公開申請情況</p>
<table><tbody>
<tr><td rowspan="3">三、本年度辦理結果</td><td colspan="2">（一）予以公開</td><td>1</td></tr>
<tr><td rowspan="2">（三）不予公開</td><td>1.屬於國家秘密</td><td>0</td></tr>
<tr><td>2.其他法律行政法規禁止公開</td><td>0</td></tr>
</tbody></table>
<noscript>請啟用腳本</noscript>
<script>document.write("<p>第二十條</p>");</script>
<p>六、其他需要報告的事項</p>
</body></html>
"""


def test_html_gbk_page_with_merged_cells_script_and_traditional_characters():
    source = load("年报.html", GBK_PAGE.encode("gbk"))
    assert (source.kind, source.error) == ("html", "")
    assert source.notices == ["文本编码为 GB18030", "已将繁体字转换为简体字"]
    assert source.text.split("\n") == [
        "抚远市自然资源局2022年政府信息公开工作年度报告",
        "一、总体情况",
        "全年通过政府网站发布信息18篇，",
        "其中政府信息年报1篇。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项",                                   # colspan: once
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效 件数",   # <br> joined; source whitespace is one space
        "规章 | 0 |  | 0",                                      # &nbsp; cell is empty, in place
        "三、收到和处理政府信息公开申请情况",
        "三、本年度办理结果 | （一）予以公开 | 1",
        "（三）不予公开 | 1.属于国家秘密 | 0",                   # rowspan: only in its first row
        "2.其他法律行政法规禁止公开 | 0",
        "六、其他需要报告的事项",
    ]


def test_html_content_wins_and_valid_utf8_beats_a_stale_meta_charset():
    page = GBK_PAGE.replace("撫遠市", "抚远市")
    source = load("report.txt", page.encode("utf-8"))
    assert source.kind == "html" and not source.error
    assert "文本编码为 GB18030" not in source.notices
    assert source.text.startswith("抚远市自然资源局2022年")


def test_html_without_table_is_text_alone():
    page = "<html><body><div>一、总体情况</div><div>全年公开信息<b>71</b>条</div></body></html>"
    source = load("a.htm", page.encode("utf-8"))
    assert source.text == "一、总体情况\n全年公开信息71条" and source.kind == "html"


def test_html_fragment_and_layout_tables():
    page = ("<table><tr><td><p>二、主动公开政府信息情况</p>"
            "<table><tr><td>规章</td><td>0</td><td>1</td><td>2</td></tr></table></td></tr></table>")
    assert load("", page.encode("utf-8")).text == "二、主动公开政府信息情况\n规章 | 0 | 1 | 2"


def test_html_preformatted_text_keeps_its_layout():
    page = "<html><body><pre>规章\t0\t0\t0\n\n行政许可  5</pre></body></html>"
    assert load("a.html", page.encode("utf-8")).text == "规章\t0\t0\t0\n行政许可  5"


def test_tagless_html_file_is_read_as_text():
    source = load("a.html", "一、总体情况\n\t规章\n\t0\n".encode("utf-8"))
    assert (source.kind, source.text) == ("txt", "一、总体情况\n\t规章\n\t0\n")


# ---------------------------------------------------------------------------------------------
# Plain text

LAYOUT = "二、主动公开政府信息情况\r\n\t第二十条第（一）项\r\n\r\n\t规章\r\n\t0\r\n规章 | 0 | | 0\r\n  规章 0 0 0"
LAYOUT_LF = LAYOUT.replace("\r\n", "\n")


@pytest.mark.parametrize("encoding, data, notices", [
    ("utf-8", LAYOUT.encode("utf-8"), []),
    ("utf-8-sig", b"\xef\xbb\xbf" + LAYOUT.encode("utf-8"), []),
    ("gb18030", LAYOUT.encode("gb18030"), ["文本编码为 GB18030"]),
    ("utf-16-le", b"\xff\xfe" + LAYOUT.encode("utf-16-le"), ["文本编码为 UTF-16"]),
    ("utf-16-be", b"\xfe\xff" + LAYOUT.encode("utf-16-be"), ["文本编码为 UTF-16"]),
    ("mac", LAYOUT.replace("\r\n", "\r").encode("utf-8"), []),
])
def test_txt_decodes_and_keeps_layout(encoding, data, notices):
    source = load("report.txt", data)
    assert source == Source("txt", LAYOUT_LF, notices, "")


def test_seed_text_comes_back_unchanged():
    assert SEED is not None
    data = SEED.read_bytes()
    source = load(SEED.name, data)
    assert (source.kind, source.error, source.notices) == ("txt", "", [])
    assert source.text == data.decode("utf-8").replace("\r\n", "\n")
    assert "[bookmark: _GoBack]" in source.text            # a text's own content is not "cleaned"


def test_simplified_examples_are_not_touched_by_conversion():
    texts = [path.read_text("utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    simplified = [text for text in texts if "條" not in text and "數" not in text]
    assert simplified
    for text in simplified:
        assert to_simplified(text) == (text, False)


def test_traditional_text_is_converted():
    source = load("010.txt", "第二十條第(一)項\n信息內容 | 本年製發件數 | 本年廢止件數\n".encode("utf-8"))
    assert source.text == "第二十条第(一)项\n信息内容 | 本年制发件数 | 本年废止件数\n"
    assert source.notices == ["已将繁体字转换为简体字"]


def test_to_simplified_leaves_simplified_uses_of_ambiguous_characters():
    assert to_simplified("乾安县于2020年") == ("乾安县于2020年", False)
    assert to_simplified("") == ("", False)
    assert to_simplified("處理決定數量") == ("处理决定数量", True)
    assert to_simplified("條\ud800") == ("條\ud800", False)       # opencc cannot take it: left as it is


def test_pasted_text_without_a_name():
    assert load("", "规章 0 0 0".encode("utf-8")).text == "规章 0 0 0"


# ---------------------------------------------------------------------------------------------
# Files that are not reports

def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "规章"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BAD_FILES = {
    "empty.txt": (b"", "是空的"),
    "blank.txt": (b" \r\n\t \n", "是空的"),
    "bom-only.txt": (b"\xef\xbb\xbf", "是空的"),
    "random.txt": (random.Random(7).randbytes(4000), "不是"),
    "photo.png": (_png(), "图片"),
    "photo.txt": (b"\xff\xd8\xff\xe0" + bytes(200), "图片"),
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "是无法读取的 PDF 文件"),          # cut off: a damaged PDF
    "junk-before.pdf": (b"\r\n\x00\x00%PDF-1.4\n", "是无法读取的 PDF 文件"),
    "garbage.pdf": (b"%PDF-1.4\n" + random.Random(5).randbytes(3000) + b"\n%%EOF\n", "是无法读取的 PDF 文件"),
    "photo.docx": (_png(), "图片"),
    "table.docx": (_xlsx(), "不是可读取的 Word 文档（.docx）"),
    "other.docx": (_zip({"readme.txt": b"hello"}), "不是可读取的 Word 文档（.docx）"),
    "broken.docx": (b"PK\x03\x04" + random.Random(3).randbytes(500), "不是可读取的 Word 文档（.docx）"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "另存为 .docx"),
    "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "另存为 .docx"),
    "nul.txt": ("规章\x000".encode("utf-8"), "不是"),
    "controls.txt": (bytes(range(1, 9)) * 20, "不是"),
    "report.rtf": (b"{\\rtf1\\ansi hello}", "另存为 .docx"),
    "report.ofd": (_zip({"OFD.xml": b"<ofd/>"}), "OFD"),
    "empty.docx": (_docx_bytes(lambda doc: doc.add_paragraph("  ")), "没有文字"),
    "empty.html": (b"<html><head><title>x</title></head><body><script>x=1</script></body></html>", "没有正文"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_not_a_report_is_refused_in_chinese_naming_the_file(name):
    data, fragment = BAD_FILES[name]
    source = load(name, data)
    assert source.text == ""
    assert name in source.error and fragment in source.error
    assert re.search(r"[\u4e00-\u9fff]", source.error)


def test_undecodable_text_names_the_line():
    data = "一、总体情况\n全年公开信息71条\n".encode("gb18030") + b"\x81\x30\xff" + "规章".encode("gb18030")
    source = load("bad.txt", data)
    assert "bad.txt" in source.error and "第 3 行" in source.error and source.text == ""


def test_damaged_utf8_is_not_read_as_gb18030_mojibake():
    good = "一、总体情况，全年公开信息七十一条。\n".encode("utf-8") * 5
    source = load("bad.txt", good + b"\xe4\xb8" + good)         # a multi-byte character cut in half
    assert "UTF-8" in source.error and "第 6 行" in source.error


def test_pasted_empty_text_has_a_subject():
    assert load("", b"").error == "粘贴的文本是空的"


# ---------------------------------------------------------------------------------------------
# Never raises

NAMES = st.sampled_from(["a.txt", "a.docx", "a.html", "a.htm", "a", "", "报告.DOCX", "x.doc", "x.pdf"])
PREFIXES = st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00",
                            b"<html>", b"<!DOCTYPE html><meta charset=gb2312>", b"<table><tr><td>", b"%PDF",
                            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<?xml version='1.0' encoding='big5'?><p>"])
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(source: Source) -> None:
    assert isinstance(source, Source)
    assert source.kind in ("txt", "docx", "html", "pdf")
    assert isinstance(source.text, str) and isinstance(source.error, str)
    assert all(isinstance(notice, str) for notice in source.notices)
    assert bool(source.error) != bool(source.text.strip())   # either a text or a reason
    assert "时出错" not in source.error                       # no internal failure behind the safety net


@pytest.mark.slow
@SETTINGS
@given(name=NAMES, prefix=PREFIXES, data=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(name, prefix, data):
    _check(load(name, prefix + data))


@SETTINGS
@given(name=NAMES, text=st.text(max_size=300),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]))
def test_arbitrary_text_and_markup_never_raise(name, text, encoding):
    for candidate in (text, f"<html><body><table><tr><td>{text}</td></tr></table>{text}</body></html>"):
        _check(load(name, candidate.encode(encoding, "replace")))


REAL_DOCX = _report_docx("2019")


@SETTINGS
@given(flips=st.lists(st.tuples(st.integers(0, len(REAL_DOCX) - 1), st.integers(0, 255)), max_size=8),
       cut=st.integers(0, len(REAL_DOCX)))
def test_damaged_docx_never_raises(flips, cut):
    data = bytearray(REAL_DOCX)
    for position, value in flips:
        data[position] = value
    _check(load("a.docx", bytes(data[:max(cut, 4)])))
