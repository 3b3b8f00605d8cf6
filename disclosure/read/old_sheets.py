"""Old Excel (.xls), WPS (.et) and OpenDocument (.ods) workbooks, measured before calamine reads them in a child process."""
from __future__ import annotations

import functools
import hashlib
import io
import marshal
import struct
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from disclosure.issues import Refusal
from disclosure.read import child_process, ole, zip_limits

# calamine builds every sheet of a workbook when it opens it, so the bounds hold for the whole file.
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000
MAX_ODS_CONTENT = 50 * 1024 * 1024  # content.xml, uncompressed; the package as a whole is bounded by zip_limits
CHILD_MEMORY = 3 * 1024 ** 3  # address space of the reading process
CHILD_SECONDS = 120

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

# BIFF records (MS-XLS): a cell record starts with its row and column
_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x002F, 0x0200
_CELLS = {0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, 0x0206, 0x0406}
_MULTI_CELLS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column … last column


class Refused(Refusal):
    """The file cannot or may not be read; the message is one Chinese sentence naming the file."""

    code = "unreadable-sheet"


@dataclass
class Sheet:
    title: str
    records: list[tuple[int, list[str]]]  # (sheet row number, cell texts from column A)
    merges: list[tuple[str, int, int]] = field(default_factory=list)  # (range, first row, first column)


def is_ods(data: bytes) -> bool:
    if data[30:38] == b"mimetype" and data[38:38 + len(ODS_MIMETYPE)] == ODS_MIMETYPE:
        return True  # ODF puts the mimetype first and uncompressed
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("mimetype")
            return info.file_size <= 200 and zf.read(info).strip() == ODS_MIMETYPE
    except Exception:  # noqa: BLE001 — a damaged or foreign zip is simply not an ODS file
        return False


def ole_kind(data: bytes) -> str:
    """What a compound file holds: "xls", "word", "encrypted", "other"; "damaged" when it cannot be parsed."""
    try:
        cf = ole.CompoundFile(data)
    except ole.Damaged:
        return "damaged"
    names = set(cf.stream_names(top_level=True))  # not the streams of an embedded object
    if "EncryptedPackage" in names:
        return "encrypted"  # a password-protected .xlsx/.docx travels inside a compound file
    if "WordDocument" in names:
        return "word"
    if "Workbook" in names or "Book" in names:
        return "xls"
    return "other"


def ole_refusal(file: str, kind: str) -> str:
    """Why a compound file that holds no workbook (kind from ole_kind) is not read."""
    if kind == "encrypted":
        return str(_password(file))
    if kind == "damaged":
        return str(_damaged_xls(file))
    return f"文件 {file} 是旧版 Office 文件，但不是 Excel 或 WPS 表格，无法读取；请另存为 .xlsx 或 CSV 后再上传"


def read(file: str, data: bytes, kind: str, sheet: str | None) -> Sheet:
    """One sheet of an .xls/.et ("xls") or .ods ("ods") workbook, its name given or the first; raises Refused."""
    ods_merges = _measure_ods(file, data) if kind == "ods" else _measure_xls(file, data)
    result = _child(file, data, kind, sheet)
    if "sheets" in result and not result["sheets"]:
        raise Refused(f"文件 {file} 中没有工作表")
    if "sheets" in result:
        raise Refused(f"文件 {file} 中没有名为「{sheet}」的工作表；现有工作表：{'、'.join(result['sheets'])}")
    title = result["title"]
    return Sheet(title, result["records"], ods_merges.get(title, []) if kind == "ods" else result["merges"])


_names: dict[tuple[str, str], tuple[str, ...]] = {}
_names_lock = threading.Lock()


