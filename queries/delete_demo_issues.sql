-- delete_demo_issues: the issue records of the demo reports.
-- Grain: all issue records of reports written by demo batches.
-- Params: none
delete from report_issues
where report_id in (select rp.id from reports as rp join batches as b on b.id = rp.batch_id where b.is_demo)
