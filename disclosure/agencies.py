"""Agency names and region paths: aliases, kinds, and the county level that rule P1 needs."""
from __future__ import annotations

import functools
import re
import unicodedata

from disclosure.catalog import KINDS

KIND_ALIASES = {"街道办事处": "街道", "街道办": "街道", "县直部门": "部门", "本级": "汇总", "本级政府": "汇总",
                "开发区": "园区", "管委会": "园区", "人民政府": "政府"}


SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=200_000)  # a 100,000-report file asks for each name several times
def clean_name(name: str) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", str(name)))


@functools.lru_cache(maxsize=200_000)
def agency_key(name: str) -> str:
    """One key for the spellings of one agency: 海青乡人民政府 = 海青乡政府 = 海青乡."""
    s = clean_name(name)
    for suffix in ("人民政府", "政府"):
        if s.endswith(suffix) and s[: -len(suffix)].endswith(("乡", "镇")):
            return s[: -len(suffix)]
    if s.endswith("办事处") and s[: -len("办事处")].endswith("街道"):
        return s[: -len("办事处")]
    return s


def normalize_kind(text: str) -> str | None:
    """The kind as one of KINDS, or None when the text names none of them."""
    s = clean_name(text)
    if s in KINDS:
        return s
    return KIND_ALIASES.get(s)


def guess_kind(name: str) -> str:
    """The kind a name suggests, offered when a new agency comes without one."""
    s = agency_key(name)
    if s.endswith("街道"):
        return "街道"
    if s.endswith(("乡", "镇")):
        return s[-1]
    if s.endswith(("开发区", "管委会", "园区")):
        return "园区"
    if s.endswith(("人民政府", "政府", "办公室")) and "政府" in s:
        return "政府"
    if s.endswith(("局", "委员会", "委", "办", "中心", "所", "队", "院")):
        return "部门"
    return "其他"


def split_path(text: str) -> list[str]:
    s = unicodedata.normalize("NFKC", str(text)).strip()
    return [p for p in (part.strip() for part in re.split(r"[/>\\]", s)) if p]


def is_county_level(path: str) -> bool:
    """A county, district or county-level city: the third level of the tree, or named so."""
    parts = split_path(path)
    return len(parts) >= 3 or (bool(parts) and parts[-1].endswith(("县", "区", "旗")))
