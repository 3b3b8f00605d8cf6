"""One colour per category of the form and per agency, the same on every page and every chart."""
from __future__ import annotations

import hashlib

from disclosure.contract import catalog

# section 一's publication channels, in form order
CHANNELS = dict(zip(
    (catalog.by_code()[f"s1.channel.{c}"].row_label for c in catalog.CHANNELS),
    ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"),
))
# how applications were handled (data-contract.md §5 outcome groups): disclosed in greens, refused in red, the rest apart
OUTCOMES = {"予以公开": "#2ca02c", "部分公开": "#98df8a", "不予公开": "#d62728", "无法提供": "#ff7f0e",
            "不予处理": "#9467bd", "其他处理": "#7f7f7f"}
APPLICANTS = {"自然人": "#1f77b4", "商业企业": "#8c564b", "科研机构": "#e377c2", "社会公益组织": "#bcbd22",
              "法律服务机构": "#17becf", "其他": "#7f7f7f"}
# where applications came from: this year's and last year's carried over
RECEIVED = {"本年新收": "#1f77b4", "上年结转": "#aec7e8"}
# section 四: the three blocks, and their outcomes with corrections in red
APPEAL_BLOCKS = {"行政复议": "#1f77b4", "行政诉讼·未经复议直接起诉": "#9467bd", "行政诉讼·复议后起诉": "#8c564b"}
APPEAL_OUTCOMES = {"结果维持": "#2ca02c", "结果纠正": "#d62728", "其他结果": "#7f7f7f", "尚未审结": "#ff7f0e"}
# section 二's decisions, one series across both form versions
DECISIONS = {"行政许可": "#1f77b4", "行政处罚": "#d62728", "行政强制": "#ff7f0e"}
FEES = "#8c564b"
SMALL_BASE = "#c7c7c7"  # a rate over too few cases: shown, greyed, not ranked
LINE = "#000000"  # a second measure drawn over bars (上年结转 over new applications, intensity over cases)
ONE = "#4e79a7"  # one series alone: a ranking's bars, which the axis already names

# agencies: Tableau 10, a qualitative palette whose colours stay apart on screen and on paper
AGENCIES = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
            "#bab0ac")
# a second, third … agency of one chart that hashes to a colour already taken keeps its colour and gets these
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
PATTERNS = ("", "/", ".", "x", "-", "+")


def agency(name: str) -> str:
    """An agency's colour: a stable hash of its name (not Python's salted `hash`), so the same on every page,
    every chart and every run."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest()
    return AGENCIES[int.from_bytes(digest, "big") % len(AGENCIES)]


def agency_marks(names: list[str]) -> list[tuple[str, int]]:
    """Each agency's colour, in the order given, and how many agencies before it in `names` have that colour:
    a chart tells those apart by a dash or a pattern (DASHES, PATTERNS), never by changing an agency's colour."""
    seen: dict[str, int] = {}
    marks = []
    for name in names:
        colour = agency(name)
        marks.append((colour, seen.get(colour, 0)))
        seen[colour] = seen.get(colour, 0) + 1
    return marks
