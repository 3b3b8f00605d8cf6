-- proactive_section2_trend: a region's licensing, penalty and coercion decisions (one series across both form
-- versions) and its fees in 万元 (2021 form only), year by year.
-- Grain: one row per year with current reports in $year_from..$year_to; 汇总 reports left out.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.report_id, rs.year, rs.version
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year between $year_from and $year_to
      and rs.kind <> '汇总'
)
select s.year, count(distinct s.report_id) as reports,
       count(distinct s.report_id) filter (where s.version = '2021') as reports_2021,
       sum(f.value) filter (where f.metric = 's2.licensing.decisions') as licensing_decisions,
       sum(f.value) filter (where f.metric = 's2.penalties.decisions') as penalties_decisions,
       sum(f.value) filter (where f.metric = 's2.coercion.decisions') as coercion_decisions,
       sum(f.value) filter (where f.metric = 's2.fees.amount_wan') as fees_amount_wan
from scope as s
left join (select report_id, metric, value from facts
           where metric in ('s2.licensing.decisions', 's2.penalties.decisions', 's2.coercion.decisions',
                            's2.fees.amount_wan')) as f
       on f.report_id = s.report_id
group by s.year
order by s.year
