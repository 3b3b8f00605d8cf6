-- agency_list: the agencies of a region (and the regions below it) with any current report, for the 单位详情 picker.
-- Grain: one row per agency (name within its own region).
-- Params: $region
select a.name as agency, r.path as region, a.kind, min(rp.year) as first_year, max(rp.year) as last_year,
       count(*) as reports
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
where in_region(r.path, $region)
group by a.name, r.path, a.kind
order by a.kind = '汇总' desc, a.name, r.path
