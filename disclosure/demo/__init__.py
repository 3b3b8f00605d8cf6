"""The demo database: the synthetic county 示例县 and the real seed report, imported through ingest."""
from __future__ import annotations

import duckdb

from disclosure import ingest
from disclosure.config import DATA_DIR
from disclosure.demo.demo_data import COUNTY, demo_frame, demo_roster
from disclosure.ingest import roster
from disclosure.present import export
from disclosure.read import report_files
from disclosure.read.read_table import read_table
from disclosure.store import db, sql

DEMO_USER = "示例数据"
SEED_FILE = DATA_DIR / "samples" / "haiqing-2020.txt"  # the seed report's published text, read like any upload


def present(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(sql.run(con, "demo_batch_count")["n"].iloc[0])


def build(con: duckdb.DuckDBPyConnection) -> ingest.Summary | None:
    """Import the demo data unless it is already there; its deliberate rule breaks are accepted."""
    if present(con):
        return None
    frame, _ = demo_frame()
    seed = report_files.read_file(SEED_FILE.name, SEED_FILE.read_bytes(), parent=COUNTY, kind_of_agency="乡")
    _add_to_summary(frame, seed.reading.year, seed.reading.values)
    tables = [read_table("示例县-示例数据.csv", export.to_csv(frame)), seed]
    plan = ingest.prepare(con, tables)
    summary = ingest.commit(con, plan, user=DEMO_USER, via=DEMO_USER, accept_errors=True, is_demo=True)
    listed = roster.prepare(con, [read_table("示例县-单位名单.csv", export.to_csv(demo_roster()))])
    roster.commit(con, listed, user=DEMO_USER, is_demo=True, batch_id=summary.batch_id)
    return summary


def _add_to_summary(frame, year: int, values: dict[str, float]) -> None:
    """The seed township belongs to 示例县 too, so the county's 汇总 report of its year includes it."""
    row = (frame["kind"] == "汇总") & (frame["year"] == year)
    for code, value in values.items():
        if code in frame.columns:
            frame.loc[row, code] = frame.loc[row, code].fillna(0) + value


def remove(con: duckdb.DuckDBPyConnection) -> int:
    """Delete everything the demo batches wrote; what users imported stays. Returns the reports removed."""
    with db.transaction(con):
        n = sql.fetch(con, "demo_report_count")[0][0]
        regions = [r for (r,) in sql.fetch(con, "demo_regions")]
        for statement in ("delete_demo_roster", "delete_demo_facts", "delete_demo_issues", "delete_demo_figures",
                          "delete_demo_reports", "delete_demo_aliases", "delete_demo_agencies", "delete_demo_regions",
                          "delete_demo_sources", "delete_demo_batches"):
            sql.execute(con, statement)
        ingest.refresh_derived(con, regions)
        db.bump_data_version(con)
    return n
