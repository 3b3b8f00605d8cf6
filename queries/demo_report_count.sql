-- demo_report_count: how many reports the demo batches wrote.
-- Grain: one row.
-- Params: none
select count(*) as n
from reports as rp
join batches as b on b.id = rp.batch_id
where b.is_demo
