"""Agency names and region paths: aliases, kinds read from a clerk's words or an agency's name, the template's
example agencies, and the county level that rule P1 needs."""
from __future__ import annotations

import functools
import re
import unicodedata

from disclosure.contract.catalog import KINDS

# How sure a reading of a kind is: SURE is used as it stands; ASK means 汇总 or 政府 may be meant, which the clerk
# must choose (a wrong one double-counts or drops a county), the kind read being only a hint; "" recognises nothing.
SURE, ASK = "sure", "ask"
TEMPLATE_EXAMPLES = ("示例镇",)  # the agency of the example row in the downloadable templates (export.template)

SPACES = re.compile(r"\s+")
_PARK_WORDS = ("开发区", "园区", "工业园", "高新区", "高新技术", "经济技术", "经开区", "产业集聚区", "保税区", "景区")
_DEPARTMENT_WORDS = ("部门", "单位", "局", "委", "办", "机构", "直属", "事业")
_DEPARTMENT_SUFFIXES = ("局", "委员会", "委", "办公室", "办", "中心", "所", "队", "院", "厅", "署", "处", "站", "馆",
                        "部", "会", "社", "室")


@functools.lru_cache(maxsize=200_000)  # a 100,000-report file asks for each name several times
def clean_name(name: str) -> str:
    """The name as stored: NFKC (full-width letters and digits folded), without spaces, and without the invisible
    characters (zero-width spaces and joiners, BOM, controls) that would make one agency two."""
    s = SPACES.sub("", unicodedata.normalize("NFKC", str(name)))
    return "".join(ch for ch in s if unicodedata.category(ch) not in ("Cf", "Cc"))


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


@functools.lru_cache(maxsize=200_000)
def folded_key(name: str) -> str:
    """agency_key with traditional characters folded to simplified (海青鄉 = 海青乡), for matching only: the name
    is stored as written."""
    return agency_key(_simplified(clean_name(name)))


@functools.cache
def _t2s():
    import opencc  # a dependency (requirements.txt); imported on first use, it loads its dictionaries then
    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    try:
        return _t2s().convert(text)
    except Exception:  # noqa: BLE001 — a text opencc cannot encode (a lone surrogate) is left as it is
        return text


SHORTEST_ENDING = 3  # 教育局 within 示例县教育局; a shorter ending (局, 乡) is only the kind of agency


class LookAlikes:
    """The stored agency keys of a region, indexed so that a new key finds one that is likely the same agency
    written another way — equal but for punctuation (示例县（区）教育局), or one ending in the other (教育局,
    示例县教育局) — in time linear in the new key's length, not in the number of stored keys. Different names one
    character apart (城东街道, 城西街道) are not alike."""

    def __init__(self, keys):
        self.by_letters, self.by_ending = {}, {}
        for key in keys:
            self.by_letters.setdefault(_letters(key), key)
            for start in range(1, len(key) - SHORTEST_ENDING + 1):
                self.by_ending.setdefault(key[start:], key)
        self.keys = set(keys)

    def like(self, key: str) -> str | None:
        if key in self.keys:
            return None
        found = self.by_letters.get(_letters(key)) or self.by_ending.get(key)  # the new key ends a stored one
        if found is None:  # a stored key ends the new one
            found = next((key[s:] for s in range(1, len(key) - SHORTEST_ENDING + 1) if key[s:] in self.keys), None)
        return found


def near_duplicate(a: str, b: str) -> bool:
    """Whether key `a` looks like key `b` (LookAlikes)."""
    return LookAlikes([b]).like(a) == b


def _letters(s: str) -> str:
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "S")))


@functools.lru_cache(maxsize=10_000)
def read_kind(text: str) -> tuple[str, str]:
    """The kind a 单位类型 text names, and how sure that is: (kind, SURE), (hint or "", ASK) or ("", "").

    By rules on the words, not a fixed list, so the next office's wording is read too: 县级部门, 县直单位 and
    县政府工作部门 are 部门; 乡人民政府 is 乡; 街道办事处 is 街道; 开发区管委会 is 园区. Only the canonical words 汇总
    and 政府 name those kinds; 本级 or 人民政府 asks."""
    s = clean_name(text).replace("其它", "其他")
    if s in KINDS:
        return s, SURE
    if not s or any(w in s for w in ("村", "社区", "居委")):
        return "", ""  # a village or a neighbourhood committee is no kind of the form
    if "街道" in s:
        return "街道", SURE
    if "乡镇" in s:
        return "", ""  # 乡 or 镇: the agency's name tells
    for kind in ("乡", "镇"):
        if s.endswith((f"{kind}人民政府", f"{kind}政府", f"{kind}级")) or s in (f"民族{kind}", f"{kind}级单位"):
            return kind, SURE
    if any(w in s for w in _PARK_WORDS) or "管委会" in s or "管理委员会" in s:
        return "园区", SURE
    if s.endswith(("政府办公室", "政府办")):
        return "政府", ASK  # a government's own office: 政府, never a 部门 for its 办 — but asked, like any 政府
    if any(w in s for w in _DEPARTMENT_WORDS):
        return "部门", SURE
    if "本级" in s or "汇总" in s:
        return "汇总", ASK
    if "政府" in s:
        return "政府", ASK
    return "", ""


def normalize_kind(text: str) -> str | None:
    """The kind as one of KINDS when the text names it for sure, else None."""
    kind, how = read_kind(text)
    return kind if how == SURE else None


@functools.lru_cache(maxsize=200_000)
def kind_from_name(name: str) -> tuple[str, str]:
    """The kind an agency's own name tells, by its ending, most specific first: (kind, SURE), (hint or "", ASK)
    for a name that looks like a government (汇总 or 政府: asked, never inferred), or ("", "")."""
    full = clean_name(name)
    if full.endswith(("街道办事处", "街道办", "街道")):
        return "街道", SURE
    s = agency_key(full)
    if s.endswith(("乡", "镇")) and len(s) > 1:
        return s[-1], SURE
    if s.endswith(("管委会", "开发区", "园区", "工业园", "高新区", "经开区")) or (
            s.endswith("管理委员会") and any(w in s for w in _PARK_WORDS)):
        return "园区", SURE
    if "本级" in s or "汇总" in s:
        return "汇总", ASK
    if "政府" in s and s.endswith(("人民政府", "政府", "政府办公室", "政府办")):
        return ("政府" if s.endswith(("办公室", "政府办")) else ""), ASK
    if s.endswith(_DEPARTMENT_SUFFIXES):
        return "部门", SURE
    return "", ""


def guess_kind(name: str) -> str:
    """The kind an agency's name tells for sure, to preselect in a form; 其他 when it tells none — and when it looks
    like a government, whose 汇总 or 政府 someone must choose."""
    kind, how = kind_from_name(name)
    return kind if how == SURE else "其他"


def is_template_example(name: str) -> bool:
    """An agency of the template's example row (示例镇): never a real report."""
    return agency_key(name) in TEMPLATE_EXAMPLES


def split_path(text: str) -> list[str]:
    s = unicodedata.normalize("NFKC", str(text)).strip()
    return [p for p in (part.strip() for part in re.split(r"[/>\\]", s)) if p]


def is_county_level(path: str) -> bool:
    """A county, district or county-level city: the third level of the tree, or named so."""
    parts = split_path(path)
    return len(parts) >= 3 or (bool(parts) and parts[-1].endswith(("县", "区", "旗")))
