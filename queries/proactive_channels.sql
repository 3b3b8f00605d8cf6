-- proactive_channels: items published through each channel (section 一) per agency in the focus year, with the
-- channel's share and the base it is a share of (the stated total, or the sum of channels where no total is stated).
-- Grain: one row per (agency, region, channel) stated in a current report for $year; 汇总 reports left out.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.report_id, rs.agency, rs.region, rs.kind, rs.published, rs.published_by_channel
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year = $year
      and rs.kind <> '汇总'
),
channels as (
    select s.agency, s.region, s.kind, m.row_label as channel, f.value as items, m.display_order,
           coalesce(s.published, s.published_by_channel) as base,
           s.published is not null as base_is_total
    from scope as s
    join facts as f on f.report_id = s.report_id
    join metrics as m on m.code = f.metric
    where starts_with(f.metric, 's1.channel.')
)
select c.agency, c.region, c.kind, c.channel, c.items, c.base,
       case when c.base_is_total then '信息总数' else '渠道合计' end as base_kind,
       c.items / nullif(c.base, 0) as share, c.display_order
from channels as c
order by c.agency, c.region, c.display_order
