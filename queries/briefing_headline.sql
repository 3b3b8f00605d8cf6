-- briefing_headline: 领导简报's headline figures of a region for $year and the year before, 汇总 left out;
-- 应报 as in overview_kpis. 公开率 and 纠错率 are pooled (Σ numerators ÷ Σ denominators, with both and their n).
-- Grain: one row per year ($year - 1 and $year), also a year without reports (its figures null).
-- Params: $region, $year, $kinds, $agencies
-- 纠错率 pools the three blocks of section 四 (行政复议, the two 行政诉讼): Σ结果纠正 ÷ Σ(总计 − 尚未审结) over
-- the blocks that state all three cells, as appeals_rates does for each block alone.
with years as (
    select unnest([$year - 1, $year]) as year
),
scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.kind <> '汇总'
      and rs.year between $year - 1 and $year
),
figures as (
    select sc.year,
           count(*) as reports,
           sum(sc.published) as published,
           sum(sc.new_applications) as new_applications,
           sum(sc.handled) as handled,
           sum(coalesce(sc.granted, 0) + coalesce(sc.partial, 0)) filter (where sc.handled > 0) as disclosed,
           sum(sc.handled) filter (where sc.handled > 0) as disclosure_base,
           count(*) filter (where sc.handled > 0) as rate_reports,
           sum(sc.appeals) as appeals
    from scope as sc
    group by sc.year
),
blocks as (
    select sc.report_id, sc.year, bl.corrected, bl.total - bl.pending as decided
    from scope as sc
    cross join lateral (values (sc.review_corrected, sc.review_total, sc.review_pending),
                               (sc.suit_direct_corrected, sc.suit_direct_total, sc.suit_direct_pending),
                               (sc.suit_after_review_corrected, sc.suit_after_review_total,
                                sc.suit_after_review_pending)) as bl(corrected, total, pending)
    where bl.corrected is not null and bl.total - bl.pending > 0
),
corrections as (
    select bk.year, sum(bk.corrected) as corrected, sum(bk.decided) as decided,
           count(distinct bk.report_id) as correction_reports
    from blocks as bk
    group by bk.year
),
expected as (
    select er.year, count(*) filter (where er.expected) as expected
    from expected_reports($region, $kinds) as er
    where er.kind <> '汇总'
      and in_agencies(er.agency, $agencies)
      and er.year between $year - 1 and $year
    group by er.year
)
select yr.year,
       -- none received is 0 where any report was expected or came, and unknown where the year has neither
       case when fg.year is not null or ex.year is not null then coalesce(fg.reports, 0) end as reports,
       ex.expected,
       fg.published, fg.new_applications, fg.handled,
       fg.disclosed, fg.disclosure_base, coalesce(fg.rate_reports, 0) as rate_reports,
       fg.disclosed / fg.disclosure_base as disclosure_rate,
       fg.appeals,
       co.corrected, co.decided, coalesce(co.correction_reports, 0) as correction_reports,
       co.corrected / co.decided as correction_rate
from years as yr
left join figures as fg on fg.year = yr.year
left join expected as ex on ex.year = yr.year
left join corrections as co on co.year = yr.year
order by yr.year
