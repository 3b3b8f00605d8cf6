-- insert_rule_issues: the violations the rule engine just found, from the frame registered as new_rule_issues.
-- Grain: one row per violation.
-- Params: none
insert into rule_issues (region_id, agency_id, year, rule, code, severity, message, cells)
select region_id, agency_id, year, rule, code, severity, message, cells
from new_rule_issues
