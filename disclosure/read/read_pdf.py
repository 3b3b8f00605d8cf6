"""A digital PDF report → lines the report reader consumes: paragraphs as lines, ruled-table rows as "a | b | c"."""
from __future__ import annotations

import dataclasses
import io
import itertools
import logging
import marshal
import re
import sys
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from disclosure.read import child_process
from disclosure.read.pdf_page import Line, join_pieces, page_lines
from disclosure.read.report_source import CELL_SEPARATOR

MAX_PAGES = 80            # an annual report runs to 5–30 pages: longer files are refused before they are parsed
CHILD_MEMORY = 2 * 1024 ** 3  # address space of the process that reads one PDF
CHILD_SECONDS = 120
MAX_CHARS = 300_000       # reading stops after the page that passes this many characters (a report has 5–30 000)
EOF_WINDOW = 4096         # a complete PDF ends with "%%EOF", possibly followed by a little padding

FULL_LINE_SLACK = 2.0     # a line ending within 2 em of the right margin runs on to the next line
PARAGRAPH_GAP = 1.2       # more white space than 1.2 em between two lines separates paragraphs
INDENT = 0.8              # a line starting 0.8 em right of the left margin opens a paragraph

# pdfminer logs the odd font descriptors of ordinary files as warnings; nobody can act on them.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

SCANNED = "是扫描件（没有文字层），无法读取；请使用 Word 版或网页版报告，或把文字复制粘贴为文本后导入"


@dataclass
class PdfText:
    lines: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)   # the 1-based page of each line
    notices: list[str] = field(default_factory=list)
    error: str = ""


def read_pdf(data: bytes, subject: str) -> PdfText:
    """Read a PDF's text layer, in a child process with bounded memory and time (pdfminer inflates every stream
    whole: one crafted page could ask for gigabytes); never raises: problems come back as a Chinese
    `PdfText.error` naming the subject."""
    try:
        answer = child_process.run("disclosure.read.read_pdf", [subject.encode("utf-8", "surrogatepass").hex()], data,
                                   memory=CHILD_MEMORY, seconds=CHILD_SECONDS)
        return PdfText(**marshal.loads(answer))
    except child_process.Failed as e:
        if e.timed_out:
            return PdfText(error=f"{subject}读取超时（超过 {CHILD_SECONDS} 秒），未读取；请使用 Word 版或网页版报告")
        return PdfText(error=_damaged(subject, f"读取时超出内存上限（{CHILD_MEMORY // 1024 ** 3} GB）或出错"))
    except (EOFError, ValueError, TypeError):
        return PdfText(error=_damaged(subject, "文件已损坏"))


def read_in_process(data: bytes, subject: str) -> PdfText:
    """What the child process does: read the text layer here."""
    start = data.find(b"%PDF-")
    data = data[start:] if start > 0 else data      # junk before the header shifts every offset in the file
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        return PdfText(error=_damaged(subject, "文件不完整（缺少文件结尾），可能没有下载完"))
    try:
        pages = _count_pages(data)
        if pages > MAX_PAGES:
            return PdfText(error=f"{subject}有 {pages} 页，超过了可读取的上限 {MAX_PAGES} 页；"
                                 "请只上传政府信息公开工作年度报告本身")
        if pages == 0:
            return PdfText(error=_damaged(subject, "其中没有页面"))
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _read_pages(pdf, subject)
    except MemoryError:
        raise  # past the child's cap: the parent says so
    except Exception as exc:  # noqa: BLE001 — pdfminer raises all kinds of errors on damaged files
        if _encrypted(exc):
            return PdfText(error=f"{subject}已加密（设有打开密码），无法读取；请提供未加密的 PDF，或使用 Word 版、网页版报告")
        return PdfText(error=_damaged(subject, "文件已损坏"))


def _damaged(subject: str, what: str) -> str:
    return f"{subject}是无法读取的 PDF 文件：{what}；请重新下载后再上传，或使用 Word 版、网页版报告"


