-- 0003_roster: the optional list of agencies a region expects reports from (单位名单); what "expected" means is
-- queries/views/50_expected_reports.sql.
-- An agency on the list is expected in the years it is active (a merged or abolished township gets an
-- end year and stops being expected); an agency not on the list is expected when it reported the year
-- before. The list names agencies only; reports stay the source of every figure.

create table roster (
    agency_id integer primary key,
    active_from integer,             -- first year a report is expected; null: since always
    active_to integer,               -- last year a report is expected; null: still active
    file_name varchar not null,
    imported_by varchar not null,
    imported_at timestamp not null default current_timestamp,
    is_demo boolean not null default false
);
