-- quality_accepted_issues: errors recorded at import that someone knowingly accepted, on current reports.
-- Grain: one row per accepted issue record of a current report.
-- Params: $region, $year_from, $year_to
select a.name as agency, r.path as region, rp.year, ri.rule, ri.code, ri.message,
       ri.accepted_by, ri.accepted_at, rp.id as report_id, rp.batch_id
from report_issues as ri
join current_reports as rp on rp.id = ri.report_id
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
where ri.accepted_by is not null
  and in_region(r.path, $region)
  and rp.year between $year_from and $year_to
order by rp.year desc, a.name, ri.rule, ri.code