def _encrypted(exc: BaseException | None) -> bool:
    """Whether the failure (possibly wrapped by pdfplumber) is a password the file requires."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, PDFEncryptionError):
            return True
        exc = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__
        seen += 1
    return False


def _count_pages(data: bytes) -> int:
    """Pages, without parsing their content: the page tree walked up to the limit (the stated count past it)."""
    document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    walked = sum(1 for _ in itertools.islice(PDFPage.create_pages(document), MAX_PAGES + 1))
    if walked <= MAX_PAGES:
        return walked
    try:
        stated = resolve1(resolve1(document.catalog["Pages"])["Count"])
    except Exception:  # noqa: BLE001 — a damaged page tree: say "more than the limit"
        stated = None
    return stated if isinstance(stated, int) and stated > MAX_PAGES else walked


def _read_pages(pdf, subject: str) -> PdfText:
    lines: list[Line] = []
    notices, scanned_pages, unmapped, chars, total = [], [], 0, 0, len(pdf.pages)
    for page in pdf.pages:
        try:
            found, visible, missing = page_lines(page)
            scanned = not visible and bool(page.images)
        finally:
            page.close()                  # release the page's parsed objects before the next one
        unmapped += missing
        if scanned:
            scanned_pages.append(page.page_number)
        lines += _rejoin_split_row(lines, found)
        chars += sum(len(line.text) for line in found)
        if chars > MAX_CHARS and page.page_number < total:
            notices.append(f"PDF 的文字超过 {MAX_CHARS} 字，只读取了前 {page.page_number} 页（共 {total} 页）")
            break
    if not lines:
        if unmapped:
            return PdfText(error=f"{subject}中的文字无法提取（字体缺少编码信息），无法读取；"
                                 "请使用 Word 版或网页版报告，或把文字复制粘贴为文本后导入")
        return PdfText(error=subject + SCANNED)
    if scanned_pages:
        notices.append(f"PDF 第 {'、'.join(map(str, scanned_pages))} 页没有文字层（可能是扫描页），这些页的内容没有读取")
    lines = _join_runs(lines)
    return PdfText([line.text for line in lines], [line.page for line in lines], notices)


def _rejoin_split_row(before: list[Line], page: list[Line]) -> list[Line]:
    """A table row a page break split in two (a wrapped label continues on the next page) becomes one row again.

    Both halves are cut by the break and have the same cells; the page's lines are returned without the second half.
    """
    last = before[-1] if before else None
    first = next((i for i, line in enumerate(page) if not line.prose), None)
    if last is None or first is None or not (last.cut_bottom and page[first].cut_top):
        return page
    upper, lower = last.cells, page[first].cells
    if len(upper) != len(lower) or any(abs(a[0] - b[0]) > 2 or abs(a[1] - b[1]) > 2 for a, b in zip(upper, lower)):
        return page
    last.cells = [(a[0], a[1], join_pieces(a[2], b[2])) for a, b in zip(upper, lower)]
    last.text = CELL_SEPARATOR.join(text for _, _, text in last.cells)
    last.cut_bottom = page[first].cut_bottom
    return page[:first] + page[first + 1:]


# ---------------------------------------------------------------------------------------------
# Running text: a line that reaches the right margin continues on the next line

_OPENS_PARAGRAPH = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d)"
                              r"|第[一二三四五六七八九十百\d]+[章节条部])")
_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^，。；：,;:]{0,20}(?:情况|事项)$")


def _join_runs(lines: list[Line]) -> list[Line]:
    """Lines of one paragraph joined: the break at the margin is no text (公开信息7 / 1条 → 公开信息71条)."""
    margins = _margins(lines)
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, line, margins):
            prev.text += (" " if _latin(prev.text[-1]) and _latin(line.text[0]) else "") + line.text
            # The joined line now ends where its last physical line ends; it keeps the page it starts on.
            prev.x0, prev.x1, prev.top, prev.bottom = line.x0, line.x1, line.top, line.bottom
            prev.size, prev.frame, prev.last_page = line.size, line.frame, line.page
            continue
        line.last_page = line.page
        out.append(line)
    return out


def _margins(lines: list[Line]) -> dict[tuple, tuple[float, float]]:
    """(left, right) edge of the running text on pages of each size."""
    prose = sorted((line for line in lines if line.prose), key=lambda line: line.frame)
    return {frame: (min(line.x0 for line in group), max(line.x1 for line in group))
            for frame, group in ((f, list(g)) for f, g in itertools.groupby(prose, key=lambda line: line.frame))}


def _continues(prev: Line, line: Line, margins: dict) -> bool:
    if not (prev.prose and line.prose):
        return False
    if prev.x1 < margins[prev.frame][1] - FULL_LINE_SLACK * prev.size:
        return False                      # the line ends short of the margin: its paragraph ends
    if _HEADING.match(prev.text) or _OPENS_PARAGRAPH.match(line.text):
        return False                      # a section heading, or a numbered paragraph opening
    left, right = margins[line.frame]
    if line.x0 > left + INDENT * line.size and not (_centred(prev, margins) and line.x1 < right - INDENT * line.size
                                                    and _centred(line, margins)):
        return False                      # an indented first line (a centred title's second line goes on)
    return prev.last_page != line.page or line.top - prev.bottom <= PARAGRAPH_GAP * prev.size


def _centred(line: Line, margins: dict) -> bool:
    left, right = margins[line.frame]
    return abs((line.x0 + line.x1) / 2 - (left + right) / 2) <= line.size / 2


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


if __name__ == "__main__":
    child_process.limit_self(int(sys.argv[1]), int(sys.argv[2]))
    read = read_in_process(sys.stdin.buffer.read(), bytes.fromhex(sys.argv[3]).decode("utf-8", "surrogatepass"))
    sys.stdout.buffer.write(marshal.dumps(dataclasses.asdict(read)))
