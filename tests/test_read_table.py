"""Tests for disclosure.read_table: real bytes in every encoding and real openpyxl workbooks."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.read.read_table import ENCODINGS, Row, Table, read_table, sheet_names

SAMPLES = Path(__file__).parent / "data" / "read_table"
from tests.data.read_table import make_samples

HEADER = ["单位名称", "年度", "三 本年新收 自然人"]
GBK_TABLE = "单位名称,年度\n北京市教育委员会,2023\n".encode("gbk")
UTF8_TABLE = "单位名称,年度\n北京市教育委员会,2023\n".encode("utf-8")


def codes(table: Table) -> list[str]:
    return [i.code for i in table.issues]


def only_issue(table: Table, code: str):
    assert codes(table) == [code], table.issues
    issue = table.issues[0]
    assert issue.severity == "error" and issue.message and issue.file == table.file
    return issue


def xlsx(*sheets: tuple[str, list[list]], merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    if merge:
        wb.worksheets[0].merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- sample files


def test_samples_are_up_to_date():
    for name, data in make_samples.samples().items():
        if name.endswith(".xlsx"):  # zip timestamps differ between runs
            continue
        assert (SAMPLES / name).read_bytes() == data, name


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("ok--*")), ids=lambda p: p.name)
def test_ok_samples_all_read_the_same_table(path):
    table = read_table(path.name, path.read_bytes())
    assert table.issues == []
    assert table.header == make_samples.OK_HEADER
    assert table.rows == [Row(2, make_samples.OK_ROWS[0]), Row(3, make_samples.OK_ROWS[1])]
    assert table.kind == ("xlsx" if path.suffix == ".xlsx" else "csv")


@pytest.mark.parametrize("path", sorted(p for p in SAMPLES.glob("*--*") if not p.name.startswith("ok--")),
                         ids=lambda p: p.name)
def test_bad_samples_give_the_issue_in_their_name(path):
    table = read_table(path.name, path.read_bytes())
    code = path.name.split("--")[0]
    assert code in codes(table)
    assert all(i.severity == "error" and i.file == path.name and path.name in i.message for i in table.issues)


# ---------------------------------------------------------------- csv encodings


@pytest.mark.parametrize("codec, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"),
                                             ("gb18030", "gb18030"), ("utf-16", "utf-16"),
                                             ("utf-16-be", "utf-16")])
def test_encodings_detected(codec, expected):
    text = "单位名称,年度,备注\n北京市教育委员会,2023,𠮷与〇\n" if codec != "gbk" else "单位名称,年度\n北京,2023\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    table = read_table("x.csv", data)
    assert table.issues == []
    first_cell = text.split("\n")[1].split(",")[0]
    assert (table.encoding, table.header[0], table.rows[0].cells[0]) == (expected, "单位名称", first_cell)


def test_utf16_excel_unicode_text_is_tab_separated():
    table = read_table("x.txt", b"\xff\xfe" + "单位名称\t年度\r\n北京, 东城\t2023\r\n".encode("utf-16-le"))
    assert table.encoding == "utf-16" and table.header == ["单位名称", "年度"]
    assert table.rows == [Row(2, ["北京, 东城", "2023"])]


def test_mixed_encoding_names_both_kinds_of_line():
    data = "单位名称,年度\n北京市,2023\n".encode() + "上海市,2022\n".encode("gbk")
    issue = only_issue(read_table("mixed.csv", data), "bad-encoding")
    assert issue.row == 3 and issue.value == repr("上".encode("gbk"))
    assert "第1、2行是 UTF-8" in issue.message and "第3行是 GBK/GB18030" in issue.message


def test_utf8_bom_then_gbk_lines_is_mixed():
    issue = only_issue(read_table("x.csv", b"\xef\xbb\xbf" + GBK_TABLE), "bad-encoding")
    assert "BOM" in issue.message and issue.row == 1


def test_mixed_with_ascii_only_utf8_lines_is_plain_gbk():
    data = b"agency,year\n" + "北京,2023\n".encode("gbk") + b"x,2022\n"
    table = read_table("x.csv", data)
    assert table.issues == [] and table.encoding == "gb18030" and table.rows[0].cells == ["北京", "2023"]


def test_undecodable_bytes_name_line_and_bytes():
    issue = only_issue(read_table("x.csv", GBK_TABLE + b"abc,\x80\xff\n"), "bad-encoding")
    assert issue.row == 3 and issue.value == repr(b"\x80\xff") and "第3行" in issue.message


def test_nul_bytes_without_bom_are_refused():
    only_issue(read_table("x.csv", "单位\n北京\n".encode("utf-16-le")), "bad-encoding")
    assert only_issue(read_table("x.csv", b"a,b\nc\x00,d\n"), "bad-encoding").row == 2


@pytest.mark.parametrize("override", ["gbk", "GBK", "gb2312", "cp936", "gb18030"])
def test_gbk_override_and_aliases(override):
    table = read_table("x.csv", GBK_TABLE, encoding=override)
    assert table.issues == [] and table.encoding == "gb18030" and table.header == ["单位名称", "年度"]


@pytest.mark.parametrize("override", ["utf8", "UTF-8", "utf-8"])
def test_utf8_override(override):
    table = read_table("x.csv", b"\xef\xbb\xbf" + UTF8_TABLE, encoding=override)
    assert table.issues == [] and table.header == ["单位名称", "年度"] and table.encoding == "utf-8-sig"


def test_every_offered_encoding_is_accepted():
    texts = {"utf-8": UTF8_TABLE, "gb18030": GBK_TABLE, "big5": "單位名稱,年度\n臺北,2023\n".encode("big5"),
             "utf-16": "单位名称,年度\n北京,2023\n".encode("utf-16")}
    for label, codec in ENCODINGS.items():
        table = read_table("x.csv", texts[codec], encoding=codec)
        assert table.issues == [] and table.encoding == codec and len(table.rows) == 1, label


@pytest.mark.parametrize("override", ["gbk", "big5"])
def test_gbk_override_on_utf8_file_refused(override):
    issue = only_issue(read_table("x.csv", UTF8_TABLE, encoding=override), "bad-encoding")
    assert "UTF-8" in issue.message


def test_utf8_override_on_gbk_file_refused_naming_line():
    issue = only_issue(read_table("x.csv", b"agency,year\n" + "北京,2023\n".encode("gbk"), encoding="utf-8"),
                       "bad-encoding")
    assert issue.row == 2 and issue.value == repr("北".encode("gbk")) and "GBK" in issue.message


def test_utf16_override_on_utf8_file_refused():
    only_issue(read_table("x.csv", UTF8_TABLE, encoding="utf-16"), "bad-encoding")


def test_unknown_override_refused():
    issue = only_issue(read_table("x.csv", UTF8_TABLE, encoding="latin-1"), "bad-encoding")
    assert issue.value == "latin-1"


# ---------------------------------------------------------------- csv shape


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\r\n ,\n",
                                  "\n\n".encode("utf-16")])
def test_empty_files(data):
    only_issue(read_table("x.csv", data), "empty-file")


def test_header_only_is_not_an_issue():
    table = read_table("x.csv", "单位名称,年度\n".encode())
    assert table.issues == [] and table.header == ["单位名称", "年度"] and table.rows == []


def test_quoted_cells_with_commas_newlines_and_quotes_keep_line_numbers():
    data = ('单位名称,年度,备注\n'
            '"北京,东城",2023,"第一行\n第二行\n第三行"\n'
            '上海,2022,"他说""好"""\n'
            '广州,"2021",\n').encode()
    table = read_table("x.csv", data)
    assert table.rows == [Row(2, ["北京,东城", "2023", "第一行\n第二行\n第三行"]),
                          Row(5, ["上海", "2022", '他说"好"']),
                          Row(6, ["广州", "2021", ""])]


