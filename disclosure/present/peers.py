"""同类比较: where an agency stands among the agencies of its kind (same kind, region and year), and the chart."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

# the key figures of data-contract.md §5: code -> (label, unit)
METRICS = {"published": ("主动公开信息总数", "条"), "new_applications": ("本年新收申请", "件"),
           "handled": ("办理结果总计", "件"), "disclosure_rate": ("公开率", "%"), "appeals": ("行政复议和诉讼", "件")}
RATES = ("disclosure_rate",)
MIN_HANDLED = 5  # a rate over fewer handled applications is marked, not ranked (data-contract.md §5)
PERCENTILE = "百分位"
AGENCY_COLOUR, PEER_COLOUR = "#d62728", "#1f77b4"


def percentiles(values: pd.Series) -> pd.Series:
    """Each stated value's percentile among the stated values of `values`; blank where the value is blank or fewer
    than two values are stated.

    The convention: among the n agencies that state the figure (the agency itself included), the share with a lower
    value, each *other* agency with an equal value counting half — 100 × (lower + ½ × equal others) / n. A unique
    minimum is at 0, the maximum below 100 (100 × (n − 1) / n when unique), and agencies sharing a value share its
    percentile. 公开率 is ranked only among agencies with at least MIN_HANDLED handled applications (see `ranked`).
    """
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    stated = pd.to_numeric(values, errors="coerce").astype("float64").dropna()
    n = len(stated)
    if n < 2:
        return out
    ordered = np.sort(stated.to_numpy())
    lower = np.searchsorted(ordered, stated.to_numpy(), side="left")
    equal_others = np.searchsorted(ordered, stated.to_numpy(), side="right") - lower - 1
    out.loc[stated.index] = 100.0 * (lower + equal_others / 2) / n
    return out


def ranked(peers: pd.DataFrame, metric: str) -> pd.Series:
    """Which peers take part in the ranking of `metric`: those that state it, and for a rate those with at least
    MIN_HANDLED handled applications."""
    stated = peers[metric].notna()
    if metric in RATES:
        stated &= (pd.to_numeric(peers["handled"], errors="coerce") >= MIN_HANDLED).fillna(False)
    return stated


def standing(peers: pd.DataFrame, agency: str, region: str) -> pd.DataFrame:
    """Per key figure, the agency among its peers (peer_values rows, the agency among them): metric, label, unit,
    value (its own, blank where not stated), median, percentile and n over the peers taking part in the ranking,
    and ranked (False where its own value is blank or, for a rate, its handled applications are too few)."""
    me = (peers["agency"] == agency) & (peers["region"] == region)
    rows = []
    for metric, (label, unit) in METRICS.items():
        taking_part = ranked(peers, metric)
        values = pd.to_numeric(peers[metric], errors="coerce").astype("float64")
        ranks = percentiles(values.where(taking_part))
        own = values[me]
        value = float(own.iloc[0]) if len(own) and pd.notna(own.iloc[0]) else None
        is_ranked = bool((me & taking_part).any())
        n = int(taking_part.sum())
        rows.append({"metric": metric, "label": label, "unit": unit, "value": value,
                     "median": float(values[taking_part].median()) if n else None,
                     "percentile": float(ranks[me].iloc[0]) if is_ranked and pd.notna(ranks[me].iloc[0]) else None,
                     "n": n, "ranked": is_ranked})
    return pd.DataFrame(rows)


def standing_table(stand: pd.DataFrame) -> pd.DataFrame:
    """standing as shown: 指标, 本单位, 同类中位数, 百分位, 同类单位数. The figures mix counts and a rate, so 本单位
    and 同类中位数 are written out (71 · 12.5 · 45.0%); blanks stay blank."""
    def shown(value, metric):
        if value is None or pd.isna(value):
            return None
        if metric in RATES:
            return f"{value:.1%}"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

    labels = [f"{r.label}（{r.unit}）" if r.metric not in RATES else r.label for r in stand.itertuples()]
    own = [shown(r.value, r.metric) for r in stand.itertuples()]
    own = [f"{o}（办理不足{MIN_HANDLED}件，不排名）" if o is not None and r.metric in RATES and not r.ranked else o
           for o, r in zip(own, stand.itertuples())]
    return pd.DataFrame({
        "指标": labels, "本单位": own,
        "同类中位数": [shown(r.median, r.metric) for r in stand.itertuples()],
        PERCENTILE: pd.Series(stand["percentile"], dtype="float64").round(1).to_numpy(),
        "同类单位数": pd.Series(stand["n"]).astype("Int64").to_numpy()})


def with_percentile(frame: pd.DataFrame, value: str = "value", *, by: str = "kind",
                    eligible: pd.Series | None = None, column: str = PERCENTILE) -> pd.DataFrame:
    """A ranking frame (agency, region, kind, `value` — one region and year) with a `column` of each agency's
    percentile among the agencies of its kind in the frame (the convention of `percentiles`, 0–100, one decimal). Rows
    outside `eligible` (a boolean mask, e.g. at least MIN_HANDLED handled for a rate) get a blank and are not
    counted as peers."""
    values = pd.to_numeric(frame[value], errors="coerce").astype("float64")
    if eligible is not None:
        values = values.where(eligible.reindex(frame.index).fillna(False).astype(bool))
    ranks = values.groupby(frame[by], dropna=False, group_keys=False).apply(percentiles)
    return frame.assign(**{column: ranks.reindex(frame.index).round(1)})


def distribution_chart(peers: pd.DataFrame, metric: str, agency: str, region: str, scope: str = "") -> go.Figure:
    """The peers' values of one figure as a box with every agency a point, the agency marked in red; the value
    axis labelled with its unit (a rate as % from 0). For a rate only peers with at least MIN_HANDLED handled."""
    label, unit = METRICS[metric]
    rate = metric in RATES
    taking_part = ranked(peers, metric)
    rows = peers[taking_part]
    group = f"同类单位（{len(rows)} 个）"
    fig = go.Figure(go.Box(
        x=rows[metric].astype("float64"), y=[group] * len(rows), name=group, orientation="h", boxpoints="all",
        jitter=0.5, pointpos=0, marker={"color": PEER_COLOUR, "opacity": 0.6}, line={"color": PEER_COLOUR},
        fillcolor="rgba(31,119,180,0.15)", customdata=rows[["agency", "region"]].to_numpy().tolist(),
        hovertemplate="%{customdata[0]}：%{x" + (":.1%" if rate else ":,.0f") + "}<extra></extra>", boxmean=False))
    me = peers[(peers["agency"] == agency) & (peers["region"] == region)]
    if len(me) and pd.notna(me[metric].iloc[0]):
        note = "" if (me.index.isin(rows.index)).any() else f"（办理不足{MIN_HANDLED}件，不排名）"
        fig.add_scatter(x=[float(me[metric].iloc[0])], y=[group], mode="markers", name=f"本单位：{agency}{note}",
                        marker={"color": AGENCY_COLOUR, "size": 16, "symbol": "diamond",
                                "line": {"color": "#000000", "width": 1}},
                        customdata=[[agency, region]],
                        hovertemplate=agency + "：%{x" + (":.1%" if rate else ":,.0f") + "}<extra></extra>")
    axis = {"title": label if rate else f"{label}（{unit}）", "rangemode": "tozero"}
    if rate:
        axis.update(tickformat=".0%", range=[0, 1.05])
    where = f"{scope} · " if scope else ""
    small = f"，仅办理不少于{MIN_HANDLED}件的单位" if rate else ""
    fig.update_layout(title=f"{label}：{where}同类单位分布{small}", xaxis=axis, yaxis={"title": "", "showticklabels": False},
                      showlegend=True, legend={"orientation": "h", "y": -0.35}, height=260, margin={"t": 50, "b": 10})
    return fig
