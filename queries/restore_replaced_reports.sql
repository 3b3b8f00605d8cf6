-- restore_replaced_reports: the reports a batch replaced are current again once it is undone.
-- Grain: the replaced reports.
-- Params: $batch_id
update reports
set status = 'current', ended_at = null, ended_by = null
where status = 'replaced'
  and id in (select undone.replaces from reports as undone where undone.batch_id = $batch_id and undone.replaces is not null)
