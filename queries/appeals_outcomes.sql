-- appeals_outcomes: section 四 outcomes of each agency in one year, by block and outcome, as stated.
-- 汇总 reports are left out: they restate the agencies below them. A blank cell has no row.
-- Grain: one row per (agency, block, outcome) stated in a current report for $year.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rf.agency, rf.kind, rf.region, rf.metric, rf.value
    from report_facts as rf
    where in_scope(rf.region, rf.kind, rf.agency, $region, $kinds, $agencies)
      and rf.year = $year
      and rf.kind <> '汇总'
      and starts_with(rf.metric, 's4.')
      and rf.metric not like '%.total'
)
select sc.agency, sc.kind, sc.region,
       replace(m.block, '行政诉讼 ', '行政诉讼·') as block,
       m.column_label as outcome,
       sc.value as cases
from scope as sc
join metrics as m on m.code = sc.metric
order by m.display_order, sc.agency, sc.region
