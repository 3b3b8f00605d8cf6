-- scope: the shared sidebar selection as one rule, used by every query and view that reads a region's reports.
-- A region holds itself and every region below it: paths are 省/市/县, so 示例省/示例市 holds 示例省/示例市/示例县 but
-- not 示例省/示例市二. No kind chosen is every kind; no agency chosen is every agency.
-- Run by hand: select in_region('示例省/示例市/示例县', '示例省/示例市'), in_kinds('乡', []::varchar[]);

create or replace macro in_region(region, scope_region) as
    region = scope_region or starts_with(region, scope_region || '/');

create or replace macro in_kinds(kind, scope_kinds) as
    len(scope_kinds) = 0 or list_contains(scope_kinds, kind);

create or replace macro in_agencies(agency, scope_agencies) as
    len(scope_agencies) = 0 or list_contains(scope_agencies, agency);

create or replace macro in_scope(region, kind, agency, scope_region, scope_kinds, scope_agencies) as
    in_region(region, scope_region) and in_kinds(kind, scope_kinds) and in_agencies(agency, scope_agencies);
