"""Pure functions DataFrame -> plotly Figure, with Chinese titles and one colour per channel."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from disclosure import catalog

CHANNEL_COLOURS = dict(zip(
    (catalog.by_code()[f"s1.channel.{c}"].row_label for c in catalog.CHANNELS),
    ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"),
))


# One chart shows at most this many agencies, the largest: more bars are unreadable and slow the browser;
# the tables beside each chart list every agency.
TOP = 30


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with `agency` unique per agency for a chart's axis — the name, or where agencies of several
    regions share a name (every county has a 城关镇), the name and its county: 城关镇（东北县）, or its whole
    region where two counties share a name too. The name itself moves to `name`, which the drill-down needs."""
    out = df.assign(name=df["agency"])
    pairs = out[["agency", "region"]].drop_duplicates()
    pairs = pairs[pairs["agency"].duplicated(keep=False)]
    if pairs.empty:
        return out
    labels = pairs["agency"] + "（" + pairs["region"].str.rsplit("/", n=1).str[-1] + "）"
    if labels.duplicated().any():
        labels = pairs["agency"] + "（" + pairs["region"] + "）"
    out = out.merge(pairs.assign(_label=labels), on=["agency", "region"], how="left")
    out["agency"] = out.pop("_label").fillna(out["agency"])
    return out


def largest(df: pd.DataFrame, sizes: pd.Series, n: int = TOP) -> tuple[pd.DataFrame, list[str], int]:
    """The rows of the n agencies largest by `sizes` (a value per agency name and region), labelled; their labels
    smallest first (a horizontal bar chart draws its first category at the bottom); how many agencies there were.
    Only the rows shown are labelled: at a province's 20,000 agencies that is what keeps a chart fast."""
    top = sizes.sort_values(kind="stable").iloc[-n:] if n else sizes.iloc[:0]
    keys = pd.DataFrame(list(top.index), columns=["agency", "region"]).assign(_rank=range(len(top)))
    rows = labelled(df.merge(keys, on=["agency", "region"]))
    order = rows.drop_duplicates("agency").sort_values("_rank")["agency"].tolist()
    return rows.drop(columns="_rank"), order, len(sizes)


def who(df: pd.DataFrame, order: list[str]) -> list[list[str]]:
    """customdata for the bars in `order`: the [name, region] of each agency, which the drill-down opens."""
    first = df.drop_duplicates("agency").set_index("agency")
    return [[first.at[label, "name"], first.at[label, "region"]] for label in order]


def shown_title(title: str, shown: int, total: int, ranked_by: str = "数值最大", what: str = "单位") -> str:
    """The chart's title, saying so when it shows only the largest of the agencies (or other rows)."""
    return title if shown >= total else f"{title}（共 {total:,} 个{what}，图中为{ranked_by}的 {shown} 个，全部见下表）"


def channel_split(df: pd.DataFrame) -> go.Figure:
    """Stacked bars: items published per agency, split by channel (columns agency, region, channel, items)."""
    fig = go.Figure()
    # horizontal, largest on top: long Chinese agency names stay readable
    df, order, total = largest(df, df.groupby(["agency", "region"])["items"].sum())
    for channel in [c for c in CHANNEL_COLOURS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["items"], name=channel, orientation="h", marker_color=CHANNEL_COLOURS[channel],
                    customdata=who(df, order), hovertemplate="%{y}<br>" + channel + "：%{x:,.0f} 条<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title("主动公开信息条数（按公开渠道）", len(order), total),
                      yaxis_title="单位", xaxis_title="信息条数（条）", legend_title="公开渠道",
                      height=max(360, 28 * len(order) + 120), margin={"t": 60}, legend={"traceorder": "normal"})
    return fig


# How applications were handled (spec §5 outcome groups), one colour each on every page
OUTCOME_COLOURS = {"予以公开": "#2ca02c", "部分公开": "#98df8a", "不予公开": "#d62728", "无法提供": "#ff7f0e",
                   "不予处理": "#9467bd", "其他处理": "#7f7f7f"}
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
            "#17becf")


