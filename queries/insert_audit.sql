-- insert_audit: one entry of the audit log (disclosure/store/audit.py EVENTS), appended, never changed.
-- Grain: one new row of audit_log.
-- Params: $who, $event, $detail
insert into audit_log (who, event, detail) values ($who, $event, $detail)
