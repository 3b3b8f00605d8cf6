-- year_compare: the key figures (data-contract.md §5) of each agency of a region in two years, for 年度对比.
-- Grain: one row per (agency, its region, year) with a current report for $base or $target.
-- Params: $region, $kinds, $agencies, $base, $target
-- disclosed is the 公开率 numerator (予以公开 + 部分公开), stated only beside a stated 办理结果总计, as in
-- report_summary's disclosure_rate, so that a pooled rate is sum(disclosed) / sum(handled).
select rs.agency, rs.region, rs.kind, rs.year, rs.published, rs.new_applications, rs.handled,
       case when rs.handled is not null then coalesce(rs.granted, 0) + coalesce(rs.partial, 0) end as disclosed,
       rs.disclosure_rate, rs.appeals
from report_summary as rs
where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
  and rs.year in ($base, $target)
order by rs.agency, rs.region, rs.year
