-- applications_trend: a region's applications year by year — new, carried in, outcome groups, 公开率 and the
-- applicant mix of new applications. 公开率 is pooled (data/ratios.csv): Σ(予以公开 + 部分公开) ÷ Σ办理结果总计
-- over the reports that have one (办理结果总计 above 0) — never a sum or mean of the agencies' rates.
-- Grain: one row per year with current reports in $year_from..$year_to; 汇总 reports left out.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year between $year_from and $year_to
      and rs.kind <> '汇总'
),
applicants as (
    select s.year,
           sum(f.value) filter (where f.metric = 's3.new.natural') as natural,
           sum(f.value) filter (where f.metric = 's3.new.business') as business,
           sum(f.value) filter (where f.metric = 's3.new.research') as research,
           sum(f.value) filter (where f.metric = 's3.new.nonprofit') as nonprofit,
           sum(f.value) filter (where f.metric = 's3.new.legal') as legal,
           sum(f.value) filter (where f.metric = 's3.new.org_other') as org_other
    from scope as s
    join facts as f on f.report_id = s.report_id
    where f.metric in ('s3.new.natural', 's3.new.business', 's3.new.research', 's3.new.nonprofit', 's3.new.legal', 's3.new.org_other')
    group by s.year
),
totals as (
    select s.year, count(*) as reports, sum(s.new_applications) as new_applications,
           sum(s.carried_in) as carried_in, sum(s.granted) as granted, sum(s.partial) as partial,
           sum(s.denied) as denied, sum(s.unable) as unable, sum(s.rejected) as rejected,
           sum(s.other_handling) as other_handling, sum(s.handled) as handled, sum(s.carried_out) as carried_out,
           sum(coalesce(s.granted, 0) + coalesce(s.partial, 0)) filter (where s.handled > 0) as disclosed,
           sum(s.handled) filter (where s.handled > 0) as rate_base
    from scope as s
    group by s.year
)
select t.* exclude (disclosed, rate_base),
       t.disclosed / t.rate_base as disclosure_rate,
       a.* exclude (year)
from totals as t
left join applicants as a on a.year = t.year
order by t.year
