"""The pages under AppTest: upload → review → commit → history → undo, the overview, the navigation."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from disclosure.store import db
from tests.conftest import import_bytes

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "haiqing-2020.csv"
SEED_FILE = "haiqing-2020.csv"


# --- helpers ---------------------------------------------------------------------------------------------------

def page(name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / name), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def seed_csv(**overrides) -> bytes:
    """The seed report (海青乡 2020) as a wide CSV, with some cells changed by code: seed_csv(**{"s1.x": "5"})."""
    header, row = list(csv.reader(io.StringIO(SEED.read_text(encoding="utf-8-sig"))))
    values = dict(zip(header, row))
    unknown = set(overrides) - set(values)
    assert not unknown, unknown
    values.update(overrides)
    return to_csv([header, [values[h] for h in header]])


def to_csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def small_report(agency: str) -> list[list[str]]:
    """A few cells of one 2020 report under the Chinese headers a clerk types."""
    return [["单位名称", "年度", "单位类型", "所属地区", "表格版本", "一 主动公开信息总数", "一 公开渠道 微信公众号",
             "一 公开渠道 其他方式", "三 本年新收 自然人", "三 本年新收 总计"],
            [agency, "2020", "镇", "示例省/示例市/示例县", "2019", "15", "10", "5", "0", "0"]]


def upload(at: AppTest, name: str, data: bytes, nonce: int = 0) -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def confirm_button(at: AppTest):
    return at.button(key="upload_commit")


def commit(at: AppTest) -> AppTest:
    confirm_button(at).click().run()
    assert not at.exception, at.exception
    return at


def issues(at: AppTest) -> pd.DataFrame:
    """The issue list on screen. A read-only st.dataframe has no element id, so `upload_issues` is found by its columns."""
    found = [d.value for d in at.dataframe if "代码" in d.value.columns and "级别" in d.value.columns]
    assert len(found) <= 1
    return found[0] if found else pd.DataFrame(columns=["级别", "文件", "行", "列", "原值", "规则", "问题", "建议", "代码"])


def table_with(at: AppTest, column: str) -> pd.DataFrame | None:
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def undo_box(at: AppTest):
    """The undo confirmation: a fresh box (its key changes) after every undo and for each batch."""
    [box] = [c for c in at.checkbox if (c.key or "").startswith("upload_undo_sure_")]
    return box


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def query(db_file: Path, statement: str, **params) -> pd.DataFrame:
    """What is stored, read through a second connection of this process (DuckDB shares the open instance)."""
    con = db.connect(db_file)
    try:
        return con.execute(statement, params).df()
    finally:
        con.close()


def reports(db_file: Path) -> pd.DataFrame:
    return query(db_file, """
        select rp.id, a.name as agency, rp.year, rp.status, rp.batch_id, rp.replaces
        from reports as rp join agencies as a on a.id = rp.agency_id
        order by rp.id""")


def published_total(db_file: Path, report_id: int) -> float:
    return query(db_file, "select value from facts where report_id = $id and metric = 's1.published_total'",
                 id=int(report_id))["value"].iloc[0]


def committed_seed(db_file: Path) -> AppTest:
    """The upload page after the seed file was uploaded and committed as batch 1."""
    at = upload(page("pages/upload.py"), SEED_FILE, SEED.read_bytes())
    commit(at)
    assert len(reports(db_file)) == 1
    return at


# --- upload page -----------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_good_file_is_checked_and_committed(db_file):
    at = upload(page("pages/upload.py"), SEED_FILE, SEED.read_bytes())

    assert issues(at).query("级别 == '错误'").empty
    assert metrics(at)["错误"] == "0" and metrics(at)["新增"] == "1"
    assert not confirm_button(at).disabled
    assert reports(db_file).empty, "nothing is written before the user confirms"

    commit(at)
    stored = reports(db_file)
    assert stored[["agency", "year", "status"]].values.tolist() == [["海青乡", 2020, "current"]]
    assert published_total(db_file, stored["id"].iloc[0]) == 71
    assert any("已写入批次" in s.value for s in at.success)
    assert not at.get("data_editor") and "upload_commit" not in [b.key for b in at.button], "the committed file is set aside"


BAD_ROWS = [
    ["agency", "year", "kind", "parent", "version", "s1.published_total", "s1.channel.wechat", "s1.channel.other",
     "三 本年新收 自然"],
    ["甲乡", "2020", "乡", "示例省/示例市/示例县", "2019", "3件", "1", "1", "1"],  # line 2: not a number
    ["乙乡", "2020", "乡", "示例省/示例市/示例县", "2019", "-2", "0", "0", ""],  # line 3: negative count
    ["丙乡", "2020", "乡", "示例省/示例市/示例县", "2019", "1.5", "1", "0", ""],  # line 4: fraction in a count
    ["", "2020", "乡", "示例省/示例市/示例县", "2019", "5", "3", "2", ""],  # line 5: no agency
    ["丁乡", "2099", "乡", "示例省/示例市/示例县", "2019", "5", "3", "2", ""],  # line 6: year out of range
    ["戊乡", "2020", "乡", "示例省/示例市/示例县", "2019", "5", "3", "2", ""],  # line 7
    ["戊乡", "2020", "乡", "示例省/示例市/示例县", "2019", "5", "3", "2", ""],  # line 8: same as line 7
]
EXPECTED_BAD = {  # code -> line (header = 1)
    "unknown-column": 1, "not-a-number": 2, "negative-count": 3, "not-an-integer": 4, "missing-agency": 5,
    "year-out-of-range": 6, "duplicate-report": 8}


@pytest.mark.slow
def test_bad_file_lists_every_problem_at_once_and_writes_nothing(db_file):
    at = upload(page("pages/upload.py"), "bad.csv", to_csv(BAD_ROWS))

    found = issues(at)
    errors = found[found["级别"] == "错误"]
    for code, line in EXPECTED_BAD.items():
        rows = errors[errors["代码"] == code]
        assert not rows.empty, f"{code} missing from {errors['代码'].tolist()}"
        assert rows["行"].tolist() == [line], (code, rows["行"].tolist())
        assert (rows["文件"] == "bad.csv").all()
    assert errors.loc[errors["代码"] == "unknown-column", "列"].tolist() == ["三 本年新收 自然"]
    assert errors.loc[errors["代码"] == "not-a-number", "原值"].tolist() == ["3件"]
    assert set(errors.loc[errors["代码"].isin(["not-a-number", "negative-count", "not-an-integer"]), "规则"]) == {"R5"}
    assert errors["问题"].str.len().gt(0).all()

    assert confirm_button(at).disabled
    assert any("修改后才能导入" in e.value for e in at.error)
    assert reports(db_file).empty
    assert query(db_file, "select count(*) as n from batches")["n"].iloc[0] == 0


@pytest.mark.slow
def test_arithmetic_error_can_be_knowingly_accepted(db_file):
    # one applicant more in 本年新收 than in what was handled or carried over: R1 breaks, R2 still holds
    data = seed_csv(**{"s3.new.natural": "2", "s3.new.total": "2"})
    at = upload(page("pages/upload.py"), "r1.csv", data)

    r1 = issues(at).query("代码 == 'r1-balance'")
    assert not r1.empty and set(r1["规则"]) == {"R1"} and set(r1["行"]) == {2}
    assert confirm_button(at).disabled

    accept = at.checkbox(key="upload_accept_0_r1.csv:2")
    assert "海青乡" in accept.label
    accept.check().run()
    assert not at.exception
    assert not confirm_button(at).disabled

    commit(at)
    stored = reports(db_file)
    assert stored[["agency", "year", "status"]].values.tolist() == [["海青乡", 2020, "current"]]
    recorded = query(db_file, "select code, rule, accepted_by, accepted_at from report_issues "
                              "where code = 'r1-balance'")
    assert len(recorded) == len(r1)
    assert recorded["accepted_by"].notna().all() and recorded["accepted_at"].notna().all()


@pytest.mark.slow
def test_value_errors_offer_no_acceptance(db_file):
    at = upload(page("pages/upload.py"), "bad.csv", to_csv(BAD_ROWS))
    assert not [c for c in at.checkbox if (c.key or "").startswith("upload_accept_")]
    assert confirm_button(at).disabled


@pytest.mark.slow
def test_same_file_again_is_unchanged_and_not_written(db_file):
    at = committed_seed(db_file)
    upload(at, SEED_FILE, SEED.read_bytes(), nonce=1)

    assert metrics(at)["与已存相同"] == "1" and metrics(at)["新增"] == "0"
    assert confirm_button(at).disabled
    assert any("与已存数据相同" in i.value for i in at.info)
    assert len(reports(db_file)) == 1


@pytest.mark.slow
def test_changed_values_need_replace_then_keep_the_old_version(db_file):
    at = committed_seed(db_file)
    changed = seed_csv(**{"s1.published_total": "72", "s1.channel.other": "29"})
    upload(at, "haiqing-2020-v2.csv", changed, nonce=1)

    stored_error = issues(at).query("代码 == 'already-stored'")
    assert stored_error["行"].tolist() == [2]
    assert confirm_button(at).disabled
    diff = table_with(at, "已存")
    assert diff is not None
    assert sorted(zip(diff["已存"], diff["新文件"])) == [("28", "29"), ("71", "72")]

    at.checkbox(key="upload_replace").check().run()
    assert not at.exception
    at.text_input(key="upload_reason").input("更正主动公开数").run()
    assert issues(at).query("代码 == 'already-stored'").empty
    assert metrics(at)["替换"] == "1"
    assert not confirm_button(at).disabled

    commit(at)
    stored = reports(db_file)
    assert stored["status"].tolist() == ["replaced", "current"]
    assert stored["replaces"].iloc[1] == stored["id"].iloc[0]
    assert published_total(db_file, stored["id"].iloc[1]) == 72
    reason = query(db_file, "select replace_reason from reports where status = 'current'")["replace_reason"]
    assert reason.tolist() == ["更正主动公开数"]


@pytest.mark.slow
def test_undo_last_batch_restores_the_replaced_report(db_file):
    at = committed_seed(db_file)
    upload(at, "haiqing-2020-v2.csv", seed_csv(**{"s1.published_total": "72", "s1.channel.other": "29"}), nonce=1)
    at.checkbox(key="upload_replace").check().run()
    commit(at)
    assert reports(db_file)["status"].tolist() == ["replaced", "current"]

    history = table_with(at, "现行报告数")
    assert history["批次"].tolist() == [2, 1]
    assert at.button(key="upload_undo").disabled, "undo needs the confirmation box ticked"
    at.selectbox(key="upload_undo_batch").set_value(2).run()
    label = undo_box(at).label.replace("\\", "")  # names are escaped for Markdown
    assert "批次 2（haiqing-2020-v2.csv" in label and "1 份报告" in label
    undo_box(at).check().run()
    at.button(key="upload_undo").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any("已撤销批次 2" in s.value for s in at.success)

    stored = reports(db_file)
    assert stored["status"].tolist() == ["current", "undone"]
    assert published_total(db_file, stored.query("status == 'current'")["id"].iloc[0]) == 71
    undone = query(db_file, "select id, undone_by from batches where undone_at is not null")
    assert undone["id"].tolist() == [2] and undone["undone_by"].notna().all()


@pytest.mark.slow
def test_history_is_up_to_date_right_after_undo(db_file):
    at = committed_seed(db_file)
    at.selectbox(key="upload_undo_batch").set_value(1).run()
    undo_box(at).check().run()
    at.button(key="upload_undo").click().run()
    assert not at.exception, at.exception
    assert reports(db_file)["status"].tolist() == ["undone"]

    history = table_with(at, "现行报告数")
    assert history["现行报告数"].tolist() == [0]
    assert "upload_undo_batch" not in [s.key for s in at.selectbox]


@pytest.mark.slow
@pytest.mark.demo
def test_demo_data_can_be_removed_from_the_history_tab(con, db_file):
    at = upload(page("pages/upload.py"), "澄江镇-2020.csv", to_csv(small_report("澄江镇人民政府")))
    commit(at)
    mine = query(db_file, "select id from batches where not is_demo")["id"].tolist()
    assert at.selectbox(key="upload_undo_batch").options == [f"批次 {b}" for b in mine], "only the user's batch"

    at.button(key="upload_remove_demo").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("已删除示例数据") for s in at.success)
    assert query(db_file, "select count(*) as n from batches where is_demo")["n"].iloc[0] == 0
    assert reports(db_file)[["agency", "status"]].values.tolist() == [["澄江镇人民政府", "current"]]


@pytest.mark.slow
def test_gbk_file_commits_with_its_chinese_names(db_file):
    data = to_csv(small_report("澄江镇人民政府"), encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    at = upload(page("pages/upload.py"), "澄江镇-2020.csv", data)

    assert [e.label.replace("\\", "") for e in at.expander] == ["澄江镇-2020.csv：1 行，10 列，编码 gb18030"]
    assert issues(at).query("级别 == '错误'").empty
    commit(at)
    stored = reports(db_file)
    assert stored[["agency", "year"]].values.tolist() == [["澄江镇人民政府", 2020]]
    assert published_total(db_file, stored["id"].iloc[0]) == 15
    assert query(db_file, "select encoding from sources")["encoding"].tolist() == ["gb18030"]


@pytest.mark.slow
def test_file_over_the_size_limit_is_refused_unread(db_file, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_MAX_UPLOAD_MB", "0.001")  # about 1 KB

    def must_not_read(*args, **kwargs):
        raise AssertionError("a file over the limit was read")

    monkeypatch.setattr("disclosure.read.isolated.read_table_file", must_not_read)
    data = SEED.read_bytes()[:2048]
    assert len(data) == 2048
    at = upload(page("pages/upload.py"), "big.csv", data)

    found = issues(at)
    assert found["代码"].tolist() == ["file-too-large"]
    assert found["级别"].tolist() == ["错误"] and found["文件"].tolist() == ["big.csv"]
    assert confirm_button(at).disabled
    assert reports(db_file).empty


@pytest.mark.slow
def test_templates_can_be_downloaded(db_file):
    at = page("pages/upload.py")
    keys = {b.key for b in at.get("download_button")}
    assert {"upload_template_2021_csv", "upload_template_2021_xlsx",
            "upload_template_2019_csv", "upload_template_2019_xlsx", "roster_template_csv", "roster_template_xlsx"} <= keys
    assert [t.label for t in at.tabs] == ["上传并检查", "导入历史与撤销", "单位名单", "填报模板"]


@pytest.mark.slow
def test_upload_page_on_an_empty_database(db_file):
    at = page("pages/upload.py")
    assert any("上传后先检查" in i.value for i in at.info)
    assert any("还没有导入记录" in i.value for i in at.info)
    assert reports(db_file).empty, "an existing empty file gets no demo data"


# --- overview and navigation -----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.demo
def test_overview_with_demo_data(con):
    at = page("pages/overview.py")
    assert at.selectbox(key="filter_region").value == "示例省/示例市/示例县"

    at.selectbox(key="filter_year").set_value(2020).run()
    assert not at.exception, at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["overview_ranking", "overview_heatmap", "overview_channels"]
    labels = [m.label for m in at.metric]
    assert labels == ["收到报告（份）", "主动公开信息", "本年新收申请", "公开率", "行政复议和诉讼", "勾稽关系错误"]
    shown = metrics(at)
    assert shown["收到报告（份）"] == "20 / 19" and shown["主动公开信息"].endswith("条")  # 海青乡 first reports in 2020
    assert shown["公开率"].endswith("%") and shown["勾稽关系错误"] == "0 处"

    agencies = table_with(at, "主动公开（条）")
    assert agencies is not None
    at.selectbox(key="filter_year").set_value(2022).run()
    assert metrics(at)["勾稽关系错误"] == "5 处"  # the demo's deliberate R1–R4 breaks of 2022
    at.selectbox(key="filter_year").set_value(2020).run()
    agencies = table_with(at, "主动公开（条）")
    haiqing = agencies[agencies["单位"] == "海青乡"]
    assert haiqing["主动公开（条）"].tolist() == [71]
    shared = {"region": "示例省/示例市/示例县", "year": "2020", "from": "2019", "to": "2025"}
    assert {k: at.query_params[k] for k in shared} == shared, "a copied link opens the same view"


def test_overview_on_an_empty_database(db_file):
    at = page("pages/overview.py")
    assert any("还没有报告" in i.value for i in at.info)
    assert not at.get("plotly_chart")


@pytest.mark.slow
def test_dashboard_navigates_to_both_pages(con):
    import_bytes(con, {SEED_FILE: SEED.read_bytes()})
    at = page("dashboard.py")
    assert at.title.values == ["总览"]
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    assert at.title.values == ["数据上传"]
