"""Pure pivot of long rows (agency, kind, region, year, value) into a table and its chart, with Chinese labels."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from disclosure.charts import TOP, shown_title

# the dimensions a pivot can group by: Chinese label -> column of the long rows
DIMENSIONS = {"单位": "agency", "地区": "region", "单位类型": "kind", "年度": "year"}
NO_COLUMNS = "不分列"
AGGREGATIONS = {"合计": "sum", "平均": "mean", "最大": "max", "最小": "min", "计数": "count"}

# the derived figures of report_summary that explore_figure_long unpivots: name -> (Chinese label, unit)
FIGURES = {
    "published": ("主动公开信息总数", "条"),
    "new_applications": ("本年新收申请", "件"),
    "handled": ("办理结果总计", "件"),
    "granted": ("予以公开", "件"),
    "partial": ("部分公开", "件"),
    "denied": ("不予公开", "件"),
    "carried_out": ("结转下年度继续办理", "件"),
    "disclosure_rate": ("公开率（予以公开+部分公开）/办理总计", ""),
    "appeals": ("行政复议和诉讼合计", "件"),
    "review_total": ("行政复议总计", "件"),
    "review_corrected": ("行政复议结果纠正", "件"),
}


def pivot(long: pd.DataFrame, rows: str, columns: str, aggregation: str) -> pd.DataFrame:
    """Rows × columns (Chinese labels of DIMENSIONS, or NO_COLUMNS) of `value` aggregated one way.

    The result has the row label as its first column and one column per value of `columns` (years as 2020年),
    or a single column named after the aggregation."""
    if rows not in DIMENSIONS:
        raise KeyError(f"unknown row dimension: {rows!r}")
    if columns != NO_COLUMNS and (columns not in DIMENSIONS or columns == rows):
        raise KeyError(f"unknown column dimension: {columns!r}")
    how = AGGREGATIONS[aggregation]
    index = DIMENSIONS[rows]
    if long.empty:
        return pd.DataFrame(columns=[rows, aggregation])
    if columns == NO_COLUMNS:
        table = long.groupby(index, sort=True)["value"].agg(how).to_frame(aggregation)
    else:
        table = long.pivot_table(values="value", index=index, columns=DIMENSIONS[columns], aggfunc=how,
                                 observed=True, sort=True)
        table.columns = [_label(columns, c) for c in table.columns]
    table.index = [_label(rows, v) for v in table.index]
    table.index.name = rows
    if how == "count":
        table = table.fillna(0).astype("int64")
    return table.reset_index()


def _label(dimension: str, value) -> str:
    return f"{int(value)}年" if dimension == "年度" else str(value)


def figure(table: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """A bar per row when the pivot has one value column, else a heatmap of rows × columns; beyond TOP rows
    (a province has 20,000 agencies) the TOP with the largest row totals, and the title says so."""
    rows = table.columns[0]
    values = table.set_index(rows).astype("float64")
    total = len(values)
    if total > TOP:
        largest = values.sum(axis=1).sort_values(kind="stable").index[-TOP:]
        values = values[values.index.isin(largest)]
        title = shown_title(title, TOP, total, "合计最大", rows)
    suffix = f"（{unit}）" if unit else ""
    if values.shape[1] == 1:
        part = values.iloc[:, 0].sort_values()
        fig = go.Figure(go.Bar(y=list(part.index), x=part.to_numpy(), orientation="h",
                               hovertemplate="%{y}：%{x:,.4~g}" + unit + "<extra></extra>"))
        fig.update_layout(title=title, xaxis_title=f"{values.columns[0]}{suffix}", yaxis_title=rows,
                          height=max(320, 26 * len(part) + 120), margin={"t": 60}, showlegend=False)
        return fig
    text = values.map(lambda v: "" if pd.isna(v) else f"{v:,.4g}" if abs(v) < 1 else f"{v:,.0f}")
    fig = go.Figure(go.Heatmap(z=values.to_numpy(), x=list(values.columns), y=list(values.index),
                               text=text.to_numpy(), texttemplate="%{text}", colorscale="Blues",
                               colorbar={"title": unit or None},
                               hovertemplate="%{y} · %{x}：%{text}" + unit + "<extra></extra>"))
    fig.update_layout(title=title, yaxis_title=rows, height=max(320, 26 * len(values) + 140), margin={"t": 60},
                      yaxis={"autorange": "reversed"}, xaxis={"type": "category"})
    return fig
