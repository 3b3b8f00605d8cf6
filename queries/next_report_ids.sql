-- next_report_ids: reserve ids for the reports a commit writes.
-- Grain: $n rows.
-- Params: $n
select nextval('report_id') as id from range($n)
