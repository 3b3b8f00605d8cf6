"""The command line as other tools use it: exit codes, FILE:ROW:COLUMN lines, the lock, round trips."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

ROOT = Path(__file__).resolve().parent.parent
P = "示例省/示例市/测试县"


def cli(*args, env=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "disclosure", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def count_reports(db_file) -> int:
    with duckdb.connect(str(db_file), read_only=True) as c:
        return c.execute("select count(*) from current_reports").fetchone()[0]


def write(tmp_path, name, text, encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_good_files_as_one_batch(db_file):
    r = cli("import", *sorted((DATA / "good").glob("*.csv")), "--db", db_file)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "已导入" in r.stderr and count_reports(db_file) == 5


def test_rejected_import_prints_each_problem_as_file_row_column(db_file, tmp_path):
    bad = write(tmp_path, "bad.csv", f"agency,year,kind,parent,s3.new.natural,s3.new.total\n"
                                     f"青山乡,2021,乡,{P},3件,-1\n河口镇,2035,镇,{P},1,1\n")
    r = cli("import", bad, "--db", db_file)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    # the column as the file heads it; the message names the cell in the form's words, never by its code
    assert "bad.csv:2:s3.new.natural: 第2行「三、收到和处理政府信息公开申请情况 / 一、本年新收政府信息公开申请数量 / 自然人」：" \
           "「3件」不是数字" in lines
    assert any(line.startswith("bad.csv:2:s3.new.total: ") for line in lines)
    assert any(line.startswith("bad.csv:3:year: ") for line in lines)
    assert count_reports(db_file) == 0


def test_empty_file_line_has_empty_row_and_column(db_file, tmp_path):
    r = cli("import", write(tmp_path, "a.csv", ""), "--db", db_file)
    assert r.returncode == 1 and r.stdout.startswith("a.csv::: ")


def test_one_bad_file_rejects_the_whole_batch(db_file):
    r = cli("import", DATA / "good" / "wide-codes-utf8.csv", DATA / "bad" / "negative-count--minus.csv", "--db", db_file)
    assert r.returncode == 1 and count_reports(db_file) == 0


def test_dry_run_writes_nothing(db_file):
    r = cli("import", DATA / "haiqing-2020.csv", "--dry-run", "--db", db_file)
    assert r.returncode == 0 and "未写入" in r.stderr and count_reports(db_file) == 0


def test_reimport_identical_changes_nothing_and_changed_needs_replace(db_file, tmp_path):
    v1 = write(tmp_path, "v1.csv", f"agency,year,kind,parent,s3.new.total\n青山乡,2021,乡,{P},1\n")
    v2 = write(tmp_path, "v2.csv", f"agency,year,kind,parent,s3.new.total\n青山乡,2021,乡,{P},4\n")
    assert cli("import", v1, "--db", db_file).returncode == 0
    same = cli("import", v1, "--db", db_file)
    assert same.returncode == 0 and "没有需要写入" in same.stderr
    changed = cli("import", v2, "--db", db_file)
    assert changed.returncode == 1 and "v2.csv:2:" in changed.stdout and "1→4" in changed.stdout
    assert cli("import", v2, "--replace", "--db", db_file).returncode == 0
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert c.execute("select status from reports order by id").fetchall() == [("replaced",), ("current",)]


def test_arithmetic_errors_need_accept_errors(db_file):
    r1 = DATA / "bad" / "r1-balance--unbalanced.csv"
    refused = cli("import", r1, "--db", db_file)
    # an equation names every cell in it, not one of them as if it were the wrong one
    assert refused.returncode == 1 and "r1-balance--unbalanced.csv:2:s3.new.total、s3.carried_in.total、" \
                                       "s3.handled_total.total、s3.carried_out.total: " in refused.stdout
    assert "本年新收 5 + 上年结转 0 = 5 ≠ 办理结果总计 4 + 结转下年度 0 = 4，相差 1" in refused.stdout
    assert cli("import", r1, "--accept-errors", "--db", db_file, "--user", "王五").returncode == 0
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert c.execute("select accepted_by from report_issues").fetchall() == [("王五",)]


def test_warnings_are_marked_and_keep_exit_zero(db_file, tmp_path):
    f = write(tmp_path, "w.csv", f"agency,year,parent,s3.new.total\n示例县教育局,2021,{P},0\n")
    r = cli("import", f, "--db", db_file)
    assert r.returncode == 0 and "w.csv:2:: 警告：" in r.stdout


def test_encoding_override(db_file):
    gbk = DATA / "good" / "wide-chinese-gbk.csv"
    assert cli("import", gbk, "--encoding", "utf-8", "--db", db_file).returncode == 1
    assert cli("import", gbk, "--encoding", "gbk", "--db", db_file).returncode == 0


def test_sheet_option(db_file):
    xlsx = DATA / "good" / "wide-chinese.xlsx"
    missing = cli("import", xlsx, "--sheet", "没有这个表", "--db", db_file)
    assert missing.returncode == 1 and "2021年度" in missing.stdout
    assert cli("import", xlsx, "--sheet", "2021年度", "--db", db_file).returncode == 0


def test_file_over_the_limit_is_refused_unread(db_file):
    r = cli("import", DATA / "haiqing-2020.csv", "--db", db_file, env={"DISCLOSURE_MAX_UPLOAD_MB": "0.001"})
    assert r.returncode == 1 and "超过上限" in r.stdout and count_reports(db_file) == 0


def test_bad_usage_exits_2(db_file):
    assert cli("import", "--db", db_file).returncode == 2
    assert cli("export", "--shape", "tall", "--db", db_file).returncode == 2
    assert cli("import", "no-such-file.csv", "--db", db_file).returncode == 2


@pytest.mark.parametrize("shape", ["wide", "long"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_imports_back_unchanged(db_file, tmp_path, shape, fmt):
    assert cli("import", *sorted((DATA / "good").glob("*.*")), DATA / "haiqing-2020.csv", "--db", db_file).returncode == 0
    out = tmp_path / f"export.{fmt}"
    assert cli("export", "--shape", shape, "--format", fmt, "-o", out, "--db", db_file).returncode == 0
    again = cli("import", out, "--db", db_file)
    assert again.returncode == 0 and "与已存相同 7 份" in again.stderr, again.stdout + again.stderr


def test_export_to_stdout_is_utf8_with_bom(db_file):
    cli("import", DATA / "haiqing-2020.csv", "--db", db_file)
    r = subprocess.run([sys.executable, "-m", "disclosure", "export", "--db", str(db_file)], cwd=ROOT,
                       capture_output=True, timeout=120)
    assert r.stdout.startswith(b"\xef\xbb\xbfagency,year,kind,parent,version,")
    assert "海青乡,2020,乡,示例省/示例市/示例县,2019,71,".encode() in r.stdout


def test_demo_check_and_remove(db_file, tmp_path):
    mine = write(tmp_path, "mine.csv", f"agency,year,kind,parent,s3.new.total\n青山乡,2021,乡,{P},0\n")
    cli("import", mine, "--db", db_file)
    assert cli("demo", "--db", db_file).returncode == 0
    assert count_reports(db_file) > 100
    check = cli("check", "--db", db_file)
    assert check.returncode == 1 and "石门镇 2022 r1-balance: " in check.stdout
    records = json.loads(cli("check", "--json", "--db", db_file).stdout)
    assert {"code", "rule", "severity", "message", "file", "row", "column", "value", "agency", "year", "cells",
            "suggestion"} == set(records[0])
    assert cli("demo", "--remove", "--db", db_file).returncode == 0
    assert count_reports(db_file) == 1
    clean = cli("check", "--db", db_file)
    assert clean.returncode == 0 and clean.stdout == ""


def test_template_as_downloaded_is_refused_unless_its_example_rows_are_kept(db_file, tmp_path):
    for version in ("2019", "2021"):
        for fmt in ("csv", "xlsx"):
            out = tmp_path / f"t{version}.{fmt}"
            assert cli("template", "--version", version, "--format", fmt, "-o", out).returncode == 0
            refused = cli("import", out, "--dry-run", "--db", db_file)
            assert refused.returncode == 1
            assert f"t{version}.{fmt}:2:单位名称: 第2行是模板中的示例行（示例镇），请改成本单位的数字或删除这一行" \
                   in refused.stdout and "--keep-examples" in refused.stderr
            kept = cli("import", out, "--dry-run", "--keep-examples", "--db", db_file)
            assert kept.returncode == 0, kept.stdout


HOLD = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
""")


