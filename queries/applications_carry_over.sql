-- applications_carry_over: C1 continuity — this year's 上年结转 against the same agency's 结转下年度 of the year
-- before, column by column; a row per pair of consecutive reports, with the columns where they differ.
-- Grain: one row per (agency, region, year) in $year_from..$year_to whose agency also reported the year before.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.report_id, rs.agency_id, rs.agency, rs.region, rs.kind, rs.year
    from report_summary as rs
    where (rs.region = $region or starts_with(rs.region, $region || '/'))
      and rs.year between $year_from - 1 and $year_to
      and (len($kinds) = 0 or list_contains($kinds, rs.kind))
      and (len($agencies) = 0 or list_contains($agencies, rs.agency))
),
-- one row per report with its 上年结转 (in_*) and 结转下年度 (out_*) cells, so that a year meets the year before
-- as one row meets another, not cell by cell
carry as (
    select s.report_id, s.agency_id, s.year,
           max(f.value) filter (where f.metric = 's3.carried_in.natural') as in_natural,
           max(f.value) filter (where f.metric = 's3.carried_in.business') as in_business,
           max(f.value) filter (where f.metric = 's3.carried_in.research') as in_research,
           max(f.value) filter (where f.metric = 's3.carried_in.nonprofit') as in_nonprofit,
           max(f.value) filter (where f.metric = 's3.carried_in.legal') as in_legal,
           max(f.value) filter (where f.metric = 's3.carried_in.org_other') as in_org_other,
           max(f.value) filter (where f.metric = 's3.carried_in.total') as in_total,
           max(f.value) filter (where f.metric = 's3.carried_out.natural') as out_natural,
           max(f.value) filter (where f.metric = 's3.carried_out.business') as out_business,
           max(f.value) filter (where f.metric = 's3.carried_out.research') as out_research,
           max(f.value) filter (where f.metric = 's3.carried_out.nonprofit') as out_nonprofit,
           max(f.value) filter (where f.metric = 's3.carried_out.legal') as out_legal,
           max(f.value) filter (where f.metric = 's3.carried_out.org_other') as out_org_other,
           max(f.value) filter (where f.metric = 's3.carried_out.total') as out_total
    from scope as s
    join facts as f on f.report_id = s.report_id
    where f.metric in ('s3.carried_in.natural', 's3.carried_in.business', 's3.carried_in.research', 's3.carried_in.nonprofit',
                       's3.carried_in.legal', 's3.carried_in.org_other', 's3.carried_in.total',
                       's3.carried_out.natural', 's3.carried_out.business', 's3.carried_out.research', 's3.carried_out.nonprofit',
                       's3.carried_out.legal', 's3.carried_out.org_other', 's3.carried_out.total')
    group by s.report_id, s.agency_id, s.year
)
-- a column is compared where both years state it; a pair of reports is listed where at least one column is
select s.agency, s.region, s.kind, s.year,
       case when prev.out_total is not null then cur.in_total end as carried_in,
       case when cur.in_total is not null then prev.out_total end as prev_carried_out,
       nullif(concat_ws('；',
               case when cur.in_natural <> prev.out_natural then '自然人 ' || cur.in_natural::bigint || '≠' || prev.out_natural::bigint end,
               case when cur.in_business <> prev.out_business then '商业企业 ' || cur.in_business::bigint || '≠' || prev.out_business::bigint end,
               case when cur.in_research <> prev.out_research then '科研机构 ' || cur.in_research::bigint || '≠' || prev.out_research::bigint end,
               case when cur.in_nonprofit <> prev.out_nonprofit then '社会公益组织 ' || cur.in_nonprofit::bigint || '≠' || prev.out_nonprofit::bigint end,
               case when cur.in_legal <> prev.out_legal then '法律服务机构 ' || cur.in_legal::bigint || '≠' || prev.out_legal::bigint end,
               case when cur.in_org_other <> prev.out_org_other then '其他 ' || cur.in_org_other::bigint || '≠' || prev.out_org_other::bigint end,
               case when cur.in_total <> prev.out_total then '总计 ' || cur.in_total::bigint || '≠' || prev.out_total::bigint end), '') as differences,
       coalesce(cur.in_natural <> prev.out_natural
        or cur.in_business <> prev.out_business
        or cur.in_research <> prev.out_research
        or cur.in_nonprofit <> prev.out_nonprofit
        or cur.in_legal <> prev.out_legal
        or cur.in_org_other <> prev.out_org_other
        or cur.in_total <> prev.out_total, false) as differs
from carry as cur
join carry as prev on prev.agency_id = cur.agency_id and prev.year = cur.year - 1
join scope as s on s.report_id = cur.report_id
where s.year between $year_from and $year_to
  and (cur.in_natural + prev.out_natural is not null
       or cur.in_business + prev.out_business is not null
       or cur.in_research + prev.out_research is not null
       or cur.in_nonprofit + prev.out_nonprofit is not null
       or cur.in_legal + prev.out_legal is not null
       or cur.in_org_other + prev.out_org_other is not null
       or cur.in_total + prev.out_total is not null)
order by differs desc, s.year desc, s.agency, s.region