def test_crlf_inside_quotes_and_cr_only_line_endings():
    assert read_table("x.csv", b'a,b\r\n"1\r\n2",3\r\n4,5\r\n').rows == [Row(2, ["1\n2", "3"]), Row(4, ["4", "5"])]
    assert read_table("x.csv", b"a,b\r1,2\r3,4\r").rows == [Row(2, ["1", "2"]), Row(3, ["3", "4"])]


def test_blank_rows_skipped_and_leading_blank_lines_before_header():
    table = read_table("x.csv", b"\n , \nagency,year\n\n , \nA,2023\n,\nB,2022")
    assert table.header == ["agency", "year"]
    assert table.rows == [Row(6, ["A", "2023"]), Row(8, ["B", "2022"])]


def test_whitespace_stripped_and_bom_left_in_text_removed():
    table = read_table("x.csv", "\ufeff 单位名称 ,\u3000年度\n 北京 , 2023 \n".encode("utf-16"))
    assert table.header == ["单位名称", "年度"] and table.rows[0].cells == ["北京", "2023"]


def test_trailing_empty_columns_dropped():
    table = read_table("x.csv", b"agency,year,,\nA,2023,,\nB,2022,,,\n")
    assert table.header == ["agency", "year"] and [r.cells for r in table.rows] == [["A", "2023"], ["B", "2022"]]


