-- overview_kpis: headline figures of a region for a year and the year before, 汇总 reports left out
-- (they restate the agencies below them).
-- Grain: one row per year with reports ($year - 1 and $year).
-- Params: $region, $year
with scope as (
    select rp.id as report_id, rp.year
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where (r.path = $region or starts_with(r.path, $region || '/'))
      and rp.year between $year - 1 and $year
      and a.kind <> '汇总'
)
select s.year,
       count(distinct s.report_id) as reports,
       sum(f.value) filter (where f.metric = 's1.published_total') as published,
       sum(f.value) filter (where f.metric = 's3.new.total') as new_applications,
       sum(f.value) filter (where f.metric in ('s3.granted.total', 's3.partial.total')) as granted_or_partial,
       sum(f.value) filter (where f.metric = 's3.handled_total.total') as handled,
       sum(f.value) filter (where f.metric in ('s4.review.total', 's4.suit_direct.total', 's4.suit_after_review.total')) as appeals
from scope as s
left join facts as f on f.report_id = s.report_id
group by s.year
order by s.year
