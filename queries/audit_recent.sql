-- audit_recent: the newest entries of the audit log, optionally one kind of event or one person's.
-- Grain: one row per entry.
-- Params: $event (varchar, '' for all), $who (varchar, '' for everyone), $limit (integer)
select id, logged_at, who, event, detail
from audit_log
where ($event = '' or event = $event)
  and ($who = '' or who = $who)
order by id desc
limit $limit
