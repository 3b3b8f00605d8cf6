-- overview_agencies: each agency of a region in one year, with its headline figures (data-contract.md §5).
-- Grain: one row per agency with a current report for $year.
-- Params: $region, $year, $kinds, $agencies
select rs.agency, rs.kind, rs.region, rs.version, rs.published, rs.new_applications, rs.handled,
       rs.disclosure_rate, rs.appeals, rs.is_demo
from report_summary as rs
where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
  and rs.year = $year
order by rs.kind = '汇总', rs.published desc nulls last, rs.agency
