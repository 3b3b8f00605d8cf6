"""Pure functions DataFrame -> plotly Figure or display table for the 复议诉讼 and 趋势对比 pages."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from disclosure.charts import agency_colours, largest, shown_title, who

BLOCKS = ("行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉")
# section 四 outcomes in form order; corrections stand out in red on every chart
APPEAL_OUTCOME_COLOURS = {"结果维持": "#2ca02c", "结果纠正": "#d62728", "其他结果": "#7f7f7f", "尚未审结": "#ff7f0e"}
BLOCK_COLOURS = dict(zip(BLOCKS, ("#1f77b4", "#9467bd", "#8c564b")))
SMALL_BASE = 5  # a rate over fewer decided cases is marked, not ranked (spec §5)


def appeal_blocks(outcomes: pd.DataFrame) -> go.Figure:
    """Stacked bars: cases per block, split by outcome (columns block, outcome, cases)."""
    totals = outcomes.groupby(["block", "outcome"], as_index=False)["cases"].sum()
    fig = go.Figure()
    for outcome, colour in APPEAL_OUTCOME_COLOURS.items():
        part = totals[totals["outcome"] == outcome].set_index("block").reindex(list(BLOCKS))
        fig.add_bar(x=list(BLOCKS), y=part["cases"], name=outcome, marker_color=colour,
                    hovertemplate="%{x}<br>" + outcome + "：%{y:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title="行政复议、行政诉讼案件办理结果", xaxis_title="案件类别",
                      yaxis_title="案件数（件）", legend_title="办理结果", margin={"t": 60})
    return fig


def appeal_agencies(outcomes: pd.DataFrame, block: str | None = None) -> go.Figure:
    """Stacked horizontal bars: each agency's cases by outcome, one block or all three; agencies without cases left
    out, the TOP with the most cases where there are more."""
    part = outcomes if block is None else outcomes[outcomes["block"] == block]
    per = part.groupby(["agency", "region", "outcome"], as_index=False)["cases"].sum()
    sizes = per.groupby(["agency", "region"])["cases"].sum()
    per, order, total = largest(per, sizes[sizes > 0])
    fig = go.Figure()
    for outcome, colour in APPEAL_OUTCOME_COLOURS.items():
        rows = per[per["outcome"] == outcome].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=rows["cases"], name=outcome, orientation="h", marker_color=colour,
                    customdata=who(per, order), hovertemplate="%{y}<br>" + outcome + "：%{x:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title(f"各单位{block or '行政复议和行政诉讼'}案件办理结果", len(order), total),
                      yaxis_title="单位", xaxis_title="案件数（件）", legend_title="办理结果",
                      height=max(320, 28 * len(order) + 140), margin={"t": 60})
    return fig


def appeal_trend(trend: pd.DataFrame) -> go.Figure:
    """Bars of the three block totals per year and the 复议诉讼 intensity as a line on a second axis."""
    fig = go.Figure()
    for block, column in zip(BLOCKS, ("review_total", "suit_direct_total", "suit_after_review_total")):
        fig.add_bar(x=trend["year"], y=trend[column], name=block, marker_color=BLOCK_COLOURS[block],
                    hovertemplate="%{x}年<br>" + block + "：%{y:,.0f} 件<extra></extra>")
    fig.add_scatter(x=trend["year"], y=trend["intensity"], name="复议诉讼强度", yaxis="y2", mode="lines+markers",
                    line={"color": "#000000", "dash": "dot"},
                    hovertemplate="%{x}年<br>复议诉讼强度：%{y:.1%}<extra></extra>")
    fig.update_layout(barmode="stack", title="行政复议、行政诉讼案件数与复议诉讼强度（按年度）",
                      xaxis={"title": "年度", "dtick": 1}, yaxis_title="案件数（件）",
                      yaxis2={"title": "复议诉讼强度（案件数 ÷ 新收申请）", "overlaying": "y", "side": "right",
                              "tickformat": ".0%", "rangemode": "tozero"},
                      legend_title="案件类别", margin={"t": 60})
    return fig


def metric_trend(series: pd.DataFrame, agencies: list[str], header: str, unit: str, is_rate: bool,
                 style: str = "line") -> go.Figure:
    """One metric across years, one trace per agency in its own colour; a missing year is a gap, never 0."""
    fig = go.Figure()
    axis = "比例" if is_rate else f"{header}（{unit}）" if unit else header
    value = "%{y:.1%}" if is_rate else "%{y:,.2~f}" + (f" {unit}" if unit else "")
    years = sorted(series["year"].unique())
    colours = agency_colours(agencies)
    for agency in agencies:
        part = series[series["agency"] == agency].set_index("year").reindex(years)
        name = part["name"].dropna().iloc[0] if "name" in part and part["name"].notna().any() else agency
        region = part["region"].dropna().iloc[0] if part["region"].notna().any() else ""
        common = {"x": years, "y": part["value"], "name": agency, "customdata": [[name, region]] * len(years),
                  "hovertemplate": f"{agency}<br>%{{x}}年<br>{header}：{value}<extra></extra>"}
        if style == "bar":
            fig.add_bar(marker_color=colours[agency], **common)
        else:
            fig.add_scatter(mode="lines+markers", line={"color": colours[agency]}, connectgaps=False, **common)
    fig.update_layout(title=f"{header}（按年度）", xaxis={"title": "年度", "dtick": 1}, yaxis_title=axis,
                      legend_title="单位", barmode="group", margin={"t": 60})
    if is_rate:
        fig.update_yaxes(tickformat=".0%")
    return fig


def top_agencies(series: pd.DataFrame, n: int = 5) -> list[str]:
    """The n agencies with the highest mean of the metric over the years shown."""
    means = series.dropna(subset=["value"]).groupby("agency")["value"].mean()
    return means.sort_values(ascending=False, kind="stable").index[:n].tolist()


def yoy_table(series: pd.DataFrame, agencies: list[str]) -> pd.DataFrame:
    """Agencies × years of the change on the year before; blank where that year is 0 or missing."""
    part = series[series["agency"].isin(agencies)]
    table = part.pivot_table(index="agency", columns="year", values="yoy", aggfunc="first", dropna=False)
    table = table.reindex(index=[a for a in agencies if a in set(part["agency"])],
                          columns=sorted(series["year"].unique()))
    table.columns = [f"{y}年" for y in table.columns]
    return table.rename_axis("单位").reset_index()


def compare_table(cells: pd.DataFrame, agencies: list[str]) -> pd.DataFrame:
    """Rows = cells of the form (in form order), columns = agencies; a cell an agency's report lacks stays blank."""
    table = cells.pivot_table(index=["display_order", "section", "header", "unit"], columns="agency", values="value",
                              aggfunc="first")
    table = table.reindex(columns=[a for a in agencies if a in table.columns]).sort_index()
    table = table.reset_index().drop(columns="display_order")
    table.columns.name = None
    return table.rename(columns={"section": "部分", "header": "指标", "unit": "计量单位"})
