-- reports_in_region: the current reports of a region (and the regions below it; '' for all) with agency,
-- region and batch, as the rule engine's frame starts.
-- Grain: one row per current report.
-- Params: $region, $regions (region ids; [] for no restriction)
select rp.id as report_id, a.id as agency_id, a.region_id, a.name as agency, a.kind, r.path as parent, rp.year, rp.version,
       rp.batch_id, b.is_demo
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
where ($region = '' or in_region(r.path, $region))
  and (len($regions) = 0 or list_contains($regions, a.region_id))
-- cells_in_region numbers its rows in this order
order by r.path, a.name, rp.year, rp.id
