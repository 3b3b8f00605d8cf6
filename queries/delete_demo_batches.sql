-- delete_demo_batches: the demo batches themselves, last.
-- Grain: demo batches.
-- Params: none
delete from batches where is_demo
