-- channel_split_by_agency: items published through each channel (section 一), per agency of a region.
-- Grain: one row per (agency, region, channel) stated in a current report for $year; 汇总 reports left out.
-- Params: $region, $year
select a.name as agency, r.path as region, a.kind, m.code as metric, m.row_label as channel, f.value as items,
       m.display_order
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join facts as f on f.report_id = rp.id
join metrics as m on m.code = f.metric
where in_region(r.path, $region)
  and rp.year = $year
  and a.kind <> '汇总'
  and starts_with(f.metric, 's1.channel.')
order by a.name, r.path, m.display_order
