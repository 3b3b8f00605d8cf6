-- agencies_in_region: the agencies of a region (and the regions below it) that have a current report.
-- Grain: one row per agency name.
-- Params: $region
select distinct rs.agency
from report_summary as rs
where in_region(rs.region, $region)
order by rs.agency