def test_blank_headed_column_with_data_is_kept():
    table = read_table("x.csv", b"agency,year,\nA,2023,x\n")
    assert table.header == ["agency", "year", ""] and table.rows[0].cells == ["A", "2023", "x"]


def test_long_rows_widen_the_header_and_short_rows_are_padded():
    table = read_table("x.csv", b"agency,year\nA,2023,extra,\nB\n")
    assert table.header == ["agency", "year", ""]
    assert [r.cells for r in table.rows] == [["A", "2023", "extra"], ["B", "", ""]]


@pytest.mark.parametrize("data, line", [(b'a,b\n1,2\n"3,4\n5,6\n7,8\n', 3), (b'a,b\n1,"x' + b"y" * 200_000, 2)])
def test_unclosed_quote_is_reported_not_swallowed(data, line):
    issue = only_issue(read_table("q.csv", data), "not-a-table")
    assert issue.row == line and f"第{line}行" in issue.message


def test_ambiguous_short_gbk_asks_for_a_choice_and_gbk_override_works():
    # 「模」 in GBK (C4 A3) happens to be valid UTF-8 (「ģ」): refuse to guess, let the user choose GBK.
    data = "agency,year\n模,2023\n".encode("gbk")
    assert "手动选择" in only_issue(read_table("x.csv", data), "bad-encoding").message
    assert read_table("x.csv", data, encoding="gbk").rows[0].cells == ["模", "2023"]
    # the price: UTF-8 without Chinese but with accents is ambiguous too, and reads once UTF-8 is chosen
    only_issue(read_table("x.csv", "agency\nCafé\n".encode()), "bad-encoding")
    assert read_table("x.csv", "agency\nCafé\n".encode(), encoding="utf-8").rows[0].cells == ["Café"]


def test_blank_middle_column_kept():
    assert read_table("x.csv", b"a,,c\n1,,3\n").header == ["a", "", "c"]


@pytest.mark.parametrize("sep", ["\t", ";"])
def test_other_delimiters(sep):
    table = read_table("x.csv", f"单位名称{sep}年度\n北京,东城{sep}2023\n".encode())
    assert table.header == ["单位名称", "年度"] and table.rows[0].cells == ["北京,东城", "2023"]


def test_comma_wins_when_header_has_both():
    assert read_table("x.csv", b"a;b,c\n1;2,3\n").header == ["a;b", "c"]


# ---------------------------------------------------------------- xlsx


