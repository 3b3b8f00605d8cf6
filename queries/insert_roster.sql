-- insert_roster: add or replace 单位名单 entries from the registered frame new_roster.
-- Grain: one row per agency named.
-- Params: none (reads new_roster: agency_id, active_from, active_to, file_name, imported_by, is_demo)
insert or replace into roster (agency_id, active_from, active_to, file_name, imported_by, is_demo)
select nr.agency_id, nr.active_from, nr.active_to, nr.file_name, nr.imported_by, nr.is_demo
from new_roster as nr
