-- quality_missing_by_report: how many cells of its form version each current report leaves empty, and which.
-- Same cells as report_missing_cells (section 一 figures are optional and not counted), summarised per report.
-- Grain: one row per current report with at least one missing table cell.
-- Params: $region, $year_from, $year_to
with reports_in_scope as (
    select rp.id as report_id, a.name as agency, a.kind, r.path as region, rp.year, rp.version
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where (r.path = $region or starts_with(r.path, $region || '/'))
      and rp.year between $year_from and $year_to
),
missing as (
    select s.report_id, m.header, m.display_order
    from reports_in_scope as s
    join metrics as m on (m.version = s.version or m.version = 'both') and m.section <> '一'
    where not exists (select 1 from facts as f where f.report_id = s.report_id and f.metric = m.code)
)
select s.agency, s.kind, s.region, s.year, s.version, count(*) as missing_cells,
       string_agg(mi.header, '；' order by mi.display_order) as cells, s.report_id
from reports_in_scope as s
join missing as mi on mi.report_id = s.report_id
group by s.report_id, s.agency, s.kind, s.region, s.year, s.version
order by s.year desc, missing_cells desc, s.agency
