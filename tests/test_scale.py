"""What the scale work relies on: the generator's known answer, and report_figures kept equal to its view."""
from __future__ import annotations

import gzip
from collections import Counter
from itertools import islice

import duckdb
import pandas as pd
import pytest

from bench import generate
from disclosure import demo, ingest
from disclosure.contract import rules
from disclosure.ingest import quality
from disclosure.store import db
from tests.conftest import DATA, figures_agree, import_bytes

pytestmark = pytest.mark.slow  # subprocesses, generated corpora or whole-database work: the full run only

SEED_FILE = "haiqing-2020.csv"


def found(issues) -> Counter:
    return Counter((i.agency, i.year, i.rule) for i in issues if i.rule)


def planted(violations) -> Counter:
    return Counter((v.agency, v.year, v.rule) for v in violations)


def test_generated_counties_break_exactly_the_planted_rules():
    """Twelve counties of the province scale: the rule engine finds what was planted and nothing else."""
    all_planted = []
    for county in islice(generate.counties("province", 1), 12):
        frame, violations = generate.county_frame(county, 1)
        checked = frame.assign(key=frame["agency"], county_level=True)
        assert found(rules.check(checked, previous=checked)) == planted(violations), county.path
        assert 60 <= frame["agency"].nunique() <= 90 and set(frame["year"]) == set(generate.YEARS)
        assert set(frame.loc[frame["year"] <= 2020, "version"]) == {"2019"}
        assert set(frame.loc[frame["year"] >= 2021, "version"]) == {"2021"}
        all_planted += violations
    assert len({v.rule for v in all_planted}) >= 2, "the seeds plant more than one kind of violation"


def test_every_national_county_gets_its_own_name():
    paths = [c.path for c in generate.counties("national", 1)]
    assert len(paths) == len(set(paths)) == 31 * 6 * 10


def test_generation_is_deterministic():
    first = [c.path for c in islice(generate.counties("national", 7), 5)]
    assert first == [c.path for c in islice(generate.counties("national", 7), 5)]
    county = next(generate.counties("county", 2))
    a, _ = generate.county_frame(county, 2)
    b, _ = generate.county_frame(county, 2)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("seed", [2, 9])  # a county with a planted C4, one with a planted P1
def test_generated_county_is_stored_through_the_import_path_with_its_violations(con, seed):
    result = generate.generate(con, "county", seed)
    frame, violations = generate.county_frame(next(generate.counties("county", seed)), seed)
    assert result["reports"] == len(frame) == con.execute("select count(*) from current_reports").fetchone()[0]
    assert planted(result["violations"]) == planted(violations) != Counter()
    assert found(quality.check_stored(con)) == planted(violations)
    assert con.execute("select count(*) from batches where created_by = $u", {"u": generate.USER}).fetchone()[0] == 1


def county_total(con, metric: str, year: int) -> float:
    """What the county's 汇总 report of the year is checked against: the sum over the other agencies."""
    return con.execute("select t.total from summary_totals as t join regions as r on r.id = t.region_id "
                       "where r.path = $c and t.year = $y and t.metric = $m",
                       {"c": demo.COUNTY, "y": year, "m": metric}).fetchone()[0]


def published(con, agency: str, year: int) -> float:
    frame = con.execute("select published from report_summary where agency = $a and year = $y",
                        {"a": agency, "y": year}).df()
    return frame["published"].iloc[0]


@pytest.mark.demo
def test_report_figures_follow_every_write(con):
    figures_agree(con)
    before = county_total(con, "s1.published_total", 2020)
    data = (DATA / SEED_FILE).read_bytes()
    changed = data.replace(",71,43,28,".encode(), ",72,44,28,".encode(), 1)
    assert changed != data
    _, summary = import_bytes(con, {"v2.csv": changed}, replace=True, accept_errors=True)
    assert summary and summary.replaced == 1 and published(con, "海青乡", 2020) == 72
    assert county_total(con, "s1.published_total", 2020) == before + 1
    figures_agree(con)
    ingest.undo(con, summary.batch_id, user="测试")
    assert published(con, "海青乡", 2020) == 71
    assert county_total(con, "s1.published_total", 2020) == before
    figures_agree(con)
    demo.remove(con)
    left = con.execute("select count(*) from reports").fetchone()[0]
    assert left == 1, "only the undone upload is left"
    assert con.execute("select count(*) from report_figures").fetchone()[0] == left
    assert con.execute("select count(*) from summary_totals").fetchone()[0] == 0, "no 汇总 report is left"
    figures_agree(con)


OLD_DATABASE = DATA / "upgrade" / "schema-0006.duckdb.gz"


def open_old_database(tmp_path):
    """The demo county in a file as the release of November 2026 made it, at schema 0006: its views were its
    migrations' own, and report_figures had no carried cells yet (made by commit 4ce132c with migrations 0001–0006)."""
    path = tmp_path / "old.duckdb"
    path.write_bytes(gzip.decompress(OLD_DATABASE.read_bytes()))
    return path


def test_a_database_made_by_an_earlier_release_opens_with_every_stored_view_rebuilt(tmp_path):
    path = open_old_database(tmp_path)
    with duckdb.connect(str(path), read_only=True) as old:
        assert "carried_in_natural" not in old.execute("select * from report_figures limit 0").df().columns
        reports = old.execute("select count(*) from reports").fetchone()[0]
    con = db.connect(path)
    try:
        assert con.execute("select count(*) from reports").fetchone()[0] == reports == 144
        carried = con.execute("select count(carried_in_natural), count(carried_out_org_other) from report_figures")
        assert min(carried.fetchone()) > 100
        figures_agree(con)
        assert con.execute("select count(*) from audit_log").fetchone()[0] == 0  # 0008 applied on the way
    finally:
        con.close()


def test_a_changed_definition_rebuilds_the_stored_views_and_an_unchanged_one_does_not(demo_file):
    first = "select published from report_figures order by report_id limit 1"
    con = db.connect(demo_file)
    con.execute("update report_figures set published = -1 where report_id = (select min(id) from reports)")
    con.close()
    con = db.connect(demo_file)  # the same definitions: the stored rows are kept as they are, at no cost
    assert con.execute(first).fetchone()[0] == -1
    version = db.data_version(con)
    con.execute("update meta set value = value + 1 where key = 'views_version'")  # as after an edit of queries/views/
    con.close()
    con = db.connect(demo_file)
    try:
        assert con.execute(first).fetchone()[0] != -1
        figures_agree(con)
        assert db.data_version(con) == version + 1, "the caches keyed by the data version are not served again"
    finally:
        con.close()
