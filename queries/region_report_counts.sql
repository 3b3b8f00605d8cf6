-- region_report_counts: how many current reports each region's own agencies have, so a check of every region
-- can go a bounded number of reports at a time.
-- Grain: one row per region with a current report.
-- Params: none
select a.region_id, count(*) as reports
from current_reports as rp
join agencies as a on a.id = rp.agency_id
group by a.region_id
order by a.region_id
