"""The report import page under AppTest: a report read → shown as the form → corrected or accepted → committed."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.present import form_view
from disclosure.store import db

ROOT = Path(__file__).parent.parent
PAGE = "pages/import_report.py"
SEED = ROOT / "data" / "samples" / "haiqing-2020.txt"
DROPPED = ROOT / "tests" / "data" / "reports" / "021.txt"  # 驼峰路街道 2020: two section-三 rows with their empty cells dropped
REGION = "示例省/示例市/示例县"
S3_HEADERS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


# --- helpers ---------------------------------------------------------------------------------------------------

def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def page() -> AppTest:
    return run(AppTest.from_file(str(ROOT / PAGE), default_timeout=60))


def upload(at: AppTest, *files: tuple[str, bytes], nonce: int = 0) -> AppTest:
    at.file_uploader(key="import_report_file").set_value([(name, data, "application/octet-stream")
                                                         for name, data in files])
    return run(at)


def with_region(at: AppTest, i: int = 0) -> AppTest:
    """The region chosen as a web user does: a known one by name, a new one through 「新地区…」 and its path."""
    pick = at.selectbox(key=f"import_parent_{i}")
    if REGION in pick.options:
        pick.set_value(REGION)
        return run(at)
    pick.set_value("新地区…")
    run(at)
    at.text_input(key=f"import_new_parent_{i}").input(REGION)
    return run(at)


def confirm(at: AppTest):
    return at.button(key="import_report_commit")


def commit(at: AppTest) -> AppTest:
    assert not confirm(at).disabled
    confirm(at).click()
    return run(at)


def issues(at: AppTest) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if "代码" in d.value.columns and "级别" in d.value.columns]
    assert len(found) <= 1
    return found[0] if found else pd.DataFrame(columns=["级别", "代码", "问题", "列"])


def errors(at: AppTest) -> pd.DataFrame:
    found = issues(at)
    return found[found["级别"] == "错误"]


def editor(at: AppTest, section: str, i: int = 0) -> pd.DataFrame:
    return at.data_editor(key=f"import_{section}_{i}").value


def query(db_file: Path, statement: str) -> pd.DataFrame:
    con = db.connect(db_file)
    try:
        return con.execute(statement).df()
    finally:
        con.close()


def stored_reports(db_file: Path) -> pd.DataFrame:
    return query(db_file, """
        select a.name as agency, rp.year, rp.version, rp.status, s.file_name, s.kind, s.content,
               (select count(*) from facts as f where f.report_id = rp.id) as facts
        from reports as rp
        join agencies as a on a.id = rp.agency_id
        join sources as s on s.id = rp.source_id
        order by rp.id""")


def seed_text(label: str, value: str, nth: int = 0) -> str:
    """The seed report's text with the nth value (all are 0) after a row label replaced."""
    text = SEED.read_text(encoding="utf-8")
    at = text.index(label) + len(label)
    for _ in range(nth + 1):
        at = text.index("\t0\n", at) + 1
    return text[:at] + value + text[at + 1:]


def docx_report() -> bytes:
    """A 2021 report as a Word file: title, section 一 prose, and the tables of sections 二 to 四."""
    d = docx.Document()
    d.add_paragraph("测试镇2021年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("2021年，我镇共主动公开政府信息120条，其中政府网站公开80条，微信公众号公开40条。")
    d.add_paragraph("二、主动公开政府信息情况")
    add_table(d, [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                  ["规章", "0", "0", "0"], ["行政规范性文件", "2", "1", "5"],
                  ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", "12"],
                  ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", "3"], ["行政强制", "0"],
                  ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "0.5"]])
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    granted = ("本年新收", "予以公开", "（七）总计")
    add_table(d, [["申请人情况", *S3_HEADERS]] + [
        [label, *(["2", "0", "0", "0", "0", "0", "2"] if any(w in label for w in granted) else ["0"] * 7)]
        for label in form_view.section_three({}, "2021").index])
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    add_table(d, [["行政复议", "", "", "", "", "行政诉讼"], ["0"] * 15])
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def add_table(d, rows: list[list[str]]) -> None:
    table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text


# --- tests -----------------------------------------------------------------------------------------------------

def test_page_without_a_report_explains_itself(db_file):
    at = page()
    assert at.title.values == ["报告导入"]
    assert any("核对、补填后确认" in i.value for i in at.info)
    assert not at.data_editor and not at.button


