"""A cell named in the official form's own words — section / block / row / column — for messages a clerk reads
beside the paper form, never by its code (s3.new.natural)."""
from __future__ import annotations

import functools

from disclosure.contract import catalog

SECTION_TITLES = {"一": "一、总体情况", "二": "二、主动公开政府信息情况", "三": "三、收到和处理政府信息公开申请情况",
                  "四": "四、政府信息公开行政复议、行政诉讼情况"}


@functools.cache
def parts(code: str, version: str = "") -> tuple[str, ...]:
    """(section title, block, row, column) as the form prints them, without repeats and empty parts; the 2019
    form's column wording where it differs. An unknown code is its own one part."""
    m = catalog.by_code().get(code)
    if m is None:
        return (code,)
    column = m.column_label
    if version == "2019" and m.header_2019:
        column = m.header_2019.rsplit(" ", 1)[1]
    if m.section == "一":
        column = ""  # 数量: the section's only column
    if m.section == "四":
        block, row = "", m.block  # 行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉
    else:
        block, row = ("" if m.block in ("", "总体情况") else m.block), m.row_label
    out = [SECTION_TITLES.get(m.section, m.section), block, row, column]
    return tuple(p for i, p in enumerate(out) if p and p not in out[:i])


def cell_name(code: str, version: str = "") -> str:
    """三、收到和处理政府信息公开申请情况 / 一、本年新收政府信息公开申请数量 / 自然人."""
    return " / ".join(parts(code, version))


def short_name(code: str, version: str = "") -> str:
    """The cell without its section: 一、本年新收政府信息公开申请数量 / 自然人."""
    found = parts(code, version)
    return " / ".join(found[1:] if len(found) > 1 else found)
