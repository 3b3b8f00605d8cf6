-- report_summary: one row per current report with its agency, region and figures (report_figures), and the two
-- figures derived from them: 公开率 (null where nothing was handled) and the appeals (null where all three are blank).
create or replace view report_summary as
select rp.id as report_id, a.id as agency_id, a.name as agency, a.kind, r.path as region, rp.year, rp.version,
       b.is_demo, fg.* exclude (report_id),
       case when fg.handled > 0 then (coalesce(fg.granted, 0) + coalesce(fg.partial, 0)) / fg.handled end
           as disclosure_rate,
       case when coalesce(fg.review_total, fg.suit_direct_total, fg.suit_after_review_total) is not null
            then coalesce(fg.review_total, 0) + coalesce(fg.suit_direct_total, 0)
                 + coalesce(fg.suit_after_review_total, 0) end as appeals
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
left join report_figures as fg on fg.report_id = rp.id;
