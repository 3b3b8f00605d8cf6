-- expected_reports(region, kinds): one row per (agency, year) for the agencies of a region (and the regions below
-- it) that reported at least once or are on the list (roster), and the years anything was reported there. An agency
-- on the list is expected in the years it is active; one not on the list is expected when it reported the year
-- before. The one definition of "expected" that the overview and the quality page share.
-- Run by hand: select * from expected_reports('示例省/示例市/示例县', []) where not reported and expected;
create or replace macro expected_reports(scope_region, scope_kinds) as table
with agency_scope as (
    select a.id as agency_id, a.name as agency, a.kind, r.path as region
    from agencies as a
    join regions as r on r.id = a.region_id
    where in_region(r.path, scope_region)
      and in_kinds(a.kind, scope_kinds)
),
reported as (
    select distinct rp.agency_id, rp.year
    from current_reports as rp
    where rp.agency_id in (select s.agency_id from agency_scope as s)
),
listed as (
    select s.*
    from agency_scope as s
    where s.agency_id in (select ro.agency_id from roster as ro)
       or s.agency_id in (select rd.agency_id from reported as rd)
),
years as (
    select distinct rd.year from reported as rd
)
select l.agency_id, l.agency, l.kind, l.region, y.year,
       this.agency_id is not null as reported,
       case when ro.agency_id is not null
            then y.year between coalesce(ro.active_from, y.year) and coalesce(ro.active_to, y.year)
            else prev.agency_id is not null end as expected,
       case when ro.agency_id is not null then 'roster' else 'previous_year' end as basis
from listed as l
cross join years as y
left join roster as ro on ro.agency_id = l.agency_id
left join reported as this on this.agency_id = l.agency_id and this.year = y.year
left join reported as prev on prev.agency_id = l.agency_id and prev.year = y.year - 1;
