-- filter_choices: the regions (each region and every region above it) and years that have current reports.
-- Reports are counted per region first, so the prefix match runs over regions, not over every report.
-- Grain: one row per (region, year).
-- Params: none
with per_region as (
    select r.path, rp.year, count(*) as reports
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
    group by r.path, rp.year
)
select anc.path as region, pr.year, sum(pr.reports) as reports,
       len(string_split(anc.path, '/')) >= 3 or suffix(anc.path, '县') or suffix(anc.path, '区') as is_county
from per_region as pr
join regions as anc on in_region(pr.path, anc.path)
group by anc.path, pr.year
order by anc.path, pr.year
