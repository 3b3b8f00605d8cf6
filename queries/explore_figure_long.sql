-- explore_figure_long: one derived figure of report_summary (a bound name) for every current report in scope. A
-- ratio of data/ratios.csv comes with its numerator and denominator, so that the pivot can pool it (the sums of
-- both, divided), and only where its denominator is above 0; a count has neither.
-- Grain: one row per current report with a value for $figure.
-- Params: $region, $year_from, $year_to, $kinds, $agencies, $figure, $with_summary
with scope as (
    select rs.*
    from report_summary as rs
    where in_scope(rs.region, rs.kind, rs.agency, $region, $kinds, $agencies)
      and rs.year between $year_from and $year_to
      and ($with_summary or rs.kind <> '汇总')
),
figures as (
    select sc.agency, sc.kind, sc.region, sc.year, sc.is_demo, fg.figure,
           cast(fg.numerator as double) as numerator, cast(fg.denominator as double) as denominator,
           cast(fg.count as double) as count
    from scope as sc
    cross join lateral (values
        ('published', sc.published, null, null),
        ('new_applications', sc.new_applications, null, null),
        ('handled', sc.handled, null, null),
        ('granted', sc.granted, null, null),
        ('partial', sc.partial, null, null),
        ('denied', sc.denied, null, null),
        ('carried_out', sc.carried_out, null, null),
        ('appeals', sc.appeals, null, null),
        ('review_total', sc.review_total, null, null),
        ('review_corrected', sc.review_corrected, null, null),
        ('disclosure_rate', null, coalesce(sc.granted, 0) + coalesce(sc.partial, 0), sc.handled),
        ('review_rate', null, sc.review_corrected, sc.review_total - sc.review_pending),
        ('suit_direct_rate', null, sc.suit_direct_corrected, sc.suit_direct_total - sc.suit_direct_pending),
        ('suit_after_review_rate', null, sc.suit_after_review_corrected,
         sc.suit_after_review_total - sc.suit_after_review_pending),
        ('appeal_intensity', null, sc.appeals, sc.new_applications)
    ) as fg(figure, count, numerator, denominator)
    where fg.figure = $figure
)
select fg.agency, fg.kind, fg.region, fg.year,
       coalesce(fg.count, fg.numerator / fg.denominator) as value, fg.numerator, fg.denominator, fg.is_demo
from figures as fg
where fg.count is not null
   or (fg.numerator is not null and fg.denominator > 0)
order by fg.region, fg.agency, fg.year
