-- appeals_by_agency: each agency's reconsideration and litigation cases in one year, its corrections and its
-- 复议诉讼 intensity = (the three block totals) / s3.new.total; 汇总 reports left out.
-- Grain: one row per agency with a current report for $year.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year = $year
      and rs.kind <> '汇总'
),
cases as (
    select sc.agency, sc.kind, sc.region, sc.review_total, sc.review_corrected, sc.suit_direct_total,
           sc.suit_direct_corrected, sc.suit_after_review_total, sc.suit_after_review_corrected,
           sc.new_applications,
           -- a report that states no section-四 total has no case count, not 0
           case when coalesce(sc.review_total, sc.suit_direct_total, sc.suit_after_review_total) is not null
                then sc.appeals end as appeals,
           case when coalesce(sc.review_corrected, sc.suit_direct_corrected, sc.suit_after_review_corrected) is not null
                then coalesce(sc.review_corrected, 0) + coalesce(sc.suit_direct_corrected, 0)
                     + coalesce(sc.suit_after_review_corrected, 0) end as corrected
    from scope as sc
)
select ca.*,
       case when ca.new_applications > 0 then ca.appeals / ca.new_applications end as intensity
from cases as ca
order by ca.corrected desc nulls last, ca.appeals desc nulls last, ca.agency
