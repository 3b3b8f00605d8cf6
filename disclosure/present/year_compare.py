"""年度对比: each agency's key figures in two years side by side, the change, a pooled total, the largest changes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from disclosure.present.charts import labelled

# the key figures of data-contract.md §5, as the overview names them: code -> (label, unit)
METRICS = {"published": ("主动公开信息总数", "条"), "new_applications": ("本年新收申请", "件"),
           "handled": ("办理结果总计", "件"), "disclosure_rate": ("公开率", "%"), "appeals": ("行政复议和诉讼", "件")}
COUNTS = ("published", "new_applications", "handled", "appeals")
RATE = "disclosure_rate"
SUMMARY_KIND = "汇总"  # restates the agencies below it: never added to them
SMALL_BASE = 5  # a rate over fewer handled applications is shown, not ranked (data-contract.md §5)
TOP = 15
BOTH, BASE_ONLY, TARGET_ONLY = "both", "base", "target"
INCREASE, DECREASE = "增加", "减少"
COLOURS = {INCREASE: "#1f77b4", DECREASE: "#ff7f0e"}


def status_label(status: str, base: int, target: int) -> str:
    return {BOTH: "两年都有", BASE_ONLY: f"仅{base}年", TARGET_ONLY: f"仅{target}年"}[status]


def default_years(years: list[int], year: int) -> tuple[int, int]:
    """(base, target): the sidebar's year and the latest year with data before it; where the sidebar's year is
    the first with data, that year and the next one. Equal only where one year holds data."""
    held = sorted(set(years))
    if not held:
        return year, year
    target = year if year in held else held[-1]
    earlier = [y for y in held if y < target]
    if earlier:
        return earlier[-1], target
    later = [y for y in held if y > target]
    return target, later[0] if later else target


def compare(rows: pd.DataFrame, base: int, target: int) -> pd.DataFrame:
    """One row per agency (name and region: names repeat across counties) from year_compare rows: kind, status,
    and per figure `<m>_base`, `<m>_target`, `<m>_change` (target − base; blank unless both are stated), for counts
    `<m>_change_pct` ((target − base) / base; blank where the base is 0 or blank), and `disclosed_*` beside the rate
    for pooling. Counts stay whole numbers (nullable integers), blanks stay blank."""
    keys = ["agency", "region"]
    figures = list(METRICS) + ["disclosed"]
    columns = keys + ["kind", "status"] + [f"{m}_{side}" for m in figures for side in ("base", "target")]
    out = pd.DataFrame(columns=columns)
    if rows.empty:
        return _typed(out)
    kinds = rows.drop_duplicates(keys).set_index(keys)["kind"]
    sides = {side: rows[rows["year"] == y].drop_duplicates(keys).set_index(keys)[figures].add_suffix(f"_{side}")
             for side, y in (("base", base), ("target", target))}
    out = pd.concat([kinds, sides["base"], sides["target"]], axis=1).reset_index()
    in_base = pd.Series(out.set_index(keys).index.isin(sides["base"].index), index=out.index)
    in_target = pd.Series(out.set_index(keys).index.isin(sides["target"].index), index=out.index)
    out.insert(3, "status", np.where(in_base & in_target, BOTH, np.where(in_base, BASE_ONLY, TARGET_ONLY)))
    return _typed(out[columns])


def _typed(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    for m in COUNTS + ("disclosed",):
        for side in ("base", "target"):
            out[f"{m}_{side}"] = _whole(out[f"{m}_{side}"])
    for m in COUNTS:
        b, t = out[f"{m}_base"], out[f"{m}_target"]
        out[f"{m}_change"] = _whole(t.astype("Float64") - b.astype("Float64"))
        usable = b.notna() & t.notna() & (b.astype("Float64") != 0)
        out[f"{m}_change_pct"] = ((t.astype("float64") - b.astype("float64")) / b.astype("float64")).where(usable)
    for side in ("base", "target"):
        out[f"{RATE}_{side}"] = pd.to_numeric(out[f"{RATE}_{side}"], errors="coerce").astype("float64")
    out[f"{RATE}_change"] = out[f"{RATE}_target"] - out[f"{RATE}_base"]
    return out


def _whole(values: pd.Series) -> pd.Series:
    """Counts as nullable integers, so a table and its CSV read 2, never 2.0, and a blank stays blank; a column
    holding a fraction (none should) is left as it is rather than rounded."""
    numbers = pd.to_numeric(values, errors="coerce").astype("Float64")
    stated = numbers.dropna()
    if (stated != stated.round()).any():
        return numbers
    return numbers.round().astype("Int64")


def totals(compared: pd.DataFrame) -> dict:
    """The 合计 over the agencies that reported in both years, 汇总 reports left out: per count the sum over the
    agencies that state it in both years (so the change compares like with like) and how many they are; 公开率
    pooled over the agencies that state 办理结果总计 in both years — sum of numerators / sum of denominators, never
    a sum or mean of rates. Keys: agencies, and per figure `<m>_base`, `<m>_target`, `<m>_change`,
    `<m>_change_pct` (counts), `<m>_n`."""
    both = compared[(compared["status"] == BOTH) & (compared["kind"] != SUMMARY_KIND)]
    out: dict = {"agencies": len(both)}
    for m in COUNTS:
        stated = both[both[f"{m}_base"].notna() & both[f"{m}_target"].notna()]
        b = int(stated[f"{m}_base"].sum()) if len(stated) else None
        t = int(stated[f"{m}_target"].sum()) if len(stated) else None
        out.update({f"{m}_base": b, f"{m}_target": t, f"{m}_n": len(stated),
                    f"{m}_change": None if b is None else t - b,
                    f"{m}_change_pct": (t - b) / b if b else None})
    stated = both[both["handled_base"].notna() & both["handled_target"].notna()]
    rates = {}
    for side in ("base", "target"):
        handled = stated[f"handled_{side}"].astype("float64")
        disclosed = stated[f"disclosed_{side}"].astype("float64").where(handled > 0, 0.0)
        rates[side] = float(disclosed.sum() / handled.sum()) if handled.sum() > 0 else None
    out.update({f"{RATE}_base": rates["base"], f"{RATE}_target": rates["target"], f"{RATE}_n": len(stated),
                f"{RATE}_change": None if None in rates.values() else rates["target"] - rates["base"]})
    return out


# ---------------------------------------------------------------- for the page


def headers(base: int, target: int) -> dict[str, str]:
    """Internal column -> the Chinese header of the table (units in the header, the years in each column)."""
    names = {"agency": "单位", "kind": "类型", "region": "地区", "status": "状态"}
    for m, (label, unit) in METRICS.items():
        shown_unit = "" if m == RATE else f"（{unit}）"
        names[f"{m}_base"] = f"{label}{shown_unit} {base}年"
        names[f"{m}_target"] = f"{label}{shown_unit} {target}年"
        names[f"{m}_change"] = f"{label}变化（百分点）" if m == RATE else f"{label}变化"
        if m in COUNTS:
            names[f"{m}_change_pct"] = f"{label}变化率"
    return names


def table(compared: pd.DataFrame, base: int, target: int) -> pd.DataFrame:
    """The comparison as shown and downloaded: Chinese headers, the status in words, 公开率 as a fraction (the page
    formats it as %), its change in percentage points; 汇总 reports last."""
    names = headers(base, target)
    order = compared.assign(_summary=compared["kind"] == SUMMARY_KIND, _pub=compared["published_target"]
                            .astype("Float64").fillna(compared["published_base"].astype("Float64")))
    order = order.sort_values(["_summary", "_pub", "agency"], ascending=[True, False, True], na_position="last")
    out = order[list(names)].copy()
    out["status"] = [status_label(s, base, target) for s in out["status"]]
    out[f"{RATE}_change"] = out[f"{RATE}_change"] * 100
    return out.rename(columns=names).reset_index(drop=True)


def total_row(compared: pd.DataFrame, base: int, target: int) -> pd.DataFrame:
    """The 合计 as one row with the table's columns: 单位 合计, 状态 saying over how many agencies."""
    t = totals(compared)
    names = headers(base, target)
    row: dict = {c: None for c in names}
    row.update({"agency": "合计", "kind": "", "region": "",
                "status": f"两年都有报告的 {t['agencies']} 个单位（不含汇总）"})
    for c in names:
        if c in t:
            row[c] = t[c]
    row[f"{RATE}_change"] = None if t[f"{RATE}_change"] is None else t[f"{RATE}_change"] * 100
    out = pd.DataFrame([row])[list(names)]
    counts = {f"{m}_{part}" for m in COUNTS for part in ("base", "target", "change")}
    for c in list(names)[4:]:
        out[c] = out[c].astype("Int64" if c in counts else "float64")
    return out.rename(columns=names)


