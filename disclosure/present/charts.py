"""Pure functions DataFrame -> plotly Figure, with Chinese titles, the palette's colours and readable axes:
rates in % from 0, counts in whole numbers, a legend under the plot wherever colours mean something."""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from disclosure.present import palette

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


LINES = 5  # a trend chart of agencies draws the 5 highest at first; the page offers the others
MAX_LINES = 10  # more lines than this on one chart nobody tells apart
SMALL_BASE = 5  # fewer cases than this under a rate: the rate is marked and not ranked (data-contract.md §5)
MONEY_UNITS = ("万元", "元")  # the form's only figures that are not whole numbers
YEAR_AXIS = {"title": {"text": "年度"}, "dtick": 1, "tickformat": "d"}
FEW = 10  # a count axis up to this: one tick per whole number (plotly would step by 0.5, shown as 0, 1, 1, 2)


def titled(title: str, note: str = "") -> dict:
    """A chart's title, with what qualifies it — the year's n, what the chart leaves out — as a subtitle: one
    short line each, so neither is cut off in a narrow column."""
    return {"text": title, "subtitle": {"text": note}} if note else {"text": title}


def ranked(what: str, year: int | None, shown: int, total: int, ranked_by: str = "数值最大",
           noun: str = "单位") -> dict:
    """A ranking's title: the metric and the year, and in the subtitle how many agencies there are — and, where the
    chart shows only the largest, how many of them it shows."""
    note = f"共 {total:,} 个{noun}"
    if shown < total:
        note += f"，图中为{ranked_by}的 {shown} 个，全部见下表"
    return titled(f"{year}年 {what}" if year else what, note)


def legend(title: str) -> dict:
    """The legend of a chart whose colours mean something: horizontal, under the plot in the figure's own space
    (container-referenced, so plotly makes room for it) — it never covers an axis, a tick or the title."""
    return {"title": {"text": title}, "orientation": "h", "xref": "paper", "x": 0, "xanchor": "left",
            "yref": "container", "y": 0, "yanchor": "bottom", "traceorder": "normal"}


def _top(values) -> float:
    top = pd.to_numeric(pd.Series(values, dtype="float64"), errors="coerce").max()
    return 0.0 if pd.isna(top) else float(top)


def count_axis(title: str, values=(), unit: str = "件") -> dict:
    """A value axis of counts: from 0, whole-number ticks (one per number while they are few); a money axis keeps
    its decimals."""
    axis = {"title": {"text": title}, "rangemode": "tozero"}
    if unit in MONEY_UNITS:
        return axis | {"tickformat": ",~f"}
    axis["tickformat"] = ",d"
    span = _top(pd.Series(values, dtype="float64").abs())  # a signed count (本年增/减) reaches below 0
    if span <= FEW:
        axis["dtick"] = 1
        if span == 0:
            axis["range"] = [0, 1]
    return axis


def rate_axis(title: str, values=(), whole: bool = False) -> dict:
    """A value axis of rates or shares: from 0 %, up to 100 % (or to the data where they go beyond), ticks in %
    with as many decimals as small rates need; `whole` for shares that stack to 100 %."""
    top = 1.0 if whole else _top(values)
    upper = 1.0 if top <= 0 else min(1.0, top * 1.1) if top <= 1 else top * 1.05
    decimals = 0 if upper >= 0.1 else 1 if upper >= 0.01 else 2
    return {"title": {"text": title}, "range": [0, upper], "tickformat": f".{decimals}%"}


def stacked_top(df: pd.DataFrame, key: str, value: str) -> float:
    """The tallest stack of a stacked bar chart: the largest sum of `value` per `key`."""
    return _top(df.groupby(key)[value].sum()) if len(df) else 0.0


def agency_styles(names: list[str]) -> list[tuple[str, str, str]]:
    """Per agency name, in the chart's order: its own colour (palette.agency), and the dash of its line and the
    pattern of its bars, which tell it from an agency earlier in the chart that has the same colour."""
    return [(colour, palette.DASHES[k % len(palette.DASHES)], palette.PATTERNS[k % len(palette.PATTERNS)])
            for colour, k in palette.agency_marks(names)]


