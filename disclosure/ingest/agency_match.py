"""Match the agencies a file names with the stored ones, and create the regions and agencies that are new.

Shared by report imports and the 单位名单 (roster). An *item* is anything with the fields of a
shapes.Draft used here: file, line, agency, parent, kind, year, issues, ref, and the slots this module
fills in — region_path, agency_id, agency_name.
"""
from __future__ import annotations

import pandas as pd

from disclosure.contract.agencies import LookAlikes, agency_key, folded_key, guess_kind, split_path
from disclosure.issues import ERROR, WARNING, Issue
from disclosure.store import sql


def resolve(con, items: list, issues: list[Issue]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Place every item in a region and match it to a stored agency; problems go to the item and `issues`.

    Returns the regions to create (paths) and the agencies to create (name, kind, region path).
    """
    regions = sql.run(con, "regions_all")
    paths = set(regions["path"])
    aliases = sql.run(con, "agency_aliases_all")
    # columns zipped, not itertuples: a province holds 140,000 spellings
    by_key: dict[tuple[str, str], tuple[int, str, str]] = dict(zip(
        zip(aliases["path"], aliases["alias_key"]), zip(aliases["agency_id"], aliases["name"], aliases["kind"])))
    by_name: dict[str, set[str]] = {}
    in_region: dict[str, list[str]] = {}  # region path -> its stored spellings' keys
    for path, key in zip(aliases["path"], aliases["alias_key"]):
        by_name.setdefault(key, set()).add(path)
        in_region.setdefault(path, []).append(key)
    # built for the regions a new name comes to, once each
    folded: dict[str, dict[str, str]] = {}  # region path -> folded key -> stored key
    look_alikes: dict[str, LookAlikes] = {}

    def stored_folded(path: str, key: str) -> tuple[int, str, str] | None:
        if path not in folded:
            folded[path] = {folded_key(k): k for k in in_region.get(path, ())}
        found = folded[path].get(folded_key(key))
        return by_key[(path, found)] if found else None

    placed: dict[str, tuple[str, str]] = {}  # a file names the same few regions row after row
    new_regions, new_agencies = {}, {}

    def add(d, issue: Issue) -> None:
        d.issues.append(issue)
        issues.append(issue)

    for d in items:
        key = agency_key(d.agency)
        if d.parent:
            if d.parent not in placed:
                placed[d.parent] = _region_path(d.parent, paths)
            path, problem = placed[d.parent]
        else:
            known = sorted(by_name.get(key, ()))
            path, problem = (known[0], "") if len(known) == 1 else ("", "")
            if len(known) > 1:
                problem = f"单位「{d.agency}」在多个地区都有（{'、'.join(known)}），请填写所属地区"
            elif not known:
                problem = f"新单位「{d.agency}」需要填写所属地区（如 江西省/赣州市/会昌县）"
        if problem:
            add(d, item_issue(d, "missing-region" if not d.parent else "ambiguous-region", ERROR, problem,
                              value=d.parent))
            continue
        d.region_path = path
        if path not in paths:
            for depth in range(1, len(split_path(path)) + 1):
                new_regions.setdefault("/".join(split_path(path)[:depth]), None)
        stored = by_key.get((path, key))
        if stored is None and (stored := stored_folded(path, key)):
            add(d, item_issue(d, "name-folded", WARNING, f"「{d.agency}」按简体字与已有单位「{stored[1]}」是同一单位，"
                              "计入该单位"))
        if stored:
            d.agency_id, d.agency_name, stored_kind = stored
            if d.kind and d.kind != stored_kind:
                add(d, item_issue(d, "kind-differs", WARNING,
                                  f"单位类型「{d.kind}」与已存的「{stored_kind}」不同，保留已存类型"))
            d.kind = stored_kind
            continue
        d.agency_name = new_agencies.get((path, key), (d.agency, ""))[0]
        if not d.kind:
            add(d, item_issue(d, "missing-kind", WARNING, f"新单位「{d.agency}」未填单位类型，记为「其他」",
                              suggestion=f"可能是「{guess_kind(d.agency)}」"))
            d.kind = new_agencies.get((path, key), ("", "其他"))[1] or "其他"
        if (path, key) not in new_agencies:
            if path not in look_alikes:
                look_alikes[path] = LookAlikes(in_region.get(path, ()))
            like = look_alikes[path].like(key)
            if like is not None:
                add(d, item_issue(d, "near-duplicate", WARNING, f"新单位「{d.agency}」与已有单位「{by_key[(path, like)][1]}」"
                                  "名称相近：如果是同一单位，请改用已有名称，以免一个单位算成两个", value=d.agency))
        new_agencies.setdefault((path, key), (d.agency_name, d.kind))
    return ([p for p in new_regions if p not in paths],
            [(name, kind, path) for (path, _), (name, kind) in new_agencies.items()])


def _region_path(text: str, paths: set[str]) -> tuple[str, str]:
    """A full region path from what the file wrote: a whole path, or a last part that is unambiguous."""
    parts = split_path(text)
    path = "/".join(parts)
    if not parts or path in paths:
        return path, ""
    matches = sorted(p for p in paths if p.endswith("/" + path))
    if len(matches) == 1:
        return matches[0], ""
    if len(matches) > 1:
        return "", f"地区「{text}」不唯一（{'、'.join(matches[:5])}），请写完整路径"
    return path, ""


def item_issue(d, code: str, severity: str, message: str, **kw) -> Issue:
    """An issue of one item; a table row names its line, a report document has none."""
    return Issue(code=code, severity=severity, message=f"第{d.line}行 {message}" if d.line else message, file=d.file,
                 row=d.line or None, agency=d.agency, year=d.year, **kw)


def create_regions(con, new_regions: list[str], batch_id: int | None) -> dict[str, int]:
    """Region id per path, creating the new ones parents first."""
    ids = dict(sql.run(con, "regions_all")[["path", "id"]].itertuples(index=False))
    for path in sorted(new_regions, key=lambda p: len(split_path(p))):
        parts = split_path(path)
        parent = ids.get("/".join(parts[:-1])) if len(parts) > 1 else None
        ids[path] = sql.fetch(con, "insert_region", name=parts[-1], parent_id=parent, path=path,
                              batch_id=batch_id)[0][0]
    return ids


def create_agencies(con, items: list, region_ids: dict[str, int], batch_id: int | None) -> dict[str, int]:
    """Agency id per item ref, creating new agencies and recording every new spelling as an alias."""
    new: dict[tuple[str, str], object] = {}
    for d in items:
        if d.agency_id is None:
            new.setdefault((d.region_path, agency_key(d.agency)), d)
    created = {}
    if new:
        ids = [i for (i,) in sql.fetch(con, "next_agency_ids", n=len(new))]
        created = dict(zip(new, ids))
        sql.insert_frame(con, "insert_agencies", "new_agencies", pd.DataFrame(
            {"id": ids, "name": [d.agency_name for d in new.values()], "kind": [d.kind for d in new.values()],
             "region_id": [region_ids[path] for path, _ in new], "created_batch": batch_id}))
    ids, aliases = {}, {}
    for d in items:
        key = agency_key(d.agency)
        ids[d.ref] = d.agency_id or created[(d.region_path, key)]
        aliases[(region_ids[d.region_path], d.agency)] = (key, ids[d.ref])
    sql.insert_frame(con, "insert_aliases", "new_aliases", pd.DataFrame(
        [(region, alias, key, agency) for (region, alias), (key, agency) in aliases.items()],
        columns=["region_id", "alias", "alias_key", "agency_id"]))
    return ids

