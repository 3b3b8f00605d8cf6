-- demo_batch_count: how many demo batches are stored (0 = no demo data).
-- Grain: one row.
-- Params: none
select count(*) as n from batches as b where b.is_demo
