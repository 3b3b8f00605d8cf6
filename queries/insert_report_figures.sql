-- insert_report_figures: the figures of the reports a commit just wrote (ids $first_id to $last_id: one
-- commit takes its ids in one run under the write lock), so report_summary sees them.
-- Grain: one row per new report.
-- Params: $first_id, $last_id
insert into report_figures
select rfc.*
from report_figures_computed as rfc
where rfc.report_id between $first_id and $last_id
  and rfc.report_id not in (select rf.report_id from report_figures as rf where rf.report_id >= $first_id)