def sheet_names(data: bytes, kind: str) -> list[str]:
    """The worksheets of an .xls/.et/.ods workbook, [] when it cannot be read; remembered per content, since a page
    asks on every rerun."""
    key = (hashlib.sha256(data).hexdigest(), kind)
    with _names_lock:
        if key in _names:
            return list(_names[key])
    try:
        _measure_ods("", data) if kind == "ods" else _measure_xls("", data)
        names = tuple(_child("", data, kind, None, names_only=True)["sheets"])
    except Refused:
        names = ()
    with _names_lock:
        while len(_names) >= 32:
            _names.pop(next(iter(_names)))
        _names[key] = names
    return list(names)


# ---------------------------------------------------------------- measuring, before anything is built


def _too_large(file: str, what: str) -> Refused:
    return Refused(f"文件 {file} {what}，超过可读取的上限（每个工作表 {MAX_ROWS} 行、{MAX_COLUMNS} 列，全部工作表共 "
                   f"{MAX_CELLS} 个单元格），未读取；请删去多余的行列或拆分成几个文件后再上传")


def _damaged_xls(file: str) -> Refused:
    return Refused(f"文件 {file} 是旧版 Excel（.xls）或 WPS 表格（.et）文件，但已损坏或不完整，无法读取；"
                   "请在 Excel 或 WPS 中打开后另存为 .xlsx 或 CSV 再上传")


def _damaged_ods(file: str) -> Refused:
    return Refused(f"文件 {file} 是 ODS 表格，但已损坏或不完整，无法读取；"
                   "请在 WPS 或 LibreOffice 中打开后另存为 .xlsx 或 CSV 再上传")


def _password(file: str) -> Refused:
    return Refused(f"文件 {file} 设置了打开密码，无法读取；请在 Excel 或 WPS 中打开，取消密码后另存为 .xlsx 或 CSV 再上传")


def _check(file: str, extents: list[tuple[int, int]]) -> None:
    for rows, columns in extents:
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise _too_large(file, f"有一个工作表有 {rows} 行、{columns} 列")
    total = sum(rows * columns for rows, columns in extents)
    if total > MAX_CELLS:
        raise _too_large(file, f"的工作表共有 {total} 个单元格")


def _measure_xls(file: str, data: bytes) -> dict:
    """Refuse a workbook whose sheets calamine would build too large: it sizes a sheet by its DIMENSIONS record and
    by the cells present, and trusts both."""
    try:
        stream = _workbook_stream(data)
    except ole.Damaged:
        raise _damaged_xls(file) from None
    offsets, encrypted = _globals(stream)
    if encrypted:
        raise _password(file)
    if not offsets:
        raise _damaged_xls(file)
    extent = functools.lru_cache(maxsize=None)(lambda at: _sheet_extent(stream, at))
    extents = [extent(at) for at in offsets]  # two sheet entries may point at one substream: both are built
    if any(e is None for e in extents):
        raise _damaged_xls(file)
    _check(file, extents)
    return {}  # no merged ranges: calamine reports an .xls file's itself


def _records(stream: bytes, at: int):
    """(type, offset of data, length) from `at` on, stopping at the end of the stream."""
    end = len(stream)
    while at + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, at + 4, length
        at += 4 + length


def _globals(stream: bytes) -> tuple[list[int], bool]:
    offsets, first = [], True
    for kind, at, length in _records(stream, 0):
        if first and kind != _BOF:
            return [], False
        first = False
        if kind == _BOUNDSHEET and length >= 4:
            offsets.append(struct.unpack_from("<I", stream, at)[0])
        elif kind == _FILEPASS:
            return offsets, True
        elif kind == _EOF:
            break
    return offsets, False


