"""The one write path: bad files refused with every problem named, good files committed, replace and undo."""
from __future__ import annotations

from pathlib import Path

import pytest

from disclosure import ingest
from disclosure.ingest import quality
from disclosure.issues import Refusal
from disclosure.present import export
from disclosure.read.read_table import read_table
from disclosure.store import sql
from tests.conftest import DATA, import_bytes

BAD = sorted((DATA / "bad").glob("*.*"))
GOOD = sorted((DATA / "good").glob("*.*"))
P = "示例省/示例市/测试县"
ID = "agency,year,kind,parent,version"


def stored(con) -> dict:
    """Everything a user could lose: counts of each table."""
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("regions", "agencies", "batches", "sources", "reports", "facts", "report_issues")}


def current_value(con, agency: str, year: int, metric: str):
    row = con.execute(
        "select f.value from current_reports rp join agencies a on a.id = rp.agency_id "
        "join facts f on f.report_id = rp.id where a.name = $a and rp.year = $y and f.metric = $m",
        {"a": agency, "y": year, "m": metric}).fetchone()
    return None if row is None else row[0]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_file_is_refused_with_its_issue_and_nothing_is_written(con, path: Path):
    before = stored(con)
    plan, summary = import_bytes(con, {path.name: path.read_bytes()})
    expected = path.name.split("--")[0]
    assert summary is None
    assert expected in {i.code for i in plan.blocking()}
    for issue in plan.issues:
        assert issue.file == path.name and issue.message
    assert stored(con) == before


@pytest.mark.slow
@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_file_commits_and_reimport_changes_nothing(con, path: Path):
    plan, summary = import_bytes(con, {path.name: path.read_bytes()})
    assert plan.blocking() == [], [i.message for i in plan.blocking()]
    assert summary.new == len(plan.drafts) > 0
    after = stored(con)
    again, summary = import_bytes(con, {path.name: path.read_bytes()})
    assert again.count("unchanged") == len(again.drafts) and summary.batch_id is None
    assert stored(con) == after


def test_every_problem_in_a_file_is_listed_at_once(con):
    text = (f"{ID},三 本年新收 自然,s3.new.natural,s3.new.total,s3.granted.total\n"
            f"青山乡,2021,乡,{P},2021,1,3件,-2,1.5\n"
            f",2021,乡,{P},2021,1,1,1,1\n"
            f"河口镇,2035,镇,{P},2021,1,1,1,1\n"
            f"石门镇,2021,镇,{P},2021,1,约5,5,5\n"
            f"石门镇人民政府,2021,镇,{P},2021,1,5,5,5\n")
    plan, summary = import_bytes(con, {"many.csv": text.encode("gbk")})
    found = {(i.code, i.row, i.column) for i in plan.issues}
    assert {("unknown-column", 1, "三 本年新收 自然"), ("not-a-number", 2, "s3.new.natural"),
            ("negative-count", 2, "s3.new.total"), ("not-an-integer", 2, "s3.granted.total"),
            ("missing-agency", 3, "agency"), ("year-out-of-range", 4, "year"),
            ("not-a-number", 5, "s3.new.natural"), ("duplicate-report", 6, "")} <= found
    assert summary is None and stored(con)["reports"] == 0


def test_messages_name_row_column_and_value_in_chinese(con):
    plan, _ = import_bytes(con, {"a.csv": f"{ID},三 本年新收 自然人\n青山乡,2021,乡,{P},2021,3件\n".encode()})
    issue = next(i for i in plan.issues if i.code == "not-a-number")
    assert (issue.file, issue.row, issue.column, issue.value, issue.rule) == ("a.csv", 2, "三 本年新收 自然人", "3件", "R5")
    assert "第2行" in issue.message and "3件" in issue.message and issue.suggestion == "改为 3"


def test_unknown_column_suggests_the_closest_header(con):
    plan, _ = import_bytes(con, {"a.csv": (DATA / "bad" / "unknown-column--typo.csv").read_bytes()})
    issue = next(i for i in plan.issues if i.code == "unknown-column")
    assert "三 本年新收 自然人" in issue.suggestion


def test_missing_markers_are_missing_not_zero(con):
    text = f"{ID},s3.new.natural,s3.new.business,s3.new.research,s3.new.nonprofit,s3.new.legal,s3.new.total\n" \
           f"青山乡,2021,乡,{P},2021,1,/,-,—,无,\n"
    plan, summary = import_bytes(con, {"a.csv": text.encode()})
    assert summary.cells == 1
    assert current_value(con, "青山乡", 2021, "s3.new.natural") == 1
    assert current_value(con, "青山乡", 2021, "s3.new.business") is None


