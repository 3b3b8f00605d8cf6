-- current_reports_list: every current report with its agency, region and batch.
-- Grain: one row per current report.
-- Params: none
select rp.id as report_id, a.id as agency_id, a.name as agency, a.kind, r.path as parent, rp.year, rp.version,
       rp.batch_id, b.is_demo
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
order by r.path, a.name, rp.year
