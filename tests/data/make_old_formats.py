"""Regenerate tests/data/old_formats/ (run once; the output is committed):

    pip install --target /tmp/gen xlwt==1.3.0 odfpy==1.4.1
    PYTHONPATH=/tmp/gen:. .venv/bin/python tests/data/make_old_formats.py

xlwt and odfpy write the workbooks here so that the reader is tested on files some other program wrote (neither is
a dependency of the app). The 2023 reports of the demo county go in three forms holding the same cells: a CSV, an
.xls (BIFF8, xlwt) and an .ods (odfpy). Beside them: a hand-made BIFF5 (Excel 95) workbook whose text is GBK,
which is how Chinese Excel 95 stored it; the same with a password record; a password-protected .xlsx's envelope; a
truncated .xls; and an .ods whose content.xml is a zip bomb. The files copied rather than made (xlrd's samples,
olefile's Word document) are listed in old_formats/README.md."""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import struct
import zipfile
from pathlib import Path

from disclosure.contract import catalog
from disclosure.demo.demo_data import demo_frame
from disclosure.present import export

try:  # only to regenerate; the tests import the constants below without them
    import odf.opendocument
    import odf.table
    import odf.text
    import xlwt
except ImportError:
    pass

OUT = Path(__file__).resolve().parent / "old_formats"
YEAR = 2023
# One of each kind of cell, a blank row and a merged range (H2:I2); the tests expect what the .xlsx reader gives.
CELLS = [["名称", "整数", "小数", "日期", "日期时间", "布尔", "空", "合并", "合并旁"],
         ["甲", 12, 12.5, dt.date(2023, 1, 5), dt.datetime(2023, 1, 5, 8, 30), True, None, "合并单元格", None],
         [None] * 9,
         ["  乙  ", 12.0, 0.1, dt.date(2020, 2, 29), dt.datetime(2020, 2, 29, 23, 59, 59), False, None, None, "x"]]
MERGED = (1, 7, 8)  # row, first column, last column (from 0)
GBK_ROWS = [["单位名称", "年度", "三 本年新收 自然人"], ["青山乡人民政府", 2023, 5], ["示例县教育局", 2022, 26]]


def form() -> list[list]:
    """The template's header (Chinese names) and the demo county's reports of one year: numbers, text, blanks (None)."""
    frame, _ = demo_frame()
    frame = frame[frame["year"] == YEAR]
    codes = list(catalog.codes("2021"))
    header = [export.ID_HEADERS[c] for c in export.ID_COLUMNS] + [catalog.by_code()[c].header for c in codes]
    rows = []
    for record in frame[export.ID_COLUMNS + codes].itertuples(index=False):
        agency, year, kind, parent, version, *values = record
        cells = [agency, int(year), kind, parent, int(version)]  # the year and version typed as numbers
        cells += [None if math.isnan(v) else int(v) if float(v).is_integer() else float(v) for v in values]
        rows.append(cells)
    return [header, *rows]


