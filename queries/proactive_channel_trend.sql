-- proactive_channel_trend: each channel's share of the items a region published, year by year; a report without a
-- stated total contributes the sum of its channels to the base.
-- Grain: one row per (year, channel) over $year_from..$year_to; 汇总 reports left out.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.report_id, rs.year, rs.published, rs.published_by_channel
    from report_summary as rs
    where (rs.region = $region or starts_with(rs.region, $region || '/'))
      and rs.year between $year_from and $year_to
      and rs.kind <> '汇总'
      and (len($kinds) = 0 or list_contains($kinds, rs.kind))
      and (len($agencies) = 0 or list_contains($agencies, rs.agency))
      and rs.published_by_channel is not null
),
bases as (
    select s.year, sum(coalesce(s.published, s.published_by_channel)) as base, count(*) as reports,
           count(*) filter (where s.published is null) as reports_without_total
    from scope as s
    group by s.year
),
cells as (
    select s.year, m.row_label as channel, m.display_order, sum(f.value) as items
    from scope as s
    join facts as f on f.report_id = s.report_id
    join metrics as m on m.code = f.metric
    where starts_with(f.metric, 's1.channel.')
    group by s.year, m.row_label, m.display_order
)
select c.year, c.channel, c.items, b.base, c.items / nullif(b.base, 0) as share, b.reports, b.reports_without_total,
       c.display_order
from cells as c
join bases as b on b.year = c.year
order by c.year, c.display_order
