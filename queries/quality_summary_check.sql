-- quality_summary_check: the cells of each 汇总 report that differ from the sum of the agencies it covers
-- (same region, same year, every kind but 汇总) — or, with $all, every cell compared.
-- Grain: one row per (current 汇总 report, metric stated in it or in any agency it covers).
-- Params: $region, $year_from, $year_to, $all
select sc.agency, sc.region, sc.year, sc.version, sc.metric, sc.header, sc.stored, sc.computed, sc.difference,
       sc.differs, sc.reporting, sc.agencies, sc.report_id
from summary_check($region, $year_from, $year_to) as sc
where sc.differs or $all
order by sc.year desc, sc.region, sc.display_order
