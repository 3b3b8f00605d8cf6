"""The bytes of a published annual report (.txt, .docx, .html, .pdf) → one simplified-Chinese text for the report reader."""
from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree


@dataclass
class Source:
    kind: str            # "txt", "docx", "html" or "pdf"
    text: str            # the report as text: paragraphs as lines; every table row as ONE line "cell | cell | cell"
    notices: list[str]   # Chinese notes for the user, e.g. "已将繁体字转换为简体字", "文本编码为 GB18030"
    error: str = ""      # non-empty (Chinese sentence naming the file) when the bytes are not a readable report file
    line_pages: list[int] = field(default_factory=list)  # PDF: the 1-based page of each line of `text`; else empty


CELL_SEPARATOR = " | "
TRADITIONAL_NOTICE = "已将繁体字转换为简体字"

# A document.xml this large is a zip bomb or not a report (a long annual report's is a few MB); the parsed tree
# takes several times the size.
MAX_DOCUMENT_XML = 64 * 1024 * 1024
_DOCUMENT = "word/document.xml"


def load(file_name: str, data: bytes) -> Source:
    """Read one uploaded or pasted report; never raises: problems come back as `Source.error`."""
    file_name = file_name if isinstance(file_name, str) else ""
    try:
        if isinstance(data, str):           # pasted text handed over as str: treat it as UTF-8 bytes
            data = data.encode("utf-8", "surrogatepass")
        data = bytes(memoryview(data))      # bytes, bytearray, memoryview; never bytes(int)
        source = _load(file_name, data)
        if not source.error:
            source.text, changed = to_simplified(source.text)
            if changed:
                source.notices.append(TRADITIONAL_NOTICE)
            elif _converter() is None:
                source.notices.append(OPENCC_MISSING)
        return source
    except MemoryError:  # out of memory is no damaged file: isolated.py names the limit (so below)
        raise
    except Exception as exc:  # noqa: BLE001 — the contract is "never raises"; say what happened instead
        return Source(kind=kind_from_name(file_name), text="", notices=[],
                      error=f"读取{_subject(file_name)}时出错：{type(exc).__name__}: {exc}")


# ---------------------------------------------------------------------------------------------
# Traditional → simplified

# Characters opencc t2s rewrites although simplified texts use them legitimately (乾县, 乾安县, 姓於,
# 慰藉, 宫商角徵羽, 夥 "many"): on their own they do not make a text traditional.
_ALSO_SIMPLIFIED = frozenset("乾於藉徵夥蒐")


OPENCC_MISSING = ("没有安装繁简转换库 opencc，繁体字没有转换为简体字，繁体报告的栏目可能读不出；请在项目目录运行 "
                  ".venv/bin/python -m pip install -r requirements.txt 后重启仪表盘")


@lru_cache(maxsize=1)
def _converter():
    try:
        import opencc
    except ImportError:  # said on every report read (OPENCC_MISSING), never silent
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> tuple[str, bool]:
    """(converted text, whether anything changed), via opencc "t2s".

    Only a text that contains at least one unambiguously traditional character is converted: t2s
    also rewrites a few characters that simplified texts use (乾县 → 干县), and a simplified report
    must come back unchanged.
    """
    converter = _converter()
    if converter is None or not isinstance(text, str) or not text:
        return text, False
    try:
        converted = converter.convert(text)
        traditional = {ch for ch in set(text) if ord(ch) >= 0x3400 and converter.convert(ch) != ch}
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 — e.g. lone surrogates opencc cannot encode: leave the text as it is
        return text, False
    if converted == text:
        return text, False
    if not traditional - _ALSO_SIMPLIFIED:
        return text, False
    return converted, True


# ---------------------------------------------------------------------------------------------
# Dispatch: by content first, by extension second

