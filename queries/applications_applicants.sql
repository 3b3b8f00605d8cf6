-- applications_applicants: new applications (s3.new.<column>) by applicant type per agency in the focus year.
-- Grain: one row per (agency, region, applicant type) stated in a current report for $year; 汇总 reports left out.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.report_id, rs.agency, rs.region, rs.kind, rs.new_applications
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year = $year
      and rs.kind <> '汇总'
)
select s.agency, s.region, s.kind, m.column_label as applicant, m.display_order as applicant_order, f.value as applications,
       s.new_applications, f.value / nullif(s.new_applications, 0) as share
from scope as s
join facts as f on f.report_id = s.report_id
join metrics as m on m.code = f.metric
where f.metric in ('s3.new.natural', 's3.new.business', 's3.new.research', 's3.new.nonprofit', 's3.new.legal', 's3.new.org_other')
order by s.agency, s.region, m.display_order
