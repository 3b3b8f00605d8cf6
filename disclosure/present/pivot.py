"""Pure pivot of long rows (agency, kind, region, year, value, numerator, denominator) into a table and its chart,
with Chinese labels. A ratio is pooled — the sum of its numerators over the sum of its denominators, with both and
the number of reports beside it — and never summed or averaged."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from disclosure.contract import catalog
from disclosure.present.charts import TOP, shown_title
from disclosure.present.charts_disclosure import SMALL_BASE

# the dimensions a pivot can group by: Chinese label -> column of the long rows
DIMENSIONS = {"单位": "agency", "地区": "region", "单位类型": "kind", "年度": "year"}
NO_COLUMNS = "不分列"
POOLED = "合并计算（分子之和÷分母之和）"
# counts and amounts add up; a ratio does not: its sum or mean over reports is no ratio of anything
COUNT_AGGREGATIONS = {"合计": "sum", "平均": "mean", "最大": "max", "最小": "min", "计数": "count"}
RATIO_AGGREGATIONS = {POOLED: "pooled", "最大": "max", "最小": "min", "计数": "count"}
REPORTS = "报告份数"
NOTE = "说明"
BAR, SMALL_BAR = "#1f77b4", "#9aa5b1"  # a bar over a denominator under SMALL_BASE is grey

# the derived figures of report_summary that explore_figure_long gives: name -> (Chinese label, unit); the ratios
# among them come from the ratio catalogue (data/ratios.csv), which says what they are a ratio of
COUNTS = {
    "published": ("主动公开信息总数", "条"),
    "new_applications": ("本年新收申请", "件"),
    "handled": ("办理结果总计", "件"),
    "granted": ("予以公开", "件"),
    "partial": ("部分公开", "件"),
    "denied": ("不予公开", "件"),
    "carried_out": ("结转下年度继续办理", "件"),
    "appeals": ("行政复议和诉讼合计", "件"),
    "review_total": ("行政复议总计", "件"),
    "review_corrected": ("行政复议结果纠正", "件"),
}
FIGURES = {**COUNTS, **{r.name: (r.label, "%") for r in catalog.ratios().values() if r.explore}}


def ratio_of(figure: str) -> catalog.Ratio | None:
    """The catalogue's ratio a figure of 数据探索 is, or None for a count."""
    ratio = catalog.ratios().get(figure)
    return ratio if ratio is not None and ratio.explore else None


def aggregations(ratio: bool) -> list[str]:
    """The aggregations offered: a ratio is pooled, never added up or averaged."""
    return list(RATIO_AGGREGATIONS if ratio else COUNT_AGGREGATIONS)


@dataclass(frozen=True)
class Pivot:
    """A pivot as shown. `table` (and its downloads) holds the row label, the `values` columns and, for a ratio
    without columns, its numerator, denominator and reports; `small` (rows × values) marks a ratio over a
    denominator under SMALL_BASE; `parts` holds, by (row, column), the numerator, denominator and reports behind
    a ratio's values (a pooled value: their sums; a maximum or minimum: that report's)."""

    table: pd.DataFrame
    values: list[str]
    how: str               # sum, mean, max, min, count or pooled
    percent: bool          # the values are ratios (fractions), shown as %
    small: pd.DataFrame
    parts: pd.DataFrame
    weight: pd.Series      # by row label: what ranks the rows when the chart shows only the TOP
    weight_label: str

    @property
    def rows(self) -> str:
        return self.table.columns[0]