def test_signed_delta_and_decimal_amounts(con):
    text = f"{ID},s2.licensing.delta,s2.procurement.amount,s2.licensing.prev_items\n青山乡,2020,乡,{P},2019,-11,70487.5,+19\n"
    import_bytes(con, {"a.csv": text.encode()})
    assert current_value(con, "青山乡", 2020, "s2.licensing.delta") == -11
    assert current_value(con, "青山乡", 2020, "s2.procurement.amount") == 70487.5
    assert current_value(con, "青山乡", 2020, "s2.licensing.prev_items") == 19


def test_version_is_inferred_from_version_only_cells_then_from_the_year(con):
    text = (f"agency,year,kind,parent,s2.normdocs.issued,s3.new.total\n青山乡,2020,乡,{P},1,\n"
            f"河口镇,2020,镇,{P},,1\n城关镇,2022,镇,{P},,1\n")
    plan, _ = import_bytes(con, {"a.csv": text.encode()})
    assert [d.version for d in plan.drafts] == ["2021", "2019", "2021"]
    notice = next(i for i in plan.issues if i.code == "version-by-year")
    assert not notice.is_error and "3" in notice.message


def test_arithmetic_error_blocks_until_knowingly_accepted_and_the_acceptance_is_recorded(con):
    data = (DATA / "bad" / "r1-balance--unbalanced.csv").read_bytes()
    plan = ingest.prepare(con, [read_table("r1.csv", data)])
    assert [i.code for i in plan.blocking()] == ["r1-balance"]
    with pytest.raises(Refusal):
        ingest.commit(con, plan, user="张三", via="测试")
    assert stored(con)["reports"] == 0
    ingest.commit(con, plan, user="张三", via="测试", accept_errors={"r1.csv:2"})
    rows = con.execute("select code, accepted_by, accepted_at is not null from report_issues").fetchall()
    assert rows == [("r1-balance", "张三", True)]


def test_value_errors_cannot_be_accepted(con):
    plan = ingest.prepare(con, [read_table("n.csv", (DATA / "bad" / "negative-count--minus.csv").read_bytes())])
    assert plan.blocking(accept_errors=True)


def test_a_rejected_batch_writes_none_of_its_good_rows(con):
    good = (DATA / "good" / "wide-codes-utf8.csv").read_bytes()
    bad = (DATA / "bad" / "not-a-number--with-unit.csv").read_bytes()
    plan, summary = import_bytes(con, {"good.csv": good, "bad.csv": bad})
    assert summary is None and {d.file for d in plan.drafts} == {"good.csv", "bad.csv"}
    assert stored(con)["reports"] == 0


@pytest.mark.slow
def test_aliases_match_one_agency(con):
    import_bytes(con, {"a.csv": f"{ID},s3.new.total\n海青乡人民政府,2020,乡,{P},2019,0\n".encode()})
    plan, summary = import_bytes(con, {"b.csv": "agency,year,s3.new.total\n海青乡,2021,0\n".encode()})
    assert summary.new == 1
    assert con.execute("select count(*) from agencies").fetchone()[0] == 1
    aliases = {a for (a,) in con.execute("select alias from agency_aliases").fetchall()}
    assert aliases == {"海青乡人民政府", "海青乡"}


@pytest.mark.slow
def test_region_by_its_last_part_and_new_regions_listed(con):
    plan, _ = import_bytes(con, {"a.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,0\n".encode()})
    assert plan.new_regions == ["示例省", "示例省/示例市", P]
    plan, summary = import_bytes(con, {"b.csv": f"{ID},s3.new.total\n河口镇,2021,镇,测试县,2021,0\n".encode()})
    assert plan.new_regions == [] and plan.drafts[0].region_path == P


def test_new_agency_without_kind_takes_the_kind_its_name_tells(con):
    plan, summary = import_bytes(con, {"a.csv": f"agency,year,parent,s3.new.total\n示例县教育局,2021,{P},0\n".encode()})
    assert summary is not None and not [i for i in plan.issues if "kind" in i.code]
    assert con.execute("select kind from agencies").fetchone()[0] == "部门"


def test_new_agency_whose_name_tells_no_kind_gets_other_and_a_warning(con):
    plan, summary = import_bytes(con, {"a.csv": f"agency,year,parent,s3.new.total\n示例县某某公司,2021,{P},0\n".encode()})
    warning = next(i for i in plan.issues if i.code == "missing-kind")
    assert not warning.is_error and "其他" in warning.message and summary is not None
    assert con.execute("select kind from agencies").fetchone()[0] == "其他"


