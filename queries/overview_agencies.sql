-- overview_agencies: each agency of a region in one year, with its headline figures.
-- Grain: one row per agency with a current report for $year.
-- Params: $region, $year
with scope as (
    select rp.id as report_id, a.id as agency_id, a.name as agency, a.kind, r.path as region, rp.version,
           b.is_demo
    from current_reports as rp
    join batches as b on b.id = rp.batch_id
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where (r.path = $region or starts_with(r.path, $region || '/'))
      and rp.year = $year
),
figures as (
    select s.report_id,
           max(f.value) filter (where f.metric = 's1.published_total') as published,
           max(f.value) filter (where f.metric = 's3.new.total') as new_applications,
           sum(f.value) filter (where f.metric in ('s3.granted.total', 's3.partial.total')) as granted_or_partial,
           max(f.value) filter (where f.metric = 's3.handled_total.total') as handled,
           sum(f.value) filter (where f.metric in ('s4.review.total', 's4.suit_direct.total', 's4.suit_after_review.total')) as appeals
    from scope as s
    left join facts as f on f.report_id = s.report_id
    group by s.report_id
)
select s.agency, s.kind, s.region, s.version, fg.published, fg.new_applications, fg.handled,
       case when fg.handled > 0 then fg.granted_or_partial / fg.handled end as disclosure_rate,
       fg.appeals, s.is_demo
from scope as s
join figures as fg on fg.report_id = s.report_id
order by s.kind = '汇总', fg.published desc nulls last, s.agency
