-- insert_batch: open an import batch.
-- Grain: one new row; returns its id.
-- Params: $user, $via, $is_demo, $files
insert into batches (created_by, via, is_demo, files)
values ($user, $via, $is_demo, $files)
returning id
