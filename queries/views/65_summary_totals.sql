-- summary_totals: summary_totals_of every region, stored, so the 汇总 check reads one row per compared cell instead
-- of summing a province's cells on each call (2.6 s for 29 million). Every write that changes which reports are
-- current recomputes the regions it touched (queries/delete_summary_totals.sql, insert_summary_totals.sql). Made
-- again here, and only then, whenever a file of queries/views/ changed (db.migrate). Tests check the table
-- equals summary_totals_of(every region) after imports, replacements, undo and demo removal.
create or replace table summary_totals as
select * from summary_totals_of((select list(id) from regions))
order by region_id, year, report_id, metric;
