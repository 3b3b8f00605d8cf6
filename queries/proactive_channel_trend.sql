-- proactive_channel_trend: each channel's share of the items a region published, year by year, pooled
-- (data/ratios.csv): Σ items through the channel ÷ Σ base, both over the reports that state the channel (`reports`
-- of them); a report's base is its stated total, or the sum of its channels where it states none
-- (`reports_without_total` of them). A channel a report leaves blank is not reported there, not 0.
-- Grain: one row per (year, channel) over $year_from..$year_to; 汇总 reports left out.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.report_id, rs.year, rs.published, rs.published_by_channel
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year between $year_from and $year_to
      and rs.kind <> '汇总'
      and rs.published_by_channel is not null
),
cells as (
    select s.year, m.row_label as channel, m.display_order, sum(f.value) as items,
           sum(coalesce(s.published, s.published_by_channel)) as base, count(*) as reports,
           count(*) filter (where s.published is null) as reports_without_total
    from scope as s
    join facts as f on f.report_id = s.report_id
    join metrics as m on m.code = f.metric
    where starts_with(f.metric, 's1.channel.')
    group by s.year, m.row_label, m.display_order
)
select c.year, c.channel, c.items, c.base, c.items / nullif(c.base, 0) as share, c.reports,
       c.reports_without_total, c.display_order
from cells as c
order by c.year, c.display_order
