-- delete_demo_sources: the files the demo imported.
-- Grain: sources of demo batches.
-- Params: none
delete from sources
where batch_id in (select b.id from batches as b where b.is_demo)
