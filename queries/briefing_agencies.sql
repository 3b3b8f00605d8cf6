-- briefing_agencies: each agency's figures in $year for 领导简报's first and last three; 汇总 left out.
-- An agency's 公开率 and 纠错率 come with their numerator and denominator, so a ranking can require a base.
-- Grain: one row per agency with a current report for $year.
-- Params: $region, $year, $kinds, $agencies
with scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.kind <> '汇总'
      and rs.year = $year
),
blocks as (
    select sc.report_id, bl.corrected, bl.total - bl.pending as decided
    from scope as sc
    cross join lateral (values (sc.review_corrected, sc.review_total, sc.review_pending),
                               (sc.suit_direct_corrected, sc.suit_direct_total, sc.suit_direct_pending),
                               (sc.suit_after_review_corrected, sc.suit_after_review_total,
                                sc.suit_after_review_pending)) as bl(corrected, total, pending)
    where bl.corrected is not null and bl.total - bl.pending > 0
),
corrections as (
    select bk.report_id, sum(bk.corrected) as corrected, sum(bk.decided) as decided
    from blocks as bk
    group by bk.report_id
)
select sc.agency, sc.region, sc.kind, sc.published, sc.new_applications, sc.handled,
       case when sc.handled > 0 then coalesce(sc.granted, 0) + coalesce(sc.partial, 0) end as disclosed,
       sc.disclosure_rate, sc.appeals,
       co.corrected, co.decided, co.corrected / co.decided as correction_rate
from scope as sc
left join corrections as co on co.report_id = sc.report_id
order by sc.agency, sc.region
