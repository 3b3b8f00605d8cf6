"""Turn the bytes of an uploaded CSV or spreadsheet (.xlsx, .xls, .et, .ods) into rows of strings, reporting problems
as issues."""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from disclosure.issues import ERROR, Issue
from disclosure.read import old_sheets, zip_limits

ENCODINGS: dict[str, str] = {
    "UTF-8": "utf-8",
    "GB18030 / GBK": "gb18030",
    "Big5（繁体）": "big5",
    "UTF-16": "utf-16",
}
_ALIASES = {
    "utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8", "utf8-sig": "utf-8",
    "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030",
    "big5": "big5", "cp950": "big5", "big5hkscs": "big5",
    "utf-16": "utf-16", "utf16": "utf-16", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be",
}
_LABELS = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030", "big5": "Big5", "utf-16": "UTF-16",
           "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".et", ".ods")
_WORD_EXTENSIONS = (".doc", ".wps")  # Word 97–2003 and WPS 文字: reports, not tables
_RAW_BIFF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # Excel 2–4 wrote a bare BOF record, no compound file
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
# Chinese text proves a line is real UTF-8: short GBK runs can be valid UTF-8 by accident (「模」 = C4 A3 = 「ģ」).
_CJK = re.compile("[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_MAX_CELL_ISSUES = 20


@dataclass
class Row:
    line: int  # line in the file where the record starts, header = 1 (for xlsx: the sheet row number)
    cells: list[str]  # stripped of surrounding whitespace; padded with "" to len(header)
    origins: dict[int, str] = field(default_factory=dict)  # column index -> "corrected"/"suggested" (page edits)


@dataclass
class Table:
    file: str
    kind: str  # "csv", "xlsx", "xls" (also WPS .et) or "ods"
    encoding: str | None  # csv: "utf-8", "utf-8-sig", "gb18030", "utf-16", "big5"; workbooks: None
    sheet: str | None  # workbooks: the sheet read
    header: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # fully blank rows are skipped
    issues: list[Issue] = field(default_factory=list)  # when any is an error, header/rows may be empty
    data: bytes = field(default=b"", repr=False)  # the file as received, kept with the reports it yields


def read_table(file: str, data: bytes, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    table = _read(file, data, encoding, sheet)
    table.data = data
    return table


def _read(file: str, data: bytes, encoding: str | None, sheet: str | None) -> Table:
    excel_name = file.lower().endswith(_EXCEL_EXTENSIONS)
    if not data or data.isspace():  # data.strip() would copy the whole file
        return Table(file, "xlsx" if excel_name else "csv", None, None,
                     issues=[_issue("empty-file", f"文件 {file} 是空的，没有任何内容", file)])
    if file.lower().endswith(_WORD_EXTENSIONS):
        return _old_word(file)
    if data.startswith(b"PK\x03\x04"):
        if old_sheets.is_ods(data):
            return _read_old(file, data, sheet, "ods")
        return _read_xlsx(file, data, sheet)
    if data.startswith(_OLE):
        return _read_ole(file, data, sheet)
    if excel_name and data[:2] in _RAW_BIFF:
        return _not_a_table(file, f"文件 {file} 是 Excel 4.0 或更早版本的工作簿，无法读取；"
                                  "请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV 再上传")
    if excel_name:
        return _not_a_table(file, f"文件 {file} 的扩展名是 Excel，但内容不是 Excel、WPS 或 ODS 工作簿；"
                                  "请在 Excel 中打开后另存为 .xlsx 或 CSV 再上传")
    return _read_csv(file, data, encoding)


def sheet_names(data: bytes) -> list[str]:
    if data.startswith(_OLE) and old_sheets.ole_kind(data) == "xls":
        return old_sheets.sheet_names(data, "xls")
    if not data.startswith(b"PK\x03\x04"):
        return []
    if old_sheets.is_ods(data):
        return old_sheets.sheet_names(data, "ods")
    try:
        _checked_zip("", data).close()  # openpyxl reads the shared strings and styles whole when it opens a workbook
        wb = _open_workbook(data)
    except MemoryError:  # out of memory is no damaged file: isolated.py names the limit (so below)
        raise
    except Exception:  # openpyxl raises many exception types on damaged files; zip_limits.Refused on a bomb
        return []
    try:
        return [ws.title for ws in wb.worksheets]
    finally:
        wb.close()


# ---------------------------------------------------------------- shared


def _issue(code: str, message: str, file: str, row: int | None = None, column: str = "", value: str = "") -> Issue:
    return Issue(code=code, severity=ERROR, message=message, file=file, row=row, column=column, value=value)


def _not_a_table(file: str, message: str) -> Table:
    return Table(file, "xlsx", None, None, issues=[_issue("not-a-table", message, file)])


def _shape(file: str, records: list[tuple[int, list[str]]], where: str = "") -> tuple[list[str], list[Row]]:
    """First non-blank record is the header; blank records go; widths are evened out, in place. _TooLarge when the
    evened-out table would pass MAX_CELLS."""
    records = [(line, cells) for line, cells in records if any(cells)]
    if not records:
        return [], []
    # Excel's trailing commas give blank columns; one with a blank header but data must stay visible.
    width = max(_used(cells) for _, cells in records)
    if len(records) * width > MAX_CELLS:
        raise _too_many_cells(file, len(records), width, where)
    for _, cells in records:
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        else:
            del cells[width:]
    (_, header), body = records[0], records[1:]
    return header, [Row(line, cells) for line, cells in body]


def _used(cells: list[str]) -> int:
    """The width up to the last non-empty cell."""
    n = len(cells)
    while n and not cells[n - 1]:
        n -= 1
    return n


# ---------------------------------------------------------------- limits

# What one table may hold, whatever its format (old_sheets has calamine's own, smaller cell bound). Beyond these a
# file is refused with a message, never read part way.
MAX_COLUMNS = old_sheets.MAX_COLUMNS
MAX_CELLS = 25_000_000  # rows × columns of the table as shaped; a cell costs at least a pointer (8 bytes)
MAX_CELL_CHARS = 32_767  # what an Excel cell holds
MAX_LINE_CHARS = 1_000_000  # one physical line of a CSV file
MAX_SHEET_XML = 256 * 1024 * 1024  # one worksheet part of an .xlsx, uncompressed
MAX_XLSX_MEDIA = 64 * 1024 * 1024  # a picture in an .xlsx (openpyxl reads those of chart sheets)
MAX_ROW_ELEMENTS = 16_384  # cells one row of a worksheet part may list: Excel's widest sheet
_POOL = 1 << 17  # distinct cell texts shared between rows: the same "0" is stored once
_CHUNK = 1 << 20


class _TooLarge(Exception):
    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue


def _too_large(file: str, message: str, row: int | None = None, column: str = "") -> _TooLarge:
    return _TooLarge(_issue("too-large", message, file, row, column))


def _too_many_cells(file: str, rows: int, width: int, where: str = "") -> _TooLarge:
    return _too_large(file, f"文件 {file} {where}有 {rows} 行、{width} 列（共 {rows * width} 个单元格），超过上限 "
                            f"{MAX_CELLS} 个单元格，未读取；请拆分成几个文件后再上传")


def _too_many_columns(file: str, row: int, columns: int, where: str = "") -> _TooLarge:
    return _too_large(file, f"文件 {file} {where}第{row}行有 {columns} 列，超过上限 {MAX_COLUMNS} 列，未读取；"
                            "请删去多余的列或拆分成几个文件后再上传", row)


def _pooled(cells: list[str], pool: dict[str, str]) -> list[str]:
    """The cells with repeated texts shared: a table of small numbers then costs a pointer a cell."""
    if len(pool) < _POOL:
        return [pool.setdefault(c, c) for c in cells]
    return [pool.get(c, c) for c in cells]


# ---------------------------------------------------------------- csv


class _BadBytes(Exception):
    def __init__(self, start: int, end: int):
        super().__init__(start, end)
        self.start, self.end = start, end


class _LineTooLong(Exception):
    def __init__(self, line: int, head: str):
        super().__init__(line)
        self.line, self.head = line, head


def _texts(data: bytes, codec: str, start: int = 0, errors: str = "strict"):
    """data[start:] decoded a chunk at a time; _BadBytes gives the absolute position of undecodable bytes."""
    if codec == "utf-16" and not data.startswith(_UTF16_BOMS, start):
        codec = "utf-16-le"  # what bytes.decode("utf-16") assumes; the incremental decoder would insist on a BOM
    decoder = codecs.getincrementaldecoder(codec)(errors)
    at = start
    while True:
        last = at + _CHUNK >= len(data)
        pending = len(decoder.getstate()[0])  # bytes of a character cut by the previous chunk
        try:
            text = decoder.decode(data[at:at + _CHUNK], final=last)
        except UnicodeDecodeError as e:
            raise _BadBytes(at - pending + e.start, at - pending + e.end) from None
        if text:
            yield text
        if last:
            return
        at += _CHUNK


def _valid(data: bytes, codec: str, start: int = 0) -> bool:
    try:
        for _ in _texts(data, codec, start):
            pass
        return True
    except _BadBytes:
        return False


def _utf8_profile(data: bytes, start: int) -> tuple[bool, bool] | None:
    """(any non-ASCII, any Chinese) of valid UTF-8; None when it is not UTF-8."""
    non_ascii = chinese = False
    try:
        for text in _texts(data, "utf-8", start):
            non_ascii = non_ascii or not text.isascii()
            chinese = chinese or bool(_CJK.search(text))
    except _BadBytes:
        return None
    return non_ascii, chinese


def _raw_lines(data: bytes, start: int):
    """data[start:] split at line breaks, as _LINE_BREAK.split would, a line at a time."""
    at = start
    for m in _LINE_BREAK.finditer(data, start):
        yield data[at:m.start()]
        at = m.end()
    yield data[at:]


def _text_lines(data: bytes, codec: str, start: int):
    """Physical lines of the text, every line break made "\\n", leading BOMs dropped; _LineTooLong past the limit."""
    pieces: list[str] = []
    size, number, opening, cr = 0, 1, True, False
    for text in _texts(data, codec, start):
        if opening:
            text = text.lstrip("\ufeff")
            opening = not text
        if cr:
            text = "\r" + text
        cr = text.endswith("\r")  # perhaps the first half of "\r\n"
        if cr:
            text = text[:-1]
        parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for n, part in enumerate(parts):
            pieces.append(part)
            size += len(part)
            if size > MAX_LINE_CHARS:
                raise _LineTooLong(number, "".join(pieces)[:MAX_LINE_CHARS])
            if n < len(parts) - 1:
                yield "".join(pieces) + "\n"
                pieces, size, number = [], 0, number + 1
    if cr:
        yield "".join(pieces) + "\n"
    elif any(pieces):
        yield "".join(pieces)


def _read_csv(file: str, data: bytes, override: str | None) -> Table:
    codec, start, encoding, problem = _detect_override(file, data, override) if override else _detect(file, data)
    if problem:
        return Table(file, "csv", encoding, None, issues=[problem])
    try:
        return _parse_csv(file, data, codec, start, encoding)
    except _TooLarge as e:
        return Table(file, "csv", encoding, None, issues=[e.issue])


def _parse_csv(file: str, data: bytes, codec: str, start: int, encoding: str) -> Table:
    lines = _text_lines(data, codec, start)
    head: list[str] = []
    records: list[tuple[int, list[str]]] = []
    delimiter = ","
    try:
        for line in lines:
            head.append(line)
            if line.strip():
                break
        if not head or not head[-1].strip():
            return Table(file, "csv", encoding, None,
                         issues=[_issue("empty-file", f"文件 {file} 是空的，没有任何内容", file)])
        first = head[-1]
        delimiter = next((d for d in "\t;" if d in first and "," not in first), ",")
        reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
        pool, line, last, width = {}, 1, 1, 0
        try:
            for cells in reader:
                row = [c.strip() for c in cells]
                while row and not row[-1]:
                    row.pop()  # Excel's trailing commas; the table's width is settled by _shape
                last = line
                if row:
                    if len(row) > MAX_COLUMNS:
                        raise _too_many_columns(file, line, len(row))
                    if any(len(cell) > MAX_CELL_CHARS for cell in row):
                        multiline = any("\n" in cell for cell in row if len(cell) > MAX_CELL_CHARS)
                        raise _huge_cell(file, line, "" if multiline else _head_line(data, codec, start, line),
                                         delimiter, records[0][1] if records else [])
                    width = max(width, len(row))
                    if (len(records) + 1) * width > MAX_CELLS:
                        raise _too_many_cells(file, len(records) + 1, width)
                    records.append((line, _pooled(row, pool)))
                line = reader.line_num + 1
        except csv.Error:  # a field beyond csv.field_size_limit(): an unclosed quote, or one huge cell on its line
            text = _head_line(data, codec, start, line) if reader.line_num == line else ""
            raise _huge_cell(file, line, text, delimiter, records[0][1] if records else []) from None
    except _LineTooLong as e:
        raise _huge_cell(file, e.line, e.head, delimiter, records[0][1] if records else [], cut=True) from None
    # The lenient reader lets an unclosed quote swallow the rest of the file into one cell; strict mode notices.
    if line - 1 > last and not _strict_ok(data, codec, start, last, delimiter):
        return Table(file, "csv", encoding, None, issues=[_unclosed_quote(file, last)])
    header, rows = _shape(file, records)
    issues = [] if header else [_issue("empty-file", f"文件 {file} 中只有空白单元格，没有任何内容", file)]
    return Table(file, "csv", encoding, None, header, rows, issues)


def _huge_cell(file: str, line: int, text: str, delimiter: str, header: list[str], cut: bool = False) -> _TooLarge:
    """A record holding a cell longer than a cell may be. `text` is its physical line (its start when `cut`), "" when
    the record runs over several lines: then a quote left open has swallowed the lines after it."""
    if not text:
        return _TooLarge(_unclosed_quote(file, line))
    for column, part in enumerate(text.split(delimiter), 1):  # a hint: quotes inside cells are not followed
        part = part.strip()
        if len(part) > MAX_CELL_CHARS:
            if part.startswith('"') and not cut and not part.endswith('"'):
                return _TooLarge(_unclosed_quote(file, line))
            name = header[column - 1] if column <= len(header) else ""
            where = f"第{column}列" + (f"（「{name}」）" if name else "")
            return _too_large(file, f"文件 {file} 第{line}行{where}的单元格超过 {MAX_CELL_CHARS} 个字符的上限，未读取；"
                                    "表格的单元格应是数值或简短的文字，请检查该单元格后再上传", line, name)
    if cut:
        return _too_large(file, f"文件 {file} 第{line}行超过 {MAX_LINE_CHARS} 个字符的上限（每行最多 {MAX_COLUMNS} 列、"
                                f"每个单元格最多 {MAX_CELL_CHARS} 个字符），未读取；请检查该行后再上传", line)
    return _too_large(file, f"文件 {file} 第{line}行有单元格超过 {MAX_CELL_CHARS} 个字符的上限，未读取；"
                            "请检查该行后再上传", line)


def _head_line(data: bytes, codec: str, start: int, number: int) -> str:
    """The first MAX_LINE_CHARS characters of one physical line, read again for a message."""
    try:
        return next(itertools.islice(_text_lines(data, codec, start), number - 1, None), "")
    except _LineTooLong as e:
        return e.head


def _strict_ok(data: bytes, codec: str, start: int, line: int, delimiter: str) -> bool:
    tail = itertools.islice(_text_lines(data, codec, start), line - 1, None)
    try:
        for _ in csv.reader(tail, delimiter=delimiter, strict=True):
            pass
        return True
    except (csv.Error, _LineTooLong):
        return False


def _unclosed_quote(file: str, line: int) -> Issue:
    return _issue("not-a-table", f"文件 {file} 第{line}行有未闭合的引号（\"），其后的内容无法按 CSV 读取；"
                  "请检查该行的引号后再上传", file, line)


def _detect(file: str, data: bytes) -> tuple[str, int, str | None, Issue | None]:
    """(codec, where the text starts, encoding as reported, problem), every check a pass over the bytes that keeps
    no decoded text."""
    if data.startswith(_UTF16_BOMS):
        try:
            for _ in _texts(data, "utf-16"):
                pass
        except _BadBytes as e:
            return "", 0, None, _undecodable(file, data, e, "utf-16")
        return "utf-16", 0, "utf-16", None
    bom = data.startswith(_UTF8_BOM)
    start = len(_UTF8_BOM) if bom else 0
    nul = data.find(b"\x00", start)
    if nul >= 0:
        line = sum(1 for _ in _LINE_BREAK.finditer(data, start, nul)) + 1
        return "", 0, None, _issue("bad-encoding", f"文件 {file} 第{line}行含有空字节（\\x00），可能是不带 BOM 的 UTF-16 "
                                   "或不是文本文件；请另存为 UTF-8 的 CSV 后再上传", file, line, value=repr(b"\x00"))
    profile = _utf8_profile(data, start)
    if profile is not None:
        non_ascii, chinese = profile
        # Non-ASCII without a single Chinese character is more likely a short GBK text that happens to be valid UTF-8.
        if not bom and non_ascii and not chinese and any(_CJK.search(t) for t in _texts(data, "gb18030", 0, "replace")):
            return "", 0, None, _issue("bad-encoding", f"无法确定文件 {file} 的编码（按 UTF-8 读取没有中文，按 GBK 读取有中文），"
                                       "请手动选择编码后再上传", file)
        return "utf-8", start, "utf-8-sig" if bom else "utf-8", None
    utf8, other, bad = [], [], b""  # the first few line numbers of each kind: a message names three
    for n, raw in enumerate(_raw_lines(data, start), 1):
        if len(utf8) < 4 and _chinese_utf8(raw):
            utf8.append(n)
        elif len(other) < 4 and not _decodes(raw, "utf-8"):
            other.append(n)
            bad = bad or raw
        if len(utf8) >= 4 and len(other) >= 4:
            break
    if utf8 or bom:
        kind = " GBK/GB18030" if _decodes(bad, "gb18030") else "无法识别的编码"
        said_utf8 = f"第{_some(utf8)}行是 UTF-8" if utf8 else "文件开头有 UTF-8 标记（BOM）"
        return "", 0, None, _issue(
            "bad-encoding", f"文件 {file} 编码混杂：{said_utf8}，第{_some(other)}行是{kind}，"
            "请统一另存为 UTF-8 或 GBK 后再上传", file, other[0], value=_bad_bytes(bad, "utf-8"))
    try:
        for _ in _texts(data, "gb18030"):
            pass
    except _BadBytes as e:
        return "", 0, None, _undecodable(file, data, e, None)
    return "gb18030", 0, "gb18030", None


def _detect_override(file: str, data: bytes, override: str) -> tuple[str, int, str | None, Issue | None]:
    codec = _ALIASES.get(override.strip().lower().replace("_", "-"))
    if codec is None:
        return "", 0, None, _issue("bad-encoding", f"不支持编码「{override}」，可选：{'、'.join(ENCODINGS)}", file,
                                   value=override)
    if codec in ("gb18030", "big5") and (data.startswith(_UTF8_BOM) or (_utf8_profile(data, 0) or (0, 0))[1]):
        return "", 0, None, _issue("bad-encoding", f"文件 {file} 看起来是 UTF-8 编码，按 {_LABELS[codec]} 读取会产生乱码；"
                                   "请改选 UTF-8", file)
    if codec.startswith("utf-16") and not data.startswith(_UTF16_BOMS) and b"\x00" not in data:
        return "", 0, None, _issue("bad-encoding", f"文件 {file} 看起来不是 UTF-16 编码，按 UTF-16 读取会产生乱码；"
                                   "请改选 UTF-8 或 GBK", file)
    start = len(_UTF8_BOM) if codec == "utf-8" and data.startswith(_UTF8_BOM) else 0
    try:
        for _ in _texts(data, codec, start):
            pass
    except _BadBytes as e:
        return "", 0, None, _undecodable(file, data, e, codec)
    encoding = "utf-8-sig" if start else codec.replace("-le", "").replace("-be", "")
    return codec, start, encoding, None


def _undecodable(file: str, data: bytes, e: _BadBytes, codec: str | None) -> Issue:
    if codec and codec.startswith("utf-16"):
        before = data[:e.start].decode(codec, "replace")
        line = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    else:  # the codecs here never use a line-break byte inside a character: count them in the bytes
        line = sum(1 for _ in _LINE_BREAK.finditer(data, 0, e.start)) + 1
    value = repr(data[e.start:max(e.end, e.start + 2)])
    if codec is None:
        said = "该文件不是 UTF-8、GBK/GB18030 或 UTF-16 编码，请另存为 UTF-8 后再上传"
    elif codec.startswith("utf-8") and _valid(data, "gb18030"):
        said = "按 UTF-8 无法读取，文件可能是 GBK 编码，请改选 GBK"
    else:
        said = f"按 {_LABELS[codec]} 无法读取，请改选其他编码或另存为 UTF-8 后再上传"
    return _issue("bad-encoding", f"文件 {file} 第{line}行含有无法识别的字节 {value}，{said}", file, line, value=value)


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
        return True
    except UnicodeDecodeError:
        return False


def _chinese_utf8(raw: bytes) -> bool:
    return _decodes(raw, "utf-8") and bool(_CJK.search(raw.decode("utf-8")))


def _bad_bytes(raw: bytes, codec: str) -> str:
    try:
        raw.decode(codec)
        return ""
    except UnicodeDecodeError as e:
        return repr(raw[e.start:max(e.end, e.start + 2)])


def _some(lines: list[int]) -> str:
    return "、".join(map(str, lines[:3])) + ("等" if len(lines) > 3 else "")


# ---------------------------------------------------------------- xlsx


def _xlsx_part_cap(name: str) -> int:
    """How far a part of an .xlsx may inflate: worksheets are streamed, the rest is read whole into a tree."""
    if name.startswith("xl/worksheets/") and "/_rels/" not in name:
        return MAX_SHEET_XML
    if name.startswith(("xl/media/", "xl/embeddings/")):
        return MAX_XLSX_MEDIA
    if name.startswith("xl/sharedStrings"):
        return 2 * zip_limits.MAX_PART
    return zip_limits.MAX_PART


def _checked_zip(file: str, data: bytes):
    return zip_limits.open_checked(file, data, "Excel 工作簿", _xlsx_part_cap)


def _open_workbook(data: bytes):
    import openpyxl  # heavy; only needed for Excel files

    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _read_xlsx(file: str, data: bytes, sheet: str | None) -> Table:
    try:
        zf = _checked_zip(file, data)
    except zip_limits.Refused as e:
        return _not_a_table(file, str(e))
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 — not a zip at all
        zf = None
    with zf or contextlib.nullcontext():
        return _read_checked_xlsx(file, data, zf, sheet)


def _read_checked_xlsx(file: str, data: bytes, zf, sheet: str | None) -> Table:
    try:
        if zf is None:
            raise zipfile.BadZipFile
        wb = _open_workbook(data)
    except MemoryError:
        raise
    except Exception:  # openpyxl raises many exception types on damaged or foreign zips
        return _not_a_table(file, f"文件 {file} 无法作为 Excel .xlsx 工作簿打开（可能已损坏，或是其他格式的压缩包）；"
                                  "请在 Excel 中另存为 .xlsx 或 CSV 后再上传")
    names = [ws.title for ws in wb.worksheets]
    try:
        if not names:
            return _not_a_table(file, f"文件 {file} 中没有工作表")
        if sheet is not None and sheet not in names:
            return _not_a_table(file, f"文件 {file} 中没有名为「{sheet}」的工作表；现有工作表：{'、'.join(names)}")
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        scan = _SheetScan(file, ws.title, _has_formula(zf, ws._worksheet_path))
        scan.read(zf, ws._worksheet_path)  # rows bounded, formulas and merges found, before openpyxl builds a row
        records = _sheet_records(file, zf, wb, ws)
        header, rows = _shape(file, records, f"的工作表「{ws.title}」")
    except _TooLarge as e:
        return Table(file, "xlsx", None, ws.title, issues=[e.issue])
    except zip_limits.Refused as e:
        return _not_a_table(file, str(e))
    except MemoryError:
        raise
    except Exception:  # a broken sheet part surfaces only while reading it
        return _not_a_table(file, f"文件 {file} 的工作表「{sheet or names[0]}」已损坏，无法读取；请在 Excel 中另存后再上传")
    finally:
        wb.close()
    table = Table(file, "xlsx", None, ws.title, header, rows)
    if not header:
        table.issues.append(_issue("empty-file", f"文件 {file} 的工作表「{ws.title}」是空的，没有任何内容", file))
    column = lambda col: header[col - 1] if col <= len(header) else ""  # noqa: E731
    for ref, row, col in scan.merges:
        table.issues.append(_issue("merged-cells", f"文件 {file} 第{row}行的单元格 {ref} 是合并单元格；"
                                   "请取消合并、每个单元格单独填写后再上传", file, row, column(col), ref))
    for ref, row, col, formula in scan.formulas:
        where = f"「{column(col)}」列" if column(col) else ""
        table.issues.append(_issue("formula-without-value", f"文件 {file} 第{row}行{where}（单元格 {ref}）是公式 {formula}，"
                                   "但文件中没有保存计算结果；请在 Excel 中打开并保存后再上传，或把公式改成数值",
                                   file, row, column(col), formula))
    for code, found, what in (("merged-cells", scan.merge_count, "合并单元格"),
                              ("formula-without-value", scan.formula_count, "没有计算结果的公式")):
        if found > _MAX_CELL_ISSUES:
            table.issues.append(_issue(code, f"文件 {file} 另有 {found - _MAX_CELL_ISSUES} 处{what}未逐一列出", file))
    return table


def _sheet_records(file: str, zf: zipfile.ZipFile, wb, ws) -> list[tuple[int, list[str]]]:
    """(sheet row number, cell texts from column A) of the rows holding anything. openpyxl's own row iterator pads
    every row to its last cell, even an empty one at column XFD, so its sheet parser is driven here directly; the
    parser builds one row at a time, and _SheetScan has bounded the rows already."""
    from openpyxl.worksheet._reader import WorkSheetParser

    records, pool, width, where = [], {}, 0, f"的工作表「{ws.title}」"
    with zip_limits.open_part(zf, ws._worksheet_path, file, MAX_SHEET_XML) as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                                 date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for number, cells in parser.parse():
            found = [(cell["column"], _cell_text(cell["value"])) for cell in cells if cell["value"] is not None]
            found = [(col, text) for col, text in found if text]
            if not found:
                continue
            last = max(col for col, _ in found)
            if last > MAX_COLUMNS:
                raise _too_large(file, f"文件 {file} {where}第{number}行第{last}列（单元格 {_letters(last)}{number}）有内容，"
                                       f"超过每个工作表 {MAX_COLUMNS} 列的上限，未读取；请删去多余的列或拆分成几个文件后再上传",
                                 number)
            row = [""] * last
            for col, text in found:
                row[col - 1] = text
            width = max(width, last)
            if (len(records) + 1) * width > MAX_CELLS:
                raise _too_many_cells(file, len(records) + 1, width, where)
            records.append((number, _pooled(row, pool)))
    return records


class _SheetScan:
    """A worksheet part as a stream of events, no tree: before openpyxl builds a row (its parser holds a whole row as
    elements), a row listing more cells than Excel allows is refused. Collects merged ranges, (ref, row, col), and
    with `formulas` the formulas without a cached value, (ref, row, col, "=…"): the first _MAX_CELL_ISSUES of each,
    and how many (openpyxl drops both in read-only mode). Counting alone is the cheap pass every sheet gets; the
    formula pass follows every cell's value and runs only when the part holds a formula at all."""

    def __init__(self, file: str, title: str, formulas: bool):
        self.file, self.where = file, f"的工作表「{title}」"
        self.formulas, self.merges, self.formula_count, self.merge_count = [], [], 0, 0
        self._row = self._col = self._elements = 0
        self._cell = None  # [ref, column, type, has a cached value, formula text or None]
        self._in = ""  # "v" or "f" while inside one of the current cell
        self._c = self._r = self._v = self._f = self._merge = None  # tag names, with the document's prefix
        self.parser = expat.ParserCreate()  # no namespace processing: names as written, "c" or "x:c"
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._root
        if formulas:
            self.parser.EndElementHandler = self._end
            self.parser.CharacterDataHandler = self._text
        self._detail = formulas

    def read(self, zf: zipfile.ZipFile, path: str) -> None:
        with zip_limits.open_part(zf, path, self.file, MAX_SHEET_XML) as src:
            while chunk := src.read(_CHUNK):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        self._end_cell()

    def _root(self, name: str, attrs: dict) -> None:
        prefix = name[:name.index(":") + 1] if ":" in name else ""
        self._c, self._r, self._v, self._f, self._merge = (prefix + t for t in ("c", "row", "v", "f", "mergeCell"))
        self.parser.StartElementHandler = self._start if self._detail else self._count

    def _count(self, name: str, attrs: dict) -> None:
        if name == self._c:
            self._elements += 1
            if self._elements > MAX_ROW_ELEMENTS:
                self._too_many_elements()
        elif name == self._r:
            self._new_row(attrs)
        elif name == self._merge:
            self._add_merge(attrs)

    def _start(self, name: str, attrs: dict) -> None:
        if name == self._c:
            self._end_cell()
            self._elements += 1
            if self._elements > MAX_ROW_ELEMENTS:
                self._too_many_elements()
            ref = attrs.get("r")
            self._col = _column_of(ref) if ref else self._col + 1
            self._cell = [ref, self._col, attrs.get("t"), False, None]
        elif name == self._r:
            self._end_cell()
            self._new_row(attrs)
        elif self._cell is not None and name in (self._v, self._f):
            self._in = "v" if name == self._v else "f"
            if name == self._f:
                self._cell[4] = ""
        elif name == self._merge:
            self._add_merge(attrs)

    def _text(self, text: str) -> None:
        if self._in == "v":
            self._cell[3] = True  # any text, even blanks, is a cached value
        elif self._in == "f":
            self._cell[4] += text

    def _end(self, name: str) -> None:
        if name in (self._v, self._f):
            self._in = ""
        elif name == self._c:
            self._end_cell()

    def _new_row(self, attrs: dict) -> None:
        r = attrs.get("r")
        self._row = int(r) if r and r.isdigit() else self._row + 1
        self._col = self._elements = 0

    def _too_many_elements(self) -> None:
        raise _too_large(self.file, f"文件 {self.file} {self.where}第{self._row}行列出了超过 {MAX_ROW_ELEMENTS} 个单元格，"
                                    "超过 Excel 工作表的列数，文件已损坏或不是 Excel 保存的，未读取", self._row)

    def _add_merge(self, attrs: dict) -> None:
        if not attrs.get("ref"):
            return
        self.merge_count += 1
        if len(self.merges) < _MAX_CELL_ISSUES:
            from openpyxl.utils.cell import range_boundaries

            min_col, min_row, _, _ = range_boundaries(attrs["ref"])
            self.merges.append((attrs["ref"], min_row, min_col))

    def _end_cell(self) -> None:
        if self._cell is None:
            return
        ref, col, kind, valued, formula = self._cell
        self._cell, self._in = None, ""
        if formula is not None and not valued and kind != "str":  # t="str" with an empty <v>: a cached ""
            self.formula_count += 1
            if len(self.formulas) < _MAX_CELL_ISSUES:
                self.formulas.append((ref or f"R{self._row}C{col}", self._row, col,
                                      "=" + formula if formula else "（共享公式）"))


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formula(zf: zipfile.ZipFile, path: str) -> bool:
    """Most sheets hold no formula; a regex pass over the bytes is far cheaper than following every cell."""
    tail = b""
    with zip_limits.open_part(zf, path, "", MAX_SHEET_XML) as src:
        while chunk := src.read(_CHUNK):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-32:]  # a tag cut by the chunk boundary
    return False


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?\d*")


def _column_of(ref: str) -> int:
    m = _REF.match(ref)
    if not m:
        raise ValueError(f"bad cell reference {ref!r}")
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return col


def _letters(col: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(col) if 1 <= col <= 18278 else "?"


def _old_word(file: str) -> Table:
    from disclosure.read.report_source import old_word_refusal  # the report page's advice, word for word

    return _not_a_table(file, old_word_refusal(f"文件 {file} "))


def _read_ole(file: str, data: bytes, sheet: str | None) -> Table:
    kind = old_sheets.ole_kind(data)
    if kind == "xls":
        return _read_old(file, data, sheet, "xls")
    if kind == "word":
        return _old_word(file)
    return Table(file, "xls", None, None, issues=[_issue("not-a-table", old_sheets.ole_refusal(file, kind), file)])


def _read_old(file: str, data: bytes, sheet: str | None, kind: str) -> Table:
    """.xls/.et ("xls") and .ods through calamine, with what the .xlsx reader reports for merged cells."""
    try:
        found = old_sheets.read(file, data, kind, sheet)
        header, rows = _shape(file, found.records, f"的工作表「{found.title}」")
    except old_sheets.Refused as e:
        return Table(file, kind, None, None, issues=[_issue("not-a-table", str(e), file)])
    except _TooLarge as e:
        return Table(file, kind, None, found.title, issues=[e.issue])
    table = Table(file, kind, None, found.title, header, rows)
    if not header:
        table.issues.append(_issue("empty-file", f"文件 {file} 的工作表「{found.title}」是空的，没有任何内容", file))
    _merge_issues(table, found.merges)
    return table


def _merge_issues(table: Table, merges: list[tuple[str, int, int]]) -> None:
    column = lambda col: table.header[col - 1] if col <= len(table.header) else ""  # noqa: E731
    for ref, row, col in merges[:_MAX_CELL_ISSUES]:
        table.issues.append(_issue("merged-cells", f"文件 {table.file} 第{row}行的单元格 {ref} 是合并单元格；"
                                   "请取消合并、每个单元格单独填写后再上传", table.file, row, column(col), ref))
    if len(merges) > _MAX_CELL_ISSUES:
        table.issues.append(_issue("merged-cells", f"文件 {table.file} 另有 {len(merges) - _MAX_CELL_ISSUES} 处合并单元格未逐一列出",
                                   table.file))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()
