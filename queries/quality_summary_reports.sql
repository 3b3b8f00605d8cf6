-- quality_summary_reports: each 汇总 report with how many agencies' reports it covers, how many metrics
-- were compared and how many differ from their sum.
-- Grain: one row per current 汇总 report in the region and years.
-- Params: $region, $year_from, $year_to
select sc.agency, sc.region, sc.year, any_value(sc.agencies) as agencies, count(*) as compared,
       count(*) filter (where sc.differs) as differing, sc.report_id
from summary_check($region, $year_from, $year_to) as sc
group by sc.agency, sc.region, sc.year, sc.report_id
order by differing desc, sc.year desc, sc.region