def _sheet_extent(stream: bytes, start: int) -> tuple[int, int] | None:
    """(rows, columns) that calamine allocates for the sheet substream at `start`; None when it is no substream."""
    if start + 4 > len(stream) or struct.unpack_from("<H", stream, start)[0] != _BOF:
        return None
    depth, reserved, top, left, bottom, right = 0, (0, 0), None, None, -1, -1
    unpack = struct.unpack_from
    for kind, at, length in _records(stream, start):
        if kind in _CELLS and length >= 4:
            row, first = unpack("<HH", stream, at)
            last = first
        elif kind in _MULTI_CELLS and length >= 6:
            row, first = unpack("<HH", stream, at)
            count = (length - 6) // (6 if kind == 0x00BD else 2)
            last = max(first, unpack("<H", stream, at + length - 2)[0], first + count - 1)
        elif kind == _DIMENSIONS and length in (10, 14):
            first_row, last_row, first_col, last_col = unpack("<HHHH" if length == 10 else "<IIHH", stream, at)
            if first_row > last_row or first_col > last_col:
                return None  # calamine's arithmetic would wrap round to a huge sheet
            reserved = max(reserved[0], last_row - first_row), max(reserved[1], last_col - first_col)
            continue
        elif kind == _BOF:
            depth += 1
            continue
        elif kind == _EOF:
            depth -= 1
            if depth == 0:
                break
            continue
        else:
            continue
        top = row if top is None else min(top, row)
        left = first if left is None else min(left, first)
        bottom, right = max(bottom, row), max(right, last)
    rows, columns = (bottom - top + 1, right - left + 1) if top is not None else (0, 0)
    return max(rows, reserved[0]), max(columns, reserved[1])


# Excel 95 (BIFF5) stores text in the workbook's code page; calamine decodes a double-byte one (GBK, Big5, …) a byte
# at a time, into mojibake. For those the text cells and sheet names are decoded here, from the same records.
_DOUBLE_BYTE = {932: "cp932", 936: "gb18030", 949: "cp949", 950: "cp950", 1361: "johab"}
_LABEL, _RSTRING, _FORMULA, _STRING, _CODEPAGE = 0x0204, 0x00D6, 0x0006, 0x0207, 0x0042


@dataclass
class _Biff5Text:
    names: list[str]  # every sheet, in the workbook's order (calamine's)
    cells: list[dict[tuple[int, int], str]]  # per sheet: (row, column) from 0 -> text


def _biff5_text(stream: bytes) -> _Biff5Text | None:
    """The text of an Excel 95 workbook in a double-byte code page; None for any other workbook."""
    if len(stream) < 6 or struct.unpack_from("<HxxH", stream, 0) != (_BOF, 0x0500):
        return None
    codec, sheets = None, []
    for kind, at, length in _records(stream, 0):
        if kind == _CODEPAGE and length >= 2:
            codec = _DOUBLE_BYTE.get(struct.unpack_from("<H", stream, at)[0])
        elif kind == _BOUNDSHEET and length >= 7:
            sheets.append((struct.unpack_from("<I", stream, at)[0], stream[at + 7:at + 7 + stream[at + 6]]))
        elif kind == _EOF:
            break
    if codec is None:
        return None
    text = lambda raw: raw.decode(codec, "replace")  # noqa: E731
    return _Biff5Text([text(name) for _, name in sheets], [_biff5_cells(stream, start, text) for start, _ in sheets])


def _biff5_cells(stream: bytes, start: int, text) -> dict[tuple[int, int], str]:
    cells, formula, depth = {}, None, 0
    for kind, at, length in _records(stream, start):
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif kind in (_LABEL, _RSTRING) and length >= 8:
            row, col, _, count = struct.unpack_from("<HHHH", stream, at)
            cells[row, col] = text(stream[at + 8:at + 8 + count])
        elif kind == _FORMULA and length >= 4:
            formula = struct.unpack_from("<HH", stream, at)
        elif kind == _STRING and length >= 2 and formula is not None:  # a formula's text result follows it
            count = struct.unpack_from("<H", stream, at)[0]
            cells[formula] = text(stream[at + 2:at + 2 + count])
    return cells


