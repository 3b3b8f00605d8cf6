-- explore_figure_long: one derived figure of report_summary (a bound name) for every current report in scope.
-- Grain: one row per current report with a value for $figure.
-- Params: $region, $year_from, $year_to, $kinds, $agencies, $figure, $with_summary
with scope as (
    select rs.*
    from report_summary as rs
    where (rs.region = $region or starts_with(rs.region, $region || '/'))
      and rs.year between $year_from and $year_to
      and (len($kinds) = 0 or list_contains($kinds, rs.kind))
      and (len($agencies) = 0 or list_contains($agencies, rs.agency))
      and ($with_summary or rs.kind <> '汇总')
),
figures as (
    unpivot (
        select sc.agency, sc.kind, sc.region, sc.year, sc.is_demo,
               cast(sc.published as double) as published,
               cast(sc.new_applications as double) as new_applications,
               cast(sc.handled as double) as handled,
               cast(sc.granted as double) as granted,
               cast(sc.partial as double) as partial,
               cast(sc.denied as double) as denied,
               cast(sc.carried_out as double) as carried_out,
               cast(sc.disclosure_rate as double) as disclosure_rate,
               cast(sc.appeals as double) as appeals,
               cast(sc.review_total as double) as review_total,
               cast(sc.review_corrected as double) as review_corrected
        from scope as sc
    )
    on published, new_applications, handled, granted, partial, denied, carried_out, disclosure_rate, appeals,
       review_total, review_corrected
    into name figure value value
)
select fg.agency, fg.kind, fg.region, fg.year, fg.value, fg.is_demo
from figures as fg
where fg.figure = $figure
order by fg.region, fg.agency, fg.year
