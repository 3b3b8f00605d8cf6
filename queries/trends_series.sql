-- trends_series: one metric per agency and year with its year-over-year change (t − (t−1)) / (t−1), blank
-- where t−1 is 0 or missing. $metric is a catalogue code or a derived.* key of trends_metric_choices.
-- s3.other.<column> of a 2021 report is the sum of its three other_* rows (only where all three are stated);
-- a metric a report's version lacks has no row (missing, not 0). 汇总 reports are left out.
-- Grain: one row per (agency, year) from $year_from to $year_to with a value.
-- Params: $region, $year_from, $year_to, $kinds, $metric
with scope as (
    select rs.*
    from report_summary as rs
    where (rs.region = $region or starts_with(rs.region, $region || '/'))
      and rs.year between $year_from and $year_to
      and rs.kind <> '汇总'
      and (len($kinds) = 0 or list_contains($kinds, rs.kind))
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
    cross join lateral (values
        ('derived.new_applications', sc.new_applications),
        ('derived.published', sc.published),
        ('derived.disclosure_rate', sc.disclosure_rate),
        ('derived.denied', sc.denied),
        ('derived.unable', sc.unable),
        ('derived.rejected', sc.rejected),
        ('derived.other_handling', sc.other_handling),
        ('derived.appeals', case when coalesce(sc.review_total, sc.suit_direct_total,
                                               sc.suit_after_review_total) is not null then sc.appeals end),
        ('derived.appeal_intensity', case when sc.new_applications > 0
                                               and coalesce(sc.review_total, sc.suit_direct_total,
                                                            sc.suit_after_review_total) is not null
                                          then sc.appeals / sc.new_applications end),
        ('derived.review_rate', case when sc.review_total - sc.review_pending > 0
                                     then sc.review_corrected / (sc.review_total - sc.review_pending) end)
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
