-- report_figures: report_figures_computed, stored. A report's cells never change once written (a correction is a
-- new report), so its figures are computed once, when ingest commits it (queries/insert_report_figures.sql), and
-- deleted with it; report_summary then reads one row per report instead of pivoting every stored cell (a province
-- holds 20 million). Made again here, and only then, whenever a file of queries/views/ changed (db.migrate), so
-- the stored rows always follow the definition of today. Tests check the table equals the view after imports,
-- replacements, undo and demo removal.
create or replace table report_figures as
select * from report_figures_computed
order by report_id;
