"""Cells laid out one per line, with bars between or after them: each bar read as the layout uses it, never guessed."""
from __future__ import annotations

import pytest

from disclosure.contract import catalog
from disclosure.read.read_report import read_text
from disclosure.read.report_files import read_file
from tests.report_texts import table_rows

TITLE = "测试乡2021年政府信息公开工作年度报告\n一、总体情况\n2021年，全乡共公开信息30条。"


def full(version: str, blanks: tuple[str, ...] = ()) -> dict:
    values = {c: float(i % 4) for i, c in enumerate(catalog.table_codes(version))}
    for row in ("new", "carried_in", "granted", "handled_total"):  # rows that add up, for the doubt test
        for col in catalog.S3_COLUMNS:
            values[f"s3.{row}.{col}"] = 1.0
        values[f"s3.{row}.total"] = 6.0
    for block in catalog.S4_BLOCKS:
        values.update({f"s4.{block}.upheld": 1.0, f"s4.{block}.corrected": 0.0, f"s4.{block}.other": 1.0,
                       f"s4.{block}.pending": 0.0, f"s4.{block}.total": 2.0})
    for code in blanks:
        values.pop(code, None)
    return values


def separated(values: dict, version: str) -> str:
    """Each cell on its own line, a lone '|' line between cells; header cells broken over two lines."""
    out = [TITLE]
    for row in table_rows(values, version):
        if len(row) == 1 and row[0][:2] in ("二、", "三、", "四、"):
            out.append(row[0])
            continue
        for cell in row:
            if cell is None:
                continue
            out += [cell[:2] + "\n" + cell[2:] if cell in ("商业企业", "科研机构") else cell, "|"]
    return "\n".join(out) + "\n五、存在的主要问题及改进情况\n"


def terminated(values: dict, version: str, row_end: str) -> str:
    """Each cell on its own line ending ' |', an empty cell a lone '|' line, rows ended by `row_end`."""
    out = [TITLE]
    for row in table_rows(values, version):
        if len(row) == 1 and row[0][:2] in ("二、", "三、", "四、"):
            out.append(row[0])
            continue
        out += [f"{cell} |" if cell else "|" for cell in row if cell is not None] + [row_end]
    return "\n".join(out) + "\n五、存在的主要问题及改进情况\n"


def tables(reading) -> dict:
    return {c: v for c, v in reading.values.items() if not c.startswith("s1.")}


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_bars_between_cells_separate_them(version):
    values = full(version)
    r = read_text(separated(values, version))
    assert r.version == version and tables(r) == values and r.unresolved == []


def test_two_bars_with_nothing_between_hold_an_empty_cell():
    values = full("2021", blanks=("s3.granted.research", "s2.rules.repealed"))
    text = separated(values, "2021")
    r = read_text(text)
    assert tables(r) == values


@pytest.mark.parametrize("row_end", ["|", "||", "|||||||"])
@pytest.mark.parametrize("version", ["2019", "2021"])
def test_cells_ending_in_a_bar_with_empty_cells_as_lone_bars(version, row_end):
    values = full(version, blanks=("s3.partial.legal", "s3.new.business", "s4.review.other", "s2.rules.made"))
    r = read_text(terminated(values, version, row_end))
    assert tables(r) == values and r.unresolved == []


def test_dropped_empty_cells_before_a_run_of_bars_are_refused_not_placed():
    text = (TITLE + "\n三、收到和处理政府信息公开申请情况\n申请人情况 |\n||||||||\n自然人 |\n法人或其他组织 |\n总计 |\n"
            "一、本年新收政府信息公开申请数量 |\n3 |\n3 |\n|||||||\n二、上年结转政府信息公开申请数量 |\n0 |\n||||||||\n")
    r = read_text(text)
    assert not any(c.startswith("s3.") for c in r.values)
    assert {u.where for u in r.unresolved} >= {f"s3.new.{c}" for c in ("natural", "business", "total")}
    assert "空白单元格被省略" in next(u.reason for u in r.unresolved if u.where == "s3.new.natural")


def test_dropped_empty_cells_in_a_bar_row_are_refused_not_placed():
    r = read_text(TITLE + "\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 3 | 3 |||||||\n")
    assert not any(c.startswith("s3.") for c in r.values) and any(u.where == "s3.new.total" for u in r.unresolved)


