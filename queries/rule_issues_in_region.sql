-- rule_issues_in_region: the stored rule violations of the current reports of a region (and the regions below
-- it; '' for all), with the agency's name, kind and region.
-- Grain: one row per violation.
-- Params: $region
select r.path as region, a.name as agency, a.kind, ri.year, ri.rule, ri.code, ri.severity, ri.message, ri.cells
from rule_issues as ri
join agencies as a on a.id = ri.agency_id
join regions as r on r.id = ri.region_id
where $region = '' or in_region(r.path, $region)
order by r.path, a.name, ri.year, ri.code, ri.message
