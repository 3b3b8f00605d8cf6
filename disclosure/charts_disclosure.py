"""Pure chart functions of the 主动公开 and 依申请公开 pages: DataFrame -> plotly Figure, Chinese labels."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from disclosure.charts import CHANNEL_COLOURS, OUTCOME_COLOURS, agency_colours, largest, shown_title, who

OUTCOMES = tuple(OUTCOME_COLOURS)
# the query column of each outcome group (report_summary / applications_by_agency)
OUTCOME_FIELDS = dict(zip(OUTCOMES, ("granted", "partial", "denied", "unable", "rejected", "other_handling")))
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
APPLICANT_FIELDS = dict(zip(APPLICANTS, ("natural", "business", "research", "nonprofit", "legal", "org_other")))
# applicant types are not channels or outcomes: their own fixed colours, the same on every chart
APPLICANT_COLOURS = dict(zip(APPLICANTS, ("#1f77b4", "#8c564b", "#e377c2", "#bcbd22", "#17becf", "#7f7f7f")))
DECISIONS = {"licensing_decisions": "行政许可", "penalties_decisions": "行政处罚", "coercion_decisions": "行政强制"}
SMALL_BASE = 5  # fewer handled applications than this: the rate is marked and not ranked (spec §5)


def _height(n: int) -> int:
    return max(360, 28 * n + 140)


# ---------------------------------------------------------------- 主动公开


def channel_bars(df: pd.DataFrame) -> go.Figure:
    """Stacked bars of items per agency and channel (columns agency, region, channel, items), largest agency on top."""
    fig = go.Figure()
    df, order, total = largest(df, df.groupby(["agency", "region"])["items"].sum())
    for channel in [c for c in CHANNEL_COLOURS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["items"], name=channel, orientation="h", customdata=who(df, order),
                    marker_color=CHANNEL_COLOURS[channel],
                    hovertemplate="%{y}<br>" + channel + "：%{x:,.0f} 条<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title("主动公开信息条数（按公开渠道）", len(order), total),
                      yaxis_title="单位", xaxis_title="信息条数（条）", legend_title="公开渠道", height=_height(len(order)))
    return fig


def channel_shares(df: pd.DataFrame) -> go.Figure:
    """Each channel's share of an agency's items (columns agency, region, channel, items, base, base_kind, share)."""
    fig = go.Figure()
    df, order, total = largest(df, df.groupby(["agency", "region"])["items"].sum())
    names = who(df, order)
    for channel in [c for c in CHANNEL_COLOURS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["share"], name=channel, orientation="h", marker_color=CHANNEL_COLOURS[channel],
                    customdata=[[*n, i, b, k] for n, i, b, k in zip(names, part["items"], part["base"], part["base_kind"])],
                    hovertemplate="%{y}<br>" + channel + "：%{x:.1%}（%{customdata[2]:,.0f} / %{customdata[3]:,.0f}，"
                                  "分母为%{customdata[4]}）<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title("各公开渠道占比（分母：信息总数；未填总数的按渠道合计）",
                                                         len(order), total),
                      yaxis_title="单位", xaxis_title="占比", xaxis_tickformat=".0%", legend_title="公开渠道",
                      height=_height(len(order)))
    return fig


def channel_share_trend(df: pd.DataFrame) -> go.Figure:
    """Lines: each channel's share of the region's items by year (columns year, channel, items, base, share)."""
    fig = go.Figure()
    for channel in [c for c in CHANNEL_COLOURS if c in set(df["channel"])]:
        part = df[df["channel"] == channel].sort_values("year")
        fig.add_scatter(x=part["year"], y=part["share"], name=channel, mode="lines+markers",
                        line_color=CHANNEL_COLOURS[channel], customdata=list(zip(part["items"], part["base"])),
                        hovertemplate="%{x}年<br>" + channel + "：%{y:.1%}（%{customdata[0]:,.0f} / "
                                      "%{customdata[1]:,.0f} 条）<extra></extra>")
    fig.update_layout(title="各公开渠道占比的年度变化", xaxis_title="年度", yaxis_title="占比", yaxis_tickformat=".0%",
                      xaxis_dtick=1, legend_title="公开渠道")
    return fig


def published_trend(df: pd.DataFrame) -> go.Figure:
    """Lines: items published per agency and year (columns agency, region, year, published); the TOP agencies
    with the most items over the years."""
    fig = go.Figure()
    stated = df.dropna(subset=["published"])
    stated, order, total = largest(stated, stated.groupby(["agency", "region"])["published"].sum())
    colours = agency_colours(order[::-1])
    for label, (name, region) in zip(order[::-1], who(stated, order[::-1])):
        part = stated[stated["agency"] == label].sort_values("year")
        fig.add_scatter(x=part["year"], y=part["published"], name=label, mode="lines+markers",
                        line_color=colours[label], customdata=[[name, region]] * len(part),
                        hovertemplate=label + "<br>%{x}年：%{y:,.0f} 条<extra></extra>")
    fig.update_layout(title=shown_title("各单位主动公开信息条数（年度）", len(order), total), xaxis_title="年度",
                      yaxis_title="信息条数（条）", xaxis_dtick=1, legend_title="单位")
    return fig


def decisions_trend(df: pd.DataFrame) -> go.Figure:
    """Grouped bars: licensing, penalty and coercion decisions per year, one series across both form versions."""
    fig = go.Figure()
    colours = dict(zip(DECISIONS.values(), ("#1f77b4", "#d62728", "#ff7f0e")))
    for field, label in DECISIONS.items():
        fig.add_bar(x=df["year"], y=df[field], name=label, marker_color=colours[label],
                    hovertemplate="%{x}年<br>" + label + "：%{y:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="group", title="行政许可、行政处罚、行政强制处理决定数量（2019、2021年版表格合并为一个序列）",
                      xaxis_title="年度", yaxis_title="处理决定数量（件）", xaxis_dtick=1, legend_title="事项")
    return fig


def fees_trend(df: pd.DataFrame) -> go.Figure:
    """Bars: fees collected in 万元 per year; only the 2021 form states money (2019 counts fee items instead)."""
    stated = df.dropna(subset=["fees_amount_wan"])
    fig = go.Figure()
    fig.add_bar(x=stated["year"], y=stated["fees_amount_wan"], name="本年收费金额", marker_color="#8c564b",
                hovertemplate="%{x}年<br>本年收费金额：%{y:,.2f} 万元<extra></extra>")
    fig.update_layout(title="行政事业性收费 本年收费金额（万元，仅2021年版表格）", xaxis_title="年度",
                      yaxis_title="收费金额（万元）", xaxis_dtick=1)
    return fig


# ---------------------------------------------------------------- 依申请公开


def outcome_bars(df: pd.DataFrame) -> go.Figure:
    """Stacked bars: how each agency's applications were handled (applications_by_agency columns)."""
    fig = go.Figure()
    shown = df.assign(_sum=df[list(OUTCOME_FIELDS.values())].fillna(0).sum(axis=1))
    shown = shown[shown["_sum"] > 0]
    shown, order, total = largest(shown, shown.set_index(["agency", "region"])["_sum"])
    shown = shown.set_index("agency").loc[order].reset_index()
    for outcome, field in OUTCOME_FIELDS.items():
        fig.add_bar(y=order, x=shown[field], name=outcome, orientation="h", marker_color=OUTCOME_COLOURS[outcome],
                    customdata=who(shown, order), hovertemplate="%{y}<br>" + outcome + "：%{x:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title("办理结果（按单位）", len(order), total), yaxis_title="单位",
                      xaxis_title="申请数量（件）", legend_title="办理结果", height=_height(len(order)))
    return fig


