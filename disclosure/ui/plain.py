"""User text (agency, region, file and user names, values from a link) made safe for the places Streamlit reads
as Markdown: captions, messages, labels, tabs, expanders. Tables and st.text show text as it is and need none."""
from __future__ import annotations

import html
import re

import plotly.graph_objects as go

# every ASCII punctuation mark, as CommonMark lets each be escaped: links, emphasis, HTML, LaTeX ($), colour and
# :emoji: directives, a leading # or > or "1." starting a block, and www.… that GitHub-flavoured Markdown links
_MARKDOWN = re.compile(r"([!-/:-@\[-`{-~])")


def plain(text) -> str:
    """The text, escaped so Markdown shows it letter for letter: [点此](http://…) stays those characters, no link."""
    return _MARKDOWN.sub(r"\\\1", str(text))


_TRACE_TEXT = ("x", "y", "text", "labels", "hovertext", "name")  # not customdata: a click reads the name from it


def plain_chart(fig: go.Figure) -> go.Figure:
    """A copy of the figure whose texts Plotly shows as written: Plotly reads <a href>, <b> and entities in labels,
    ticks, legends and titles, so an agency named <a href=…> would be a link. Hover templates are ours and stay."""
    fig = go.Figure(fig)
    for trace in fig.data:
        for name in _TRACE_TEXT:
            if name in trace and trace[name] is not None:
                trace[name] = _escaped(trace[name])
        if trace.type == "sankey":
            trace.node.label = _escaped(trace.node.label)
    layout = fig.layout
    if layout.title.text:
        layout.title.text = html.escape(layout.title.text, quote=False)
    for annotation in layout.annotations:
        annotation.text = html.escape(annotation.text or "", quote=False)
    return fig


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, (list, tuple)) or getattr(value, "dtype", None) == object:
        return [html.escape(v, quote=False) if isinstance(v, str) else v for v in value]
    return value
