"""What SECURITY.md promises holds: the shipped Streamlit options, the limits it lists (as the code has them), the
tests it names, and a report whose XML declares entities (an external file, billion laughs) read without them."""
from __future__ import annotations

import io
import re
import tomllib
import zipfile
from pathlib import Path

from disclosure import config
from disclosure.read import old_sheets, read_pdf, read_table, report_files, report_source, zip_limits
from disclosure.store import sandbox

ROOT = Path(__file__).parent.parent
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")


def test_the_shipped_streamlit_options_expose_nothing_beyond_the_app():
    options = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = options["server"]
    assert (server["enableStaticServing"], server["enableAgentApi"]) == (False, False)
    assert (server["enableXsrfProtection"], server["enableCORS"], server["enableExpensiveMemoryStats"]) == \
        (True, True, False)
    assert server["maxUploadSize"] == config.DEFAULT_MAX_UPLOAD_MB
    assert options["browser"]["gatherUsageStats"] is False and options["client"]["showErrorDetails"] == "type"
    # a rerun message must not start a script thread beside the running one, nor each run a full collection
    assert (options["runner"]["fastReruns"], options["runner"]["postScriptGC"]) == (False, False)


def test_every_test_security_md_names_exists():
    named = set(re.findall(r"tests/[\w/]+\.py", SECURITY))
    assert named and all((ROOT / path).is_file() for path in named), sorted(p for p in named
                                                                        if not (ROOT / p).is_file())


def test_the_limits_security_md_lists_are_the_code_s():
    listed = {  # the text of the table's row -> what the code holds
        "| 50 MB |": config.DEFAULT_MAX_UPLOAD_MB == 50,
        "| 10,000 | — | `tests/test_hostile_files.py`": zip_limits.MAX_ENTRIES == 10_000,
        "| 1 GiB |": zip_limits.MAX_TOTAL == 1024 ** 3,
        "| 100 : 1 |": zip_limits.MAX_RATIO == 100,
        "| 32 MB |": zip_limits.MAX_PART == 32 * 1024 ** 2,
        "| 256 / 64 / 64 MB |": read_table.MAX_SHEET_XML == 256 * 1024 ** 2 and read_table.MAX_XLSX_MEDIA == 64 * 1024 ** 2,
        "| 16,384 |": read_table.MAX_ROW_ELEMENTS == 16_384,
        "| 64 MB | — | `tests/test_hostile_files.py`": report_source.MAX_DOCUMENT_XML == 64 * 1024 ** 2,
        "| 1,000 | — |": read_table.MAX_COLUMNS == 1_000,
        "| 25,000,000 |": read_table.MAX_CELLS == 25_000_000,
        "| 32,767 / 1,000,000 |": (read_table.MAX_CELL_CHARS, read_table.MAX_LINE_CHARS) == (32_767, 1_000_000),
        "| 200,000 / 1,000 / 5,000,000 |": (old_sheets.MAX_ROWS, old_sheets.MAX_COLUMNS, old_sheets.MAX_CELLS) ==
        (200_000, 1_000, 5_000_000),
        "| 3 GB, 120 s |": (old_sheets.CHILD_MEMORY, old_sheets.CHILD_SECONDS) == (3 * 1024 ** 3, 120),
        "| 50 MB | — | `tests/test_old_formats.py`": old_sheets.MAX_ODS_CONTENT == 50 * 1024 ** 2,
        "| 80 |": read_pdf.MAX_PAGES == 80,
        "| 2 GB, 120 s |": (read_pdf.CHILD_MEMORY, read_pdf.CHILD_SECONDS) == (2 * 1024 ** 3, 120),
        "| 5,000 characters |": sandbox.MAX_SQL_CHARS == 5_000,
        "| 2 GB, 120 s | `DISCLOSURE_READER_MEMORY_MB`": (config.reader_memory(), config.reader_seconds()) ==
        (2 * 1024 ** 3, 120),
        "| 20, then 4 |": (config.session_run_burst(), config.session_runs_per_second()) == (20, 4),
    }
    assert [text for text in listed if text not in SECURITY] == [], "rows missing from SECURITY.md"
    assert [text for text, holds in listed.items() if not holds] == [], "SECURITY.md and the code disagree"


def docx_with(document_xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", document_xml)
    return out.getvalue()


BODY = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        '<w:p><w:r><w:t>政府信息公开工作年度报告 &{entity};</w:t></w:r></w:p></w:body></w:document>')


def test_a_report_whose_xml_declares_an_external_file_never_reads_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xml = f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file://{secret}">]>' + BODY.format(entity="xxe")
    rf = report_files.read_file("外部实体.docx", docx_with(xml))
    assert "TOP-SECRET-CONTENT" not in (rf.reading.text if rf.reading else "") + (rf.error or "")


def test_a_report_whose_xml_expands_a_billion_laughs_is_read_without_expanding_them():
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE w [{laughs}]>' + BODY.format(entity="lol9")
    rf = report_files.read_file("十亿笑.docx", docx_with(xml))
    text = (rf.reading.text if rf.reading else "") + (rf.error or "")
    assert text.count("lol") < 1000, "the entities were expanded"
