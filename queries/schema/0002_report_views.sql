-- 0002_report_views: the current reports as analysts read them. report_facts is one row per stated
-- cell with its agency and region; report_summary is one row per report with the derived figures of
-- data-contract.md §5 (computed here, never stored: principle 5). Group subtotals add the stated 总计 cells of the
-- group's rows; a rate is null where its denominator is 0 or missing.

create view report_facts as
select rp.id as report_id, a.id as agency_id, a.name as agency, a.kind, r.path as region, rp.year,
       rp.version, b.is_demo, f.metric, f.value, f.approximate, f.origin
from current_reports as rp
join agencies as a on a.id = rp.agency_id
join regions as r on r.id = a.region_id
join batches as b on b.id = rp.batch_id
join facts as f on f.report_id = rp.id;

create view report_summary as
with cells as (
    select f.report_id, f.metric, f.value, m."group" as grp, m.column_label
    from facts as f
    join metrics as m on m.code = f.metric
),
figures as (
    select c.report_id,
           max(c.value) filter (where c.metric = 's1.published_total') as published,
           sum(c.value) filter (where c.grp = 'channel') as published_by_channel,
           max(c.value) filter (where c.metric = 's3.new.total') as new_applications,
           max(c.value) filter (where c.metric = 's3.new.natural') as new_natural,
           max(c.value) filter (where c.metric = 's3.carried_in.total') as carried_in,
           max(c.value) filter (where c.metric = 's3.granted.total') as granted,
           max(c.value) filter (where c.metric = 's3.partial.total') as partial,
           sum(c.value) filter (where c.grp = 'deny' and c.column_label = '总计') as denied,
           sum(c.value) filter (where c.grp = 'unable' and c.column_label = '总计') as unable,
           sum(c.value) filter (where c.grp = 'reject' and c.column_label = '总计') as rejected,
           sum(c.value) filter (where c.grp = 'other' and c.column_label = '总计') as other_handling,
           max(c.value) filter (where c.metric = 's3.handled_total.total') as handled,
           max(c.value) filter (where c.metric = 's3.carried_out.total') as carried_out,
           max(c.value) filter (where c.metric = 's4.review.total') as review_total,
           max(c.value) filter (where c.metric = 's4.review.corrected') as review_corrected,
           max(c.value) filter (where c.metric = 's4.review.pending') as review_pending,
           max(c.value) filter (where c.metric = 's4.suit_direct.total') as suit_direct_total,
           max(c.value) filter (where c.metric = 's4.suit_direct.corrected') as suit_direct_corrected,
           max(c.value) filter (where c.metric = 's4.suit_direct.pending') as suit_direct_pending,
           max(c.value) filter (where c.metric = 's4.suit_after_review.total') as suit_after_review_total,
           max(c.value) filter (where c.metric = 's4.suit_after_review.corrected') as suit_after_review_corrected,
           max(c.value) filter (where c.metric = 's4.suit_after_review.pending') as suit_after_review_pending
    from cells as c
    group by c.report_id
)
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
left join figures as fg on fg.report_id = rp.id;