@pytest.mark.slow
def test_seed_report_is_shown_as_the_form_and_committed(db_file):
    at = upload(page(), (SEED.name, SEED.read_bytes()))

    assert at.text_input(key="import_agency_0").value == "海青乡"
    assert at.number_input(key="import_year_0").value == 2020
    assert at.selectbox(key="import_version_0").value == "2019"
    assert at.selectbox(key="import_kind_0").value == "乡"
    assert editor(at, "s1")["数量"].tolist() == [71, 43, 28]
    assert (editor(at, "s3")[S3_HEADERS] == 0).all().all()
    assert editor(at, "s3").shape == (23, 7)
    assert editor(at, "s2").at["政府集中采购", "采购总金额"] == 0
    assert any("全乡一共公开信息71条" in c.value for c in at.code), "the source text beside the form"

    assert errors(at)["代码"].tolist() == ["missing-region"]
    assert confirm(at).disabled
    assert stored_reports(db_file).empty

    commit(with_region(at))
    assert any(s.value.startswith("已写入批次 1") for s in at.success)
    stored = stored_reports(db_file)
    assert stored[["agency", "year", "version", "status", "kind", "facts"]].values.tolist() == [
        ["海青乡", 2020, "2019", "current", "txt", 201]]
    assert bytes(stored["content"].iloc[0]) == SEED.read_bytes()
    assert query(db_file, "select via from batches")["via"].tolist() == ["报告导入"]
    assert not at.data_editor, "the committed file is set aside"

    upload(at, (SEED.name, SEED.read_bytes()), nonce=1)
    assert any("与已存数据相同" in i.value for i in at.info)
    assert confirm(at).disabled


@pytest.mark.slow
def test_changed_report_replaces_the_stored_one_only_when_asked(db_file):
    commit(with_region(upload(page(), (SEED.name, SEED.read_bytes()))))
    at = upload(page(), ("haiqing-2020-v2.txt", seed_text("行政许可", "5", nth=2).encode("utf-8")))

    assert errors(at)["代码"].tolist() == ["already-stored"]
    assert at.selectbox(key="import_parent_0").value is None, "a known agency needs no region"
    diff = next(d.value for d in at.dataframe if "已存" in d.value.columns)
    assert diff[["已存", "新文件"]].values.tolist() == [["0", "5"]]
    at.checkbox(key="import_replace").check()
    run(at)
    at.text_input(key="import_reason").input("更正行政许可处理决定数")
    run(at)
    commit(at)
    stored = stored_reports(db_file)
    assert stored[["status", "file_name"]].values.tolist() == [["replaced", SEED.name],
                                                               ["current", "haiqing-2020-v2.txt"]]


@pytest.mark.slow
def test_dropped_cells_block_until_a_partial_report_is_accepted(db_file):
    at = with_region(upload(page(), (DROPPED.name, DROPPED.read_bytes())))

    unresolved = errors(at).query("代码 == 'unresolved-cell'")
    assert len(unresolved) == 14, "each unresolved cell listed once"
    assert set(unresolved["列"]) == {f"三 {r} {c}" for r in ("本年新收", "上年结转") for c in S3_HEADERS}
    assert any("本年新收 自然人" in m and "空白单元格被省略" in m for m in unresolved["问题"])
    assert editor(at, "s3").loc["一、本年新收政府信息公开申请数量"].isna().all()
    marked = next(d.value for d in at.dataframe if d.editing_mode == "read_only" and "自然人" in d.value.columns)
    assert marked.index.tolist() == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"]
    assert (marked == "？").all().all(), "the rows to check, their cells marked"
    assert confirm(at).disabled
    assert any("还有 14 个错误" in e.value for e in at.error)

    at.checkbox(key="import_partial_0").check()
    run(at)
    assert errors(at).empty
    commit(at)
    stored = stored_reports(db_file)
    assert stored[["agency", "year", "facts"]].values.tolist() == [["驼峰路街道办事处", 2020, 22]]
    recorded = query(db_file, "select severity from report_issues where code = 'unresolved-cell'")
    assert recorded["severity"].tolist() == ["warning"] * 14


@pytest.mark.slow
def test_dropped_cells_can_be_typed_into_the_form(db_file):
    at = with_region(upload(page(), (DROPPED.name, DROPPED.read_bytes())))
    zeros = {c: 0 for c in S3_HEADERS}
    at.session_state["import_s3_0"] = {"edited_rows": {0: zeros, 1: zeros}, "added_rows": [], "deleted_rows": []}
    run(at)

    assert errors(at).empty
    commit(at)
    facts = query(db_file, "select origin, count(*) as n from facts group by origin order by origin")
    assert facts.values.tolist() == [["corrected", 14], ["file", 22]]


