-- 0004_report_figures: report_summary read from a table instead of pivoting every stored cell on every
-- query. A report's cells never change once written (a correction is a new report), so its figures are
-- computed once, by the same SQL as before (the view report_figures_computed), when ingest commits the
-- report (queries/insert_report_figures.sql), and deleted with it. The table is that view, materialised:
-- tests check the two agree after imports, replacements, undo and demo removal. At a province's
-- 20 million cells this turns each dashboard aggregate from a pivot of every cell into a scan of one row
-- per report.

create view report_figures_computed as
with cells as (
    select f.report_id, f.metric, f.value, m."group" as grp, m.column_label, m.section
    from facts as f
    join metrics as m on m.code = f.metric
)
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
       max(c.value) filter (where c.metric = 's4.suit_after_review.pending') as suit_after_review_pending,
       count(*) filter (where c.section <> '一') as table_cells  -- stated cells of sections 二–四 (完整性)
from cells as c
group by c.report_id;

create table report_figures as
select * from report_figures_computed
order by report_id;

drop view report_summary;

create view report_summary as
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