def _load(file_name: str, data: bytes) -> Source:
    kind = kind_from_name(file_name)
    subject = _subject(file_name)
    if not data.strip():
        return Source(kind, "", [], f"{subject}是空的")

    if b"%PDF-" in data[:1024]:             # readers accept junk before the PDF header
        return _load_pdf(data, subject)
    old_word_name = file_name.lower().endswith(OLD_WORD_SUFFIXES)
    refusal = _binary_refusal(data, subject, old_word_name)
    if refusal:
        return Source(kind, "", [], refusal)
    if data[:4] in _ZIP_SIGNATURES:
        return _load_docx(data, subject, file_name or "（粘贴的文本）")

    head = _sniff_head(data)
    if _looks_like_html(head) or (kind == "html" and re.search(r"<[a-zA-Z!/]", head)):
        # A tag-less .html file is plain text: parsing it as HTML would fold its line layout away.
        return _load_html(data, subject)
    source = _load_txt(data, subject)
    if source.error and old_word_name:  # a .doc/.wps that is neither HTML nor text: some Word or WPS binary format
        return Source(kind, "", [], old_word_refusal(subject))
    return source


def _subject(file_name: str) -> str:
    return f"文件 {file_name} " if file_name else "粘贴的文本"


def kind_from_name(file_name: str) -> str:
    lower = file_name.lower()
    if lower.endswith((".docx", ".docm", ".doc", ".wps")):
        return "docx"
    if lower.endswith((".html", ".htm", ".xhtml", ".shtml")):
        return "html"
    if lower.endswith(".pdf"):
        return "pdf"
    return "txt"


def _not_a_report(subject: str, what: str = "") -> str:
    if what:
        return f"{subject}是{what}，不是文本、Word、PDF 或网页格式的报告"
    return f"{subject}不是文本、Word、PDF 或网页格式的报告"


_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # .docx is a zip package

# (signature at offset 0, what it is) — files users plausibly pick by mistake.
_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "图片（PNG）"),
    (b"\xff\xd8\xff", "图片（JPEG）"),
    (b"GIF87a", "图片（GIF）"),
    (b"GIF89a", "图片（GIF）"),
    (b"II*\x00", "图片（TIFF）"),
    (b"MM\x00*", "图片（TIFF）"),
    (b"{\\rtf", "RTF 文档"),
    (b"\x1f\x8b", "压缩文件（gzip）"),
    (b"Rar!", "压缩文件（RAR）"),
    (b"7z\xbc\xaf\x27\x1c", "压缩文件（7z）"),
]


OLD_WORD_SUFFIXES = (".doc", ".wps")  # Word 97–2003 and WPS 文字's binary formats
SAVE_AS_DOCX = "需要另存为 .docx：请在 Word 或 WPS 中打开，「文件 → 另存为」，选择「Word 文档 (*.docx)」，再上传"


def old_word_refusal(subject: str) -> str:
    """What to do with a Word 97–2003 (.doc) or WPS 文字 (.wps) file, which no reader here understands."""
    return f"{subject}是 Word 97–2003（.doc）或 WPS 文字（.wps）的旧格式，无法直接读取，{SAVE_AS_DOCX}"


def _ole_refusal(data: bytes, subject: str, old_word_name: bool) -> str:
    """An OLE compound file, by the streams it holds: a Word or WPS document, a spreadsheet, or an encrypted
    .docx/.xlsx (which travels inside one)."""
    from disclosure.read.old_sheets import ole_kind  # a small module; the spreadsheet reader runs only for tables

    kind = ole_kind(data)
    if kind == "word" or old_word_name:
        return old_word_refusal(subject)
    if kind == "encrypted":
        return f"{subject}设置了打开密码，无法读取；请在 Word 或 WPS 中打开，取消密码后另存为 .docx 再上传"
    if kind == "xls":
        return f"{subject}是 Excel 或 WPS 表格（.xls/.et），不是报告；表格请在「数据上传」页上传"
    return f"{subject}是旧版 Office 文件或已损坏，无法直接读取，{SAVE_AS_DOCX}"


