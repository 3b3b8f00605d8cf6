-- applications_flow: applications from each applicant type to each outcome group in a region and the focus year;
-- every outcome row of the form has the applicant columns, so a flow is the sum of s3.<outcome row>.<column>.
-- Grain: one row per (applicant, outcome group) with any stated cell; 汇总 reports left out.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.report_id
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year = $year
      and rs.kind <> '汇总'
),
cells as (
    -- summed per cell first: the catalogue labels then join ~130 sums, not every stored cell
    select split_part(m.code, '.', 2) as form_row, split_part(m.code, '.', 3) as form_column, m.column_label,
           m."group" as grp, c.value
    from (
        select f.metric, sum(f.value) as value
        from scope as s
        join facts as f on f.report_id = s.report_id
        where starts_with(f.metric, 's3.') and not suffix(f.metric, '.total')
        group by f.metric
    ) as c
    join metrics as m on m.code = c.metric
),
grouped as (
    select c.column_label as applicant,
           list_position(['natural', 'business', 'research', 'nonprofit', 'legal', 'org_other'], c.form_column)
               as applicant_order,
           case when c.form_row = 'granted' then '予以公开'
                when c.form_row = 'partial' then '部分公开'
                when c.grp = 'deny' then '不予公开'
                when c.grp = 'unable' then '无法提供'
                when c.grp = 'reject' then '不予处理'
                when c.grp = 'other' then '其他处理' end as outcome,
           c.value
    from cells as c
)
select g.applicant, g.applicant_order, g.outcome,
       list_position(['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理'], g.outcome) as outcome_order,
       sum(g.value) as applications
from grouped as g
where g.outcome is not null
group by g.applicant, g.applicant_order, g.outcome
order by g.applicant_order, outcome_order
