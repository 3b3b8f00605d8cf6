-- undo_batch_reports: the current reports of a batch stop being current.
-- Grain: the batch's reports; returns how many.
-- Params: $batch_id, $user
with ended as (
    update reports
    set status = 'undone', ended_at = current_timestamp, ended_by = $user
    where batch_id = $batch_id and status = 'current'
    returning id
)
select count(*) from ended
