-- appeals_rates: per section-四 block, a region's outcomes in one year and its 纠错率 pooled (data/ratios.csv):
-- Σcorrected ÷ Σdecided, decided = total − pending, both over the reports that state corrected, total and pending
-- (`decided` is that denominator, `small_base` when it is under 5); 汇总 reports left out.
-- Grain: one row per block (行政复议, 行政诉讼·未经复议直接起诉, 行政诉讼·复议后起诉).
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rf.report_id, split_part(rf.metric, '.', 2) as block_code, split_part(rf.metric, '.', 3) as outcome,
           rf.value
    from report_facts as rf
    where in_scope(rf.region, rf.kind, rf.agency, $region, $kinds, $agencies)
      and rf.year = $year
      and rf.kind <> '汇总'
      and starts_with(rf.metric, 's4.')
),
per_report as (
    select sc.report_id, sc.block_code,
           max(sc.value) filter (where sc.outcome = 'upheld') as upheld,
           max(sc.value) filter (where sc.outcome = 'corrected') as corrected,
           max(sc.value) filter (where sc.outcome = 'other') as other,
           max(sc.value) filter (where sc.outcome = 'pending') as pending,
           max(sc.value) filter (where sc.outcome = 'total') as total
    from scope as sc
    group by sc.report_id, sc.block_code
),
blocks as (
    select pr.block_code,
           sum(pr.upheld) as upheld, sum(pr.corrected) as corrected, sum(pr.other) as other,
           sum(pr.pending) as pending, sum(pr.total) as total,
           -- the rate's numerator and denominator over the same reports: those that have the rate's three cells
           sum(pr.total - pr.pending) filter (where pr.corrected is not null) as decided,
           sum(pr.corrected) filter (where pr.total - pr.pending is not null) as corrected_decided
    from per_report as pr
    group by pr.block_code
)
select case bl.block_code when 'review' then '行政复议' when 'suit_direct' then '行政诉讼·未经复议直接起诉'
                          else '行政诉讼·复议后起诉' end as block,
       bl.upheld, bl.corrected, bl.other, bl.pending, bl.total, bl.decided,
       case when bl.decided > 0 then bl.corrected_decided / bl.decided end as correction_rate,
       coalesce(bl.decided, 0) < 5 as small_base
from blocks as bl
order by case bl.block_code when 'review' then 1 when 'suit_direct' then 2 else 3 end