def test_xlsx_first_sheet_and_chosen_sheet():
    data = xlsx(("数据", [["agency", "year"], ["A", 2023]]), ("说明", [["note"], ["hello"]]))
    assert sheet_names(data) == ["数据", "说明"]
    first = read_table("x.xlsx", data)
    assert (first.kind, first.sheet, first.encoding, first.header) == ("xlsx", "数据", None, ["agency", "year"])
    chosen = read_table("x.xlsx", data, sheet="说明")
    assert (chosen.sheet, chosen.header, chosen.rows) == ("说明", ["note"], [Row(2, ["hello"])])


def test_xlsx_unknown_sheet_lists_the_names():
    data = xlsx(("数据", [["a"]]), ("说明", [["b"]]))
    issue = only_issue(read_table("x.xlsx", data, sheet="Sheet9"), "not-a-table")
    assert "Sheet9" in issue.message and "数据、说明" in issue.message


def test_sheet_names_of_non_xlsx():
    assert sheet_names(UTF8_TABLE) == [] and sheet_names(b"PK\x03\x04junk") == [] and sheet_names(b"") == []


def test_xlsx_cell_formatting():
    row = [5, 5.0, 26.55, 1234.5, -3, True, False, None, dt.date(2023, 1, 31), dt.datetime(2023, 1, 31, 8, 30),
           "  text  ", 1e20]
    table = read_table("x.xlsx", xlsx(("s", [[f"c{i}" for i in range(len(row))], row])))
    assert table.rows[0].cells == ["5", "5", "26.55", "1234.5", "-3", "TRUE", "FALSE", "",
                                   "2023-01-31", "2023-01-31 08:30:00", "text", "100000000000000000000"]


def test_xlsx_header_is_first_non_empty_row_and_lines_are_sheet_rows():
    table = read_table("x.xlsx", xlsx(("s", [[], [None, None], ["agency", "year"], ["A", 2023], [], ["B", 2022]])))
    assert table.header == ["agency", "year"]
    assert table.rows == [Row(4, ["A", "2023"]), Row(6, ["B", "2022"])]


def test_xlsx_trailing_blank_columns_dropped_and_short_rows_padded():
    table = read_table("x.xlsx", xlsx(("s", [["a", "b", None, "  "], ["1"], ["1", "2", "3"]])))
    assert table.header == ["a", "b", ""] and [r.cells for r in table.rows] == [["1", "", ""], ["1", "2", "3"]]


def test_xlsx_merged_cells():
    data = xlsx(("s", [["agency", "year"], ["A", 2023], ["B", 2022]]), merge="B2:B3")
    issue = only_issue(read_table("m.xlsx", data), "merged-cells")
    assert (issue.row, issue.column, issue.value) == (2, "year", "B2:B3") and "B2:B3" in issue.message


def test_xlsx_formula_without_cached_value():
    data = xlsx(("s", [["agency", "a", "b", "合计"], ["A", 1, 2, "=B2+C2"]]))
    table = read_table("f.xlsx", data)
    issue = only_issue(table, "formula-without-value")
    assert (issue.row, issue.column, issue.value) == (2, "合计", "=B2+C2")
    assert "D2" in issue.message and "=B2+C2" in issue.message
    assert table.rows[0].cells == ["A", "1", "2", ""]


def test_xlsx_formula_with_cached_value_is_read():
    data = make_samples.patch_sheet(xlsx(("s", [["a", "b"], [1, "=1+1"]])), "<f>1+1</f><v />", "<f>1+1</f><v>2</v>")
    table = read_table("x.xlsx", data)
    assert table.issues == [] and table.rows[0].cells == ["1", "2"]


def test_xlsx_formula_with_cached_empty_string_is_fine():
    data = make_samples.patch_sheet(xlsx(("s", [["a", "b"], [1, '=""']])), '<c r="B2"><f>""</f><v />',
                                    '<c r="B2" t="str"><f>""</f><v />')
    table = read_table("x.xlsx", data)
    assert table.issues == [] and table.rows[0].cells == ["1", ""]


