-- 0001_core: regions, agencies, import batches, source files, reports, facts, issue records.
-- Facts are stored long, one row per (report, metric): the metric is a value, never a column name.
-- No foreign keys: DuckDB refuses to update rows that other rows reference, and reports change
-- status when replaced or undone. The ingest module keeps the references whole.

create sequence region_id start 1;
create sequence agency_id start 1;
create sequence batch_id start 1;
create sequence source_id start 1;
create sequence report_id start 1;

create table meta (
    key varchar primary key,
    value bigint not null
);
insert into meta values ('data_version', 0);

create table metrics (
    code varchar primary key,
    version varchar not null,        -- 2019, 2021 or both
    section varchar not null,
    block varchar not null,
    row_label varchar not null,
    column_label varchar not null,
    header varchar not null,
    header_2019 varchar not null,
    value_type varchar not null,     -- count, signed_count, decimal
    unit varchar not null,
    "group" varchar not null,        -- deny, unable, reject, other, channel or empty
    display_order integer not null
);

-- province -> city -> county; path is the names joined by '/', e.g. 江西省/赣州市/会昌县
create table regions (
    id integer primary key default nextval('region_id'),
    name varchar not null,
    parent_id integer,
    path varchar not null unique,
    created_batch integer
);

create table agencies (
    id integer primary key default nextval('agency_id'),
    name varchar not null,
    kind varchar not null,           -- 乡 镇 街道 部门 政府 汇总 园区 其他
    region_id integer not null,
    created_batch integer,
    unique (region_id, name)
);

-- every spelling seen for an agency (海青乡人民政府, 海青乡政府, 海青乡) and the key they share
-- within its region (agencies.agency_key), which is what an import matches on
create table agency_aliases (
    region_id integer not null,
    alias varchar not null,
    alias_key varchar not null,
    agency_id integer not null,
    primary key (region_id, alias)
);

create table batches (
    id integer primary key default nextval('batch_id'),
    created_at timestamp not null default current_timestamp,
    created_by varchar not null,
    via varchar not null,            -- 数据上传, 命令行, 示例数据
    is_demo boolean not null default false,
    files varchar not null,          -- the file names, for the history list
    undone_at timestamp,
    undone_by varchar
);

-- the file as it was received, so an import can be re-run or inspected
create table sources (
    id integer primary key default nextval('source_id'),
    batch_id integer not null,
    file_name varchar not null,
    kind varchar not null,           -- csv, xlsx, txt, docx, html
    encoding varchar,
    sha256 varchar not null,
    size_bytes bigint not null,
    content blob not null
);

create table reports (
    id integer primary key default nextval('report_id'),
    agency_id integer not null,
    year integer not null,
    version varchar not null,
    batch_id integer not null,
    source_id integer,
    source_row integer,              -- line of the report in its source file
    imported_at timestamp not null default current_timestamp,
    imported_by varchar not null,
    status varchar not null,         -- current, replaced, undone
    replaces integer,                -- the report this one replaced
    replace_reason varchar,
    ended_at timestamp,              -- when it stopped being current
    ended_by varchar
);

create table facts (
    report_id integer not null,
    metric varchar not null,
    value double not null,
    raw varchar,                     -- the cell text as written
    unit varchar,                    -- the unit as written, where the text gave one
    approximate boolean not null default false,
    origin varchar not null          -- file, corrected, suggested
);

-- the issue records found at import, with the errors knowingly accepted
create table report_issues (
    report_id integer not null,
    code varchar not null,
    rule varchar not null,
    severity varchar not null,
    message varchar not null,
    column_name varchar not null,
    value varchar not null,
    cells varchar not null,          -- JSON: code -> number
    suggestion varchar not null,
    accepted_by varchar,             -- set when an error was knowingly accepted
    accepted_at timestamp
);
