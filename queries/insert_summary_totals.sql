-- insert_summary_totals: recompute the 汇总 comparisons of the regions a write touched, from the reports
-- current now.
-- Grain: one row per (current 汇总 report of the regions listed, metric it or a covered report states).
-- Params: $regions (region ids)
insert into summary_totals
select * from summary_totals_of($regions) order by region_id, year, report_id, metric
