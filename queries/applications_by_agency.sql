-- applications_by_agency: each agency's applications in the focus year — new, carried in, outcome groups (data-contract.md §5),
-- carried out — and its 公开率 = (granted + partial) / handled_total.total, marked and unranked under 5 handled.
-- Grain: one row per agency (name and region) with a current report for $year; 汇总 reports included but flagged and never ranked.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year = $year
),
rated as (
    select s.*, s.kind = '汇总' as is_summary, coalesce(s.handled < 5, false) as small_base,
           s.disclosure_rate is not null and s.handled >= 5 and s.kind <> '汇总' as rankable
    from scope as s
)
select r.agency, r.region, r.kind, r.version, r.new_applications, r.carried_in, r.granted, r.partial, r.denied, r.unable,
       r.rejected, r.other_handling, r.handled, r.carried_out, r.disclosure_rate, r.small_base, r.is_summary,
       case when r.rankable then rank() over (partition by r.rankable order by r.disclosure_rate desc) end
           as rate_rank
from rated as r
order by r.is_summary, r.new_applications desc nulls last, r.agency, r.region
