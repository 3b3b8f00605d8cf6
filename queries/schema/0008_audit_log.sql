-- 0008_audit_log: who did what and when — logins, failed logins, refusals, imports, undos, downloads — for the
-- 管理员 to read (「账户与审计」page). Appended to, never changed; written by disclosure/store/audit.py.

create sequence audit_id start 1;

create table audit_log (
    id bigint primary key default nextval('audit_id'),
    logged_at timestamp not null default current_timestamp,
    who varchar not null,            -- the account name, or the name typed at a failed login
    event varchar not null,          -- a key of disclosure/store/audit.py EVENTS: login, refused, import, download …
    detail varchar not null default ''
);