@pytest.mark.slow
def test_arithmetic_error_needs_acceptance(db_file):
    text = seed_text("一、本年新收政府信息公开申请数量", "1")  # one application too many: R1 and R2 break
    at = with_region(upload(page(), ("r1.txt", text.encode("utf-8"))))

    assert set(errors(at)["代码"]) == {"r1-balance", "r2-row-total"}
    assert confirm(at).disabled
    accept = at.checkbox(key="import_accept_0")
    assert "接受 2 个勾稽关系错误" in accept.label
    accept.check()
    run(at)
    assert not confirm(at).disabled

    commit(at)
    recorded = query(db_file, "select code, accepted_by from report_issues where rule in ('R1', 'R2') order by code")
    assert recorded["code"].tolist() == ["r1-balance", "r2-row-total"]
    assert recorded["accepted_by"].notna().all()


@pytest.mark.slow
def test_suggested_values_are_stored_only_when_accepted(db_file):
    text = seed_text("一、本年新收政府信息公开申请数量", "/", nth=6)  # 总计 left blank: the row's parts make it 0
    at = with_region(upload(page(), ("blank.txt", text.encode("utf-8"))))

    assert pd.isna(editor(at, "s3").at["一、本年新收政府信息公开申请数量", "总计"])
    assert errors(at).empty
    marked = next(d.value for d in at.dataframe if d.editing_mode == "read_only" and "总计" in d.value.columns)
    assert marked.at["一、本年新收政府信息公开申请数量", "总计"] == "建议 0"
    at.checkbox(key="import_suggest_0").check()
    run(at)
    commit(at)
    facts = query(db_file, "select origin, count(*) as n from facts group by origin order by origin")
    assert facts.values.tolist() == [["file", 200], ["suggested", 1]]


@pytest.mark.slow
def test_narrative_that_contradicts_the_table_is_shown_beside_it(db_file):
    text = SEED.read_text(encoding="utf-8").replace(
        "二、主动公开政府信息情况", "本年度共收到政府信息公开申请3件。\n二、主动公开政府信息情况", 1)
    at = with_region(upload(page(), ("t1.txt", text.encode("utf-8"))))

    assert any("正文与表格不一致" in w.value and "本年新收 总计为 3，表格中为 0" in w.value for w in at.warning)
    assert not any("本年新收 总计为 3" in i.value for i in at.info), "shown once, as a mismatch"
    t1 = issues(at).query("代码 == 't1-narrative-mismatch'")
    assert t1["级别"].tolist() == ["警告"]
    assert not confirm(at).disabled, "a warning never blocks"


@pytest.mark.slow
def test_generated_docx_imports(db_file):
    at = with_region(upload(page(), ("测试镇2021年报.docx", docx_report())))

    assert at.text_input(key="import_agency_0").value == "测试镇"
    assert at.number_input(key="import_year_0").value == 2021
    assert at.selectbox(key="import_version_0").value == "2021"
    assert editor(at, "s2").at["行政事业性收费", "本年收费金额（单位：万元）"] == 0.5
    assert editor(at, "s3").at["一、本年新收政府信息公开申请数量", "总计"] == 2
    assert editor(at, "s1")["数量"].tolist() == [120, 80, 40]
    assert errors(at).empty

    commit(at)
    stored = stored_reports(db_file)
    assert stored[["agency", "year", "version", "kind"]].values.tolist() == [["测试镇", 2021, "2021", "docx"]]
    assert stored["facts"].iloc[0] == 3 + 10 + 175 + 15


@pytest.mark.slow
def test_pasted_text_imports_and_the_box_empties(db_file):
    at = page()
    at.text_area(key="import_report_text").input(SEED.read_text(encoding="utf-8"))
    run(at)
    assert at.text_input(key="import_agency_0").value == "海青乡"

    commit(with_region(at))
    stored = stored_reports(db_file)
    assert stored[["agency", "file_name", "kind", "facts"]].values.tolist() == [["海青乡", "粘贴的报告.txt", "txt", 201]]
    assert at.text_area(key="import_report_text").value == ""


@pytest.mark.slow
def test_identification_can_be_corrected(db_file):
    at = with_region(upload(page(), (SEED.name, SEED.read_bytes())))
    at.text_input(key="import_agency_0").input("海青乡人民政府")
    at.number_input(key="import_year_0").set_value(2021)
    run(at)
    commit(at)
    stored = stored_reports(db_file)
    assert stored[["agency", "year", "version"]].values.tolist() == [["海青乡人民政府", 2021, "2019"]]