def total_note(compared: pd.DataFrame) -> str:
    """What the 合计 row adds up, with the n of each figure where it differs from the agencies counted."""
    t = totals(compared)
    fewer = [f"{METRICS[m][0]} {t[f'{m}_n']} 个" for m in (*COUNTS, RATE) if t[f"{m}_n"] != t["agencies"]]
    text = (f"合计行：两年都有报告的 {t['agencies']} 个单位之和，不含汇总报告；某项指标任一年未填的单位不计入该项合计"
            f"{'（' + '、'.join(fewer) + '）' if fewer else ''}。公开率为合并计算：(予以公开 + 部分公开) 之和 ÷ 办理结果总计之和。")
    return text


def largest_changes(compared: pd.DataFrame, metric: str, n: int = TOP) -> pd.DataFrame:
    """The n agencies whose `metric` changed most (by absolute change, no change left out), among those that
    reported in both years, 汇总 reports left out; for 公开率 only agencies with at least SMALL_BASE handled
    applications in both years. Columns agency, region, kind, base, target, change; largest change first."""
    rows = compared[(compared["status"] == BOTH) & (compared["kind"] != SUMMARY_KIND)]
    if metric == RATE:
        rows = rows[(rows["handled_base"].astype("Float64") >= SMALL_BASE).fillna(False)
                    & (rows["handled_target"].astype("Float64") >= SMALL_BASE).fillna(False)]
    change = rows[f"{metric}_change"].astype("float64")
    rows = rows.assign(change=change, base=rows[f"{metric}_base"], target=rows[f"{metric}_target"])
    rows = rows[rows["change"].notna() & (rows["change"] != 0)]
    rows = rows.assign(_size=rows["change"].abs()).sort_values(["_size", "agency"], ascending=[False, True]).head(n)
    return rows[["agency", "region", "kind", "base", "target", "change"]].reset_index(drop=True)


