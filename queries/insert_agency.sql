-- insert_agency: an agency named by an import and not yet known in its region.
-- Grain: one new row; returns its id.
-- Params: $name, $kind, $region_id, $batch_id
insert into agencies (name, kind, region_id, created_batch)
values ($name, $kind, $region_id, $batch_id)
returning id
