-- agency_facts: every stated cell of one agency's current reports, to lay each year out as the official form.
-- Grain: one row per (current report of the agency, metric). $region is the agency's own region path.
-- Params: $agency, $region
select rp.year, rp.version, rp.id as report_id, f.metric, f.value
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join facts as f on f.report_id = rp.id
where a.name = $agency and r.path = $region
order by rp.year, f.metric
