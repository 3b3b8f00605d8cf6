-- current_facts_long: every cell of every current report, with its agency and region.
-- Grain: one row per (current report, metric); reports without cells are left out.
-- Params: none
select a.name as agency, rp.year, f.metric, f.value, a.kind, r.path as parent, rp.version,
       rp.id as report_id, a.id as agency_id
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join facts as f on f.report_id = rp.id
order by r.path, a.name, rp.year
