"""Section 一's figures are taken only where the phrase binds a count to the metric, for the year reported on."""
from __future__ import annotations

import pytest

from disclosure.read.narrative import section_one


def figures(text: str, year: int = 2021) -> dict:
    return {code: f.value for code, f in section_one(text, year).figures.items()}


@pytest.mark.parametrize("text, expected", [
    # channel lists in prose, the verb said once
    ("通过门户网站公开信息120条，微信公众号80条，政务微博30条。",
     {"s1.channel.website": 120, "s1.channel.wechat": 80, "s1.channel.weibo": 30}),
    ("2021年，全镇共公开政府信息300条，其中门户网站公开200条，微信公众号100条。",
     {"s1.published_total": 300, "s1.channel.website": 200, "s1.channel.wechat": 100}),
    ("全年主动公开信息71条，其中微信公众号“秀美大五里”43条，其他方式28条。",
     {"s1.published_total": 71, "s1.channel.wechat": 43, "s1.channel.other": 28}),
    ("其中，微信等新媒体发布66条，在门户网站公开信息32条。", {"s1.channel.new_media": 66, "s1.channel.website": 32}),
    # a part on the total's own channel is a sub-channel, not the channel's figure
    ("2021年，通过政府网站公开信息120条，其中在信息公开专栏发布30条。",
     {"s1.published_total": 120, "s1.channel.website": 120}),
    # counts of articles sent to outside media or adopted there are not items published
    ("积极向人民日报、人民网等多家报纸杂志、网站投稿，全年共计发布27篇。", {}),
    ("全年共报送信息60条，被市级以上媒体采用15条。", {}),
    # the span decides: the year itself, or several years
    ("2021年以来公开政府信息98条。", {"s1.published_total": 98}),
    ("今年以来，主动公开信息80条。", {"s1.published_total": 80}),
    ("自2018年以来累计公开信息5000条。", {}),
    ("2018年以来，主动公开信息5000条。", {}),
    ("截至目前，共公开信息5000条。", {}),
    ("网站建站以来共发布信息9000条。", {}),
    ("2021年，累计公开信息7976条（2021年新增435条）。", {"s1.published_total": 435}),
    ("在政府网站、微信公众号分别公开信息120条、80条。", {}),
    ("通过“清风XX”公众号推送信息45条，抖音号发布视频12条。", {"s1.published_total": 45, "s1.channel.wechat": 45}),
    # other subjects that look like figures
    ("2021年，收到政府信息公开申请5件，发布政策解读3篇，回应关切2次。", {}),
])
def test_figures_need_their_phrase(text, expected):
    assert figures(text) == expected


def test_two_different_totals_are_candidates_and_neither_is_taken():
    found = section_one("2021年，全年主动公开信息200条。全年共公开政府信息210条。", 2021)
    assert "s1.published_total" not in found.figures
    assert [f.value for f in found.candidates["s1.published_total"]] == [200, 210]


def test_the_same_total_said_twice_is_one_figure():
    found = section_one("2020年，全街累计制作、获取政府信息总数330条，主动公开信息数330条。", 2020)
    assert found.figures["s1.published_total"].value == 330 and not found.candidates


def test_without_a_report_year_a_span_from_some_year_is_not_taken():
    assert figures("2021年以来公开政府信息98条。", year=None) == {}
