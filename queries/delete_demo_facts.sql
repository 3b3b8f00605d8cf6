-- delete_demo_facts: the cells of the demo reports.
-- Grain: all facts of reports written by demo batches.
-- Params: none
delete from facts
where report_id in (select rp.id from reports as rp join batches as b on b.id = rp.batch_id where b.is_demo)
