"""The report as the official form: every value in its place, both versions' shapes, one code per cell, edits back."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from disclosure.contract import catalog
from disclosure.present import form_view
from disclosure.read.read_report import Reading, Unresolved
from disclosure.read.report_files import read_file

ROOT = Path(__file__).parent.parent
SEED = ROOT / "data" / "samples" / "haiqing-2020.txt"
DROPPED = ROOT / "tests" / "data" / "reports" / "021.txt"  # section 三 rows whose empty cells were dropped
S3_HEADERS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


@pytest.fixture(scope="module")
def seed():
    return read_file(SEED.name, SEED.read_bytes()).reading


def frames(values: dict, version: str) -> dict[str, pd.DataFrame]:
    return {s: form_view.section_frame(s, values, version) for s in form_view.SECTIONS}


def value_cells(section: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[form_view.BLOCK]) if section == "s2" else frame


# --- the seed in its places --------------------------------------------------------------------------------------

def test_seed_renders_every_value_in_its_cell(seed):
    assert len(seed.values) == 201
    shown = frames(seed.values, seed.version)
    found = {}
    for section, frame in shown.items():
        grid = form_view.cell_codes(section, seed.version).loc[frame.index]
        for label in frame.index:
            for column in grid.columns:
                code, value = grid.at[label, column], frame.at[label, column]
                if not math.isnan(value):
                    found[code] = value
    assert found == seed.values


def test_seed_section_one_and_zeros(seed):
    one = form_view.section_one(seed.values)
    assert one.index.tolist() == ["主动公开信息总数", "微信公众号", "其他方式"]
    assert one["数量"].tolist() == [71, 43, 28]
    three = form_view.section_three(seed.values, "2019")
    assert (three == 0).all().all()
    two = form_view.section_two(seed.values, "2019")
    assert two.at["规章", "本年新制作数量"] == 0 and two.at["政府集中采购", "采购总金额"] == 0
    assert math.isnan(two.at["规章", "处理决定数量"]), "a cell the form does not have stays empty"
    assert (form_view.section_four(seed.values) == 0).all().all()


def test_missing_cells_are_empty_never_zero():
    assert form_view.section_three({}, "2021").isna().all().all()
    assert form_view.section_four({}).isna().all().all()
    assert value_cells("s2", form_view.section_two({}, "2019")).isna().all().all()
    one = form_view.section_one({})
    assert one.index.tolist() == ["主动公开信息总数"] and one["数量"].isna().all()
    partial = form_view.section_three({"s3.new.total": 3}, "2019")
    assert partial.at["一、本年新收政府信息公开申请数量", "总计"] == 3
    assert partial.notna().sum().sum() == 1


# --- both versions' shapes ---------------------------------------------------------------------------------------

def test_section_two_2019_reads_like_the_form():
    two = form_view.section_two({}, "2019")
    assert two.index.tolist() == ["规章", "规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制",
                                  "行政事业性收费", "政府集中采购"]
    assert two[form_view.BLOCK].tolist() == ["第二十条第（一）项"] * 2 + ["第二十条第（五）项"] * 2 + [
        "第二十条第（六）项"] * 2 + ["第二十条第（八）项", "第二十条第（九）项"]
    assert two.columns.tolist() == [form_view.BLOCK, "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量",
                                    "本年增/减", "处理决定数量", "采购项目数量", "采购总金额"]


def test_section_two_2021_reads_like_the_form():
    two = form_view.section_two({}, "2021")
    assert two.index.tolist() == ["规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费"]
    assert two.columns.tolist() == [form_view.BLOCK, "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
                                    "本年收费金额（单位：万元）"]
    grid = form_view.cell_codes("s2", "2021")
    assert grid.at["行政许可", "本年处理决定数量"] == "s2.licensing.decisions"
    assert grid.at["行政许可", "本年制发件数"] is None


@pytest.mark.parametrize("version, rows, other", [
    ("2019", 23, ["（六）其他处理"]),
    ("2021", 25, ["（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                  "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]),
])
def test_section_three_rows_and_columns(version, rows, other):
    three = form_view.section_three({}, version)
    labels = three.index.tolist()
    assert len(labels) == rows and three.columns.tolist() == S3_HEADERS
    assert labels[:5] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果 （一）予以公开",
                          "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开 1.属于国家秘密"]
    assert labels[5] == "2.其他法律行政法规禁止公开"
    assert "（四）无法提供 1.本机关不掌握相关政府信息" in labels and "（五）不予处理 1.信访举报投诉类申请" in labels
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    start = labels.index(other[0])
    assert labels[start:start + len(other)] == other


def test_section_four_shape():
    four = form_view.section_four({})
    assert four.index.tolist() == ["行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"]
    assert four.columns.tolist() == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


@pytest.mark.parametrize("version", catalog.VERSIONS)
def test_code_grid_covers_the_version_once_each(version):
    codes = [c for s in ("s2", "s3", "s4") for c in form_view.cell_codes(s, version).to_numpy().ravel() if c]
    assert sorted(codes) == sorted(catalog.table_codes(version))
    assert len(codes) == len(set(codes))
    one = [c for c in form_view.cell_codes("s1").to_numpy().ravel() if c]
    assert one == [c for c in catalog.codes(version) if c.startswith("s1.")]


def test_value_types_guide_the_editor():
    assert dict(form_view.value_columns("s2", "2019"))["本年增/减"] == "signed_count"
    assert dict(form_view.value_columns("s2", "2019"))["采购总金额"] == "decimal"
    assert dict(form_view.value_columns("s2", "2021"))["本年收费金额（单位：万元）"] == "decimal"
    assert set(dict(form_view.value_columns("s3", "2021")).values()) == {"count"}


# --- edits back to codes -----------------------------------------------------------------------------------------

def test_edits_return_changed_and_filled_cells_only(seed):
    original = form_view.section_three(seed.values, "2019")
    edited = original.copy()
    edited.at["一、本年新收政府信息公开申请数量", "自然人"] = 2
    edited.at["（六）其他处理", "总计"] = math.nan  # cleared: no correction
    assert form_view.edits(original, edited, "s3", "2019") == {"s3.new.natural": 2}

    empty = form_view.section_two({}, "2021")
    filled = empty.copy()
    filled.at["行政事业性收费", "本年收费金额（单位：万元）"] = 0.5
    filled.at["行政许可", "本年制发件数"] = 7  # a cell the form does not have
    assert form_view.edits(empty, filled, "s2", "2021") == {"s2.fees.amount_wan": 0.5}


@pytest.mark.parametrize("section", form_view.SECTIONS)
def test_edits_round_trip(section):
    version = "2021"
    values = {c: 1.0 for c in catalog.codes(version)}
    edited = form_view.section_frame(section, values, version)
    original = form_view.section_frame(section, {}, version).reindex(edited.index)  # every cell empty
    typed = form_view.edits(original, edited, section, version)
    shown = [c for c in form_view.cell_codes(section, version).loc[original.index].to_numpy().ravel() if c]
    assert typed == {c: 1.0 for c in shown}
    again = form_view.section_frame(section, typed, version).loc[original.index]
    pd.testing.assert_frame_equal(again, edited)
    assert form_view.edits(edited, again, section, version) == {}


def test_edits_accept_text_from_an_editor():
    original = form_view.section_four({})
    edited = original.astype(object)
    edited.at["行政复议", "总计"] = "3"
    edited.at["行政复议", "结果维持"] = ""
    assert form_view.edits(original, edited, "s4") == {"s4.review.total": 3}


# --- marks for review --------------------------------------------------------------------------------------------

def test_dropped_cells_are_marked_until_typed():
    reading = read_file(DROPPED.name, DROPPED.read_bytes()).reading
    assert len(reading.unresolved) == 14
    marks = form_view.marks(reading, {})
    view = form_view.marked("s3", reading.values, "2019", marks)
    assert view.loc["一、本年新收政府信息公开申请数量"].tolist() == ["？"] * 7
    assert form_view.has_marks("s3", "2019", marks) and not form_view.has_marks("s2", "2019", marks)
    assert "未能确定" in form_view.legend("s3", "2019", marks)

    typed = {f"s3.new.{c}": 0.0 for c in (*catalog.S3_COLUMNS, "total")}
    after = form_view.marks(reading, typed)
    view = form_view.marked("s3", {**reading.values, **typed}, "2019", after)
    assert view.loc["一、本年新收政府信息公开申请数量"].tolist() == ["0"] * 7
    assert view.loc["二、上年结转政府信息公开申请数量"].tolist() == ["？"] * 7
    assert "已更正" in form_view.legend("s3", "2019", after)
    css = form_view.styled("s3", reading.values, "2019", marks).to_html()
    assert form_view.STYLES["unresolved"].split(": ")[1] in css


def test_suggested_and_approximate_cells_are_marked():
    reading = Reading(version="2019", values={"s1.published_total": 260, "s4.review.upheld": 0},
                      approximate=["s1.published_total"], suggested={"s4.review.total": 0.0},
                      unresolved=[Unresolved("s4.review.other", "不清楚")])
    marks = form_view.marks(reading, {})
    assert form_view.marked("s1", reading.values, None, marks).loc["主动公开信息总数", "数量"] == "≈260"
    four = form_view.marked("s4", reading.values, None, marks).loc["行政复议"]
    assert four.tolist() == ["0", "", "？", "", "建议 0"]


def test_refusal_names_what_is_wrong(seed):
    png = read_file("报告.docx", b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert form_view.refusal(png)
    assert form_view.refusal(read_file("小说.txt", "第一章 风起\n那年夏天，他走进了小镇。".encode())).startswith("文件")
    assert form_view.refusal(read_file(SEED.name, SEED.read_bytes())) == ""
