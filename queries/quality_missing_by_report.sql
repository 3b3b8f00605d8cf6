-- quality_missing_by_report: how many cells of its form version each current report leaves empty, and which.
-- Same cells as report_missing_cells (section 一 figures are optional and not counted), summarised per report.
-- Only reports whose stated table cells (report_figures.table_cells) fall short of their form are looked
-- at cell by cell: a province has a few incomplete reports among a hundred thousand.
-- Grain: one row per current report with at least one missing table cell.
-- Params: $region, $year_from, $year_to
with form_cells as (
    select v.version, count(*) as cells
    from (values ('2019'), ('2021')) as v(version)
    join metrics as m on (m.version = v.version or m.version = 'both') and m.section <> '一'
    group by v.version
),
incomplete as (
    select rs.report_id, rs.agency, rs.kind, rs.region, rs.year, rs.version
    from report_summary as rs
    join form_cells as fc on fc.version = rs.version
    where in_region(rs.region, $region)
      and rs.year between $year_from and $year_to
      and coalesce(rs.table_cells, 0) < fc.cells
),
stated as (
    select f.report_id, f.metric
    from facts as f
    where f.report_id in (select i.report_id from incomplete as i)
),
missing as (
    select i.report_id, m.header, m.display_order
    from incomplete as i
    join metrics as m on (m.version = i.version or m.version = 'both') and m.section <> '一'
    anti join stated as st on st.report_id = i.report_id and st.metric = m.code
)
select i.agency, i.kind, i.region, i.year, i.version, count(*) as missing_cells,
       string_agg(mi.header, '；' order by mi.display_order) as cells, i.report_id
from incomplete as i
join missing as mi on mi.report_id = i.report_id
group by i.report_id, i.agency, i.kind, i.region, i.year, i.version
order by i.year desc, missing_cells desc, i.agency
