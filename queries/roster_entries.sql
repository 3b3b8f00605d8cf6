-- roster_entries: the 单位名单 as stored, with each agency's name, kind and region.
-- Grain: one row per listed agency.
-- Params: none
select ro.agency_id, a.name as agency, a.kind, r.path as region, ro.active_from, ro.active_to,
       ro.file_name, ro.imported_by, ro.imported_at, ro.is_demo
from roster as ro
join agencies as a on a.id = ro.agency_id
join regions as r on r.id = a.region_id
order by r.path, a.kind, a.name