def test_a_row_placed_after_dropping_surplus_cells_that_does_not_add_up_is_doubtful():
    r = read_text(TITLE + "\n三、收到和处理政府信息公开申请情况\n"
                  "一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 3 | | |\n")
    assert not any(c.startswith("s3.new.") for c in r.values)
    assert r.doubtful["s3.new.total"].value == 3 and "可能错位" in r.doubtful["s3.new.total"].reason
    assert r.to_json()["doubtful"]["s3.new.natural"]["value"] == 5


def test_a_complete_row_that_does_not_add_up_stands_as_written():
    r = read_text(TITLE + "\n三、收到和处理政府信息公开申请情况\n"
                  "一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 3 |\n")
    assert r.values["s3.new.natural"] == 5 and r.values["s3.new.total"] == 3 and not r.doubtful


def test_inline_pinyin_and_pdf_radicals_are_read_through():
    text = (TITLE + "\n二、主動(dòng)公開(kāi)政府信息情況(kuàng)\n第二十條(tiáo)第(五)項(xiàng) |\n"
            "信息內(nèi)容 | 本年處(chù)理決(jué)定數(shù)量 |\n行政許(xǔ)可 | 7 |\n⼈⺠ 第二十条第(六)项 |\n")
    r = read_file("r.txt", text.encode()).reading
    assert r.values["s2.licensing.decisions"] == 7 and "人民" in r.text


def test_each_value_says_where_it_came_from():
    r = read_text(TITLE + "\n二、主动公开政府信息情况\n第二十条第(五)项 |\n信息内容 | 本年处理决定数量 |\n行政许可 | 11839 |\n")
    assert r.origin("s2.licensing.decisions") == {"line": 7, "text": "行政许可 | 11839 |"}
    assert r.to_json()["where"]["s1.published_total"]["line"] == 3


@pytest.mark.parametrize("rows, version", [
    ("行政许可 | 1 | 5 | 0 |\n行政处罚 | 0 | 0 | 0 |\n行政事业性收费 | 0 | 0 |\n", "2019"),
    ("行政许可 | 11839 |\n行政处罚 | 3 |\n行政强制 | 0 |\n行政事业性收费 | 0.5 |\n", "2021"),
])
def test_rows_without_their_header_tell_the_version_by_their_cell_counts(rows, version):
    r = read_text(TITLE + "\n二、主动公开政府信息情况\n" + rows)
    assert r.version == version and r.values["s2.licensing.decisions"] in (0, 11839)


def test_rows_whose_counts_fit_both_versions_leave_it_open():
    r = read_text(TITLE + "\n二、主动公开政府信息情况\n规章 | 0 | 0 | 0 |\n")
    assert r.version is None and any("人工指定" in n for n in r.notices)


def test_prose_broken_at_the_margin_is_one_paragraph_again():
    text = ("测试乡2021年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开情况\n"
            "2021年，我乡坚持以公开为常态、不公开为例外，全年在门户网站主动公开信息7\n"
            "1条，其中微信公众号发布政府信息4\n3条。\n二、主动公开政府信息情况\n")
    r = read_text(text)
    assert {c: v for c, v in r.values.items() if c.startswith("s1.")} == {
        "s1.published_total": 71, "s1.channel.website": 71, "s1.channel.wechat": 43}


def test_doubtful_cells_and_competing_figures_reach_the_import_as_issues():
    from disclosure.read.report_files import drafts_from_report

    text = ("测试乡2021年政府信息公开工作年度报告\n一、总体情况\n2021年，全年主动公开信息200条。全年共公开政府信息210条。\n"
            "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 3 | | |\n")
    rf = read_file("r.txt", text.encode(), parent="示例省/示例市/示例县", kind_of_agency="乡", version="2021")
    drafts, issues = drafts_from_report(rf)
    by_code = {i.code: i for i in issues}
    assert by_code["doubtful-cell"].is_error and "可能错位" in by_code["doubtful-cell"].message
    assert not by_code["competing-figures"].is_error and "200条" in by_code["competing-figures"].message
    assert "s1.published_total" not in drafts[0].cells and "s3.new.total" not in drafts[0].cells


def test_a_row_label_broken_at_the_margin_before_its_bar_row():
    r = read_text(TITLE + "\n二、主动公开政府信息情况\n第二十条第(五)项 |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
                  "行政许可 | 1 | 5 | 0 |\n其他对外管\n理服务事项 | 2 | 0 | 7 |\n")
    assert (r.values["s2.other_services.prev_items"], r.values["s2.other_services.decisions"]) == (2, 7)


def test_pinyin_given_twice_is_removed_whole():
    assert "(" not in read_text("公开(kāi)(kāi)数(shù)量").text