def _binary_refusal(data: bytes, subject: str, old_word_name: bool) -> str:
    """A Chinese refusal for files that are recognisably not a text, Word, PDF or web-page report."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_refusal(data, subject, old_word_name)
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            if what == "RTF 文档":
                return f"{subject}是 RTF 文档，无法直接读取；请在 Word 或 WPS 中另存为 .docx 后再上传"
            return _not_a_report(subject, what)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _not_a_report(subject, "图片（WEBP）")
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        return _not_a_report(subject, "图片（BMP）")
    if data[4:8] == b"ftyp":
        return _not_a_report(subject, "图片或视频")
    return ""


# ---------------------------------------------------------------------------------------------
# PDF: the text layer, laid out as a Word file would be read (disclosure/read/read_pdf.py)

def _load_pdf(data: bytes, subject: str) -> Source:
    from disclosure.read.read_pdf import read_pdf  # read_pdf builds on this module; only PDFs need pdfplumber

    pdf = read_pdf(data, subject)
    if pdf.error:
        return Source("pdf", "", pdf.notices, pdf.error)
    return Source("pdf", "\n".join(pdf.lines), pdf.notices, line_pages=pdf.pages)


# ---------------------------------------------------------------------------------------------
# Plain text: keep the layout exactly; the reader depends on tabs, blank lines, pipes and spaces

_BOMS = [  # longest first: the UTF-32 LE BOM begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", ""),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]


def _split_bom(data: bytes) -> tuple[bytes, str, str]:
    """(bytes after the BOM, codec, label for the notice) — codec "" when there is no BOM."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return data[len(bom):], codec, label
    return data, "", ""


def _load_txt(data: bytes, subject: str) -> Source:
    text, notices, error = _decode_text(data, subject)
    if error:
        return Source("txt", "", notices, error)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Source("txt", "", notices, f"{subject}是空的")
    return Source("txt", text, notices)


def _decode_text(data: bytes, subject: str) -> tuple[str, list[str], str]:
    """(text, notices, error): UTF-8 (± BOM), UTF-16/32 with BOM, else GB18030, all strict."""
    body, codec, label = _split_bom(data)
    if codec:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError as exc:
            return "", [], _undecodable(subject, body, exc.start, codec, label)
        notices = [f"文本编码为 {label}"] if label else []
        return _refuse_binary_text(text, notices, subject)

    if b"\x00" in data:
        # UTF-16 without a BOM is vanishingly rare for reports; NUL bytes mean a binary file.
        return "", [], _not_a_report(subject, "二进制文件")
    try:
        return _refuse_binary_text(data.decode("utf-8"), [], subject)
    except UnicodeDecodeError as utf8_error:
        if _damaged_utf8(data):
            # Mostly valid UTF-8 with a few broken bytes: GB18030 would "succeed" with mojibake.
            return "", [], _undecodable(subject, data, utf8_error.start, "utf-8", "UTF-8")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        return "", [], _undecodable(subject, data, exc.start, "gb18030", "")
    return _refuse_binary_text(text, ["文本编码为 GB18030"], subject)


def _damaged_utf8(data: bytes) -> bool:
    """Whether bytes that fail to decode as UTF-8 are nonetheless mostly UTF-8 (a few bad bytes)."""
    decoded = data.decode("utf-8", "replace")
    bad = decoded.count("\ufffd")
    good = sum(1 for ch in decoded if ord(ch) > 0x7F and ch != "\ufffd")
    # GB18030 Chinese text almost never forms valid multi-byte UTF-8, so it has bad >> good.
    return good >= 10 * bad


def _undecodable(subject: str, data: bytes, position: int, codec: str, label: str) -> str:
    line = data[:position].decode(codec or "gb18030", "replace").count("\n") + 1
    if label:
        return (f"{subject}第 {line} 行（第 {position + 1} 个字节）有无法按 {label} 解码的字节，"
                "文件可能已损坏；请重新另存为 UTF-8 编码的文本后再上传")
    return (f"{subject}第 {line} 行（第 {position + 1} 个字节）有无法识别的字节：它既不是 UTF-8 "
            "也不是 GB18030（GBK）编码的文本；请另存为 UTF-8 编码的文本后再上传")


def _refuse_binary_text(text: str, notices: list[str], subject: str) -> tuple[str, list[str], str]:
    """Decoding "succeeded" on a binary file when control or private-use characters abound."""
    if text.startswith("\ufeff"):
        text = text[1:]
    odd = sum(1 for ch in text if _is_odd(ch))
    if text and odd > len(text) / 100:
        return "", notices, _not_a_report(subject)
    return text, notices, ""


def _is_odd(ch: str) -> bool:
    if ch in "\t\n\r\x0b\x0c":
        return False
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")


# ---------------------------------------------------------------------------------------------
# Word (.docx): body in order, paragraphs as lines, each table row as one "a | b | c" line

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


