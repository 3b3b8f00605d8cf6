"""One agency stays one agency however its name is typed: invisible characters dropped, full-width folded, traditional
characters matched to the simplified agency (stored as the first spelling), and a new name that looks like a stored
one (示例县教育局 / 教育局) is imported with a warning rather than silently becoming a second agency."""
from __future__ import annotations

import pytest

from disclosure.contract.agencies import clean_name, folded_key, near_duplicate
from disclosure.demo.demo_data import COUNTY
from disclosure.store import accounts
from tests.conftest import import_bytes

YEAR = 2026  # a year the demo county has not reported: every row is a new report


def one_row(agency: str, kind: str = "乡") -> bytes:
    return f"agency,year,kind,parent,version,s3.new.total\n{agency},{YEAR},{kind},{COUNTY},2021,1\n".encode()


def agencies_named(con, like: str) -> list[str]:
    return [n for (n,) in con.execute("select name from agencies where name like ? order by name", [like]).fetchall()]


@pytest.mark.parametrize("written", ["海青\u200b乡", "\ufeff海青乡", "海青乡\u200d", "海\u2060青乡", "海青乡\u200e",
                                     "海 青 乡", "海青乡\u3000"])
@pytest.mark.slow
def test_invisible_characters_never_make_a_second_agency(demo_con, written):
    assert clean_name(written) == "海青乡"
    plan, summary = import_bytes(demo_con, {"a.csv": one_row(written)})
    assert summary is not None and plan.new_agencies == []
    assert agencies_named(demo_con, "%海%青%") == ["海青乡"]


@pytest.mark.parametrize("written", ["海青鄉", "海青鄉人民政府", "海青乡人民政府"])
def test_traditional_characters_are_matched_to_the_stored_agency(demo_con, written):
    plan, summary = import_bytes(demo_con, {"a.csv": one_row(written)})
    assert summary is not None and plan.new_agencies == []
    assert agencies_named(demo_con, "%青%") == ["海青乡", "青山乡"]
    folded = [i for i in plan.issues if i.code == "name-folded"]
    assert [i.severity for i in folded] == (["warning"] if "鄉" in written else []), "said when a name was folded"


def test_traditional_kinds_of_names_fold_for_matching_only():
    assert folded_key("示例縣教育局") == folded_key("示例县教育局") == "示例县教育局"
    assert clean_name("示例縣教育局") == "示例縣教育局", "stored as written"


@pytest.mark.parametrize("a, b, near", [
    ("示例县教育局", "教育局", True), ("示例县(区)教育局", "示例县区教育局", True), ("示例县·教育局", "示例县教育局", True),
    ("城东街道", "城西街道", False), ("青山乡", "海青乡", False), ("示例县教育局", "示例县教育局", False),
    ("局", "示例县公安局", False)])
def test_near_duplicates_are_one_agency_written_two_ways(a, b, near):
    assert near_duplicate(a, b) is near


@pytest.mark.slow
def test_a_new_agency_like_a_stored_one_is_imported_with_a_warning(demo_con):
    plan, summary = import_bytes(demo_con, {"a.csv": one_row("教育局", "部门")})
    [warning] = [i for i in plan.issues if i.code == "near-duplicate"]
    assert warning.severity == "warning" and "示例县教育局" in warning.message and summary is not None
    plan, _ = import_bytes(demo_con, {"b.csv": one_row("城北街道", "街道")})
    assert not [i for i in plan.issues if i.code == "near-duplicate"], "a different street office is no duplicate"


def test_an_uploader_assigned_a_traditional_name_may_change_the_agency(tmp_path):
    who = accounts.add("填报员", "uploader", "password-1", [f"海青鄉@{COUNTY}"], file=tmp_path / "accounts.toml")
    assert who.may_change("海青乡", COUNTY) and not who.may_change("青山乡", COUNTY)
