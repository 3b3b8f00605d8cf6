"""What the hostile session of the load test does, each attack a loop until told to stop. Every hostile file is
generated here in memory (the same shapes as tests/test_hostile_files.py, copied: bench imports no test code)."""
from __future__ import annotations

import struct
import threading
import zlib

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.load_client import Session

MB = 1024 * 1024

# ---------------------------------------------------------------- generated hostile files


def _deflated(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """(name, deflated bytes, CRC, inflated size) per part."""
    out, central = bytearray(), bytearray()
    for name, payload, crc, size in parts:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(payload), size, len(raw), 0)
        out += raw + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(payload), size,
                               len(raw), 0, 0, 0, 0, 0, offset) + raw
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central),
                                             len(out), 0))


def _part(name: str, text: str | bytes) -> tuple[str, bytes, int, int]:
    data = text.encode() if isinstance(text, str) else text
    return name, _deflated(data), zlib.crc32(data), len(data)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"


def xfd_xlsx(rows: int = 60_000) -> bytes:
    """Half a megabyte that a naive reader pads to rows × 16,384 cells: a name in A and a value at XFD per row."""
    cells = ('<row r="1"><c r="A1" t="inlineStr"><is><t>agency</t></is></c></row>'
             + "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>单位{r}</t></is></c><c r="XFD{r}"><v>1</v></c>'
                       "</row>" for r in range(2, rows + 2)))
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><dimension ref="A1:XFD{rows + 1}"/>'
             f"<sheetData>{cells}</sheetData></worksheet>")
    return _zip([
        _part("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
              'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              'spreadsheetml.worksheet+xml"/></Types>'),
        _part("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
              f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        _part("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
              '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        _part("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/'
              f'relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
              "</Relationships>"),
        _part("xl/worksheets/sheet1.xml", sheet)])


def zero_picture_docx(size: int = 3 * 1024 ** 3) -> bytes:
    """A report whose picture inflates to `size` zero bytes (a multiple of 16 MB) in about size/1000 bytes: one
    fully flushed 16 MB deflate segment stands alone, so copies of it make a valid stream."""
    block = b"\0" * (16 * MB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    picture = segment * (size // len(block)) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return _zip([
        _part("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
              '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
              '<Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
              "</Types>"),
        _part("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
              f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>'),
        _part("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body><w:p>'
              "<w:r><w:t>某某镇人民政府2023年政府信息公开工作年度报告</w:t></w:r></w:p></w:body></w:document>"),
        _part("word/_rels/document.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/'
              f'relationships"><Relationship Id="rId5" Type="{REL}/image" Target="media/image1.png"/>'
              "</Relationships>"),
        ("word/media/image1.png", picture, crc, size)])


# ---------------------------------------------------------------- attacks: each runs until `stop` is set

HAMMER_PAGES = ("", "proactive", "applications", "appeals", "trends", "quality", "agency")
CONSOLE_4GB = "select repeat('x', 400000) from range(10001)"
# the heaviest query the console lets through: a cross join the deadline has to stop
CONSOLE_CPU = "select count(*), sum(a.value * b.value) from report_facts a, report_facts b"


def clear_cache(session: Session, stop: threading.Event) -> int:
    """Streamlit's clear_cache message, which any client may send: every cached query of every session is
    dropped. Paced by a rerun after each, so the attacker waits for the server as a fast client would."""
    n = 0
    while not stop.is_set():
        session.send(BackMsg(clear_cache=True))
        session.visit(HAMMER_PAGES[n % len(HAMMER_PAGES)])
        n += 1
    return n


def hammer(session: Session, stop: threading.Event) -> int:
    """Reruns asked for as fast as the socket takes them, never waiting for one to finish (each cancels the one
    before); what the server sends back is read and dropped by a second thread."""
    reader = threading.Thread(target=session.drain, daemon=True)
    reader.start()
    n = 0
    while not stop.wait(0.005):
        session.request(HAMMER_PAGES[n % len(HAMMER_PAGES)])
        n += 1
    return n


def _upload_loop(session: Session, page: str, key: str, name: str, data: bytes, stop: threading.Event) -> int:
    """The same bomb uploaded again and again, each time as a new file, so no per-session cache saves a read."""
    session.visit(page)
    n = 0
    while not stop.is_set():
        session.visit(page, [session.upload(key, name, data)])
        n += 1
    return n


def xlsx_bomb(session: Session, stop: threading.Event) -> int:
    return _upload_loop(session, "upload", "upload_file", "宽.xlsx", xfd_xlsx(), stop)


def docx_bomb(session: Session, stop: threading.Event) -> int:
    return _upload_loop(session, "import_report", "import_report_file", "年报.docx", zero_picture_docx(), stop)


def _console_loop(sql_text: str, session: Session, stop: threading.Event) -> int:
    session.visit("explore")
    n = 0
    while not stop.is_set():
        text = WidgetState(id=session.widget_id("explore_sql"), string_value=sql_text)
        run = WidgetState(id=session.widget_id("explore_run"), trigger_value=True)
        session.visit("explore", [text, run])
        n += 1
    return n


def console_4gb(session: Session, stop: threading.Event) -> int:
    return _console_loop(CONSOLE_4GB, session, stop)


def console_cpu(session: Session, stop: threading.Event) -> int:
    return _console_loop(CONSOLE_CPU, session, stop)


ATTACKS = {"clear_cache": clear_cache, "hammer": hammer, "xlsx_bomb": xlsx_bomb, "docx_bomb": docx_bomb,
           "console_4gb": console_4gb, "console_cpu": console_cpu}
