-- 0005_summary_totals: each 汇总 report beside the sum of the agencies it covers, kept as a table so the
-- 汇总 check reads one row per compared cell instead of scanning every stored cell of a province on each
-- call (2.6 s for a province's 29 million cells). A 汇总 report covers the current reports of every other
-- agency of its region in its year. Every write that changes which reports are current recomputes the
-- regions it touched (queries/delete_summary_totals.sql, insert_summary_totals.sql); tests check the
-- table equals summary_totals_of(every region) after imports, replacements, undo and demo removal.

-- summary_totals_of(scope_regions): per current 汇总 report of the regions listed (region ids) and per
-- metric stated in it or by any agency it covers: what it states, the sum, how many reports state it.
-- Run by hand: select * from summary_totals_of((select list(id) from regions)) where stated <> total;
create macro summary_totals_of(scope_regions) as table
with summaries as (
    select rp.id as report_id, a.region_id, rp.year
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    where a.kind = '汇总' and list_contains(scope_regions, a.region_id)
),
stated as (
    select s.report_id, f.metric, f.value as stated
    from summaries as s
    join facts as f on f.report_id = s.report_id
),
sums as (
    select a.region_id, rp.year, f.metric, sum(f.value) as total, count(*) as reporting
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join facts as f on f.report_id = rp.id
    where a.kind <> '汇总' and list_contains(scope_regions, a.region_id)
    group by a.region_id, rp.year, f.metric
),
computed as (
    select s.report_id, sm.metric, sm.total, sm.reporting
    from summaries as s
    join sums as sm on sm.region_id = s.region_id and sm.year = s.year
)
select s.region_id, s.year, s.report_id, c.metric, c.stated, c.total, c.reporting
from (
    select coalesce(st.report_id, cp.report_id) as report_id, coalesce(st.metric, cp.metric) as metric,
           st.stated, cp.total, cp.reporting
    from stated as st
    full join computed as cp on cp.report_id = st.report_id and cp.metric = st.metric
) as c
join summaries as s on s.report_id = c.report_id;

create table summary_totals (
    region_id integer not null,
    year integer not null,
    report_id integer not null,      -- the 汇总 report
    metric varchar not null,
    stated double,                   -- null: the 汇总 report leaves the cell blank
    total double,                    -- null: no agency it covers states the cell
    reporting bigint                 -- how many of the covered reports state the cell
);

insert into summary_totals
select * from summary_totals_of((select list(id) from regions)) order by region_id, year, report_id, metric;

-- summary_check(scope_region, first_year, last_year): the 汇总 reports of a region (and the regions below
-- it) in those years, cell by cell, with the metric's header and how many agencies' reports they cover.
-- Run by hand: select * from summary_check('示例省/示例市/示例县', 2019, 2025) where differs;
create macro summary_check(scope_region, first_year, last_year) as table
with summaries as (
    select rp.id as report_id, a.name as agency, a.region_id, r.path as region, rp.year, rp.version
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where a.kind = '汇总'
      and (r.path = scope_region or starts_with(r.path, scope_region || '/'))
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