W_P, W_R, W_T, W_TBL, W_TC = _w("p"), _w("r"), _w("t"), _w("tbl"), _w("tc")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
W_DEL, W_MOVE_FROM, W_TXBX = _w("del"), _w("moveFrom"), _w("txbxContent")
W_VAL = _w("val")
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=_NS)
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=_NS)
_NESTED_TABLES = etree.XPath(".//w:tc//w:tbl", namespaces=_NS)
_CELL_PARAGRAPHS = etree.XPath(".//w:p", namespaces=_NS)
_MERGE_PROPS = etree.XPath("./w:tcPr/w:vMerge | ./w:tcPr/w:hMerge", namespaces=_NS)
_RUN_TEXT = {_w("t"): None, _w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n",
             _w("noBreakHyphen"): "-"}

_WORD_ARTEFACTS = re.compile(r"\[bookmark: [^\]\n]*\]")


def _not_docx(subject: str) -> str:
    return f"{subject}不是可读取的 Word 文档（.docx）；旧版 .doc 请另存为 .docx"


def _load_docx(data: bytes, subject: str, file: str) -> Source:
    """Only the body part is inflated: pictures and other parts are never read, and the package is measured from
    its directory first (zip_limits)."""
    from disclosure.read import zip_limits

    try:
        archive = zip_limits.open_checked(file, data, "Word 文档",
                                          lambda name: MAX_DOCUMENT_XML if name == _DOCUMENT else None,
                                          {_DOCUMENT: "正文（word/document.xml）"})
        names = set(archive.namelist())
    except zip_limits.Refused as exc:
        return Source("docx", "", [], str(exc))
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 — BadZipFile, truncated archives, bad headers …
        return Source("docx", "", [], _not_docx(subject))
    with archive:
        if _DOCUMENT not in names:
            if "OFD.xml" in names:
                return Source("docx", "", [], f"{subject}是 OFD 版式文件，暂不支持；请复制其中文字，粘贴为文本后再导入")
            return Source("docx", "", [], _not_docx(subject))
        try:
            body = _docx_body(archive, file)
        except zip_limits.Refused as exc:
            return Source("docx", "", [], str(exc))
    if body is None:
        return Source("docx", "", [], _not_docx(subject))
    lines: list[str] = []
    _docx_blocks(body, lines)
    text = _WORD_ARTEFACTS.sub("", "\n".join(lines))
    if not text.strip():
        return Source("docx", "", [], f"{subject}中没有文字")
    return Source("docx", text, [])


def _docx_body(archive: zipfile.ZipFile, file: str):
    """The w:body element of word/document.xml, parsed as python-docx parses it (blank text dropped, no entities,
    no network) from a stream that stops at MAX_DOCUMENT_XML whatever the zip directory says. python-docx itself is
    not used: it loads every part of the package, pictures included."""
    from disclosure.read import zip_limits

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    try:
        with zip_limits.open_part(archive, _DOCUMENT, file, MAX_DOCUMENT_XML) as src:
            root = etree.parse(src, parser).getroot()
    except zip_limits.Refused:
        raise
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 — damaged XML, a bad CRC, a truncated part
        return None
    return root.find(_w("body"))


def _docx_blocks(container, lines: list[str]) -> None:
    """Paragraphs and tables of a body (or of a layout-table cell) in reading order."""
    for child in container:
        tag = child.tag
        if tag == W_P:
            # Soft line breaks split a paragraph into lines; empty paragraphs carry nothing.
            lines.extend(line for line in _docx_paragraph_text(child).split("\n") if line.strip())
        elif tag == W_TBL:
            _docx_table(child, lines)
        elif tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                _docx_blocks(content, lines)
        elif tag == W_CUSTOM_XML:
            _docx_blocks(child, lines)


def _docx_table(table, lines: list[str]) -> None:
    """One line per row; each physical w:tc once, so a gridSpan-merged cell appears once.

    Reading w:tc elements directly (rather than python-docx's grid, which repeats a merged cell in
    every grid column it covers) keeps merged labels single and shows vertical merges.
    """
    if _NESTED_TABLES(table):
        # A table holding tables is page layout, not a form: read its cells as ordinary blocks.
        for row in _ROWS(table):
            for cell in _CELLS(row):
                _docx_blocks(cell, lines)
        return
    for row in _ROWS(table):
        cells = []
        for cell in _CELLS(row):
            merge = _merge_state(cell)
            if merge == "h-continue":          # legacy w:hMerge: the cell to the left already holds it
                continue
            # A vertical-merge continuation keeps its place in the row but does not repeat the label.
            cells.append("" if merge == "v-continue" else _docx_cell_text(cell))
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells))


