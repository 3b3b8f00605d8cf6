"""No uploaded file exhausts the server: zip bombs, sheets that claim 16,384 columns, huge CSV cells and files, and
100,000 unknown columns are refused (or read) in bounded memory, with a Chinese message naming the file and the limit.
Every hostile file is generated here; the big ones are read in a child process whose peak RSS is measured."""
from __future__ import annotations

import io
import json
import os
import resource
import struct
import subprocess
import sys
import tomllib
import zipfile
import zlib
from pathlib import Path

import pytest

from disclosure import config
from disclosure.contract import catalog
from disclosure.read import old_sheets, shapes, zip_limits
from disclosure.read.read_table import MAX_CELL_CHARS, MAX_COLUMNS, read_table
from disclosure.read.report_source import load

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
CHILD_ADDRESS_SPACE = 3 * 1024 ** 3  # a reader that tries to build gigabytes fails there, not on the machine

# The child reports its own high-water mark, VmHWM: ru_maxrss would count the parent's pages the child held between
# fork and exec, and a test process with Streamlit and pandas loaded is bigger than most readers.
PEAK = """
def peak_mb():
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
READ_TABLE = PEAK + """
import json, sys
from disclosure.read.read_table import read_table
with open(sys.argv[2], "rb") as f:
    data = f.read()
table = read_table(sys.argv[1], data)
print(json.dumps({"messages": [i.message for i in table.issues], "rows": len(table.rows),
                  "columns": len(table.header), "peak_mb": peak_mb()}))
"""
READ_REPORT = PEAK + """
import json, sys
from disclosure.read.report_source import load
with open(sys.argv[2], "rb") as f:
    data = f.read()
source = load(sys.argv[1], data)
print(json.dumps({"messages": [source.error] if source.error else [], "text": source.text[:200],
                  "peak_mb": peak_mb()}))
"""


def _bounded_address_space():
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, hard))  # soft only: calamine's child sets its own


def in_child(script: str, name: str, path: Path) -> dict:
    """Read one file in a fresh interpreter; what it found and its peak resident memory in MB."""
    done = subprocess.run([sys.executable, "-c", script, name, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, preexec_fn=_bounded_address_space, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def baseline_mb() -> float:
    """Peak RSS of a child that imports the readers and reads a tiny file: the interpreter's own share."""
    script = READ_TABLE.replace("data = f.read()", "data = b'a,b\\n1,2\\n'")
    return in_child(script, "tiny.csv", Path(__file__))["peak_mb"]


# ---------------------------------------------------------------- zip files written by hand


