"""Pure functions DataFrame -> plotly Figure or display table for the 复议诉讼 and 趋势对比 pages."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from disclosure.present import palette
from disclosure.present.charts import (
    LINES,
    MONEY_UNITS,
    YEAR_AXIS,
    agency_styles,
    count_axis,
    largest,
    legend,
    ranked,
    rate_axis,
    stacked_top,
    titled,
    who,
)

BLOCKS = tuple(palette.APPEAL_BLOCKS)


def appeal_blocks(outcomes: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Stacked bars: cases per block, split by outcome (columns block, outcome, cases)."""
    totals = outcomes.groupby(["block", "outcome"], as_index=False)["cases"].sum()
    fig = go.Figure()
    for outcome, colour in palette.APPEAL_OUTCOMES.items():
        part = totals[totals["outcome"] == outcome].set_index("block").reindex(list(BLOCKS))
        fig.add_bar(x=list(BLOCKS), y=part["cases"], name=outcome, marker_color=colour,
                    hovertemplate="%{x}<br>" + outcome + "：%{y:,.0f} 件<extra></extra>")
    title = "行政复议、行政诉讼案件办理结果"
    fig.update_layout(barmode="stack",
                      title=titled(f"{year}年 {title}" if year else title, "各单位合计，不含县级汇总报告"),
                      xaxis_title="案件类别", yaxis=count_axis("案件数（件）", [stacked_top(totals, "block", "cases")]),
                      legend=legend("办理结果"))
    return fig


def appeal_agencies(outcomes: pd.DataFrame, block: str | None = None, year: int | None = None) -> go.Figure:
    """Stacked horizontal bars: each agency's cases by outcome, one block or all three; agencies without cases left
    out, the TOP with the most cases where there are more."""
    part = outcomes if block is None else outcomes[outcomes["block"] == block]
    per = part.groupby(["agency", "region", "outcome"], as_index=False)["cases"].sum()
    sizes = per.groupby(["agency", "region"])["cases"].sum()
    per, order, total = largest(per, sizes[sizes > 0])
    fig = go.Figure()
    for outcome, colour in palette.APPEAL_OUTCOMES.items():
        rows = per[per["outcome"] == outcome].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=rows["cases"], name=outcome, orientation="h", marker_color=colour,
                    customdata=who(per, order), hovertemplate="%{y}<br>" + outcome + "：%{x:,.0f} 件<extra></extra>")
    what = f"各单位{block or '行政复议和行政诉讼'}案件办理结果"
    fig.update_layout(barmode="stack", title=ranked(what, year, len(order), total, "案件最多", "有案件的单位"),
                      yaxis_title="单位", xaxis=count_axis("案件数（件）", [stacked_top(per, "agency", "cases")]),
                      legend=legend("办理结果"), height=max(320, 28 * len(order) + 170))
    return fig


def appeal_trend(trend: pd.DataFrame) -> go.Figure:
    """Bars of the three block totals per year and the 复议诉讼 intensity as a line on a second axis."""
    fig = go.Figure()
    columns = ("review_total", "suit_direct_total", "suit_after_review_total")
    for block, column in zip(BLOCKS, columns):
        fig.add_bar(x=trend["year"], y=trend[column], name=block, marker_color=palette.APPEAL_BLOCKS[block],
                    hovertemplate="%{x}年<br>" + block + "：%{y:,.0f} 件<extra></extra>")
    fig.add_scatter(x=trend["year"], y=trend["intensity"], name="复议诉讼强度（右轴）", yaxis="y2",
                    mode="lines+markers", line={"color": palette.LINE, "dash": "dot"}, cliponaxis=False,
                    hovertemplate="%{x}年<br>复议诉讼强度：%{y:.1%}<extra></extra>")
    stacks = trend[list(columns)].fillna(0).sum(axis=1)
    # its own round ticks (not synced to the left axis'), so no grid of its own
    intensity = rate_axis("复议诉讼强度", trend["intensity"]) | {"overlaying": "y", "side": "right", "tickmode": "auto",
                                                              "showgrid": False}
    fig.update_layout(barmode="stack", title=titled("行政复议、行政诉讼案件数与复议诉讼强度（按年度）",
                                                    "复议诉讼强度 = 案件数 ÷ 本年新收申请，各单位合并计算"),
                      xaxis=YEAR_AXIS, yaxis=count_axis("案件数（件）", stacks),
                      yaxis2=intensity, legend=legend("案件类别"))
    return fig


def top_agencies(series: pd.DataFrame, n: int = LINES, year: int | None = None) -> list[str]:
    """The n agencies with the highest value of the metric in `year` (the latest year shown by default); agencies
    without a value that year come after, by their latest value."""
    stated = series.dropna(subset=["value"])
    if stated.empty:
        return []
    year = year if year in set(stated["year"]) else stated["year"].max()
    latest = stated.sort_values("year").groupby("agency").tail(1).set_index("agency")["value"]
    that = stated[stated["year"] == year].set_index("agency")["value"]
    key = pd.DataFrame({"that": that.reindex(latest.index), "latest": latest})
    key = key.sort_values(["that", "latest"], ascending=False, na_position="last", kind="stable")
    return key.index[:n].tolist()


def metric_trend(series: pd.DataFrame, agencies: list[str], header: str, unit: str, is_rate: bool,
                 style: str = "line", year: int | None = None) -> go.Figure:
    """One metric across years, one trace per agency in its own colour (told from a namesake colour by a dash or
    pattern); a missing year is a gap, never 0. The subtitle says whether these are the highest of `year` or the
    user's choice, and of how many."""
    fig = go.Figure()
    money = unit in MONEY_UNITS
    value = "%{y:.1%}" if is_rate else ("%{y:,.2f}" if money else "%{y:,.0f}") + (f" {unit}" if unit else "")
    years = sorted(series["year"].unique())
    names = []
    for agency in agencies:
        part = series[series["agency"] == agency]
        names.append(part["name"].dropna().iloc[0] if "name" in part and part["name"].notna().any() else agency)
    shown = series[series["agency"].isin(agencies)]
    for agency, name, (colour, dash, pattern) in zip(agencies, names, agency_styles(names)):
        part = series[series["agency"] == agency].set_index("year").reindex(years)
        region = part["region"].dropna().iloc[0] if part["region"].notna().any() else ""
        common = {"x": years, "y": part["value"], "name": agency, "customdata": [[name, region]] * len(years),
                  "hovertemplate": f"{agency}<br>%{{x}}年<br>{header}：{value}<extra></extra>"}
        if style == "bar":
            fig.add_bar(marker={"color": colour, "pattern": {"shape": pattern}}, **common)
        else:
            fig.add_scatter(mode="lines+markers", line={"color": colour, "dash": dash}, connectgaps=False,
                            cliponaxis=False, **common)
    total = series["agency"].nunique()
    top = top_agencies(series, len(agencies), year)
    focus = year if year in set(series["year"]) else (max(years) if years else year)
    if agencies and set(agencies) == set(top) and total > len(agencies):
        note = f"图中为{focus}年该指标最高的 {len(agencies)} 个单位（共 {total:,} 个），其余可在上方选择"
    else:
        note = f"图中为所选的 {len(agencies)} 个单位（共 {total:,} 个）"
    axis = (rate_axis(header, shown["value"]) if is_rate else
            count_axis(f"{header}（{unit}）" if unit else header, shown["value"], unit))
    fig.update_layout(title=titled(f"{header}（按年度）", note), xaxis=YEAR_AXIS, yaxis=axis, legend=legend("单位"),
                      barmode="group", showlegend=True)
    return fig


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