@pytest.mark.slow
def test_reupload_with_other_values_needs_replace_and_keeps_the_old_version(con):
    first = f"{ID},s3.new.natural,s3.new.total\n青山乡,2021,乡,{P},2021,1,1\n".encode()
    second = f"{ID},s3.new.natural,s3.new.total\n青山乡,2021,乡,{P},2021,2,2\n".encode()
    import_bytes(con, {"v1.csv": first})
    plan, summary = import_bytes(con, {"v2.csv": second})
    issue = next(i for i in plan.issues if i.code == "already-stored")
    assert summary is None and "2 处数值不同" in issue.message
    assert [(c, a, b) for c, a, b in plan.drafts[0].diff] == [("s3.new.natural", 1, 2), ("s3.new.total", 1, 2)]
    plan, summary = import_bytes(con, {"v2.csv": second}, replace=True, replace_reason="原报告更正")
    assert summary.replaced == 1
    assert current_value(con, "青山乡", 2021, "s3.new.total") == 2
    history = con.execute("select status, replace_reason, ended_by from reports order by id").fetchall()
    assert history == [("replaced", None, "测试"), ("current", "原报告更正", None)]


@pytest.mark.slow
def test_undo_restores_the_replaced_version_and_refuses_twice(con):
    import_bytes(con, {"v1.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,1\n".encode()})
    _, second = import_bytes(con, {"v2.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,2\n".encode()}, replace=True)
    assert ingest.undo(con, second.batch_id, user="李四") == 1
    assert current_value(con, "青山乡", 2021, "s3.new.total") == 1
    with pytest.raises(Refusal, match="已经撤销"):
        ingest.undo(con, second.batch_id, user="李四")


@pytest.mark.slow
def test_undo_refuses_while_a_later_batch_replaced_its_reports(con):
    _, first = import_bytes(con, {"v1.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,1\n".encode()})
    _, second = import_bytes(con, {"v2.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,2\n".encode()}, replace=True)
    with pytest.raises(Refusal, match=f"批次 {second.batch_id}"):
        ingest.undo(con, first.batch_id, user="李四")
    ingest.undo(con, second.batch_id, user="李四")
    ingest.undo(con, first.batch_id, user="李四")
    assert con.execute("select count(*) from current_reports").fetchone()[0] == 0


@pytest.mark.slow
def test_commit_refuses_a_plan_made_stale_by_another_commit(con):
    text = f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,1\n".encode()
    import_bytes(con, {"v0.csv": text})
    changed = f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,3\n".encode()
    stale = ingest.prepare(con, [read_table("v1.csv", changed)], replace=True)
    import_bytes(con, {"v2.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,2\n".encode()}, replace=True)
    with pytest.raises(ingest.StaleImport):
        ingest.commit(con, stale, user="测试", via="测试")
    assert current_value(con, "青山乡", 2021, "s3.new.total") == 2


@pytest.mark.slow
@pytest.mark.parametrize("region_exists", [False, True], ids=["new region", "known region"])
def test_two_sessions_adding_the_same_new_agency_write_it_once(con, region_exists):
    """Two dashboard sessions checked the same new agency's report before either committed: the second commit
    is refused with a reason (not a constraint error), and the agency and its report exist once."""
    if region_exists:
        import_bytes(con, {"other.csv": f"{ID},s3.new.total\n河口镇,2021,镇,{P},2021,1\n".encode()})
    text = f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,1\n".encode()
    first, second = (ingest.prepare(con, [read_table(f"{n}.csv", text)]) for n in ("甲", "乙"))
    ingest.commit(con, first, user="甲", via="测试")
    with pytest.raises(ingest.StaleImport, match="已由另一次导入新建"):
        ingest.commit(con, second, user="乙", via="测试")
    assert con.execute("select count(*) from agencies where name = '青山乡'").fetchone()[0] == 1
    assert con.execute("select count(*) from current_reports").fetchone()[0] == 1 + region_exists
    assert con.execute("select count(*) from regions where path = $p", {"p": P}).fetchone()[0] == 1


def test_source_file_is_kept_byte_for_byte(con):
    data = (DATA / "good" / "wide-chinese-gbk.csv").read_bytes()
    import_bytes(con, {"gbk.csv": data})
    content, encoding = con.execute("select content, encoding from sources").fetchone()
    assert bytes(content) == data and encoding == "gb18030"


@pytest.mark.slow
def test_carry_over_is_checked_against_the_stored_year_before(con):
    import_bytes(con, {"a.csv": f"{ID},s3.carried_out.total\n青山乡,2021,乡,{P},2021,2\n".encode()})
    plan, summary = import_bytes(con, {"b.csv": f"{ID},s3.carried_in.total\n青山乡,2022,乡,{P},2021,3\n".encode()})
    warning = next(i for i in plan.issues if i.code == "c1-carry-over")
    assert not warning.is_error and warning.cells == {"s3.carried_in.total": 3, "s3.carried_out.total@2021": 2}
    assert summary is not None