def test_xlsx_shared_formula_and_cells_without_references():
    data = make_samples.patch_sheet(xlsx(("s", [["a", "b"], [1, "=A2"], [2, "=A3"]])),
                                    '<c r="B3"><f>A3</f><v /></c>', '<c><f t="shared" si="0"/></c>')
    table = read_table("x.xlsx", data)
    assert [(i.code, i.row, i.value) for i in table.issues] == [
        ("formula-without-value", 2, "=A2"), ("formula-without-value", 3, "（共享公式）")]
    assert "R3C2" in table.issues[1].message


def test_xlsx_many_formula_issues_are_capped():
    table = read_table("x.xlsx", xlsx(("s", [["a"], *[[f"={i}+1"] for i in range(30)]])))
    assert len(table.issues) == 21 and "另有 10 处" in table.issues[-1].message


def test_xlsx_detected_by_content_not_extension():
    table = read_table("named-wrong.csv", xlsx(("s", [["a"], [1]])))
    assert table.kind == "xlsx" and table.rows == [Row(2, ["1"])]


def test_corrupt_zip():
    data = xlsx(("s", [["a"], [1]]))
    only_issue(read_table("x.xlsx", data[:200]), "not-a-table")


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    only_issue(read_table("x.xlsx", out.getvalue()), "not-a-table")


def test_workbook_with_broken_sheet_xml():
    data = make_samples.patch_sheet(xlsx(("s", [["a"], [1]])), "</sheetData>", "<row><c")
    only_issue(read_table("x.xlsx", data), "not-a-table")


def test_damaged_old_binary_xls():
    issue = only_issue(read_table("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)), "not-a-table")
    assert "已损坏" in issue.message and ".xlsx" in issue.message


@pytest.mark.parametrize("name", ["x.xlsx", "x.xls"])
def test_random_bytes_named_excel(name):
    only_issue(read_table(name, bytes(range(256)) * 4), "not-a-table")


def test_empty_xlsx_named_file():
    table = read_table("x.xlsx", b"")
    assert table.kind == "xlsx" and codes(table) == ["empty-file"]


# ---------------------------------------------------------------- properties


def _check_explained(table: Table, data: bytes):
    assert isinstance(table, Table) and table.kind in ("csv", "xlsx", "xls", "ods")
    assert all(i.severity in ("error", "warning") and i.message for i in table.issues)
    assert all(len(r.cells) == len(table.header) and r.line >= 1 and any(r.cells) for r in table.rows)
    if not table.rows and data:
        assert table.header or any(i.is_error for i in table.issues)


@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt"]),
       prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
       encoding=st.sampled_from([None, "utf-8", "gbk", "big5", "utf-16", "nonsense"]))
@pytest.mark.slow
def test_arbitrary_bytes_never_raise(data, name, prefix, encoding):
    table = read_table(name, prefix + data, encoding=encoding)
    _check_explained(table, prefix + data)
    assert sheet_names(prefix + data) == [] or table.kind in ("xlsx", "xls", "ods")


WORDS = ["北京市", "教育委员会", "2023", "5", "26.55", "自然人", "（一）", "a b", "x,y", '说"好"', "多\n行", "—", "無"]


@settings(max_examples=150)
@given(rows=st.lists(st.lists(st.sampled_from(WORDS), min_size=2, max_size=2), max_size=6),
       codec=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       newline=st.sampled_from(["\n", "\r\n"]))
@pytest.mark.slow
def test_written_tables_read_back_unchanged(rows, codec, newline):
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows([["单位名称", "年度"], *rows])
    table = read_table("x.csv", out.getvalue().encode(codec))
    assert table.issues == [] and table.encoding == codec
    assert table.header == ["单位名称", "年度"] and [r.cells for r in table.rows] == rows
    assert [r.line for r in table.rows] == [2 + sum(1 + "".join(r).count("\n") for r in rows[:i])
                                            for i in range(len(rows))]
