-- agency_trend: one agency's key figures per year, from its current reports (report_summary, data-contract.md §5).
-- Grain: one row per year with a current report. $region is the agency's own region path.
-- Params: $agency, $region
select rs.year, rs.version, rs.published, rs.new_applications, rs.handled, rs.disclosure_rate, rs.appeals
from report_summary as rs
where rs.agency = $agency and rs.region = $region
order by rs.year
