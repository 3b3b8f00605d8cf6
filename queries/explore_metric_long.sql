-- explore_metric_long: one catalogue metric (a bound code) for every current report in the sidebar's scope. Every
-- catalogue cell is a count or an amount, never a ratio: numerator and denominator are empty (as in
-- explore_figure_long for a count), so the pivot reads both queries alike.
-- Grain: one row per current report that states $metric.
-- Params: $region, $year_from, $year_to, $kinds, $agencies, $metric, $with_summary
select rf.agency, rf.kind, rf.region, rf.year, rf.value, cast(null as double) as numerator,
       cast(null as double) as denominator, rf.is_demo
from report_facts as rf
where in_scope(rf.region, rf.kind, rf.agency, $region, $kinds, $agencies)
  and rf.year between $year_from and $year_to
  and ($with_summary or rf.kind <> '汇总')
  and rf.metric = $metric
order by rf.region, rf.agency, rf.year