def _merge_state(cell) -> str:
    for prop in _MERGE_PROPS(cell):
        if prop.get(W_VAL) != "restart":       # absent val means "continue"
            return "v-continue" if prop.tag == _w("vMerge") else "h-continue"
    return ""


def _docx_cell_text(cell) -> str:
    pieces: list[str] = []
    for paragraph in _CELL_PARAGRAPHS(cell):
        pieces.extend(_docx_paragraph_text(paragraph).split("\n"))
    return _join_cell_pieces(pieces)


def _docx_paragraph_text(paragraph) -> str:
    """Visible text of a paragraph's own runs, including runs in hyperlinks, insertions and fields."""
    parts = []
    for run in paragraph.iter(W_R):
        if not _run_belongs(run, paragraph) or _hidden(run):
            continue
        for child in run:
            if child.tag in _RUN_TEXT:
                parts.append(_RUN_TEXT[child.tag] or child.text or "")
    return "".join(parts)


def _run_belongs(run, paragraph) -> bool:
    """False for deleted text (tracked changes) and for runs of text boxes anchored in the paragraph."""
    node = run.getparent()
    while node is not None and node is not paragraph:
        if node.tag in (W_P, W_DEL, W_MOVE_FROM, W_TXBX):
            return False
        node = node.getparent()
    return node is paragraph


def _hidden(run) -> bool:
    props = run.find(_w("rPr"))
    vanish = props.find(_w("vanish")) if props is not None else None
    return vanish is not None and vanish.get(W_VAL, "true") not in ("0", "false", "off")


def _join_cell_pieces(pieces: list[str]) -> str:
    """A cell's lines joined without a separator: Word and web pages wrap labels (本年新 / 制作数量).

    Whitespace runs inside a piece collapse to one space. Two pieces that would glue digits or
    Latin letters together ("12" / "3") keep a space: a wrong number is worse than a split label.
    """
    out = ""
    for piece in pieces:
        piece = " ".join(piece.split())
        if not piece:
            continue
        if out and _word_char(out[-1]) and _word_char(piece[0]):
            out += " "
        out += piece
    return out


def _word_char(ch: str) -> bool:
    return ch.isdigit() or (ch.isascii() and ch.isalpha())


# ---------------------------------------------------------------------------------------------
# Web pages (.html): text in reading order, each row of a form table as one "a | b | c" line

_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(r"<(?:html|head|body|meta|title|table|tbody|tr|td|p|div)[\s>/]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096

# Sites declare GB2312 but use GBK characters; GB18030 is the superset that reads them all.
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
                    "cp936": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "utf8": "utf-8"}

_SKIP = {"script", "style", "noscript", "head", "template", "nav", "select", "iframe", "object",
         "embed", "svg", "math"}
_BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
          "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
          "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "ol", "p", "section",
          "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}


def _sniff_head(data: bytes) -> str:
    """The start of the file as text, good enough to look for ASCII tags."""
    body, codec, _ = _split_bom(data[:_SNIFF_BYTES])
    return body.decode(codec or "latin-1", "ignore")


def _looks_like_html(head: str) -> bool:
    return bool(_HTML_START.match(head) or _HTML_TAGS.search(head))


def _load_html(data: bytes, subject: str) -> Source:
    text, notices, error = _decode_html(data, subject)
    if error:
        return Source("html", "", notices, error)
    # Explicit UTF-8 to lxml: the page's own (possibly stale) meta charset must not win again.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text.replace("\x00", "").encode("utf-8", "replace"), parser)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 — lxml: "Document is empty" and the like
        root = None
    lines = _HtmlText().read(root) if root is not None else []
    text = _WORD_ARTEFACTS.sub("", "\n".join(lines))
    if not text.strip():
        return Source("html", "", notices, f"{subject}中没有正文文字")
    return Source("html", text, notices)