def hold_lock(db_file, seconds) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db_file), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def test_busy_database_waits_then_exits_3_writing_nothing(db_file):
    holder = hold_lock(db_file, 30)
    try:
        started = time.monotonic()
        r = cli("import", DATA / "haiqing-2020.csv", "--wait", "1", "--db", db_file)
        assert r.returncode == 3 and "占用" in r.stderr and str(holder.pid) in r.stderr
        assert time.monotonic() - started >= 1
    finally:
        holder.kill()
        holder.wait()
    assert count_reports(db_file) == 0


def test_import_waits_for_the_lock_and_then_commits(db_file):
    holder = hold_lock(db_file, 2)
    r = cli("import", DATA / "haiqing-2020.csv", "--wait", "60", "--db", db_file)
    holder.wait()
    assert r.returncode == 0 and count_reports(db_file) == 1


SEED_TEXT = ROOT / "data" / "samples" / "haiqing-2020.txt"


def test_parse_prints_the_json_contract():
    r = cli("parse", SEED_TEXT, "--json")
    assert r.returncode == 0
    payload = json.loads(r.stdout)
    assert (payload["agency"], payload["year"], payload["version"]) == ("海青乡", 2020, "2019")
    assert len(payload["values"]) == 201 and payload["values"]["s1.channel.wechat"] == 43
    assert payload["unresolved"] == [] and payload["units"]["s1.published_total"] == "条"


