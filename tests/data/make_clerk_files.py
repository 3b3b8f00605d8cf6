"""Writes tests/data/clerk/: files the way county offices have them (run from the repository root:
`.venv/bin/python tests/data/make_clerk_files.py`; the output is committed beside this script).

- gbk-office-kinds.csv: GBK, as Chinese Excel saves CSV; 单位类型 in the offices' own words (县级部门, 县直单位,
  街道办事处, 开发区管委会), some left empty (the name tells: 龙山乡, 示例县住房和城乡建设局 — a 部门, not a 乡).
- gbk-empty-kind-column.csv: GBK; the 单位类型 column there but empty in every row.
- long-no-region.csv: long (单位名称, 年度, 指标, 数值), no 所属地区 column: imported with a region for the file.
- two-errors-gbk.csv: GBK; one report with two errors to fix in the review grid: 「5件」 (not a number) and an
  R1 imbalance (办理结果总计 总计 4 where 5 was received).
- county-government.csv: 示例县人民政府 with 单位类型 本级 and 示例县人民政府办公室 with none: 汇总 or 政府 is asked.
- unrecognised-kind-village.csv: 单位类型 村委会, which names no kind of the form: a warning, not a refusal.
- template-2021.csv, template-2019.xlsx: the templates exactly as the product offers them for download.
- journey-gbk.csv: GBK; the clerk's journey of the browser test: 单位类型 乡人民政府, no 所属地区 column (the region
  is chosen for the file), and the two errors of two-errors-gbk.csv.
- office-kinds-no-region.xls: the reports of gbk-office-kinds.csv, without 所属地区, as an Excel 97–2003 workbook
  written by xlwt (another program than ours: `pip install --target /tmp/gen xlwt==1.3.0` and run with
  `PYTHONPATH=/tmp/gen`; without xlwt the committed .xls is left as it is).
"""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from disclosure.present import export  # noqa: E402  (the repository root is put on the path first)

try:  # only to write the .xls; without it the committed one stays
    import xlwt
except ImportError:
    xlwt = None

OUT = HERE / "clerk"
REGION = "示例省/示例市/测试县"
ID = ["单位名称", "年度", "单位类型", "所属地区", "表格版本"]
CELLS = ["一 主动公开信息总数", "一 公开渠道 政府网站", "一 公开渠道 微信公众号",
         "三 本年新收 自然人", "三 本年新收 总计", "三 上年结转 自然人", "三 上年结转 总计",
         "三 (七)总计 自然人", "三 (七)总计 总计", "三 结转下年度 自然人", "三 结转下年度 总计"]


def balanced(published: int, website: int, received: int, carried_out: int = 0) -> list[str]:
    """The cells of CELLS for a report whose arithmetic holds (R1 on both columns, C4 on the channels)."""
    handled = received - carried_out
    return [str(v) for v in (published, website, published - website, received, received, 0, 0,
                             handled, handled, carried_out, carried_out)]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # as Excel writes it
    return out.getvalue().encode(encoding)


def files() -> dict[str, bytes]:
    office_kinds = [ID + CELLS,
                    ["示例县教育局", "2021", "县级部门", REGION, "2021", *balanced(120, 80, 6, 1)],
                    ["示例县财政局", "2021", "县直单位", REGION, "2021", *balanced(90, 50, 2)],
                    ["城南街道办事处", "2021", "街道办事处", REGION, "2021", *balanced(60, 30, 0)],
                    ["示例县经济开发区", "2021", "开发区管委会", REGION, "2021", *balanced(40, 40, 1)],
                    ["龙山乡", "2021", "", REGION, "2021", *balanced(35, 20, 0)],
                    ["示例县住房和城乡建设局", "2021", "", REGION, "2021", *balanced(150, 100, 12, 2)]]
    empty_kinds = [ID + CELLS,
                   ["凤凰镇", "2022", "", REGION, "2021", *balanced(70, 40, 1)],
                   ["示例县自然资源局", "2022", "", REGION, "2021", *balanced(200, 120, 30, 3)],
                   ["城北街道", "2022", "", REGION, "2021", *balanced(55, 25, 0)]]
    long_rows = [["单位名称", "年度", "指标", "数值"]]
    for agency, cells in (("白石乡", balanced(30, 10, 2)), ("示例县司法局", balanced(80, 60, 4, 1))):
        long_rows += [[agency, "2021", header, value] for header, value in zip(CELLS, cells)]
    two_errors = [ID + CELLS[3:], ["龙泉乡", "2021", "乡", REGION, "2021", "5件", "5", "0", "0", "5", "4", "0", "0"]]
    government = [ID + CELLS,
                  ["示例县人民政府", "2021", "本级", REGION, "2021", *balanced(900, 600, 40, 4)],
                  ["示例县人民政府办公室", "2021", "", REGION, "2021", *balanced(300, 200, 10)]]
    village = [ID + CELLS, ["青山乡", "2021", "村委会", REGION, "2021", *balanced(20, 10, 0)]]
    no_region = [[[c for n, c in enumerate(row) if n != ID.index("所属地区")] for row in rows]
                 for rows in (two_errors, office_kinds)]
    journey = [no_region[0][0], [*no_region[0][1][:2], "乡人民政府", *no_region[0][1][3:]]]
    made = {"office-kinds-no-region.xls": xls_bytes(no_region[1])} if xlwt else {}
    return made | {
        "gbk-office-kinds.csv": csv_bytes(office_kinds, "gbk"),
        "gbk-empty-kind-column.csv": csv_bytes(empty_kinds, "gbk"),
        "long-no-region.csv": csv_bytes(long_rows, "utf-8-sig"),
        "two-errors-gbk.csv": csv_bytes(two_errors, "gbk"),
        "county-government.csv": csv_bytes(government, "utf-8-sig"),
        "unrecognised-kind-village.csv": csv_bytes(village, "utf-8"),
        "template-2021.csv": export.template_file("2021", "csv"),
        "template-2019.xlsx": export.template_file("2019", "xlsx"),
        "journey-gbk.csv": csv_bytes(journey, "gbk"),
    }


def xls_bytes(rows: list[list[str]]) -> bytes:
    """A BIFF8 workbook as Excel 97–2003 saves it: numbers as numbers, text as text."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, int(value) if value.isdigit() else value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, data in files().items():
        (OUT / name).write_bytes(data)
        print(f"{OUT.relative_to(HERE.parent.parent) / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
