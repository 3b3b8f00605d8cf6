-- cells_in_region: every stated cell of the current reports of a region (and the regions below it; '' for
-- all), placed by numbers alone so the rule engine builds its wide frame without 29 million strings: `row`
-- is the report's position in reports_in_region's order (keep the two orders the same), `metric_order` the
-- metric's place in the catalogue (metrics.display_order).
-- Grain: one row per (current report, metric).
-- Params: $region, $regions (region ids; [] for no restriction)
with scope as (
    select rp.id, row_number() over (order by r.path, a.name, rp.year, rp.id) - 1 as row
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where ($region = '' or in_region(r.path, $region))
      and (len($regions) = 0 or list_contains($regions, a.region_id))
)
select s.row::integer as row, m.display_order as metric_order, f.value
from facts as f
join scope as s on s.id = f.report_id
join metrics as m on m.code = f.metric
