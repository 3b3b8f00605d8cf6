-- end_report: a current report stops being current (replaced by a newer import, or its batch undone).
-- Grain: one report.
-- Params: $id, $status, $user
update reports
set status = $status, ended_at = current_timestamp, ended_by = $user
where id = $id and status = 'current'