def to_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [["" if v is None else v if isinstance(v, str) else str(v) for v in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def to_xls(rows: list[list]) -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    for name, sheet_rows in (("年报", rows), ("填写说明", [["说明"], ["每行一个单位一个年度"]])):
        ws = wb.add_sheet(name)
        for r, row in enumerate(sheet_rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells_xls() -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("单元格")
    styles = {dt.datetime: xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM:SS"),
              dt.date: xlwt.easyxf(num_format_str="YYYY-MM-DD")}
    row, first, last = MERGED
    for r, values in enumerate(CELLS):
        for c, value in enumerate(values):
            if (r, c) == (row, first):
                ws.write_merge(row, row, first, last, value)
            elif value is not None and not (r == row and first < c <= last):
                ws.write(r, c, value, styles.get(type(value), xlwt.Style.default_style))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells_ods() -> bytes:
    doc = odf.opendocument.OpenDocumentSpreadsheet()
    table = odf.table.Table(name="单元格")
    row_, first, last = MERGED
    for r, values in enumerate(CELLS):
        tr = odf.table.TableRow()
        for c, value in enumerate(values):
            covered = r == row_ and first < c <= last
            if covered:
                cell = odf.table.CoveredTableCell()
            elif value is None:
                cell = odf.table.TableCell()
            elif isinstance(value, bool):
                cell = odf.table.TableCell(valuetype="boolean", booleanvalue=str(value).lower())
            elif isinstance(value, dt.date):
                cell = odf.table.TableCell(valuetype="date", datevalue=value.isoformat())
            elif isinstance(value, str):
                cell = odf.table.TableCell(valuetype="string")
            else:
                cell = odf.table.TableCell(valuetype="float", value=value)
            if (r, c) == (row_, first):
                cell.setAttribute("numbercolumnsspanned", last - first + 1)
            if value is not None and not covered:
                cell.addElement(odf.text.P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def to_ods(rows: list[list]) -> bytes:
    doc = odf.opendocument.OpenDocumentSpreadsheet()
    for name, sheet_rows in (("年报", rows), ("填写说明", [["说明"], ["每行一个单位一个年度"]])):
        table = odf.table.Table(name=name)
        for row in sheet_rows:
            tr = odf.table.TableRow()
            for value in row:
                if value is None:
                    cell = odf.table.TableCell()
                elif isinstance(value, str):
                    cell = odf.table.TableCell(valuetype="string")
                    cell.addElement(odf.text.P(text=value))
                else:
                    cell = odf.table.TableCell(valuetype="float", value=value)
                    cell.addElement(odf.text.P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


# ---------------------------------------------------------------- by hand: BIFF5 in a compound file


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff5(rows: list[list], codepage: int = 936, password: bool = False) -> bytes:
    """An Excel 95 workbook stream: strings in the code page (936 = GBK), numbers as NUMBER records."""
    encoding = {936: "gbk"}[codepage]
    name, font = "年报".encode(encoding), "宋体".encode(encoding)
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                text = value.encode(encoding)
                cells += _record(0x0204, struct.pack("<HHHH", r, c, 15, len(text)) + text)
            else:
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    sheet = (_record(0x0809, struct.pack("<HHHH", 0x0500, 0x0010, 0x0DBB, 0x07CC))
             + _record(0x0200, struct.pack("<HHHHH", 0, len(rows), 0, max(map(len, rows)), 0))
             + cells + _record(0x000A, b""))

    def workbook_globals(offset: int) -> bytes:
        return (_record(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0x0DBB, 0x07CC))
                + (_record(0x002F, struct.pack("<HH", 0x1234, 0x5678)) if password else b"")
                + _record(0x0042, struct.pack("<H", codepage))
                + _record(0x0031, struct.pack("<HHHHHBBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 134, 0, len(font)) + font)
                + b"".join(_record(0x00E0, struct.pack("<HHH", 0, 0, 0xFFF5 if i < 15 else 0x0001) + bytes(10))
                           for i in range(16))  # 15 style XFs and the cell XF the cells use
                + _record(0x0085, struct.pack("<IHB", offset, 0, len(name)) + name)
                + _record(0x000A, b""))

    head = workbook_globals(0)
    return workbook_globals(len(head)) + sheet


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file (512-byte sectors) holding each stream in regular sectors (each padded to 4 KB,
    so no mini stream is needed)."""
    FREE, END, FAT, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    streams = {k: v + bytes(max(0, 4096 - len(v))) for k, v in streams.items()}
    fat, data, starts = [FAT, END], b"", []
    for body in streams.values():
        body += bytes(-len(body) % 512)
        n = len(body) // 512
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(n - 1)] + [END]
        data += body
    assert len(fat) <= 128, "one FAT sector is enough for these samples"
    fat += [FREE] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
                + struct.pack("<III", NONE, right, child) + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    entries = entry("Root Entry", 5, 1, NONE, END, 0)
    for i, (name, start) in enumerate(zip(streams, starts), start=1):
        entries += entry(name, 2, NONE, i + 1 if i < len(streams) else NONE, start, len(streams[name]))
    entries = entries.ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6x9I", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *[FREE] * 108))
    return header + struct.pack("<128I", *fat) + entries + data


def zip_bomb_ods() -> bytes:
    """An ODS whose 20 MB content.xml (almost all one comment) compresses about 1000:1."""
    content = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><!--' + b" " * (20 << 20)
               + b"--></office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def samples() -> dict[str, bytes]:
    rows = form()
    xls = to_xls(rows)
    return {
        "form-2021.csv": to_csv(rows),
        "form-2021.xls": xls,
        "form-2021.ods": to_ods(rows),
        "cells.xls": cells_xls(),
        "cells.ods": cells_ods(),
        "gbk-excel95.xls": compound_file({"Book": biff5(GBK_ROWS)}),
        "password-excel95.xls": compound_file({"Book": biff5(GBK_ROWS, password=True)}),
        "password.xlsx": compound_file({"EncryptionInfo": bytes(200), "EncryptedPackage": bytes(5000)}),
        "truncated.xls": xls[: len(xls) // 2],
        "zip-bomb.ods": zip_bomb_ods(),
    }


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for file_name, content in samples().items():
        (OUT / file_name).write_bytes(content)
        print(file_name, len(content))
