-- insert_report_issues: the issue records found at import, from the registered frame `new_issues`.
-- Grain: one row per issue.
-- Params: none; the caller registers `new_issues`.
insert into report_issues (report_id, code, rule, severity, message, column_name, value, cells, suggestion,
                           accepted_by, accepted_at)
select ni.report_id, ni.code, ni.rule, ni.severity, ni.message, ni.column_name, ni.value, ni.cells,
       ni.suggestion, ni.accepted_by, case when ni.accepted_by is not null then current_timestamp end
from new_issues as ni
