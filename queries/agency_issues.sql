-- agency_issues: the issue records found at import for every report of one agency, incl. knowingly accepted errors.
-- Grain: one row per issue record. $region is the agency's own region path.
-- Params: $agency, $region
select rp.year, rp.id as report_id, rp.status, ri.severity, ri.rule, ri.code, ri.message, ri.column_name,
       ri.cells, ri.accepted_by, ri.accepted_at
from report_issues as ri
join reports as rp on rp.id = ri.report_id
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
where a.name = $agency and r.path = $region
order by rp.year desc, rp.id desc, ri.severity, ri.rule, ri.code