def _decode_html(data: bytes, subject: str) -> tuple[str, list[str], str]:
    """BOM; else valid UTF-8; else the declared charset; else GB18030; else the best lossy reading."""
    body, codec, label = _split_bom(data)
    if codec:
        text = body.decode(codec, "replace")
        return _refuse_binary_text(text, [f"文本编码为 {label}"] if label else [], subject)
    if b"\x00" in data:
        return "", [], _not_a_report(subject, "二进制文件")
    declared = _declared_charset(data)
    # Valid UTF-8 with real multi-byte text wins over a declared charset: saved or re-served pages
    # keep a stale <meta charset=gb2312>, while GBK text is essentially never valid UTF-8.
    try:
        text = data.decode("utf-8")
        if declared in ("", "utf-8") or sum(1 for ch in text if ord(ch) > 0x7F) >= 4:
            return _refuse_binary_text(text, [], subject)
    except UnicodeDecodeError:
        pass
    for candidate in dict.fromkeys([declared, "utf-8", "gb18030"]):
        if not candidate:
            continue
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return _refuse_binary_text(text, _encoding_notice(candidate), subject)
    # Browsers show such pages anyway; so do we, and say so.
    fallback = declared or "gb18030"
    text = data.decode(fallback, "replace")
    notices = _encoding_notice(fallback) + [f"网页中有 {text.count(chr(0xFFFD))} 处无法识别的字符，已显示为 �"]
    return _refuse_binary_text(text, notices, subject)


def _declared_charset(data: bytes) -> str:
    head = data[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return ""
    name = match.group(1).decode("ascii", "ignore").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return ""
    # A page cannot really be UTF-16 without a BOM; such a declaration is a leftover.
    return "" if codec.startswith(("utf-16", "utf-32")) else ("utf-8" if codec == "utf-8" else name)


def _encoding_notice(codec: str) -> list[str]:
    if codec in ("", "utf-8"):
        return []
    if codec == "gb18030":
        return ["文本编码为 GB18030"]
    if codec.startswith("big5"):
        return ["文本编码为 Big5"]
    return [f"文本编码为 {codec.upper()}"]


class _HtmlText:
    """Lines of a parsed page: block elements and <br> break lines; form tables become row lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buffer: list[str] = []

    def read(self, element) -> list[str]:
        self._walk(element)
        self._flush()
        return self.lines

    def read_children(self, element) -> list[str]:
        """Lines of an element's content without the element itself (a table cell)."""
        self._add(element.text)
        for child in element:
            self._walk(child)
            self._add(child.tail)
        self._flush()
        return self.lines

    def _add(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def _flush(self) -> None:
        # HTML whitespace is not layout: any run (including &nbsp; and 全角空格) is one space.
        line = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if line:
            self.lines.append(line)

    def _walk(self, element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIP:          # comments, processing instructions, page furniture
            return
        if tag == "br":
            self._flush()
            return
        if tag == "pre":
            # Preformatted text is laid out like a .txt file: keep its lines as they are.
            self._flush()
            text = "".join(element.itertext()).replace("\r\n", "\n").replace("\r", "\n")
            self.lines.extend(line for line in text.split("\n") if line.strip())
            return
        if tag == "table" and not element.xpath(".//table"):
            self._flush()
            self._table(element)
            return
        block = tag in _BLOCK                 # a table holding tables is layout: plain blocks
        if block:
            self._flush()
        self._add(element.text)
        for child in element:
            self._walk(child)
            self._add(child.tail)
        if block:
            self._flush()

    def _table(self, table) -> None:
        """One line per <tr>; a colspan cell appears once, a rowspan cell only in its first row."""
        for child in table:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag == "caption":
                self.lines.extend(_HtmlText().read_children(child))
            elif tag in ("thead", "tbody", "tfoot"):
                self._rows(child)
            elif tag == "tr":
                self._rows_of([child])

    def _rows(self, group) -> None:
        self._rows_of([row for row in group if isinstance(row.tag, str) and row.tag.lower() == "tr"])

    def _rows_of(self, rows) -> None:
        for row in rows:
            cells = [_join_cell_pieces(_HtmlText().read_children(cell))
                     for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
            if any(cells):
                self.lines.append(CELL_SEPARATOR.join(cells))
