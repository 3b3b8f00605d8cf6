"""领导简报: a region's year against the year before on one printable page, and the same as a Word document."""
import html
import urllib.parse

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from disclosure import ui
from disclosure.present import briefing, export

# Printing: only the briefing, on A4, no block cut across pages. Streamlit's main area is a scrolling box of the
# window's height, which would print as one page: it is let out to its full height. At phone width the columns
# stack by themselves; the lists below wrap side by side or stack.
STYLE = """<style>
.briefing-lists { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; }
.briefing-lists > div { flex: 1 1 12rem; min-width: 0; }
.briefing-lists ol, .briefing-list { margin: 0.1rem 0 0.3rem 0; padding-left: 1.4rem; }
.briefing-lists li, .briefing-list li { overflow-wrap: anywhere; }
.briefing-caption { font-size: 0.85rem; opacity: 0.7; margin: 0; }
.briefing-value { white-space: nowrap; opacity: 0.8; }
@media print {
  @page { size: A4 portrait; margin: 14mm 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stAppDeployButton"], [data-testid="stMainMenu"], .st-key-page_menu, [data-testid="stElementToolbar"],
  [data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stPopover"], [data-testid="stPageLink"],
  .st-key-briefing_screen_only { display: none !important; }
  html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] { height: auto !important; min-height: 0 !important;
    overflow: visible !important; position: static !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
  [class*="st-key-briefing_block"], [data-testid="stMetric"], .briefing-lists, li { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>"""

HELP = {"reports": "分母：应报单位数（不含汇总）。列入「单位名单」的单位在名单的起止年度内应报；不在名单中的单位，"
                   "上一年度报送过即为应报。",
        "disclosure_rate": "合并计算：各单位（予以公开+部分公开）之和 ÷ 办理结果总计之和，只计办理结果总计大于 0 的报告。",
        "correction_rate": "合并计算：行政复议和两类行政诉讼的结果纠正之和 ÷ 已审结（总计−尚未审结）之和，"
                           "只计三项都填报的部分。",
        "violations": "本年度所选范围内报告违反 R1–R5 的错误（含汇总报告），与「总览」「数据质量」一致。"}

_, filters = ui.analysis_page("领导简报")
st.html(STYLE)

# the shared view (SHARED_PARAMS) as the sidebar holds it now: every link keeps it
shared = {"region": filters.region, "year": str(filters.year), "from": str(filters.year_from),
          "to": str(filters.year_to), "kind": list(filters.kinds), "agency": list(filters.agencies)}
shared = {param: value for param, value in shared.items() if value not in ([], "")}
address = st.context.url or "/briefing"
link = f"{address}?{urllib.parse.urlencode(shared, doseq=True, quote_via=urllib.parse.quote)}"

params = filters.params()
brief = briefing.from_frames(
    headline=ui.query("briefing_headline", **params), agencies_frame=ui.query("briefing_agencies", **params),
    missing=ui.query("overview_missing", **params), issues=ui.stored_issues(filters.region),
    data_date=ui.query("briefing_data_date")["changed_at"].iloc[0], region=filters.region, year=filters.year,
    kinds=filters.kinds, agencies=filters.agencies, link=link)


def source(page: str, title: str) -> None:
    """The page a figure comes from, opened with this view."""
    try:
        st.page_link(page, label=f"详见「{title}」", icon=":material/arrow_forward:", query_params=shared)
    except StreamlitPageNotFoundError:  # run on its own (AppTest) there is no navigation to link into
        st.caption(f"来源：「{title}」页")


def text(value) -> str:
    return html.escape(str(value))  # agency names are typed by users: never markup


st.html(f'<p class="briefing-caption">{text(brief.scope)} · 县级汇总报告（汇总）不计入合计和排名 · '
        "“—”为报告未填报（不是 0）</p>")
with st.container(key="briefing_screen_only", horizontal=True, vertical_alignment="center"):
    st.download_button("下载 Word 简报", ui.logged(lambda: briefing.to_docx(brief), f"{brief.file_name}.docx"),
                       f"{export.file_name(brief.file_name)}.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       key="briefing_docx", icon=":material/description:")
    st.caption("打印：在浏览器中按 Ctrl+P，选 A4 纵向；侧栏、菜单和按钮不会打印。")

st.subheader(f"主要指标：{filters.year}年与{filters.year - 1}年")
for row in (brief.figures[:4], brief.figures[4:]):
    for column, figure in zip(st.columns(4), row):
        with column.container(border=True, key=f"briefing_block_figure_{figure.key}"):
            change = figure.change
            st.metric(figure.label, figure.value_text, None if change is None else figure.change_text,
                      help=HELP.get(figure.key), delta_description="较上年",
                      delta_color="off" if change == 0 else "normal" if figure.higher_is_better else "inverse",
                      delta_arrow="off" if change == 0 else "auto")
            lines = [f"{filters.year - 1}年：{figure.last_text}"] + ([figure.note] if figure.note else [])
            st.html("".join(f'<p class="briefing-caption">{text(line)}</p>' for line in lines))
            source(figure.page_file, figure.page_title)

st.subheader("各单位前三与后三")
st.caption(f"{filters.year}年；不含县级汇总报告；数值相同时按单位名称排序。")
for pair in (brief.rankings[i:i + 2] for i in range(0, len(brief.rankings), 2)):
    for column, ranking in zip(st.columns(2), pair):
        with column.container(border=True, key=f"briefing_block_rank_{ranking.key}"):
            st.markdown(f"**{ranking.label}**")
            lists = []
            for caption, frame in (("最高（从高到低）", ranking.top), ("最低（从低到高）", ranking.bottom)):
                items = "".join(f'<li>{text(label)} <span class="briefing-value">{text(value)}</span></li>'
                                for label, value in zip(frame["label"], frame["text"]))
                lists.append(f'<div><p class="briefing-caption">{caption}</p><ol>{items}</ol></div>' if items
                             else f'<div><p class="briefing-caption">{caption}：—</p></div>')
            st.html(f'<div class="briefing-lists">{"".join(lists)}</div>'
                    f'<p class="briefing-caption">{text(ranking.note)}</p>')
            source(ranking.page_file, ranking.page_title)


def listing(items: list[str], total: int, unit: str) -> None:
    shown = "".join(f"<li>{text(item)}</li>" for item in items)
    more = (f'<p class="briefing-caption">另有 {total - len(items)} {unit}未列出。</p>' if total > len(items) else "")
    st.html(f'<ul class="briefing-list">{shown}</ul>{more}')


left, right = st.columns(2)
with left.container(border=True, key="briefing_block_missing"):
    st.markdown(f"**未报送的单位（{len(brief.missing)} 个）**")
    if brief.missing.empty:
        st.caption("应报的单位本年度都已报送（应报：列入单位名单且在册，或上一年度报送过）。")
    else:
        listing(brief.missing_lines[:briefing.LISTED], len(brief.missing), "个单位")
    source("pages/overview.py", "总览")
with right.container(border=True, key="briefing_block_violations"):
    st.markdown(f"**勾稽关系错误（{len(brief.violations)} 处）**")
    if brief.violations.empty:
        st.caption("本年度所选范围内的报告没有违反勾稽关系的错误。")
    else:
        listing(brief.violation_lines[:briefing.LISTED], len(brief.violations), "处")
    source("pages/quality.py", "数据质量")

st.html(f'<p class="briefing-caption">{text(brief.data_date_text)}。本页链接：'
        f'<a href="{text(link)}">{text(urllib.parse.unquote(link))}</a></p>')
