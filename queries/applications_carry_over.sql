-- applications_carry_over: C1 continuity — this year's 上年结转 against the same agency's 结转下年度 of the year
-- before, column by column; a row per pair of consecutive reports, with the columns where they differ.
-- The cells come from report_figures (queries/views/35_report_figures.sql), one row per report, so a year
-- meets the year before as one row meets another.
-- Grain: one row per (agency, region, year) in $year_from..$year_to whose agency also reported the year before.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.agency_id, rs.agency, rs.region, rs.kind, rs.year,
           rs.carried_in_natural, rs.carried_out_natural,
           rs.carried_in_business, rs.carried_out_business,
           rs.carried_in_research, rs.carried_out_research,
           rs.carried_in_nonprofit, rs.carried_out_nonprofit,
           rs.carried_in_legal, rs.carried_out_legal,
           rs.carried_in_org_other, rs.carried_out_org_other,
           rs.carried_in, rs.carried_out
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year between $year_from - 1 and $year_to
)
-- a column is compared where both years state it; a pair of reports is listed where at least one column is
select cur.agency, cur.region, cur.kind, cur.year,
       case when prev.carried_out is not null then cur.carried_in end as carried_in,
       case when cur.carried_in is not null then prev.carried_out end as prev_carried_out,
       nullif(concat_ws('；',
               case when cur.carried_in_natural <> prev.carried_out_natural then '自然人 ' || cur.carried_in_natural::bigint || '≠' || prev.carried_out_natural::bigint end,
               case when cur.carried_in_business <> prev.carried_out_business then '商业企业 ' || cur.carried_in_business::bigint || '≠' || prev.carried_out_business::bigint end,
               case when cur.carried_in_research <> prev.carried_out_research then '科研机构 ' || cur.carried_in_research::bigint || '≠' || prev.carried_out_research::bigint end,
               case when cur.carried_in_nonprofit <> prev.carried_out_nonprofit then '社会公益组织 ' || cur.carried_in_nonprofit::bigint || '≠' || prev.carried_out_nonprofit::bigint end,
               case when cur.carried_in_legal <> prev.carried_out_legal then '法律服务机构 ' || cur.carried_in_legal::bigint || '≠' || prev.carried_out_legal::bigint end,
               case when cur.carried_in_org_other <> prev.carried_out_org_other then '其他 ' || cur.carried_in_org_other::bigint || '≠' || prev.carried_out_org_other::bigint end,
               case when cur.carried_in <> prev.carried_out then '总计 ' || cur.carried_in::bigint || '≠' || prev.carried_out::bigint end), '') as differences,
       coalesce(cur.carried_in_natural <> prev.carried_out_natural
        or cur.carried_in_business <> prev.carried_out_business
        or cur.carried_in_research <> prev.carried_out_research
        or cur.carried_in_nonprofit <> prev.carried_out_nonprofit
        or cur.carried_in_legal <> prev.carried_out_legal
        or cur.carried_in_org_other <> prev.carried_out_org_other
        or cur.carried_in <> prev.carried_out, false) as differs
from scope as cur
join scope as prev on prev.agency_id = cur.agency_id and prev.year = cur.year - 1
where cur.year between $year_from and $year_to
  and (cur.carried_in_natural + prev.carried_out_natural is not null
       or cur.carried_in_business + prev.carried_out_business is not null
       or cur.carried_in_research + prev.carried_out_research is not null
       or cur.carried_in_nonprofit + prev.carried_out_nonprofit is not null
       or cur.carried_in_legal + prev.carried_out_legal is not null
       or cur.carried_in_org_other + prev.carried_out_org_other is not null
       or cur.carried_in + prev.carried_out is not null)
order by differs desc, cur.year desc, cur.agency, cur.region
