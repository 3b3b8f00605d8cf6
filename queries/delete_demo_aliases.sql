-- delete_demo_aliases: spellings of agencies the demo created and that no other report uses.
-- Grain: aliases of agencies about to be deleted.
-- Params: none
delete from agency_aliases
where agency_id in (
    select a.id from agencies as a
    where a.created_batch in (select b.id from batches as b where b.is_demo)
      and not exists (select 1 from reports as rp where rp.agency_id = a.id)
)