def received_bars(df: pd.DataFrame) -> go.Figure:
    """Stacked bars: 本年新收 and 上年结转 per agency (applications_by_agency columns)."""
    shown = df.assign(_sum=df[["new_applications", "carried_in"]].fillna(0).sum(axis=1))
    shown = shown[shown["_sum"] > 0]
    shown, order, total = largest(shown, shown.set_index(["agency", "region"])["_sum"])
    shown = shown.set_index("agency").loc[order].reset_index()
    fig = go.Figure()
    for field, label, colour in (("new_applications", "本年新收", "#1f77b4"), ("carried_in", "上年结转", "#aec7e8")):
        fig.add_bar(y=order, x=shown[field], name=label, orientation="h", marker_color=colour,
                    customdata=who(shown, order), hovertemplate="%{y}<br>" + label + "：%{x:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title("收到的政府信息公开申请（本年新收 + 上年结转）", len(order), total),
                      yaxis_title="单位", xaxis_title="申请数量（件）", legend_title="来源", height=_height(len(order)))
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


def rate_bars(df: pd.DataFrame) -> go.Figure:
    """公开率 per agency with the denominator in the hover; small denominators grey and labelled 不排名.
    Where there are more than TOP agencies, the TOP with the most applications handled."""
    out = df[~df["is_summary"] & df["handled"].notna() & (df["handled"] > 0)]
    out, order, total = largest(out, out.set_index(["agency", "region"])["handled"])
    out = out.assign(small=out["handled"] < SMALL_BASE).sort_values(["small", "disclosure_rate"], ascending=[False, True])
    fig = go.Figure()
    for small, name, colour in ((False, "公开率", OUTCOME_COLOURS["予以公开"]),
                                (True, f"办理不足{SMALL_BASE}件（不排名）", "#c7c7c7")):
        part = out[out["small"] == small]
        fig.add_bar(y=part["agency"], x=part["disclosure_rate"], name=name, orientation="h", marker_color=colour,
                    customdata=list(zip(part["name"], part["region"], part["handled"], part["granted"].fillna(0)
                                        + part["partial"].fillna(0))),
                    hovertemplate="%{y}<br>公开率：%{x:.1%}<br>（予以公开+部分公开 %{customdata[3]:,.0f}）"
                                  "/ 办理结果总计 %{customdata[2]:,.0f} 件<extra></extra>")
    fig.update_layout(title=shown_title("公开率 =（予以公开 + 部分公开）/ 办理结果总计", len(order), total, "办理件数最多"),
                      xaxis_title="公开率",
                      xaxis_tickformat=".0%", yaxis_title="单位", legend_title="", height=_height(len(out)))
    return fig


