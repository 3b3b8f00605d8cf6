-- current_cells: every stated cell of every current report, its metric given by its place in the catalogue
-- (metrics.display_order), so the rule engine can build its wide frame from numbers alone: 29 million
-- metric strings would not fit in memory at province scale.
-- Grain: one row per (current report, metric).
-- Params: none
select f.report_id, m.display_order as metric_order, f.value
from facts as f
join metrics as m on m.code = f.metric
where f.report_id in (select rp.id from current_reports as rp)
