"""Pure chart functions of the 主动公开 and 依申请公开 pages: DataFrame -> plotly Figure, Chinese labels."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from disclosure.present import palette
from disclosure.present.charts import (
    LINES,
    SMALL_BASE,
    YEAR_AXIS,
    agency_styles,
    channel_split,
    count_axis,
    labelled,
    largest,
    legend,
    ranked,
    rate_axis,
    titled,
    who,
)

OUTCOMES = tuple(palette.OUTCOMES)
# the query column of each outcome group (report_summary / applications_by_agency)
OUTCOME_FIELDS = dict(zip(OUTCOMES, ("granted", "partial", "denied", "unable", "rejected", "other_handling")))
APPLICANTS = tuple(palette.APPLICANTS)
APPLICANT_FIELDS = dict(zip(APPLICANTS, ("natural", "business", "research", "nonprofit", "legal", "org_other")))
DECISIONS = {"licensing_decisions": "行政许可", "penalties_decisions": "行政处罚", "coercion_decisions": "行政强制"}


def _height(n: int) -> int:
    return max(360, 28 * n + 170)


# ---------------------------------------------------------------- 主动公开


def channel_bars(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Stacked bars of items per agency and channel (columns agency, region, channel, items), largest agency on top:
    the overview's chart."""
    return channel_split(df, year)


