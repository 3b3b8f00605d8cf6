"""The state of a view, owned in one place: the shared sidebar selection (drawn by the entrypoint, so it holds on
every page) and each page's own controls, all mirrored in the URL with explicit values, so a copied link opens
the same view in another browser next year."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from disclosure.contract import catalog
from disclosure.present import charts
from disclosure.ui.data import query
from disclosure.ui.plain import plain

# the shared selection's URL parameters; a page's own parameters are recorded as it draws them (see `linked`)
SHARED_PARAMS = ("region", "year", "from", "to", "kind", "agency")
# one click for the scopes leaders ask for most
PRESETS = {"全部单位": (), "乡镇街道": ("乡", "镇", "街道"), "部门": ("部门",)}
# Streamlit draws this English line in every multi-select list and the app cannot translate it
SELECT_ALL = "不选＝全部。下拉列表第一行的 Select all 是「全选」。"


@dataclass(frozen=True)
class Filters:
    """The shared sidebar selection: a region, the year in focus, a year range, kinds and agencies."""

    region: str
    year: int
    year_from: int = 0
    year_to: int = 0
    kinds: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()

    def params(self) -> dict:
        """Every filter as a query parameter; each query binds the ones its header declares."""
        return {"region": self.region, "year": self.year, "year_from": self.year_from, "year_to": self.year_to,
                "kinds": list(self.kinds), "agencies": list(self.agencies)}

    def scope(self) -> str:
        """The selection in words, for captions and exports."""
        parts = [self.region.rsplit("/", 1)[-1] or "（无数据）", f"{self.year}年"]
        if self.kinds:
            parts.append("、".join(self.kinds))
        if self.agencies:
            parts.append(f"{len(self.agencies)} 个单位" if len(self.agencies) > 2 else "、".join(self.agencies))
        return " · ".join(parts)


def draw_shared() -> Filters:
    """The entrypoint draws the shared filters on every run, before the page: a widget drawn by a page would be
    that page's alone and be reset on the next page."""
    chosen = _draw()
    st.session_state["_view_drawn"] = chosen
    return chosen


def filters() -> Filters:
    """The shared selection for this run's page. A page run on its own (under AppTest) draws the filters itself."""
    drawn = st.session_state.pop("_view_drawn", None)
    return drawn if drawn is not None else _draw()


def follow_page(page: str) -> None:
    """The entrypoint, before the page: the URL this run writes is collected and written once, after the page
    (`write_url`) — each separate write would be a browser history entry, and "back" would stay on the page.
    On a change of page, the previous page's own parameters still in the URL are not this page's to read."""
    state = st.session_state
    previous = state.get("_view_page_params", set()) - set(SHARED_PARAMS)
    state["_view_stale"] = previous if state.get("_view_page") != page else set()
    state["_view_page"], state["_view_page_params"] = page, set()
    state["_view_url"] = {}


def write_url() -> None:
    """The entrypoint, after the page: the URL becomes exactly this run's view, in one change."""
    wanted = st.session_state.pop("_view_url", None)
    if wanted is None:
        return
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def page_menu(sections: dict, current) -> None:
    """The pages as menus in the top row, each link carrying the shared selection, so that a change of page is
    one browser history entry ("back" returns to the previous page, not to the same page without its filters)."""
    shared = {p: v for p, v in st.session_state.get("_view_url", {}).items() if p in SHARED_PARAMS}
    with st.container(horizontal=True, key="page_menu", gap="medium"):
        for section, pages in sections.items():
            here = next((p.title for p in pages if p.url_path == current.url_path), None)
            # a key per page: the menu opens closed on the page it led to
            with st.popover(f"{section} · {here}" if here else section, type="secondary" if here else "tertiary",
                            key=f"page_menu_{section}_{current.url_path}"):
                for page in pages:
                    st.page_link(page, query_params=shared)


def notices() -> None:
    """What a link asked for that could not be shown, and what is shown instead; gone after the next change."""
    for text in st.session_state.get("_view_notices", []):
        st.warning(text, icon=":material/link_off:")


