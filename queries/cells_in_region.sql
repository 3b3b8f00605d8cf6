-- cells_in_region: every stated cell of the current reports of a region (and the regions below it; '' for
-- all), its metric given by its place in the catalogue (metrics.display_order), so the rule engine builds
-- its wide frame from numbers alone: 29 million metric strings would not fit in memory at province scale.
-- Grain: one row per (current report, metric).
-- Params: $region, $regions (region ids; [] for no restriction)
select f.report_id, m.display_order as metric_order, f.value
from facts as f
join metrics as m on m.code = f.metric
where f.report_id in (
    select rp.id
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where ($region = '' or r.path = $region or starts_with(r.path, $region || '/'))
      and (len($regions) = 0 or list_contains($regions, a.region_id))
)
