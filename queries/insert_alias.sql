-- insert_alias: remember a spelling of an agency's name (a spelling seen before changes nothing).
-- Grain: at most one new row.
-- Params: $region_id, $alias, $alias_key, $agency_id
insert into agency_aliases (region_id, alias, alias_key, agency_id)
values ($region_id, $alias, $alias_key, $agency_id)
on conflict do nothing
