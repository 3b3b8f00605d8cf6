"""The metric catalogue: canonical codes, Chinese labels, versions and units, from data/metrics.csv; and the ratios
the app shows, each with its numerator and denominator, from data/ratios.csv."""
from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass

from disclosure.config import DATA_DIR

VERSIONS = ("2019", "2021")
KINDS = ("乡", "镇", "街道", "部门", "政府", "汇总", "园区", "其他")
S3_COLUMNS = ("natural", "business", "research", "nonprofit", "legal", "org_other")
S4_BLOCKS = ("review", "suit_direct", "suit_after_review")
CHANNELS = ("website", "wechat", "weibo", "new_media", "board", "press", "hall", "other")


@dataclass(frozen=True)
class Metric:
    code: str
    version: str  # "2019", "2021" or "both"
    section: str
    block: str
    row_label: str
    column_label: str
    header: str
    header_2019: str
    value_type: str  # count, signed_count, decimal
    unit: str
    group: str
    display_order: int

    def in_version(self, version: str) -> bool:
        return self.version in ("both", version)

    @property
    def is_integer(self) -> bool:
        return self.value_type != "decimal"

    @property
    def may_be_negative(self) -> bool:
        return self.value_type == "signed_count"


def normalize_label(text: str) -> str:
    """Fold what varies in how people type a header: width, spaces, line breaks, bracket style."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("“", '"').replace("”", '"').lower()


@functools.cache
def metrics() -> tuple[Metric, ...]:
    with open(DATA_DIR / "metrics.csv", encoding="utf-8", newline="") as f:
        return tuple(
            Metric(**{**row, "display_order": int(row["display_order"])}) for row in csv.DictReader(f)
        )


@functools.cache
def by_code() -> dict[str, Metric]:
    return {m.code: m for m in metrics()}


@functools.cache
def _by_label() -> dict[str, Metric]:
    table: dict[str, Metric] = {}
    for m in metrics():
        for label in (m.code, m.header, m.header_2019):
            if label:
                table[normalize_label(label)] = m
    return table


def lookup(header: str) -> Metric | None:
    """The metric a column header names: its code, its Chinese header, or the 2019 wording."""
    return _by_label().get(normalize_label(header))


@functools.cache
def codes(version: str) -> tuple[str, ...]:
    """The codes of one form version, in form order."""
    return tuple(m.code for m in metrics() if m.in_version(version))


@functools.cache
def table_codes(version: str) -> tuple[str, ...]:
    """The table cells (sections 二, 三, 四) of one form version."""
    return tuple(c for c in codes(version) if not c.startswith("s1."))


@functools.cache
def only_in(version: str) -> frozenset[str]:
    """The codes that exist in this version only."""
    return frozenset(m.code for m in metrics() if m.version == version)


@functools.lru_cache(maxsize=4096)
def closest_headers(header: str, n: int = 1) -> list[str]:
    """The known headers most like an unknown one, for a suggestion. Each call compares with every header of the
    catalogue, so callers ask for a bounded number of them (shapes.MAX_SUGGESTIONS)."""
    import difflib

    choices = _suggestion_choices()
    return [choices[c] for c in difflib.get_close_matches(normalize_label(header), list(choices), n=n, cutoff=0.5)]


@functools.cache
def _suggestion_choices() -> dict[str, str]:
    choices = {normalize_label(m.header): m.header for m in metrics()}
    choices.update({m.code.lower(): m.code for m in metrics()})
    return choices


def label(code: str) -> str:
    """A short Chinese name for a code, for messages: the header without the section prefix."""
    m = by_code().get(code)
    return m.header.split(" ", 1)[1] if m else code


@dataclass(frozen=True)
class Ratio:
    """A ratio the app shows. Combined over reports (agencies, years, regions) it is pooled — the sum of the
    numerators over the sum of the denominators of the reports that have the ratio — never a sum or mean of rates.
    `numerator` and `denominator` are written in catalogue codes (+, - between codes; <…> for one of a group)."""

    name: str
    label: str
    numerator: str
    denominator: str
    numerator_label: str
    denominator_label: str
    explore: bool                 # offered in 数据探索 as a derived figure (explore_figure_long)
    per_report: tuple[str, ...]   # query.column (or query.figure) where it is shown for one report
    pooled: tuple[str, ...]       # query.column where it is combined over several reports

    def codes(self, side: str) -> list[tuple[int, str]]:
        """The terms of a numerator or denominator written in codes: (+1 or -1, code); [] when it is not."""
        terms = re.findall(r"([+-]?)\s*(s\d\.[a-z_]+\.[a-z_]+)", getattr(self, side))
        return [(-1 if sign == "-" else 1, code) for sign, code in terms]


@functools.cache
def ratios() -> dict[str, Ratio]:
    """The ratio catalogue by name, in the file's order."""
    with open(DATA_DIR / "ratios.csv", encoding="utf-8", newline="") as f:
        return {row["name"]: Ratio(**{**row, "explore": row["explore"] == "yes",
                                      "per_report": tuple(row["per_report"].split()),
                                      "pooled": tuple(row["pooled"].split())})
                for row in csv.DictReader(f)}