def pivot(long: pd.DataFrame, rows: str, columns: str, aggregation: str,
          ratio: catalog.Ratio | None = None) -> Pivot:
    """Rows × columns (Chinese labels of DIMENSIONS, or NO_COLUMNS) of `value` aggregated one way — for a `ratio`
    one of RATIO_AGGREGATIONS. Years are labelled 2020年; whole numbers stay integers; a cell without reports
    is blank (a count there is 0)."""
    if rows not in DIMENSIONS:
        raise KeyError(f"unknown row dimension: {rows!r}")
    if columns != NO_COLUMNS and (columns not in DIMENSIONS or columns == rows):
        raise KeyError(f"unknown column dimension: {columns!r}")
    offered = RATIO_AGGREGATIONS if ratio else COUNT_AGGREGATIONS
    if aggregation not in offered:
        raise ValueError(f"{aggregation!r} is not offered for {'a ratio' if ratio else 'a count'}")
    how = offered[aggregation]
    percent = ratio is not None and how != "count"
    keys = [DIMENSIONS[rows]] + ([] if columns == NO_COLUMNS else [DIMENSIONS[columns]])
    if ratio:
        long = long[long["numerator"].notna() & (long["denominator"] > 0)]
    if long.empty:
        return Pivot(pd.DataFrame(columns=[rows, aggregation]), [aggregation], how, percent, pd.DataFrame(),
                     pd.DataFrame(), pd.Series(dtype="float64"), "")
    cells = _cells(long, keys, how, ratio is not None)
    value_name = ratio.label if how == "pooled" and columns == NO_COLUMNS else aggregation
    raw_columns = cells.index.get_level_values(1)
    order = [value_name] if columns == NO_COLUMNS else [_label(columns, v) for v in sorted(set(raw_columns))]
    row_labels = [_label(rows, v) for v in cells.index.get_level_values(0)]
    cells.index = pd.MultiIndex.from_arrays([row_labels, [value_name] * len(cells) if columns == NO_COLUMNS
                                             else [_label(columns, v) for v in raw_columns]])
    values = cells["value"].unstack(1).reindex(index=list(dict.fromkeys(row_labels)), columns=order)
    small = cells["small"].unstack(1).reindex_like(values).fillna(False).astype(bool)
    if how == "count":
        values = values.fillna(0)
    whole = how == "count" or (how != "mean" and not percent and bool((long["value"] % 1 == 0).all()))
    if whole:
        values = values.round().astype("Int64")
    elif not percent:
        values = values.round(6)  # 1.43 + 0.61, not 2.0400000000000005
    values.columns.name = None
    values.index.name = rows
    table = values.reset_index()
    parts = cells[["numerator", "denominator", "reports"]] if percent else pd.DataFrame()
    if how == "pooled" and columns == NO_COLUMNS:
        table[ratio.numerator_label] = _whole(parts["numerator"].to_numpy())
        table[ratio.denominator_label] = _whole(parts["denominator"].to_numpy())
        table[REPORTS] = parts["reports"].astype("Int64").to_numpy()
    if percent:
        notes = _notes(small, how, by_column=columns != NO_COLUMNS)
        if notes.ne("").any():
            table[NOTE] = notes.to_numpy()
    weight = long.groupby(DIMENSIONS[rows], sort=True)["denominator" if ratio else "value"].sum()
    weight.index = [_label(rows, v) for v in weight.index]
    return Pivot(table, list(values.columns), how, percent, small, parts, weight,
                 "分母之和最大" if ratio else "合计最大")


def _cells(long: pd.DataFrame, keys: list[str], how: str, ratio: bool) -> pd.DataFrame:
    """One row per group of `keys`: value, numerator, denominator, reports, small."""
    grouped = long.groupby(keys, sort=True, observed=True)
    reports = grouped["value"].count()
    if how == "pooled":
        cells = grouped[["numerator", "denominator"]].sum()
        cells["value"] = cells["numerator"] / cells["denominator"]
    elif ratio and how in ("max", "min"):
        # the extreme is one report's ratio: its numerator and denominator are that report's
        cells = (long.sort_values("value", ascending=how == "min", kind="stable")
                 .groupby(keys, sort=True, observed=True).head(1).set_index(keys).sort_index()
                 [["value", "numerator", "denominator"]])
    else:
        cells = grouped["value"].agg(how).to_frame("value")
        cells["numerator"] = cells["denominator"] = float("nan")
    cells["reports"] = reports
    cells["small"] = ratio and how != "count" and cells["denominator"] < SMALL_BASE
    if not isinstance(cells.index, pd.MultiIndex):
        cells.index = pd.MultiIndex.from_arrays([cells.index, [""] * len(cells)])
    return cells


def pooled_parts(result: Pivot, ratio: catalog.Ratio, column: str) -> pd.DataFrame:
    """The numerator, denominator and reports behind every value of a ratio's pivot, one row per cell
    (`column`: the pivot's column dimension)."""
    frame = result.parts.rename_axis([result.rows, column]).reset_index()
    frame.insert(2, ratio.label, frame["numerator"] / frame["denominator"])
    frame = frame.rename(columns={"numerator": ratio.numerator_label, "denominator": ratio.denominator_label,
                                  "reports": REPORTS})
    for name in (ratio.numerator_label, ratio.denominator_label, REPORTS):
        frame[name] = _whole(frame[name].to_numpy())
    return frame


def _whole(values) -> pd.Series:
    """Whole numbers as integers (sums of counts), anything else as it is."""
    values = pd.Series(values, dtype="float64")
    return values.round().astype("Int64") if bool((values.dropna() % 1 == 0).all()) else values


