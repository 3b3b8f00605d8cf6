-- demo_regions: the regions whose agencies have a report written by a demo batch.
-- Grain: one row per region.
-- Params: none
select distinct a.region_id
from reports as rp
join agencies as a on a.id = rp.agency_id
join batches as b on b.id = rp.batch_id
where b.is_demo