def change_chart(changes: pd.DataFrame, metric: str, base: int, target: int) -> go.Figure:
    """Horizontal bars of the largest changes (from largest_changes), increases and decreases in two colours with a
    legend, each bar labelled with its change; clicking a bar names the agency (customdata: name, region)."""
    label, unit = METRICS[metric]
    rate = metric == RATE
    rows = labelled(changes).iloc[::-1]  # a horizontal bar chart draws its first category at the bottom
    values = rows["change"] * 100 if rate else rows["change"]
    fig = go.Figure()
    for direction, chosen in ((INCREASE, values > 0), (DECREASE, values < 0)):
        part, shown = rows[chosen], values[chosen]
        if part.empty:
            continue
        text = [f"{v:+.1f} 个百分点" if rate else f"{v:+,.0f} {unit}" for v in shown]
        fig.add_bar(y=part["agency"], x=shown, orientation="h", name=direction, marker_color=COLOURS[direction],
                    text=text, textposition="outside", cliponaxis=False,
                    customdata=part[["name", "region"]].to_numpy().tolist(),
                    hovertemplate="%{y}<br>" + label + "变化：%{text}<extra></extra>")
    # room beyond the longest bars on both sides, so that labels outside a bar stay clear of the names and the edge
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    pad = 0.35 * (high - low) or 1.0
    axis = {"title": f"{label}变化（百分点）" if rate else f"{label}变化（{unit}）",
            "range": [low - pad if low < 0 else 0, high + pad if high > 0 else 0]}
    note = f"，办理不少于{SMALL_BASE}件的单位" if rate else ""
    fig.update_layout(title=f"{label}变化最大的单位（{base}年 → {target}年，前 {len(rows)} 个{note}）",
                      xaxis=axis, yaxis_title="单位", legend_title="变化方向",
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
                      yaxis={"categoryorder": "array", "categoryarray": rows["agency"].tolist()},
                      height=max(320, 28 * len(rows) + 140), margin={"t": 60})
    return fig
