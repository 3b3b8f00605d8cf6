-- trends_series: one metric per agency and year with its year-over-year change (t − (t−1)) / (t−1), blank
-- where t−1 is 0 or missing. $metric is a catalogue code or a derived.* key of trends_metric_choices.
-- s3.other.<column> of a 2021 report is the sum of its three other_* rows (only where all three are stated);
-- a metric a report's version lacks has no row (missing, not 0). 汇总 reports are left out.
-- Grain: one row per (agency, year) from $year_from to $year_to with a value.
-- Params: $region, $year_from, $year_to, $kinds, $metric
-- Read from the base tables rather than report_summary, and the derived.* figures from report_figures with
-- report_summary's 公开率 and appeals formulas written out: binding that view's joins took a third of a
-- county's 20 ms.
with scope as (
    select rp.id as report_id, a.name as agency, a.kind, r.path as region, rp.year, rp.version
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where in_region(r.path, $region)
      and rp.year between $year_from and $year_to
      and a.kind <> '汇总'
      and in_kinds(a.kind, $kinds)
),
stated as (
    select f.report_id, f.value
    from facts as f
    join scope as sc on sc.report_id = f.report_id
    where f.metric = $metric
),
other_2021 as (
    select f.report_id, sum(f.value) as value
    from facts as f
    join scope as sc on sc.report_id = f.report_id
    where sc.version = '2021'
      and starts_with($metric, 's3.other.')
      and starts_with(f.metric, 's3.other_')  -- read only those rows before the regular expression
      and regexp_replace(f.metric, '^s3\.other_(no_correction|no_fee|misc)\.', 's3.other.') = $metric
      and f.metric <> $metric
    group by f.report_id
    having count(*) = 3
),
derived as (
    select sc.report_id, d.metric, d.value
    from scope as sc
    join report_figures as fg on fg.report_id = sc.report_id
    cross join lateral (values
        ('derived.new_applications', fg.new_applications),
        ('derived.published', fg.published),
        ('derived.disclosure_rate', case when fg.handled > 0
                                         then (coalesce(fg.granted, 0) + coalesce(fg.partial, 0)) / fg.handled end),
        ('derived.denied', fg.denied),
        ('derived.unable', fg.unable),
        ('derived.rejected', fg.rejected),
        ('derived.other_handling', fg.other_handling),
        ('derived.appeals', case when coalesce(fg.review_total, fg.suit_direct_total, fg.suit_after_review_total) is not null
                                 then coalesce(fg.review_total, 0) + coalesce(fg.suit_direct_total, 0)
                                      + coalesce(fg.suit_after_review_total, 0) end),
        ('derived.appeal_intensity', case when fg.new_applications > 0
                                               and coalesce(fg.review_total, fg.suit_direct_total,
                                                            fg.suit_after_review_total) is not null
                                          then (coalesce(fg.review_total, 0) + coalesce(fg.suit_direct_total, 0)
                                                + coalesce(fg.suit_after_review_total, 0)) / fg.new_applications end),
        ('derived.review_rate', case when fg.review_total - fg.review_pending > 0
                                     then fg.review_corrected / (fg.review_total - fg.review_pending) end)
    ) as d(metric, value)
    where starts_with($metric, 'derived.')
      and d.metric = $metric
      and d.value is not null
),
valued as (
    select st.report_id, st.value from stated as st
    union all
    select ot.report_id, ot.value from other_2021 as ot
    union all
    select de.report_id, de.value from derived as de
),
series as (
    select sc.agency, sc.kind, sc.region, sc.year, sc.version, va.value
    from scope as sc
    join valued as va on va.report_id = sc.report_id
)
select se.agency, se.kind, se.region, se.year, se.version, se.value, pr.value as previous,
       case when pr.value <> 0 then (se.value - pr.value) / pr.value end as yoy
from series as se
left join series as pr on pr.agency = se.agency and pr.region = se.region and pr.year = se.year - 1
order by se.agency, se.region, se.year
