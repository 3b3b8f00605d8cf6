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
cells as (
    select s.agency_id, s.year, split_part(f.metric, '.', 2) as form_row, m.column_label, m.display_order, f.value
    from scope as s
    join facts as f on f.report_id = s.report_id
    join metrics as m on m.code = f.metric
    where f.metric in ('s3.carried_in.natural', 's3.carried_in.business', 's3.carried_in.research',
                       's3.carried_in.nonprofit', 's3.carried_in.legal', 's3.carried_in.org_other', 's3.carried_in.total',
                       's3.carried_out.natural', 's3.carried_out.business', 's3.carried_out.research',
                       's3.carried_out.nonprofit', 's3.carried_out.legal', 's3.carried_out.org_other',
                       's3.carried_out.total')
),
pairs as (
    select cur.agency_id, cur.year, cur.column_label, cur.display_order, cur.value as carried_in,
           prev.value as prev_carried_out
    from cells as cur
    join cells as prev
      on prev.agency_id = cur.agency_id and prev.year = cur.year - 1 and prev.form_row = 'carried_out'
     and prev.column_label = cur.column_label
    where cur.form_row = 'carried_in'
)
select s.agency, s.region, s.kind, s.year,
       max(p.carried_in) filter (where p.column_label = '总计') as carried_in,
       max(p.prev_carried_out) filter (where p.column_label = '总计') as prev_carried_out,
       string_agg(p.column_label || ' ' || p.carried_in::bigint || '≠' || p.prev_carried_out::bigint, '；'
                  order by p.display_order) filter (where p.carried_in <> p.prev_carried_out) as differences,
       count(*) filter (where p.carried_in <> p.prev_carried_out) > 0 as differs
from pairs as p
join scope as s on s.agency_id = p.agency_id and s.year = p.year
where s.year between $year_from and $year_to
group by s.agency_id, s.agency, s.region, s.kind, s.year
order by differs desc, s.year desc, s.agency, s.region
