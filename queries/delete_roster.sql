-- delete_roster: remove the 单位名单 entries users imported; the demo's go with the demo data.
-- Grain: DuckDB answers with the number of entries removed.
-- Params: none
delete from roster
where not is_demo
