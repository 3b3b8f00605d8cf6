-- delete_demo_reports: the demo reports themselves.
-- Grain: all reports written by demo batches.
-- Params: none
delete from reports
where batch_id in (select b.id from batches as b where b.is_demo)
