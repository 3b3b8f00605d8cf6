-- 0006_rule_issues: every rule violation (R1–R5, C1–C4, P1, P2) of the current reports, kept as a table so the
-- overview and the quality page read them instead of running the rule engine over every stored cell of
-- their region on each new data version (13 s for a province's 29 million cells). Every write refreshes
-- the regions it touched, in its own transaction (disclosure/ingest/quality.py refresh_issues); the whole table is
-- checked again when it was filled by another version of the rules (meta key 'rules_version', absent until
-- the first check). Tests check the table equals a fresh run of the engine after imports, replacements, undo
-- and demo removal.

create table rule_issues (
    region_id integer not null,
    agency_id integer not null,
    year integer not null,
    rule varchar,                   -- R1 … P2; null for a finding outside the numbered rules
    code varchar not null,
    severity varchar not null,      -- error | warning
    message varchar not null,
    cells varchar not null          -- the numbers involved, each named by its header
);

-- A database without reports has nothing to check: it starts current, and every write keeps it so.
-- (1: disclosure/ingest/rule_store.py RULES_VERSION when this table was made.)
insert into meta select 'rules_version', 1 where not exists (select 1 from reports);
