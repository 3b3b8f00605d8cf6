-- filter_choices: the regions (each region and every region above it) and years that have current reports.
-- Grain: one row per (region, year).
-- Params: none
with report_regions as (
    select r.path, rp.year
    from current_reports as rp
    join agencies as a on a.id = rp.agency_id
    join regions as r on r.id = a.region_id
),
ancestors as (
    select rr.path as own_path, rr.year, anc.path as region
    from report_regions as rr
    join regions as anc on rr.path = anc.path or starts_with(rr.path, anc.path || '/')
)
select an.region, an.year, count(*) as reports,
       len(string_split(an.region, '/')) >= 3 or suffix(an.region, '县') or suffix(an.region, '区') as is_county
from ancestors as an
group by an.region, an.year
order by an.region, an.year
