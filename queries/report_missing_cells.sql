-- report_missing_cells: the cells of its form version that a current report leaves empty
-- (blank, /, -, — or 无 in the source), so quality views can show how complete each report is.
-- Grain: one row per (current report, missing table cell); section 一 figures are optional and not listed.
-- Params: $region
select a.name as agency, rp.year, rp.version, m.code as metric, m.header, rp.id as report_id
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join metrics as m on (m.version = rp.version or m.version = 'both') and m.section <> '一'
where in_region(r.path, $region)
  and not exists (select 1 from facts as f where f.report_id = rp.id and f.metric = m.code)
order by a.name, rp.year, m.display_order