def _notes(small: pd.DataFrame, how: str, by_column: bool) -> pd.Series:
    """Per row: the values over a small denominator (which columns, when the pivot has columns), or ""."""
    what = f"分母之和不足{SMALL_BASE}" if how == "pooled" else f"该值所在报告的分母不足{SMALL_BASE}"
    if not by_column:
        return small.iloc[:, 0].map(lambda s: f"{what}，仅供参考" if s else "")
    return small.apply(lambda row: "、".join(row.index[row.to_numpy(dtype=bool)]), axis=1).map(
        lambda cols: f"{cols}：{what}，仅供参考（图中标 *）" if cols else "")


def _label(dimension: str, value) -> str:
    return f"{int(value)}年" if dimension == "年度" else str(value)


def figure(result: Pivot, title: str, unit: str) -> go.Figure:
    """A bar per row when the pivot has one value column, else a heatmap of rows × columns; a ratio on a percent
    axis or colour bar from 0, its hover with the numerator, denominator and reports, a small base in grey
    (a bar) or marked * (a heatmap). Beyond TOP rows (a province has 20,000 agencies) the TOP largest by their
    row totals (a ratio: by its denominators), and the title says so."""
    rows = result.rows
    values = result.table.set_index(rows)[result.values].astype("float64")
    total = len(values)
    if total > TOP:
        largest = result.weight.reindex(values.index).sort_values(kind="stable").index[-TOP:]
        values = values[values.index.isin(largest)]
        title = shown_title(title, TOP, total, result.weight_label, rows)
    small = (result.small.reindex(index=values.index, columns=values.columns).fillna(False).astype(bool)
             if not result.small.empty else values.notna() & False)
    suffix = "" if result.percent or not unit else f"（{unit}）"
    number = "%{x:.1%}" if result.percent else "%{x:,.4~g}" + unit
    extra = _parts_hover(result) + "<extra></extra>"
    if values.shape[1] == 1:
        column = values.columns[0]
        part = values[column].dropna().sort_values(kind="stable")
        fig = go.Figure(go.Bar(y=list(part.index), x=part.to_numpy(), orientation="h",
                               customdata=_customdata(result, [[(r, column)] for r in part.index], flat=True),
                               marker_color=[SMALL_BAR if small.loc[r, column] else BAR for r in part.index],
                               hovertemplate="%{y}：" + number + extra))
        fig.update_layout(title=title, xaxis_title=f"{column}{suffix}", yaxis_title=rows,
                          height=max(320, 26 * len(part) + 120), margin={"t": 60}, showlegend=False)
        fig.update_xaxes(rangemode="tozero", tickformat=".0%" if result.percent else None)
        return fig
    if result.percent:
        text = values.map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        text = text.where(~small, text + "*")
    else:
        text = values.map(lambda v: "" if pd.isna(v) else f"{v:,.4g}" if abs(v) < 1 else f"{v:,.0f}")
    colorbar = {"title": {"text": "%" if result.percent else unit}, "tickformat": ".0%" if result.percent else ""}
    low = values.min().min()
    fig = go.Figure(go.Heatmap(
        z=values.to_numpy(), x=list(values.columns), y=list(values.index), text=text.to_numpy(),
        texttemplate="%{text}", colorscale="Blues", colorbar=colorbar, zmin=0 if pd.isna(low) or low >= 0 else None,
        customdata=_customdata(result, [[(r, c) for c in values.columns] for r in values.index]),
        hovertemplate="%{y} · %{x}：" + number.replace("%{x", "%{z") + extra))
    fig.update_layout(title=title, yaxis_title=rows, height=max(320, 26 * len(values) + 140), margin={"t": 60},
                      yaxis={"autorange": "reversed"}, xaxis={"type": "category"})
    return fig


def _parts_hover(result: Pivot) -> str:
    if result.parts.empty:
        return ""
    if result.how == "pooled":
        return "<br>分子之和 %{customdata[0]:,.4~g} ÷ 分母之和 %{customdata[1]:,.4~g}（%{customdata[2]} 份报告）"
    return "<br>该报告：分子 %{customdata[0]:,.4~g} ÷ 分母 %{customdata[1]:,.4~g}（共 %{customdata[2]} 份报告）"


def _customdata(result: Pivot, cells: list[list[tuple]], flat: bool = False) -> list | None:
    """(numerator, denominator, reports) of each (row, column) cell, for the hover; None without parts."""
    if result.parts.empty:
        return None
    parts = result.parts

    def one(cell):
        return parts.loc[cell].tolist() if cell in parts.index else [None, None, None]

    grid = [[one(cell) for cell in row] for row in cells]
    return [row[0] for row in grid] if flat else grid
