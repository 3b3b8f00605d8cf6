-- rules_version: the version of the rules the stored rule_issues were checked with; no row before the first check.
-- Grain: at most one row.
-- Params: none
select value from meta where key = 'rules_version'
