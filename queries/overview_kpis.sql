-- overview_kpis: headline figures of a region for a year and the year before. 汇总 reports are left
-- out: they restate the agencies below them. Expected reports as in the expected_reports macro (schema 0003):
-- on the 单位名单 and active that year, or, for agencies not on it, reported the year before. 公开率 is pooled
-- (data/ratios.csv): Σ(予以公开 + 部分公开) ÷ Σ办理结果总计 over the reports that have one (办理结果总计 above 0)
-- — never a sum or mean of the agencies' rates.
-- Grain: one row per year ($year - 1 and $year).
-- Params: $region, $year, $kinds
with scope as (
    select rs.*
    from report_summary as rs
    where in_region(rs.region, $region)
      and rs.kind <> '汇总'
      and in_kinds(rs.kind, $kinds)
      and rs.year between $year - 1 and $year
),
expected as (
    select er.year, count(*) filter (where er.expected) as expected
    from expected_reports($region, $kinds) as er
    where er.kind <> '汇总' and er.year between $year - 1 and $year
    group by er.year
)
select sc.year,
       count(*) as reports,
       any_value(ex.expected) as expected,
       sum(sc.published) as published,
       sum(sc.new_applications) as new_applications,
       sum(sc.handled) as handled,
       sum(coalesce(sc.granted, 0) + coalesce(sc.partial, 0)) filter (where sc.handled > 0)
           / sum(sc.handled) filter (where sc.handled > 0) as disclosure_rate,
       sum(sc.appeals) as appeals
from scope as sc
left join expected as ex on ex.year = sc.year
group by sc.year
order by sc.year
