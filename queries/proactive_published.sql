-- proactive_published: items proactively published (s1.published_total) per agency and year.
-- Grain: one row per (agency, region, year) with a current report in $year_from..$year_to; 汇总 reports left out.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
select rs.agency, rs.region, rs.kind, rs.year, rs.published, rs.published_by_channel
from report_summary as rs
where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
  and rs.year between $year_from and $year_to
  and rs.kind <> '汇总'
order by rs.agency, rs.region, rs.year
