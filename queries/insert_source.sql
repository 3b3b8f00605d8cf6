-- insert_source: keep a received file as it was, so the import can be re-run or inspected.
-- Grain: one new row; returns its id.
-- Params: $batch_id, $file_name, $kind, $encoding, $sha256, $size_bytes, $content
insert into sources (batch_id, file_name, kind, encoding, sha256, size_bytes, content)
values ($batch_id, $file_name, $kind, $encoding, $sha256, $size_bytes, $content)
returning id