def applicant_outcome_sankey(df: pd.DataFrame) -> go.Figure:
    """Sankey from applicant type to outcome group (columns applicant, outcome, applications)."""
    flows = df[df["applications"].fillna(0) > 0]
    applicants = [a for a in APPLICANTS if a in set(flows["applicant"])]
    outcomes = [o for o in OUTCOMES if o in set(flows["outcome"])]
    labels = applicants + outcomes
    index = {name: i for i, name in enumerate(applicants)} | {o: len(applicants) + i for i, o in enumerate(outcomes)}
    fig = go.Figure(go.Sankey(
        node={"label": labels, "pad": 18,
              "color": [APPLICANT_COLOURS[a] for a in applicants] + [OUTCOME_COLOURS[o] for o in outcomes],
              "hovertemplate": "%{label}：%{value:,.0f} 件<extra></extra>"},
        link={"source": [index[a] for a in flows["applicant"]], "target": [index[o] for o in flows["outcome"]],
              "value": flows["applications"].tolist(),
              "hovertemplate": "%{source.label} → %{target.label}：%{value:,.0f} 件<extra></extra>"}))
    fig.update_layout(title="申请人类型 → 办理结果（本年度办理结果，按申请人类型）")
    return fig


def applicant_mix(df: pd.DataFrame) -> go.Figure:
    """Stacked shares of new applications by applicant type per agency (applications_applicants columns)."""
    shown = df[df["new_applications"].fillna(0) > 0]
    shown, order, total = largest(shown, shown.groupby(["agency", "region"])["new_applications"].max())
    names = who(shown, order)
    fig = go.Figure()
    for applicant in [a for a in APPLICANTS if a in set(shown["applicant"])]:
        part = shown[shown["applicant"] == applicant].set_index("agency").reindex(order)
        fig.add_bar(y=order, x=part["share"], name=applicant, orientation="h", marker_color=APPLICANT_COLOURS[applicant],
                    customdata=[[*n, a, t] for n, a, t in zip(names, part["applications"], part["new_applications"])],
                    hovertemplate="%{y}<br>" + applicant + "：%{x:.1%}（%{customdata[2]:,.0f} / "
                                  "%{customdata[3]:,.0f} 件）<extra></extra>")
    fig.update_layout(barmode="stack", title=shown_title("本年新收申请的申请人构成（占本年新收总计）", len(order), total),
                      yaxis_title="单位", xaxis_title="占比", xaxis_tickformat=".0%", legend_title="申请人类型",
                      height=_height(len(order)))
    return fig


def applications_trend(df: pd.DataFrame) -> go.Figure:
    """Per year: new applications stacked by applicant type, with carried-in beside (applications_trend columns)."""
    fig = go.Figure()
    for applicant, field in APPLICANT_FIELDS.items():
        fig.add_bar(x=df["year"], y=df[field], name=applicant, marker_color=APPLICANT_COLOURS[applicant],
                    offsetgroup="new", hovertemplate="%{x}年<br>本年新收 " + applicant + "：%{y:,.0f} 件<extra></extra>")
    fig.add_scatter(x=df["year"], y=df["carried_in"], name="上年结转", mode="lines+markers", line_color="#000000",
                    hovertemplate="%{x}年<br>上年结转：%{y:,.0f} 件<extra></extra>")
    fig.update_layout(barmode="stack", title="本年新收申请（按申请人类型）和上年结转的年度变化", xaxis_title="年度",
                      yaxis_title="申请数量（件）", xaxis_dtick=1, legend_title="")
    return fig


def rate_trend(df: pd.DataFrame) -> go.Figure:
    """Line: the region's 公开率 by year, the denominator in the hover (applications_trend columns)."""
    fig = go.Figure()
    fig.add_scatter(x=df["year"], y=df["disclosure_rate"], name="公开率", mode="lines+markers",
                    line_color=OUTCOME_COLOURS["予以公开"], customdata=df["handled"],
                    hovertemplate="%{x}年<br>公开率：%{y:.1%}<br>办理结果总计 %{customdata:,.0f} 件<extra></extra>")
    fig.update_layout(title="公开率的年度变化", xaxis_title="年度", yaxis_title="公开率", yaxis_tickformat=".0%",
                      xaxis_dtick=1)
    return fig