def channel_split(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Stacked bars: items published per agency, split by channel (columns agency, region, channel, items)."""
    fig = go.Figure()
    # horizontal, largest on top: long Chinese agency names stay readable
    df, order, total = largest(df, df.groupby(["agency", "region"])["items"].sum())
    for channel in [c for c in palette.CHANNELS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["items"], name=channel, orientation="h", marker_color=palette.CHANNELS[channel],
                    customdata=who(df, order), hovertemplate="%{y}<br>" + channel + "：%{x:,.0f} 条<extra></extra>")
    fig.update_layout(barmode="stack", title=ranked("主动公开信息条数（按公开渠道）", year, len(order), total,
                                                    "条数最多"),
                      yaxis_title="单位", xaxis=count_axis("信息条数（条）", df.groupby("agency")["items"].sum(), "条"),
                      legend=legend("公开渠道"), height=max(360, 28 * len(order) + 160))
    return fig


def ranking(df: pd.DataFrame, column: str, label: str, unit: str, year: int | None = None,
            base: tuple[str, str] | None = None) -> go.Figure:
    """Agencies ranked on one figure, largest on top, in one colour (the axis names the agencies). A rate (unit
    "%") with a `base` (its denominator's column and name) leaves agencies with fewer than SMALL_BASE cases out of
    the ranking: they stand greyed at the bottom."""
    rate = unit == "%"
    stated = df.dropna(subset=[column])
    small = stated[base[0]].fillna(0) < SMALL_BASE if rate and base else pd.Series(False, index=stated.index)
    stated = stated.assign(_small=small, _base=stated[base[0]] if base else 0)
    # the key only orders: rates lie within a few units of 0, so a small base sorts below every ranked rate
    key = stated[column].where(~small, stated[column] - 1e9)
    part, order, total = largest(stated, pd.Series(key.to_numpy(), index=pd.MultiIndex.from_frame(
        stated[["agency", "region"]])))
    if rate:
        value = "%{x:.1%}"
    else:
        value = ("%{x:,.2f} " if unit in MONEY_UNITS else "%{x:,.0f} ") + unit
    extra = f"<br>{base[1]}：%{{customdata[2]:,.0f}} 件" if rate and base else ""
    fig = go.Figure()
    few = f"{base[1] if base else ''}不足{SMALL_BASE}件（不排名）"
    for small_base, name, colour in ((False, label, palette.ONE), (True, few, palette.SMALL_BASE)):
        rows = part[part["_small"] == small_base]
        if small_base and rows.empty:
            continue
        labels = rows["agency"].tolist()
        fig.add_bar(y=labels, x=rows[column], orientation="h", name=name, marker_color=colour,
                    customdata=[[*w, b] for w, b in zip(who(rows, labels), rows["_base"])],
                    hovertemplate="%{y}<br>" + label + "：" + value + extra + "<extra></extra>")
    fig.update_layout(title=ranked(f"各单位{label}排名", year, len(order), total),
                      xaxis=rate_axis(label, part[column]) if rate else
                      count_axis(f"{label}（{unit}）" if unit else label, part[column], unit),
                      yaxis={"title": {"text": "单位"}, "categoryorder": "array", "categoryarray": order},
                      height=max(320, 26 * len(part) + 160), showlegend=len(fig.data) > 1, legend=legend("说明"))
    return fig


def heatmap(df: pd.DataFrame, columns: dict[str, tuple[str, str]], year: int | None = None) -> go.Figure:
    """Agencies × key figures, each column with its unit ("%" for a rate): the colour compares within a column
    (its largest value darkest), the text is the real value — rates in %, counts whole. Where there are more than
    TOP agencies, the TOP largest by the first figure."""
    first = next(iter(columns))
    part, order, total = largest(df, df.set_index(["agency", "region"])[first].fillna(0))
    values = part.set_index("agency").loc[order[::-1], list(columns)].astype("float64")
    scaled = values / values.max().replace(0, float("nan"))
    text = values.apply(lambda col: col.map(
        lambda v: "—" if pd.isna(v) else f"{v:.1%}" if columns[col.name][1] == "%" else f"{v:,.0f}"))
    labels = [f"{label}（{unit}）" for label, unit in columns.values()]
    fig = go.Figure(go.Heatmap(z=scaled.to_numpy(), x=labels, y=list(values.index), text=text.to_numpy(),
                               texttemplate="%{text}", colorscale="Blues", showscale=False, xgap=2, ygap=2,
                               hovertemplate="%{y}<br>%{x}：%{text}<extra></extra>"))
    note = ranked("", None, len(order), total, f"{columns[first][0]}最多")["subtitle"]["text"]
    fig.update_layout(title=titled(f"{year}年 各单位关键指标" if year else "各单位关键指标",
                                   f"{note}；颜色在每列内比较（该列最大值最深），“—”为未填报"),
                      xaxis={"title": {"text": "指标"}, "showgrid": False},
                      yaxis={"title": {"text": "单位"}, "showgrid": False},
                      height=max(320, 26 * len(values) + 180), yaxis_autorange="reversed")
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
            return html.unescape(axis), None  # the axis shows the name escaped (ui.plain_chart)
    return None
