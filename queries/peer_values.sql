-- peer_values: the key figures (data-contract.md §5) of every agency of one kind in a region and the regions below it in one
-- year: the peers an agency is placed among in 单位详情 → 同类比较.
-- Grain: one row per agency (name within its own region) of kind $kind with a current report for $year.
-- Params: $region, $year, $kind
select rs.agency, rs.region, rs.kind, rs.published, rs.new_applications, rs.handled, rs.disclosure_rate, rs.appeals
from report_summary as rs
where in_region(rs.region, $region)
  and rs.year = $year
  and rs.kind = $kind
order by rs.agency, rs.region
