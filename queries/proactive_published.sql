-- proactive_published: items proactively published (s1.published_total) per agency and year.
-- Grain: one row per (agency, region, year) with a current report in $year_from..$year_to; 汇总 reports left out.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
select rs.agency, rs.region, rs.kind, rs.year, rs.published, rs.published_by_channel
from report_summary as rs
where (rs.region = $region or starts_with(rs.region, $region || '/'))
  and rs.year between $year_from and $year_to
  and rs.kind <> '汇总'
  and (len($kinds) = 0 or list_contains($kinds, rs.kind))
  and (len($agencies) = 0 or list_contains($agencies, rs.agency))
order by rs.agency, rs.region, rs.year