def test_parse_refuses_what_is_not_a_report(tmp_path):
    novel = write(tmp_path, "novel.txt", "第一章\n天色已晚，他推开门，雪落在院子里。\n")
    assert cli("parse", novel, "--json").returncode == 1
    assert cli("parse", write(tmp_path, "pic.docx", "\x89PNG")).returncode == 1
    assert cli("parse").returncode == 2


def test_import_a_report_needs_its_region_then_stores_every_cell(db_file):
    refused = cli("import", SEED_TEXT, "--db", db_file)
    assert refused.returncode == 1 and "haiqing-2020.txt:::" in refused.stdout and count_reports(db_file) == 0
    ok = cli("import", SEED_TEXT, "--parent", P, "--kind", "乡", "--db", db_file)
    assert ok.returncode == 0, ok.stdout
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert c.execute("select count(*) from facts").fetchone()[0] == 201
        assert c.execute("select kind, file_name from sources").fetchone() == ("txt", "haiqing-2020.txt")


def test_a_report_with_unresolved_cells_needs_accept_partial(db_file, tmp_path):
    from tests.report_texts import report_text

    text = report_text({"s3.new.natural": 1.0, "s3.new.total": 1.0, "s2.licensing.decisions": 5.0}, "2021", "dropped")
    report = write(tmp_path, "partial.txt", text)
    refused = cli("import", report, "--parent", P, "--kind", "镇", "--db", db_file)
    assert refused.returncode == 1 and "partial.txt::s3.new.natural: " in refused.stdout
    ok = cli("import", report, "--parent", P, "--kind", "镇", "--accept-partial", "--db", db_file)
    assert ok.returncode == 0 and "警告：" in ok.stdout
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert c.execute("select count(*) from report_issues where code = 'unresolved-cell'").fetchone()[0] > 0
        assert c.execute("select value from facts where metric = 's2.licensing.decisions'").fetchone() == (5,)


def test_missing_year_and_version_are_supplied_on_the_command_line(db_file, tmp_path):
    text = "某某局政府信息公开工作年度报告\n一、总体情况\n本局依法公开信息。\n四、政府信息公开行政复议、行政诉讼情况\n" + \
           " ".join(["0"] * 15) + "\n五、存在的主要问题及改进情况\n"
    report = write(tmp_path, "noyear.txt", text)
    refused = cli("import", report, "--parent", P, "--db", db_file)
    assert refused.returncode == 1 and "--year" in refused.stderr and "--version" in refused.stderr
    ok = cli("import", report, "--parent", P, "--kind", "部门", "--year", "2022", "--version", "2021", "--db", db_file)
    assert ok.returncode == 0, ok.stdout


CLERK = DATA / "clerk"


