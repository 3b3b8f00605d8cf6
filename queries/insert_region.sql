-- insert_region: a region named by an import and not yet known.
-- Grain: one new row; returns its id.
-- Params: $name, $parent_id, $path, $batch_id
insert into regions (name, parent_id, path, created_batch)
values ($name, $parent_id, $path, $batch_id)
returning id
