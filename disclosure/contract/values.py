"""Cell text -> number, by the catalogue's value type; every refusal says why and what was probably meant."""
from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass

from disclosure.contract.catalog import Metric

MISSING = {"", "/", "-", "—", "——", "–", "无", "n/a", "N/A"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass
class Parsed:
    value: float | None  # None = missing (blank, /, -, —, 无) or refused
    unit: str = ""  # the unit written after the number, where allowed
    error: str = ""  # slug: not-a-number, not-an-integer, negative-count
    message: str = ""
    suggestion: str = ""


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def is_missing(text: str) -> bool:
    return clean(text) in MISSING


def parse_value(text: str, metric: Metric) -> Parsed:
    if text.isascii() and text.isdigit():
        return Parsed(float(text))  # the common case, kept fast for files of 100,000 reports
    s = clean(text)
    if s in MISSING:
        return Parsed(None)
    unit = ""
    if not metric.is_integer and metric.unit and s.endswith(metric.unit):
        s, unit = s[: -len(metric.unit)].strip(), metric.unit  # "0.5万元" in a 万元 column says what it means
    if _GROUPED.fullmatch(s):
        s = s.replace(",", "")
    if not _NUMBER.fullmatch(s):
        guess = guess_number(text)
        return Parsed(None, error="not-a-number", message=f"「{text}」不是数字",
                      suggestion=f"改为 {guess}" if guess is not None else "")
    x = float(s)
    if not math.isfinite(x) or abs(x) > 1e15:
        return Parsed(None, error="not-a-number", message=f"「{text}」超出可记录的数值范围")
    if metric.is_integer and not x.is_integer():
        return Parsed(None, error="not-an-integer", message=f"「{text}」不是整数，{metric.unit}数应为整数",
                      suggestion=f"改为 {round(x)}")
    if x < 0 and not metric.may_be_negative:
        return Parsed(None, error="negative-count", message=f"「{text}」是负数，此项不能为负",
                      suggestion=f"改为 {_fmt(-x)}")
    return Parsed(x, unit=unit)


def guess_number(text: str) -> str | None:
    """What a clerk probably meant by '3件', '约5', '三', '减4' — offered as a suggestion, never applied."""
    s = clean(text)
    sign = "-" if s.startswith(("减", "减少")) else ""
    numbers = re.findall(r"\d+(?:\.\d+)?", s)
    if len(numbers) == 1:
        return sign + numbers[0]
    if not numbers:
        n = chinese_number(re.sub(r"^(约|减少|减|共|计)|[件项条个篇次]$", "", s))
        if n is not None:
            return sign + str(n)
    return None


def chinese_number(s: str) -> int | None:
    """Small Chinese numerals: 三, 十二, 二十, 一百零五."""
    if not s or any(ch not in _CN_DIGITS and ch not in "十百千" for ch in s):
        return None
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def parse_year(text: str) -> tuple[int | None, str, str]:
    """(year, error slug, message); the year reported on runs from 2019 to this year."""
    s = clean(text).removesuffix("年度").removesuffix("年")
    if s in MISSING:
        return None, "missing-year", "缺少年度"
    if re.fullmatch(r"\d{4}(\.0+)?", s):
        year = int(float(s))
        last = datetime.date.today().year
        if 2019 <= year <= last:
            return year, "", ""
        return None, "year-out-of-range", f"年度 {year} 不在 2019–{last} 之间"
    return None, "not-a-number", f"年度「{text}」不是四位数的年份"


def format_value(x: float) -> str:
    """Integers without '.0', decimals as the shortest text that reads back the same."""
    return _fmt(x)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))
