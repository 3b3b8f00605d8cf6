-- quality_summary_check: each 汇总 report against the sum of the agencies it covers (same region, same
-- year, every kind but 汇总), per metric of its form version: stored, computed, difference.
-- Grain: one row per (current 汇总 report, metric stated in it or in any agency it covers).
-- Params: $region, $year_from, $year_to
with summaries as (
    select rp.id as report_id, a.name as agency, a.region_id, r.path as region, rp.year, rp.version
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where a.kind = '汇总'
      and (r.path = $region or starts_with(r.path, $region || '/'))
      and rp.year between $year_from and $year_to
),
covered as (
    select s.report_id as summary_id, rp.id as report_id
    from summaries as s
    join agencies as a on a.region_id = s.region_id and a.kind <> '汇总'
    join current_reports as rp on rp.agency_id = a.id and rp.year = s.year
),
computed as (
    select cv.summary_id, f.metric, sum(f.value) as computed, count(*) as reporting
    from covered as cv
    join facts as f on f.report_id = cv.report_id
    group by cv.summary_id, f.metric
),
stored as (
    select s.report_id as summary_id, f.metric, f.value as stored
    from summaries as s
    join facts as f on f.report_id = s.report_id
),
agency_counts as (
    select cv.summary_id, count(*) as agencies
    from covered as cv
    group by cv.summary_id
),
cells as (
    select coalesce(st.summary_id, cp.summary_id) as summary_id, coalesce(st.metric, cp.metric) as metric,
           st.stored, cp.computed, cp.reporting
    from stored as st
    full join computed as cp on cp.summary_id = st.summary_id and cp.metric = st.metric
)
select s.agency, s.region, s.year, s.version, m.code as metric, m.header, c.stored, c.computed,
       round(c.stored - c.computed, 6) as difference,
       coalesce(abs(c.stored - c.computed) > 1e-6, false) as differs,
       c.reporting, coalesce(ac.agencies, 0) as agencies, s.report_id
from summaries as s
join cells as c on c.summary_id = s.report_id
join metrics as m on m.code = c.metric and (m.version = s.version or m.version = 'both')
left join agency_counts as ac on ac.summary_id = s.report_id
order by s.year desc, m.display_order