def _draw() -> Filters:
    every = query("filter_choices")
    choices = _visible(every)
    regions = sorted(set(choices["region"]))
    hidden = len(choices) < len(every)  # a region asked for may exist, outside what this account may see
    if not regions:
        return Filters("", 0)
    url, state = st.query_params, st.session_state
    fresh = "filter_region" not in state  # a new session: the link decides, and says where it cannot
    said: list[str] = []
    _seed("filter_region", url.get("region") if fresh else state.get("filter_region"), regions,
          _default_region(choices), "地区", said, missing="不在本账户可查看的范围内或没有数据" if hidden else "没有数据")
    with st.sidebar:
        region = st.selectbox("地区", regions, key="filter_region",
                              format_func=lambda r: r.replace("/", " / "))
        years = sorted(set(choices.loc[choices["region"] == region, "year"].astype(int)), reverse=True)
        _seed("filter_year", _int(url.get("year")) if fresh else state.get("filter_year"), years, years[0],
              "年度", said, shown=lambda y: f"{y}年")
        year = st.selectbox("年度", years, key="filter_year", format_func=lambda y: f"{y}年",
                            help="只列出所选地区有报告的年度")
        year_from, year_to = _year_range(years, url if fresh else None)
        kinds = _kinds(url.get_all("kind") if fresh else None, said)
        names = query("agencies_in_region", region=region)["agency"].tolist()
        if fresh:
            asked = url.get_all("agency")
            state["filter_agencies"] = [a for a in asked if a in names]
            said += [f"链接中的单位「{a}」在{region}没有报告，未选入。" for a in asked if a not in names]
        elif any(a not in names for a in state.get("filter_agencies", [])):
            state["filter_agencies"] = [a for a in state["filter_agencies"] if a in names]
        agencies = st.multiselect("单位", names, key="filter_agencies", placeholder="全部单位（可输入名称查找）",
                                  help=SELECT_ALL)
    chosen = Filters(region, int(year), int(year_from), int(year_to), tuple(kinds), tuple(agencies))
    if fresh:
        state["_view_notices"], state["_view_noticed"] = said, chosen
    elif state.get("_view_noticed") != chosen:
        state["_view_notices"] = []
    for param, value in zip(SHARED_PARAMS, (region, year, year_from, year_to, list(kinds), list(agencies))):
        set_url(param, value)
    return chosen


def _seed(key: str, wanted, allowed: list, fallback, what: str, said: list[str], shown=str,
          missing: str = "没有数据") -> None:
    """Set a shared widget's value before it is drawn: the wanted one when allowed, else the fallback, saying so."""
    if wanted in allowed:
        st.session_state[key] = wanted
        return
    st.session_state[key] = fallback
    if wanted not in (None, ""):
        said.append(f"链接或上次选择的{what}「{plain(shown(wanted))}」{missing}，改为显示「{plain(shown(fallback))}」。")


def _year_range(years: list[int], url) -> tuple[int, int]:
    """The years of trend charts: all the region's years unless narrowed (from/to in a link)."""
    span = (min(years), max(years))
    if span[0] == span[1]:
        return span
    state = st.session_state
    if url is not None:
        wanted = (_int(url.get("from")) or span[0], _int(url.get("to")) or span[1])
        state["filter_years"] = (max(span[0], min(wanted)), min(span[1], max(wanted)))
    elif "filter_years" in state:  # kept within the region's years when the region changes
        low, high = state["filter_years"]
        state["filter_years"] = (max(span[0], min(low, span[1])), min(span[1], max(high, span[0])))
    else:
        state["filter_years"] = span
    return st.slider("年份范围（趋势图）", span[0], span[1], key="filter_years")


def _kinds(from_url, said: list[str]) -> list[str]:
    """单位类型, with one-click presets for the scopes asked for most (乡镇街道, 部门)."""
    state = st.session_state
    if from_url is not None:
        state["filter_kinds"] = [k for k in catalog.KINDS if k in from_url]
        said += [f"链接中的单位类型「{k}」不存在，未选入。" for k in from_url if k not in catalog.KINDS]
    current = tuple(state.get("filter_kinds", ()))
    state["filter_preset"] = next((name for name, kinds in PRESETS.items() if kinds == current), None)
    st.pills("快捷范围", list(PRESETS), key="filter_preset", on_change=_apply_preset,
             help="乡镇街道 = 乡 + 镇 + 街道；部门 = 县直部门。也可在下面自选单位类型。")
    return st.multiselect("单位类型", catalog.KINDS, key="filter_kinds", placeholder="全部类型", help=SELECT_ALL)


def _apply_preset() -> None:
    st.session_state["filter_kinds"] = list(PRESETS.get(st.session_state.get("filter_preset"), ()))


def _visible(choices: pd.DataFrame) -> pd.DataFrame:
    """The regions this account may see: an account limited to a county is offered that county and what lies
    below it, so every page, chart and download, all scoped by the region chosen here, stays inside it."""
    from disclosure.ui.session import account  # session imports shown, which imports this module

    who = account()
    return choices if not who.regions else choices[[who.sees(r) for r in choices["region"]]]


def _default_region(choices: pd.DataFrame) -> str:
    """The county-level region with the most reports: what a county office looks at first."""
    counts = choices[choices["is_county"]].groupby("region")["reports"].sum()
    if counts.empty:
        counts = choices.groupby("region")["reports"].sum()
    return counts.sort_values(ascending=False).index[0]


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- a page's own controls


