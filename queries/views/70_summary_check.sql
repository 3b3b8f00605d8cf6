-- summary_check(scope_region, first_year, last_year): the 汇总 reports of a region (and the regions below it) in
-- those years, cell by cell, with the metric's header and how many agencies' reports they cover.
-- Run by hand: select * from summary_check('示例省/示例市/示例县', 2019, 2025) where differs;
create or replace macro summary_check(scope_region, first_year, last_year) as table
with summaries as (
    select rp.id as report_id, a.name as agency, a.region_id, r.path as region, rp.year, rp.version
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where a.kind = '汇总'
      and in_region(r.path, scope_region)
      and rp.year between first_year and last_year
),
agency_counts as (
    select s.report_id, count(*) as agencies
    from summaries as s
    join agencies as a on a.region_id = s.region_id and a.kind <> '汇总'
    join current_reports as rp on rp.agency_id = a.id and rp.year = s.year
    group by s.report_id
)
select s.agency, s.region, s.year, s.version, m.code as metric, m.header, m.display_order,
       t.stated as stored, t.total as computed,
       round(t.stated - t.total, 6) as difference,
       coalesce(abs(t.stated - t.total) > 1e-6, false) as differs,
       t.reporting, coalesce(ac.agencies, 0) as agencies, s.report_id
from summaries as s
join summary_totals as t on t.report_id = s.report_id
join metrics as m on m.code = t.metric and (m.version = s.version or m.version = 'both')
left join agency_counts as ac on ac.report_id = s.report_id;
