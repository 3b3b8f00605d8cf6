-- report_figures_computed: one row per report with its figures (data-contract.md §5), pivoted from its stated cells.
-- Group subtotals add the stated 总计 cells of the group's rows; a blank stays null. The figures are stored as the
-- table report_figures (35_report_figures.sql); queries read that table, never this view.
create or replace view report_figures_computed as
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
       count(*) filter (where c.section <> '一') as table_cells,  -- stated cells of sections 二–四 (完整性)
       max(c.value) filter (where c.metric = 's3.carried_in.natural') as carried_in_natural,
       max(c.value) filter (where c.metric = 's3.carried_in.business') as carried_in_business,
       max(c.value) filter (where c.metric = 's3.carried_in.research') as carried_in_research,
       max(c.value) filter (where c.metric = 's3.carried_in.nonprofit') as carried_in_nonprofit,
       max(c.value) filter (where c.metric = 's3.carried_in.legal') as carried_in_legal,
       max(c.value) filter (where c.metric = 's3.carried_in.org_other') as carried_in_org_other,
       max(c.value) filter (where c.metric = 's3.carried_out.natural') as carried_out_natural,
       max(c.value) filter (where c.metric = 's3.carried_out.business') as carried_out_business,
       max(c.value) filter (where c.metric = 's3.carried_out.research') as carried_out_research,
       max(c.value) filter (where c.metric = 's3.carried_out.nonprofit') as carried_out_nonprofit,
       max(c.value) filter (where c.metric = 's3.carried_out.legal') as carried_out_legal,
       max(c.value) filter (where c.metric = 's3.carried_out.org_other') as carried_out_org_other
from cells as c
group by c.report_id;
