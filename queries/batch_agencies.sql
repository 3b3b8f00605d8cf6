-- batch_agencies: the agencies whose reports a batch wrote, to check who may undo it.
-- Grain: one row per agency.
-- Params: $batch_id
select distinct a.name as agency, r.path as region
from reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
where rp.batch_id = $batch_id
order by r.path, a.name
