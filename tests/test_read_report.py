"""The report reader on every text variation of data-contract.md §6: what it reads is right, what it cannot place it says."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure.contract import catalog
from disclosure.read.read_report import read_text
from disclosure.read.report_files import read_file
from tests.report_texts import report_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "samples" / "haiqing-2020.txt"
EXAMPLES = ROOT / "tests" / "data" / "reports"
NEXT = EXAMPLES / "next"  # the layouts of issue 17: cells on lines of their own, dropped blanks, pinyin, narrative


def reading_of(text: str, name: str = "r.txt"):
    return read_file(name, text.encode("utf-8")).reading


def test_seed_gives_every_cell():
    r = read_file(SEED.name, SEED.read_bytes()).reading
    assert (r.agency, r.year, r.version) == ("海青乡", 2020, "2019")
    codes = set(catalog.table_codes("2019"))
    assert set(r.values) == codes | {"s1.published_total", "s1.channel.wechat", "s1.channel.other"}
    assert sum(c.startswith("s2.") for c in r.values) == 22 and sum(c.startswith("s3.") for c in r.values) == 161
    assert sum(c.startswith("s4.") for c in r.values) == 15
    assert all(v == 0 for c, v in r.values.items() if not c.startswith("s1."))
    assert (r.values["s1.published_total"], r.values["s1.channel.wechat"], r.values["s1.channel.other"]) == (71, 43, 28)
    assert r.units["s1.published_total"] == "条" and r.unresolved == [] and r.mismatches == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_examples_give_exactly_what_a_careful_reader_writes_down(path):
    answer = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    r = read_file(path.name, path.read_bytes()).reading
    produced = {c: v for c, v in r.values.items() if c not in r.approximate}
    assert produced == answer["values"]
    assert r.version == answer["version"]


@pytest.mark.parametrize("path", sorted(NEXT.glob("*.txt")), ids=lambda p: p.name)
def test_next_examples_give_exactly_what_a_careful_reader_writes_down(path):
    test_examples_give_exactly_what_a_careful_reader_writes_down(path)


def values_for(version: str, seed: int = 3) -> dict:
    """A full, balanced report: every table cell of the version with believable numbers."""
    values = {c: 0.0 for c in catalog.table_codes(version)}
    for row in ("new", "granted", "handled_total"):
        values[f"s3.{row}.natural"] = float(seed)
        values[f"s3.{row}.total"] = float(seed)
    values["s2.licensing.decisions"] = 11839.0
    if version == "2019":
        values.update({"s2.licensing.delta": -11.0, "s2.procurement.amount": 70487.5})
    else:
        values["s2.fees.amount_wan"] = 26.55
    return values


@pytest.mark.parametrize("layout", ["pipe", "lines", "spaces"])
@pytest.mark.parametrize("version", ["2019", "2021"])
def test_every_layout_reads_every_cell(layout, version):
    values = values_for(version)
    r = reading_of(report_text(values, version, layout))
    assert r.version == version and r.unresolved == []
    assert {c: v for c, v in r.values.items() if not c.startswith("s1.")} == values


@pytest.mark.parametrize("layout", ["pipe", "lines", "spaces"])
def test_blank_and_slash_cells_are_missing_not_zero(layout):
    values = values_for("2021")
    for code in ("s3.partial.legal", "s2.rules.issued", "s4.review.other"):
        del values[code]
    r = reading_of(report_text(values, "2021", layout))
    assert r.unresolved == [] and {c: v for c, v in r.values.items() if not c.startswith("s1.")} == values


def test_dropped_empty_cells_leave_the_row_unresolved_never_shifted():
    text = report_text(values_for("2019"), "2019", "lines")
    text = text.replace("\t一、本年新收政府信息公开申请数量\n\t3\n\t0\n\t0\n\t0\n\t0\n\t0\n\t3\n",
                        "\t一、本年新收政府信息公开申请数量\n\n\n\n\n 3\n")
    r = reading_of(text)
    assert not any(c.startswith("s3.new.") for c in r.values)
    assert {u.where for u in r.unresolved} == {f"s3.new.{c}" for c in ("natural", "business", "research", "nonprofit",
                                                                         "legal", "org_other", "total")}
    assert "空白单元格被省略" in r.unresolved[0].reason
    assert r.values["s3.carried_in.total"] == 0  # the next row is read as usual


def test_a_row_cut_off_by_the_end_of_the_text_keeps_the_cells_before_the_cut():
    text = report_text(values_for("2021"), "2021", "pipe")
    cut = text.index("（一）予以公开") + len("（一）予以公开 | 3 | 0 | 0")
    r = reading_of(text[:cut])
    assert (r.values["s3.granted.natural"], r.values["s3.granted.business"], r.values["s3.granted.research"]) == (3, 0, 0)
    assert "s3.granted.nonprofit" not in r.values and r.unresolved == []


def test_traditional_characters_are_read():
    text = report_text(values_for("2021"), "2021", "pipe").replace("第二十条", "第二十條").replace("项", "項")
    text = text.replace("处理决定数量", "處理決定數量").replace("申请", "申請").replace("数量", "數量")
    r = reading_of(text)
    assert r.values["s2.licensing.decisions"] == 11839 and "已将繁体字转换为简体字" in r.notices


def test_labels_broken_by_line_breaks_and_spaces_and_mixed_brackets():
    text = report_text(values_for("2019"), "2019", "lines")
    text = text.replace("本年新制作数量", "本年新\n\t制作数量").replace("第二十条第（一）项", "第二十条 第(一)项")
    text = text.replace("第二十条第（五）项", "第二十条第(五）项").replace("商业企业", "商业 企业")
    r = reading_of(text)
    assert r.unresolved == [] and r.values["s2.rules.made"] == 0 and r.values["s2.licensing.decisions"] == 11839


def test_units_signs_and_missing_markers_in_cells():
    values = values_for("2019")
    text = report_text(values, "2019", "pipe").replace("| 70487.5 |", "| 240万元 |").replace("| -11 |", "| +1036 |")
    text = text.replace("行政强制 | 0 | 0 | 0", "行政强制 | — | 无 | -")
    r = reading_of(text)
    assert r.values["s2.procurement.amount"] == 2_400_000 and r.units["s2.procurement.amount"] == "万元"
    assert r.values["s2.licensing.delta"] == 1036
    assert not any(c.startswith("s2.coercion.") for c in r.values)
    bare = reading_of(report_text(values, "2019", "pipe"))
    assert bare.values["s2.procurement.amount"] == 70487.5 and bare.units["s2.procurement.amount"] == "未注明"
    yuan = reading_of(report_text(values, "2019", "pipe").replace("| 70487.5 |", "| 70487元 |"))
    assert yuan.values["s2.procurement.amount"] == 70487 and yuan.units["s2.procurement.amount"] == "元"


def test_fee_amount_in_wan():
    r = reading_of(report_text(values_for("2021"), "2021", "pipe").replace("| 26.55 |", "| 0.5万元 |"))
    assert r.values["s2.fees.amount_wan"] == 0.5 and r.units["s2.fees.amount_wan"] == "万元"


def test_old_form_for_a_2021_report_is_read_as_2019():
    r = reading_of(report_text(values_for("2019"), "2019", "pipe", title="测试乡2021年政府信息公开工作年度报告"))
    assert (r.year, r.version) == (2021, "2019")


def test_hybrid_table_is_read_as_2021_and_the_2019_block_noted():
    text = report_text(values_for("2021"), "2021", "pipe")
    text = text.replace("三、收到和处理", "第二十条第（九）项 |\n信息内容 | 采购项目数量 | 采购总金额 |\n政府集中采购 | 2 | 500 |\n三、收到和处理")
    r = reading_of(text)
    assert r.version == "2021" and "s2.procurement.projects" not in r.values
    assert any("混用" in n for n in r.notices) and r.values["s2.fees.amount_wan"] == 26.55


def test_annotations_after_labels_and_truncated_labels():
    text = report_text(values_for("2021"), "2021", "pipe")
    text = text.replace("规章 |", "规章(县级无此项) |").replace("现行有效件数", "现行有效件数 (历史累计)")
    text = text.replace("本年制发件数", "本年发件").replace("其他法律行政法规禁止公开", "其他法律行政法规禁止公")
    text = text.replace("只计这一情形", "只记这一情形")
    r = reading_of(text)
    assert r.unresolved == [] and r.values["s2.rules.in_force"] == 0 and r.values["s3.deny_law.total"] == 0


def test_pdf_text_with_split_header_and_a_row_of_15_numbers():
    text = ("Page 9 - 2020年报_审计局\n四、结转下年度继续办理 0 0 0 0 0 0 0\n四、政府信息公开行政复议、行政诉讼情况\n"
            "行政复议 行政诉讼\n结 结 其 尚\n果 果 他 未\n0 0 0 1 1 0 0 0 0 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n")
    r = reading_of(text)
    assert r.values["s3.carried_out.total"] == 0 and r.values["s4.review.pending"] == 1 and r.values["s4.review.total"] == 1
    assert (r.agency, r.year) == ("审计局", 2020)


def test_prose_application_numbers_are_not_cells_but_feed_the_cross_check():
    values = values_for("2021")
    r = reading_of(report_text(values, "2021", "pipe", narrative="2021年，共收到政府信息公开申请5件，均予以公开。"))
    assert r.values["s3.new.total"] == 3  # the table's number, not the prose's
    assert [m.code for m in r.mismatches] == ["t1-narrative-mismatch"]
    assert "5" in r.mismatches[0].message and "3" in r.mismatches[0].message
    prose_only = reading_of("测试乡2021年政府信息公开工作年度报告\n一、总体情况\n本年度共收到政府信息公开申请3件，均予以公开。\n"
                            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n")
    assert not any(c.startswith("s3.") for c in prose_only.values)


def test_docx_artefacts_are_ignored():
    text = report_text(values_for("2019"), "2019", "lines").replace("三、收到和处理", "[bookmark: _GoBack]三、收到和处理")
    assert reading_of(text).values["s3.new.total"] == 3


def test_approximate_figures_are_flagged():
    r = reading_of(report_text(values_for("2021"), "2021", "pipe", narrative="2021年，全乡主动公开信息260余条。"))
    assert r.values["s1.published_total"] == 260 and r.approximate == ["s1.published_total"]


def test_multi_year_totals_are_not_the_years_total():
    r = reading_of(report_text(values_for("2021"), "2021", "pipe", narrative="自2008年以来，累计公开信息5000条。"))
    assert "s1.published_total" not in r.values


def test_suggestions_are_offered_not_read():
    values = values_for("2021")
    del values["s4.review.total"]
    r = reading_of(report_text(values, "2021", "pipe"))
    assert "s4.review.total" not in r.values and r.suggested == {"s4.review.total": 0}


@pytest.mark.parametrize("name, data", [
    ("novel.txt", "第一章\n天色已晚，他推开门，雪落在院子里。\n第二章\n第二天一早，众人出发了。\n".encode()),
    ("table.csv", b"agency,year,s3.new.total\nA,2021,1\n"),
    ("image.docx", b"\x89PNG\r\n\x1a\n" + bytes(100)),
    ("empty.txt", b""),
])
def test_a_file_that_is_not_a_report_says_so(name, data):
    rf = read_file(name, data)
    assert rf.error or not rf.reading.is_report
    assert rf.reading.values == {}


def test_the_json_contract():
    payload = read_file(SEED.name, SEED.read_bytes()).reading.to_json()
    assert list(payload) == ["agency", "year", "version", "values", "units", "approximate", "suggested",
                             "unresolved", "doubtful", "candidates", "where", "notices"]
    assert payload["values"]["s1.published_total"] == 71 and isinstance(payload["values"]["s3.new.total"], int)


CELL = st.one_of(st.integers(0, 400).map(float), st.none())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(version=st.sampled_from(["2019", "2021"]), layout=st.sampled_from(["pipe", "lines", "spaces", "dropped"]),
       data=st.data())
@pytest.mark.slow
def test_whatever_the_values_the_reader_never_invents_or_shifts_one(version, layout, data):
    codes = catalog.table_codes(version)
    values = {c: v for c in codes if (v := data.draw(CELL, label=c)) is not None}
    r = reading_of(report_text(values, version, layout))
    read = {c: v for c, v in r.values.items() if not c.startswith("s1.")}
    assert all(values.get(c) == v for c, v in read.items())  # precision: nothing wrong, ever
    if layout == "dropped":  # a row missing cells is unresolved, a full row is read
        assert all(values.get(u.where) is None or u.where not in read for u in r.unresolved)
    else:
        assert read == values  # empty cells are kept in these layouts, so every value is placed


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_read_without_error(text):
    read_text(text)


@pytest.mark.slow
@pytest.mark.parametrize("version", ["2019", "2021"])
def test_word_tables_with_merged_cells_read_every_cell(version):
    from tests.report_texts import report_docx

    values = values_for(version)
    values.pop("s3.partial.legal")
    rf = read_file("报告.docx", report_docx(values, version))
    assert rf.error == "" and rf.kind == "docx"
    r = rf.reading
    assert (r.agency, r.year, r.version) == ("测试镇", 2021, version) and r.unresolved == []
    assert {c: v for c, v in r.values.items() if not c.startswith("s1.")} == values
    assert (r.values["s1.published_total"], r.values["s1.channel.website"], r.values["s1.channel.wechat"]) == (30, 20, 10)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_web_page_tables_with_row_and_column_spans_read_every_cell(version):
    from tests.report_texts import report_html

    values = values_for(version)
    rf = read_file("报告.html", report_html(values, version))
    assert rf.error == "" and rf.kind == "html"
    assert rf.reading.unresolved == []
    assert {c: v for c, v in rf.reading.values.items() if not c.startswith("s1.")} == values


@pytest.mark.slow
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_examples_import_through_the_write_path(con, path):
    from disclosure import ingest

    answer = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    rf = read_file(path.name, path.read_bytes(), parent="示例省/示例市/示例县", kind_of_agency=answer["agency_kind"],
                   agency="" if answer["agency"] else "未署名单位", version="" if answer["version"] else "2021",
                   accept_partial=True)
    plan = ingest.prepare(con, [rf])
    if not answer["values"]:
        return  # nothing to store: the reader found no cells, as a careful reader would not
    assert plan.blocking(accept_errors=True) == []
    ingest.commit(con, plan, user="测试", via="测试", accept_errors=True)
    stored = dict(con.execute("select metric, value from facts").fetchall())
    version = answer["version"] or "2021"
    assert stored == {c: v for c, v in answer["values"].items() if catalog.by_code()[c].in_version(version)}


def test_a_report_without_table_cells_is_not_stored_as_zeros(con):
    from disclosure import ingest

    text = ("五常市民意乡\n2021年政府信息公开工作年度报告\n一、总体情况\n2021年度，民意乡未收到政府信息公开申请，零报告。\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n")
    rf = read_file("no-tables.txt", text.encode(), parent="示例省/示例市/示例县", kind_of_agency="乡", version="2021")
    plan = ingest.prepare(con, [rf])
    assert [i.code for i in plan.blocking()] == ["no-table-cells"]
    assert rf.reading.values == {}


def test_a_2021_other_row_that_repeats_its_group_name():
    text = ("测试乡2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "（六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
            "（六）其他处理 | 3.其他 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n（七）总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n")
    r = reading_of(text)
    assert r.version == "2021" and r.values["s3.other_misc.total"] == 1 and r.values["s3.handled_total.total"] == 1


def test_with_no_header_the_rows_tell_the_version():
    text = ("测试乡2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "（六）其他处理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n（七）总计 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n")
    r = reading_of(text)
    assert r.version == "2019" and r.values["s3.other.total"] == 2


@pytest.mark.parametrize("narrative, expected", [
    ("2021年，全乡共公开信息1,234条。", {"s1.published_total": 1234}),
    ("2021年，全乡共公开信息2.3万条。", {}),
    ("2021年，主动公开政府信息500条，比2020年增加100条。", {"s1.published_total": 500}),
    ("在政府网站公开政府信息120条，在微信公众号发布信息80条。", {"s1.channel.website": 120, "s1.channel.wechat": 80}),
    ("通过政府网站、微信公众号等平台公开信息500条。", {"s1.published_total": 500}),
    ("2021年，发布政策解读稿3篇，举办新闻发布会2次。", {}),
    ("2020年主动公开信息300条。", {}),  # another year's figure, in a report on 2021
])
def test_section_one_figures_only_where_plainly_stated(narrative, expected):
    r = reading_of(report_text(values_for("2021"), "2021", "pipe", narrative=narrative))
    assert {c: v for c, v in r.values.items() if c.startswith("s1.")} == expected
