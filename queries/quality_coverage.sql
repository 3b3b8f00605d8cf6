-- quality_coverage: which agencies of a region reported for each year, and which are missing.
-- A report is expected when the agency reported the year before (spec: expected = reported the year before).
-- Grain: one row per (agency with a current report in the region, year with any current report there).
-- Params: $region, $year_from, $year_to, $kinds
with scope as (
    select a.id as agency_id, a.name as agency, a.kind, r.path as region, rp.year
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    where (r.path = $region or starts_with(r.path, $region || '/'))
      and (len($kinds) = 0 or list_contains($kinds, a.kind))
),
years as (
    select distinct sc.year
    from scope as sc
    where sc.year between $year_from and $year_to
),
agency_list as (
    select distinct sc.agency_id, sc.agency, sc.kind, sc.region
    from scope as sc
),
grid as (
    select al.agency_id, al.agency, al.kind, al.region, y.year
    from agency_list as al
    cross join years as y
)
select g.agency, g.kind, g.region, g.year,
       case when this.agency_id is not null then 'reported'
            when prev.agency_id is not null then 'missing'
            else 'not_expected' end as status
from grid as g
left join (select distinct agency_id, year from scope) as this
       on this.agency_id = g.agency_id and this.year = g.year
left join (select distinct agency_id, year from scope) as prev
       on prev.agency_id = g.agency_id and prev.year = g.year - 1
order by g.kind = '汇总' desc, g.region, g.agency, g.year