def test_a_table_file_takes_its_region_and_kind_from_the_command_line(db_file):
    refused = cli("import", CLERK / "long-no-region.csv", "--db", db_file)
    assert refused.returncode == 1 and "--parent" in refused.stderr
    ok = cli("import", CLERK / "long-no-region.csv", "--parent", P, "--db", db_file)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert sorted(c.execute("select a.name, a.kind, r.path from agencies as a "
                                "join regions as r on r.id = a.region_id").fetchall()) == sorted(
            [("白石乡", "乡", P), ("示例县司法局", "部门", P)])


def test_汇总_or_政府_is_never_inferred_on_the_command_line_either(db_file):
    refused = cli("import", CLERK / "county-government.csv", "--db", db_file)
    assert refused.returncode == 1 and "kind-needed" not in refused.stdout
    assert "是本级政府汇总各部门、乡镇的报告（汇总），还是政府自身的报告（政府）" in refused.stdout
    assert "--kind" in refused.stderr and count_reports(db_file) == 0
    assert cli("import", CLERK / "county-government.csv", "--kind", "本级", "--db", db_file).returncode == 2
    ok = cli("import", CLERK / "county-government.csv", "--kind", "汇总", "--db", db_file)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert set(c.execute("select kind from agencies").fetchall()) == {("汇总",)}


def test_the_offices_kind_words_go_in_from_the_command_line(db_file):
    ok = cli("import", CLERK / "gbk-office-kinds.csv", "--db", db_file)
    assert ok.returncode == 0 and "警告" not in ok.stdout, ok.stdout
    with duckdb.connect(str(db_file), read_only=True) as c:
        assert dict(c.execute("select name, kind from agencies").fetchall())["城南街道办事处"] == "街道"


def test_an_old_excel_file_with_the_offices_words_and_no_region_goes_in_with_parent(db_file):
    """The issue's own words: `python -m disclosure import file.xls --parent 某省/某市/某县`, on an .xls written by
    another program, whose 单位类型 are the offices' words and which has no 所属地区 column."""
    xls = CLERK / "office-kinds-no-region.xls"
    refused = cli("import", xls, "--db", db_file)
    assert refused.returncode == 1 and "--parent" in refused.stderr and count_reports(db_file) == 0
    ok = cli("import", xls, "--parent", P, "--db", db_file)
    assert ok.returncode == 0 and "警告" not in ok.stdout, ok.stdout + ok.stderr
    with duckdb.connect(str(db_file), read_only=True) as c:
        stored = c.execute("select a.name, a.kind, r.path from agencies as a join regions as r on r.id = a.region_id "
                           "order by a.name").fetchall()
        published = c.execute("select f.value from facts as f join reports as rp on rp.id = f.report_id join agencies "
                              "as a on a.id = rp.agency_id where a.name = '城南街道办事处' and f.metric = 's1.published_total'")
        assert published.fetchall() == [(60,)]
    assert stored == sorted([("示例县教育局", "部门", P), ("示例县财政局", "部门", P), ("城南街道办事处", "街道", P),
                             ("示例县经济开发区", "园区", P), ("龙山乡", "乡", P), ("示例县住房和城乡建设局", "部门", P)])


def test_export_for_excel_neutralises_formulas_and_the_interchange_csv_imports_back_unchanged(db_file, tmp_path):
    """The interchange CSV is the database letter for letter (a name =1+1乡 stays so, and imports back unchanged);
    --for-excel writes the form meant for opening in Excel, where that name would run as a formula."""
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(f"agency,year,kind,parent,version,s3.new.total\n=1+1乡,2021,乡,{P},2021,3\n", encoding="utf-8")
    assert cli("import", hostile, "--db", db_file).returncode == 0
    plain_csv, excel_csv = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert cli("export", "-o", plain_csv, "--db", db_file).returncode == 0
    assert cli("export", "--for-excel", "-o", excel_csv, "--db", db_file).returncode == 0
    assert "\n=1+1乡," in plain_csv.read_text(encoding="utf-8-sig")
    assert "\n'=1+1乡," in excel_csv.read_text(encoding="utf-8-sig")
    again = cli("import", plain_csv, "--db", db_file)
    assert again.returncode == 0 and "与已存相同 1 份" in again.stderr, again.stdout + again.stderr
    assert "--for-excel" in cli("export", "--help").stdout
