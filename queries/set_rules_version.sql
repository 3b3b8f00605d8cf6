-- set_rules_version: the version of the rules the stored rule_issues were checked with (rule_store.RULES_VERSION).
-- Grain: one row of meta.
-- Params: $version
insert or replace into meta values ('rules_version', $version)
