-- batch_regions: the regions whose agencies have a report in the batch — the regions an import or its
-- undo changes (a replaced report belongs to the same agency as the report replacing it).
-- Grain: one row per region.
-- Params: $batch_id
select distinct a.region_id
from reports as rp
join agencies as a on a.id = rp.agency_id
where rp.batch_id = $batch_id
