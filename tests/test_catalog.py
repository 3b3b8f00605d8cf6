"""The metric catalogue holds every code of the spec, per version, with unique Chinese headers."""
import re
from pathlib import Path

import pytest

from disclosure.contract import catalog

SPEC = Path(__file__).resolve().parents[1] / "docs" / "data-contract.md"


def test_counts_per_version():
    section = lambda v, s: [c for c in catalog.codes(v) if c.startswith(s)]  # noqa: E731
    assert [len(section("2019", s)) for s in ("s1.", "s2.", "s3.", "s4.")] == [9, 22, 161, 15]
    assert [len(section("2021", s)) for s in ("s1.", "s2.", "s3.", "s4.")] == [9, 10, 175, 15]
    assert [c for c in catalog.codes("2019") if c.startswith("s1.")] == ["s1.published_total"] + [
        f"s1.channel.{c}" for c in catalog.CHANNELS]


def test_headers_and_codes_are_unique_and_look_each_other_up():
    headers = [m.header for m in catalog.metrics()] + [m.header_2019 for m in catalog.metrics() if m.header_2019]
    assert len({catalog.normalize_label(h) for h in headers}) == len(headers)
    for m in catalog.metrics():
        assert catalog.lookup(m.code) is m and catalog.lookup(m.header) is m


@pytest.mark.parametrize("written, code", [
    ("三 本年新收 自然人", "s3.new.natural"),
    ("三  本年新收\n自然人", "s3.new.natural"),
    ("三 (三)1 属于国家秘密 总计", "s3.deny_secret.total"),
    ("三 （三）1 属于国家秘密 总计", "s3.deny_secret.total"),
    ("二 第二十条第(一)项 规章 本年制发件数", "s2.rules.issued"),
    ("二 第二十条第（一）项 行政规范性文件 本年废止件数", "s2.normdocs.repealed"),
    ("四 行政诉讼 未经复议直接起诉 结果维持", "s4.suit_direct.upheld"),
    ("二 第二十条第(五)项 行政许可 处理决定数量", "s2.licensing.decisions"),  # the 2019 wording
    ("S3.NEW.TOTAL", "s3.new.total"),
])
def test_lookup_ignores_spaces_breaks_brackets_and_accepts_2019_wording(written, code):
    assert catalog.lookup(written).code == code


def test_shared_decisions_form_one_series_across_versions():
    both = {m.code for m in catalog.metrics() if m.version == "both" and m.code.startswith("s2.")}
    assert both == {"s2.licensing.decisions", "s2.penalties.decisions", "s2.coercion.decisions"}


def test_value_types_units_and_groups():
    by = catalog.by_code()
    assert by["s2.licensing.delta"].value_type == "signed_count"
    assert (by["s2.fees.amount_wan"].value_type, by["s2.fees.amount_wan"].unit) == ("decimal", "万元")
    assert (by["s2.procurement.amount"].value_type, by["s2.procurement.amount"].unit) == ("decimal", "元")
    groups = {m.group for m in catalog.metrics() if m.code.startswith("s3.deny_")}
    assert groups == {"deny"}
    assert {by[f"s3.{r}.total"].group for r in ("other", "other_no_correction", "other_no_fee", "other_misc")} == {"other"}
    assert by["s3.unable_unclear.natural"].group == "unable" and by["s3.reject_mass.legal"].group == "reject"


def test_every_code_the_spec_names_exists():
    text = SPEC.read_text(encoding="utf-8")
    named = {c for c in re.findall(r"`(s[1-4]\.[a-z_]+(?:\.[a-z_]+)?)`", text)
             if len(c.rsplit(".", 1)[1]) > 1}  # s3.new.c and s4.b.total are placeholders
    known = set(catalog.by_code())
    full = {c for c in named if c.count(".") == 2 or c == "s1.published_total"}
    assert full - known == set()
    rows = {c for c in named if c.count(".") == 1} - {"s1.published_total"}
    prefixes = {c.rsplit(".", 1)[0] for c in known}
    assert rows - prefixes - {"s1.channel"} == set()


# --- the ratio catalogue (data/ratios.csv) -------------------------------------------------------------------------

QUERIES = Path(__file__).resolve().parents[1] / "queries"


def _code(path: Path) -> str:
    """A query's SQL without comments and string literals: what is left of a '/' there is a division."""
    text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def _places() -> dict[str, set[str]]:
    """query -> the columns (or figures) the ratio catalogue names in it."""
    places: dict[str, set[str]] = {}
    for ratio in catalog.ratios().values():
        for place in ratio.per_report + ratio.pooled:
            query, rest = place.split(".", 1)
            places.setdefault(query, set()).add(rest)
    return places


def test_every_ratio_has_a_numerator_and_a_denominator_in_words_and_codes():
    ratios = catalog.ratios()
    assert {"disclosure_rate", "review_rate", "appeal_intensity", "channel_share"} <= set(ratios)
    for r in ratios.values():
        assert r.label and r.numerator and r.denominator and r.numerator_label and r.denominator_label, r.name
        assert r.per_report or r.pooled, r.name
        for side in ("numerator", "denominator"):
            assert all(code in catalog.by_code() for _, code in r.codes(side)), (r.name, side)
    assert catalog.ratios()["review_rate"].codes("denominator") == [(1, "s4.review.total"), (-1, "s4.review.pending")]


def test_every_query_that_divides_is_in_the_ratio_catalogue():
    """A new ratio in a query must be catalogued (and, where it combines reports, pooled: tests/test_pooling.py)."""
    dividing = {p.stem for p in QUERIES.glob("*.sql") if "/" in _code(p)}
    places = _places()
    assert dividing <= set(places), dividing - set(places)  # the others show report_summary's rate
    for view in QUERIES.glob("views/*.sql"):
        if "/" in _code(view):
            assert "disclosure_rate" in _code(view), view.name  # report_summary's one ratio
    for query, names in places.items():
        text = (QUERIES / f"{query}.sql").read_text(encoding="utf-8") if query != "report_summary" else "".join(
            p.read_text(encoding="utf-8") for p in QUERIES.glob("views/*.sql"))
        assert all(name in text for name in names), (query, names)


def test_every_ratio_column_of_a_query_is_in_the_ratio_catalogue():
    places = _places()
    for path in QUERIES.glob("*.sql"):
        for alias in re.findall(r"\bas\s+([a-z_]+)", _code(path)):
            if re.search(r"(?<!^is)_rate$|share$|intensity$|^yoy$", alias):
                assert alias in places.get(path.stem, set()), f"{path.stem}.{alias} is a ratio not in data/ratios.csv"


def test_the_ratios_of_trends_and_explore_are_catalogued():
    from disclosure.present import pivot

    choices = (QUERIES / "trends_metric_choices.sql").read_text(encoding="utf-8")
    rates = re.findall(r"\('derived\.([a-z_]+)',[^)]*\btrue\b", choices)
    assert rates and all(f"derived.{name}" in _places()["trends_series"] for name in rates)
    for name in pivot.FIGURES:
        assert (name in pivot.COUNTS) != (pivot.ratio_of(name) is not None), name
    explored = {r.name for r in catalog.ratios().values() if r.explore}
    assert explored and explored == set(pivot.FIGURES) - set(pivot.COUNTS)
    assert explored <= _places()["explore_figure_long"]