def agency_colour(agency: str) -> str:
    """The same colour for an agency on every chart and every run (not Python's salted hash)."""
    return _PALETTE[sum(agency.encode("utf-8")) % len(_PALETTE)]


def agency_colours(agencies: list[str]) -> dict[str, str]:
    """Each agency's own colour, except where an agency earlier in the list already has it: then the next colour
    of the palette not yet taken. Lines told apart only by colour then differ (up to ten of them)."""
    colours: dict[str, str] = {}
    for agency in agencies:
        start = _PALETTE.index(agency_colour(agency))
        free = [c for c in _PALETTE[start:] + _PALETTE[:start] if c not in colours.values()]
        colours[agency] = free[0] if free else _PALETTE[start]
    return colours


def ranking(df: pd.DataFrame, column: str, label: str, unit: str) -> go.Figure:
    """Agencies ranked on one figure, largest on top; each bar in its agency's colour."""
    stated = df.dropna(subset=[column])
    part, order, total = largest(stated, stated.set_index(["agency", "region"])[column])
    part = part.set_index("agency").loc[order].reset_index()
    fig = go.Figure(go.Bar(y=part["agency"], x=part[column], orientation="h", customdata=who(part, order),
                           marker_color=[agency_colour(a) for a in part["agency"]],
                           hovertemplate="%{y}<br>" + label + "：%{x:,.4~g}" + unit + "<extra></extra>"))
    fig.update_layout(title=shown_title(f"各单位{label}排名", len(order), total),
                      xaxis_title=f"{label}（{unit}）" if unit else label, yaxis_title="单位",
                      height=max(320, 26 * len(part) + 120), margin={"t": 60}, showlegend=False)
    return fig


def heatmap(df: pd.DataFrame, columns: dict[str, str], rates: tuple[str, ...] = ("disclosure_rate",)) -> go.Figure:
    """Agencies × key figures; colour is each figure's share of its column's largest value, text the value.
    Where there are more than TOP agencies, the TOP largest by the first figure."""
    first = next(iter(columns))
    part, order, total = largest(df, df.set_index(["agency", "region"])[first].fillna(0))
    values = part.set_index("agency").loc[order[::-1], list(columns)].astype("float64")
    scaled = values / values.max().replace(0, float("nan"))
    text = values.apply(lambda col: col.map(
        lambda v: "" if pd.isna(v) else f"{v:.1%}" if col.name in rates else f"{v:,.0f}"))
    fig = go.Figure(go.Heatmap(z=scaled.to_numpy(), x=list(columns.values()), y=list(values.index), text=text.to_numpy(),
                               texttemplate="%{text}", colorscale="Blues", showscale=False,
                               hovertemplate="%{y}<br>%{x}：%{text}<extra></extra>"))
    fig.update_layout(title=shown_title("各单位关键指标（颜色为该列最大值的占比）", len(order), total),
                      xaxis_title="指标", yaxis_title="单位",
                      height=max(320, 26 * len(values) + 140), margin={"t": 60}, yaxis_autorange="reversed")
    return fig


def picked_agency(points: list[dict] | None) -> tuple[str, str | None] | None:
    """(agency, region or None) of the first selected point that names an agency.

    Charts put the agency first in customdata, and its region second where agencies of several regions
    can appear; bars without customdata name the agency on their category axis.
    """
    for point in points or []:
        data = point.get("customdata")
        data = [data] if isinstance(data, str) else data
        if isinstance(data, (list, tuple)) and data and isinstance(data[0], str) and data[0]:
            region = data[1] if len(data) > 1 and isinstance(data[1], str) and data[1] else None
            return data[0], region
        axis = next((point[a] for a in ("y", "x") if isinstance(point.get(a), str) and point[a]), None)
        if axis:
            return axis, None
    return None
