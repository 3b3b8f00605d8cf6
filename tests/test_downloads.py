"""Downloads are safe to open: nothing in them runs as an Excel formula, and their names are never paths — even
when an uploaded file names its agency `=HYPERLINK(…)` or `../../etc/passwd`."""
from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from disclosure.present import export
from disclosure.store import sql
from tests.conftest import import_bytes

HOSTILE = ['=HYPERLINK("http://example.invalid","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
           '=cmd|"/C calc"!A0']
HARMLESS = ["城关镇", "-2", "+3", "1.5", "a=b", "（=）", ""]


def frame() -> pd.DataFrame:
    return pd.DataFrame({"单位": HOSTILE + HARMLESS, "数值": range(-3, len(HOSTILE + HARMLESS) - 3),
                         "=SUM(B:B)": 1.5})


def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_cells(data: bytes) -> list:
    return [c for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]


def test_csv_for_excel_prefixes_every_formula_and_leaves_the_rest():
    header, *rows = csv_cells(export.to_csv(frame(), for_excel=True))
    assert header == ["单位", "数值", "'=SUM(B:B)"]
    assert [r[0] for r in rows] == ["'" + v for v in HOSTILE] + HARMLESS
    assert [r[1] for r in rows] == [str(n) for n in range(-3, len(rows) - 3)], "numbers untouched, minus included"


def test_xlsx_has_no_formula_cell_and_numbers_stay_numbers():
    cells = xlsx_cells(export.to_xlsx(frame(), sheets={"附表": frame()}))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if c.column == 1][1:]
    assert texts == ["'" + v for v in HOSTILE] + [v or None for v in HARMLESS]
    assert [c.value for c in cells if c.column == 2][1:] == list(range(-3, len(texts) - 3))


def test_hostile_agency_names_are_stored_as_written_and_exported_inert(con):
    """Names are values, bound as parameters: stored and shown exactly, never run as SQL, inert in Excel."""
    names = HOSTILE[:2] + ["x'); drop table reports; --", "../../etc/passwd"]
    rows = "".join(f'"{n.replace(chr(34), chr(34) * 2)}",2021,乡,示例省/示例市/测试县,2021,{i}\n'
                   for i, n in enumerate(names))
    import_bytes(con, {"../../名单.csv": f"agency,year,kind,parent,version,s3.new.total\n{rows}".encode()})
    shown = sql.run(con, "overview_agencies", region="示例省/示例市/测试县", year=2021, kinds=[], agencies=[])
    assert sorted(shown["agency"]) == sorted(n.replace(" ", "") for n in names), "as written, spaces aside (§3)"
    assert con.execute("select count(*) from reports").fetchone()[0] == len(names)
    assert con.execute("select file_name from sources").fetchone()[0] == "../../名单.csv", "kept, never a path"
    cells = xlsx_cells(export.to_xlsx(shown))
    assert not [c.coordinate for c in cells if c.data_type == "f"]


@pytest.mark.parametrize("name, expected", [
    ("总览-2024", "总览-2024"),
    ("../../etc/passwd", "etc_passwd"),
    ("..\\..\\windows\\win.ini", "windows_win.ini"),
    ("城关镇/示例县-2021-第二部分", "城关镇_示例县-2021-第二部分"),
    ('a:b*c?d"e<f>g|h', "a_b_c_d_e_f_g_h"),
    (".bashrc", "bashrc"),
    ("\x00\n报告.docx", "报告.docx"),
    ("..", "下载"),
    ("", "下载"),
    ("长" * 200 + ".docx", "长" * 80 + ".docx"),
])
def test_download_names_are_never_paths(name, expected):
    assert export.file_name(name) == expected


def test_counts_are_integers_blanks_empty_and_rates_kept_in_csv_and_xlsx():
    """A count computed in floats (a pandas sum, a pivot) is written 12, never 12.0; a blank is an empty cell, never
    0; a column with any fraction (a rate) keeps its decimals; text that looks like a number is left alone."""
    shown = pd.DataFrame({"单位": ["城关镇", "海青乡", "河口镇"], "新收申请（件）": [12.0, float("nan"), 3.0],
                          "公开率": [0.25, float("nan"), 1.0], "排名": pd.array([1, None, 2], dtype="Int64"),
                          "上年": [5, None, 7.0], "s1.published_total": [1.0, 2.5, None], "版本": ["2.0", "x", None]})
    header, *rows = csv_cells(export.to_csv(shown, for_excel=True))
    assert rows == [["城关镇", "12", "0.25", "1", "5", "1", "2.0"],
                    ["海青乡", "", "", "", "", "2.5", "x"],
                    ["河口镇", "3", "1.0", "2", "7", "", ""]]
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(shown))).active
    values = [[c.value for c in row] for row in book.iter_rows(min_row=2)]
    assert [r[1] for r in values] == [12, None, 3] and all(type(r[1]) is int for r in values if r[1] is not None)
    assert [r[2] for r in values] == [0.25, None, 1.0] and [r[3] for r in values] == [1, None, 2]