def channel_shares(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Each channel's share of an agency's items (columns agency, region, channel, items, base, base_kind, share)."""
    fig = go.Figure()
    df, order, total = largest(df, df.groupby(["agency", "region"])["items"].sum())
    names = who(df, order)
    for channel in [c for c in palette.CHANNELS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["share"], name=channel, orientation="h", marker_color=palette.CHANNELS[channel],
                    customdata=[[*n, i, b, k] for n, i, b, k in zip(names, part["items"], part["base"], part["base_kind"])],
                    hovertemplate="%{y}<br>" + channel + "：%{x:.1%}（%{customdata[2]:,.0f} / %{customdata[3]:,.0f} 条，"
                                  "分母为%{customdata[4]}）<extra></extra>")
    title = ranked("各公开渠道占比", year, len(order), total, "条数最多")
    title["subtitle"]["text"] += "；分母：信息总数，未填总数的按渠道合计"
    # one item may go out on several channels: where an agency's shares add up past 100 %, stacking would
    # draw a bar longer than the whole, so the channels stand side by side
    overlapping = bool((df.groupby(["agency", "region"])["share"].sum() > 1.0005).any())
    if overlapping:
        title["subtitle"]["text"] += "；同一条信息可在多个渠道发布，占比之和可超过 100%，故并列显示"
    fig.update_layout(barmode="group" if overlapping else "stack", title=title, yaxis_title="单位", xaxis=rate_axis("占比", whole=True),
                      legend=legend("公开渠道"), height=_height(len(order)))
    return fig


def channel_share_trend(df: pd.DataFrame) -> go.Figure:
    """Lines: each channel's share of the region's items by year (columns year, channel, items, base, share)."""
    fig = go.Figure()
    for channel in [c for c in palette.CHANNELS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].sort_values("year")
        fig.add_scatter(x=part["year"], y=part["share"], name=channel, mode="lines+markers", cliponaxis=False,
                        line_color=palette.CHANNELS[channel], customdata=list(zip(part["items"], part["base"])),
                        hovertemplate="%{x}年<br>" + channel + "：%{y:.1%}（%{customdata[0]:,.0f} / "
                                      "%{customdata[1]:,.0f} 条）<extra></extra>")
    fig.update_layout(title=titled("各公开渠道占比的年度变化", "分母：填写了该渠道的报告的信息总数之和"),
                      xaxis=YEAR_AXIS, yaxis=rate_axis("占比", df["share"]), legend=legend("公开渠道"))
    return fig


def published_lines(df: pd.DataFrame) -> pd.DataFrame:
    """Items published per agency and year (columns agency, region, year, published), blanks left out, each
    agency labelled (namesakes of two counties apart) and ranked by its items over the years, most first."""
    stated = labelled(df.dropna(subset=["published"]))
    totals = stated.groupby("agency")["published"].sum().sort_values(ascending=False, kind="stable")
    rank = {label: n for n, label in enumerate(totals.index)}
    return stated.assign(_rank=stated["agency"].map(rank)).sort_values(["_rank", "year"]).drop(columns="_rank")


def published_trend(lines: pd.DataFrame, agencies: list[str] | None = None) -> go.Figure:
    """Lines: items published per agency and year (published_lines), for the chosen agencies (labels) — by default
    the LINES with the most items over the years; the title says which and of how many."""
    ordered = list(dict.fromkeys(lines["agency"]))
    top = ordered[:LINES]
    shown = [a for a in ordered if a in set(agencies)] if agencies else top
    fig = go.Figure()
    names = [lines.loc[lines["agency"] == a, "name"].iloc[0] for a in shown]
    for label, name, (colour, dash, _) in zip(shown, names, agency_styles(names)):
        part = lines[lines["agency"] == label]
        fig.add_scatter(x=part["year"], y=part["published"], name=label, mode="lines+markers", cliponaxis=False,
                        line={"color": colour, "dash": dash}, customdata=part[["name", "region"]].to_numpy(),
                        hovertemplate=label + "<br>%{x}年：%{y:,.0f} 条<extra></extra>")
    if shown == top and len(ordered) > len(top):
        note = f"图中为各年合计最多的 {len(top)} 个单位（共 {len(ordered):,} 个），其余可在上方选择"
    else:
        note = f"图中为所选的 {len(shown)} 个单位（共 {len(ordered):,} 个）"
    fig.update_layout(title=titled("各单位主动公开信息条数（年度）", note), xaxis=YEAR_AXIS,
                      yaxis=count_axis("信息条数（条）", lines.loc[lines["agency"].isin(shown), "published"], "条"),
                      legend=legend("单位"), showlegend=True)
    return fig


def decisions_trend(df: pd.DataFrame) -> go.Figure:
    """Grouped bars: licensing, penalty and coercion decisions per year, one series across both form versions."""
    fig = go.Figure()
    for field, label in DECISIONS.items():
        fig.add_bar(x=df["year"], y=df[field], name=label, marker_color=palette.DECISIONS[label],
                    hovertemplate="%{x}年<br>" + label + "：%{y:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="group", title=titled("行政许可、行政处罚、行政强制处理决定数量",
                                                    "2019、2021年版表格合并为一个序列"),
                      xaxis=YEAR_AXIS, yaxis=count_axis("处理决定数量（件）", df[list(DECISIONS)].stack()),
                      legend=legend("事项"))
    return fig


def fees_trend(df: pd.DataFrame) -> go.Figure:
    """Bars: fees collected in 万元 per year; only the 2021 form states money (2019 counts fee items instead)."""
    stated = df.dropna(subset=["fees_amount_wan"])
    fig = go.Figure()
    fig.add_bar(x=stated["year"], y=stated["fees_amount_wan"], name="本年收费金额", marker_color=palette.FEES,
                hovertemplate="%{x}年<br>本年收费金额：%{y:,.2f} 万元<extra></extra>")
    fig.update_layout(title=titled("行政事业性收费 本年收费金额", "仅2021年版表格填写金额"), xaxis=YEAR_AXIS,
                      yaxis=count_axis("收费金额（万元）", unit="万元"), showlegend=False)
    return fig


# ---------------------------------------------------------------- 依申请公开


def outcome_bars(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Stacked bars: how each agency's applications were handled (applications_by_agency columns)."""
    fig = go.Figure()
    shown = df.assign(_sum=df[list(OUTCOME_FIELDS.values())].fillna(0).sum(axis=1))
    shown = shown[shown["_sum"] > 0]
    shown, order, total = largest(shown, shown.set_index(["agency", "region"])["_sum"])
    shown = shown.set_index("agency").loc[order].reset_index()
    for outcome, field in OUTCOME_FIELDS.items():
        fig.add_bar(y=order, x=shown[field], name=outcome, orientation="h", marker_color=palette.OUTCOMES[outcome],
                    customdata=who(shown, order), hovertemplate="%{y}<br>" + outcome + "：%{x:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title=ranked("各单位办理结果", year, len(order), total, "办理件数最多"),
                      yaxis_title="单位", xaxis=count_axis("申请数量（件）", shown["_sum"]), legend=legend("办理结果"),
                      height=_height(len(order)))
    return fig


def received_bars(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Stacked bars: 本年新收 and 上年结转 per agency (applications_by_agency columns)."""
    shown = df.assign(_sum=df[["new_applications", "carried_in"]].fillna(0).sum(axis=1))
    shown = shown[shown["_sum"] > 0]
    shown, order, total = largest(shown, shown.set_index(["agency", "region"])["_sum"])
    shown = shown.set_index("agency").loc[order].reset_index()
    fig = go.Figure()
    for field, label in (("new_applications", "本年新收"), ("carried_in", "上年结转")):
        fig.add_bar(y=order, x=shown[field], name=label, orientation="h", marker_color=palette.RECEIVED[label],
                    customdata=who(shown, order), hovertemplate="%{y}<br>" + label + "：%{x:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title=ranked("各单位收到的政府信息公开申请（本年新收 + 上年结转）", year,
                                                    len(order), total, "申请最多"),
                      yaxis_title="单位", xaxis=count_axis("申请数量（件）", shown["_sum"]), legend=legend("来源"),
                      height=_height(len(order)))
    return fig


def rate_table(df: pd.DataFrame) -> pd.DataFrame:
    """公开率 per agency with its denominator; under SMALL_BASE handled it is marked and carries no rank."""
    out = df[~df["is_summary"] & df["handled"].notna() & (df["handled"] > 0)].copy()
    out["note"] = out["handled"].map(lambda n: f"办理不足{SMALL_BASE}件，仅供参考，不排名" if n < SMALL_BASE else "")
    out = out.sort_values(["rate_rank", "handled"], ascending=[True, False], na_position="last")
    return out[["agency", "region", "kind", "granted", "partial", "handled", "disclosure_rate", "rate_rank", "note"]].rename(
        columns={"agency": "单位", "region": "地区", "kind": "类型", "granted": "予以公开（件）", "partial": "部分公开（件）",
                 "handled": "办理结果总计（分母，件）", "disclosure_rate": "公开率", "rate_rank": "排名",
                 "note": "说明"})


def rate_bars(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """公开率 per agency with the denominator in the hover; small denominators grey and labelled 不排名.
    Where there are more than TOP agencies, the TOP with the most applications handled."""
    out = df[~df["is_summary"] & df["handled"].notna() & (df["handled"] > 0)]
    out, order, total = largest(out, out.set_index(["agency", "region"])["handled"])
    out = out.assign(small=out["handled"] < SMALL_BASE).sort_values(["small", "disclosure_rate"], ascending=[False, True])
    fig = go.Figure()
    for small, name, colour in ((False, "公开率", palette.OUTCOMES["予以公开"]),
                                (True, f"办理不足{SMALL_BASE}件（不排名）", palette.SMALL_BASE)):
        part = out[out["small"] == small]
        fig.add_bar(y=part["agency"], x=part["disclosure_rate"], name=name, orientation="h", marker_color=colour,
                    customdata=list(zip(part["name"], part["region"], part["handled"], part["granted"].fillna(0)
                                        + part["partial"].fillna(0))),
                    hovertemplate="%{y}<br>公开率：%{x:.1%}<br>（予以公开+部分公开 %{customdata[3]:,.0f} 件）"
                                  "÷ 办理结果总计 %{customdata[2]:,.0f} 件<extra></extra>")
    title = ranked("各单位公开率", year, len(order), total, "办理件数最多")
    title["subtitle"]["text"] = "公开率 =（予以公开 + 部分公开）÷ 办理结果总计；" + title["subtitle"]["text"]
    fig.update_layout(title=title, xaxis=rate_axis("公开率", out["disclosure_rate"]), yaxis_title="单位",
                      legend=legend("说明"), height=_height(len(out)))
    return fig


def applicant_outcome_sankey(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Sankey from applicant type to outcome group (columns applicant, outcome, applications)."""
    flows = df[df["applications"].fillna(0) > 0]
    applicants = [a for a in APPLICANTS if a in set(flows["applicant"])]
    outcomes = [o for o in OUTCOMES if o in set(flows["outcome"])]
    labels = applicants + outcomes
    index = {name: i for i, name in enumerate(applicants)} | {o: len(applicants) + i for i, o in enumerate(outcomes)}
    fig = go.Figure(go.Sankey(
        node={"label": labels, "pad": 18,
              "color": [palette.APPLICANTS[a] for a in applicants] + [palette.OUTCOMES[o] for o in outcomes],
              "hovertemplate": "%{label}：%{value:,.0f} 件<extra></extra>"},
        link={"source": [index[a] for a in flows["applicant"]], "target": [index[o] for o in flows["outcome"]],
              "value": flows["applications"].tolist(),
              "hovertemplate": "%{source.label} → %{target.label}：%{value:,.0f} 件<extra></extra>"}))
    fig.update_layout(title=titled(f"{year}年 申请人类型 → 办理结果" if year else "申请人类型 → 办理结果",
                                   "左为申请人类型，右为办理结果；宽度为件数"))
    return fig


def applicant_mix(df: pd.DataFrame, year: int | None = None) -> go.Figure:
    """Stacked shares of new applications by applicant type per agency (applications_applicants columns)."""
    shown = df[df["new_applications"].fillna(0) > 0]
    shown, order, total = largest(shown, shown.groupby(["agency", "region"])["new_applications"].max())
    names = who(shown, order)
    fig = go.Figure()
    for applicant in [a for a in APPLICANTS if a in set(shown["applicant"])]:
        part = shown[shown["applicant"] == applicant].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["share"], name=applicant, orientation="h",
                    marker_color=palette.APPLICANTS[applicant],
                    customdata=[[*n, a, t] for n, a, t in zip(names, part["applications"], part["new_applications"])],
                    hovertemplate="%{y}<br>" + applicant + "：%{x:.1%}（%{customdata[2]:,.0f} / "
                                  "%{customdata[3]:,.0f} 件）<extra></extra>")
    title = ranked("各单位本年新收申请的申请人构成", year, len(order), total, "新收申请最多")
    title["subtitle"]["text"] += "；占比的分母为本年新收总计"
    fig.update_layout(barmode="stack", title=title, yaxis_title="单位", xaxis=rate_axis("占比", whole=True),
                      legend=legend("申请人类型"), height=_height(len(order)))
    return fig


def applications_trend(df: pd.DataFrame) -> go.Figure:
    """Per year: new applications stacked by applicant type, with carried-in beside (applications_trend columns)."""
    fig = go.Figure()
    for applicant, field in APPLICANT_FIELDS.items():
        fig.add_bar(x=df["year"], y=df[field], name=applicant, marker_color=palette.APPLICANTS[applicant],
                    offsetgroup="new", hovertemplate="%{x}年<br>本年新收 " + applicant + "：%{y:,.0f} 件<extra></extra>")
    fig.add_scatter(x=df["year"], y=df["carried_in"], name="上年结转", mode="lines+markers", line_color=palette.LINE,
                    cliponaxis=False, hovertemplate="%{x}年<br>上年结转：%{y:,.0f} 件<extra></extra>")
    stacks = df[list(APPLICANT_FIELDS.values())].fillna(0).sum(axis=1)
    fig.update_layout(barmode="stack", title=titled("本年新收申请和上年结转的年度变化",
                                                    "柱为本年新收（按申请人类型），线为上年结转"),
                      xaxis=YEAR_AXIS, yaxis=count_axis("申请数量（件）", pd.concat([stacks, df["carried_in"]])),
                      legend=legend("申请来源"))
    return fig


def rate_trend(df: pd.DataFrame) -> go.Figure:
    """Line: the region's 公开率 by year, the denominator in the hover (applications_trend columns)."""
    fig = go.Figure()
    fig.add_scatter(x=df["year"], y=df["disclosure_rate"], name="公开率", mode="lines+markers", cliponaxis=False,
                    line_color=palette.OUTCOMES["予以公开"], customdata=df["handled"],
                    hovertemplate="%{x}年<br>公开率：%{y:.1%}<br>办理结果总计 %{customdata:,.0f} 件<extra></extra>")
    fig.update_layout(title=titled("公开率的年度变化", "（予以公开 + 部分公开）÷ 办理结果总计，各单位合并计算"),
                      xaxis=YEAR_AXIS, yaxis=rate_axis("公开率", df["disclosure_rate"]), showlegend=False)
    return fig
