-- mark_batch_undone: record who undid a batch and when.
-- Grain: one batch.
-- Params: $batch_id, $user
update batches
set undone_at = current_timestamp, undone_by = $user
where id = $batch_id
