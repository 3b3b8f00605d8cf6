"""Each rule of data-contract.md §4 on small frames: it fires on a break, stays quiet on a missing term, and names the numbers."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure.contract import catalog, rules
from disclosure.contract.catalog import S3_COLUMNS


def report(agency="青山乡", year=2021, version="2021", kind="乡", county_level=True, **cells) -> dict:
    return {"agency": agency, "year": year, "version": version, "kind": kind, "county_level": county_level,
            "key": agency, **{k.replace("__", "."): v for k, v in cells.items()}}


def balanced(version="2021", **extra) -> dict:
    """A report whose section 三 and 四 all hold: 2 new natural-person applications, both granted."""
    cells = {c: 0.0 for c in catalog.table_codes(version) if c.startswith(("s3.", "s4."))}
    for row in ("new", "granted", "handled_total"):
        cells[f"s3.{row}.natural"] = cells[f"s3.{row}.total"] = 2.0
    return {**cells, **extra}


def check(*reports, previous=True):
    frame = pd.DataFrame(list(reports))
    return rules.check(frame, frame if previous else None)


def codes(issues):
    return sorted(i.code for i in issues)


@pytest.mark.parametrize("version", catalog.VERSIONS)
def test_a_balanced_report_breaks_no_rule(version):
    assert check(report(version=version, **balanced(version))) == []


def test_r1_names_the_column_and_both_sides():
    cells = balanced(**{"s3.carried_in.natural": 1.0, "s3.carried_in.total": 1.0})
    issues = check(report(**cells))
    assert codes(issues) == ["r1-balance", "r1-balance"]
    natural = next(i for i in issues if "自然人列" in i.message)
    assert natural.message == ("自然人列（三、收到和处理政府信息公开申请情况）：本年新收 2 + 上年结转 1 = 3 ≠ "
                               "办理结果总计 2 + 结转下年度 0 = 2，相差 1")
    assert natural.rule == "R1" and natural.severity == "error"
    assert natural.cells == {"s3.new.natural": 2, "s3.carried_in.natural": 1, "s3.handled_total.natural": 2,
                             "s3.carried_out.natural": 0}


def test_r2_row_total():
    issues = check(report(**balanced(**{"s3.partial.business": 1.0, "s3.partial.total": 0.0,
                                          "s3.handled_total.business": 1.0, "s3.new.business": 1.0,
                                          "s3.new.total": 3.0, "s3.handled_total.total": 3.0,
                                          "s3.granted.total": 2.0})))
    assert codes(issues) == ["r2-row-total", "r3-outcome-total"]


def test_r3_outcomes_sum_to_the_total_in_both_versions():
    for version, other in (("2019", "other"), ("2021", "other_misc")):
        cells = balanced(version, **{f"s3.{other}.natural": 1.0, f"s3.{other}.total": 1.0})
        assert codes(check(report(version=version, **cells))) == ["r3-outcome-total", "r3-outcome-total"]


def test_r4_appeal_block_total():
    issues = check(report(**balanced(**{"s4.suit_direct.corrected": 1.0})))
    assert codes(issues) == ["r4-appeal-total"] and "行政诉讼（未经复议直接起诉）" in issues[0].message


def test_a_rule_with_a_missing_term_is_not_checked():
    cells = balanced(**{"s3.carried_in.natural": 5.0})
    del cells["s3.carried_out.natural"]
    assert codes(check(report(**cells))) == ["r2-row-total"]  # R1 of the natural column is not checked; R2 is


def test_r5_on_stored_numbers():
    issues = check(report(**{"s3.new.natural": -1.0, "s3.new.total": 1.5, "s2.licensing.decisions": 2.0,
                             "s2.fees.amount_wan": 0.35}))
    assert codes(issues) == ["negative-count", "not-an-integer"]


def test_delta_may_be_negative():
    assert check(report(version="2019", year=2020, **{"s2.licensing.delta": -11.0})) == []


def test_c1_carry_over_between_years():
    last = report(year=2021, **{"s3.carried_out.total": 2.0})
    now = report(year=2022, **{"s3.carried_in.total": 3.0})
    issues = check(last, now)
    assert codes(issues) == ["c1-carry-over"] and issues[0].year == 2022 and issues[0].severity == "warning"
    assert issues[0].cells == {"s3.carried_in.total": 3, "s3.carried_out.total@2021": 2}
    assert check(last, report(year=2023, **{"s3.carried_in.total": 3.0})) == []  # a gap year is not compared


def test_c2_in_force_and_p2_repeal_exceeds():
    last = report(year=2021, **{"s2.normdocs.in_force": 10.0})
    assert check(last, report(year=2022, **{"s2.normdocs.in_force": 11.0, "s2.normdocs.issued": 2.0,
                                           "s2.normdocs.repealed": 1.0})) == []
    issues = check(last, report(year=2022, **{"s2.normdocs.in_force": 0.0, "s2.normdocs.issued": 1.0,
                                             "s2.normdocs.repealed": 12.0}))
    assert codes(issues) == ["c2-in-force", "p2-repeal-exceeds"]


def test_c2_not_across_versions():
    last = report(year=2020, version="2019", **{"s2.normdocs.public_total": 10.0})
    assert check(last, report(year=2021, **{"s2.normdocs.in_force": 3.0, "s2.normdocs.issued": 0.0,
                                           "s2.normdocs.repealed": 0.0})) == []


def test_c3_item_count_in_version_2019():
    last = report(year=2019, version="2019", **{"s2.licensing.prev_items": 10.0, "s2.licensing.delta": -2.0})
    assert check(last, report(year=2020, version="2019", **{"s2.licensing.prev_items": 8.0})) == []
    issues = check(last, report(year=2020, version="2019", **{"s2.licensing.prev_items": 10.0}))
    assert codes(issues) == ["c3-item-count"]


def test_c4_channels_against_the_stated_total():
    assert check(report(**{"s1.published_total": 71.0, "s1.channel.wechat": 43.0, "s1.channel.other": 28.0})) == []
    issues = check(report(**{"s1.published_total": 167.0, "s1.channel.website": 75.0, "s1.channel.wechat": 24.0,
                             "s1.channel.board": 67.0}))
    assert codes(issues) == ["c4-channel-sum"] and "(166)" in issues[0].message and "(167)" in issues[0].message
    assert check(report(**{"s1.channel.website": 75.0})) == []  # no total stated: nothing to compare


def test_p1_townships_and_county_departments_make_no_rules():
    assert codes(check(report(**{"s2.rules.issued": 1.0}))) == ["p1-township-rules"]
    assert codes(check(report(kind="部门", **{"s2.rules.issued": 1.0}))) == ["p1-township-rules"]
    assert check(report(kind="部门", county_level=False, **{"s2.rules.issued": 1.0})) == []
    assert check(report(kind="政府", **{"s2.rules.issued": 1.0})) == []


def test_suggest_fills_a_total_whose_parts_are_given():
    cells = balanced()
    del cells["s3.new.total"]
    assert rules.suggest(cells, "2021") == {"s3.new.total": 2}


def test_suggest_forces_zeros_under_a_zero_total():
    cells = {f"s4.review.{p}": 0.0 for p in ("total",)}
    assert rules.suggest(cells, "2021") == {f"s4.review.{p}": 0 for p in ("upheld", "corrected", "other", "pending")}


def test_suggest_never_offers_a_negative_or_ambiguous_value():
    assert rules.suggest({"s4.review.total": 1.0, "s4.review.upheld": 2.0}, "2021") == {}
    assert rules.suggest({"s4.review.total": 2.0}, "2021") == {}


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=6, max_size=6))
def test_suggested_totals_always_satisfy_r2(parts):
    cells = {f"s3.new.{c}": float(v) for c, v in zip(S3_COLUMNS, parts)}
    suggested = rules.suggest(cells, "2019")
    assert suggested["s3.new.total"] == sum(parts)
    frame = report(version="2019", **{**cells, **suggested})
    assert check(frame) == []