def deflated(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zeros_deflated(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes (a multiple of 16 MB) and its CRC, in well under a second a GB:
    one fully flushed 16 MB segment stands alone, so copies of it make a valid stream."""
    block = b"\0" * (16 * MB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    return segment * (size // len(block)) + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc


def handmade_zip(parts: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """(name, deflated bytes, CRC, size the directory declares, size the local header declares) per part."""
    out, central = bytearray(), bytearray()
    for name, payload, crc, declared, local in parts:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(payload), local, len(raw), 0)
        out += raw + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(payload), declared,
                               len(raw), 0, 0, 0, 0, 0, offset) + raw
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central),
                                             len(out), 0))


def part(name: str, data: bytes, declared: int | None = None) -> tuple[str, bytes, int, int, int]:
    size = len(data) if declared is None else declared
    return name, deflated(data), zlib.crc32(data), size, size


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}


def sheet_xml(rows: str, dimension: str = "A1:XFD100000") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
            f'<sheetData>{rows}</sheetData></worksheet>').encode()


def xlsx_with(sheet: bytes, declared: int | None = None) -> bytes:
    return handmade_zip([part(n, t.encode()) for n, t in XLSX_PARTS.items()]
                        + [part("xl/worksheets/sheet1.xml", sheet, declared)])


def xfd_rows(n: int, value: bool = True) -> str:
    """A header row, then rows holding a name in A and one cell at XFD, the last column Excel has."""
    far = (lambda r: f'<c r="XFD{r}"><v>1</v></c>') if value else (lambda r: f'<c r="XFD{r}" s="1"/>')
    return ('<row r="1"><c r="A1" t="inlineStr"><is><t>agency</t></is></c></row>'
            + "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>单位{r}</t></is></c>{far(r)}</row>'
                      for r in range(2, n + 2)))


# ---------------------------------------------------------------- .xlsx: one cell at column XFD per row


def test_xlsx_with_a_value_at_xfd_in_every_row_is_refused_in_bounded_memory(tmp_path):
    data = xlsx_with(sheet_xml(xfd_rows(60_000)))
    assert len(data) < MB  # half a megabyte that openpyxl would pad to 60,000 × 16,384 cells
    path = tmp_path / "宽.xlsx"
    path.write_bytes(data)
    found = in_child(READ_TABLE, "宽.xlsx", path)
    [message] = found["messages"]
    assert "宽.xlsx" in message and "「数据」" in message and f"{MAX_COLUMNS} 列" in message and "XFD2" in message
    assert found["peak_mb"] < baseline_mb() + 100, found


def test_xlsx_whose_dimension_lies_small_is_refused_by_the_cells_it_holds():
    message = only_error(read_table("谎.xlsx", xlsx_with(sheet_xml(xfd_rows(3), dimension="A1:A4"))))
    assert "XFD2" in message and f"{MAX_COLUMNS} 列" in message


def test_xlsx_with_empty_formatted_cells_out_to_xfd_reads_without_padding(tmp_path):
    path = tmp_path / "格式.xlsx"
    path.write_bytes(xlsx_with(sheet_xml(xfd_rows(60_000, value=False))))
    found = in_child(READ_TABLE, "格式.xlsx", path)
    assert found["messages"] == [] and found["columns"] == 1 and found["rows"] == 60_000
    assert found["peak_mb"] < baseline_mb() + 150, found


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_xlsx_row_listing_more_cells_than_excel_has_is_refused(prefix):
    row = f'<{prefix}row r="1">' + f'<{prefix}c s="1"/>' * 20_000 + f"</{prefix}row>"
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet xmlns{":" + prefix[:-1] if prefix else ""}='
             f'"{MAIN}"><{prefix}sheetData>{row}</{prefix}sheetData></{prefix}worksheet>').encode()
    message = only_error(read_table("多.xlsx", xlsx_with(sheet)))
    assert "多.xlsx" in message and "16384" in message


def test_xlsx_too_many_cells_is_refused(monkeypatch):
    monkeypatch.setattr("disclosure.read.read_table.MAX_CELLS", 100)
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJ") + "</row>"
                   for r in range(1, 12))
    message = only_error(read_table("大.xlsx", xlsx_with(sheet_xml(rows, "A1:J11"))))
    assert "大.xlsx" in message and "上限 100 个单元格" in message


def test_sheet_names_of_a_zip_bomb_workbook_are_none_and_nothing_is_inflated(monkeypatch):
    data = xlsx_with(sheet_xml(xfd_rows(1)), declared=10 ** 9)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a part was inflated"))
    from disclosure.read.read_table import sheet_names

    assert sheet_names(data) == []


# ---------------------------------------------------------------- .docx: a 3 GB zero picture in 3 MB


DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="png" ContentType="image/png"/><Override '
              'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              'wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
             f'2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
             '</Relationships>')
DOCUMENT_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 f'package/2006/relationships"><Relationship Id="rId5" Type="{REL}/image" Target="media/image1.png"/>'
                 '</Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = (f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'
            '某某镇人民政府2023年政府信息公开工作年度报告</w:t></w:r></w:p></w:body></w:document>')


def docx_with_zero_picture(size: int, document: bytes = DOCUMENT.encode(), declared: int | None = None) -> bytes:
    picture, crc = zeros_deflated(size)
    return handmade_zip([part("[Content_Types].xml", DOCX_TYPES.encode()), part("_rels/.rels", DOCX_RELS.encode()),
                         part("word/document.xml", document, declared),
                         part("word/_rels/document.xml.rels", DOCUMENT_RELS.encode()),
                         ("word/media/image1.png", picture, crc, size, size)])


def test_docx_carrying_a_3_gb_zero_picture_is_refused_in_bounded_memory(tmp_path):
    data = docx_with_zero_picture(3 * 1024 ** 3)
    assert len(data) < 4 * MB
    path = tmp_path / "年报.docx"
    path.write_bytes(data)
    found = in_child(READ_REPORT, "年报.docx", path)
    [message] = found["messages"]
    assert "年报.docx" in message and "3072 MB" in message and f"上限 {config.megabytes(zip_limits.MAX_TOTAL)}" in message
    assert found["peak_mb"] < baseline_mb() + 100, found


def test_docx_pictures_are_never_inflated(monkeypatch):
    """A picture that compresses 1000:1 is no threat while nobody inflates it: the text is read, the picture not."""
    data = docx_with_zero_picture(256 * MB)
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(
        getattr(name, "filename", name)) or real_open(self, name, *a, **k))
    source = load("年报.docx", data)
    assert source.error == "" and "年度报告" in source.text
    assert opened == ["word/document.xml"]


def test_docx_body_beyond_its_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr("disclosure.read.report_source.MAX_DOCUMENT_XML", 100)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a part was inflated"))
    error = load("长.docx", docx_with_zero_picture(16 * MB)).error
    assert "长.docx" in error and "正文" in error and "上限" in error


def test_docx_with_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", DOCUMENT)
        for n in range(zip_limits.MAX_ENTRIES):
            zf.writestr(f"customXml/item{n}.xml", "")
    error = load("散.docx", out.getvalue()).error
    assert "散.docx" in error and f"上限 {zip_limits.MAX_ENTRIES} 个" in error


# ---------------------------------------------------------------- declared sizes that lie


def test_docx_whose_body_declares_a_small_size_but_inflates_to_gigabytes(tmp_path):
    body, crc = zeros_deflated(2 * 1024 ** 3)
    data = handmade_zip([part("[Content_Types].xml", DOCX_TYPES.encode()), part("_rels/.rels", DOCX_RELS.encode()),
                         ("word/document.xml", body, crc, 1000, 1000)])
    path = tmp_path / "谎.docx"
    path.write_bytes(data)
    found = in_child(READ_REPORT, "谎.docx", path)
    [message] = found["messages"]
    assert "谎.docx" in message
    assert found["peak_mb"] < baseline_mb() + 100, found


def test_xlsx_whose_sheet_declares_a_small_size_but_inflates_far_beyond(tmp_path):
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 500_001))
    path = tmp_path / "谎.xlsx"
    path.write_bytes(xlsx_with(sheet_xml(rows, "A1:A1"), declared=2000))
    found = in_child(READ_TABLE, "谎.xlsx", path)
    [message] = found["messages"]
    assert "谎.xlsx" in message and ("损坏" in message or "上限" in message)
    assert found["peak_mb"] < baseline_mb() + 100, found


def test_ods_whose_content_declares_a_small_size_but_inflates_far_beyond(tmp_path, monkeypatch):
    monkeypatch.setattr(old_sheets, "_child", lambda *a, **k: pytest.fail("calamine must not run"))
    content, crc = zeros_deflated(1024 ** 3)
    data = handmade_zip([part("mimetype", old_sheets.ODS_MIMETYPE), ("content.xml", content, crc, 1000, 1000)])
    message = only_error(read_table("谎.ods", data))
    assert "谎.ods" in message and "损坏" in message


def test_ods_checks_are_the_shared_zip_checks():
    content, crc = zeros_deflated(512 * MB)
    data = handmade_zip([part("mimetype", old_sheets.ODS_MIMETYPE), ("content.xml", content, crc, 512 * MB, 512 * MB)])
    message = only_error(read_table("炸.ods", data))
    assert "炸.ods" in message and "表格内容" in message and "上限" in message


def test_a_capped_stream_stops_whatever_the_directory_says():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b"x" * 5000)
    with zipfile.ZipFile(out) as zf, pytest.raises(zip_limits.Refused, match="a.xml"):
        zip_limits.read_part(zf, "a.xml", "测.zip", 4096)


# ---------------------------------------------------------------- CSV


def only_error(table) -> str:
    assert len(table.issues) == 1 and table.issues[0].is_error, table.issues
    assert table.issues[0].file == table.file and table.file in table.issues[0].message
    return table.issues[0].message


def test_csv_with_100000_unknown_columns_is_refused_in_bounded_memory(tmp_path):
    header = ",".join(f"未知列{n}" for n in range(100_000))
    path = tmp_path / "列.csv"
    path.write_bytes(f"{header}\n{','.join('1' * 100_000)}\n".encode())
    assert path.stat().st_size > 1.5 * MB
    found = in_child(READ_TABLE, "列.csv", path)
    [message] = found["messages"]
    assert "列.csv" in message and "100000 列" in message and f"上限 {MAX_COLUMNS} 列" in message
    assert found["peak_mb"] < baseline_mb() + 100, found


def test_unknown_columns_get_a_suggestion_each_only_up_to_a_bound(monkeypatch):
    """Each suggestion scans the catalogue; a file of many unknown columns is told about every one without them."""
    asked = []
    monkeypatch.setattr(catalog, "closest_headers", lambda name, n=1: asked.append(name) or ["x"])
    header = ["agency", "year", *(f"未知列{n}" for n in range(MAX_COLUMNS - 2))]
    table = read_table("列.csv", (",".join(header) + "\n" + ",".join(["镇", "2023"] + ["1"] * (MAX_COLUMNS - 2))).encode())
    assert table.issues == []
    _, issues = shapes.drafts_from_table(table)
    unknown = [i for i in issues if i.code == "unknown-column"]
    assert len(unknown) == MAX_COLUMNS - 2 and len(asked) == shapes.MAX_SUGGESTIONS
    assert sum(bool(i.suggestion) for i in unknown) == shapes.MAX_SUGGESTIONS


def test_csv_with_one_50_mb_cell_says_the_cell_is_too_large(tmp_path):
    path = tmp_path / "格.csv"
    with open(path, "wb") as f:
        f.write("单位名称,说明\n某镇,".encode())
        f.write(b"x" * (50 * MB))
        f.write(b"\n")
    found = in_child(READ_TABLE, "格.csv", path)
    [message] = found["messages"]
    assert "格.csv" in message and "第2行第2列（「说明」）" in message and f"{MAX_CELL_CHARS} 个字符的上限" in message
    assert "引号" not in message
    assert found["peak_mb"] < 6 * 50 + baseline_mb(), found


@pytest.mark.parametrize("cell", [b"y" * 40_000, b"y" * 200_000, b'"' + b"y" * 200_000 + b'"'])
def test_csv_cell_beyond_the_limit_names_row_column_and_limit(cell):
    message = only_error(read_table("格.csv", b"a,b,c\n1,2,3\n4," + cell + b",6\n"))
    assert "第3行第2列（「b」）" in message and f"{MAX_CELL_CHARS} 个字符的上限" in message and "引号" not in message


def test_csv_too_many_cells_is_refused(monkeypatch):
    monkeypatch.setattr("disclosure.read.read_table.MAX_CELLS", 100)
    data = ("a,b,c,d,e,f,g,h,i,j\n" + "1,2,3,4,5,6,7,8,9,10\n" * 10).encode()
    message = only_error(read_table("大.csv", data))
    assert "大.csv" in message and "上限 100 个单元格" in message


def test_a_long_header_and_short_rows_cannot_pad_past_the_cell_limit(monkeypatch):
    monkeypatch.setattr("disclosure.read.read_table.MAX_CELLS", 1000)
    data = (",".join(f"c{n}" for n in range(100)) + "\n" + "x\n" * 20).encode()
    assert "上限 1000 个单元格" in only_error(read_table("窄.csv", data))


def wide_csv(path: Path, size: int) -> None:
    """A wide table as agencies fill it, GBK like Excel saves it: a name, a year and 160 small counts a row."""
    header = ["单位名称", "年度", *catalog.table_codes("2021")[:160]]
    bodies = [",".join(str((r * 7 + c * 13) % 300 if (r + c) % 4 else 0) for c in range(160)) for r in range(500)]
    with open(path, "wb") as f:
        f.write((",".join(header) + "\n").encode("gb18030"))
        written, r = 0, 0
        while written < size:
            line = f"示例县第{r}号单位人民政府,{2021 + r % 4},{bodies[r % 500]}\n".encode("gb18030")
            f.write(line)
            written, r = written + len(line), r + 1


def test_a_50_mb_csv_is_read_in_a_small_multiple_of_its_size(tmp_path):
    path = tmp_path / "大.csv"
    wide_csv(path, 50 * MB)
    size_mb = path.stat().st_size / MB
    found = in_child(READ_TABLE, "大.csv", path)
    assert found["messages"] == [] and found["columns"] == 162 and found["rows"] > 90_000
    assert found["peak_mb"] < 6 * size_mb + baseline_mb(), found


# ---------------------------------------------------------------- the upload limit


def test_the_shipped_server_limit_equals_the_apps_default():
    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert shipped["server"]["maxUploadSize"] == config.DEFAULT_MAX_UPLOAD_MB


def test_the_apps_limit_never_exceeds_the_servers(monkeypatch):
    monkeypatch.delenv("DISCLOSURE_MAX_UPLOAD_MB", raising=False)
    assert config.max_upload_bytes() == config.DEFAULT_MAX_UPLOAD_MB * MB
    monkeypatch.setenv("DISCLOSURE_MAX_UPLOAD_MB", "500")
    assert config.max_upload_bytes(server_mb=50) == 50 * MB
    monkeypatch.setenv("DISCLOSURE_MAX_UPLOAD_MB", "20")
    assert config.max_upload_bytes(server_mb=50) == 20 * MB


SAMPLES = Path(__file__).parent / "data" / "read_table"
TRICKY = [
    b'a,b\r\n"x\r\ny",2\r\n\r\n3,"4"\r',
    "单位名称,年度\r北京市教育委员会,2023\r".encode("gbk"),
    "\ufeff\ufeff单位,说明\n镇,\"多\n行\"\n".encode("utf-8"),
    "单位\t年度\n区,2023\n".encode("utf-16"),
    b'a,b\n1,2\n"3,4\n5,6\n',
    "名称,值\n甲,1\n".encode("gbk") + b"\x81\xff,2\n",  # undecodable: its line and bytes are named
    "名称,值\n".encode("utf-8") + "甲,1\n".encode("gbk"),  # mixed
]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_reading_a_chunk_at_a_time_reads_what_reading_at_once_does(monkeypatch, chunk):
    """Characters, "\\r\\n" and quoted line breaks cut by a chunk boundary read as if the file came whole."""
    files = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.csv"))] + [(f"t{n}.csv", d)
                                                                                for n, d in enumerate(TRICKY)]
    whole = [read_table(name, data) for name, data in files]
    monkeypatch.setattr("disclosure.read.read_table._CHUNK", chunk)
    for (name, data), expected in zip(files, whole):
        got = read_table(name, data)
        assert (got.encoding, got.header, [(r.line, r.cells) for r in got.rows], got.issues) == (
            expected.encoding, expected.header, [(r.line, r.cells) for r in expected.rows], expected.issues), name


def test_twenty_mb_of_distinct_cells_stays_within_twenty_times_its_size(tmp_path):
    """The worst case for memory: every cell a different short text, each a string object of its own (about 60
    bytes for a 5-byte cell). The upload limit is what bounds it."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    path = tmp_path / "异.csv"
    with open(path, "w", encoding="ascii") as f:
        f.write(",".join(f"c{i}" for i in range(200)) + "\n")
        n, k = 0, 0
        while n < 20 * MB:
            cells = []
            for _ in range(200):
                q, text = k, ""
                for _ in range(4):
                    q, r = divmod(q, len(alphabet))
                    text += alphabet[r]
                cells.append(text)
                k += 1
            line = ",".join(cells) + "\n"
            f.write(line)
            n += len(line)
    found = in_child(READ_TABLE, "异.csv", path)
    assert found["messages"] == [] and found["columns"] == 200
    assert found["peak_mb"] < 20 * path.stat().st_size / MB + baseline_mb(), found


# --- PDF: pdfminer inflates every stream whole; the reader runs in a child process with a memory cap -----------

def pdf_with_content_stream(compressed: bytes, length_declared: int) -> bytes:
    """A one-page PDF whose page content is the given FlateDecode stream."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % length_declared + compressed + b"\nendstream"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % o for o in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_a_pdf_whose_page_inflates_to_a_gigabyte_is_refused_and_the_app_lives_on(monkeypatch):
    from disclosure.read import read_pdf, report_files

    squeeze = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    compressed = b"".join(squeeze.compress(chunk) for _ in range(1024)) + squeeze.flush()  # 1 GiB of spaces, ~1 MB
    monkeypatch.setattr(read_pdf, "CHILD_MEMORY", 768 * 1024 ** 2)  # the cap the child gets; its own default is 2 GB
    rf = report_files.read_file("炸弹.pdf", pdf_with_content_stream(compressed, len(compressed)))
    # read in this process the gigabyte would be inflated (nothing caps it) and the page found empty, a "scan";
    # the child meets its cap instead, and the file is refused as unreadable
    assert "炸弹.pdf" in rf.error and "无法读取的 PDF" in rf.error and "扫描件" not in rf.error, rf.error


def test_an_ordinary_pdf_is_still_read_through_the_child_process():
    from disclosure.read import report_files

    data = (ROOT / "tests" / "data" / "pdf" / "erlang-2022-borderless.pdf").read_bytes()
    rf = report_files.read_file("二郎街道.pdf", data)
    assert rf.error == "" and rf.reading.is_report


# ---------------------------------------------------------------- the backstop: every reader of a user's file in a child


def _xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["单位名称", "年度", "自然人"])
    wb.active.append(["海青乡", 2020, 5])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    for line in (ROOT / "data" / "samples" / "haiqing-2020.txt").read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, data", [
    ("海青乡.csv", (ROOT / "tests" / "data" / "haiqing-2020.csv").read_text(encoding="utf-8").encode("gb18030")),
    ("坏.csv", "单位名称,年度\n海青乡,二〇二〇\n\"未闭合".encode("utf-8")),
    ("海青乡.xlsx", _xlsx_bytes()),
])
def test_a_table_read_in_the_child_is_the_table_read_here(name, data):
    from disclosure.read import isolated

    assert isolated.read_table_file(name, data) == read_table(name, data)


@pytest.mark.parametrize("name, data", [
    ("海青乡.docx", _docx_bytes()),
    ("海青乡.txt", (ROOT / "data" / "samples" / "haiqing-2020.txt").read_bytes()),
    ("关洲.html", (ROOT / "tests" / "data" / "pdf" / "guanzhou-2023-blanks.html").read_bytes()),
    ("坏.docx", b"PK\x03\x04 not a zip"),
])
def test_a_report_read_in_the_child_is_the_report_read_here(name, data):
    from disclosure.read import isolated

    assert isolated.load_report(name, data) == load(name, data)


def test_a_file_the_table_reader_misjudges_fails_alone_with_the_limit_named(tmp_path, monkeypatch):
    """The reader's own checks pass a 30 MB CSV (it is under every limit), but the child may use only 150 MB: as if
    the reader had misjudged it, the child ends and the app says which file and which limit, in Chinese."""
    from disclosure.read import isolated

    path = tmp_path / "大.csv"
    wide_csv(path, 30 * MB)
    monkeypatch.setenv("DISCLOSURE_READER_MEMORY_MB", "150")
    table = isolated.read_table_file("大.csv", path.read_bytes())
    assert table.rows == [] and [i.code for i in table.issues] == ["reader-limit"]
    assert "文件 大.csv" in table.issues[0].message and "内存上限（150 MB）" in table.issues[0].message


def test_a_reader_that_runs_out_of_time_is_stopped_and_says_so(tmp_path, monkeypatch):
    from disclosure.read import isolated

    path = tmp_path / "慢.csv"
    wide_csv(path, 30 * MB)
    monkeypatch.setenv("DISCLOSURE_READER_SECONDS", "1")  # reading 30 MB takes several seconds of CPU
    table = isolated.read_table_file("慢.csv", path.read_bytes())
    assert [i.code for i in table.issues] == ["reader-limit"] and "读取超时（超过 1 秒）" in table.issues[0].message


def test_a_report_the_reader_misjudges_fails_alone(monkeypatch):
    from disclosure.read import isolated

    monkeypatch.setenv("DISCLOSURE_READER_MEMORY_MB", "20")  # too small for the interpreter itself
    source = isolated.load_report("海青乡.docx", _docx_bytes())
    assert source.text == "" and "海青乡.docx" in source.error and "内存上限（20 MB）" in source.error


def test_the_command_line_reads_a_users_file_in_the_child(tmp_path):
    path = tmp_path / "大.csv"
    wide_csv(path, 30 * MB)
    done = subprocess.run([sys.executable, "-m", "disclosure", "import", str(path), "--db", str(tmp_path / "t.duckdb")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "DISCLOSURE_READER_MEMORY_MB": "150"})
    assert done.returncode != 0 and "大.csv" in done.stdout and "内存上限（150 MB）" in done.stdout, done.stdout[-1000:]
    assert "数据库没有任何改动" in done.stderr
