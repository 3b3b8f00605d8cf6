-- overview_missing: agencies of a region that reported the year before but have no report for $year.
-- Grain: one row per such agency.
-- Params: $region, $year, $kinds
select rs.agency, rs.kind, rs.region, rs.year as last_reported
from report_summary as rs
where (rs.region = $region or starts_with(rs.region, $region || '/'))
  and (len($kinds) = 0 or list_contains($kinds, rs.kind))
  and rs.year = $year - 1
  and not exists (
      select 1 from report_summary as now
      where now.agency_id = rs.agency_id and now.year = $year
  )
order by rs.kind, rs.agency