def url_value(param: str, multi: bool = False):
    """What the URL says for one of the page's parameters (None, or [] for a list, when absent)."""
    if param in st.session_state.get("_view_stale", ()):
        return [] if multi else None
    return st.query_params.get_all(param) if multi else st.query_params.get(param)


def linked(widget, label: str, options=None, *, key: str, param: str, **kwargs):
    """A page's own control (st.selectbox, st.radio, st.multiselect, st.pills, st.segmented_control, st.checkbox)
    whose value is mirrored in the URL under a readable `param`: a new session, a reload or a copied link
    restores it; a value the options no longer hold is dropped for the widget's default. The URL carries the
    value once it differs from the default or came in the link — so opening a page is one history entry."""
    multi = widget is st.multiselect or kwargs.get("selection_mode") == "multi"
    default = _widget_default(widget, options, kwargs, multi)
    asked = url_value(param, multi) not in (None, [])
    if key not in st.session_state:
        seeded = _from_url(param, options, multi)
        if multi and seeded and kwargs.get("max_selections"):
            seeded = seeded[: kwargs["max_selections"]]  # a link may list more than the widget allows
        if seeded is not None:
            st.session_state[key] = seeded
            for name in ("index", "default", "value"):
                kwargs.pop(name, None)
    value = widget(label, key=key, **kwargs) if options is None else widget(label, options, key=key, **kwargs)
    if asked or value != default:
        set_url(param, value)
    return value


def _widget_default(widget, options, kwargs: dict, multi: bool):
    if "index" in kwargs:
        return None if kwargs["index"] is None else list(options)[kwargs["index"]]
    if "default" in kwargs:
        default = kwargs["default"]
        return list(default or []) if multi else default
    if "value" in kwargs:
        return kwargs["value"]
    if options is None:
        return False
    if multi:
        return []
    return list(options)[0] if widget in (st.selectbox, st.radio) and len(options) else None


def tabs(labels: list[str], *, key: str, param: str = "tab"):
    """Tabs whose open tab is in the URL; returns the containers (each with `.open`)."""
    wanted = url_value(param)
    containers = st.tabs(labels, key=key, on_change="rerun", default=wanted if wanted in labels else None)
    shown = st.session_state.get(key) or labels[0]
    if wanted or shown != labels[0]:
        set_url(param, shown)
    return containers


def set_url(param: str, value) -> None:
    """One parameter of the view (explicit: a default is written too, so a link outlives defaults). Under the
    entrypoint it is written with the rest after the page; a page run alone writes it at once."""
    st.session_state.setdefault("_view_page_params", set()).add(param)
    texts = [] if value is None else [_text(v) for v in value] if isinstance(value, list) else [_text(value)]
    wanted = st.session_state.get("_view_url")
    if wanted is not None:
        if texts:
            wanted[param] = texts
        else:
            wanted.pop(param, None)
    elif texts:
        st.query_params[param] = texts if isinstance(value, list) else texts[0]
    elif param in st.query_params:
        del st.query_params[param]


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _from_url(param: str, options, multi: bool):
    if options is None:  # a checkbox or toggle
        return {"1": True, "0": False}.get(url_value(param))
    by_text = {_text(o): o for o in options}
    if multi:
        picked = [by_text[t] for t in url_value(param, multi=True) if t in by_text]
        return picked or None
    return by_text.get(url_value(param))


# ---------------------------------------------------------------- drill-down


def open_agency(agency: str, region: str) -> None:
    """Drill down: the 单位详情 page of one agency, which keeps the shared selection as it is."""
    # this run's URL is not written after a switch: the switch carries the next page's
    wanted = st.session_state.pop("_view_url", None) or {p: st.query_params.get_all(p) for p in st.query_params}
    shared = {p: v for p, v in wanted.items() if p in SHARED_PARAMS}
    st.switch_page("pages/agency.py", query_params={**shared, "unit": agency, "unit_region": region})


def open_chart_pick(event, region: str) -> None:
    """Drill down from a chart: the agency of the clicked bar or point opens in 单位详情 (in `region`
    unless the chart names the agency's own region)."""
    picked = charts.picked_agency((event or {}).get("selection", {}).get("points"))
    if picked:
        open_agency(picked[0], picked[1] or region)


def open_selected_row(event, table: pd.DataFrame, region: str, column: str = "单位") -> None:
    """Drill down from a table: the agency named in the selected row opens in 单位详情 — in the row's 地区
    where the table has one (agencies of several counties share names), else in `region`."""
    rows = event.selection.rows if event else []
    if rows:
        row = table.iloc[rows[0]]
        open_agency(row[column], row["地区"] if "地区" in table.columns else region)