@pytest.mark.slow
def test_form_version_can_be_chosen_when_the_text_shows_none(db_file):
    text = SEED.read_text(encoding="utf-8")
    # sections 二 and 三 cut: section 四's cells are in both versions, so nothing tells the version
    text = text[:text.index("二、主动公开政府信息情况")] + text[text.index("四、政府信息公开行政复议"):]
    at = with_region(upload(page(), ("无表头.txt", text.encode("utf-8"))))

    assert at.selectbox(key="import_version_0").value is None
    assert any("表格版本需要人工指定" in i.value for i in at.info)
    assert [e.key for e in at.data_editor] == ["import_s1_0", "import_s4_0"]
    assert errors(at)["代码"].tolist() == ["missing-version"]

    at.selectbox(key="import_version_0").set_value("2019")
    run(at)
    assert [e.key for e in at.data_editor] == [f"import_{s}_0" for s in form_view.SECTIONS]
    assert editor(at, "s4").at["行政复议", "总计"] == 0
    assert errors(at).empty
    commit(at)
    assert stored_reports(db_file)[["version", "facts"]].values.tolist() == [["2019", 3 + 15]]


@pytest.mark.parametrize("name, data, says, code", [
    ("照片.docx", PNG, "是图片", "unreadable-report"),
    ("小说.txt", "第一章\n那年夏天，他第一次走进这座小镇。".encode(), "不是政府信息公开工作年度报告", "not-a-report"),
    ("空.txt", b"", "是空的", "unreadable-report"),
])
def test_files_that_are_not_reports_say_so(db_file, name, data, says, code):
    at = upload(page(), (name, data))
    assert any(says in e.value and name in e.value.replace("\\", "") for e in at.error)  # the name escaped
    assert not at.data_editor
    assert errors(at)["代码"].tolist() == [code]
    assert confirm(at).disabled


@pytest.mark.slow
def test_one_review_per_file(db_file):
    at = upload(page(), (SEED.name, SEED.read_bytes()), ("照片.docx", PNG))
    assert [t.label.replace("\\", "") for t in at.tabs] == [SEED.name, "照片.docx"]
    assert [e.key for e in at.data_editor] == [f"import_{s}_0" for s in form_view.SECTIONS]
    assert confirm(at).disabled, "a file that is not a report blocks the batch until it is removed"


@pytest.mark.slow
def test_fields_follow_the_file_when_the_files_change(db_file):
    at = upload(page(), (SEED.name, SEED.read_bytes()), ("测试镇.docx", docx_report()))
    with_region(at)
    assert [at.text_input(key=f"import_agency_{i}").value for i in (0, 1)] == ["海青乡", "测试镇"]

    upload(at, ("测试镇.docx", docx_report()))
    assert at.text_input(key="import_agency_0").value == "测试镇"
    assert at.selectbox(key="import_version_0").value == "2021"
    assert at.selectbox(key="import_parent_0").value is None, "nothing chosen for another file carries over"


def test_dashboard_lists_the_page(db_file):
    at = run(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60))
    at.switch_page(PAGE)
    run(at)
    assert at.title.values == ["报告导入"]


@pytest.mark.slow
def test_competing_narrative_figures_are_asked_and_the_pick_is_stored(db_file):
    text = SEED.read_text(encoding="utf-8").replace("全乡一共公开信息71条", "全乡一共公开信息71条。全年共公开政府信息75条")
    at = with_region(upload(page(), ("两个总数.txt", text.encode("utf-8"))))
    assert editor(at, "s1")["数量"].tolist()[0] != 71, "neither figure is taken by itself"
    assert "competing-figures" in issues(at)["代码"].tolist()
    at.radio(key="import_pick_s1.published_total_0").set_value(75.0)
    commit(run(at))
    assert query(db_file, "select value from facts where metric = 's1.published_total'")["value"].tolist() == [75]


@pytest.mark.slow
def test_each_value_shows_its_line_and_the_pdf_page(db_file):
    pdf = ROOT / "tests" / "data" / "pdf" / "fuyuan-2022-two-pages.pdf"
    at = upload(page(), (pdf.name, pdf.read_bytes()))
    origins = next(d.value for d in at.dataframe if {"栏目", "page", "line", "text"} <= set(d.value.columns))
    assert origins["page"].max() == 2 and origins["line"].min() >= 1
