-- appeals_trend: a region's reconsideration and litigation cases per year: the three block totals, each
-- block's 纠错率 (corrected / (total − pending)) and the 复议诉讼 intensity (cases / s3.new.total); 汇总 left out.
-- Both are pooled (data/ratios.csv): the sum of the numerators over the sum of the denominators of the reports
-- that have the ratio. A block's corrected and decided are exactly its rate's numerator and denominator; the
-- intensity counts the reports that state a section-四 total and have new applications.
-- Grain: one row per year from $year_from to $year_to with a current report.
-- Params: $region, $year_from, $year_to, $kinds, $agencies
with scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year between $year_from and $year_to
      and rs.kind <> '汇总'
),
years as (
    select sc.year,
           sum(sc.review_total) as review_total,
           sum(sc.suit_direct_total) as suit_direct_total,
           sum(sc.suit_after_review_total) as suit_after_review_total,
           sum(sc.review_total - sc.review_pending) filter (where sc.review_corrected is not null) as review_decided,
           sum(sc.review_corrected) filter (where sc.review_total - sc.review_pending is not null) as review_corrected,
           sum(sc.suit_direct_total - sc.suit_direct_pending) filter (where sc.suit_direct_corrected is not null)
               as suit_direct_decided,
           sum(sc.suit_direct_corrected) filter (where sc.suit_direct_total - sc.suit_direct_pending is not null)
               as suit_direct_corrected,
           sum(sc.suit_after_review_total - sc.suit_after_review_pending)
               filter (where sc.suit_after_review_corrected is not null) as suit_after_review_decided,
           sum(sc.suit_after_review_corrected)
               filter (where sc.suit_after_review_total - sc.suit_after_review_pending is not null)
               as suit_after_review_corrected,
           sum(sc.appeals) filter (where coalesce(sc.review_total, sc.suit_direct_total,
                                                   sc.suit_after_review_total) is not null) as appeals,
           sum(sc.new_applications) as new_applications,
           -- appeals is null where no section-四 total is stated
           sum(sc.appeals) filter (where sc.new_applications > 0) as intensity_cases,
           sum(sc.new_applications) filter (where sc.new_applications > 0 and sc.appeals is not null)
               as intensity_base
    from scope as sc
    group by sc.year
)
select yr.year, yr.review_total, yr.suit_direct_total, yr.suit_after_review_total, yr.appeals, yr.new_applications,
       yr.intensity_cases / yr.intensity_base as intensity,
       yr.review_corrected, yr.review_decided,
       case when yr.review_decided > 0 then yr.review_corrected / yr.review_decided end as review_rate,
       yr.suit_direct_corrected, yr.suit_direct_decided,
       case when yr.suit_direct_decided > 0 then yr.suit_direct_corrected / yr.suit_direct_decided end
           as suit_direct_rate,
       yr.suit_after_review_corrected, yr.suit_after_review_decided,
       case when yr.suit_after_review_decided > 0 then yr.suit_after_review_corrected / yr.suit_after_review_decided end
           as suit_after_review_rate
from years as yr
order by yr.year
