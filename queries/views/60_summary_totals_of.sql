-- summary_totals_of(scope_regions): per current 汇总 report of the regions listed (region ids) and per metric
-- stated in it or by any agency it covers: what it states, the sum, how many reports state it. A 汇总 report covers
-- the current reports of every other agency of its region in its year. Stored as the table summary_totals
-- (65_summary_totals.sql).
-- Run by hand: select * from summary_totals_of((select list(id) from regions)) where stated <> total;
create or replace macro summary_totals_of(scope_regions) as table
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