def test_suggestions_are_offered_not_stored(con):
    text = f"{ID},s4.review.upheld,s4.review.corrected,s4.review.other,s4.review.pending,s4.review.total\n" \
           f"青山乡,2021,乡,{P},2021,1,1,0,0,\n"
    plan, _ = import_bytes(con, {"a.csv": text.encode()})
    assert plan.drafts[0].suggested == {"s4.review.total": 2}
    assert current_value(con, "青山乡", 2021, "s4.review.total") is None


@pytest.mark.slow
def test_export_imports_back_unchanged_in_both_shapes(con):
    import_bytes(con, {p.name: p.read_bytes() for p in GOOD})
    import_bytes(con, {"seed.csv": (DATA / "haiqing-2020.csv").read_bytes()})
    for frame in (export.wide_frame(con), export.long_frame(con)):
        plan, summary = import_bytes(con, {"export.csv": export.to_csv(frame)})
        assert plan.blocking() == [] and plan.count("unchanged") == len(plan.drafts) == 7


def test_export_writes_integers_without_decimal_point(con):
    import_bytes(con, {"long.csv": (DATA / "good" / "long-utf8-bom.csv").read_bytes()})
    text = export.to_csv(export.long_frame(con)).decode("utf-8-sig")
    assert "s2.licensing.delta,-3," in text and "70487.5" in text and ",4.0," not in text


@pytest.mark.slow
def test_demo_batch_names_its_files_and_counts_reports(con):
    import_bytes(con, {"a.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,1\n".encode()})
    history = sql.run(con, "batch_history")
    assert history[["files", "reports", "still_current"]].values.tolist() == [["a.csv", 1, 1]]
    import_bytes(con, {"b.csv": f"{ID},s3.new.total\n青山乡,2021,乡,{P},2021,2\n".encode()}, replace=True,
                 replace_reason="更正")
    history = sql.run(con, "batch_history")
    assert history[["files", "reports", "still_current", "replaced_earlier"]].values.tolist() == [
        ["b.csv", 1, 1, 1], ["a.csv", 1, 0, 0]]


def test_arithmetic_errors_of_a_long_file_are_accepted_per_report(con):
    text = (f"agency,year,metric,value,kind,parent,version\n青山乡,2021,s3.new.total,5,乡,{P},2021\n"
            f"青山乡,2021,s3.carried_in.total,0,乡,{P},2021\n青山乡,2021,s3.handled_total.total,4,乡,{P},2021\n"
            f"青山乡,2021,s3.carried_out.total,0,乡,{P},2021\n")
    plan = ingest.prepare(con, [read_table("long.csv", text.encode())])
    assert [i.code for i in plan.blocking()] == ["r1-balance"]
    assert plan.blocking(accept_errors={plan.drafts[0].ref}) == []


def test_arithmetic_errors_of_a_report_document_are_accepted(con):
    from disclosure.read.report_files import read_file
    from tests.report_texts import report_text

    values = {"s4.review.upheld": 1.0, "s4.review.corrected": 0.0, "s4.review.other": 0.0, "s4.review.pending": 0.0,
              "s4.review.total": 2.0}
    rf = read_file("r.txt", report_text(values, "2021", "pipe").encode(), parent=P, kind_of_agency="乡")
    plan = ingest.prepare(con, [rf])
    assert [i.code for i in plan.blocking()] == ["r4-appeal-total"]
    assert plan.blocking(accept_errors={plan.drafts[0].ref}) == []


def test_the_rule_frame_holds_each_stated_cell_of_each_current_report_of_its_region(con):
    other = "示例省/示例市/别的县"
    import_bytes(con, {"a.csv": (f"{ID},s3.new.total,s1.published_total\n青山乡,2021,乡,{P},2021,5,\n"
                                 f"青山乡,2022,乡,{P},2021,,7\n石门镇,2021,镇,{other},2021,3,\n").encode()})
    frame = quality.stored_frame(con, P)
    assert [c for c in frame.columns if c.startswith("s")] == ["s1.published_total", "s3.new.total"]
    assert frame[["agency", "year", "s1.published_total", "s3.new.total"]].fillna(-1).values.tolist() == [
        ["青山乡", 2021, -1, 5], ["青山乡", 2022, 7, -1]]
    assert frame["county_level"].tolist() == [True, True]
    assert sorted(quality.stored_frame(con)["agency"]) == ["石门镇", "青山乡", "青山乡"]
