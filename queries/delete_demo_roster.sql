-- delete_demo_roster: the 单位名单 entries the demo wrote.
-- Grain: all demo entries.
-- Params: none
delete from roster
where is_demo
