"""The table and report readers, run for a user's file in a child process with bounded memory and time.

The readers check a file's declared sizes before reading it (zip_limits, read_table, report_source); this is the
backstop for a file they misjudge: the child runs out of memory or time and fails alone, the app says so in Chinese
and goes on serving. .xls/.et/.ods and PDF readers already run in children of their own (old_sheets, read_pdf), so
their files are handed to those directly. The answer comes back as JSON, never pickle: the child has read a
hostile file, so what it says is data, not code."""
from __future__ import annotations

import json
import sys

from disclosure import config
from disclosure.issues import ERROR, Issue
from disclosure.read import child_process, old_sheets, read_table, report_source
from disclosure.read.read_table import Row, Table

_OWN_CHILD = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF")  # .xls/.et and PDF: read in children of their own


def _failed(file: str, e: child_process.Failed) -> str:
    if e.timed_out:
        return (f"文件 {file} 读取超时（超过 {config.reader_seconds()} 秒），未读取，没有写入任何数据；"
                "请检查文件是否完整，或在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后再上传")
    return (f"文件 {file} 读取时超出内存上限（{config.megabytes(config.reader_memory())}）或读取程序出错，未读取，没有写入任何数据；"
            "文件可能已损坏或构造异常，请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV 再上传")


def read_table_file(file: str, data: bytes, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """read_table.read_table, in a child: the same Table, or one refusal naming the file and the limit."""
    if data.startswith(_OWN_CHILD) or old_sheets.is_ods(data):
        return read_table.read_table(file, data, encoding=encoding, sheet=sheet)
    try:
        answer = child_process.run("disclosure.read.isolated", ["table", _hex(file), encoding or "", _hex(sheet or "")],
                                   data, memory=config.reader_memory(), seconds=config.reader_seconds())
        table = _table_from(json.loads(answer))
    except child_process.Failed as e:
        kind = "xlsx" if data.startswith(b"PK") else "csv"
        table = Table(file, kind, None, None, issues=[Issue(code="reader-limit", severity=ERROR, file=file,
                                                            message=_failed(file, e))])
    table.data = data
    return table


def load_report(file: str, data: bytes) -> report_source.Source:
    """report_source.load, in a child: the same Source, or one whose error names the file and the limit."""
    if isinstance(data, str) or data.startswith(_OWN_CHILD):
        return report_source.load(file, data)
    try:
        answer = child_process.run("disclosure.read.isolated", ["report", _hex(file), "", ""], data,
                                   memory=config.reader_memory(), seconds=config.reader_seconds())
        return report_source.Source(**json.loads(answer))
    except child_process.Failed as e:
        return report_source.Source(kind=report_source.kind_from_name(file), text="", notices=[],
                                    error=_failed(file, e))


def _hex(text: str) -> str:  # a name from a file may hold what argv cannot
    return text.encode("utf-8", "surrogatepass").hex()


def _unhex(text: str) -> str:
    return bytes.fromhex(text).decode("utf-8", "surrogatepass")


def _table_from(d: dict) -> Table:
    rows = [Row(r["line"], r["cells"], {int(k): v for k, v in r["origins"].items()}) for r in d.pop("rows")]
    issues = [Issue(**i) for i in d.pop("issues")]
    return Table(**{k: v for k, v in d.items() if k != "data"}, rows=rows, issues=issues)


def _child_main(what: str, file: str, encoding: str, sheet: str) -> dict:
    data = sys.stdin.buffer.read()
    if what == "table":
        table = read_table.read_table(file, data, encoding=encoding or None, sheet=sheet or None)
        table.data = b""
        return {"file": table.file, "kind": table.kind, "encoding": table.encoding, "sheet": table.sheet,
                "header": table.header, "rows": [{"line": r.line, "cells": r.cells, "origins": r.origins}
                                                 for r in table.rows],
                "issues": [i.to_dict() for i in table.issues]}
    source = report_source.load(file, data)
    return {"kind": source.kind, "text": source.text, "notices": source.notices, "error": source.error,
            "line_pages": source.line_pages}


if __name__ == "__main__":
    child_process.limit_self(int(sys.argv[1]), int(sys.argv[2]))
    out = _child_main(sys.argv[3], _unhex(sys.argv[4]), sys.argv[5], _unhex(sys.argv[6]))
    sys.stdout.write(json.dumps(out))  # ASCII: lone surrogates from a damaged file survive the trip
