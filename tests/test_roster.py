"""单位名单 (roster): reading and refusing roster files, what 'expected' means with and without it, page and CLI."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure import demo
from disclosure.ingest import roster
from disclosure.issues import Refusal
from disclosure.present import export
from disclosure.read.read_table import read_table
from disclosure.store import db, sql
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
BAD = Path(__file__).parent / "data" / "bad_roster"
COUNTY = "示例省/示例市/示例县"
HEADER = "单位名称,所属地区,单位类型,起始年度,终止年度\n"


def roster_csv(*rows: str, encoding: str = "gbk") -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode(encoding)


def report_csv(*rows: tuple[str, str, int]) -> bytes:
    """Minimal 2021-form reports: agency, kind, year, with one figure each."""
    lines = ["单位名称,单位类型,所属地区,年度,表格版本,一 主动公开信息总数"]
    lines += [f"{agency},{kind},{COUNTY},{year},2021,10" for agency, kind, year in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def load(con, data: bytes, name: str = "名单.csv") -> roster.RosterPlan:
    return roster.prepare(con, [read_table(name, data)])


def stored(con) -> dict:
    frame = sql.run(con, "roster_entries")
    return {r.agency: tuple(None if pd.isna(y) else int(y) for y in (r.active_from, r.active_to))
            for r in frame.itertuples()}


def missing(con, year: int) -> dict[str, str]:
    frame = sql.run(con, "overview_missing", region=COUNTY, year=year, kinds=[])
    return dict(zip(frame["agency"], frame["basis"]))


# --- bad roster files ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(BAD.iterdir()), ids=lambda p: p.name)
def test_bad_roster_file_is_refused_with_its_place_and_nothing_is_written(con, path):
    before = (db.data_version(con), con.execute("select count(*) from agencies").fetchone()[0])
    plan = load(con, path.read_bytes(), path.name)
    codes = {i.code for i in plan.blocking}
    assert path.name.split("--")[0] in codes
    for issue in plan.blocking:
        assert issue.file == path.name and issue.message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in issue.message), "messages are in Chinese"
    with pytest.raises(Refusal, match="未写入任何数据"):
        roster.commit(con, plan, user="测试")
    assert stored(con) == {}
    assert (db.data_version(con), con.execute("select count(*) from agencies").fetchone()[0]) == before


def test_row_problems_name_row_column_and_value(con):
    plan = load(con, (BAD / "roster-bad-year--chinese-numeral.csv").read_bytes(), "x.csv")
    [issue] = plan.blocking
    assert (issue.row, issue.column, issue.value) == (2, "起始年度", "二〇二一")
    plan = load(con, (BAD / "roster-years-reversed--end-before-start.csv").read_bytes(), "y.csv")
    [issue] = plan.blocking
    assert (issue.row, issue.column, issue.value) == (2, "终止年度", "2021") and "早于" in issue.message


@pytest.mark.slow
def test_every_problem_of_a_file_is_listed_at_once(con):
    plan = load(con, roster_csv(f"青山乡,{COUNTY},乡村,2019,", f"石门镇,{COUNTY},镇,20x1,", f"柳林乡,{COUNTY},乡,2022,2020"))
    assert [(i.row, i.code) for i in plan.blocking] == [(2, "unknown-kind"), (3, "roster-bad-year"),
                                                       (4, "roster-years-reversed")]


# --- good roster files -----------------------------------------------------------------------------------------

def test_roster_commits_and_records_file_and_user(con):
    plan = load(con, roster_csv(f"青山乡,{COUNTY},乡,,", f"示例县粮食局,{COUNTY},部门,2019,2020",
                                f"城东街道办事处,{COUNTY},街道,2021,"))
    assert not plan.blocking and [e.status for e in plan.entries] == ["new"] * 3
    assert roster.commit(con, plan, user="张三") == 3
    assert stored(con) == {"青山乡": (None, None), "示例县粮食局": (2019, 2020), "城东街道办事处": (2021, None)}
    entries = sql.run(con, "roster_entries")
    assert set(entries["imported_by"]) == {"张三"} and set(entries["file_name"]) == {"名单.csv"}
    kinds = dict(zip(entries["agency"], entries["kind"]))
    assert kinds == {"青山乡": "乡", "示例县粮食局": "部门", "城东街道办事处": "街道"}


def test_reimport_is_unchanged_changed_years_replace_only_those_agencies(con):
    roster.commit(con, load(con, roster_csv(f"青山乡,{COUNTY},乡,,", f"石门镇,{COUNTY},镇,2019,")), user="测试")
    again = load(con, roster_csv(f"青山乡,{COUNTY},乡,,"))
    assert [e.status for e in again.entries] == ["unchanged"] and roster.commit(con, again, user="测试") == 0
    changed = load(con, roster_csv(f"石门镇人民政府,{COUNTY},镇,2019,2023"))
    assert [e.status for e in changed.entries] == ["changed"], "another spelling of the same township"
    roster.commit(con, changed, user="测试")
    assert stored(con) == {"青山乡": (None, None), "石门镇": (2019, 2023)}


def test_extra_columns_are_a_warning_and_excel_rosters_read(con, tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["单位名称", "所属地区", "单位类型", "起始年度", "联系人"])
    wb.active.append(["青山乡", COUNTY, "乡", 2020, "李四"])
    wb.save(tmp_path / "名单.xlsx")
    plan = load(con, (tmp_path / "名单.xlsx").read_bytes(), "名单.xlsx")
    assert not plan.blocking and [i.code for i in plan.issues] == ["ignored-column"]
    assert (plan.entries[0].agency, plan.entries[0].active_from) == ("青山乡", 2020)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_template_imports_cleanly(con, fmt):
    data = export.to_csv(roster.template()) if fmt == "csv" else export.to_xlsx(roster.template())
    plan = load(con, data, f"单位名单模板.{fmt}")
    assert not plan.issues and [(e.active_from, e.active_to) for e in plan.entries] == [(None, None), (2019, 2020)]


@pytest.mark.demo
def test_clear_keeps_the_demo_roster(con):
    demo_entries = len(stored(con))
    roster.commit(con, load(con, roster_csv("外县乡,示例省/示例市/外县,乡,,")), user="测试")
    assert roster.clear(con) == 1
    assert len(stored(con)) == demo_entries


# --- what "expected" means -------------------------------------------------------------------------------------

def test_without_a_roster_expected_means_reported_the_year_before(con):
    import_bytes(con, {"r.csv": report_csv(("青山乡", "乡", 2021), ("石门镇", "镇", 2021), ("青山乡", "乡", 2022))})
    assert missing(con, 2022) == {"石门镇": "上年已报送"}
    assert missing(con, 2021) == {}


def test_roster_adds_new_agencies_and_ends_merged_ones(con):
    import_bytes(con, {"r.csv": report_csv(("青山乡", "乡", 2021), ("石门镇", "镇", 2021), ("柳林乡", "乡", 2021),
                                           ("青山乡", "乡", 2022))})
    roster.commit(con, load(con, roster_csv(
        f"石门镇,{COUNTY},镇,2019,2021",      # merged away after 2021: not missing in 2022
        f"示例县数据局,{COUNTY},部门,2022,",   # new in 2022, never reported: missing
        f"青山乡,{COUNTY},乡,,")), user="测试")
    assert missing(con, 2022) == {"示例县数据局": "单位名单", "柳林乡": "上年已报送"}, "柳林乡 is not on the list"
    kpis = sql.run(con, "overview_kpis", region=COUNTY, year=2022, kinds=[]).set_index("year")
    assert (kpis.loc[2022, "reports"], kpis.loc[2022, "expected"]) == (1, 3)
    coverage = sql.run(con, "quality_coverage", region=COUNTY, year_from=2021, year_to=2022, kinds=[])
    status = {(r.agency, r.year): r.status for r in coverage.itertuples()}
    assert status == {("青山乡", 2021): "reported", ("青山乡", 2022): "reported",
                      ("石门镇", 2021): "reported", ("石门镇", 2022): "not_expected",
                      ("柳林乡", 2021): "reported", ("柳林乡", 2022): "missing",
                      ("示例县数据局", 2021): "not_expected", ("示例县数据局", 2022): "missing"}


def test_kind_filter_applies_to_the_roster(con):
    import_bytes(con, {"r.csv": report_csv(("青山乡", "乡", 2021), ("青山乡", "乡", 2022))})
    roster.commit(con, load(con, roster_csv(f"示例县数据局,{COUNTY},部门,2022,")), user="测试")
    frame = sql.run(con, "overview_missing", region=COUNTY, year=2022, kinds=["乡"])
    assert frame.empty


@pytest.mark.demo
def test_demo_roster_shows_a_new_agency_as_missing_and_goes_with_the_demo(con):
    assert missing(con, 2024) == {"示例县数据局": "单位名单"}
    assert missing(con, 2023) == {"白沙乡": "单位名单"}
    assert missing(con, 2022) == {"示例县人民政府": "单位名单"}, "the county's 汇总 gap year"
    demo.remove(con)
    assert stored(con) == {} and con.execute("select count(*) from agencies").fetchone()[0] == 0


# --- the page and the command line -----------------------------------------------------------------------------

def roster_tab() -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_page_imports_a_roster_and_the_overview_uses_it(con, db_file):
    import_bytes(con, {"r.csv": report_csv(("青山乡", "乡", 2021), ("青山乡", "乡", 2022))})
    con.close()
    at = roster_tab()
    assert any("尚未导入单位名单" in c.value for c in at.caption)
    at.file_uploader(key="roster_file").set_value(
        ("名单.csv", roster_csv(f"示例县数据局,{COUNTY},部门,2022,"), "text/csv")).run()
    assert not at.exception, at.exception
    assert not at.button(key="roster_commit").disabled
    at.button(key="roster_commit").click().run()
    assert not at.exception, at.exception
    assert any("已写入单位名单：1 个单位" in s.value for s in at.success)
    with db.connect(db_file) as check:
        assert stored(check) == {"示例县数据局": (2022, None)}
    overview = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60).run()
    assert not overview.exception, overview.exception
    shown = [d.value for d in overview.dataframe if "应报依据" in d.value.columns]
    assert shown and shown[0]["单位"].tolist() == ["示例县数据局"]


@pytest.mark.slow
def test_page_refuses_a_bad_roster_and_writes_nothing(db_file):
    at = roster_tab()
    path = BAD / "roster-years-reversed--end-before-start.csv"
    at.file_uploader(key="roster_file").set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    assert at.button(key="roster_commit").disabled
    assert any("名单有 1 个错误" in e.value for e in at.error)
    issues = [d.value for d in at.dataframe if "规则" in d.value.columns]
    assert issues and issues[0]["行"].tolist() == [2] and issues[0]["原值"].tolist() == ["2021"]
    with db.connect(db_file) as check:
        assert stored(check) == {}


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_cli_roster_import_refuse_and_clear(db_file, tmp_path):
    good = tmp_path / "名单.csv"
    good.write_bytes(roster_csv(f"青山乡,{COUNTY},乡,2019,"))
    bad = BAD / "unknown-kind--typo.csv"
    r = cli("roster", bad, "--db", db_file)
    assert r.returncode == 1 and f"{bad.name}:2:单位类型:" in r.stdout and "数据库没有任何改动" in r.stderr
    assert cli("roster", good, "--db", db_file, "--dry-run").returncode == 0
    r = cli("roster", good, "--db", db_file, "--user", "王五")
    assert r.returncode == 0 and "1 个单位" in r.stderr
    with db.connect(db_file) as check:
        assert sql.run(check, "roster_entries")["imported_by"].tolist() == ["王五"]
    assert cli("roster", "--db", db_file).returncode == 2
    r = cli("roster", "--clear", "--db", db_file)
    assert r.returncode == 0 and "删除 1 个单位" in r.stderr