def _measure_ods(file: str, data: bytes) -> dict[str, list[tuple[str, int, int]]]:
    """Refuse a zip bomb or a sheet too large before calamine expands it; the merged ranges by sheet, which calamine
    does not report for ODS."""
    damaged = _damaged_ods(file)
    try:
        zf = zip_limits.open_checked(file, data, "ODS 表格", _ods_part_cap, {"content.xml": "表格内容"})
        zf.getinfo("content.xml")
    except zip_limits.Refused as e:
        raise Refused(str(e)) from None
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError):
        raise damaged from None
    scan = _OdsScan()
    try:
        with zip_limits.open_part(zf, "content.xml", file, MAX_ODS_CONTENT) as src:
            while chunk := src.read(1 << 20):
                scan.parser.Parse(chunk, False)
            scan.parser.Parse(b"", True)
    except zip_limits.Refused as e:
        raise Refused(str(e)) from None
    except (zipfile.BadZipFile, expat.ExpatError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise damaged from None  # zipfile stops at the declared size and checks the CRC: a lying size ends here
    _check(file, [(rows, cols) for _, rows, cols in scan.tables])
    return scan.merges


def _ods_part_cap(name: str) -> int | None:
    if name == "content.xml":
        return MAX_ODS_CONTENT
    if name.startswith(("Pictures/", "Thumbnails/")):
        return None  # pictures are not read: they count only towards the package's total
    return zip_limits.MAX_PART


class _OdsScan:
    """content.xml as a stream of events (no tree is built): each table's last non-empty row and column, counting
    the repeats calamine expands, and its merged ranges."""

    def __init__(self):
        self.tables: list[tuple[str, int, int]] = []
        self.merges: dict[str, list[tuple[str, int, int]]] = {}
        self._open: list[_Frame] = []  # a table may sit inside a cell of another
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attrs: dict) -> None:
        if name == _T_TABLE:
            self._open.append(_Frame(attrs.get(f"{_TABLE} name", "")))
            return
        if not self._open:
            return
        t = self._open[-1]
        if name == _T_ROW and t.row_repeat is None:
            t.column, t.last, t.row_repeat = 0, 0, _count(attrs.get(f"{_TABLE} number-rows-repeated"))
        elif name in _T_CELLS and t.row_repeat is not None and t.cell_repeat is None:
            t.cell_repeat = _count(attrs.get(f"{_TABLE} number-columns-repeated"))
            t.filled = f"{_OFFICE} value-type" in attrs
            across = _count(attrs.get(f"{_TABLE} number-columns-spanned"))
            down = _count(attrs.get(f"{_TABLE} number-rows-spanned"))
            if across > 1 or down > 1:
                row, col = t.row + 1, t.column + 1
                ref = f"{_column(col)}{row}:{_column(col + across - 1)}{row + down - 1}"
                self.merges.setdefault(t.name, []).append((ref, row, col))
        elif t.cell_repeat is not None:
            t.filled = True  # any element inside a cell (text:p, an image) makes calamine keep it

    def _text(self, text: str) -> None:
        if self._open and self._open[-1].cell_repeat is not None and text.strip():
            self._open[-1].filled = True

    def _end(self, name: str) -> None:
        if name == _T_TABLE and self._open:
            t = self._open.pop()
            self.tables.append((t.name, t.rows, t.columns))
            if self._open and self._open[-1].cell_repeat is not None:
                self._open[-1].filled = True
            return
        if not self._open:
            return
        t = self._open[-1]
        if name in _T_CELLS and t.cell_repeat is not None:
            t.column += t.cell_repeat
            if t.filled:
                t.last = t.column
            t.cell_repeat = None
        elif name == _T_ROW and t.row_repeat is not None and t.cell_repeat is None:
            if t.last:
                t.rows, t.columns = t.row + t.row_repeat, max(t.columns, t.last)
            t.row += t.row_repeat
            t.row_repeat = None


@dataclass
class _Frame:
    name: str
    row: int = 0  # the next row, from 0
    rows: int = 0  # through the last non-empty row
    columns: int = 0  # through the last non-empty column
    row_repeat: int | None = None  # inside a row: how often it repeats
    column: int = 0
    last: int = 0  # the row's last non-empty column
    cell_repeat: int | None = None  # inside a cell: how often it repeats
    filled: bool = False


