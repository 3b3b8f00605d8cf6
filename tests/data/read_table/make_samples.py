"""Regenerate the sample files of this folder: python tests/data/read_table/make_samples.py."""
# Names are `<expected issue code>--<what>.<ext>`; the `ok--*` files all hold the same table (OK_HEADER, OK_ROWS).
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
OK_HEADER = ["单位名称", "年度", "三 本年新收 自然人"]
OK_ROWS = [["北京市教育委员会", "2023", "5"], ["上海市浦东新区人民政府", "2022", "26"]]


def csv_text(sep: str = ",", newline: str = "\n") -> str:
    return newline.join(sep.join(r) for r in [OK_HEADER, *OK_ROWS]) + newline


def xlsx(rows, *, merge: str | None = None) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    if merge:
        wb.active.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def patch_sheet(data: bytes, old: str, new: str) -> bytes:
    """Edit the first sheet's XML, e.g. to give a formula the cached value openpyxl never writes."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes an empty cached value as <v /> or <v></v>, depending on whether lxml is installed
                body = body.replace(b"<v></v>", b"<v />")
                assert old.encode() in body, old
                body = body.replace(old.encode(), new.encode())
            dst.writestr(item, body)
    return out.getvalue()


def samples() -> dict[str, bytes]:
    ok_xlsx = xlsx([OK_HEADER, *[[a, int(y), int(n)] for a, y, n in OK_ROWS]])
    formula = xlsx([OK_HEADER, ["北京市教育委员会", 2023, "=2+3"], ["上海市浦东新区人民政府", 2022, 26]])
    return {
        "ok--utf8.csv": csv_text().encode("utf-8"),
        "ok--utf8-bom-crlf.csv": csv_text(newline="\r\n").encode("utf-8-sig"),
        "ok--gbk.csv": csv_text().encode("gbk"),
        "ok--utf16-excel-unicode-text.txt": csv_text("\t", "\r\n").encode("utf-16"),
        "ok--plain.xlsx": ok_xlsx,
        "ok--cached-formula.xlsx": patch_sheet(formula, "<f>2+3</f><v />", "<f>2+3</f><v>5</v>"),
        "bad-encoding--mixed.csv": csv_text().encode("utf-8")
        + "广州市人民政府,2021,7\n".encode("gbk"),
        "bad-encoding--undecodable.csv": csv_text().encode("gbk") + b"\xff\xfe\xfd,2021,7\n",
        "empty-file--bom-only.csv": b"\xef\xbb\xbf",
        "merged-cells--title.xlsx": xlsx([["2023年报表"], OK_HEADER, *OK_ROWS], merge="A1:C1"),
        "formula-without-value--openpyxl.xlsx": formula,
        "not-a-table--old-binary.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "not-a-table--truncated.xlsx": ok_xlsx[: len(ok_xlsx) // 2],
    }


if __name__ == "__main__":
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