_T_TABLE, _T_ROW = f"{_TABLE} table", f"{_TABLE} table-row"
_T_CELLS = (f"{_TABLE} table-cell", f"{_TABLE} covered-table-cell")


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


def _column(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- reading, in a child process


def _child(file: str, data: bytes, kind: str, sheet: str | None, *, names_only: bool = False) -> dict:
    """Run calamine in a fresh interpreter with bounded memory and time: a parser crash or an allocation it cannot
    make ends that process, never the app."""
    wanted = (sheet or "").encode("utf-8", "surrogatepass").hex()  # a name from a file may hold what argv cannot
    damaged = _damaged_xls(file) if kind == "xls" else _damaged_ods(file)
    try:
        answer = child_process.run("disclosure.read.old_sheets", [kind, wanted, str(int(names_only))], data,
                                   memory=CHILD_MEMORY, seconds=CHILD_SECONDS)
    except child_process.Failed as e:
        if e.timed_out:
            raise Refused(f"文件 {file} 读取超时（超过 {CHILD_SECONDS} 秒），未读取；请在 Excel 或 WPS 中另存为 .xlsx "
                          "或 CSV 后再上传") from None
        raise damaged from None
    try:
        result = marshal.loads(answer)
    except (EOFError, ValueError, TypeError):
        raise damaged from None
    if result.get("error") == "password":
        raise _password(file)
    if result.get("error"):
        raise damaged
    return result


def _child_main(kind: str, sheet: str, names_only: bool) -> dict:
    import python_calamine as calamine

    from disclosure.read.read_table import _cell_text

    data = sys.stdin.buffer.read()
    try:
        wb = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        return {"error": "password"}
    except Exception:  # noqa: BLE001 — calamine raises its own and std errors on damaged files
        return {"error": "damaged"}
    fix = _biff5_text(_workbook_stream(data)) if kind == "xls" else None
    every = [m.name for m in wb.sheets_metadata]
    if fix is not None and len(fix.names) == len(every):
        every = fix.names
    else:
        fix = None
    worksheets = [i for i, m in enumerate(wb.sheets_metadata) if m.typ == calamine.SheetTypeEnum.WorkSheet]
    names = [every[i] for i in worksheets]
    if names_only or not names or (sheet and sheet not in names):
        return {"sheets": names}
    index = worksheets[names.index(sheet) if sheet else 0]
    ws = wb.get_sheet_by_index(index)
    lead = [""] * (ws.start[1] if ws.start else 0)  # iter_rows starts at row 1 but at the first used column
    texts = fix.cells[index] if fix else {}
    records = []
    for n, row in enumerate(ws.iter_rows(), 1):  # a row at a time: the sheet is never held twice
        values = lead + row
        if texts:
            values = [texts.get((n - 1, c), v) for c, v in enumerate(values)]
        records.append((n, [_cell_text(v) for v in values]))
    merges = [(f"{_column(c0 + 1)}{r0 + 1}:{_column(c1 + 1)}{r1 + 1}", r0 + 1, c0 + 1)
              for (r0, c0), (r1, c1) in ws.merged_cell_ranges or []]
    return {"title": every[index], "records": records, "merges": merges}


def _workbook_stream(data: bytes) -> bytes:
    """The stream calamine reads, found as it finds it; b"" when there is none."""
    cf = ole.CompoundFile(data)
    entry = cf.find("Workbook") or cf.find("Book")
    return cf.read(entry) if entry else b""


if __name__ == "__main__":
    child_process.limit_self(int(sys.argv[1]), int(sys.argv[2]))
    try:
        out = _child_main(sys.argv[3], bytes.fromhex(sys.argv[4]).decode("utf-8", "surrogatepass"), sys.argv[5] == "1")
    except BaseException:  # noqa: BLE001 — a Rust panic arrives as a BaseException; the parent hears "damaged"
        out = {"error": "damaged"}
    sys.stdout.buffer.write(marshal.dumps(out))
